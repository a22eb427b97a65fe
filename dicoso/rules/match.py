"""Text matching for the engine: phrases, levels, content, sort order.

Name keys and the closest-name suggestion are the text layer's (`dicoso.text.names`).
"""

from __future__ import annotations

import re
from functools import cache

from dicoso.rules.ruleset import RuleSet
from dicoso.text.clean import clean
from dicoso.text.names import name_key

# --- phrases -----------------------------------------------------------------


@cache
def _phrase_re(phrase: str, anchored: bool) -> re.Pattern:
    return re.compile(("^" if anchored else r"(?<!\w)") + re.escape(name_key(phrase)) + r"(?!\w)")


@cache
def _keys(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name_key(v) for v in values)


def has_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    """Any phrase occurs in `text` as whole words (keys compared)."""
    key = name_key(text)
    return any(_phrase_re(p, False).search(key) for p in phrases)


def starts_with_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    key = name_key(text)
    return any(_phrase_re(p, True).match(key) for p in phrases)


def level_rank(rs: RuleSet, column_value: str, place: str) -> int:
    """Index of the trip's level in `rs.levels`; len(rs.levels) when unknown."""
    col = clean(column_value)
    if col and rs.level_source in ("column", "column_then_place"):
        key, prefix = name_key(col), name_key("cấp") + " "
        key = key.removeprefix(prefix)
        for i, lv in enumerate(rs.levels):
            if key in _keys(lv.column):
                return i
        if rs.level_source == "column":
            return len(rs.levels)
    if rs.level_source in ("place", "column_then_place"):
        for i, lv in enumerate(rs.levels):
            if lv.place and starts_with_phrase(clean(place), lv.place):
                return i
    return len(rs.levels)


def content_counts(rs: RuleSet, content: str) -> bool:
    """Whether `content` is one of the rule set's kinds (a blank content counts)."""
    text = clean(content)
    if not text or not rs.content_kinds:
        return True
    return any(has_phrase(text, kind.match) for kind in rs.content_kinds)


def is_monthly_position(rs: RuleSet, position: str) -> bool:
    return bool(rs.monthly_positions) and starts_with_phrase(clean(position), rs.monthly_positions)


# --- presentation ------------------------------------------------------------
