"""Quotas per level of the grassroots (`levels`): e.g. Bà Rịa – Vũng Tàu's chi đoàn 30
days, xã 20, huyện 10. Levels are data: after the 2025 reorganisation a province may
have no "huyện" at all.

A trip's level comes from its "Cấp" column, or from the first words of its place
("Đoàn xã …"), as `source` says. A day counts for the level of the first trip that day
(earliest start, then end, then the level listed first: two trips on one day to a
chi đoàn and a huyện give the day to the chi đoàn when it is listed first). Each level's
quota is prorated like the yearly one, and

    short = Σ_levels max(0, level quota − level days)

Off (no `levels` key): every trip has rank 0 and no level quota.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dicoso.model import Issue
from dicoso.rules.checks import Check, Facts
from dicoso.rules.checks.quota import Quota
from dicoso.rules.phrases import keys, starts_with_phrase
from dicoso.rules.rows import where_of
from dicoso.rules.trips import count_by
from dicoso.text.clean import clean
from dicoso.text.names import name_key
from dicoso.text.vn import dmy

if TYPE_CHECKING:
    from dicoso.rules.schema import Checker

SOURCES = ("column", "place", "column_then_place")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Level:
    """A level of the grassroots (chi đoàn, xã, huyện …) with its own yearly quota."""

    key: str
    label: str
    quota: int
    column: tuple[str, ...] = ()  # values of the "Cấp" column meaning this level
    place: tuple[str, ...] = ()  # leading words of the destination ("Đoàn xã …")


@dataclass(frozen=True)
class Levels(Check):
    source: str = "column_then_place"
    items: tuple[Level, ...] = ()

    key = "levels"
    order = 30

    @classmethod
    def from_yaml(cls, doc: dict, c: Checker) -> Levels:
        value = doc.get("levels")
        if value is None:
            return cls()
        c.mapping(value, "levels", ("source", "items"), ("items",))
        source = c.choice(value.get("source", "column_then_place"), "levels.source", SOURCES)
        items = value["items"]
        if not isinstance(items, list) or not items:
            raise c.fail("levels.items", "phải là danh sách không rỗng các cấp {key, label, quota, column, place}",
                         items)
        out: list[Level] = []
        for i, item in enumerate(items):
            key = f"levels.items[{i}]"
            c.mapping(item, key, ("key", "label", "quota", "column", "place"), ("key", "label", "quota"))
            lkey = c.text(item["key"], f"{key}.key")
            if not _KEY_RE.match(lkey):
                raise c.fail(f"{key}.key", "phải viết thường, không dấu, nối bằng dấu gạch dưới (ví dụ chi_doan)",
                             lkey)
            if any(lv.key == lkey for lv in out):
                raise c.fail(f"{key}.key", "không được trùng với cấp khác", lkey)
            column, place = c.texts(item.get("column"), f"{key}.column"), c.texts(item.get("place"), f"{key}.place")
            if not column and not place:
                raise c.fail(key, 'phải có "column" và/hoặc "place" để nhận biết cấp của chuyến đi', item)
            out.append(Level(lkey, c.text(item["label"], f"{key}.label"),
                             c.integer(item["quota"], f"{key}.quota", 0), column, place))
        total, quota = sum(lv.quota for lv in out), doc["quota_days"]
        if total > quota:
            raise c.fail("levels.items", f"có tổng chỉ tiêu các cấp ({total}) không được vượt quota_days ({quota})",
                         [lv.quota for lv in out])
        return cls(source, tuple(out))

    @property
    def on(self) -> bool:
        return bool(self.items)

    def rank(self, column_value: str, place: str) -> int:
        """Index of the trip's level in `items`; len(items) when unknown."""
        col = clean(column_value)
        if col and self.source in ("column", "column_then_place"):
            key = name_key(col).removeprefix(name_key("cấp") + " ")
            for i, lv in enumerate(self.items):
                if key in keys(lv.column):
                    return i
            if self.source == "column":
                return len(self.items)
        if self.source in ("place", "column_then_place"):
            for i, lv in enumerate(self.items):
                if lv.place and starts_with_phrase(clean(place), lv.place):
                    return i
        return len(self.items)

    def classify(self, trips: pd.DataFrame, facts: Facts) -> None:
        """`rank`: the trip's level, once per distinct (Cấp, place)."""
        if not self.on:
            return
        pairs = trips["level"].fillna("").astype(str) + "\x1f" + trips["place"].fillna("").astype(str)
        codes, uniques = pd.factorize(pairs)
        ranks = np.array([self.rank(*u.split("\x1f", 1)) for u in uniques], dtype="int64")
        trips["rank"] = ranks[codes] if len(codes) else np.zeros(0, dtype="int64")

    def trip_issues(self, trips: pd.DataFrame, facts: Facts) -> list[Issue]:
        if not self.on:
            return []
        unknown = (trips["in_window"].to_numpy() > 0) & (trips["rank"].to_numpy() >= len(self.items))
        out = []
        for r in trips[unknown].itertuples():
            fields = facts.sheet_fields.get((r.file, r.sheet))
            read, column, suggestion = self.advice(clean(r.level), clean(r.place), not fields or "level" in fields)
            out.append(Issue("level_unknown", "warning",
                             f"Không nhận ra cấp cơ sở của chuyến đi từ {dmy(r.start)} đến {dmy(r.end)} ({read}); "
                             "số ngày chỉ tính vào tổng, không tính vào chỉ tiêu từng cấp.", column=column,
                             suggestion=suggestion, **where_of(r)))
        return out

    def advice(self, level: str, place: str, has_column: bool) -> tuple[str, str, str]:
        """(what was read, the column to point at, what to do) for a trip whose level is unknown,
        as the rule set reads levels (`source`) and as the book is laid out (a "Cấp" column or not)."""
        labels = ", ".join(lv.label for lv in self.items)
        starts = ", ".join(f'"{lv.place[0][:1].upper()}{lv.place[0][1:]} …"' for lv in self.items if lv.place)
        by_place = f"ghi địa bàn bắt đầu bằng tên cấp (ví dụ {starts})"
        add_column = f'thêm cột "Cấp" vào dòng tiêu đề của trang này và ghi cấp của từng chuyến (một trong: {labels})'
        if self.source == "place":
            return (f'Địa bàn: "{place}"', "Địa bàn",
                    f"{by_place[0].upper()}{by_place[1:]}; bộ quy tắc nhận cấp theo những chữ đầu của địa bàn.")
        if not has_column:
            if self.source == "column":
                return ('sổ không có cột "Cấp"', "",
                        f"{add_column[0].upper()}{add_column[1:]}; bộ quy tắc chỉ đọc cấp từ cột này.")
            return (f'sổ không có cột "Cấp"; Địa bàn: "{place}"', "Địa bàn",
                    f"{by_place[0].upper()}{by_place[1:]}, hoặc {add_column}.")
        if self.source == "column":
            return f'Cấp: "{level}"', "Cấp", f'Ghi cột "Cấp" là một trong: {labels}.'
        return (f'Cấp: "{level}", Địa bàn: "{place}"', "Cấp",
                f'Ghi cột "Cấp" là một trong: {labels}; hoặc để trống cột "Cấp" và {by_place}.')

    def cadres(self, rows: list[dict[str, Any]], facts: Facts) -> None:
        n, quota = len(self.items), facts.rules.check(Quota)
        days = facts.days
        assert days is not None
        counted = days[days["rank"] < n]
        by_level = count_by((counted["cid"] * max(n, 1) + counted["rank"]).to_numpy(), len(facts.cadres) * n)
        for row in rows:
            cid = row["id"]
            level_quotas = {lv.key: (0 if row["exempt"] else quota.of(lv.quota, row["eligible_days"], facts.year.days))
                            for lv in self.items}
            done = dict(zip(level_quotas, (int(x) for x in by_level[cid * n:(cid + 1) * n])))
            row.update(level_quotas=level_quotas, by_level=done)
            row["short"][self.key] = sum(max(0, q - done[key]) for key, q in level_quotas.items())


CHECK = Levels
