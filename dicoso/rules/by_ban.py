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


def issue_departments(issues: list[dict[str, Any]], cadres: pd.DataFrame, trips: pd.DataFrame) -> list[str]:
    """The Ban of each issue (see the module docstring), "" when it is the office's."""
    department = dict(zip(cadres["id"].tolist(), cadres["department"].tolist()))
    rows = zip(cadres["file"], cadres["sheet"], cadres["row"], cadres["department"])
    roster: dict[tuple[Any, Any, Any], str] = {(f, s, int(r)): d for f, s, r, d in rows if r == r and r is not None}
    pairs = list(zip(trips["file"].tolist(), (department.get(c, "") for c in trips["cid"].tolist()))) \
        if len(trips) and "cid" in trips else []
    by_file = _majority(pairs)
    by_folder = _majority([(dirname(f), d) for f, d in by_file.items() if dirname(f)])
    out = []
    for i in issues:
        file = i.get("file") or ""
        found = roster.get((file, i.get("sheet") or "", i.get("row")), "")
        if not found and file:
            found = by_file.get(file) or by_folder.get(dirname(file), "")
        out.append(found)
    return out
