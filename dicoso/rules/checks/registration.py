"""Quarterly registration (`registration_quarters`): in each listed quarter every cadre
eligible on at least one of its days (and not exempt for the whole year) registers the
trips they plan. The table lists, per quarter that has started by the end of the
counting window, who had to register, who did and who did not.

A quarter with no registration row at all in the folder (matched to a cadre or not) is
unknown, not "nobody registered": `known` is false, `registered` and `missing` are null,
and a warning says the registration data was not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from dicoso.model import Issue
from dicoso.rules.checks import Check, Facts
from dicoso.rules.days import quarter_range
from dicoso.text.vn import lower_first, quarter_label

if TYPE_CHECKING:
    from dicoso.rules.roster import Cadre
    from dicoso.rules.schema import Checker

NEXT = "registration_next"  # the section of the quarter after the reported period (`upcoming`)


@dataclass(frozen=True)
class Registration(Check):
    quarters: tuple[int, ...] = ()

    key = "registration_quarters"
    order = 60

    @classmethod
    def from_yaml(cls, doc: dict, c: Checker) -> Registration:
        quarters = doc.get("registration_quarters") or []
        if not isinstance(quarters, list):
            raise c.fail("registration_quarters", "phải là danh sách các quý (1 đến 4)", quarters)
        return cls(tuple(sorted({c.integer(q, f"registration_quarters[{i}]", 1, 4) for i, q in enumerate(quarters)})))

    @property
    def on(self) -> bool:
        return bool(self.quarters)

    def cadres(self, rows: list[dict[str, Any]], facts: Facts) -> None:
        # A cadre exempt for the whole year (checks/quota.py, earlier in order) has nothing to register.
        facts.extra[self.key] = {row["id"] for row in rows if row.get("exempt")}

    def section(self, facts: Facts) -> list[dict]:
        regs, year = facts.registrations, facts.year
        assert regs is not None
        exempt = facts.extra.get(self.key, set())
        out = []
        for q in self.quarters:
            qs, qe = quarter_range(year.start.year, q)
            lo, hi = max(qs, year.start), min(qe, year.end)
            if hi < lo or qs > facts.window[1]:
                continue
            required = [c for c in facts.cadres if c.id not in exempt and c.eligible_days(lo, hi) > 0]
            # who the fraction leaves out, and why, so that "12/12" beside 13 cadres is explained
            left_out = [{"name": c.label, "why": _why_not_required(c, c.id in exempt, lo, hi)}
                        for c in facts.cadres if c.id in exempt or c.eligible_days(lo, hi) == 0]
            label = f"{year.start.year}-Q{q}"
            if (year.start.year, q) not in facts.registered_quarters:
                out.append({"quarter": label, "required": len(required), "known": False, "registered": None,
                            "missing": None, "not_required": left_out})
                continue
            done = set(regs.loc[(regs["year"] == year.start.year) & (regs["quarter"] == q), "cid"].astype(int))
            out.append({"quarter": label, "required": len(required), "known": True,
                        "registered": sum(c.id in done for c in required),
                        "missing": [c.label for c in required if c.id not in done], "not_required": left_out})
        return out

    def sections(self, facts: Facts) -> dict[str, Any]:
        out: dict[str, Any] = {self.key: self.section(facts)}
        if (upcoming := self.upcoming(facts)) is not None:
            out[NEXT] = upcoming
        return out

    def upcoming(self, facts: Facts) -> dict | None:
        """The quarter after the reported period (a Quý III report: Quý IV), when the rule set asks
        for registration in it and its year has a counting period: who must register (eligible
        on one of its days, per the roster) and, when its registration rows are in the folder,
        who has not yet. A reminder to send the Ban, not a figure of the report."""
        end = facts.window[1]
        year, quarter = end.year, (end.month - 1) // 3 + 2
        if quarter == 5:
            year, quarter = year + 1, 1
        period = facts.rules.period_for_year(year)
        if quarter not in self.quarters or period is None:
            return None
        qs, qe = quarter_range(year, quarter)
        lo, hi = max(qs, period.start), min(qe, period.end)
        if hi < lo:
            return None
        # exempt for the whole year is known for the run's own year only
        exempt = facts.extra.get(self.key, set()) if year == facts.year.start.year else set()
        required = [c for c in facts.cadres if c.id not in exempt and c.eligible_days(lo, hi) > 0]
        who = [{"name": c.label, "department": c.department} for c in required]
        head = {"quarter": f"{year}-Q{quarter}", "starts": qs.isoformat(), "required": who}
        if (year, quarter) not in facts.registered_quarters:
            return head | {"known": False, "missing": None}
        regs = facts.registrations
        assert regs is not None
        done = set(regs.loc[(regs["year"] == year) & (regs["quarter"] == quarter), "cid"].astype(int))
        return head | {"known": True, "missing": [w for c, w in zip(required, who) if c.id not in done]}

    def run_issues(self, facts: Facts) -> list[Issue]:
        """One warning naming the quarters whose registration data was not found."""
        table = self.section(facts) if self.on else []
        unknown = [quarter_label(r["quarter"]) for r in table if not r["known"]]
        if not unknown:
            return []
        which = ", ".join(unknown)
        none_at_all = not facts.registered_quarters
        found = ("không có bảng đăng ký nào" if none_at_all
                 else f"không có dòng đăng ký nào của {which}")  # the labels say "Quý …"
        return [Issue(
            "registration_data_missing", "warning",
            f"Bộ quy tắc yêu cầu cán bộ đăng ký đi cơ sở hằng quý, nhưng trong thư mục dữ liệu {found}: tỷ lệ "
            f"đăng ký {which} chưa tính được (chưa rõ, không phải là không ai đăng ký).",
            suggestion="Chép bảng đăng ký đi cơ sở theo quý (cột Họ và tên, Quý, Số ngày đăng ký …) vào thư mục dữ "
                       "liệu rồi chạy lại; nếu quý này không yêu cầu đăng ký, sửa registration_quarters trong bộ quy "
                       "tắc.")]


CHECK = Registration


def _why_not_required(c: Cadre, exempt_year: bool, lo: date, hi: date) -> str:
    """Why a cadre has nothing to register for [lo, hi], as the report says it."""
    if exempt_year:
        return "được miễn"
    if not c.in_service(lo, hi):
        return "không công tác trong quý"
    reasons = sorted({lower_first(r) for f, t, r in c.exemptions if r and f <= hi and t >= lo})
    return f"{' và '.join(reasons)} cả quý" if reasons else "được miễn hoặc nghỉ cả quý"
