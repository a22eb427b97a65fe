"""How Excel numbers days and names columns (shared by the reader and the writers)."""

from __future__ import annotations

from datetime import date

# Day 0 of the 1900 date system as Excel counts it (serial 61 = 1900-03-01, after its
# fictitious 29/02/1900).
EPOCH = date(1899, 12, 30)


def col_index(letters: bytes | str) -> int:
    """`A` -> 0, `Z` -> 25, `AA` -> 26."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letters(c: int) -> str:
    """0 -> `A`, 26 -> `AA`."""
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s
