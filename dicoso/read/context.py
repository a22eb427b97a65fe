"""What a sheet says about its rows beyond the header: the year, Ban and quarter its
title, name or file name give, and the helpers every kind of row uses to point an Issue
at a cell (file, sheet, Excel row, column letter and header).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import Issue
from ..text.clean import cell_text, clean, is_blank
from ..text.dates import YearHint, parse_quarter
from ..text.excel import col_letters
from .book import RawSheet
from .headers import Header

YEAR_RE = re.compile(r"\b(20\d\d)\b")
# "Tháng 12", "THÁNG 5/2020", "thang 8" (a file name); a sheet named "T12", "T.5", "T05/2020"
MONTH_RE = re.compile(r"\b(?:tháng|thang)\s*0?(1[0-2]|[1-9])\b", re.I)
MONTH_SHEET_RE = re.compile(r"\s*t\.?\s*0?(1[0-2]|[1-9])(?:\s*[/-]\s*\d{4})?\s*", re.I)


@dataclass
class SheetContext:
    file: str
    sheet: str
    kind: str
    header: Header
    year_hint: int | None
    department_hint: str
    quarter_hint: tuple[int, int | None] | None  # (quarter, year) from sheet name / title
    months: tuple[int, int] = (1, 12)  # the months the sheet name, title or file name names

    @property
    def date_hint(self) -> YearHint | None:
        """The year and months a date typed without a year is read against."""
        return YearHint(self.year_hint, *self.months) if self.year_hint else None


def cell(row: list[Any], col: int | None) -> Any:
    if col is None or col >= len(row):
        return None
    return row[col]


def title_text(sheet: RawSheet, header: Header | None) -> str:
    """The words above the header (book title, Ban, month), joined."""
    upto = header.first_row if header else min(len(sheet.rows), 6)
    parts = [clean(v) for row in sheet.rows[:upto] for v in row if not is_blank(v)]
    return " | ".join(p for p in parts if p)


def context_hints(file: str, sheet: RawSheet, header: Header | None, sheet_name: str = "",
                  ) -> tuple[int | None, str, tuple[int, int | None] | None]:
    """Year, department and quarter named by the title rows, the sheet name (`sheet_name`: as
    meant, when typed in a legacy font) or the file path."""
    title = title_text(sheet, header)
    name = sheet_name or sheet.name
    year = None
    for source in (title, name, file):
        m = YEAR_RE.search(source)
        if m:
            year = int(m.group(1))
            break
    dept = ""
    for part in title.split(" | "):
        low = part.lower()
        if re.match(r"^(ban|văn phòng)\b", low) and not re.match(r"^ban (chấp hành|thường vụ)", low):
            dept = _sentence_case(part) if part.isupper() else part
            break
    quarter = None
    for source in (name, title, file):
        q = parse_quarter(source, whole=False)
        if q:
            quarter = q
            break
    return year, dept, quarter


def book_months(file: str, sheet: RawSheet, header: Header | None, sheet_name: str = "",
                quarter: tuple[int, int | None] | None = None) -> tuple[int, int]:
    """The first and last month a sheet says it covers: the months its name, then its title,
    then its file name names ("Tháng 12"; "Từ tháng 3 đến tháng 12"), else its quarter's, else
    the whole year."""
    name = sheet_name or sheet.name
    if m := MONTH_SHEET_RE.fullmatch(name):
        return int(m[1]), int(m[1])
    for source in (name, title_text(sheet, header), file.rsplit("/", 1)[-1]):
        months = [int(m) for m in MONTH_RE.findall(source)]
        if months:
            return min(months), max(months)
    if quarter:
        return 3 * quarter[0] - 2, 3 * quarter[0]
    return 1, 12


def _sentence_case(title: str) -> str:
    """`BAN TUYÊN GIÁO` -> `Ban Tuyên giáo` (the unit word and the first word of its name)."""
    words = title.lower().split(" ")
    return " ".join(w.capitalize() if i < 2 else w for i, w in enumerate(words))


# The cells that say what a row is about (Issue.about): a re-run after corrections finds the
# same problem by them even when rows were inserted or deleted above it.
ABOUT_FIELDS = ("name", "start", "end", "period", "place", "quarter", "alias_from", "alias_to")


def row_about(row: list[Any], header: Header) -> str:
    """`Nguyễn Văn An | 05/08/2020 | 07/08/2020 | Xã Tam Hồng`: the row's identifying cells as typed."""
    return " | ".join(clean(cell_text(cell(row, header.columns[f]))) for f in ABOUT_FIELDS if f in header.columns)


def row_ranges(rows: list[int]) -> str:
    """[5, 6, 7, 9] -> "5–7, 9"."""
    parts: list[str] = []
    start = prev = rows[0]
    for r in rows[1:] + [0]:
        if r != prev + 1:
            parts.append(f"{start}–{prev}" if prev > start else str(start))
            start = r
        prev = r
    return ", ".join(parts)


def column_name(ctx: SheetContext, col_field: str | None) -> str:
    """A field's column as the clerk finds it: its letter and its header ("G (cả năm)"); "" if absent."""
    if not col_field or col_field not in ctx.header.columns:
        return ""
    c = ctx.header.columns[col_field]
    return f"{col_letters(c)} ({ctx.header.labels.get(c, '')})"


def issue(ctx: SheetContext, row: int, code: str, severity: str, col_field: str | None, message: str,
           suggestion: str = "") -> Issue:
    col = column_name(ctx, col_field)
    return Issue(code, severity, message, ctx.file, ctx.sheet, row, col, suggestion)  # type: ignore[arg-type]


def legacy_issue(ctx: SheetContext, excel_row: int, raw: str, text: str, status: str) -> Issue:
    if status == "suspect":
        return issue(ctx, excel_row, "legacy_encoding_suspect", "warning", "name",
                      f'Tên "{raw}" có vẻ gõ bằng bảng mã cũ (TCVN3/VNI) nhưng không chuyển đổi chắc chắn được.',
                      "Gõ lại tên bằng Unicode (Times New Roman) rồi chạy lại.")
    enc = "TCVN3 (.VnTime)" if status == "tcvn3" else "VNI"
    return issue(ctx, excel_row, "legacy_encoding_converted", "info", "name",
                  f'Tên "{raw}" gõ bằng bảng mã {enc}; đã chuyển sang Unicode thành "{text}".',
                  "Nên gõ lại tên bằng Unicode (Times New Roman) trong sổ.")


def date_issue(ctx: SheetContext, excel_row: int, fld: str, err: str) -> Issue:
    return issue(ctx, excel_row, f"bad_date_{fld}", "error", fld, err,
                  "Sửa ô này thành ngày theo dạng ngày/tháng/năm (ví dụ 05/08/2020).")


def number(v: Any) -> float | None:
    if is_blank(v):
        return None
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    m = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*(ngày)?\s*", str(v), re.I)
    return float(m.group(1).replace(",", ".")) if m else None
