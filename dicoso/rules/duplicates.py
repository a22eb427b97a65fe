"""Duplicates: the same trip written twice (copied into next month's book, a joint trip in
two Ban's books) counts once; two different trips on the same days (two places or two
contents) are two trips, each needing its report, whose days count once.

Rows of one cadre with the same dates are grouped; within a group a row joins the first
earlier trip whose place, content and level agree (`same_text`), else starts a new trip.
The copy first by (file, sheet, row) is kept; `submitted` = the earliest filed date of
the copies; level = the lowest-ranked recognised level; content counts when any copy's does.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dicoso.model import Issue
from dicoso.rules.rows import Memo, excel_rows, where_of
from dicoso.text.clean import clean
from dicoso.text.names import name_key
from dicoso.text.vn import dmy

if TYPE_CHECKING:
    from dicoso.rules.checks import Facts


# What "the same trip" compares besides the cadre and the dates (shared/domain.md: one
# trip is one cadre, one date range, one place or one content).
SAME_TRIP_FIELDS = ("place", "content", "level")
_FIELD_LABELS = {"place": "địa bàn", "content": "nội dung", "level": "cấp"}
_PUNCT_RE = re.compile(r"[^\w]+")
_CAP_KEY = name_key("cấp") + " "


def trip_text_key(value: object, field: str = "") -> str:
    """A place, content or level as compared: case, Unicode form, tone placement, spacing and
    punctuation ignored ("Xã Hợp Thịnh." == "xã  Hợp Thịnh"); a leading "cấp" of a level
    dropped ("Cấp xã" == "Xã")."""
    key = name_key(_PUNCT_RE.sub(" ", clean(value)))
    if field == "level" and (key + " ").startswith(_CAP_KEY):
        key = key[len(_CAP_KEY):]
    return key


def same_text(a: str, b: str) -> bool:
    """Two keys of one field agree: equal, one blank, or one's words inside the other's
    ("Tam Dương" and "Huyện đoàn Tam Dương": the same place written shorter)."""
    return not a or not b or a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _clusters(keys: list[tuple[str, ...]]) -> list[int]:
    """Cluster number of each copy of one (cadre, start, end), in order: a row joins the first
    cluster whose fields all agree with it (`same_text`), else starts a new one."""
    merged: list[list[str]] = []
    out = []
    for key in keys:
        for n, have in enumerate(merged):
            if all(same_text(a, b) for a, b in zip(key, have)):
                merged[n] = [b if len(b) >= len(a) else a for a, b in zip(key, have)]
                out.append(n)
                break
        else:
            merged.append(list(key))
            out.append(len(merged) - 1)
    return out


def _trip_groups(k: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(gid, first): the trip each row belongs to, numbered in row order, and whether the row
    is its trip's first copy. `k` is sorted by (cid, s, e, file, sheet, row).

    Rows that share (cadre, start, end) are split into trips by place, content and level.
    The usual copies are written alike to the letter and are grouped without a loop;
    only the days with two differently written rows are keyed and clustered one by one."""
    cid, s, e = (k[c].to_numpy() for c in ("cid", "s", "e"))
    new_days = np.ones(len(k), dtype=bool)
    new_days[1:] = (cid[1:] != cid[:-1]) | (s[1:] != s[:-1]) | (e[1:] != e[:-1])
    day_group = np.cumsum(new_days) - 1
    again = np.flatnonzero(~new_days)  # the second and later rows of a (cadre, start, end)
    lead = np.maximum.accumulate(np.where(new_days, np.arange(len(k)), 0))[again]  # and its first row
    written_apart = np.zeros(len(again), dtype=bool)
    for f in SAME_TRIP_FIELDS:
        values = k[f].to_numpy()
        written_apart |= values[again] != values[lead]
    if not written_apart.any():
        return day_group, new_days
    # days written two ways: key the texts, cluster each such day's rows
    rows = np.flatnonzero(np.isin(day_group, day_group[again[written_apart]]))
    keys = list(zip(*([trip_text_key(v, f) for v in k[f].to_numpy()[rows].tolist()] for f in SAME_TRIP_FIELDS)))
    sub = np.zeros(len(k), dtype="int64")  # the trip inside its (cid, s, e)
    groups: dict[int, list[int]] = {}
    for at, dg in enumerate(day_group[rows].tolist()):
        groups.setdefault(dg, []).append(at)
    for ats in groups.values():
        sub[rows[ats]] = _clusters([keys[at] for at in ats])
    pair = pd.Series(day_group * (len(k) + 1) + sub)
    first = ~pair.duplicated().to_numpy()
    gid = pd.factorize(pair)[0]  # numbered by first appearance, i.e. in row order
    return gid, first


def merge_duplicates(k: pd.DataFrame, facts: Facts, issues: list[Issue]) -> tuple[pd.DataFrame, int]:
    """Rows that are the same trip written twice are one trip (shared/domain.md).

    The same trip: the same cadre, start and end, and a place, content and level that
    agree (`same_text`: equal once case, accents' form, spacing and punctuation are set
    aside; or blank in one copy, since a copy often leaves out what the other says; or
    the one written shorter inside the other, "Tam Dương" in "Huyện đoàn Tam Dương").
    Two trips of one cadre on the same days to a different place, with a different
    content or at a different level are two trips: each needs its report and counts in
    the trip counts; their days count once (days are a set).

    Of the copies of a trip the first by (file, sheet, row) is kept; submitted = the
    earliest filed date of the copies; level = the lowest-ranked recognised level;
    content counts when any copy's does; the report date is recorded when any copy's
    book has a report-date column."""
    k = k.assign(_row=k["row"].fillna(0)).sort_values(["cid", "s", "e", "file", "sheet", "_row"], kind="stable")
    gid, first_copy = _trip_groups(k)
    dup = ~first_copy
    g = pd.DataFrame({"gid": gid, "sub": k["sub"].to_numpy(), "rank": k["rank"].to_numpy(),
                      "counts": k["counts"].to_numpy(), "content_known": k["content_known"].to_numpy(),
                      "recorded": k["recorded"].to_numpy()}).groupby("gid")
    firsts = k[first_copy]
    text = Memo(clean)
    if dup.any():
        copies, first = k[dup], k.iloc[np.flatnonzero(first_copy)[gid[dup]]]
        day = Memo(dmy)
        for cid, start, end, file, sheet, row, f_file, f_sheet, f_row, blanks in zip(
                copies["cid"].tolist(), copies["start"].tolist(), copies["end"].tolist(),
                map(text, copies["file"].tolist()), map(text, copies["sheet"].tolist()), excel_rows(copies["row"]),
                map(text, first["file"].tolist()), map(text, first["sheet"].tolist()), excel_rows(first["row"]),
                _blank_in_one(copies, first, text)):
            left_out = f" (một trong hai dòng để trống {blanks})" if blanks else ""
            issues.append(Issue(
                "duplicate_merged", "info",
                f'Chuyến đi của "{facts.cadres[cid].label}" từ {day(start)} đến {day(end)} đã có ở tệp '
                f'{f_file}, trang "{f_sheet}", dòng {f_row}{left_out}; chỉ tính một lần.', file, sheet, row,
                suggestion="Không cần sửa: chuyến đi chung ghi ở sổ của hai Ban, hoặc chép lại ở sổ tháng sau, "
                           "chỉ được tính một lần. Nếu thực ra đây là hai chuyến khác nhau trong cùng ngày, ghi rõ "
                           "địa bàn (hoặc nội dung) của từng chuyến ở mỗi dòng để chương trình tính riêng."))
    _same_day_notes(k, first_copy, facts, issues, text)
    kept = firsts.drop(columns="_row").reset_index(drop=True)
    kept["sub"] = g["sub"].min().to_numpy()
    kept["rank"] = g["rank"].min().to_numpy()
    kept["counts"] = g["counts"].max().to_numpy()
    kept["content_known"] = g["content_known"].max().to_numpy()
    kept["recorded"] = g["recorded"].max().to_numpy()
    return kept, int(dup.sum())


def _blank_in_one(copies: pd.DataFrame, first: pd.DataFrame, text: Memo) -> list[str]:
    """Per merged copy, the fields filled in one copy and blank in the other ("địa bàn")."""
    cols = [(list(map(text, copies[f].tolist())), list(map(text, first[f].tolist()))) for f in SAME_TRIP_FIELDS]
    return [", ".join(_FIELD_LABELS[f] for f, (a, b) in zip(SAME_TRIP_FIELDS, cols) if bool(a[i]) != bool(b[i]))
            for i in range(len(copies))]


def _same_day_notes(k: pd.DataFrame, first_copy: np.ndarray, facts: Facts, issues: list[Issue], text: Memo) -> None:
    """A note at each further trip of a cadre on the same days as an earlier one (kept apart
    because its place, content or level differs): two trips, each counted, days once."""
    firsts = k[first_copy]
    cid, s, e = (firsts[c].to_numpy() for c in ("cid", "s", "e"))
    again = np.zeros(len(firsts), dtype=bool)
    again[1:] = (cid[1:] == cid[:-1]) & (s[1:] == s[:-1]) & (e[1:] == e[:-1])
    if not again.any():
        return
    lead_at = np.maximum.accumulate(np.where(again, 0, np.arange(len(firsts))))[again]
    later, lead = firsts[again], firsts.iloc[lead_at]
    day = Memo(dmy)
    cols = {f: (later[f].tolist(), lead[f].tolist()) for f in SAME_TRIP_FIELDS}
    for n, (c, start, end, l_file, l_sheet, l_row, where) in enumerate(zip(
            later["cid"].tolist(), later["start"].tolist(), later["end"].tolist(), map(text, lead["file"].tolist()),
            map(text, lead["sheet"].tolist()), excel_rows(lead["row"]), map(where_of, later.itertuples()))):
        differ = [f for f in SAME_TRIP_FIELDS if trip_text_key(cols[f][0][n], f) != trip_text_key(cols[f][1][n], f)]
        shown = "; ".join(f'{_FIELD_LABELS[f]} "{text(cols[f][1][n])}" và "{text(cols[f][0][n])}"' for f in differ)
        there = (f"dòng {l_row} của trang này" if (l_file, l_sheet) == (where["file"], where["sheet"])
                 else f'tệp {l_file}, sheet "{l_sheet}", dòng {l_row}')
        issues.append(Issue(
            "same_day_trips", "info",
            f'Chuyến đi của "{facts.cadres[c].label}" từ {day(start)} đến {day(end)} trùng ngày với chuyến ở '
            f"{there} nhưng khác {shown}; tính là hai chuyến (mỗi chuyến cần báo cáo riêng), số ngày chỉ tính "
            "một lần.",
            suggestion="Không cần sửa nếu đúng là hai chuyến. Nếu là một chuyến ghi hai lần, ghi địa bàn, nội dung "
                       "và cấp giống nhau ở cả hai dòng để chương trình gộp làm một.", **where))
