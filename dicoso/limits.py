"""Resource limits for reading untrusted books (configurable; see README "Limits")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 200 * 1024 * 1024  # a book larger than this is refused
    max_zip_entries: int = 10_000  # entries in one .xlsx/.ods container
    max_unzipped_bytes: int = 1024 * 1024 * 1024  # total declared uncompressed size
    max_zip_ratio: int = 200  # uncompressed/compressed, checked above 10 MB
    max_rows_per_sheet: int = 1_100_000  # Excel's own limit is 1,048,576
    max_columns: int = 200  # cells right of this are ignored
    header_search_rows: int = 30  # title rows allowed above the header
