"""Roster, registration and name-mapping rows: one record per row, or a rejected row
with its Issue.
"""

from __future__ import annotations

from typing import Any

from ..model import Issue
from ..text import dates, legacy, names
from ..text.clean import cell_text, clean, is_blank
from .context import SheetContext, cell, column_name, date_issue, issue, legacy_issue, number, parse_quarter
from .headers import NAME_MAP, REGISTRATION, ROSTER, SUMMARY
from .legacy_sheet import repaired


def name_of(row: list[Any], ctx: SheetContext, excel_row: int, issues: list[Issue]) -> str | None:
    raw = cell_text(cell(row, ctx.header.columns.get("name")))
    if not raw:
        issues.append(issue(ctx, excel_row, "missing_name", "error", "name",
                             "Dòng có dữ liệu nhưng thiếu họ và tên cán bộ; dòng này không được tính.",
                             "Điền họ và tên cán bộ vào ô này rồi chạy lại."))
        return None
    text, status = legacy.repair(raw)
    if status != "unicode":
        issues.append(legacy_issue(ctx, excel_row, raw, clean(text), status))
    return clean(text)


def value_of(row: list[Any], ctx: SheetContext, excel_row: int, fld: str, issues: list[Issue]) -> Any:
    """A cell as the reader uses it: a stray legacy-font text in a Unicode sheet read as Unicode,
    with a note (a whole legacy sheet was rewritten before)."""
    raw = cell(row, ctx.header.columns.get(fld))
    fixed = repaired(raw)
    if fixed is not raw:
        issues.append(issue(ctx, excel_row, "legacy_encoding_converted", "info", fld,
                            f'Ô "{raw}" gõ bằng bảng mã cũ (TCVN3/VNI) giữa các ô Unicode; đã đọc thành "{fixed}".',
                            "Không cần sửa để chạy báo cáo; nên gõ lại ô này bằng Unicode (Times New Roman)."))
    return fixed


def text_of(row: list[Any], ctx: SheetContext, excel_row: int, fld: str, issues: list[Issue]) -> str:
    return cell_text(value_of(row, ctx, excel_row, fld, issues))


def date_field(row: list[Any], ctx: SheetContext, excel_row: int, fld: str, issues: list[Issue]):
    value = value_of(row, ctx, excel_row, fld, issues)
    parser = dates.parse_submitted if fld == "submitted" else dates.parse_date
    d, err = parser(value, ctx.date_hint)
    if err:
        issues.append(date_issue(ctx, excel_row, fld, err))
    return d, err


def _record_roster(row: list[Any], ctx: SheetContext, excel_row: int, issues: list[Issue]) -> dict[str, Any] | None:
    name = name_of(row, ctx, excel_row, issues)
    if name is None:
        return None
    out: dict[str, Any] = {
        "name": name,
        "name_key": names.name_key(name),
        "position": text_of(row, ctx, excel_row, "position", issues),
        "department": text_of(row, ctx, excel_row, "department", issues),
        "exempt_reason": text_of(row, ctx, excel_row, "exempt_reason", issues),
    }
    for fld in ("service_start", "service_end", "exempt_from", "exempt_to"):
        d, err = date_field(row, ctx, excel_row, fld, issues)
        if err:
            return None
        out[fld] = d
    if (out["exempt_from"] is None) != (out["exempt_to"] is None):
        issues.append(issue(ctx, excel_row, "exemption_incomplete", "warning",
                             "exempt_to" if out["exempt_to"] is None else "exempt_from",
                             f"Thời gian miễn đi cơ sở của {name} thiếu ngày bắt đầu hoặc ngày kết thúc; chưa áp dụng miễn.",
                             "Điền đủ cả hai ô Miễn từ ngày và Miễn đến ngày."))
        out["exempt_from"] = out["exempt_to"] = None
    return out


def _record_registration(row: list[Any], ctx: SheetContext, excel_row: int, issues: list[Issue]) -> dict[str, Any] | None:
    name = name_of(row, ctx, excel_row, issues)
    if name is None:
        return None
    cols = ctx.header.columns
    raw_q = value_of(row, ctx, excel_row, "quarter", issues)
    q = parse_quarter(raw_q) if "quarter" in cols and not is_blank(raw_q) else ctx.quarter_hint
    year = (q[1] if q else None) or ctx.year_hint or (ctx.quarter_hint[1] if ctx.quarter_hint else None)
    if not q or q[0] not in (1, 2, 3, 4) or year is None:
        shown = cell_text(raw_q)
        quoted = f' từ "{shown}"' if shown else ""
        issues.append(issue(ctx, excel_row, "bad_quarter", "error", "quarter",
                             f"Không xác định được quý đăng ký{quoted} của {name}; dòng này không được tính.",
                             "Ghi quý bằng số La Mã hoặc số (ví dụ II hoặc 2) và ghi năm ở tiêu đề sổ."))
        return None
    planned = number(cell(row, cols.get("planned_days")))
    return {
        "name": name,
        "name_key": names.name_key(name),
        "department": text_of(row, ctx, excel_row, "department", issues) or ctx.department_hint,
        "year": int(year),
        "quarter": int(q[0]),
        "planned_days": float("nan") if planned is None else planned,
        "place": text_of(row, ctx, excel_row, "planned_place", issues),
        "content": text_of(row, ctx, excel_row, "planned_content", issues),
    }


def _record_alias(row: list[Any], ctx: SheetContext, excel_row: int, issues: list[Issue]) -> dict[str, Any] | None:
    cols = ctx.header.columns
    variant = cell_text(cell(row, cols.get("alias_from")))
    target = cell_text(cell(row, cols.get("alias_to")))
    if not variant or not target:
        issues.append(issue(ctx, excel_row, "bad_alias", "error", "alias_to" if variant else "alias_from",
                             "Dòng ánh xạ tên thiếu tên trong sổ hoặc tên đúng theo danh sách; dòng này không được dùng.",
                             "Điền cả hai cột: tên như đã ghi trong sổ và tên đúng như trong danh sách cán bộ."))
        return None
    return {"variant": variant, "variant_key": names.name_key(variant), "target": target}


def _record_summary(row: list[Any], ctx: SheetContext, excel_row: int, issues: list[Issue]) -> dict[str, Any] | None:
    """A cadre's day total on a Ban's summary sheet; a row without a number is kept with NaN
    (nothing to compare), since a summary row is never counted."""
    name = name_of(row, ctx, excel_row, issues)
    if name is None:
        return None
    cols = ctx.header.columns
    days = number(cell(row, cols.get("days")))
    return {
        "name": name,
        "name_key": names.name_key(name),
        "department": cell_text(cell(row, cols.get("department"))) or ctx.department_hint,
        "days": float("nan") if days is None else days,
        "days_column": column_name(ctx, "days"),
    }


RECORDERS = {
    ROSTER: _record_roster,
    REGISTRATION: _record_registration,
    NAME_MAP: _record_alias,
    SUMMARY: _record_summary,
}
