"""Trip rows of a register, column by column: each distinct cell value of a column is
parsed once (registers repeat names, dates, places), then one pass over the rows picks
the results and writes the Issues the clerk would get row by row.
"""

from __future__ import annotations

from typing import Any

from ..model import Issue
from ..text import dates, legacy, names
from ..text.clean import cell_text, clean, is_blank
from ..text.vn import dmy
from .context import SheetContext, cell, date_issue, issue, legacy_issue, number, row_ranges
from .legacy_sheet import repaired
from .swapped import swapped_dates

TRIP_TEXT_FIELDS = ("position", "department", "place", "level", "content", "order_no", "note")
UNREADABLE_REPORT_DATE = ("Chuyến đi vẫn được tính; báo cáo của chuyến này chưa rõ ngày nộp nên không được tính vào số "
                          "báo cáo đúng hạn, nộp muộn hay quá hạn.")
TRIP_FIELDS = ("name", "name_key", "start", "end", "days_declared", "submitted", "submitted_unknown") + TRIP_TEXT_FIELDS


def _column(rows: list[list[Any]], col: int | None) -> list[Any]:
    if col is None:
        return [None] * len(rows)
    return [r[col] if col < len(r) else None for r in rows]


def _mapped(values: list[Any], fn) -> list[Any]:
    """fn applied once per distinct cell value (registers repeat names, dates, places)."""
    if bool in set(map(type, values)):  # True == 1 as dict keys: keep the types apart
        typed = list(zip(map(type, values), values))
        typed_cache = {key: fn(key[1]) for key in set(typed)}
        return [typed_cache[key] for key in typed]
    cache = {v: fn(v) for v in set(values)}
    return [cache[v] for v in values]


def _name_parts(value: Any) -> tuple[str, str, str]:
    """(raw text, clean Unicode name, legacy status) of a name cell."""
    raw = cell_text(value)
    if not raw:
        return "", "", "unicode"
    text, status = legacy.repair(raw)
    return raw, clean(text), status


def _stray_legacy_note(rows: list[list[Any]], ctx: SheetContext, first_row: list[int],
                       converted: dict[str, str]) -> Issue:
    """One note for the cells (other than names, which get their own) typed in a legacy font
    inside a Unicode sheet and read as Unicode."""
    cols = [c for f, c in ctx.header.columns.items() if f != "name"]
    at = [(excel_row, row[c]) for row, excel_row in zip(rows, first_row) for c in cols
          if c < len(row) and row[c].__class__ is str and row[c] in converted]
    excel_row, raw = at[0]
    more = f"; {len(at)} ô như vậy" if len(at) > 1 else ""
    return issue(ctx, excel_row, "legacy_encoding_converted", "info", None,
                 f'Ô "{raw}" gõ bằng bảng mã cũ (TCVN3/VNI) giữa các ô Unicode; đã đọc thành "{converted[raw]}"{more}.',
                 "Không cần sửa để chạy báo cáo; nên gõ lại các ô đó bằng Unicode (Times New Roman).")


UNDATED = "undated"  # a report cell saying "filed" without a date (not an error to show)


def _report_date(value: Any, hint: dates.Hint) -> tuple[Any, str | None]:
    """A report-date cell: (date, None); (None, None) not filed; (None, UNDATED) filed without
    a date; (None, reason) when it cannot be read."""
    return (None, UNDATED) if dates.filed_undated(value) else dates.parse_submitted(value, hint)


def _undated_note(rows: list[list[Any]], ctx: SheetContext, first_row: list[int], undated: list[int]) -> Issue:
    """One warning per sheet for the report cells that say "filed" without a date."""
    col, at = ctx.header.columns["submitted"], {r: k for k, r in enumerate(first_row)}
    texts = list(dict.fromkeys(cell_text(cell(rows[at[r]], col)) for r in undated))
    shown = ", ".join(f'"{t}"' for t in texts[:3]) + ("…" if len(texts) > 3 else "")
    n = len(undated)
    return issue(ctx, undated[0], "report_filed_undated", "warning", "submitted",
                 f"Ô ngày nộp báo cáo ghi {shown} mà không ghi ngày nộp ({n} dòng: {row_ranges(undated)}): chưa biết "
                 f"báo cáo nộp đúng hạn hay nộp muộn; {'các chuyến này' if n > 1 else 'chuyến này'} không được tính vào "
                 "số báo cáo đúng hạn, nộp muộn hay quá hạn.",
                 "Ghi ngày nộp báo cáo (ngày/tháng/năm, ví dụ 12/08/2020) vào các ô đó rồi chạy lại.")


FAR_YEARS = 2  # a trip this many years or more from the year its book names: a typo, said (never fixed)


def _far_from_book_year(ctx: SheetContext, kept: list[int], starts: list, ends: list) -> Issue | None:
    """One warning per sheet for trips dated years away from the year the book names in its
    title, sheet or file name ("05/08/2002" in "SỔ THEO DÕI … NĂM 2020"): outside the period
    they would otherwise only be noted as not counted."""
    book_year = ctx.year_hint
    if not book_year or not starts:
        return None
    first, last = min(min(starts), min(ends)), max(max(starts), max(ends))  # in C: most sheets stop here
    if book_year - FAR_YEARS < first.year and last.year < book_year + FAR_YEARS:
        return None
    far = [(row, s, e) for row, s, e in zip(kept, starts, ends)
           if abs(s.year - book_year) >= FAR_YEARS or abs(e.year - book_year) >= FAR_YEARS]
    if not far:
        return None
    row, s, e = far[0]
    rows = row_ranges([r for r, _, _ in far])
    return issue(ctx, row, "date_year_unlikely", "warning", "start" if "start" in ctx.header.columns else "period",
                 f"Sổ ghi năm {book_year} (tiêu đề, tên trang hoặc tên tệp) nhưng {len(far)} dòng ({rows}) có ngày "
                 f"đi ở năm khác hẳn, ví dụ {dmy(s)} – {dmy(e)}: có thể gõ nhầm năm. Chương trình không tự sửa năm; "
                 "chuyến nằm ngoài kỳ báo cáo thì không được tính.",
                 f"Kiểm tra năm của các ô ngày đó (sổ năm {book_year}) rồi chạy lại.")


def trip_columns(rows: list[list[Any]], ctx: SheetContext, first_row: list[int],
                  issues: list[Issue]) -> tuple[dict[str, list[Any]], list[int]]:
    """Trip records of the data rows, column by column; returns (columns, kept Excel rows).

    Each distinct cell value is parsed once; the per-row loop only picks results and
    writes the same Issues the clerk would get row by row.
    """
    cols, hint = ctx.header.columns, ctx.date_hint
    name_parts = _mapped(_column(rows, cols.get("name")), _name_parts)
    has_start, has_end, has_period = "start" in cols, "end" in cols, "period" in cols
    # a stray legacy-font text in a Unicode sheet (a whole legacy sheet was rewritten before)
    converted: dict[str, str] = {}

    def fix(value: Any) -> Any:
        text = repaired(value)
        if text is not value:
            converted[value] = text
        return text

    starts = _mapped(_column(rows, cols.get("start")), lambda v: (is_blank(v), dates.parse_date(fix(v), hint)))
    ends = _mapped(_column(rows, cols.get("end")), lambda v: (is_blank(v), dates.parse_date(fix(v), hint)))
    periods = _mapped(_column(rows, cols.get("period")), lambda v: (is_blank(v), dates.parse_range(fix(v), hint)))
    submitted = _mapped(_column(rows, cols.get("submitted")), lambda v: _report_date(fix(v), hint))
    days = _mapped(_column(rows, cols.get("days")), lambda v: (number(v), is_blank(v), cell_text(v)))
    texts = {f: _mapped(_column(rows, cols.get(f)), lambda v: cell_text(fix(v))) for f in TRIP_TEXT_FIELDS}
    if converted:
        issues.append(_stray_legacy_note(rows, ctx, first_row, converted))
    out: dict[str, list[Any]] = {f: [] for f in TRIP_FIELDS}
    kept: list[int] = []
    undated: list[int] = []  # rows whose report cell says filed, without a date
    for k, excel_row in enumerate(first_row):
        raw, name, status = name_parts[k]
        if not name:
            issues.append(issue(ctx, excel_row, "missing_name", "error", "name",
                                 "Dòng có dữ liệu nhưng thiếu họ và tên cán bộ; dòng này không được tính.",
                                 "Điền họ và tên cán bộ vào ô này rồi chạy lại."))
            continue
        if status != "unicode":
            issues.append(legacy_issue(ctx, excel_row, raw, name, status))
        start = end = None
        if has_start and not starts[k][0]:
            start, err = starts[k][1]
            if err:
                issues.append(date_issue(ctx, excel_row, "start", err))
                continue
            end = start
            if has_end and not ends[k][0]:
                end, err = ends[k][1]
                if err:
                    issues.append(date_issue(ctx, excel_row, "end", err))
                    continue
                start, end = dates.in_order(start, end, cell(rows[k], cols["start"]), cell(rows[k], cols["end"]))
        elif has_period and not periods[k][0]:
            start, end, err = periods[k][1]
            if err:
                issues.append(issue(ctx, excel_row, "bad_date_period", "error", "period", err,
                                     "Ghi thời gian theo dạng 05/08/2020 - 07/08/2020 hoặc tách thành hai cột "
                                     "Từ ngày, Đến ngày."))
                continue
        if start is None:
            issues.append(issue(ctx, excel_row, "missing_dates", "error", "start" if has_start else "period",
                                 f"Chuyến đi của {name} không có ngày đi; dòng này không được tính.",
                                 "Điền ngày đi và ngày về (ngày/tháng/năm) rồi chạy lại."))
            continue
        filed, err = submitted[k]
        if err == UNDATED:
            undated.append(excel_row)
        elif err:
            issues.append(date_issue(ctx, excel_row, "submitted", f"{err} {UNREADABLE_REPORT_DATE}"))
        elif filed is not None and end is not None:  # "05/01" for a trip ending 30/12
            _, filed = dates.in_order(end, filed, None, cell(rows[k], cols["submitted"]))
        declared, blank, shown = days[k]
        if declared is None and not blank:
            issues.append(issue(ctx, excel_row, "bad_days", "warning", "days",
                                 f'Số ngày "{shown}" không phải là số; dùng số ngày tính từ ngày đi, ngày về.',
                                 "Ghi số ngày bằng chữ số (ví dụ 3)."))
        kept.append(excel_row)
        out["name"].append(name)
        out["start"].append(start)
        out["end"].append(end)
        out["days_declared"].append(float("nan") if declared is None else declared)
        out["submitted"].append(filed)
        out["submitted_unknown"].append(err is not None)  # neither filed on a known day nor not filed
        for f in TRIP_TEXT_FIELDS:
            out[f].append(texts[f][k])
        if not out["department"][-1]:
            out["department"][-1] = ctx.department_hint
    out["name_key"] = _mapped(out["name"], names.name_key)
    if undated:
        issues.append(_undated_note(rows, ctx, first_row, undated))
    far = _far_from_book_year(ctx, kept, out["start"], out["end"])
    if far:
        issues.append(far)
    issues.extend(swapped_dates(rows, ctx, first_row))
    return out, kept
