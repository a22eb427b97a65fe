"""What counts as a trip to the grassroots (`content`): the kinds of work a plan lists
(chuyên đề; thăm nắm tình hình; dự sinh hoạt chi đoàn; …), each recognised by phrases
of the "Nội dung" column, and what to do with a content that matches none
(`unmatched`): count it anyway, count it with a note, or exclude the trip.

A blank content always counts. A trip written twice counts when any copy's content does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from dicoso.model import Issue
from dicoso.rules.checks import Check, Facts
from dicoso.rules.phrases import has_phrase
from dicoso.rules.rows import where_of
from dicoso.text.clean import clean

if TYPE_CHECKING:
    from dicoso.rules.schema import Checker

UNMATCHED = ("count", "note", "exclude")


@dataclass(frozen=True, slots=True)
class ContentKind:
    label: str
    match: tuple[str, ...]


@dataclass(frozen=True)
class Content(Check):
    kinds: tuple[ContentKind, ...] = ()
    unmatched: str = "count"

    key = "content"
    order = 40

    @classmethod
    def from_yaml(cls, doc: dict, c: Checker) -> Content:
        value = doc.get("content")
        if value is None:
            return cls()
        c.mapping(value, "content", ("kinds", "unmatched"), ())
        kinds = value.get("kinds") or []
        if not isinstance(kinds, list):
            raise c.fail("content.kinds", "phải là danh sách các loại nội dung {label, match}", kinds)
        out = []
        for i, item in enumerate(kinds):
            key = f"content.kinds[{i}]"
            c.mapping(item, key, ("label", "match"), ("label", "match"))
            match = c.texts(item["match"], f"{key}.match")
            if not match:
                raise c.fail(f"{key}.match", "phải có ít nhất một cụm từ", item["match"])
            out.append(ContentKind(c.text(item["label"], f"{key}.label"), match))
        unmatched = c.choice(value.get("unmatched", "count"), "content.unmatched", UNMATCHED)
        if unmatched != "count" and not out:
            raise c.fail("content.kinds", f'phải có ít nhất một loại khi content.unmatched là "{unmatched}"', kinds)
        return cls(tuple(out), unmatched)

    @property
    def on(self) -> bool:
        return self.unmatched != "count"

    def known(self, content: str) -> bool:
        """Whether `content` is one of the kinds (a blank content counts)."""
        text = clean(content)
        if not text or not self.kinds:
            return True
        return any(has_phrase(text, kind.match) for kind in self.kinds)

    def classify(self, trips: pd.DataFrame, facts: Facts) -> None:
        """`content_known`, and `counts` when unmatched contents are excluded."""
        if not self.on:
            return
        contents = trips["content"].map(clean)
        known = {c: self.known(c) for c in set(contents)}
        trips["content_known"] = contents.map(known).to_numpy(dtype=bool)
        if self.unmatched == "exclude":
            trips["counts"] = trips["content_known"]

    def trip_issues(self, trips: pd.DataFrame, facts: Facts) -> list[Issue]:
        if not self.on:
            return []
        flagged = (trips["in_window"].to_numpy() > 0) & ~trips["content_known"].to_numpy(dtype=bool)
        kinds, note = "; ".join(kd.label for kd in self.kinds), self.unmatched == "note"
        return [Issue("content_unrecognised" if note else "content_not_counted", "info" if note else "warning",
                      f'Nội dung "{clean(r.content)}" không thuộc các loại được tính ({kinds}); '
                      + ("vẫn được tính." if note else "chuyến đi không được tính."),
                      column="Nội dung", suggestion='Nếu nội dung thuộc một trong các loại trên, ghi '
                                                    'lại cột "Nội dung" cho rõ.', **where_of(r))
                for r in trips[flagged].itertuples()]


CHECK = Content
