"""Books of later periods: their problems are counted apart, not listed with the period's.

A monthly progress run over a folder that already holds the later months' books (or a
year run beside next year's first books) would otherwise list the later books' problems
among the period's, and its problem list would be about books nobody asked about yet. A
book's period is known by its trips' dates: a book whose dated trip rows all start after
the report period ends is "ngoài kỳ báo cáo". The title or file name is not used: it is
often a copy of last month's ("BTG thang 05" holding June's trips), while the dates are
what is counted. A book without any dated trip row (a roster, the registrations, a book
whose every date is unreadable) is not outside: its problems are always listed. Books of
earlier periods stay listed: their trips are counted (year to date) or their notes say
why they are not (before the counting period starts).

The problems of the books outside are counted per book (errors, warnings, notes) for
the console and summary.json; they are listed by the run of the period they belong to.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pandas as pd

from dicoso.model import Issue
from dicoso.rules.days import EPOCH


def books_outside(spans: pd.DataFrame | None, last_day: int) -> dict[str, tuple[int, int]]:
    """Books (file -> (first, last) day of their trips) whose trips all start after `last_day`
    (a day number: the report period's last day)."""
    if spans is None or not len(spans):
        return {}
    out = spans[spans["s"] > last_day]
    return {str(f): (int(s), int(e)) for f, s, e in zip(out.index, out["s"], out["e"])}


def set_apart(issues: list[Issue], books: dict[str, tuple[int, int]]) -> tuple[list[Issue], list[dict]]:
    """(the issues to list, one count per book outside: file, first and last trip day, errors,
    warnings, notes), books in file order."""
    if not books:
        return issues, []
    kept = [i for i in issues if i.file not in books]
    counts: dict[str, Counter] = {f: Counter() for f in books}
    for i in issues:
        if i.file in books:
            counts[i.file][i.severity] += 1
    def iso(n: int) -> str:
        return (EPOCH + timedelta(days=n)).isoformat()

    return kept, [{"file": f, "first": iso(books[f][0]), "last": iso(books[f][1]),
                   "errors": counts[f]["error"], "warnings": counts[f]["warning"], "notes": counts[f]["info"]}
                  for f in sorted(books)]
