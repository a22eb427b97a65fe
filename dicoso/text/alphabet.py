"""The Vietnamese tone marks.

Tones are combining marks in NFD: sắc, huyền, hỏi, ngã, nặng, in that order (the
order legacy fonts and name keys number them in). People are listed in the
organisation's order (rules/order.py), not alphabetically.
"""

from __future__ import annotations

import unicodedata

TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng (combining)
TONE_SET = frozenset(TONES)


def split_tones(word: str) -> tuple[str, str]:
    """(letters without tone marks, NFC; the tone marks in order) of one NFD-able word."""
    text = unicodedata.normalize("NFD", word)
    base = unicodedata.normalize("NFC", "".join(ch for ch in text if ch not in TONE_SET))
    return base, "".join(ch for ch in text if ch in TONE_SET)
