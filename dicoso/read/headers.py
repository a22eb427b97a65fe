"""Recognise header rows and classify sheets by what their headers say.

All header aliases live in FIELD_ALIASES: one field, a list of patterns matched against
the normalised header text (lower case, NFC, single spaces, no line breaks, no
punctuation at the ends). Add a variant by adding a pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..text.clean import lower
from ..text.legacy import could_be_legacy, repair_text

# field -> patterns (full match on normalised text)
FIELD_ALIASES: dict[str, list[str]] = {
    "stt": [r"stt", r"tt", r"số tt", r"số thứ tự"],
    "name": [
        r"họ (và )?tên",
        r"họ (và )?tên (cán bộ|đồng chí|cb)",
        r"tên cán bộ",
        r"cán bộ",
        r"họ tên cán bộ đi cơ sở",
    ],
    # a name over two columns, read as the two joined (read/split_names.py)
    "surname": [r"họ", r"họ,? (và )?(tên|chữ) (đệm|lót)", r"họ (và )?(đệm|lót)"],
    "given_name": [r"tên"],
    "position": [r"chức vụ", r"chức danh"],
    "department": [r"ban", r"đơn vị", r"ban/đơn vị", r"ban, đơn vị", r"ban chuyên môn", r"đơn vị công tác", r"phòng ban"],
    "start": [r"từ ngày", r"từ", r"ngày đi", r"đi ngày", r"ngày bắt đầu đi", r"thời gian bắt đầu", r"bắt đầu",
              r"từ ngày[/, ]+tháng[/, ]+năm"],
    "end": [r"đến ngày", r"đến", r"ngày về", r"về ngày", r"ngày trở về", r"ngày kết thúc", r"thời gian kết thúc",
            r"kết thúc", r"đến ngày[/, ]+tháng[/, ]+năm"],
    "period": [
        r"thời gian",
        r"thời gian (đi cơ sở|đi công tác|đi công tác cơ sở|công tác)",
        r"ngày đi cơ sở",
    ],
    # a summary sheet's total beside its month or quarter columns ("Quý I" … "Quý IV" | "Cả năm",
    # "Tháng 7" … "Tháng 9" | "Cộng", under a merged "Số ngày đi cơ sở" or not): the column compared
    "days": [r"số ngày", r"số ngày (đi cơ sở|thực hiện|công tác|thực tế)", r"tổng số ngày", r"cả năm",
             r"tổng", r"tổng cộng", r"cộng", r"(cộng )?(lũy|luỹ) kế", r"tổng (cả năm|cộng cả năm)"],
    "place": [
        r"địa bàn",
        r"địa bàn (đến|đi cơ sở|công tác)",
        r"đơn vị đến",
        r"nơi đến",
        r"địa bàn/đơn vị đến",
        r"địa bàn, đơn vị đến",
        r"địa điểm",
        r"cơ sở đến",
        r"nơi công tác",
    ],
    "level": [r"cấp", r"cấp cơ sở", r"cấp đến"],
    "content": [r"nội dung", r"nội dung (công tác|đi cơ sở|làm việc|hoạt động)"],
    "order_no": [r"số công lệnh", r"công lệnh", r"số quyết định( cử đi)?", r"số qđ", r"số cl"],
    "submitted": [
        r"ngày nộp (báo cáo|bc)",
        r"ngày nộp",
        r"nộp báo cáo",
        r"ngày báo cáo",
        r"ngày nộp báo cáo kết quả",
        r"nộp báo cáo ngày",
        r"ngày gửi (báo cáo|bc)",
        r"ngày (nộp|gửi) (báo cáo|bc) .*",  # "Ngày nộp báo cáo (sau 10 ngày)"
    ],
    "note": [r"ghi chú"],
    # roster
    "service_start": [r"ngày bắt đầu công tác", r"ngày bắt đầu", r"bắt đầu công tác", r"ngày vào cơ quan", r"ngày nhận công tác"],
    "service_end": [r"ngày thôi công tác", r"thôi công tác", r"ngày thôi việc", r"ngày nghỉ việc", r"ngày chuyển công tác"],
    "exempt_from": [r"miễn đi cơ sở từ ngày", r"miễn từ ngày", r"miễn từ", r"miễn đi cơ sở từ"],
    "exempt_to": [r"miễn đến ngày", r"miễn đi cơ sở đến ngày", r"miễn đến"],
    "exempt_reason": [r"lý do miễn", r"lí do miễn", r"lý do", r"lí do", r"lý do miễn đi cơ sở"],
    # registration
    "quarter": [r"quý", r"quý đăng ký"],
    "planned_days": [r"số ngày đăng ký", r"số ngày dự kiến", r"ngày đăng ký", r"số ngày đăng kí"],
    "planned_place": [r"địa bàn dự kiến", r"nơi đến dự kiến", r"địa bàn đăng ký", r"đơn vị dự kiến đến"],
    "planned_content": [r"nội dung dự kiến", r"nội dung đăng ký"],
    # aliases: the office maps a name variant typed in a book to a roster name
    "alias_from": [r"tên (trong sổ|đã ghi|ghi trong sổ|viết sai|cần sửa|khác)", r"biến thể"],
    "alias_to": [r"tên (đúng|chuẩn)( theo danh sách| trong danh sách)?", r"tên (theo|trong) danh sách"],
}

# Two-row headers: a parent cell (merged across) gives the meaning of the cells below it:
# (parent pattern, remapped child fields, the only fields a child may mean (None: any)).
# Under "Báo cáo" a "Nội dung" is the report's, not the trip's: only the date filed and a note.
PARENT_RULES: list[tuple[str, dict[str, str], frozenset[str] | None]] = [
    (r"miễn.*", {"start": "exempt_from", "end": "exempt_to", "period": "exempt_from", "service_start": "exempt_from",
                 "service_end": "exempt_to"}, None),
    (r"thời gian( .*)?", {"service_start": "start", "service_end": "end"}, None),
    (r"(nộp )?báo cáo( kết quả)?", {}, frozenset({"submitted", "note"})),
]

_COMPILED = {f: [re.compile(p) for p in pats] for f, pats in FIELD_ALIASES.items()}
_PARENTS = [(re.compile(p), m, only) for p, m, only in PARENT_RULES]

# A header that means a trip's date in a register and a date of service in a roster: read by
# what else the header names; with nothing else to tell, the sheet is not read (Header.ambiguous).
BOTH_WAYS = {"ngày bắt đầu": ("start", "service_start"), "ngày kết thúc": ("end", "service_end")}
TRIP_SIGNS = frozenset({"start", "end", "period", "place", "level", "content", "order_no", "submitted", "days"})
ROSTER_SIGNS = frozenset({"service_start", "service_end", "exempt_from", "exempt_to", "exempt_reason"})

DATA_FIELDS = ("start", "end", "period", "service_start", "service_end", "exempt_from", "exempt_to", "quarter",
               "planned_days")

# Sheet kinds. NAME_MAP: the office's name-mapping sheet (a name as typed -> the roster name).
TRIP, ROSTER, REGISTRATION, NAME_MAP = "trips", "roster", "registration", "aliases"
# A Ban's per-cadre summary ("Tổng hợp": names and day totals, no dates): not counted,
# cross-checked against the days counted from the Ban's trips (rules/ban_totals.py).
SUMMARY = "summary"
TRIP_ONLY_FIELDS = {"place", "level", "content", "order_no", "submitted"}


def norm_header(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _norm_text(value)
    return _norm_text(str(value))


@lru_cache(maxsize=65536)
def _norm_text(value: str) -> str:
    """Header words as matched: lower case, brackets as spaces, no punctuation at the ends; a
    header, total or footer cell typed in a legacy font in a Unicode sheet read as Unicode."""
    if not value.isascii() and could_be_legacy(value):
        value = repair_text(value)[0]
    return " ".join(lower(value).replace("(", " ").replace(")", " ").split()).strip(" :.*-–")


@lru_cache(maxsize=65536)
def match_field(text: str) -> str | None:
    if not text:
        return None
    for fld, pats in _COMPILED.items():
        for pat in pats:
            if pat.fullmatch(text):
                return fld
    return None


@dataclass(frozen=True, slots=True)
class Header:
    row: int  # 0-based index of the last header row (data starts below)
    first_row: int  # 0-based index of the first header row
    columns: dict[str, int]  # field -> 0-based column index
    labels: dict[int, str]  # column index -> header text as shown (for messages)
    duplicated: tuple[str, ...] = ()  # fields named by more than one column
    date_columns: tuple[int, ...] = ()  # columns whose content makes a row a data row (DATA_FIELDS)
    ambiguous: tuple[int, ...] = ()  # columns of BOTH_WAYS the rest of the header does not settle


def _fill_merged_across(rows: list[list[Any]], merges: list[tuple[int, int, int, int]], r: int) -> list[Any]:
    """Header row r with horizontally merged cells spread over their columns."""
    row = list(rows[r]) if r < len(rows) else []
    for r0, c0, r1, c1 in merges:
        if r0 <= r <= r1 and c1 > c0 or (r0 < r <= r1):
            top = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else ""
            while len(row) <= c1:
                row.append("")
            for c in range(c0, c1 + 1):
                if not str(row[c]).strip():
                    row[c] = top
    return row


def _fields_of(texts: list[str]) -> dict[int, str]:
    found = {}
    for c, t in enumerate(texts):
        f = match_field(t)
        if f:
            found[c] = f
    return found


def find_header(rows: list[list[Any]], merges: list[tuple[int, int, int, int]], search_rows: int = 30) -> Header | None:
    """The first row (under any title rows) that names a person column and at least
    one other known column; a second row below it is merged in when it names the parts of
    the cells above ("Thời gian" over "Từ ngày" | "Đến ngày", "Ngày" over "Đi" | "Về"). A row
    above it whose cells merged across stand over its own is the parent row instead."""
    for r in range(min(len(rows), search_rows)):
        top = [norm_header(v) for v in _fill_merged_across(rows, merges, r)]
        top_fields = _fields_of(top)
        if not (has_name(set(top_fields.values())) or "alias_from" in top_fields.values()) or len(top_fields) < 2:
            continue
        spread = _spread(merges, r)
        if r + 1 < len(rows):
            below = [norm_header(v) for v in _fill_merged_across(rows, merges, r + 1)]
            names = {c for c, f in top_fields.items() if f in ("name", "alias_from", "surname", "given_name")}
            if _is_subheader(top, below, spread, names):
                return _resolve(r, [top, below], spread)
        alone = _resolve(r, [top], spread)
        return _under_parents(rows, merges, r, top, alone) or alone
    return None


def _under_parents(rows: list[list[Any]], merges: list[tuple[int, int, int, int]], r: int,
                   top: list[str], alone: Header) -> Header | None:
    """Header row r read under the row above when that row holds parents merged across a few of
    its columns ("Ngày" over "Đi" | "Về", "STT" and "Họ và tên" typed in the lower row) and
    they tell more fields than row r alone; a title merged across the whole table is no parent."""
    spread = _spread(merges, r - 1) if r > 0 else {}
    used = [c for c, t in enumerate(top) if t]
    if not spread or any(c0 <= used[0] and used[-1] <= c1 for c0, c1 in spread.values()):
        return None
    above = [norm_header(v) for v in _fill_merged_across(rows, merges, r - 1)]
    if not _is_subheader(above, top, spread, set()):
        return None
    header = _resolve(r - 1, [above, top], spread)
    return header if len(header.columns) > len(alone.columns) else None


def _spread(merges: list[tuple[int, int, int, int]], r: int) -> dict[int, tuple[int, int]]:
    """Columns of row r under a cell merged across several columns of that row only -> its span."""
    return {c: (c0, c1) for r0, c0, r1, c1 in merges if r0 <= r == r1 and c1 > c0 for c in range(c0, c1 + 1)}


def _is_subheader(top: list[str], below: list[str], spread: dict[int, tuple[int, int]], names: set[int]) -> bool:
    """The row below names parts of the header: each of its words is a header word alone or with
    the cell above it, repeats a vertically merged cell, or stands under a cell merged across (a
    word, not a number or a date); never a name under "Họ và tên" (that is a trip row)."""
    new = False
    for c, text in enumerate(below):
        parent = top[c] if c < len(top) else ""
        if not text or text == parent:
            continue
        if c in names and c not in spread:
            return False
        if child_field(parent, text) is None and not (c in spread and not any(ch.isdigit() for ch in text)):
            return False
        new = True
    return new


def child_field(parent: str, child: str) -> str | None:
    """The field of a lower header cell under `parent`: its own words, as the parent reads
    them ("Miễn" over "Từ ngày"), else the two read together ("Ngày" + "Đi", "Số" + "Công lệnh")."""
    field = match_field(child)
    only: frozenset[str] | None = None
    for pat, remap, allowed in _PARENTS:
        if parent and pat.fullmatch(parent):
            field, only = remap.get(field, field) if field else None, allowed
            break
    if field is None and parent:
        field = match_field(f"{parent} {child}") or match_field(f"{child} {parent}")
    return field if only is None or field in only else None


def _resolve(r: int, header_rows: list[list[str]], spread: dict[int, tuple[int, int]] | None = None) -> Header:
    top = header_rows[0]
    sub = header_rows[1] if len(header_rows) > 1 else []
    width = max(len(top), len(sub))
    # a parent merged over parts named below: a part left blank under it is not the parent
    named = {span for c, span in (spread or {}).items() if c < len(sub) and sub[c] and sub[c] != top[c]}
    columns: dict[str, int] = {}
    labels: dict[int, str] = {}
    duplicated: list[str] = []
    pending: dict[int, str] = {}
    for c in range(width):
        parent = top[c] if c < len(top) else ""
        child = sub[c] if c < len(sub) else ""
        field = None
        if child and child != parent:
            field = child_field(parent, child)
            label = f"{parent} / {child}" if parent else child
        else:
            field = None if (spread or {}).get(c) in named else match_field(parent)
            label = parent
        if not label:
            continue
        labels[c] = label
        own = child if child and child != parent else parent
        if own in BOTH_WAYS and field in BOTH_WAYS[own]:
            pending[c] = own
        elif field is not None:
            _place(columns, duplicated, field, c)
    trip, roster = bool(columns.keys() & TRIP_SIGNS), bool(columns.keys() & ROSTER_SIGNS)
    for c, own in pending.items() if trip != roster else ():
        _place(columns, duplicated, BOTH_WAYS[own][0 if trip else 1], c)
    return Header(
        row=r + len(header_rows) - 1,
        first_row=r,
        columns=columns,
        labels=labels,
        duplicated=tuple(dict.fromkeys(duplicated)),
        date_columns=tuple(columns[f] for f in DATA_FIELDS if f in columns),
        ambiguous=tuple(pending) if pending and trip == roster else (),
    )


def _place(columns: dict[str, int], duplicated: list[str], field: str, c: int) -> None:
    if field in columns:
        duplicated.append(field)
    else:
        columns[field] = c


def has_name(fields: set[str] | Any) -> bool:
    """A column of names, or a name over two columns ("Họ và tên đệm" | "Tên")."""
    return "name" in fields or {"surname", "given_name"} <= set(fields)


def classify(header: Header) -> str | None:
    """trips, roster, registration, aliases, summary, or None (unknown)."""
    cols = header.columns
    if {"alias_from", "alias_to"} <= cols.keys():
        return NAME_MAP
    if not has_name(cols.keys()):
        return None
    has_trip_dates = "start" in cols or "period" in cols or "end" in cols
    roster_cols = {"service_start", "service_end", "exempt_from", "exempt_to", "exempt_reason"}
    if roster_cols & cols.keys():
        return ROSTER
    if not has_trip_dates and ({"quarter", "planned_days", "planned_place", "planned_content"} & cols.keys()):
        return REGISTRATION
    if has_trip_dates:
        return TRIP
    if {"position", "department"} <= cols.keys() and not ({"days", "place", "content"} & cols.keys()):
        return ROSTER
    if "days" in cols and not (TRIP_ONLY_FIELDS & cols.keys()):
        return SUMMARY
    return None


def names_repeat(rows: list[list[Any]], header: Header) -> bool:
    """A name written on two rows under the header: a register (one row per trip), not a
    summary (one row per cadre), whatever its header says."""
    col = header.columns.get("name")
    seen: set[str] = set()
    for row in rows[header.row + 1:]:
        key = norm_header(row[col]) if col is not None and col < len(row) else ""
        if key and not key.startswith(("tổng", "cộng")):
            if key in seen:
                return True
            seen.add(key)
    return False


REQUIRED = {
    TRIP: [("name",), ("start", "period")],
    ROSTER: [("name",)],
    REGISTRATION: [("name",)],
}

FIELD_LABELS_VI = {
    "name": "Họ và tên",
    "start": "Từ ngày",
    "end": "Đến ngày",
    "period": "Thời gian",
    "quarter": "Quý",
}
