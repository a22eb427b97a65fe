"""The one text cleaner: every cell, name, header and message text goes through here.

- `is_blank(v)`: None, NaN, pandas' NA/NaT, or text of spaces only.
- `clean(v)`: NFC, every kind of space (NBSP, tab, line break) as one space, stripped;
  "" for a blank. Cached: registers repeat the same texts thousands of times.
- `cell_text(v)`: a cell as the clerk reads it (`3.0` typed as a number shows as `3`).
- `lower(v)`: `clean` in lower case, for matching words (dates, quarters, headers).

Nothing here imports pandas: the reader's worker processes never load it.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import lru_cache

_SPACES = {"\u00a0", "\u2007", "\u202f", "\t", "\n", "\r", "\v", "\f"}
_SPACE_TABLE = str.maketrans(dict.fromkeys(_SPACES, " "))


def _pandas_missing(value: object) -> bool:
    """pd.NA / pd.NaT, without importing pandas: a value can only be one once pandas is loaded."""
    pd = sys.modules.get("pandas")
    return pd is not None and (value is pd.NA or value is pd.NaT)


def is_blank(v: object) -> bool:
    """None, NaN, NA/NaT, or text of spaces only (called for most cells: the common types first)."""
    if v is None:
        return True
    kind = v.__class__
    if kind is str:
        return not v or v.isspace()  # type: ignore[attr-defined]
    if kind is float or isinstance(v, float):
        return v != v
    return _pandas_missing(v)


@lru_cache(maxsize=1 << 16)
def _clean_str(s: str) -> str:
    text = unicodedata.normalize("NFC", s).translate(_SPACE_TABLE)
    return " ".join(text.split())


def clean(v: object) -> str:
    """str() of a value, NFC, spaces collapsed, stripped; "" for a blank."""
    if isinstance(v, str):
        return _clean_str(v)
    if v is None or (isinstance(v, float) and v != v) or _pandas_missing(v):
        return ""
    return _clean_str(str(v))


def cell_text(v: object) -> str:
    """A cell's text as the clerk sees it: blanks "", a whole number typed as a number without ".0"."""
    if is_blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return clean(v)


def lower(v: object) -> str:
    """`clean` in lower case: the form words are matched in."""
    return clean(v).lower()
