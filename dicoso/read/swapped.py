"""Date cells stored month first: a book typed day first on an Excel set to the US locale.

There the clerk's "01/05/2020" (1 May) becomes the date cell 5 January 2020, while
"13/05/2020", which has no month 13, stays text. Such a sheet is recognised by what only
it can show: no date cell has a day above 12, and either a text date of the same columns
has one, or the swapped dates fall in the months the book names while the stored ones do
not, or a trip's dates are in order (and short) only when swapped. The dates are never
swapped here: one warning names the rows, an example and what to check.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..model import Issue
from ..text import dates
from ..text.excel import col_letters
from ..text.vn import dmy
from .context import SheetContext, cell, row_ranges

DATE_FIELDS = ("start", "end", "period", "submitted")
LONG_TRIP_DAYS = 31  # a trip this long that is short once swapped reads as swapped


def _stored(value: Any) -> date | None:
    """The date of a cell Excel stored as a date (or a serial that lost its format)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dates.parse_date(value)[0]
    return None


def _swap(d: date) -> date | None:
    try:
        return date(d.year, d.day, d.month)
    except ValueError:
        return None


def _text_days_over_12(value: Any, hint) -> str | None:
    """A text date of the row read day first with a day above 12 (it would have been a date
    cell on a day-first Excel), as typed; else None."""
    if not isinstance(value, str):
        return None
    start, end, _ = dates.parse_range(value, hint)
    return value if any(d is not None and d.day > 12 for d in (start, end)) else None


def _long_only_unswapped(start: date, end: date) -> bool:
    s, e = _swap(start), _swap(end)
    if s is None or e is None or not s <= e or (e - s).days > LONG_TRIP_DAYS:
        return False
    return end < start or (end - start).days > LONG_TRIP_DAYS


def swapped_dates(rows: list[list[Any]], ctx: SheetContext, excel_rows: list[int]) -> list[Issue]:
    """One warning when the sheet's date cells look stored month first (module docstring)."""
    cols = [(f, ctx.header.columns[f]) for f in DATE_FIELDS if f in ctx.header.columns]
    distinct = {v for _, c in cols for row in rows if (v := cell(row, c)) is not None}
    stored_days = [d.day for d in map(_stored, distinct) if d is not None]
    if not stored_days or max(stored_days) > 12:
        return []  # no date cell, or one with a day above 12: typed day first
    cells: list[tuple[int, int, date]] = []  # (Excel row, column, stored date)
    texts: list[str] = []
    reversed_rows = []
    for row, excel_row in zip(rows, excel_rows):
        stored = {}
        for f, c in cols:
            value = cell(row, c)
            d = _stored(value)
            if d is not None:
                stored[f] = d
                if d.day != d.month:
                    cells.append((excel_row, c, d))
            elif (typed := _text_days_over_12(value, ctx.date_hint)) is not None:
                texts.append(typed)
        if "start" in stored and "end" in stored and _long_only_unswapped(stored["start"], stored["end"]):
            reversed_rows.append(excel_row)
    if not cells:
        return []
    why = _why(ctx, cells, texts, reversed_rows)
    if not why:
        return []
    listed = sorted({r for r, _, _ in cells})
    excel_row, c, d = cells[0]
    swapped = _swap(d)
    return [Issue(
        "dates_maybe_swapped", "warning",
        f'Các ô ngày ở dòng {row_ranges(listed)} có vẻ bị đảo ngày và tháng (Excel của máy nhập sổ đặt theo kiểu '
        f"Mỹ, tháng trước ngày sau): {why}. Ví dụ ô {col_letters(c)}{excel_row} đang là {dmy(d)}, đảo lại là "
        f"{dmy(swapped)}. Chương trình vẫn tính theo ngày đang có trong ô, không tự đảo: số ngày và hạn báo cáo "
        "của các chuyến này có thể sai.",
        ctx.file, ctx.sheet, listed[0], "",
        "Mở sổ, xem lại các ô ngày ở các dòng đó. Nếu bị đảo: đặt Windows về định dạng Việt Nam (Settings → "
        "Time & language → Region: Vietnamese) rồi gõ lại các ngày, hoặc gõ ngày dưới dạng chữ có dấu ' ở đầu "
        "(ví dụ '01/05/2020), rồi chạy lại. Nếu ngày trong ô đúng thì không cần sửa.",
    )]


def _why(ctx: SheetContext, cells: list[tuple[int, int, date]], texts: list[str], reversed_rows: list[int]) -> str:
    """The evidence, in the clerk's words ("" when there is none)."""
    first, last = ctx.months
    year = f"/{ctx.year_hint}" if ctx.year_hint else ""
    named = f"tháng {first}{year}" if first == last else f"tháng {first}–{last}{year}"
    if (first, last) != (1, 12):
        inside = sum(first <= d.month <= last for _, _, d in cells)
        swapped_inside = sum(first <= d.day <= last for _, _, d in cells)
        if swapped_inside > inside:
            return f"sổ ghi {named} nhưng ngày trong ô thuộc tháng khác, đảo lại thì thuộc {named}"
    if texts:
        return (f'ngày có số ngày trên 12 (như "{texts[0]}") bị lưu thành chữ, còn mọi ô ngày khác đều có số ngày '
                "không quá 12")
    if reversed_rows:
        return (f"dòng {row_ranges(reversed_rows)} có ngày về trước ngày đi hoặc chuyến đi dài bất thường, đảo lại "
                "thì hợp lý")
    return ""
