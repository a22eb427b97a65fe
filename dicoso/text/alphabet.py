"""The Vietnamese alphabet: its tone marks and its letter order.

Tones are combining marks in NFD: sắc, huyền, hỏi, ngã, nặng, in that order (the
order legacy fonts and name keys number them in). The letter order puts ă â after a,
đ after d, ê after e, ô ơ after o, ư after u.
"""

from __future__ import annotations

import unicodedata

from .clean import clean

TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng (combining)
TONE_SET = frozenset(TONES)
ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_RANK = {ch: i for i, ch in enumerate(ALPHABET)}


def split_tones(word: str) -> tuple[str, str]:
    """(letters without tone marks, NFC; the tone marks in order) of one NFD-able word."""
    text = unicodedata.normalize("NFD", word)
    base = unicodedata.normalize("NFC", "".join(ch for ch in text if ch not in TONE_SET))
    return base, "".join(ch for ch in text if ch in TONE_SET)


def word_key(s: str) -> tuple:
    """Vietnamese alphabetical order: a ă â b c d đ e ê …, then tones."""
    base, tones = split_tones(clean(s).casefold())
    return tuple(_RANK.get(ch, 100 + ord(ch)) for ch in base), tones


def name_order(name: str) -> tuple:
    """Sort key for a person's name: given name (last word) first, then the full name."""
    words = clean(name).split()
    return (word_key(words[-1]) if words else ((), ""), word_key(" ".join(words)), clean(name))


def text_order(text: str) -> tuple:
    """Sort key for a label such as a department: blank last, then Vietnamese alphabetical."""
    return (clean(text) == "", word_key(text), clean(text))
