"""Engine semantics, each pinned by a small scenario computed by hand.

The default rule set (engine_builders.BASE_RULES) is Vĩnh Phúc-like: 60 days,
period 01/03/2020–31/12/2020 (306 days), report within 10 days, registration Q2–Q4.
"""

from __future__ import annotations

from datetime import date

import pytest

from dicoso.errors import RuleSetError
from dicoso.model import Period

from engine_builders import (
    DROP,
    LEVELS,
    cadre,
    codes,
    registration,
    row,
    ruleset,
    run,
    trip,
)

AN, BINH, CUONG = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"


def test_joint_trip_in_two_bans_books_counts_once():
    comp = run([cadre(AN, "Ban Tuyên giáo")], [
        trip(AN, "5/8/2020", "7/8/2020", file="btg/2020-08.xlsx", department="Ban Tuyên giáo"),
        trip(AN, "5/8/2020", "7/8/2020", file="xdd/2020-08.xlsx", department="Ban Xây dựng Đoàn"),
    ])
    r = row(comp, AN)
    assert (r["counted_days"], r["trips"], r["overlap_days"]) == (3, 1, 0)
    assert codes(comp) == [("xdd/2020-08.xlsx", 5, "duplicate_merged")]
    dup = next(i for i in comp.issues if i.code == "duplicate_merged")
    assert 'đã có ở tệp btg/2020-08.xlsx, trang "Sheet1", dòng 5; chỉ tính một lần.' in dup.message
    assert comp.accounting["duplicates_merged"] == 1 and comp.accounting["trips_counted"] == 1


def test_trip_straddling_the_period_start_counts_only_inside():
    comp = run([cadre(AN)], [trip(AN, "28/2/2020", "2/3/2020", days=4)])
    assert row(comp, AN)["counted_days"] == 2  # 01/03 and 02/03
    issue = next(i for i in comp.issues if i.code == "trip_partly_outside_period")
    assert issue.severity == "warning" and "chỉ tính 2/4 ngày trong kỳ" in issue.message


def test_trip_wholly_outside_the_period_is_noted_not_counted():
    comp = run([cadre(AN)], [trip(AN, "10/2/2020", "12/2/2020")])
    assert row(comp, AN)["counted_days"] == 0 and row(comp, AN)["trips"] == 0
    assert ("ban-a.xlsx", 5, "trip_outside_period") in codes(comp)
    assert comp.accounting["trips_outside_period"] == 1


def test_same_trip_in_two_monthly_books_counts_once():
    comp = run([cadre(AN)], [
        trip(AN, "30/8/2020", "2/9/2020", file="2020-08.xlsx"),
        trip(AN, "30/8/2020", "2/9/2020", file="2020-09.xlsx"),
    ])
    assert row(comp, AN)["counted_days"] == 4
    assert codes(comp) == [("2020-09.xlsx", 5, "duplicate_merged")]


def test_overlapping_trips_count_each_day_once_and_say_how_many_overlapped():
    comp = run([cadre(AN)], [trip(AN, "1/8/2020", "5/8/2020"), trip(AN, "4/8/2020", "8/8/2020")])
    r = row(comp, AN)
    assert (r["counted_days"], r["overlap_days"], r["trips"]) == (8, 2, 2)
    assert r["notes"] == ["2 ngày trùng giữa các chuyến đi chỉ tính một lần."]
    assert comp.totals["overlap_days"] == 2


def test_maternity_leave_prorates_the_quota():
    # 01/06–30/11 is 183 days of the 306: eligible 123, quota ceil(60 × 123 / 306) = ceil(24.1) = 25.
    comp = run([cadre(BINH, ex_from="1/6/2020", ex_to="30/11/2020", reason="Nghỉ thai sản")])
    r = row(comp, BINH)
    assert (r["eligible_days"], r["quota"], r["exempt"]) == (123, 25, False)
    assert r["notes"] == ["Nghỉ thai sản từ 01/06/2020 đến 30/11/2020; chỉ tiêu tính theo thời gian công tác: 25 ngày."]


def test_maternity_leave_fully_exempt_when_the_rule_set_says_so():
    rs = ruleset(full_exemptions=[{"reasons": ["thai sản"]}])
    comp = run([cadre(BINH, ex_from="1/6/2020", ex_to="30/11/2020", reason="Nghỉ thai sản")], rs=rs)
    r = row(comp, BINH)
    assert (r["quota"], r["exempt"], r["met"], r["days_needed"]) == (0, True, True, 0)
    assert r["notes"] == ["Nghỉ thai sản từ 01/06/2020 đến 30/11/2020; miễn chỉ tiêu năm 2020."]
    assert (comp.totals["required"], comp.totals["exempt"], comp.totals["met_share"]) == (0, 1, None)
    assert codes(comp, skip=("registration_data_missing",)) == []  # an exempt cadre with no trips is not flagged


def test_study_exempts_only_from_six_months():
    rs = ruleset(full_exemptions=[{"reasons": ["học"], "min_months": 6}])
    comp = run([cadre(AN, ex_from="1/3/2020", ex_to="31/8/2020", reason="Đi học"),  # 6 months
                cadre(BINH, ex_from="1/3/2020", ex_to="30/8/2020", reason="Đi học")], rs=rs)  # one day short
    assert (row(comp, AN)["quota"], row(comp, AN)["exempt"]) == (0, True)
    # eligible = 306 − 183 = 123 -> ceil(60 × 123 / 306) = 25
    assert (row(comp, BINH)["quota"], row(comp, BINH)["exempt"]) == (25, False)


def test_a_joiner_and_a_leaver():
    comp = run([cadre(AN, start="1/7/2020"), cadre(BINH, end="31/5/2020"), cadre(CUONG, end="28/2/2020")])
    # Joiner: 01/07–31/12 = 184 days -> ceil(60 × 184 / 306) = ceil(36.08) = 37.
    assert (row(comp, AN)["eligible_days"], row(comp, AN)["quota"]) == (184, 37)
    # Leaver: 01/03–31/05 = 92 days -> ceil(60 × 92 / 306) = ceil(18.04) = 19.
    assert (row(comp, BINH)["eligible_days"], row(comp, BINH)["quota"]) == (92, 19)
    # Left before the period: not listed at all.
    assert CUONG not in set(comp.cadres["name"])


def test_service_days_are_inclusive_at_both_ends():
    comp = run([cadre(AN, start="1/12/2020", end="1/12/2020")])
    assert (row(comp, AN)["eligible_days"], row(comp, AN)["quota"]) == (1, 1)  # ceil(60 / 306)


def test_report_filed_on_day_10_is_on_time_and_on_day_11_late():
    comp = run([cadre(AN)], [trip(AN, "5/8/2020", "7/8/2020", submitted="17/8/2020"),
                             trip(AN, "10/9/2020", "12/9/2020", submitted="23/9/2020")])
    k = comp.trips.sort_values("s")
    assert list(k["status"]) == ["on_time", "late"]
    assert list(k["days_late"]) == [0, 1]
    assert (comp.totals["reports_on_time"], comp.totals["reports_late"]) == (1, 1)


def test_pending_vs_overdue_on_the_as_of_boundary():
    trips = [trip(AN, "18/12/2020", "20/12/2020")]  # due 30/12/2020
    on_due = run([cadre(AN)], trips, as_of=date(2020, 12, 30)).trips.iloc[0]
    after = run([cadre(AN)], trips, as_of=date(2020, 12, 31)).trips.iloc[0]
    assert (on_due["status"], on_due["days_overdue"]) == ("pending", 0)
    assert (after["status"], after["days_overdue"]) == ("overdue", 1)


def test_registration_denominators_across_a_joiners_first_quarter():
    roster = [cadre(AN), cadre(BINH, start="30/6/2020"), cadre(CUONG, start="1/7/2020")]
    comp = run(roster, registrations=[registration(AN, 2, 10), registration(AN, 3, 12), registration(CUONG, 3)])
    q = {r["quarter"]: r for r in comp.sections["registration_quarters"]}
    # Bình joined on the last day of Q2: required in Q2. Cường joined on 01/07: not required in Q2.
    assert (q["2020-Q2"]["required"], q["2020-Q2"]["registered"], q["2020-Q2"]["missing"]) == (2, 1, [BINH])
    assert (q["2020-Q3"]["required"], q["2020-Q3"]["registered"], q["2020-Q3"]["missing"]) == (3, 2, [BINH])
    assert row(comp, AN)["planned_days"] == 22
    assert q["2020-Q2"]["not_required"] == [{"name": CUONG, "why": "không công tác trong quý"}]
    assert q["2020-Q3"]["not_required"] == []


def test_a_cadre_on_leave_for_the_whole_quarter_is_left_out_of_its_registration_with_the_reason():
    roster = [cadre(AN), cadre(BINH, ex_from="1/6/2020", ex_to="30/11/2020", reason="Nghỉ thai sản")]
    comp = run(roster, registrations=[registration(AN, 3)])
    q = {r["quarter"]: r for r in comp.sections["registration_quarters"]}
    assert (q["2020-Q3"]["required"], q["2020-Q3"]["registered"]) == (1, 1)
    assert q["2020-Q3"]["not_required"] == [{"name": BINH, "why": "nghỉ thai sản cả quý"}]
    assert q["2020-Q2"]["not_required"] == []  # on leave from June: two months of Q2 in service


def test_registration_listed_twice_counts_once_in_the_plan():
    comp = run([cadre(AN)], registrations=[registration(AN, 2, 10), registration(AN, 2, 10, file="copy.xlsx")])
    assert row(comp, AN)["planned_days"] == 10


BRVT_2020 = {"periods": DROP, "years": {"first": 2020, "last": 2020}, "levels": LEVELS}


def test_level_quotas_count_each_day_for_one_level_and_all_levels_must_be_met():
    trips = [
        trip(AN, "1/3/2020", "30/3/2020", level="Chi đoàn"),  # 30 days chi đoàn
        trip(AN, "1/4/2020", "25/4/2020", place="Đoàn xã Long Sơn"),  # 25 days xã (from the place)
        trip(AN, "1/5/2020", "8/5/2020", level="Cấp huyện"),  # 8 days huyện ("cấp" ignored)
        trip(AN, "25/4/2020", "26/4/2020", level="Huyện"),  # 25/04 already xã; 26/04 huyện
    ]
    comp = run([cadre(AN)], trips, rs=ruleset(**BRVT_2020))
    r = row(comp, AN)
    assert r["by_level"] == {"chi_doan": 30, "xa": 25, "huyen": 9}
    assert r["level_quotas"] == {"chi_doan": 30, "xa": 20, "huyen": 10}
    assert (r["counted_days"], r["overlap_days"]) == (64, 1)
    # 64 ≥ 60 in total, but huyện is one day short.
    assert (r["met"], r["days_needed"]) == (False, 1)


def test_unknown_level_counts_towards_the_total_only():
    comp = run([cadre(AN)], [trip(AN, "1/3/2020", "3/3/2020", place="Trường THPT Long Hải")], rs=ruleset(**BRVT_2020))
    r = row(comp, AN)
    assert (r["counted_days"], r["by_level"]) == (3, {"chi_doan": 0, "xa": 0, "huyen": 0})
    assert ("ban-a.xlsx", 5, "level_unknown") in codes(comp)
    # Total short by 57, but the levels by 30 + 20 + 10 = 60: the larger counts.
    assert r["days_needed"] == 60


def test_leaders_must_go_every_month_that_has_ended():
    rs = ruleset(monthly_positions=["Bí thư", "Phó Bí thư"])
    months = [3, 4, 6, 7, 8, 9, 10, 11]  # no trip in May nor December
    trips = [trip(AN, f"10/{m}/2020", f"11/{m}/2020") for m in months]
    roster = [cadre(AN, position="Phó Bí thư Tỉnh đoàn"), cadre(BINH, position="Chuyên viên"),
              cadre(CUONG, position="Bí thư Tỉnh đoàn", start="1/12/2020")]
    comp = run(roster, trips, rs=rs, as_of=date(2020, 12, 20))  # December has not ended
    assert (row(comp, AN)["monthly_required"], row(comp, AN)["monthly_missing"]) == (True, ["2020-05"])
    assert row(comp, AN)["notes"][-1] == "Thường trực phải đi cơ sở hằng tháng; chưa đi tháng: 05/2020."
    assert (row(comp, BINH)["monthly_required"], row(comp, BINH)["monthly_missing"]) == (False, [])
    assert row(comp, CUONG)["monthly_missing"] == []
    year_end = run(roster, trips, rs=rs, as_of=date(2021, 1, 5))
    assert row(year_end, AN)["monthly_missing"] == ["2020-05", "2020-12"]
    assert row(year_end, CUONG)["monthly_missing"] == ["2020-12"]


def test_unknown_name_is_not_counted_and_the_closest_roster_name_is_suggested():
    comp = run([cadre(AN), cadre(BINH)], [trip("Nguyễn Văn Ann", "5/8/2020", "7/8/2020")])
    assert row(comp, AN)["counted_days"] == 0
    issue = next(i for i in comp.issues if i.code == "unknown_name")
    assert (issue.severity, issue.row, issue.column) == ("error", 5, "Họ và tên")
    assert issue.suggestion.startswith(f'Có phải "{AN}"?')
    assert comp.accounting["rows_rejected"] == 1


def test_an_alias_maps_a_variant_to_a_cadre():
    comp = run([cadre(AN)], [trip("Nguyễn V. An", "5/8/2020", "7/8/2020")], aliases={"nguyễn v. an": AN})
    assert row(comp, AN)["counted_days"] == 3
    assert codes(comp) == []


def test_an_alias_to_a_name_not_in_the_roster_is_an_error():
    comp = run([cadre(AN)], aliases={"an": "Nguyễn Văn Anh"})
    assert [i.code for i in comp.issues if i.severity == "error"] == ["alias_target_unknown"]


def test_tone_placement_variants_are_the_same_cadre():
    comp = run([cadre("Phạm Thị Hòa")], [trip("Phạm Thị Hoà", "5/8/2020", "7/8/2020")])
    assert row(comp, "Phạm Thị Hòa")["counted_days"] == 3


# --- shorter periods -----------------------------------------------------------


def test_quarter_run_counts_year_to_date_against_a_pro_rata_target():
    q2 = Period(date(2020, 4, 1), date(2020, 6, 30), "quarter", "2020-Q2")
    trips = [trip(AN, "10/3/2020", "14/3/2020"), trip(AN, "1/4/2020", "10/4/2020"),
             trip(BINH, "1/3/2020", "24/3/2020"), trip(AN, "1/7/2020", "5/7/2020")]
    comp = run([cadre(AN), cadre(BINH)], trips, period=q2, as_of=date(2020, 7, 5))
    a, b = row(comp, AN), row(comp, BINH)
    # Elapsed 01/03–30/06 = 122 eligible days: target ceil(60 × 122 / 306) = ceil(23.9) = 24.
    assert (a["counted_days"], a["days_in_period"], a["target_to_date"], a["at_risk"]) == (15, 10, 24, True)
    assert (a["days_needed"], a["quota"]) == (45, 60)
    assert (b["counted_days"], b["days_in_period"], b["at_risk"]) == (24, 0, False)
    assert comp.window == (date(2020, 3, 1), date(2020, 6, 30)) and comp.period == q2
    assert ("ban-a.xlsx", 8, "trip_outside_period") in codes(comp)  # July is after the window


def test_month_run_caps_the_target_at_the_as_of_date():
    june = Period(date(2020, 6, 1), date(2020, 6, 30), "month", "2020-06")
    comp = run([cadre(AN)], [trip(AN, "1/3/2020", "20/3/2020"), trip(AN, "2/6/2020", "3/6/2020")],
               period=june, as_of=date(2020, 6, 15))
    a = row(comp, AN)
    # Elapsed 01/03–15/06 = 107 days: target ceil(60 × 107 / 306) = ceil(20.98) = 21.
    assert (comp.to_date, a["elapsed_eligible_days"], a["target_to_date"]) == (date(2020, 6, 15), 107, 21)
    assert (a["counted_days"], a["days_in_period"], a["at_risk"]) == (22, 2, False)


def test_a_period_outside_the_rule_set_is_refused():
    feb = Period(date(2020, 2, 1), date(2020, 2, 29), "month", "2020-02")
    with pytest.raises(RuleSetError, match="Kỳ 2020-02 nằm ngoài kỳ tính 01/03/2020–31/12/2020"):
        run([cadre(AN)], period=feb)
    with pytest.raises(RuleSetError, match="không có kỳ tính cho năm 2021"):
        run([cadre(AN)], period=Period(date(2021, 1, 1), date(2021, 12, 31), "year", "2021"))


def test_year_run_reports_the_rule_sets_own_period():
    comp = run([cadre(AN)])
    assert (comp.period.start, comp.period.end, comp.period.label) == (date(2020, 3, 1), date(2020, 12, 31), "2020")


# --- totals ----------------------------------------------------------------------


def test_totals_and_departments():
    roster = [cadre(AN, "Ban Tuyên giáo"), cadre(BINH, "Ban Tuyên giáo"), cadre(CUONG, "Văn phòng")]
    trips = [trip(AN, "1/3/2020", "29/4/2020"), trip(AN, "1/6/2020", "2/6/2020"), trip(BINH, "1/3/2020", "10/3/2020")]
    comp = run(roster, trips)
    assert comp.totals == {"cadres": 3, "required": 3, "exempt": 0, "trips": 3, "days": 72, "average_days": 24.0,
                           "met": 1, "met_share": 0.333, "overlap_days": 0, "reports_on_time": 0,
                           "reports_late": 0, "reports_overdue": 3, "reports_pending": 0, "reports_not_recorded": 0,
                           "reports_undated": 0}
    assert [(d["department"], d["cadres"], d["days"], d["met"], d["met_share"]) for d in comp.departments] == [
        ("Ban Tuyên giáo", 2, 72, 1, 0.5), ("Văn phòng", 1, 0, 0, 0.0)]


def test_content_outside_the_listed_kinds_can_be_excluded():
    content = {"kinds": [{"label": "Dự sinh hoạt chi đoàn", "match": ["sinh hoạt"]}], "unmatched": "exclude"}
    comp = run([cadre(AN)], [trip(AN, "1/3/2020", "3/3/2020", content="Dự sinh hoạt chi đoàn thôn 3"),
                             trip(AN, "5/3/2020", "6/3/2020", content="Họp cơ quan"),
                             trip(AN, "8/3/2020", "8/3/2020")], rs=ruleset(content=content))
    assert (row(comp, AN)["counted_days"], row(comp, AN)["trips"]) == (4, 2)
    assert ("ban-a.xlsx", 6, "content_not_counted") in codes(comp)
    assert comp.accounting["trips_content_excluded"] == 1
