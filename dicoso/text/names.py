"""Person names: a matching key and a fuzzy 'did you mean' lookup.

The same cadre is typed differently across books: NFC or NFD (copied from a
PDF or a Mac), upper or lower case, double spaces, and the old or new tone
placement ("Hoà"/"Hòa", "Thuỷ"/"Thủy"). `name_key` erases exactly those
differences and nothing else: "Hòa", "Hoa" and "Hóa" stay three names, and
"Đ" stays distinct from "D".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

from .alphabet import TONES
from .clean import clean

# Combining tone marks -> the digit used in the key (sắc, huyền, hỏi, ngã, nặng).
TONE_DIGITS = {mark: str(n) for n, mark in enumerate(TONES, start=1)}
MIN_SCORE = 70.0
# An accent-blind match is a little weaker than the same match with accents, so
# "Nguyễn Văn Hòa" beats "Nguyễn Văn Hoà"'s neighbour "Nguyễn Văn Hoa" for "Hòa".
PLAIN_WEIGHT = 0.95


def _syllable_key(word: str) -> str:
    """Base letters (with circumflex, breve, horn) + the tone digits as a suffix."""
    tones = "".join(TONE_DIGITS[ch] for ch in word if ch in TONE_DIGITS)
    base = "".join(ch for ch in word if ch not in TONE_DIGITS)
    return unicodedata.normalize("NFC", base) + tones


def name_key(s: object) -> str:
    """Matching key: ignores NFC/NFD, case, spacing and tone-mark placement.

    >>> name_key("Nguyễn Văn  HOÀ") == name_key("nguyễn văn hòa")
    True
    """
    return _key_of(clean(s))


@lru_cache(maxsize=1 << 16)
def _key_of(cleaned: str) -> str:
    text = unicodedata.normalize("NFD", cleaned.casefold())
    return " ".join(_syllable_key(word) for word in text.split())


def _plain(key: str) -> str:
    """Accent-blind form of a key: no tone digits, no vowel marks, đ -> d."""
    text = unicodedata.normalize("NFD", key.replace("đ", "d"))
    return "".join(
        ch for ch in text if not unicodedata.combining(ch) and not ch.isdigit()
    )


def fold(s: object) -> str:
    """Accent-blind, case-blind words of a place or unit name, for names typed without
    diacritics or with other dashes: "Bà Rịa – Vũng Tàu" and "Ba Ria - Vung Tau" give
    "ba ria vung tau"; "Ban XDĐ" gives "ban xdd". Not for people (see name_key)."""
    text = unicodedata.normalize("NFD", clean(s).casefold().replace("đ", "d"))
    return " ".join(re.findall(r"[a-z0-9]+", "".join(ch for ch in text if not unicodedata.combining(ch))))


def _score(key: str, other: str) -> float:
    exact = max(fuzz.ratio(key, other), fuzz.token_sort_ratio(key, other))
    plain_a, plain_b = _plain(key), _plain(other)
    plain = max(fuzz.ratio(plain_a, plain_b), fuzz.token_sort_ratio(plain_a, plain_b))
    return max(float(exact), PLAIN_WEIGHT * plain)


def closest(name: str, candidates: dict[str, str]) -> tuple[str | None, float]:
    """Best display name among `candidates` (name_key -> display) and its score 0..100.

    (None, 0.0) when nothing scores at least MIN_SCORE. Ties go to the display
    name that sorts first, so the answer does not depend on dict order.
    """
    key = name_key(name)
    if not key:
        return None, 0.0
    best: tuple[float, str] | None = None
    for cand_key, display in sorted(candidates.items(), key=lambda kv: kv[1]):
        score = _score(key, name_key(cand_key))
        if best is None or score > best[0]:
            best = (score, display)
    if best is None or best[0] < MIN_SCORE:
        return None, 0.0
    return best[1], round(best[0], 1)
