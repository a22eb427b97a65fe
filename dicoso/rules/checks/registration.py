"""Quarterly registration (`registration_quarters`): in each listed quarter every cadre
eligible on at least one of its days registers the trips they plan. The table lists,
per quarter that has started by the end of the counting window, who had to register,
who did and who did not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dicoso.rules.checks import Check, Facts
from dicoso.rules.days import quarter_range

if TYPE_CHECKING:
    from dicoso.rules.schema import Checker


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

    def section(self, facts: Facts) -> list[dict]:
        regs, year = facts.registrations, facts.year
        assert regs is not None
        out = []
        for q in self.quarters:
            qs, qe = quarter_range(year.start.year, q)
            lo, hi = max(qs, year.start), min(qe, year.end)
            if hi < lo or qs > facts.window[1]:
                continue
            required = [c for c in facts.cadres if c.eligible_days(lo, hi) > 0]
            done = set(regs.loc[(regs["year"] == year.start.year) & (regs["quarter"] == q), "cid"].astype(int))
            out.append({"quarter": f"{year.start.year}-Q{q}", "required": len(required),
                        "registered": sum(c.id in done for c in required),
                        "missing": [c.name for c in required if c.id not in done]})
        return out


CHECK = Registration
