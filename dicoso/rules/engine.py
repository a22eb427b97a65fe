"""Compliance engine: applies a rule set to the normalised tables (shared/domain.md).

Entry point: `compute(data, rs, period, as_of, aliases=None) -> Compliance`.

Windows
    year    = the rule set's counting period for the run's year (`rs.period_for_year`).
    window  = the days counted. A `year` run counts `year` itself (and reports it as
              its period). A `quarter`/`month`/`custom` run counts year to date:
              year.start .. min(period.end, year.end); the days inside the requested
              period are reported too (`days_in_period`).
    to_date = min(window end, as_of): how far the year has gone for the progress target.

Per cadre (all ranges inclusive), before the rule kinds
    counted_days   = |set of days of the cadre's trips ∩ window| (overlaps count once)
    overlap_days   = Σ trip days inside the window − counted_days
    eligible_days  = days of `year` in service and outside every exemption range
Each rule kind (checks/, one module each, with its formulas) then adds its fields
(quota and progress target, level quotas, leaders' months …) and the days it still
needs; days_needed = the largest of those (≥ 0), met = days_needed == 0.

Totals and departments: cadres listed = the period's cadres (in service on a day of the
report period, i.e. `year` for a year run and the month or quarter ∩ window for a
progress run, or with counted days in it: a cadre who joins in August is not among
July's cadres, nor in its average, nor warned about "no trips"), required (quota > 0),
met (among required), met_share = met / required (None when nobody is required),
days = Σ counted_days, average_days = days / cadres.

Books whose trips all start after the report period are books of later periods: their
problems are counted apart (period_books.py, `Compliance.outside_books`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from dicoso.errors import RuleSetError
from dicoso.model import TRIP_TABLE_COLUMNS, FileAccount, Issue, Period, ReadResult
from dicoso.rules.ban_totals import cross_check
from dicoso.rules.checks import Facts
from dicoso.rules.days import NONE, day_no, quarter_range
from dicoso.rules.order import CadreOrder
from dicoso.rules.period_books import books_outside, set_apart
from dicoso.rules.roster import ROSTER_ROW_AMBIGUOUS, Cadre, build_cadres, match_rows, resolve_names
from dicoso.rules.ruleset import RuleSet
from dicoso.rules.trips import count_by, process_trips
from dicoso.text.clean import clean
from dicoso.text.vn import dmy


@dataclass
class Compliance:
    requested: Period  # the period asked for
    period: Period  # the period reported (a year run: the rule set's period of that year)
    year: Period  # the rule set's counting period of the run's year
    window: tuple[date, date]  # days counted
    to_date: date
    as_of: date
    cadres: pd.DataFrame  # one row per cadre, in report order (Ban, position rank, roster order)
    trips: pd.DataFrame  # kept trips with report status (engine_trips.process_trips)
    sections: dict[str, Any]  # rule kind key -> its table for summary.json (Check.section)
    departments: list[dict]  # per Ban, in report order: _group_totals
    totals: dict
    issues: list[Issue]
    accounting: dict
    files: list[FileAccount] = field(default_factory=list)  # with the engine's rejections added
    outside_books: list[dict] = field(default_factory=list)  # books of later periods, their problems counted

    def trips_table(self) -> pd.DataFrame:
        """Kept trips for the workbook: roster names, dates as dates, days counted in the window.

        Ordered by file, sheet and row so that the clerk can follow the books.
        """
        t = self.trips
        if len(t) == 0:
            return pd.DataFrame(columns=TRIP_TABLE_COLUMNS)
        who = self.cadres.set_index("id")
        out = t.assign(
            name=t["cid"].map(who["name"]),
            department=t["cid"].map(who["department"]),
            position=t["cid"].map(who["position"]),
            counted_days=t["in_window"].astype("int64"),
            due=_dates(t["due"].to_numpy()),
        )
        return out.sort_values(["file", "sheet", "row"], kind="stable")[TRIP_TABLE_COLUMNS].reset_index(drop=True)


def _dates(days: np.ndarray) -> np.ndarray:
    """Day numbers (days since 1970-01-01, NONE for none) as datetime.date objects, or None."""
    missing = days == NONE
    out = np.where(missing, 0, days).astype("datetime64[D]").astype(object)
    out[missing] = None
    return out


def _windows(rs: RuleSet, period: Period) -> tuple[Period, Period, tuple[date, date]]:
    year_no = period.start.year if period.kind == "year" else period.end.year
    year = rs.period_for_year(year_no)
    if year is None:
        raise RuleSetError(f'Bộ quy tắc "{rs.name}" ({rs.path}) không có kỳ tính cho năm {year_no}. '
                           "Chọn bộ quy tắc khác bằng --rules hoặc bổ sung kỳ tính vào tệp.")
    if period.kind == "year":
        return year, replace(year, label=period.label or year.label), (year.start, year.end)
    window = (year.start, min(period.end, year.end))
    if window[1] < window[0] or period.start > year.end:
        raise RuleSetError(f"Kỳ {period.label or dmy(period.start)} nằm ngoài kỳ tính {dmy(year.start)}–"
                           f'{dmy(year.end)} của bộ quy tắc "{rs.name}" ({rs.path}).')
    return year, period, window


def _quarters_read(regs: pd.DataFrame) -> frozenset[tuple[int, int]]:
    if not len(regs):
        return frozenset()
    return frozenset(zip(regs["year"].astype(int).tolist(), regs["quarter"].astype(int).tolist()))


def _planned(regs: pd.DataFrame, year: Period, window: tuple[date, date]) -> dict[int, float]:
    if regs.empty:
        return {}
    in_window = regs.apply(lambda r: r["year"] == year.start.year and 1 <= r["quarter"] <= 4
                           and quarter_range(int(r["year"]), int(r["quarter"]))[0] <= window[1], axis=1)
    r = regs[in_window.astype(bool)].copy()
    r["planned"] = pd.to_numeric(r["planned_days"], errors="coerce").fillna(0.0)
    r["place_c"], r["content_c"] = r["place"].map(clean), r["content"].map(clean)
    r = r.drop_duplicates(["cid", "year", "quarter", "planned", "place_c", "content_c"])
    return r.groupby("cid")["planned"].sum().to_dict()


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(float(x), 1)


def compute(data: ReadResult, rs: RuleSet, period: Period, as_of: date,
            aliases: dict[str, str] | None = None, order: CadreOrder | None = None) -> Compliance:
    """Apply `rs` to `data` for `period` as of `as_of` (see the module docstring); cadres
    in `order` (the office's order of Ban and positions, rules/order.py)."""
    year, shown, window = _windows(rs, period)
    to_date = min(window[1], as_of)
    cadres, issues = build_cadres(data.roster, order)
    if rs.plan is None:
        issues.append(Issue("rules_plan_missing", "warning",
                            f'Bộ quy tắc "{rs.name}" chưa ghi kế hoạch (số, ngày, cơ quan ban hành) nên đoạn mở đầu '
                            "của báo cáo chưa dẫn được kế hoạch của tỉnh.", file=rs.path,
                            suggestion="Thêm mục plan (number, date, issuer, title) vào tệp bộ quy tắc như trong "
                                       "rules/vinh-phuc-2020.yaml rồi chạy lại."))
    names = resolve_names(cadres, aliases)
    issues += names.issues
    facts = Facts(rs, year, window, to_date, as_of, cadres,
                  registered_quarters=_quarters_read(data.registrations),
                  unrecorded_sheets=frozenset((f.file, f.sheet) for f in data.files
                                              if f.kind == "trips" and f.fields is not None
                                              and "submitted" not in f.fields),
                  sheet_fields={(f.file, f.sheet): f.fields for f in data.files
                                if f.kind == "trips" and f.fields is not None})
    summaries = data.summaries
    tr = process_trips(data.trips, facts, names, keep_rows=summaries is not None and len(summaries) > 0)
    issues += tr.issues + cross_check(summaries, tr.rows, facts, names)

    regs = data.registrations.reset_index(drop=True).copy()
    regs["cid"], reg_issues = match_rows(regs, names, "dòng đăng ký này")
    issues += reg_issues
    unknown_regs = int(regs["cid"].isna().sum())
    regs = regs[regs["cid"].notna()]
    facts.days, facts.trips, facts.registrations = tr.days, tr.trips, regs
    planned = _planned(regs, year, window)

    n, k, days = len(cadres), tr.trips, tr.days
    counted_trips = k[k["counted"]] if len(k) else k
    counted = count_by(days["cid"].to_numpy(), n)
    trip_days = count_by(counted_trips["cid"].to_numpy(), n, counted_trips["in_window"].to_numpy(float))
    trip_count = count_by(counted_trips["cid"].to_numpy(), n)
    p0, p1 = day_no(max(period.start, window[0])), day_no(min(period.end, window[1]))
    in_period = days[(days["day"] >= p0) & (days["day"] <= p1)]
    days_in_period = count_by(in_period["cid"].to_numpy(), n)

    first, last = max(period.start, window[0]), min(period.end, window[1])  # the report period's days
    rows = [_cadre_row(c, year, int(counted[c.id]), int(trip_days[c.id]), int(trip_count[c.id]),
                       int(days_in_period[c.id]), planned.get(c.id, 0.0))
            for c in cadres if c.in_service(first, last) or days_in_period[c.id] > 0]
    for check in rs.checks:
        check.cadres(rows, facts)
    for row in rows:
        row["days_needed"] = max(0, *row.pop("short").values())
        row["met"] = row["days_needed"] == 0
    table = pd.DataFrame(rows, columns=_columns(rs))
    # "no trips" only for a cadre who has been eligible so far (not one who joins at the period's end)
    for r in table[(table["quota"] > 0) & (table["trips"] == 0) & (table["elapsed_eligible_days"] > 0)].itertuples():
        c = cadres[r.id]
        issues.append(Issue("cadre_no_trips", "warning",
                            f'Cán bộ "{c.name}" ({c.department or "chưa rõ Ban"}) không có chuyến đi cơ sở nào được '
                            f"tính trong kỳ {dmy(window[0])}–{dmy(window[1])}.", file=c.file, sheet=c.sheet,
                            row=c.row, column="Họ và tên",
                            suggestion="Kiểm tra sổ đi cơ sở của Ban có thiếu tệp/tháng nào không, hoặc tên trong sổ "
                                       "có khác tên trong danh sách cán bộ không."))

    reported = k[k["in_window"] > 0] if len(k) else k
    status = reported["status"].value_counts().to_dict() if "status" in reported else {}
    totals = _group_totals(table) | {
        "overlap_days": int(table["overlap_days"].sum()),
        **{f"reports_{s}": int(status.get(s, 0)) for s in ("on_time", "late", "overdue", "pending", "not_recorded")},
        # of those not recorded, the ones whose cell says filed without a date or cannot be read
        "reports_undated": int(((reported["status"] == "not_recorded") & reported["submitted_unknown"].eq(True)).sum())
        if "status" in reported and "submitted_unknown" in reported else 0,
    }
    departments = [{"department": d, **_group_totals(g)} for d, g in table.groupby("department", sort=False)]
    roster_rejected = sum(i.code == ROSTER_ROW_AMBIGUOUS for i in issues)
    files, accounting, acc_issue = _accounting(data, tr, k, unknown_regs, roster_rejected, (p0, p1))
    issues += acc_issue
    sections = {key: table for check in rs.checks for key, table in check.sections(facts).items()}
    for check in rs.checks:
        issues += check.run_issues(facts)
    listed, outside = set_apart(list(data.issues) + issues, books_outside(tr.spans, p1))
    return Compliance(period, shown, year, window, to_date, as_of, table, k, sections, departments, totals,
                      listed, accounting, files, outside)


_CORE_COLUMNS = ["id", "name", "department", "position", "file", "sheet", "row", "exemptions", "eligible_days",
                 "counted_days", "days_in_period", "overlap_days", "trips", "planned_days", "notes"]
# What the rule kinds that are part of summary.json's schema 1 add (their neutral values when off).
_KIND_COLUMNS = ["quota", "exempt", "elapsed_eligible_days", "target_to_date", "at_risk", "level_quotas", "by_level",
                 "monthly_required", "monthly_missing"]


def _columns(rs: RuleSet) -> list[str]:
    extra = [f for check in rs.checks if check.on for f in check.cadre_fields]
    return _CORE_COLUMNS + _KIND_COLUMNS + extra + ["days_needed", "met"]


def _cadre_row(c: Cadre, year: Period, counted: int, trip_days: int, trips: int, days_in_period: int,
               planned: float) -> dict:
    """What every cadre row holds before the rule kinds add theirs (`notes` and `short` they fill)."""
    exemptions = [{"from": f.isoformat() if f != date.min else None, "to": t.isoformat() if t != date.max else None,
                   "reason": reason} for f, t, reason in c.exemptions]
    return {"id": c.id, "name": c.name, "department": c.department, "position": c.position, "file": c.file,
            "sheet": c.sheet, "row": c.row, "exemptions": exemptions, "eligible_days": c.eligible_days(year.start, year.end),
            "counted_days": counted, "days_in_period": days_in_period, "overlap_days": trip_days - counted,
            "trips": trips, "planned_days": _number(planned), "notes": [], "short": {}}


def _group_totals(t: pd.DataFrame) -> dict:
    cadres, required = len(t), int((t["quota"] > 0).sum())
    met = int(((t["quota"] > 0) & t["met"]).sum())
    days = int(t["counted_days"].sum())
    return {"cadres": cadres, "required": required, "exempt": int(t["exempt"].sum()), "trips": int(t["trips"].sum()),
            "days": days, "average_days": round(days / cadres, 1) if cadres else 0.0, "met": met,
            "met_share": round(met / required, 3) if required else None}


def _accounting(data: ReadResult, tr, k: pd.DataFrame, unknown_regs: int, roster_rejected: int,
                report_days: tuple[int, int]) -> tuple[list[FileAccount], dict, list[Issue]]:
    """The reader's accounts plus the engine's rejections; one identity per kind of sheet.

    Trip sheets: rows_read = trips_counted + duplicates_merged + rows_rejected + rows_skipped.
    Roster and registration sheets (`roster_rows`, `registration_rows`): read = used +
    rejected + skipped; a registration row whose name is not in the roster is rejected.
    """
    rejected = dict(tr.rejected_by_file)
    files = []
    for f in data.files:
        extra = rejected.pop((f.file, f.sheet), 0) if f.kind == "trips" else 0
        files.append(replace(f, rows_rejected=f.rows_rejected + extra))
    files += [FileAccount(f, s, rows_rejected=n) for (f, s), n in sorted(rejected.items())]
    trips = [f for f in files if f.kind == "trips"]
    acc = {
        "rows_read": sum(f.rows_read for f in trips),
        "trips_counted": len(k),
        "duplicates_merged": tr.duplicates,
        "rows_rejected": sum(f.rows_rejected for f in trips),
        "rows_skipped": sum(f.rows_skipped for f in trips),
        "files_read": len({f.file for f in data.files}),
        "files_skipped": [{"file": f, "reason": r} for f, r in data.files_skipped],
        "trips_outside_period": int((k["in_window"] == 0).sum()) if len(k) else 0,
        "trips_content_excluded": int(((k["in_window"] > 0) & ~k["counts"].astype(bool)).sum()) if len(k) else 0,
        # the report period's trips (a day in it) and, for a progress run, the earlier ones of the
        # year that count towards the progress (in the window, before the period)
        "trips_in_period": int(((k["s"] <= report_days[1]) & (k["e"] >= report_days[0])).sum()) if len(k) else 0,
        "trips_before_period": int(((k["in_window"] > 0) & (k["e"] < report_days[0])).sum()) if len(k) else 0,
    }
    for kind, used, extra in (("roster", len(data.roster) - roster_rejected, roster_rejected),
                              ("registration", len(data.registrations) - unknown_regs, unknown_regs)):
        sheets = [f for f in files if f.kind == kind]
        acc[f"{kind}_rows"] = {"read": sum(f.rows_read for f in sheets), "used": used,
                               "rejected": sum(f.rows_rejected for f in sheets) + extra,
                               "skipped": sum(f.rows_skipped for f in sheets)}
    parts = acc["trips_counted"] + acc["duplicates_merged"] + acc["rows_rejected"] + acc["rows_skipped"]
    checks = [("chuyến đi", acc["rows_read"], parts,
               f"tổng số chuyến đi được tính ({acc['trips_counted']}) + dòng trùng đã gộp "
               f"({acc['duplicates_merged']}) + dòng bị loại ({acc['rows_rejected']}) + dòng bỏ qua "
               f"({acc['rows_skipped']})")]
    for kind, label in (("roster", "danh sách cán bộ"), ("registration", "đăng ký")):
        a = acc[f"{kind}_rows"]
        checks.append((label, a["read"], a["used"] + a["rejected"] + a["skipped"],
                       f"dòng dùng được ({a['used']}) + dòng bị loại ({a['rejected']}) + dòng bỏ qua ({a['skipped']})"))
    issues = []
    for label, read, total, detail in checks:
        if read != total:
            issues.append(Issue("accounting_mismatch", "error",
                                f"Số dòng {label} đọc được ({read}) khác {detail} = {total}.",
                                suggestion="Đây là lỗi của chương trình, không phải của sổ: gửi thư mục dữ liệu và tệp "
                                           "summary.json cho người bảo trì."))
    return files, acc, issues
