"""Rule sets: YAML data in `rules/*.yaml`, validated on load, picked by period.

A rule set is what a province's plan (kế hoạch) says: a few core keys (below) and the
settings of each rule kind (the yearly quota, full exemptions, the report deadline,
quarterly registration, quotas per level, leaders' monthly trips, the kinds of content
that count …), one module per kind in `checks/`, each documenting its keys. The engine
(`rules/engine.py`) applies it.

Every problem in a file raises `RuleSetError` with a Vietnamese message naming the
file, the key and what was expected; nothing runs on a bad rule set.

Core YAML keys (the shipped files in `rules/` carry a comment on every key):

    schema: 1                         required
    name: str                         required, shown in reports
    province: str                     required
    source: str                       optional, the plan's number ("167-KH/TĐTN-XDĐ")
    periods: [{start: date, end: date}, ...]   one counting period per year
      | years: {first: int, last: int}         calendar years first..last
    quota_days: int > 0               required (checks/quota.py)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from dicoso.errors import RuleSetError
from dicoso.model import Period
from dicoso.paths import shown as display_path
from dicoso.rules.checks import C, Check, registry, yaml_keys
from dicoso.rules.schema import Checker
from dicoso.text.vn import dmy

_CORE = ("schema", "name", "province", "source", "periods", "years")


@dataclass(frozen=True, slots=True)
class RuleSet:
    name: str
    province: str
    path: str  # as shown to the clerk (paths.shown: relative to the project when inside it)
    sha256: str  # of the file bytes
    periods: tuple[tuple[date, date], ...]  # one (start, end) per year, sorted
    checks: tuple[Check, ...]  # one of every registered rule kind, in hook order (off when not used)
    source: str = ""

    def check(self, kind: type[C]) -> C:
        """The settings of one rule kind (every rule set has one of each, maybe off)."""
        for c in self.checks:
            if isinstance(c, kind):
                return c
        raise LookupError(kind.__name__)

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


def _periods(c: Checker, doc: dict) -> tuple[tuple[date, date], ...]:
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


def parse_ruleset(doc: Any, file: str, sha256: str = "") -> RuleSet:
    """Validate a parsed YAML document; `file` names it in messages."""
    c = Checker(file)
    c.mapping(doc, "", _CORE + yaml_keys(), ("schema", "name", "province", "quota_days"))
    if doc["schema"] != 1 or isinstance(doc["schema"], bool):
        raise c.fail("schema", "phải là 1 (phiên bản lược đồ bộ quy tắc)", doc["schema"])
    name, province = c.text(doc["name"], "name"), c.text(doc["province"], "province")
    periods = _periods(c, doc)
    source = c.text(doc["source"], "source") if "source" in doc else ""
    checks = tuple(kind.from_yaml(doc, c) for kind in registry())
    return RuleSet(name=name, province=province, path=file, sha256=sha256, periods=periods, checks=checks,
                   source=source)


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
