"""Trips: rejection, name matching, duplicate merging, data checks, days as a set and
report status.

Dates are handled as int64 day numbers (days since 1970-01-01) in numpy arrays so
that a million trips run in seconds: a trip is exploded to its days with np.repeat
and the (cadre, day) pairs are deduplicated, keeping the first trip of the day in
the order (cadre, start, end, level rank), then (file, sheet, row): two trips on the
same days (two places) give their day to the level listed first in the rule set, so
the level a day counts for does not depend on row or file order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dicoso.model import Issue
from dicoso.rules.days import EPOCH, NONE, day_no, to_date
from dicoso.rules.duplicates import merge_duplicates
from dicoso.rules.roster import Names, match_rows
from dicoso.rules.rows import where_of
from dicoso.text.clean import clean
from dicoso.text.vn import dmy

if TYPE_CHECKING:
    from dicoso.rules.checks import Facts


def _day_array(col: pd.Series, ok: np.ndarray) -> np.ndarray:
    out = np.full(len(col), NONE, dtype="int64")
    if ok.any():
        values = col[ok].tolist()
        out[ok] = np.fromiter((d.toordinal() for d in values), dtype="int64", count=len(values)) - EPOCH.toordinal()
    return out


def _is_date(col: pd.Series) -> np.ndarray:
    return col.map(lambda v: isinstance(v, date)).to_numpy(dtype=bool)


@dataclass
class TripResult:
    trips: pd.DataFrame  # kept trips (one per cadre, start, end); see process_trips
    days: pd.DataFrame  # counted (cid, day, rank), one row per cadre and day
    issues: list[Issue]
    rejected_by_file: dict[tuple[str, str], int]  # (file, sheet) -> rows rejected by the engine
    duplicates: int
    rows: pd.DataFrame | None = None  # with keep_rows: rows before merging (file, cid, s, e, counts)
    # per book: the first and last day of its dated trip rows (index file; columns s, e), to
    # tell the books of the report period from those of later (or earlier) ones
    spans: pd.DataFrame | None = None


def count_by(values: np.ndarray, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    """How many (or how much `weights`) of each cadre id 0..n-1 among `values`."""
    return np.bincount(values.astype("int64"), weights=weights, minlength=n)[:n] if n else np.zeros(0)


def _reject(t: pd.DataFrame, names: Names, issues: list[Issue]) -> np.ndarray:
    """Rows the engine cannot use: missing dates, end before start, a name not in the roster
    or a homonym's that the row's Ban does not tell apart."""
    ok = _is_date(t["start"]) & _is_date(t["end"])
    s, e = _day_array(t["start"], ok), _day_array(t["end"], ok)
    for r in t[~ok].itertuples():
        issues.append(Issue("trip_missing_date", "error", "Dòng thiếu ngày đi hoặc ngày về; chuyến đi chưa được tính.",
                            column="Từ ngày", suggestion='Ghi đủ "Từ ngày" và "Đến ngày" (ngày/tháng/năm).', **where_of(r)))
    backwards = ok & (e < s)
    for r in t[backwards].itertuples():
        issues.append(Issue("end_before_start", "error",
                            f"Ngày về {dmy(r.end)} trước ngày đi {dmy(r.start)}; chuyến đi chưa được tính.",
                            column="Đến ngày", suggestion='Sửa lại "Từ ngày" hoặc "Đến ngày" (có thể gõ nhầm năm, '
                                                          "hoặc đảo ngày với tháng).", **where_of(r)))
    cid, name_issues = match_rows(t, names, "chuyến đi này")
    issues += name_issues
    unknown = np.isnan(cid)
    rejected = ~ok | backwards | unknown
    t["cid"], t["s"], t["e"] = np.where(unknown, -1, cid).astype("int64"), s, e
    return rejected


def _checks(k: pd.DataFrame, facts: Facts, issues: list[Issue]) -> None:
    """Data checks on kept trips; each flagged trip gets an Issue at its kept row."""
    w0, w1, asof = facts.window[0], facts.window[1], day_no(facts.as_of)
    s, e, sub = k["s"].to_numpy(), k["e"].to_numpy(), k["sub"].to_numpy()
    length = e - s + 1
    inside = k["in_window"].to_numpy()
    declared = pd.to_numeric(k["days_declared"], errors="coerce").to_numpy(dtype=float)
    filed = sub != NONE
    win = f"{dmy(w0)}–{dmy(w1)}"
    flags = {
        "days_mismatch": ~np.isnan(declared) & (np.abs(declared - length) > 1e-9),
        # Future dates matter where they are counted; trips after the window are only noted.
        "date_after_as_of": (inside > 0) & (e > asof),
        "submitted_after_as_of": (inside > 0) & filed & (sub > asof),
        "report_before_trip_end": filed & (sub < e),
        "trip_partly_outside_period": (inside > 0) & (inside < length),
        "trip_outside_period": inside == 0,
    }
    for code, mask in flags.items():
        for r in k[mask].itertuples():
            where, n = where_of(r), int(r.e - r.s + 1)
            trip = f"từ {dmy(r.start)} đến {dmy(r.end)}"
            if code == "days_mismatch":
                issues.append(Issue(code, "warning", f'"Số ngày" ghi {declared[r.Index]:g} nhưng chuyến đi {trip} là '
                                    f"{n} ngày; tính theo ngày đi, ngày về ({n} ngày).", column="Số ngày",
                                    suggestion=f'Sửa "Số ngày" thành {n}, hoặc sửa ngày đi/ngày về nếu số ngày mới đúng.',
                                    **where))
            elif code == "date_after_as_of":
                issues.append(Issue(code, "warning", f"Chuyến đi {trip} kết thúc sau ngày lập báo cáo "
                                    f"{dmy(facts.as_of)}; số ngày vẫn được tính.", column="Đến ngày",
                                    suggestion="Kiểm tra năm của ngày đi/ngày về; chuyến đi chưa đi thì ghi vào "
                                               "bảng đăng ký, không ghi vào sổ đi cơ sở.", **where))
            elif code == "submitted_after_as_of":
                issues.append(Issue("date_after_as_of", "warning", f"Ngày nộp báo cáo {dmy(to_date(r.sub))} sau ngày "
                                    f"lập báo cáo {dmy(facts.as_of)}.", column="Ngày nộp báo cáo",
                                    suggestion="Kiểm tra lại ngày nộp báo cáo (năm, ngày/tháng).", **where))
            elif code == "report_before_trip_end":
                issues.append(Issue(code, "warning", f"Ngày nộp báo cáo {dmy(to_date(r.sub))} trước ngày kết thúc "
                                    f"chuyến đi {dmy(r.end)}.", column="Ngày nộp báo cáo",
                                    suggestion="Kiểm tra lại ngày nộp báo cáo hoặc ngày về.", **where))
            elif code == "trip_partly_outside_period":
                issues.append(Issue(code, "warning", f"Chuyến đi {trip} nằm một phần ngoài kỳ tính {win}; chỉ tính "
                                    f"{r.in_window}/{n} ngày trong kỳ.", column="Từ ngày",
                                    suggestion="Không cần sửa nếu ngày đúng; phần ngoài kỳ không tính vào kỳ này.",
                                    **where))
            elif code == "trip_outside_period":
                issues.append(Issue(code, "info", f"Chuyến đi {trip} nằm ngoài kỳ tính {win}; không tính vào kỳ này.",
                                    column="Từ ngày", suggestion="Kiểm tra năm của ngày đi/ngày về nếu chuyến đi "
                                                                 "thuộc kỳ này.", **where))



def _against_roster(k: pd.DataFrame, facts: Facts, issues: list[Issue]) -> None:
    """Trips (inside the window) on days outside service or inside an exemption range."""
    lo = np.array([day_no(c.service_start) if c.service_start else -NONE for c in facts.cadres], dtype="int64")
    hi = np.array([day_no(c.service_end) if c.service_end else NONE for c in facts.cadres], dtype="int64")
    has_ex = np.array([bool(c.exemptions) for c in facts.cadres], dtype=bool)
    cid, inside = k["cid"].to_numpy(), k["in_window"].to_numpy() > 0
    if not len(k):
        return
    outside = inside & ((k["s"].to_numpy() < lo[cid]) | (k["e"].to_numpy() > hi[cid]))
    for r in k[outside].itertuples():
        c = facts.cadres[r.cid]
        issues.append(Issue("trip_outside_service", "warning",
                            f'Chuyến đi từ {dmy(r.start)} đến {dmy(r.end)} có ngày ngoài thời gian công tác của '
                            f'"{c.label}" (từ {dmy(c.service_start) or "…"} đến {dmy(c.service_end) or "…"}); số ngày '
                            "vẫn được tính.", column="Từ ngày", **where_of(r),
                            suggestion="Kiểm tra ngày đi hoặc ngày bắt đầu/thôi công tác trong danh sách cán bộ."))
    for r in k[inside & has_ex[cid]].itertuples():
        c = facts.cadres[r.cid]
        for f, t, reason in c.exemptions:
            if f <= r.end and t >= r.start:
                span = f"{dmy(f) if f != date.min else '…'}–{dmy(t) if t != date.max else '…'}"
                issues.append(Issue("trip_during_exemption", "warning",
                                    f'Chuyến đi từ {dmy(r.start)} đến {dmy(r.end)} trùng với thời gian miễn/nghỉ của '
                                    f'"{c.label}" ({reason or "không ghi lý do"}, {span}); số ngày vẫn được tính.',
                                    column="Từ ngày", **where_of(r),
                                    suggestion="Kiểm tra lại ngày đi hoặc khoảng miễn/nghỉ trong danh sách cán bộ."))
                break


def explode_days(k: pd.DataFrame) -> pd.DataFrame:
    """(cid, day, rank) once per cadre and day, from trips with clipped cs..ce."""
    c = k.sort_values(["cid", "s", "e", "rank"], kind="stable")  # kept trips come in (file, sheet, row) order
    lens = (c["ce"] - c["cs"] + 1).to_numpy()
    total = int(lens.sum())
    idx = np.repeat(np.arange(len(c)), lens)
    offs = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    cid = c["cid"].to_numpy()[idx]
    day = c["cs"].to_numpy()[idx] + offs
    first = ~pd.Series((cid << 32) + day).duplicated().to_numpy()
    return pd.DataFrame({"cid": cid[first], "day": day[first], "rank": c["rank"].to_numpy()[idx][first]})


def _recorded(k: pd.DataFrame, unrecorded: frozenset[tuple[str, str]]) -> np.ndarray:
    """False for trips whose report date is not known (neither filed on a known day nor not
    filed): those of a sheet without a "Ngày nộp báo cáo" column, and those whose cell says
    "filed" without a date or holds a date that cannot be read (`submitted_unknown`)."""
    known = ~k["submitted_unknown"].eq(True).to_numpy() if "submitted_unknown" in k else np.ones(len(k), dtype=bool)
    if not unrecorded or not len(k):
        return known
    pairs = pd.MultiIndex.from_arrays([k["file"].astype(str), k["sheet"].astype(str)])
    return known & ~pairs.isin(list(unrecorded))


def _spans(t: pd.DataFrame) -> pd.DataFrame:
    """Per book (index file): the first start and the last end of its dated rows. The reader
    gives a book's rows together, so runs of one file are reduced first (a million rows in
    ~30 ms rather than a groupby over the file names' strings); a file in several runs is
    still one book."""
    f = t["file"].to_numpy(dtype=object)
    if not len(f):
        return pd.DataFrame({"s": [], "e": []}, dtype="int64")
    starts = np.flatnonzero(np.r_[True, f[1:] != f[:-1]])
    runs = pd.DataFrame({"file": f[starts], "s": np.minimum.reduceat(t["s"].to_numpy(), starts),
                         "e": np.maximum.reduceat(t["e"].to_numpy(), starts)})
    return runs.groupby("file").agg({"s": "min", "e": "max"})


def process_trips(trips: pd.DataFrame, facts: Facts, names: Names, keep_rows: bool = False,
                  ) -> TripResult:
    """Kept trips get columns cid, s, e, sub (day numbers; sub = NONE when not filed),
    recorded (False: the report date is not known, _recorded), rank, counts, content_known
    (the rule kinds' `classify`), cs/ce (clipped to the window), in_window (days inside),
    counted, and whatever the kinds' `trip_status` adds (the report deadline: due,
    status, days_late, days_overdue)."""
    checks = facts.rules.checks
    issues: list[Issue] = []
    t = trips.reset_index(drop=True).copy()
    rejected = _reject(t, names, issues)
    spans = _spans(t[(t["s"] != NONE) & (t["e"] != NONE)])
    bad = t.loc[rejected, ["file", "sheet"]].map(clean)
    rejected_by_file = bad.value_counts().to_dict() if len(bad) else {}
    k = t[~rejected].reset_index(drop=True)
    sub_ok = _is_date(k["submitted"])
    k["sub"] = _day_array(k["submitted"], sub_ok)
    k["recorded"] = _recorded(k, facts.unrecorded_sheets)
    # neutral values, which the rule kinds change: one level for all, every content counts
    k["rank"], k["counts"], k["content_known"] = np.zeros(len(k), dtype="int64"), True, True
    for check in checks:
        check.classify(k, facts)
    rows = k[["file", "cid", "s", "e", "counts"]].copy() if keep_rows else None
    k, duplicates = merge_duplicates(k, facts, issues)
    w0, w1 = day_no(facts.window[0]), day_no(facts.window[1])
    k["cs"], k["ce"] = np.maximum(k["s"], w0), np.minimum(k["e"], w1)
    k["in_window"] = np.maximum(k["ce"] - k["cs"] + 1, 0)
    _checks(k, facts, issues)
    for check in checks:
        issues += check.trip_issues(k, facts)
    _against_roster(k, facts, issues)
    counted = (k["in_window"] > 0) & k["counts"].astype(bool)
    k["counted"] = counted
    days = explode_days(k[counted])
    for check in checks:
        check.trip_status(k, facts)
    return TripResult(k, days, issues, rejected_by_file, duplicates, rows, spans)
