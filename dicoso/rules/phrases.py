"""Phrases of a rule set matched in the registers' words: whole words, keys compared.

"đoàn xã" matches "Đoàn xã Tam Hồng" and "Thăm, nắm tình hình đoàn xã", whatever the
case, NFC/NFD form or tone placement, but not "đoàn xãx". Used by the rule kinds
(levels, content, monthly leaders, full exemptions).
"""

from __future__ import annotations

import re
from functools import cache

from dicoso.text.names import name_key


@cache
def _phrase_re(phrase: str, anchored: bool) -> re.Pattern:
    return re.compile(("^" if anchored else r"(?<!\w)") + re.escape(name_key(phrase)) + r"(?!\w)")


@cache
def keys(values: tuple[str, ...]) -> frozenset[str]:
    """The name keys of `values` (for a whole-text comparison)."""
    return frozenset(name_key(v) for v in values)


def has_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    """Any phrase occurs in `text` as whole words (keys compared)."""
    key = name_key(text)
    return any(_phrase_re(p, False).search(key) for p in phrases)


def starts_with_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    key = name_key(text)
    return any(_phrase_re(p, True).match(key) for p in phrases)
