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
    province: str                     required; the pick matches it to templates/office.yaml
    source: str                       optional, a free reference ("167-KH/TĐTN-XDĐ ngày 13/4/2020")
    plan: {number, date, issuer, title, kind}   optional, the plan the report's opening cites
    guidance: {number, date, issuer, title, kind}  optional, the national guidance cited before it
    periods: [{start: date, end: date}, ...]   one counting period per year
      | years: {first: int, last: int}         calendar years first..last
    quota_days: int > 0               required (checks/quota.py)

A cited document (`plan`, `guidance`): `number` as written ("167-KH/TĐTN-XDĐ"), `date`
(YYYY-MM-DD), `issuer` ("Ban Thường vụ Tỉnh đoàn"), `title` (what it is about, with its
connecting word, "về việc …"), `kind` ("Kế hoạch"; optional when the number's type code
says it: KH, HD, CV, TB, QĐ, CT, NQ).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dicoso.errors import RuleSetError
from dicoso.model import Period
from dicoso.paths import shown as display_path
from dicoso.rules.checks import C, Check, registry, yaml_keys
from dicoso.rules.schema import Checker
from dicoso.rules.yamlfile import key_lines, load_yaml
from dicoso.text.names import fold
from dicoso.text.vn import dmy

_CORE = ("schema", "name", "province", "source", "plan", "guidance", "periods", "years")
# Document type codes of the Đoàn's numbers (shared/format.md), for a cited document's kind.
DOCUMENT_KINDS = {"KH": "Kế hoạch", "HD": "Hướng dẫn", "CV": "Công văn", "TB": "Thông báo", "QĐ": "Quyết định",
                  "CT": "Chỉ thị", "NQ": "Nghị quyết", "BC": "Báo cáo"}
_NUMBER_KIND = re.compile(r"^\s*\d+[a-zA-Z]?\s*-\s*([A-ZĐ]+)\s*/")


@dataclass(frozen=True, slots=True)
class Document:
    """A document the report's opening cites: the province's plan, the national guidance."""

    kind: str  # "Kế hoạch"
    number: str  # "167-KH/TĐTN-XDĐ"
    date: date
    issuer: str  # "Ban Thường vụ Tỉnh đoàn"
    title: str  # "về việc đi công tác cơ sở …" (may be "")

    def as_dict(self) -> dict:
        return {"kind": self.kind, "number": self.number, "date": self.date.isoformat(), "issuer": self.issuer,
                "title": self.title}


@dataclass(frozen=True, slots=True)
class RuleSet:
    name: str
    province: str
    path: str  # as shown to the clerk (paths.shown: relative to the project when inside it)
    sha256: str  # of the file bytes
    periods: tuple[tuple[date, date], ...]  # one (start, end) per year, sorted
    checks: tuple[Check, ...]  # one of every registered rule kind, in hook order (off when not used)
    source: str = ""
    plan: Document | None = None  # what the report's opening cites; None: a visible placeholder and a warning
    guidance: Document | None = None  # the national guidance cited before the plan

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


def _document(c: Checker, doc: dict, key: str) -> Document | None:
    if key not in doc:
        return None
    d = c.mapping(doc[key], key, ("kind", "number", "date", "issuer", "title"), ("number", "date", "issuer"))
    number = c.text(d["number"], f"{key}.number")
    code = _NUMBER_KIND.match(number)
    kind = c.text(d["kind"], f"{key}.kind") if "kind" in d else DOCUMENT_KINDS.get(code.group(1) if code else "", "")
    if not kind:
        raise c.fail(f"{key}.kind", "phải ghi loại văn bản (ví dụ \"Kế hoạch\") vì số văn bản không cho biết loại",
                     None)
    title = c.text(d["title"], f"{key}.title") if "title" in d else ""
    return Document(kind, number, c.day(d["date"], f"{key}.date"), c.text(d["issuer"], f"{key}.issuer"), title)


def parse_ruleset(doc: Any, file: str, sha256: str = "", lines: dict[str, int] | None = None) -> RuleSet:
    """Validate a parsed YAML document; `file` names it in messages, `lines` (key -> line) the line."""
    c = Checker(file, lines)
    c.mapping(doc, "", _CORE + yaml_keys(), ("schema", "name", "province", "quota_days"))
    if doc["schema"] != 1 or isinstance(doc["schema"], bool):
        raise c.fail("schema", "phải là 1 (phiên bản lược đồ bộ quy tắc)", doc["schema"])
    name, province = c.text(doc["name"], "name"), c.text(doc["province"], "province")
    periods = _periods(c, doc)
    source = c.text(doc["source"], "source") if "source" in doc else ""
    checks = tuple(kind.from_yaml(doc, c) for kind in registry())
    return RuleSet(name=name, province=province, path=file, sha256=sha256, periods=periods, checks=checks,
                   source=source, plan=_document(c, doc, "plan"), guidance=_document(c, doc, "guidance"))


def load_ruleset(path: str | Path) -> RuleSet:
    """Read and validate one rule-set file; raises RuleSetError (Vietnamese)."""
    file = display_path(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise RuleSetError(f"{file}: không đọc được tệp bộ quy tắc ({exc.strerror or exc}).") from exc
    try:
        text = raw.decode("utf-8-sig")  # Notepad may save with a byte-order mark
    except UnicodeDecodeError as exc:
        raise RuleSetError(f"{file}: tệp phải được lưu với bảng mã UTF-8 (trong Notepad: Lưu thành… > Mã hoá: "
                           "UTF-8).") from exc
    doc = load_yaml(text, file)
    return parse_ruleset(doc, file, hashlib.sha256(raw).hexdigest(), key_lines(text))


def same_province(a: str, b: str) -> bool:
    """"Bà Rịa – Vũng Tàu" is "Ba Ria - Vung Tau" is "tỉnh Bà Rịa-Vũng Tàu"."""
    def key(p: str) -> str:
        return re.sub(r"^(tinh|thanh pho|tp) ", "", fold(p))
    return key(a) == key(b)


def pick_ruleset(rules_dir: str | Path, period: Period, province: str | None = None,
                 province_from: str = "templates/office.yaml") -> tuple[RuleSet, str]:
    """The rule set of the office's `province` whose counting period for `period`'s year
    overlaps `period` (any province when `province` is None).

    Preference: a rule set whose period covers the requested one entirely, then the
    narrowest (fewest days from its first to its last day), then the file name. None
    fitting stops the run with a message listing the rule sets, how to choose one with
    --rules and how to start a new one by copying. Returns (rule set, Vietnamese
    sentence saying which one and why).
    """
    folder = Path(rules_dir)
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise RuleSetError(f"{display_path(folder)}: không có tệp bộ quy tắc (*.yaml) nào. Chép một bộ quy tắc mẫu "
                           "vào thư mục này (hoặc chỉ định tệp bằng --rules) rồi chạy lại.")
    loaded = [(f, load_ruleset(f)) for f in files]
    candidates = []
    for f, rs in loaded:
        if province is not None and not same_province(rs.province, province):
            continue
        year = rs.period_for_year(period.start.year) or rs.period_for_year(period.end.year)
        if year is None or year.end < period.start or year.start > period.end:
            continue
        # A year run counts the rule set's own period of that year, so it is covered.
        covers = period.kind == "year" or (year.start <= period.start and period.end <= year.end)
        candidates.append((not covers, (rs.last_day - rs.first_day).days, f.name, rs, year))
    label = period.label or f"{dmy(period.start)}–{dmy(period.end)}"
    if not candidates:
        raise RuleSetError(_none_fits(folder, [rs for _, rs in loaded], period, label, province, province_from))
    candidates.sort(key=lambda t: t[:3])
    partial, _, _, rs, year = candidates[0]
    how = "nằm trong thời gian áp dụng" if not partial else (
        f"giao với kỳ tính {dmy(year.start)}–{dmy(year.end)} của bộ quy tắc")
    whose = f" của tỉnh {rs.province} (theo {province_from})" if province is not None else ""
    reason = f'Dùng bộ quy tắc "{rs.name}" ({rs.path}){whose} vì kỳ {label} {how}.'
    others = [f'"{c[3].name}" ({c[3].path})' for c in candidates[1:]]
    if others:
        reason += f" Cũng áp dụng được: {', '.join(others)}; chỉ định bằng --rules nếu cần bộ khác."
    if province is None:
        reason += f" Lưu ý: {province_from} không ghi tỉnh (province) nên chưa kiểm tra được bộ quy tắc có đúng tỉnh không."
    return rs, reason


def years_text(rs: RuleSet) -> str:
    """`năm 2020 (01/03/2020–31/12/2020)`, `các năm 2018–2022`: the years a rule set covers."""
    whole = all(s == date(s.year, 1, 1) and e == date(s.year, 12, 31) for s, e in rs.periods)
    years = [s.year for s, _ in rs.periods]
    if whole and len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"các năm {years[0]}–{years[-1]}"
    return ", ".join(f"năm {s.year}" + ("" if s == date(s.year, 1, 1) and e == date(s.year, 12, 31)
                                         else f" ({dmy(s)}–{dmy(e)})") for s, e in rs.periods)


def _none_fits(folder: Path, all_sets: list[RuleSet], period: Period, label: str, province: str | None,
               province_from: str) -> str:
    """What to do when no rule set fits: the rule sets there are, --rules, and how to start one."""
    year = period.end.year
    whose = f" của tỉnh {province} (theo {province_from})" if province is not None else ""
    lines = [f"Không có bộ quy tắc nào{whose} áp dụng cho kỳ {label}. Các bộ quy tắc trong thư mục "
             f"{display_path(folder)}:"]
    lines += [f'  - {rs.path}: "{rs.name}" — {rs.province}, {years_text(rs)}' for rs in all_sets]
    ours = [rs for rs in all_sets if province is not None and same_province(rs.province, province)]
    model = max(ours or all_sets, key=lambda rs: (rs.last_day, rs.path))
    lines.append(f"Nếu đúng là dùng một bộ trong số này, chỉ rõ bằng --rules, ví dụ: --rules {model.path}")
    slug = "-".join(fold(province or model.province).split()) or "tinh"
    new = f"{display_path(folder)}/{slug}-{year}.yaml"
    lines.append(f"Nếu năm {year} có kế hoạch mới: chép {model.path} thành {new}, sửa tên (name), kỳ tính của năm "
                 f"{year} (periods: start, end), mục plan (số, ngày, cơ quan ban hành kế hoạch mới) và các chỉ tiêu "
                 "theo kế hoạch, lưu với bảng mã UTF-8 rồi chạy lại.")
    if province is not None and not ours:
        lines.append(f"Nếu tỉnh trong {province_from} ghi sai, sửa mục province ở đó cho đúng tên tỉnh.")
    return "\n".join(lines)
