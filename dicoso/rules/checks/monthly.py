"""Leaders go every month (`monthly_positions`, e.g. Bà Rịa – Vũng Tàu's Thường trực):
for a cadre whose position starts with one of the listed phrases, every month of the
counting window that has ended by the as-of date, on which the cadre was eligible and
not fully exempt, must hold a counted day. Missing months are reported (a note, the
`monthly_missing` list); they do not change whether the yearly quota is met.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dicoso.rules.checks import Check, Facts
from dicoso.rules.days import months
from dicoso.rules.phrases import starts_with_phrase
from dicoso.text.clean import clean

if TYPE_CHECKING:
    from dicoso.rules.schema import Checker


@dataclass(frozen=True)
class MonthlyLeaders(Check):
    positions: tuple[str, ...] = ()

    key = "monthly_positions"
    order = 70

    @classmethod
    def from_yaml(cls, doc: dict, c: Checker) -> MonthlyLeaders:
        return cls(c.texts(doc.get("monthly_positions"), "monthly_positions"))

    @property
    def on(self) -> bool:
        return bool(self.positions)

    def applies_to(self, position: str) -> bool:
        return self.on and starts_with_phrase(clean(position), self.positions)

    def cadres(self, rows: list[dict[str, Any]], facts: Facts) -> None:
        days = facts.days
        assert days is not None
        went: dict[int, set[int]] = {}
        if self.on and len(days):
            month_no = days["day"].to_numpy().astype("datetime64[D]").astype("datetime64[M]").astype("int64")
            went = days.assign(m=month_no)[["cid", "m"]].drop_duplicates().groupby("cid")["m"].agg(set).to_dict()
        for row in rows:
            c = facts.cadres[row["id"]]
            required = self.applies_to(c.position)
            missing = []
            if required and not row["exempt"]:
                done = went.get(c.id, set())
                for m, lo, hi in months(*facts.window):
                    if hi <= facts.as_of and c.eligible_days(lo, hi) > 0 and (m.year - 1970) * 12 + m.month - 1 not in done:
                        missing.append(f"{m:%Y-%m}")
                if missing:
                    row["notes"].append("Thường trực phải đi cơ sở hằng tháng; chưa đi tháng: "
                                        + ", ".join(f"{m[5:]}/{m[:4]}" for m in missing) + ".")
            row.update(monthly_required=required, monthly_missing=missing)


CHECK = MonthlyLeaders
