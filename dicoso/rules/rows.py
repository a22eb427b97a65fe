"""Pointing at rows of the books from the engine: where an Issue is, and what it is about.

`Memo` computes a text once per distinct value (file names, sheets and dates repeat
across a million rows).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dicoso.text.clean import clean
from dicoso.text.vn import dmy


def where_of(r) -> dict:
    """file, sheet and row of a row (a namedtuple with those fields) for an Issue, and what
    the row is about (name, dates, place or quarter: the Issue's `about`)."""
    about = [clean(getattr(r, f, "")) for f in ("name", "place")]
    about[1:1] = [dmy(getattr(r, f, None)) if isinstance(getattr(r, f, None), date) else "" for f in ("start", "end")]
    if getattr(r, "quarter", None) is not None:
        about.append(f"Q{r.quarter}/{getattr(r, 'year', '')}")
    return {"file": clean(r.file), "sheet": clean(r.sheet), "row": None if pd.isna(r.row) else int(r.row),
            "about": " | ".join(about)}


class Memo(dict):
    """fn(value) computed once per distinct value (file names, sheets and dates repeat)."""

    def __init__(self, fn) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, value):
        out = self[value] = self.fn(value)
        return out

    def __call__(self, value):
        return self[value]


def excel_rows(col: pd.Series) -> list[int | None]:
    """Excel row numbers of a column, None where missing (as where_of gives them)."""
    return [None if v != v else int(v) for v in col.astype("float64").tolist()]
