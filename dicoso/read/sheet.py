"""Turn one raw sheet into normalised rows, problems and an account of every row.

Below the header every row ends up in exactly one place: a record (trip, roster
line, registration), a rejected row (with an Issue), or a skipped non-data row
(blank, total, column-number, repeated header, month heading, note, signature/footer)
counted by reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from ..model import FileAccount, Issue
from ..text.clean import cell_text, is_blank
from ..text.excel import col_letters
from .book import RawSheet
from .context import SheetContext, cell, row_about, row_ranges
from .headers import NAME_MAP, REGISTRATION, ROSTER, SUMMARY, TRIP, Header, match_field, norm_header
from .records import RECORDERS
from .trip_rows import trip_columns

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
COLUMN_NUMBER_RE = re.compile(r"\(?\d{1,2}\)?|[a-z]")
# Rows of one text inside the table (a name cell blank or holding that text, no other cell but a
# section number in STT or a sub-total's figures): a month or quarter heading, a note.
SECTION_MARK_RE = re.compile(r"[ivxlc]+|\d{1,2}|[a-zđ]")
HEADING_RE = re.compile(r"^((phần|mục)\s+)?(([ivxlc]+|\d{1,2}|[a-z])[.)]?\s+)?(tháng|quý|đợt|năm|học kỳ)\s+[\divxlc]")
NOTE_RE = re.compile(r"^[*+-]?\s*(ghi chú|lưu ý|chú ý|chú thích)\b")


@dataclass
class SheetResult:
    records: list[dict[str, Any]] = field(default_factory=list)  # roster, registration, alias rows
    columns: dict[str, list[Any]] | None = None  # trip sheets: TRIP_COLUMNS as lists
    issues: list[Issue] = field(default_factory=list)
    account: FileAccount | None = None


def _key_text(v: Any) -> str:
    """Normalised text of an STT/name cell (hot path: most cells are plain strings)."""
    if v.__class__ is str:
        return norm_header(v)
    return "" if v is None else norm_header(cell_text(v))


@lru_cache(maxsize=1 << 16)
def _name_cell_kind(name: str | int | float) -> str | None:
    """What the name cell of a row with dates says: a total, a repeated header, column numbers,
    a signature block ("Người lập biểu")."""
    text = _key_text(name)
    if not text:
        return None
    if TOTAL_RE.match(text):
        return "total"
    if match_field(text) == "name":
        return "repeated_header"
    if COLUMN_NUMBER_RE.fullmatch(text):
        return "column_numbers"
    if FOOTER_STRONG_RE.search(text):
        return "footer"
    return None


def _row_kind(row: list[Any], header: Header, in_footer: bool) -> str | None:
    """Why a row is not data (skip reason), or None for a data row.

    Fast path first: a row with something in its date columns is data unless its
    STT/name cells say it is a total, a repeated header or a column-number row, or it
    is part of a signature block merged across the date columns (no name, and footer
    words or, under a footer, words without a date).
    """
    if _has_date_cells(row, header):
        stt = cell(row, header.columns.get("stt"))
        if stt.__class__ is str and TOTAL_RE.match(norm_header(stt)):
            return "total"
        name = cell(row, header.columns.get("name"))
        kind = _name_cell_kind(name) if name.__class__ in (str, int, float) else None
        if kind or not (in_footer or is_blank(name)):
            return kind
        texts_at = [(c, norm_header(cell_text(v))) for c, v in enumerate(row) if not is_blank(v)]
        if (in_footer and not _dated(row, header)) or _footer_words(texts_at, header):
            return "footer"
        return _section_row(row, header)
    if all(is_blank(v) for v in row):
        return "blank"
    stt_t, name_t = (norm_header(cell_text(cell(row, header.columns.get(f)))) for f in ("stt", "name"))
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
    section = _section_row(row, header)
    if section:
        return section
    stt = cell(row, header.columns.get("stt"))
    if in_footer and not isinstance(stt, (int, float)):
        return "footer"
    return "footer" if _footer_words(texts_at, header) else None


def _section_row(row: list[Any], header: Header) -> str | None:
    """A row of one text inside the table: "heading" ("Tháng 5", "THÁNG 6/2020", "II. QUÝ III", a
    section number in STT beside it), "note" ("Ghi chú: …", "Lưu ý: …") or a sub-total typed
    anywhere ("Cộng tháng 5" with its figures); None when the row holds anything else (a name,
    a date, a second text): that row is data and its problems are said."""
    stt_col, name_col = header.columns.get("stt"), header.columns.get("name")
    texts, figures = [], 0
    for c, v in enumerate(row):
        if is_blank(v):
            continue
        text = norm_header(cell_text(v))
        if c == stt_col and SECTION_MARK_RE.fullmatch(text):
            continue
        if isinstance(v, (int, float)) or text.replace(".", "").replace(",", "").isdigit():
            figures += 1
        else:
            texts.append((c, text))
    if len(texts) != 1:
        return None
    c, text = texts[0]
    if TOTAL_RE.match(text):
        return "total"
    if figures or (c == name_col and not (HEADING_RE.match(text) or NOTE_RE.match(text))):
        return None
    return "heading" if HEADING_RE.match(text) else "note" if NOTE_RE.match(text) else None


def _footer_words(texts_at: list[tuple[int, str]], header: Header) -> bool:
    """Signature-block words: strong ones anywhere, a signer's title outside the columns where
    it is data ("Trưởng ban" is also a position typed in a trip row)."""
    data_cols = {header.columns[f] for f in ("position", "department", "content", "note", "place") if f in header.columns}
    return any(FOOTER_STRONG_RE.search(t) for _, t in texts_at) or any(
        FOOTER_WEAK_RE.match(t) for c, t in texts_at if c not in data_cols)


def _dated(row: list[Any], header: Header) -> bool:
    """Some date cell holds a date, a number or a text with a digit (a signer's name has none)."""
    for c in header.date_columns:
        v = row[c] if c < len(row) else None
        if not is_blank(v) and not (isinstance(v, str) and not any(ch.isdigit() for ch in v)):
            return True
    return False


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
    res = SheetResult(account=FileAccount(file=ctx.file, sheet=ctx.sheet, kind=ctx.kind,
                                          fields=tuple(sorted(ctx.header.columns))))
    acc = res.account
    assert acc is not None
    rows = fill_identity(sheet, ctx.header)
    unstored = _unstored_formulas(sheet, ctx, res.issues) if sheet.formula_cells else {}
    in_footer = False
    data_rows: list[int] = []
    hidden, hidden_data = sheet.hidden_rows, []
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
        if hidden and idx in hidden:
            hidden_data.append(idx + 1)
        if ctx.kind == TRIP:
            data_rows.append(idx)
            continue
        excel_row = idx + 1
        before = len(res.issues)
        record = RECORDERS[ctx.kind](row, ctx, excel_row, res.issues)
        if record is None:
            acc.rows_rejected += 1
            assert len(res.issues) > before, "a rejected row must carry an Issue"
            continue
        record.update(file=ctx.file, sheet=ctx.sheet, row=excel_row)
        res.records.append(record)
    if hidden_data:
        res.issues.append(_hidden_rows_issue(ctx, hidden_data))
    if ctx.kind == TRIP:
        columns, kept = trip_columns([rows[i] for i in data_rows], ctx, [i + 1 for i in data_rows], res.issues)
        acc.rows_rejected += len(data_rows) - len(kept)
        columns.update(file=[ctx.file] * len(kept), sheet=[ctx.sheet] * len(kept), row=kept)
        res.columns = columns
    res.issues = [i if i.about or not i.row or i.row > len(rows) else replace(i, about=row_about(rows[i.row - 1], ctx.header))
                  for i in res.issues]
    return res


def _hidden_rows_issue(ctx: SheetContext, rows: list[int]) -> Issue:
    """Rows the clerk cannot see (hidden by hand or filtered out) that are read all the same."""
    used = "vẫn được tính" if ctx.kind == TRIP else "vẫn được đọc"
    return Issue(
        "hidden_rows_counted", "warning",
        f"Trang có {len(rows)} dòng đang bị ẩn hoặc bị bộ lọc che khuất nhưng {used}: dòng {row_ranges(rows)}.",
        ctx.file, ctx.sheet, rows[0], "",
        "Mở trang này, bỏ lọc (thẻ Dữ liệu → Xóa bộ lọc) và bỏ ẩn dòng (chọn cả trang, chuột phải vào số dòng → "
        "Bỏ ẩn) để xem các dòng đó. Nếu dòng nào không phải chuyến đi thật (dòng cũ, dòng nháp), xóa hẳn dòng đó "
        "rồi chạy lại; nếu đúng là chuyến đi, không cần sửa.",
    )


REQUIRED_FIELDS = {TRIP: ("name", "start", "end", "period"), ROSTER: ("name",), REGISTRATION: ("name", "quarter"),
                   NAME_MAP: ("alias_from", "alias_to"), SUMMARY: ("name", "days")}


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
