"""A Ban's own per-cadre totals ("Tổng hợp" sheets) checked against the days counted.

A summary sheet (names and day totals, no dates) is never counted: the figures come
from the trips. But where the Ban's total for a cadre differs from the days the tool
counts from that Ban's trips, something is missing, doubled or added wrongly in one
of the two, and a warning names both figures and the sheet.

That Ban's trips are the trip rows of the summary's own book when it has any (a
quarterly book with a sheet per month and a "Tổng hợp" sheet), else those of the
books in the summary's folder and below it (the Ban's folder; the whole drop folder
for a summary at its top). Days are counted as the engine counts them: the cadre's
trip rows in that scope (every copy, so that a trip whose kept copy is in another
Ban's book still counts here), each day once, inside the counting window, only
trips whose content counts. A progress run also accepts the scope's days of the whole
year: a sheet kept up to date may include months after the reported period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dicoso.model import Issue
from dicoso.rules.days import day_no
from dicoso.rules.roster import Names, match_rows
from dicoso.rules.rows import where_of
from dicoso.text.clean import clean
from dicoso.text.vn import dmy

if TYPE_CHECKING:
    from dicoso.rules.checks import Facts


def _scope(rows: pd.DataFrame, file: str) -> tuple[pd.DataFrame, str]:
    """The trip rows a summary sheet in `file` is compared with, and how to say where they are."""
    same = rows[rows["file"] == file]
    if len(same):
        return same, f"các trang đi cơ sở của sổ {file}"
    folder = file.rsplit("/", 1)[0] if "/" in file else ""
    if not folder:
        return rows, "tất cả các sổ trong thư mục"
    return rows[rows["file"].str.startswith(folder + "/")], f'các sổ trong thư mục "{folder}"'


def _days(rows: pd.DataFrame, cid: int, window: tuple[int, int]) -> int:
    """Distinct days of the cadre's rows inside the window."""
    mine = rows[rows["cid"] == cid]
    days: set[int] = set()
    for s, e in zip(np.maximum(mine["s"].to_numpy(), window[0]).tolist(),
                    np.minimum(mine["e"].to_numpy(), window[1]).tolist()):
        days.update(range(s, e + 1))
    return len(days)


def cross_check(summaries: pd.DataFrame | None, rows: pd.DataFrame | None, facts: Facts,
                names: Names) -> list[Issue]:
    """Warnings where a summary sheet's total differs from the days counted (module docstring).

    `rows`: the trip rows the engine kept before merging duplicates (file, cid, s, e, counts).
    """
    if summaries is None or not len(summaries) or rows is None:
        return []
    rows = rows[rows["counts"].astype(bool)]
    window = (day_no(facts.window[0]), day_no(facts.window[1]))
    year = (window[0], max(window[1], day_no(facts.year.end)))
    span = f"{dmy(facts.window[0])}–{dmy(facts.window[1])}"
    s = summaries.reset_index(drop=True)
    # a name not in the roster, or a homonym's the row's Ban does not tell apart, is not compared
    # (the note below, not the trip rows' errors: nothing of a summary sheet is counted)
    cids, _ = match_rows(s, names, "dòng tổng hợp này")
    issues = []
    for r, cid in zip(s.itertuples(), cids):
        name = clean(r.name)
        if np.isnan(cid):
            issues.append(Issue(
                "summary_name_unknown", "info",
                f'Tên "{name}" trên trang tổng hợp không có trong danh sách cán bộ (hoặc có hai người cùng tên mà '
                "dòng không rõ Ban); không đối chiếu được số ngày.",
                column="Họ và tên", suggestion="Sửa tên cho đúng danh sách cán bộ nếu muốn đối chiếu.", **where_of(r)))
            continue
        if r.days != r.days:  # no number written: nothing to compare
            continue
        scope, where = _scope(rows, clean(r.file))
        counted = _days(scope, int(cid), window)
        # a progress run counts up to the period's end; a Ban's sheet kept up to date with
        # later books may be ahead of it: agreeing with the year's trips is agreeing
        if abs(float(r.days) - counted) > 1e-9 and abs(float(r.days) - _days(scope, int(cid), year)) > 1e-9:
            cadre = facts.cadres[int(cid)].label
            issues.append(Issue(
                "summary_days_differ", "warning",
                f'Trang tổng hợp "{clean(r.sheet)}" ghi {cadre} {float(r.days):g} ngày, nhưng chương trình đếm được '
                f"{counted} ngày từ {where} (mỗi ngày tính một lần, trong kỳ tính {span}). Báo cáo dùng số ngày "
                "đếm từ các chuyến đi.",
                column=clean(r.days_column) or "Số ngày",
                suggestion=f"Đối chiếu các chuyến đi của {cadre} trong sổ với trang tổng hợp: có thể thiếu hoặc thừa "
                           "một chuyến, một chuyến ghi hai lần, ngày đi/ngày về gõ nhầm, hoặc cộng nhầm trên trang "
                           "tổng hợp.", **where_of(r)))
    return issues
