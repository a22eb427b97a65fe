"""Calendar arithmetic of the engine: day numbers, months and quarters (all ranges inclusive).

Dates are handled as int64 day numbers (days since 1970-01-01) in numpy arrays, so that a
million trips run in seconds; `NONE` stands for "no date" (a report not filed).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np

EPOCH = date(1970, 1, 1)
NONE = int(np.iinfo(np.int64).max)  # "no date" in day-number arrays


def day_no(d: date) -> int:
    return (d - EPOCH).days


def to_date(n: int) -> date | None:
    return None if n == NONE else EPOCH + timedelta(days=int(n))


def add_months(d: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def quarter_range(year: int, q: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    return start, add_months(start, 3) - timedelta(days=1)


def months(a: date, b: date) -> Iterator[tuple[date, date, date]]:
    """(first of the month, first day in a..b, last day in a..b) of every month touching a..b."""
    m = date(a.year, a.month, 1)
    while m <= b:
        nxt = (m.replace(day=28) + timedelta(days=4)).replace(day=1)
        yield m, max(m, a), min(nxt - timedelta(days=1), b)
        m = nxt
