"""A report after each trip (`report_deadline_days`): due on end + N days; filed on or
before that day is on time, after it late by the difference; not filed and the as-of
date past the due day is overdue; otherwise pending. `null` turns the rule off (then no
trip has a report status).

A trip of a book without a "Ngày nộp báo cáo" column is `not_recorded`: absent is not
zero, so it is neither late nor overdue, and it is kept out of every report figure; the
book is named once in a warning. So is a trip whose cell says "filed" without a date
("Đã nộp", a tick: the reader's warning names the rows) or holds a date that cannot be
read (the reader's error): filed or not, on time or late, is not known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dicoso.model import Issue
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

    def trip_issues(self, trips: pd.DataFrame, facts: Facts) -> list[Issue]:
        """Once per book without a report-date column, for its trips inside the window."""
        if self.days is None or not facts.unrecorded_sheets or not len(trips):
            return []
        pairs = pd.MultiIndex.from_arrays([trips["file"].astype(str), trips["sheet"].astype(str)])
        unknown = trips[(trips["in_window"] > 0) & pairs.isin(list(facts.unrecorded_sheets))]
        out = []
        for file, group in unknown.groupby("file", sort=True):
            sheets = ", ".join(f'"{s}"' for s in dict.fromkeys(group["sheet"].tolist()))
            n = len(group)
            out.append(Issue(
                "report_date_not_recorded", "warning",
                f'Sổ không có cột "Ngày nộp báo cáo" (trang {sheets}): chưa biết báo cáo sau {n} chuyến đi của sổ '
                "này đã nộp hay chưa, nộp đúng hạn hay muộn; các chuyến này không được tính vào số báo cáo đúng hạn, "
                "nộp muộn hay quá hạn.", file=str(file), column="Ngày nộp báo cáo",
                suggestion='Thêm cột "Ngày nộp báo cáo" vào dòng tiêu đề của sổ, ghi ngày nộp báo cáo của từng chuyến '
                           "(để trống nếu chưa nộp) rồi chạy lại."))
        return out

    def trip_status(self, trips: pd.DataFrame, facts: Facts) -> None:
        """`due`, `status` (on_time, late, overdue, pending, not_recorded), `days_late`, `days_overdue`."""
        if self.days is None:
            return
        due = trips["e"].to_numpy() + self.days
        sub, asof = trips["sub"].to_numpy(), day_no(facts.as_of)
        filed = sub != NONE
        unknown = ~filed & ~trips["recorded"].to_numpy(dtype=bool) if "recorded" in trips else np.zeros(len(trips), bool)
        trips["due"] = due
        trips["status"] = np.select([filed & (sub <= due), filed, unknown, asof > due],
                                    ["on_time", "late", "not_recorded", "overdue"], "pending")
        trips["days_late"] = np.where(filed & (sub > due), sub - due, 0)
        trips["days_overdue"] = np.where(~filed & ~unknown & (asof > due), asof - due, 0)


CHECK = ReportDeadline
