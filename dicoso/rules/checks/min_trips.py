"""At least N trips a quarter (`min_trips_per_quarter`), as some plans add to the yearly
days ("mỗi quý ít nhất 2 lần đi cơ sở"):

    min_trips_per_quarter:
      trips: 2              # at least this many trips in each quarter
      quarters: [2, 3, 4]   # optional: the quarters it applies to (default: all four)

A trip belongs to every quarter holding one of its counted days (a trip across the end
of a quarter counts in both). A quarter is checked once it has ended (its last day in
the counting window is on or before the as-of date) for a cadre eligible on every day
of it inside the counting period and not fully exempt; a cadre who joined or left
during the quarter is not held to it. Quarters short of trips are reported (a note and
`quarters_short_of_trips`); like the leaders' monthly rule they do not change whether
the yearly quota is met. Off when the key is absent (no shipped rule set uses it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from dicoso.rules.checks import Check, Facts
from dicoso.rules.days import day_no, quarter_range
from dicoso.text.vn import quarter_label

if TYPE_CHECKING:
    from dicoso.rules.schema import Checker


@dataclass(frozen=True)
class MinTripsPerQuarter(Check):
    trips: int = 0
    quarters: tuple[int, ...] = (1, 2, 3, 4)

    key = "min_trips_per_quarter"
    order = 80
    cadre_fields = ("quarters_short_of_trips",)

    @classmethod
    def from_yaml(cls, doc: dict, c: Checker) -> MinTripsPerQuarter:
        value = doc.get(cls.key)
        if value is None:
            return cls()
        c.mapping(value, cls.key, ("trips", "quarters"), ("trips",))
        quarters = value.get("quarters", [1, 2, 3, 4])
        if not isinstance(quarters, list) or not quarters:
            raise c.fail(f"{cls.key}.quarters", "phải là danh sách các quý (1 đến 4)", quarters)
        return cls(c.integer(value["trips"], f"{cls.key}.trips", 1),
                   tuple(sorted({c.integer(q, f"{cls.key}.quarters[{i}]", 1, 4) for i, q in enumerate(quarters)})))

    @property
    def on(self) -> bool:
        return self.trips > 0

    def cadres(self, rows: list[dict[str, Any]], facts: Facts) -> None:
        if not self.on:
            return
        year, (w0, w1) = facts.year, facts.window
        trips = facts.trips
        assert trips is not None
        counted = trips[trips["counted"]] if len(trips) else trips
        cid, cs, ce = (counted[c].to_numpy() for c in ("cid", "cs", "ce")) if len(counted) else (np.zeros(0),) * 3
        checked = []  # (label, first day, last day, trips per cadre) of the quarters that have ended
        for q in self.quarters:
            qs, qe = quarter_range(year.start.year, q)
            lo, hi = max(qs, w0), min(qe, w1)
            if hi < lo or hi < min(qe, year.end) or hi > facts.as_of:
                continue  # not in the window, cut by the end of a progress run's window, or not ended by the as-of date
            inside = (cs <= day_no(hi)) & (ce >= day_no(lo))
            per_cadre = np.bincount(cid[inside].astype("int64"), minlength=len(facts.cadres))
            checked.append((quarter_label(f"{year.start.year}-Q{q}"), lo, hi, per_cadre))
        for row in rows:
            c = facts.cadres[row["id"]]
            short = []
            for label, lo, hi, per_cadre in checked:
                if row["exempt"] or c.eligible_days(lo, hi) < (hi - lo).days + 1:
                    continue
                done = int(per_cadre[c.id])
                if done < self.trips:
                    short.append(label)
                    row["notes"].append(f"{label} có {done} chuyến đi cơ sở, chưa đủ {self.trips} chuyến/quý.")
            row["quarters_short_of_trips"] = short


CHECK = MinTripsPerQuarter
