"""Rule sets: YAML data in `rules/*.yaml`, validated on load, picked by period.

A rule set is what a province's plan (kế hoạch) says: the counting period of each
year, the yearly quota, proration, full exemptions, the report deadline, quarterly
registration, optional quotas per level, positions that must go every month and
the kinds of content that count. The engine (`dicoso.engine`) applies it.

Every problem in a file raises `RuleSetError` with a Vietnamese message naming the
file, the key and what was expected; nothing runs on a bad rule set.

YAML keys (the shipped files in `rules/` carry a comment on every key):

    schema: 1                         required
    name: str                         required, shown in reports
    province: str                         required
    source: str                       optional, the plan's number ("167-KH/TĐTN-XDĐ")
    periods: [{start: date, end: date}, ...]   one counting period per year
      | years: {first: int, last: int}         calendar years first..last
    quota_days: int > 0               yearly minimum, days
    day_counting: calendar_inclusive  (the only mode: calendar days, both ends included)
    proration: eligible_days_ceil | none
    full_exemptions: [{reasons: [str], min_days: int, min_months: int}, ...]
    report_deadline_days: int >= 0 | null   (null = no report rule)
    registration_quarters: [1..4]     quarters in which every eligible cadre registers
    levels: {source: column | place | column_then_place,
             items: [{key, label, quota, column: [str], place: [str]}, ...]}
    monthly_positions: [str]          positions that must go every month
    content: {kinds: [{label, match: [str]}], unmatched: count | note | exclude}
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from dicoso.errors import RuleSetError
from dicoso.model import Period
from dicoso.paths import shown as display_path
from dicoso.text.vn import dmy

DAY_COUNTING = ("calendar_inclusive",)
PRORATION = ("eligible_days_ceil", "none")
LEVEL_SOURCES = ("column", "place", "column_then_place")
CONTENT_UNMATCHED = ("count", "note", "exclude")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class FullExemption:
    """An exemption range whose reason matches `reasons` (any, when empty) and whose
    length is at least `min_days` / `min_months` exempts the cadre for the whole year."""

    reasons: tuple[str, ...] = ()
    min_days: int | None = None
    min_months: int | None = None


@dataclass(frozen=True, slots=True)
class Level:
    """A level of the grassroots (chi đoàn, xã, huyện …) with its own yearly quota."""

    key: str
    label: str
    quota: int
    column: tuple[str, ...] = ()  # values of the "Cấp" column meaning this level
    place: tuple[str, ...] = ()  # leading words of the destination ("Đoàn xã …")


@dataclass(frozen=True, slots=True)
class ContentKind:
    label: str
    match: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleSet:
    name: str
    province: str
    path: str  # as shown to the clerk (paths.shown: relative to the project when inside it)
    sha256: str  # of the file bytes
    periods: tuple[tuple[date, date], ...]  # one (start, end) per year, sorted
    quota_days: int
    proration: str = "eligible_days_ceil"
    day_counting: str = "calendar_inclusive"
    full_exemptions: tuple[FullExemption, ...] = ()
    report_deadline_days: int | None = 10
    registration_quarters: tuple[int, ...] = ()
    level_source: str = "column_then_place"
    levels: tuple[Level, ...] = ()
    monthly_positions: tuple[str, ...] = ()
    content_kinds: tuple[ContentKind, ...] = ()
    content_unmatched: str = "count"
    source: str = ""

    def period_for_year(self, year: int) -> Period | None:
        """The counting period of `year` (kind "year", label "2020"), or None."""
        for start, end in self.periods:
            if start.year == year:
                return Period(start, end, "year", str(year))
        return None

    @property
    def first_day(self) -> date:
        return self.periods[0][0]

    @property
    def last_day(self) -> date:
        return self.periods[-1][1]


# --- loading -----------------------------------------------------------------


def _shown(value: Any) -> str:
    if value is None:
        return "để trống"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "danh sách [" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, dict):
        return "bảng {" + ", ".join(str(k) for k in value) + "}"
    return str(value)


class _Checker:
    """Reads one parsed YAML document, raising RuleSetError on the first bad key."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, key: str, expected: str, value: Any) -> RuleSetError:
        return RuleSetError(f'{self.file}: khoá "{key}" {expected}, đang là {_shown(value)}.')

    def mapping(self, value: Any, key: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> dict:
        where = f'khoá "{key}"' if key else "tệp"
        if not isinstance(value, dict):
            raise RuleSetError(f"{self.file}: {where} phải là một bảng (các cặp khoá: giá trị), đang là {_shown(value)}.")
        for k in value:
            if k not in allowed:
                full = f"{key}.{k}" if key else str(k)
                inside = f' trong "{key}"' if key else ""
                raise RuleSetError(
                    f'{self.file}: khoá "{full}" không được hỗ trợ. Các khoá hợp lệ{inside}: {", ".join(allowed)}.'
                )
        for k in required:
            if k not in value:
                full = f"{key}.{k}" if key else k
                raise RuleSetError(f'{self.file}: thiếu khoá "{full}" (bắt buộc).')
        return value

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "phải là một chuỗi chữ không rỗng", value)
        return value.strip()

    def texts(self, value: Any, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(key, "phải là một danh sách chuỗi chữ", value)
        return tuple(self.text(v, f"{key}[{i}]") for i, v in enumerate(value))

    def integer(self, value: Any, key: str, minimum: int, maximum: int | None = None) -> int:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= minimum
        if ok and maximum is not None:
            ok = value <= maximum
        if not ok:
            span = f"từ {minimum} đến {maximum}" if maximum is not None else (
                "dương" if minimum == 1 else f"không nhỏ hơn {minimum}")
            raise self.fail(key, f"phải là số nguyên {span}", value)
        return value

    def day(self, value: Any, key: str) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(key, "phải là một ngày dạng YYYY-MM-DD (ví dụ 2020-03-01)", value)

    def choice(self, value: Any, key: str, options: tuple[str, ...]) -> str:
        if value not in options:
            raise self.fail(key, "phải là một trong: " + ", ".join(options), value)
        return value


_TOP = ("schema", "name", "province", "source", "periods", "years", "quota_days", "day_counting",
        "proration", "full_exemptions", "report_deadline_days", "registration_quarters", "levels",
        "monthly_positions", "content")


def _periods(c: _Checker, doc: dict) -> tuple[tuple[date, date], ...]:
    if ("periods" in doc) == ("years" in doc):
        raise RuleSetError(f'{c.file}: cần đúng một trong hai khoá "periods" (danh sách kỳ tính) '
                           'hoặc "years" (các năm dương lịch).')
    out: list[tuple[date, date]] = []
    if "years" in doc:
        y = c.mapping(doc["years"], "years", ("first", "last"), ("first", "last"))
        first = c.integer(y["first"], "years.first", 2000, 2100)
        last = c.integer(y["last"], "years.last", first, 2100)
        out = [(date(n, 1, 1), date(n, 12, 31)) for n in range(first, last + 1)]
    else:
        items = doc["periods"]
        if not isinstance(items, list) or not items:
            raise c.fail("periods", "phải là danh sách không rỗng các kỳ {start, end}", items)
        for i, item in enumerate(items):
            key = f"periods[{i}]"
            c.mapping(item, key, ("start", "end"), ("start", "end"))
            start, end = c.day(item["start"], f"{key}.start"), c.day(item["end"], f"{key}.end")
            if end < start:
                raise c.fail(f"{key}.end", f"phải không trước ngày bắt đầu {start.isoformat()}", end.isoformat())
            if end.year != start.year:
                raise c.fail(f"{key}.end", f"phải cùng năm với ngày bắt đầu ({start.year}): mỗi kỳ tính "
                             "nằm trong một năm", end.isoformat())
            out.append((start, end))
    out.sort()
    years = [s.year for s, _ in out]
    if len(set(years)) != len(years):
        raise c.fail("periods", "phải có tối đa một kỳ tính cho mỗi năm", [s.isoformat() for s, _ in out])
    return tuple(out)


def _full_exemptions(c: _Checker, value: Any) -> tuple[FullExemption, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise c.fail("full_exemptions", "phải là danh sách các mục {reasons, min_days | min_months}", value)
    out = []
    for i, item in enumerate(value):
        key = f"full_exemptions[{i}]"
        c.mapping(item, key, ("reasons", "min_days", "min_months"), ())
        reasons = c.texts(item.get("reasons"), f"{key}.reasons")
        min_days = c.integer(item["min_days"], f"{key}.min_days", 1) if "min_days" in item else None
        min_months = c.integer(item["min_months"], f"{key}.min_months", 1) if "min_months" in item else None
        if min_days is not None and min_months is not None:
            raise c.fail(key, 'chỉ được có một trong "min_days" hoặc "min_months"', item)
        if not reasons and min_days is None and min_months is None:
            raise c.fail(key, 'phải có "reasons" và/hoặc "min_days"/"min_months"', item)
        out.append(FullExemption(reasons, min_days, min_months))
    return tuple(out)


def _levels(c: _Checker, value: Any, quota: int) -> tuple[str, tuple[Level, ...]]:
    if value is None:
        return "column_then_place", ()
    c.mapping(value, "levels", ("source", "items"), ("items",))
    source = c.choice(value.get("source", "column_then_place"), "levels.source", LEVEL_SOURCES)
    items = value["items"]
    if not isinstance(items, list) or not items:
        raise c.fail("levels.items", "phải là danh sách không rỗng các cấp {key, label, quota, column, place}", items)
    out: list[Level] = []
    for i, item in enumerate(items):
        key = f"levels.items[{i}]"
        c.mapping(item, key, ("key", "label", "quota", "column", "place"), ("key", "label", "quota"))
        lkey = c.text(item["key"], f"{key}.key")
        if not _KEY_RE.match(lkey):
            raise c.fail(f"{key}.key", "phải viết thường, không dấu, nối bằng dấu gạch dưới (ví dụ chi_doan)", lkey)
        if any(lv.key == lkey for lv in out):
            raise c.fail(f"{key}.key", "không được trùng với cấp khác", lkey)
        column, place = c.texts(item.get("column"), f"{key}.column"), c.texts(item.get("place"), f"{key}.place")
        if not column and not place:
            raise c.fail(key, 'phải có "column" và/hoặc "place" để nhận biết cấp của chuyến đi', item)
        out.append(Level(lkey, c.text(item["label"], f"{key}.label"),
                         c.integer(item["quota"], f"{key}.quota", 0), column, place))
    total = sum(lv.quota for lv in out)
    if total > quota:
        raise c.fail("levels.items", f"có tổng chỉ tiêu các cấp ({total}) không được vượt quota_days ({quota})",
                     [lv.quota for lv in out])
    return source, tuple(out)


def _content(c: _Checker, value: Any) -> tuple[tuple[ContentKind, ...], str]:
    if value is None:
        return (), "count"
    c.mapping(value, "content", ("kinds", "unmatched"), ())
    kinds = value.get("kinds") or []
    if not isinstance(kinds, list):
        raise c.fail("content.kinds", "phải là danh sách các loại nội dung {label, match}", kinds)
    out = []
    for i, item in enumerate(kinds):
        key = f"content.kinds[{i}]"
        c.mapping(item, key, ("label", "match"), ("label", "match"))
        match = c.texts(item["match"], f"{key}.match")
        if not match:
            raise c.fail(f"{key}.match", "phải có ít nhất một cụm từ", item["match"])
        out.append(ContentKind(c.text(item["label"], f"{key}.label"), match))
    unmatched = c.choice(value.get("unmatched", "count"), "content.unmatched", CONTENT_UNMATCHED)
    if unmatched != "count" and not out:
        raise c.fail("content.kinds", f'phải có ít nhất một loại khi content.unmatched là "{unmatched}"', kinds)
    return tuple(out), unmatched


def parse_ruleset(doc: Any, file: str, sha256: str = "") -> RuleSet:
    """Validate a parsed YAML document; `file` names it in messages."""
    c = _Checker(file)
    c.mapping(doc, "", _TOP, ("schema", "name", "province", "quota_days"))
    if doc["schema"] != 1 or isinstance(doc["schema"], bool):
        raise c.fail("schema", "phải là 1 (phiên bản lược đồ bộ quy tắc)", doc["schema"])
    quota = c.integer(doc["quota_days"], "quota_days", 1)
    deadline = doc.get("report_deadline_days", 10)
    if deadline is not None:
        deadline = c.integer(deadline, "report_deadline_days", 0, 366)
    quarters = doc.get("registration_quarters") or []
    if not isinstance(quarters, list):
        raise c.fail("registration_quarters", "phải là danh sách các quý (1 đến 4)", quarters)
    quarters = [c.integer(q, f"registration_quarters[{i}]", 1, 4) for i, q in enumerate(quarters)]
    level_source, levels = _levels(c, doc.get("levels"), quota)
    kinds, unmatched = _content(c, doc.get("content"))
    return RuleSet(
        name=c.text(doc["name"], "name"),
        province=c.text(doc["province"], "province"),
        path=file,
        sha256=sha256,
        periods=_periods(c, doc),
        quota_days=quota,
        proration=c.choice(doc.get("proration", "eligible_days_ceil"), "proration", PRORATION),
        day_counting=c.choice(doc.get("day_counting", "calendar_inclusive"), "day_counting", DAY_COUNTING),
        full_exemptions=_full_exemptions(c, doc.get("full_exemptions")),
        report_deadline_days=deadline,
        registration_quarters=tuple(sorted(set(quarters))),
        level_source=level_source,
        levels=levels,
        monthly_positions=c.texts(doc.get("monthly_positions"), "monthly_positions"),
        content_kinds=kinds,
        content_unmatched=unmatched,
        source=c.text(doc["source"], "source") if "source" in doc else "",
    )


def load_ruleset(path: str | Path) -> RuleSet:
    """Read and validate one rule-set file; raises RuleSetError (Vietnamese)."""
    file = display_path(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise RuleSetError(f"{file}: không đọc được tệp bộ quy tắc ({exc.strerror or exc}).") from exc
    try:
        doc = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RuleSetError(f"{file}: tệp phải được lưu với bảng mã UTF-8.") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1}, cột {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleSetError(f"{file}: không đọc được YAML{where}: {problem}. Kiểm tra thụt lề và dấu hai chấm.") from exc
    return parse_ruleset(doc, file, hashlib.sha256(raw).hexdigest())


def pick_ruleset(rules_dir: str | Path, period: Period) -> tuple[RuleSet, str]:
    """The rule set whose counting period for `period`'s year overlaps `period`.

    Preference: a rule set whose period covers the requested one entirely, then the
    narrowest (fewest days from its first to its last day), then the file name.
    Returns (rule set, Vietnamese sentence saying which one and why).
    """
    folder = Path(rules_dir)
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise RuleSetError(f"{display_path(folder)}: không có tệp bộ quy tắc (*.yaml) nào.")
    candidates = []
    for f in files:
        rs = load_ruleset(f)
        year = rs.period_for_year(period.start.year) or rs.period_for_year(period.end.year)
        if year is None or year.end < period.start or year.start > period.end:
            continue
        # A year run counts the rule set's own period of that year, so it is covered.
        covers = period.kind == "year" or (year.start <= period.start and period.end <= year.end)
        candidates.append((not covers, (rs.last_day - rs.first_day).days, f.name, rs, year))
    label = period.label or f"{dmy(period.start)}–{dmy(period.end)}"
    if not candidates:
        raise RuleSetError(
            f'Không có bộ quy tắc nào trong {display_path(folder)} áp dụng cho kỳ {label}. '
            "Thêm một tệp bộ quy tắc có kỳ tính phù hợp, hoặc chỉ định tệp bằng --rules."
        )
    candidates.sort(key=lambda t: t[:3])
    partial, _, _, rs, year = candidates[0]
    how = "nằm trong thời gian áp dụng" if not partial else (
        f"giao với kỳ tính {dmy(year.start)}–{dmy(year.end)} của bộ quy tắc")
    reason = f'Dùng bộ quy tắc "{rs.name}" ({rs.path}) vì kỳ {label} {how}.'
    others = [f'"{c[3].name}" ({c[3].path})' for c in candidates[1:]]
    if others:
        reason += f" Cũng áp dụng được: {', '.join(others)}; chỉ định bằng --rules nếu cần bộ khác."
    return rs, reason
