"""Open one book with python-calamine and return its sheets as plain cell grids.

python-calamine reads .xlsx/.xlsm, legacy .xls and .ods natively and fast. Zip
containers are checked against bomb limits before any XML is parsed.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .limits import Limits


@dataclass(slots=True)
class RawSheet:
    name: str
    hidden: bool
    rows: list[list[Any]]  # cell values; row i is Excel row i + 1 (start offset applied)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 (0-based, inclusive)


class BookError(Exception):
    """A book that cannot be opened; `code` picks the clerk's message."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse zip bombs: too many entries, too large declared size, or a wild ratio."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise BookError("corrupt", str(exc)) from exc
    if len(infos) > limits.max_zip_entries:
        raise BookError("zip_bomb", f"{len(infos)} entries")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > limits.max_unzipped_bytes:
        raise BookError("zip_bomb", f"{total} bytes declared")
    if total > 10_000_000 and total / packed > limits.max_zip_ratio:
        raise BookError("zip_bomb", f"ratio {total / packed:.0f}")


def open_book(path: Path, kind: str, limits: Limits) -> list[RawSheet]:
    """Read every sheet of a book. Raises BookError for a book that cannot be read."""
    import python_calamine as pc

    if kind in ("xlsx", "ods"):
        check_zip(path, limits)
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise BookError("encrypted", str(exc)) from exc
    except (pc.CalamineError, pc.ZipError, pc.XmlError, OSError, ValueError) as exc:
        raise BookError("corrupt", str(exc)) from exc
    except Exception as exc:  # calamine raises a few plain errors for odd files
        raise BookError("corrupt", str(exc)) from exc
    sheets: list[RawSheet] = []
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
                continue
            hidden = str(meta.visible) not in ("SheetVisibleEnum.Visible", "Visible")
            sheets.append(_read_sheet(wb, meta.name, hidden, limits))
    except BookError:
        raise
    except Exception as exc:
        raise BookError("corrupt", str(exc)) from exc
    finally:
        wb.close()
    return sheets


def _read_sheet(wb: Any, name: str, hidden: bool, limits: Limits) -> RawSheet:
    sheet = wb.get_sheet_by_name(name)
    rows: list[list[Any]] = []
    start = sheet.start or (0, 0)
    # iter_rows starts at Excel row 1 but at the first used column: pad the left
    # so that row index i is Excel row i + 1 and column j is column j + 1.
    pad_left = [""] * start[1]
    for row in sheet.iter_rows():
        if len(rows) >= limits.max_rows_per_sheet:
            raise BookError("too_many_rows", f"{name}: > {limits.max_rows_per_sheet}")
        rows.append(pad_left + list(row[: limits.max_columns]) if pad_left else list(row[: limits.max_columns]))
    merges: list[tuple[int, int, int, int]] = []
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:  # not available for every format
        ranges = []
    for (r0, c0), (r1, c1) in ranges:
        merges.append((r0, c0, r1, c1))
    return RawSheet(name=name, hidden=hidden, rows=_trim(rows), merges=merges)


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing blank rows and trailing blank cells (calamine pads to the used range)."""
    def blank(v: Any) -> bool:
        return v is None or (isinstance(v, str) and not v.strip())

    out = []
    for row in rows:
        end = len(row)
        while end and blank(row[end - 1]):
            end -= 1
        out.append(row[:end])
    while out and not out[-1]:
        out.pop()
    return out
