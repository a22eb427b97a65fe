"""Trips: rejection, name matching, duplicate merging, data checks, days as a set and
report status.

Dates are handled as int64 day numbers (days since 1970-01-01) in numpy arrays so
that a million trips run in seconds: a trip is exploded to its days with np.repeat
and the (cadre, day) pairs are deduplicated, keeping the first trip of the day in
the order (cadre, start, end). After duplicate merging (cadre, start, end) is
unique, so that order, and with it the level a day counts for, does not depend on
row or file order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dicoso.model import Issue
from dicoso.rules.match import content_counts, level_rank
from dicoso.rules.roster import Cadre, match_names, unknown_name_issue
from dicoso.rules.ruleset import RuleSet
from dicoso.text.clean import clean
from dicoso.text.vn import dmy

EPOCH = date(1970, 1, 1)
NONE = np.iinfo(np.int64).max  # "not filed" in the submitted day numbers


def day_no(d: date) -> int:
    return (d - EPOCH).days


def to_date(n: int) -> date | None:
    return None if n == NONE else EPOCH + timedelta(days=int(n))


def _day_array(col: pd.Series, ok: np.ndarray) -> np.ndarray:
    out = np.full(len(col), NONE, dtype="int64")
    if ok.any():
        values = col[ok].tolist()
        out[ok] = np.fromiter((d.toordinal() for d in values), dtype="int64", count=len(values)) - EPOCH.toordinal()
    return out


def _is_date(col: pd.Series) -> np.ndarray:
    return col.map(lambda v: isinstance(v, date)).to_numpy(dtype=bool)


@dataclass
class TripContext:
    rs: RuleSet
    cadres: list[Cadre]
    alias_ids: dict[str, int]
    window: tuple[date, date]  # counting window, inclusive
    as_of: date


@dataclass
class TripResult:
    trips: pd.DataFrame  # kept trips (one per cadre, start, end); see process_trips
    days: pd.DataFrame  # counted (cid, day, rank), one row per cadre and day
    issues: list[Issue]
    rejected_by_file: dict[tuple[str, str], int]  # (file, sheet) -> rows rejected by the engine
    duplicates: int


def where_of(r) -> dict:
    """file, sheet and row of a row (a namedtuple with those fields) for an Issue."""
    return {"file": clean(r.file), "sheet": clean(r.sheet), "row": None if pd.isna(r.row) else int(r.row)}


class Memo(dict):
    """fn(value) computed once per distinct value (file names, sheets and dates repeat)."""

    def __init__(self, fn) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, value):
        out = self[value] = self.fn(value)
        return out

    def __call__(self, value):
        return self[value]


def _rows(col: pd.Series) -> list[int | None]:
    """Excel row numbers of a column, None where missing (as where_of gives them)."""
    return [None if v != v else int(v) for v in col.astype("float64").tolist()]


def _reject(t: pd.DataFrame, ctx: TripContext, issues: list[Issue]) -> np.ndarray:
    """Rows the engine cannot use: missing dates, end before start, unknown name."""
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
    cid = match_names(t["name"], t["name_key"], ctx.cadres, ctx.alias_ids).to_numpy()
    unknown = np.isnan(cid)
    for r in t[unknown].itertuples():
        issues.append(unknown_name_issue(clean(r.name), where_of(r), ctx.cadres, "chuyến đi này"))
    rejected = ~ok | backwards | unknown
    t["cid"], t["s"], t["e"] = np.where(unknown, -1, cid).astype("int64"), s, e
    return rejected


def _merge_duplicates(k: pd.DataFrame, ctx: TripContext, issues: list[Issue]) -> tuple[pd.DataFrame, int]:
    """Rows with the same cadre, start and end are one trip: the first by (file, sheet,
    row) is kept; submitted = the earliest filed date of the copies; level = the
    lowest-ranked recognised level; content counts when any copy's does."""
    k = k.assign(_row=k["row"].fillna(0)).sort_values(["cid", "s", "e", "file", "sheet", "_row"], kind="stable")
    dup = k.duplicated(["cid", "s", "e"]).to_numpy()
    gid = np.cumsum(~dup) - 1
    g = pd.DataFrame({"gid": gid, "sub": k["sub"].to_numpy(), "rank": k["rank"].to_numpy(),
                      "counts": k["counts"].to_numpy(), "content_known": k["content_known"].to_numpy()}).groupby("gid")
    firsts = k[~dup]
    if dup.any():
        copies, first = k[dup], k.iloc[np.flatnonzero(~dup)[gid[dup]]]
        # column by column: a national roll-up merges a hundred thousand copies
        text = Memo(clean)
        day = Memo(dmy)
        for cid, start, end, file, sheet, row, f_file, f_sheet, f_row in zip(
                copies["cid"].tolist(), copies["start"].tolist(), copies["end"].tolist(),
                map(text, copies["file"].tolist()), map(text, copies["sheet"].tolist()), _rows(copies["row"]),
                map(text, first["file"].tolist()), map(text, first["sheet"].tolist()), _rows(first["row"])):
            issues.append(Issue(
                "duplicate_merged", "info",
                f'Chuyến đi của "{ctx.cadres[cid].name}" từ {day(start)} đến {day(end)} đã có ở tệp '
                f'{f_file}, sheet "{f_sheet}", dòng {f_row}; chỉ tính một lần.', file, sheet, row,
                suggestion="Không cần sửa nếu là chuyến đi chung ghi ở hai sổ hoặc chép lại ở sổ tháng sau; "
                           "nếu ghi nhầm hai lần, xoá dòng này."))
    kept = firsts.drop(columns="_row").reset_index(drop=True)
    kept["sub"] = g["sub"].min().to_numpy()
    kept["rank"] = g["rank"].min().to_numpy()
    kept["counts"] = g["counts"].max().to_numpy()
    kept["content_known"] = g["content_known"].max().to_numpy()
    return kept, int(dup.sum())


def _classify(k: pd.DataFrame, rs: RuleSet) -> None:
    """Level rank and whether the content counts, computed once per distinct value."""
    if rs.levels:
        pairs = k["level"].fillna("").astype(str) + "\x1f" + k["place"].fillna("").astype(str)
        codes, uniques = pd.factorize(pairs)
        ranks = np.array([level_rank(rs, *u.split("\x1f", 1)) for u in uniques], dtype="int64")
        k["rank"] = ranks[codes] if len(codes) else np.zeros(0, dtype="int64")
    else:
        k["rank"] = np.zeros(len(k), dtype="int64")
    k["counts"] = True
    k["content_known"] = True
    if rs.content_unmatched != "count":
        contents = k["content"].map(clean)
        known = {c: content_counts(rs, c) for c in set(contents)}
        k["content_known"] = contents.map(known).to_numpy(dtype=bool)
        if rs.content_unmatched == "exclude":
            k["counts"] = k["content_known"]


def _checks(k: pd.DataFrame, ctx: TripContext, issues: list[Issue]) -> None:
    """Data checks on kept trips; each flagged trip gets an Issue at its kept row."""
    rs, w0, w1, asof = ctx.rs, ctx.window[0], ctx.window[1], day_no(ctx.as_of)
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
        "level_unknown": (inside > 0) & (k["rank"].to_numpy() >= len(rs.levels)) & bool(rs.levels),
        "content": (inside > 0) & ~k["content_known"].to_numpy(dtype=bool),
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
                                    f"{dmy(ctx.as_of)}; số ngày vẫn được tính.", column="Đến ngày",
                                    suggestion="Kiểm tra năm của ngày đi/ngày về; chuyến đi chưa đi thì ghi vào "
                                               "bảng đăng ký, không ghi vào sổ đi cơ sở.", **where))
            elif code == "submitted_after_as_of":
                issues.append(Issue("date_after_as_of", "warning", f"Ngày nộp báo cáo {dmy(to_date(r.sub))} sau ngày "
                                    f"lập báo cáo {dmy(ctx.as_of)}.", column="Ngày nộp báo cáo",
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
            elif code == "level_unknown":
                labels = ", ".join(lv.label for lv in rs.levels)
                issues.append(Issue(code, "warning", f'Không nhận ra cấp cơ sở của chuyến đi {trip} (Cấp: '
                                    f'"{clean(r.level)}", Địa bàn: "{clean(r.place)}"); số ngày chỉ tính vào tổng, '
                                    "không tính vào chỉ tiêu từng cấp.", column="Cấp",
                                    suggestion=f'Ghi cột "Cấp" là một trong: {labels}.', **where))
            else:
                kinds = "; ".join(kd.label for kd in rs.content_kinds)
                note = rs.content_unmatched == "note"
                issues.append(Issue("content_unrecognised" if note else "content_not_counted",
                                    "info" if note else "warning",
                                    f'Nội dung "{clean(r.content)}" không thuộc các loại được tính ({kinds}); '
                                    + ("vẫn được tính." if note else "chuyến đi không được tính."),
                                    column="Nội dung", suggestion='Nếu nội dung thuộc một trong các loại trên, ghi '
                                                                  'lại cột "Nội dung" cho rõ.', **where))


def _against_roster(k: pd.DataFrame, ctx: TripContext, issues: list[Issue]) -> None:
    """Trips (inside the window) on days outside service or inside an exemption range."""
    lo = np.array([day_no(c.service_start) if c.service_start else -NONE for c in ctx.cadres], dtype="int64")
    hi = np.array([day_no(c.service_end) if c.service_end else NONE for c in ctx.cadres], dtype="int64")
    has_ex = np.array([bool(c.exemptions) for c in ctx.cadres], dtype=bool)
    cid, inside = k["cid"].to_numpy(), k["in_window"].to_numpy() > 0
    if not len(k):
        return
    outside = inside & ((k["s"].to_numpy() < lo[cid]) | (k["e"].to_numpy() > hi[cid]))
    for r in k[outside].itertuples():
        c = ctx.cadres[r.cid]
        issues.append(Issue("trip_outside_service", "warning",
                            f'Chuyến đi từ {dmy(r.start)} đến {dmy(r.end)} có ngày ngoài thời gian công tác của '
                            f'"{c.name}" (từ {dmy(c.service_start) or "…"} đến {dmy(c.service_end) or "…"}); số ngày '
                            "vẫn được tính.", column="Từ ngày", **where_of(r),
                            suggestion="Kiểm tra ngày đi hoặc ngày bắt đầu/thôi công tác trong danh sách cán bộ."))
    for r in k[inside & has_ex[cid]].itertuples():
        c = ctx.cadres[r.cid]
        for f, t, reason in c.exemptions:
            if f <= r.end and t >= r.start:
                span = f"{dmy(f) if f != date.min else '…'}–{dmy(t) if t != date.max else '…'}"
                issues.append(Issue("trip_during_exemption", "warning",
                                    f'Chuyến đi từ {dmy(r.start)} đến {dmy(r.end)} trùng với thời gian miễn/nghỉ của '
                                    f'"{c.name}" ({reason or "không ghi lý do"}, {span}); số ngày vẫn được tính.',
                                    column="Từ ngày", **where_of(r),
                                    suggestion="Kiểm tra lại ngày đi hoặc khoảng miễn/nghỉ trong danh sách cán bộ."))
                break


def explode_days(k: pd.DataFrame) -> pd.DataFrame:
    """(cid, day, rank) once per cadre and day, from trips with clipped cs..ce."""
    c = k.sort_values(["cid", "s", "e"], kind="stable")
    lens = (c["ce"] - c["cs"] + 1).to_numpy()
    total = int(lens.sum())
    idx = np.repeat(np.arange(len(c)), lens)
    offs = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    cid = c["cid"].to_numpy()[idx]
    day = c["cs"].to_numpy()[idx] + offs
    first = ~pd.Series((cid << 32) + day).duplicated().to_numpy()
    return pd.DataFrame({"cid": cid[first], "day": day[first], "rank": c["rank"].to_numpy()[idx][first]})


def process_trips(trips: pd.DataFrame, ctx: TripContext) -> TripResult:
    """Kept trips get columns cid, s, e, sub (day numbers; sub = NONE when not filed),
    rank, counts, cs/ce (clipped to the window), in_window (days inside) and, when the
    rule set has a report deadline, due, status, days_late, days_overdue."""
    issues: list[Issue] = []
    t = trips.reset_index(drop=True).copy()
    rejected = _reject(t, ctx, issues)
    bad = t.loc[rejected, ["file", "sheet"]].map(clean)
    rejected_by_file = bad.value_counts().to_dict() if len(bad) else {}
    k = t[~rejected].reset_index(drop=True)
    sub_ok = _is_date(k["submitted"])
    k["sub"] = _day_array(k["submitted"], sub_ok)
    _classify(k, ctx.rs)
    k, duplicates = _merge_duplicates(k, ctx, issues)
    w0, w1 = day_no(ctx.window[0]), day_no(ctx.window[1])
    k["cs"], k["ce"] = np.maximum(k["s"], w0), np.minimum(k["e"], w1)
    k["in_window"] = np.maximum(k["ce"] - k["cs"] + 1, 0)
    _checks(k, ctx, issues)
    _against_roster(k, ctx, issues)
    counted = (k["in_window"] > 0) & k["counts"].astype(bool)
    k["counted"] = counted
    days = explode_days(k[counted])
    if ctx.rs.report_deadline_days is not None:
        due = k["e"].to_numpy() + ctx.rs.report_deadline_days
        sub, asof = k["sub"].to_numpy(), day_no(ctx.as_of)
        filed = sub != NONE
        k["due"] = due
        k["status"] = np.select([filed & (sub <= due), filed, asof > due], ["on_time", "late", "overdue"], "pending")
        k["days_late"] = np.where(filed & (sub > due), sub - due, 0)
        k["days_overdue"] = np.where(~filed & (asof > due), asof - due, 0)
    return TripResult(k, days, issues, rejected_by_file, duplicates)
