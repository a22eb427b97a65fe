"""Turn one raw sheet into normalised rows, problems and an account of every row.

Below the header every row ends up in exactly one place: a record (trip, roster
line, registration), a rejected row (with an Issue), or a skipped non-data row
(blank, total, column-number, repeated header, signature/footer) counted by reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..model import FileAccount, Issue
from ..text import dates, legacy, names
from ..text.clean import cell_text, clean, is_blank
from ..text.excel import col_letters
from .book import RawSheet
from .headers import ALIASES, REGISTRATION, ROSTER, TRIP, Header, match_field, norm_header

IDENTITY_FIELDS = ("stt", "name", "position", "department")

TOTAL_RE = re.compile(r"^(tổng cộng|tổng số|tổng|cộng)\b", re.I)
# Signature block under the table. Strong words mark a footer in any column; weak
# ones (titles of signers) only outside the data columns, since "Trưởng ban" is
# also a position typed in a trip row.
FOOTER_STRONG_RE = re.compile(
    r"(người lập( biểu| bảng)?|xác nhận|\(?đã ký\)?|ký,? ghi rõ họ tên|ký tên|"
    r"ngày\s*[.…]*\s*\d*\s*tháng\s*[.…]*\s*\d*\s*năm)",
    re.I,
)
FOOTER_WEAK_RE = re.compile(
    r"^(trưởng ban|phó trưởng ban|thủ trưởng( đơn vị)?|chánh văn phòng|tm\.? .*|t/m .*|bí thư|phó bí thư)$", re.I
)
YEAR_RE = re.compile(r"\b(20\d\d)\b")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
QUARTER_RE = re.compile(
    r"(?:quý|quí|q)\s*(iv|iii|ii|i|[1-4])\b(?:\s*[/-]\s*(?:năm\s*)?(\d{4}))?"  # Quý II, Quý 3/2020, Q4
    r"|^\s*(iv|iii|ii|i|[1-4])\s*(?:[/-]\s*(\d{4}))?\s*$",  # II, 2, IV/2020
    re.I,
)


@dataclass
class SheetContext:
    file: str
    sheet: str
    kind: str
    header: Header
    year_hint: int | None
    department_hint: str
    quarter_hint: tuple[int, int | None] | None  # (quarter, year) from sheet name / title


@dataclass
class SheetResult:
    records: list[dict[str, Any]] = field(default_factory=list)  # roster, registration, alias rows
    columns: dict[str, list[Any]] | None = None  # trip sheets: TRIP_COLUMNS as lists
    issues: list[Issue] = field(default_factory=list)
    account: FileAccount | None = None


def _cell(row: list[Any], col: int | None) -> Any:
    if col is None or col >= len(row):
        return None
    return row[col]


def title_text(sheet: RawSheet, header: Header | None) -> str:
    """The words above the header (book title, Ban, month), joined."""
    upto = header.first_row if header else min(len(sheet.rows), 6)
    parts = [clean(v) for row in sheet.rows[:upto] for v in row if not is_blank(v)]
    return " | ".join(p for p in parts if p)


def context_hints(file: str, sheet: RawSheet, header: Header | None) -> tuple[int | None, str, tuple[int, int | None] | None]:
    """Year, department and quarter named by the title rows, the sheet name or the file path."""
    title = title_text(sheet, header)
    year = None
    for source in (title, sheet.name, file):
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
    for source in (sheet.name, title, file):
        q = parse_quarter(source, whole=False)
        if q:
            quarter = q
            break
    return year, dept, quarter


def _sentence_case(title: str) -> str:
    """`BAN TUYÊN GIÁO` -> `Ban Tuyên giáo` (the unit word and the first word of its name)."""
    words = title.lower().split(" ")
    return " ".join(w.capitalize() if i < 2 else w for i, w in enumerate(words))


def parse_quarter(value: Any, whole: bool = True) -> tuple[int, int | None] | None:
    """`II`, `2`, `Quý II`, `II/2020`, `Quý 3/2020`, `Q4` -> (quarter, year or None)."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (int(value), None) if float(value) in (1.0, 2.0, 3.0, 4.0) else None
    text = clean(value).lower()
    if whole:
        m = QUARTER_RE.fullmatch(text) or QUARTER_RE.fullmatch(text.replace("quý ", "quý"))
    else:
        m = QUARTER_RE.search(text)
        if m and m.group(3):  # a bare numeral only counts when it is the whole text
            m = None
    if not m:
        return None
    q = m.group(1) or m.group(3)
    y = m.group(2) or m.group(4)
    quarter = ROMAN.get(q.lower()) if q.lower() in ROMAN else int(q)
    return quarter, (int(y) if y else None)


COLUMN_NUMBER_RE = re.compile(r"\(?\d{1,2}\)?|[a-z]")


def _key_text(v: Any) -> str:
    """Normalised text of an STT/name cell (hot path: most cells are plain strings)."""
    if v.__class__ is str:
        return norm_header(v)
    return "" if v is None else norm_header(cell_text(v))


@lru_cache(maxsize=1 << 16)
def _name_cell_kind(name: str | int | float) -> str | None:
    """What the name cell of a row with dates says: a total, a repeated header, column numbers."""
    text = _key_text(name)
    if not text:
        return None
    if TOTAL_RE.match(text):
        return "total"
    if match_field(text) == "name":
        return "repeated_header"
    if COLUMN_NUMBER_RE.fullmatch(text):
        return "column_numbers"
    return None


def _row_kind(row: list[Any], header: Header, in_footer: bool) -> str | None:
    """Why a row is not data (skip reason), or None for a data row.

    Fast path first: a row with something in its date columns is data unless its
    STT/name cells say it is a total, a repeated header or a column-number row.
    """
    if _has_date_cells(row, header):
        stt = _cell(row, header.columns.get("stt"))
        if stt.__class__ is str and TOTAL_RE.match(norm_header(stt)):
            return "total"
        name = _cell(row, header.columns.get("name"))
        return _name_cell_kind(name) if name.__class__ in (str, int, float) else None
    if all(is_blank(v) for v in row):
        return "blank"
    stt_t, name_t = (norm_header(cell_text(_cell(row, header.columns.get(f)))) for f in ("stt", "name"))
    if TOTAL_RE.match(stt_t) or TOTAL_RE.match(name_t):
        return "total"
    texts_at = [(c, norm_header(cell_text(v))) for c, v in enumerate(row) if not is_blank(v)]
    texts = [t for _, t in texts_at]
    if len(texts) <= 3 and any(TOTAL_RE.match(t) for t in texts):
        return "total"
    if sum(1 for t in texts if match_field(t)) >= max(2, len(texts) - 1):
        return "repeated_header"
    if len(texts) >= 3 and all(COLUMN_NUMBER_RE.fullmatch(t) for t in texts):
        return "column_numbers"
    stt = _cell(row, header.columns.get("stt"))
    if in_footer and not isinstance(stt, (int, float)):
        return "footer"
    # Footer words in the position/Ban/content columns are data ("Trưởng ban" is a position).
    data_cols = {header.columns[f] for f in ("position", "department", "content", "note", "place") if f in header.columns}
    if any(FOOTER_STRONG_RE.search(t) for t in texts) or any(
        FOOTER_WEAK_RE.match(t) for c, t in texts_at if c not in data_cols
    ):
        return "footer"
    return None


def _has_date_cells(row: list[Any], header: Header) -> bool:
    width = len(row)
    for c in header.date_columns:
        if c < width:
            v = row[c]
            if v.__class__ is str:
                if v and not v.isspace():
                    return True
            elif v is not None and v == v:  # NaN is blank
                return True
    return False


def fill_identity(sheet: RawSheet, header: Header) -> list[list[Any]]:
    """Rows below the header, with merged identity cells (STT, name, position, Ban) filled down."""
    rows = list(sheet.rows)  # rows are copied only where a merged cell is filled in
    cols = {header.columns[f] for f in IDENTITY_FIELDS if f in header.columns}
    copied: set[int] = set()
    for r0, c0, r1, c1 in sheet.merges:
        if r0 <= header.row or r1 == r0:
            continue
        for c in range(c0, c1 + 1):
            if c not in cols or r0 >= len(rows) or c0 >= len(rows[r0]):
                continue
            value = rows[r0][c0]
            for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
                if r not in copied:
                    rows[r] = list(rows[r])
                    copied.add(r)
                while len(rows[r]) <= c:
                    rows[r].append("")
                if is_blank(rows[r][c]):
                    rows[r][c] = value
    return rows


def normalise_sheet(sheet: RawSheet, ctx: SheetContext) -> SheetResult:
    res = SheetResult(account=FileAccount(file=ctx.file, sheet=ctx.sheet, kind=ctx.kind))
    acc = res.account
    assert acc is not None
    rows = fill_identity(sheet, ctx.header)
    unstored = _unstored_formulas(sheet, ctx, res.issues) if sheet.formula_cells else {}
    in_footer = False
    data_rows: list[int] = []
    for idx in range(ctx.header.row + 1, len(rows)):
        row = rows[idx]
        acc.rows_read += 1
        if idx in unstored:
            acc.rows_rejected += 1
            res.issues.append(_formula_issue(ctx, idx + 1, unstored[idx], "error",
                                             "dòng này không được tính cho đến khi sổ được lưu lại bằng Excel.",
                                             first=f"{col_letters(unstored[idx])}{idx + 1}"))
            continue
        reason = _row_kind(row, ctx.header, in_footer)
        if reason == "footer":
            in_footer = True
        if reason:
            acc.rows_skipped += 1
            acc.skip_reasons[reason] = acc.skip_reasons.get(reason, 0) + 1
            continue
        if ctx.kind == TRIP:
            data_rows.append(idx)
            continue
        excel_row = idx + 1
        before = len(res.issues)
        record = _RECORDERS[ctx.kind](row, ctx, excel_row, res.issues)
        if record is None:
            acc.rows_rejected += 1
            assert len(res.issues) > before, "a rejected row must carry an Issue"
            continue
        record.update(file=ctx.file, sheet=ctx.sheet, row=excel_row)
        res.records.append(record)
    if ctx.kind == TRIP:
        columns, kept = _trip_columns([rows[i] for i in data_rows], ctx, [i + 1 for i in data_rows], res.issues)
        acc.rows_rejected += len(data_rows) - len(kept)
        columns.update(file=[ctx.file] * len(kept), sheet=[ctx.sheet] * len(kept), row=kept)
        res.columns = columns
    return res


REQUIRED_FIELDS = {TRIP: ("name", "start", "end", "period"), ROSTER: ("name",), REGISTRATION: ("name", "quarter"),
                   ALIASES: ("alias_from", "alias_to")}


def _unstored_formulas(sheet: RawSheet, ctx: SheetContext, issues: list[Issue]) -> dict[int, int]:
    """Rows (0-based) whose required cell is a formula with no stored value -> that column.

    A book written by a program and never opened in Excel keeps formulas without their
    results, and calamine reads those cells as blank. In a required column the row is
    rejected; elsewhere one warning for the sheet names the first such cell.
    """
    cols = ctx.header.columns
    required = {cols[f]: f for f in REQUIRED_FIELDS.get(ctx.kind, ()) if f in cols}
    used = set(cols.values())
    rows: dict[int, int] = {}
    others = []
    for r, c in sorted(sheet.formula_cells):
        if r <= ctx.header.row:
            continue
        if c in required:
            rows.setdefault(r, c)
        elif c in used:
            others.append((r, c))
    if others:
        r, c = others[0]
        more = f" và {len(others) - 1} ô khác" if len(others) > 1 else ""
        issues.append(_formula_issue(ctx, r + 1, c, "warning",
                                     f"ô này{more} được đọc như ô trống.", first=f"{col_letters(c)}{r + 1}"))
    return rows


def _formula_issue(ctx: SheetContext, row: int, col: int, severity: str, consequence: str, first: str = "") -> Issue:
    where = f" {first}" if first else ""
    label = ctx.header.labels.get(col, "")
    return Issue("formula_without_value", severity,  # type: ignore[arg-type]
                 f"Ô{where} chứa công thức nhưng sổ chưa lưu kết quả của công thức (sổ do phần mềm khác tạo, "
                 f"chưa từng mở bằng Excel); {consequence}",
                 ctx.file, ctx.sheet, row, f"{col_letters(col)} ({label})" if label else col_letters(col),
                 "Mở sổ bằng Excel, nhấn Lưu (Ctrl+S) để Excel lưu kết quả các công thức, rồi chạy lại.")


# --- per-kind recorders ---------------------------------------------------------


def _issue(ctx: SheetContext, row: int, code: str, severity: str, col_field: str | None, message: str,
           suggestion: str = "") -> Issue:
    col = ""
    if col_field and col_field in ctx.header.columns:
        c = ctx.header.columns[col_field]
        col = f"{col_letters(c)} ({ctx.header.labels.get(c, '')})"
    return Issue(code, severity, message, ctx.file, ctx.sheet, row, col, suggestion)  # type: ignore[arg-type]


def _name(row: list[Any], ctx: SheetContext, excel_row: int, issues: list[Issue]) -> str | None:
    raw = cell_text(_cell(row, ctx.header.columns.get("name")))
    if not raw:
        issues.append(_issue(ctx, excel_row, "missing_name", "error", "name",
                             "Dòng có dữ liệu nhưng thiếu họ và tên cán bộ; dòng này không được tính.",
                             "Điền họ và tên cán bộ vào ô này rồi chạy lại."))
        return None
    text, status = legacy.repair(raw)
    if status != "unicode":
        issues.append(_legacy_issue(ctx, excel_row, raw, clean(text), status))
    return clean(text)


def _legacy_issue(ctx: SheetContext, excel_row: int, raw: str, text: str, status: str) -> Issue:
    if status == "suspect":
        return _issue(ctx, excel_row, "legacy_encoding_suspect", "warning", "name",
                      f'Tên "{raw}" có vẻ gõ bằng bảng mã cũ (TCVN3/VNI) nhưng không chuyển đổi chắc chắn được.',
                      "Gõ lại tên bằng Unicode (Times New Roman) rồi chạy lại.")
    enc = "TCVN3 (.VnTime)" if status == "tcvn3" else "VNI"
    return _issue(ctx, excel_row, "legacy_encoding_converted", "info", "name",
                  f'Tên "{raw}" gõ bằng bảng mã {enc}; đã chuyển sang Unicode thành "{text}".',
                  "Nên gõ lại tên bằng Unicode (Times New Roman) trong sổ.")


def _date_issue(ctx: SheetContext, excel_row: int, fld: str, err: str) -> Issue:
    return _issue(ctx, excel_row, f"bad_date_{fld}", "error", fld, err,
                  "Sửa ô này thành ngày theo dạng ngày/tháng/năm (ví dụ 05/08/2020).")


def _date_field(row: list[Any], ctx: SheetContext, excel_row: int, fld: str, issues: list[Issue]):
    value = _cell(row, ctx.header.columns.get(fld))
    parser = dates.parse_submitted if fld == "submitted" else dates.parse_date
    d, err = parser(value, ctx.year_hint)
    if err:
        issues.append(_date_issue(ctx, excel_row, fld, err))
    return d, err


TRIP_TEXT_FIELDS = ("position", "department", "place", "level", "content", "order_no", "note")
TRIP_FIELDS = ("name", "name_key", "start", "end", "days_declared", "submitted") + TRIP_TEXT_FIELDS


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


def _trip_columns(rows: list[list[Any]], ctx: SheetContext, first_row: list[int],
                  issues: list[Issue]) -> tuple[dict[str, list[Any]], list[int]]:
    """Trip records of the data rows, column by column; returns (columns, kept Excel rows).

    Each distinct cell value is parsed once; the per-row loop only picks results and
    writes the same Issues the clerk would get row by row.
    """
    cols, hint = ctx.header.columns, ctx.year_hint
    name_parts = _mapped(_column(rows, cols.get("name")), _name_parts)
    has_start, has_end, has_period = "start" in cols, "end" in cols, "period" in cols
    starts = _mapped(_column(rows, cols.get("start")), lambda v: (is_blank(v), dates.parse_date(v, hint)))
    ends = _mapped(_column(rows, cols.get("end")), lambda v: (is_blank(v), dates.parse_date(v, hint)))
    periods = _mapped(_column(rows, cols.get("period")), lambda v: (is_blank(v), dates.parse_range(v, hint)))
    submitted = _mapped(_column(rows, cols.get("submitted")), lambda v: dates.parse_submitted(v, hint))
    days = _mapped(_column(rows, cols.get("days")), lambda v: (_number(v), is_blank(v), cell_text(v)))
    texts = {f: _mapped(_column(rows, cols.get(f)), cell_text) for f in TRIP_TEXT_FIELDS}
    out: dict[str, list[Any]] = {f: [] for f in TRIP_FIELDS}
    kept: list[int] = []
    for k, excel_row in enumerate(first_row):
        raw, name, status = name_parts[k]
        if not name:
            issues.append(_issue(ctx, excel_row, "missing_name", "error", "name",
                                 "Dòng có dữ liệu nhưng thiếu họ và tên cán bộ; dòng này không được tính.",
                                 "Điền họ và tên cán bộ vào ô này rồi chạy lại."))
            continue
        if status != "unicode":
            issues.append(_legacy_issue(ctx, excel_row, raw, name, status))
        start = end = None
        if has_start and not starts[k][0]:
            start, err = starts[k][1]
            if err:
                issues.append(_date_issue(ctx, excel_row, "start", err))
                continue
            end = start
            if has_end and not ends[k][0]:
                end, err = ends[k][1]
                if err:
                    issues.append(_date_issue(ctx, excel_row, "end", err))
                    continue
        elif has_period and not periods[k][0]:
            start, end, err = periods[k][1]
            if err:
                issues.append(_issue(ctx, excel_row, "bad_date_period", "error", "period", err,
                                     "Ghi thời gian theo dạng 05/08/2020 - 07/08/2020 hoặc tách thành hai cột "
                                     "Từ ngày, Đến ngày."))
                continue
        if start is None:
            issues.append(_issue(ctx, excel_row, "missing_dates", "error", "start" if has_start else "period",
                                 f"Chuyến đi của {name} không có ngày đi; dòng này không được tính.",
                                 "Điền ngày đi và ngày về (ngày/tháng/năm) rồi chạy lại."))
            continue
        filed, err = submitted[k]
        if err:
            issues.append(_date_issue(ctx, excel_row, "submitted", err))
        number, blank, shown = days[k]
        if number is None and not blank:
            issues.append(_issue(ctx, excel_row, "bad_days", "warning", "days",
                                 f'Số ngày "{shown}" không phải là số; dùng số ngày tính từ ngày đi, ngày về.',
                                 "Ghi số ngày bằng chữ số (ví dụ 3)."))
        kept.append(excel_row)
        out["name"].append(name)
        out["start"].append(start)
        out["end"].append(end)
        out["days_declared"].append(float("nan") if number is None else number)
        out["submitted"].append(filed)
        for f in TRIP_TEXT_FIELDS:
            out[f].append(texts[f][k])
        if not out["department"][-1]:
            out["department"][-1] = ctx.department_hint
    out["name_key"] = _mapped(out["name"], names.name_key)
    return out, kept


def _number(v: Any) -> float | None:
    if is_blank(v):
        return None
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    m = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*(ngày)?\s*", str(v), re.I)
    return float(m.group(1).replace(",", ".")) if m else None


def _record_roster(row: list[Any], ctx: SheetContext, excel_row: int, issues: list[Issue]) -> dict[str, Any] | None:
    name = _name(row, ctx, excel_row, issues)
    if name is None:
        return None
    cols = ctx.header.columns
    out: dict[str, Any] = {
        "name": name,
        "name_key": names.name_key(name),
        "position": cell_text(_cell(row, cols.get("position"))),
        "department": cell_text(_cell(row, cols.get("department"))),
        "exempt_reason": cell_text(_cell(row, cols.get("exempt_reason"))),
    }
    for fld in ("service_start", "service_end", "exempt_from", "exempt_to"):
        d, err = _date_field(row, ctx, excel_row, fld, issues)
        if err:
            return None
        out[fld] = d
    if (out["exempt_from"] is None) != (out["exempt_to"] is None):
        issues.append(_issue(ctx, excel_row, "exemption_incomplete", "warning",
                             "exempt_to" if out["exempt_to"] is None else "exempt_from",
                             f"Thời gian miễn đi cơ sở của {name} thiếu ngày bắt đầu hoặc ngày kết thúc; chưa áp dụng miễn.",
                             "Điền đủ cả hai ô Miễn từ ngày và Miễn đến ngày."))
        out["exempt_from"] = out["exempt_to"] = None
    return out


def _record_registration(row: list[Any], ctx: SheetContext, excel_row: int, issues: list[Issue]) -> dict[str, Any] | None:
    name = _name(row, ctx, excel_row, issues)
    if name is None:
        return None
    cols = ctx.header.columns
    raw_q = _cell(row, cols.get("quarter"))
    q = parse_quarter(raw_q) if "quarter" in cols and not is_blank(raw_q) else ctx.quarter_hint
    year = (q[1] if q else None) or ctx.year_hint or (ctx.quarter_hint[1] if ctx.quarter_hint else None)
    if not q or q[0] not in (1, 2, 3, 4) or year is None:
        shown = cell_text(raw_q)
        quoted = f' từ "{shown}"' if shown else ""
        issues.append(_issue(ctx, excel_row, "bad_quarter", "error", "quarter",
                             f"Không xác định được quý đăng ký{quoted} của {name}; dòng này không được tính.",
                             "Ghi quý bằng số La Mã hoặc số (ví dụ II hoặc 2) và ghi năm ở tiêu đề sổ."))
        return None
    planned = _number(_cell(row, cols.get("planned_days")))
    return {
        "name": name,
        "name_key": names.name_key(name),
        "department": cell_text(_cell(row, cols.get("department"))) or ctx.department_hint,
        "year": int(year),
        "quarter": int(q[0]),
        "planned_days": float("nan") if planned is None else planned,
        "place": cell_text(_cell(row, cols.get("planned_place"))),
        "content": cell_text(_cell(row, cols.get("planned_content"))),
    }


def _record_alias(row: list[Any], ctx: SheetContext, excel_row: int, issues: list[Issue]) -> dict[str, Any] | None:
    cols = ctx.header.columns
    variant = cell_text(_cell(row, cols.get("alias_from")))
    target = cell_text(_cell(row, cols.get("alias_to")))
    if not variant or not target:
        issues.append(_issue(ctx, excel_row, "bad_alias", "error", "alias_to" if variant else "alias_from",
                             "Dòng ánh xạ tên thiếu tên trong sổ hoặc tên đúng theo danh sách; dòng này không được dùng.",
                             "Điền cả hai cột: tên như đã ghi trong sổ và tên đúng như trong danh sách cán bộ."))
        return None
    return {"variant": variant, "variant_key": names.name_key(variant), "target": target}


_RECORDERS = {
    ROSTER: _record_roster,
    REGISTRATION: _record_registration,
    ALIASES: _record_alias,
}
