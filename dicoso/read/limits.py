"""Resource limits of a run: reading untrusted books, waiting (docs/limits.md lists them with their defaults).

Every limit can be changed for one run by building `Limits(...)` (the pipeline's
`Options.limits`), or for every run by an environment variable named
`DICOSO_` + the field name in capitals, e.g. `DICOSO_MAX_ROWS_PER_SHEET=2000000`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields

from ..errors import SettingsError

ENV_PREFIX = "DICOSO_"


class LimitsError(SettingsError):
    """A DICOSO_* environment variable is not a positive whole number (Vietnamese message)."""


def _env(name: str, default: int):
    """A default read from the environment each time a `Limits()` is made."""

    def factory() -> int:
        raw = os.environ.get(ENV_PREFIX + name.upper(), "").strip().replace("_", "")
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise LimitsError(
                f'Biến môi trường {ENV_PREFIX + name.upper()}="{raw}" phải là một số nguyên dương '
                f"(mặc định {default}); sửa hoặc xóa biến này rồi chạy lại."
            ) from None
        if value <= 0:
            raise LimitsError(f"Biến môi trường {ENV_PREFIX + name.upper()} phải lớn hơn 0 (mặc định {default}); "
                              "sửa hoặc xóa biến này rồi chạy lại.")
        return value

    return field(default_factory=factory)


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = _env("max_file_bytes", 200 * 1024 * 1024)  # a larger book is refused unread
    max_zip_entries: int = _env("max_zip_entries", 10_000)  # entries in one .xlsx/.ods container
    max_unzipped_bytes: int = _env("max_unzipped_bytes", 1024 * 1024 * 1024)  # total declared uncompressed size
    max_zip_ratio: int = _env("max_zip_ratio", 200)  # uncompressed/compressed, book and each entry...
    zip_ratio_above_bytes: int = _env("zip_ratio_above_bytes", 10_000_000)  # ...once larger than this
    max_rows_per_sheet: int = _env("max_rows_per_sheet", 1_100_000)  # Excel's own limit is 1,048,576
    # calamine allocates rows x columns up to the farthest cell, 32 bytes each: 30M cells ~ 1 GB
    max_cells_per_sheet: int = _env("max_cells_per_sheet", 30_000_000)
    max_columns: int = _env("max_columns", 200)  # cells right of this are ignored
    header_search_rows: int = _env("header_search_rows", 30)  # title rows allowed above the header
    # one book's bytes (a stalled network share): past this the book is reported unread and the run goes on
    read_timeout_seconds: int = _env("read_timeout_seconds", 120)
    # another run writing into the same output folder: waited for this long, then the run stops with its name
    lock_wait_seconds: int = _env("lock_wait_seconds", 10)


def describe() -> list[tuple[str, int]]:
    """(field, value in force) for every limit: for docs and `--verbose` output."""
    current = Limits()
    return [(f.name, getattr(current, f.name)) for f in fields(Limits)]
