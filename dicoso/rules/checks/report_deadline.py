"""A report after each trip (`report_deadline_days`): due on end + N days; filed on or
before that day is on time, after it late by the difference; not filed and the as-of
date past the due day is overdue; otherwise pending. `null` turns the rule off (then no
trip has a report status).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dicoso.rules.checks import Check, Facts
from dicoso.rules.days import NONE, day_no

if TYPE_CHECKING:
    from dicoso.rules.schema import Checker


@dataclass(frozen=True)
class ReportDeadline(Check):
    days: int | None = None

    key = "report_deadline_days"
    order = 50

    @classmethod
    def from_yaml(cls, doc: dict, c: Checker) -> ReportDeadline:
        days = doc.get("report_deadline_days", 10)
        return cls(None if days is None else c.integer(days, "report_deadline_days", 0, 366))

    @property
    def on(self) -> bool:
        return self.days is not None

    def trip_status(self, trips: pd.DataFrame, facts: Facts) -> None:
        """`due`, `status` (on_time, late, overdue, pending), `days_late`, `days_overdue`."""
        if self.days is None:
            return
        due = trips["e"].to_numpy() + self.days
        sub, asof = trips["sub"].to_numpy(), day_no(facts.as_of)
        filed = sub != NONE
        trips["due"] = due
        trips["status"] = np.select([filed & (sub <= due), filed, asof > due], ["on_time", "late", "overdue"],
                                    "pending")
        trips["days_late"] = np.where(filed & (sub > due), sub - due, 0)
        trips["days_overdue"] = np.where(~filed & (asof > due), asof - due, 0)


CHECK = ReportDeadline
