"""How days add up (`day_counting`). The one mode, `calendar_inclusive`: a trip counts its
calendar days, both ends included, clipped to the counting window, and a cadre's days
are a set: days of overlapping or repeated trips count once (the engine's day table).
This kind says so in the cadre's notes when it happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dicoso.rules.checks import Check, Facts

if TYPE_CHECKING:
    from dicoso.rules.schema import Checker

MODES = ("calendar_inclusive",)


@dataclass(frozen=True)
class DayCounting(Check):
    mode: str = "calendar_inclusive"

    key = "day_counting"
    order = 20

    @classmethod
    def from_yaml(cls, doc: dict, c: Checker) -> DayCounting:
        return cls(c.choice(doc.get("day_counting", "calendar_inclusive"), "day_counting", MODES))

    def cadres(self, rows: list[dict[str, Any]], facts: Facts) -> None:
        for row in rows:
            if row["overlap_days"]:
                row["notes"].append(f"{row['overlap_days']} ngày trùng giữa các chuyến đi chỉ tính một lần.")


CHECK = DayCounting
