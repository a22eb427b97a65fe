"""Which Ban a data problem belongs to, so that each Ban is sent its own (render/per_ban.py).

A problem on a roster row is the Ban of the cadre on that row; a problem in a register
is the Ban most of the register's counted trips belong to (the cadres' Ban in the
roster), else the Ban most registers of its folder belong to (a book whose every row
was rejected still sits in its Ban's folder). Anything else (a registration table, the
office's own files) is the office's: department "".
"""

from __future__ import annotations

from collections import Counter
from posixpath import dirname
from typing import Any

import pandas as pd


def _majority(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """key -> the value most often paired with it (ties: the first seen)."""
    counts: dict[str, Counter] = {}
    for key, value in pairs:
        if value:
            counts.setdefault(key, Counter())[value] += 1
    return {key: c.most_common(1)[0][0] for key, c in counts.items()}


def _by_file(trips: pd.DataFrame, cadres: pd.DataFrame) -> dict[str, str]:
    """Register -> the Ban most of its counted trips belong to (ties: the first seen), as
    `_majority` would say it, column-wise: a national roll-up has a million trips."""
    if not len(trips) or "cid" not in trips:
        return {}
    ban = trips["cid"].map(pd.Series(cadres["department"].to_numpy(), index=cadres["id"].to_numpy()))
    pairs = pd.DataFrame({"file": trips["file"].to_numpy(), "ban": ban.to_numpy()})
    pairs = pairs[pairs["ban"].notna() & (pairs["ban"] != "")]
    counts = pairs.groupby(["file", "ban"], sort=False).size().reset_index(name="n")  # in first-seen order
    best = counts.sort_values("n", ascending=False, kind="stable").drop_duplicates("file")
    return dict(zip(best["file"].tolist(), best["ban"].tolist()))


def issue_departments(issues: list[dict[str, Any]], cadres: pd.DataFrame, trips: pd.DataFrame) -> list[str]:
    """The Ban of each issue (see the module docstring), "" when it is the office's."""
    rows = zip(cadres["file"], cadres["sheet"], cadres["row"], cadres["department"])
    roster: dict[tuple[Any, Any, Any], str] = {(f, s, int(r)): d for f, s, r, d in rows if r == r and r is not None}
    by_file = _by_file(trips, cadres)
    by_folder = _majority([(dirname(f), d) for f, d in by_file.items() if dirname(f)])
    out = []
    for i in issues:
        file = i.get("file") or ""
        found = roster.get((file, i.get("sheet") or "", i.get("row")), "")
        if not found and file:
            found = by_file.get(file) or by_folder.get(dirname(file), "")
        out.append(found)
    return out
