"""Data checks: each one an Issue with a stable code, a severity and Vietnamese text."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from dicoso.model import Period
from dicoso.rules.engine import compute

from engine_builders import (
    AS_OF,
    YEAR_2020,
    cadre,
    codes,
    read_result,
    row,
    ruleset,
    run,
    trip,
)

AN, BINH = "Nguyễn Văn An", "Trần Thị Bình"


def issue(comp, code):
    hits = [i for i in comp.issues if i.code == code]
    assert len(hits) == 1, [i.code for i in comp.issues]
    return hits[0]


def test_end_before_start_is_rejected():
    comp = run([cadre(AN)], [trip(AN, "7/8/2020", "5/8/2020")])
    i = issue(comp, "end_before_start")
    assert (i.severity, i.row, i.column) == ("error", 5, "Đến ngày")
    assert i.message == "Ngày về 05/08/2020 trước ngày đi 07/08/2020; chuyến đi chưa được tính."
    assert row(comp, AN)["counted_days"] == 0
    assert (comp.accounting["rows_rejected"], comp.accounting["trips_counted"]) == (1, 0)


def test_missing_date_is_rejected():
    comp = run([cadre(AN)], [trip(AN, "7/8/2020", None)])
    assert (issue(comp, "trip_missing_date").severity, comp.accounting["rows_rejected"]) == ("error", 1)


def test_declared_days_disagreeing_with_the_dates():
    comp = run([cadre(AN)], [trip(AN, "5/8/2020", "7/8/2020", days=4), trip(AN, "9/8/2020", "9/8/2020", days=1)])
    i = issue(comp, "days_mismatch")
    assert (i.severity, i.row, i.column) == ("warning", 5, "Số ngày")
    assert i.suggestion == 'Sửa "Số ngày" thành 3, hoặc sửa ngày đi/ngày về nếu số ngày mới đúng.'
    assert row(comp, AN)["counted_days"] == 4  # dates win


def test_report_filed_before_the_trip_ended():
    comp = run([cadre(AN)], [trip(AN, "5/8/2020", "7/8/2020", submitted="6/8/2020")])
    assert (issue(comp, "report_before_trip_end").column, comp.trips.iloc[0]["status"]) == ("Ngày nộp báo cáo",
                                                                                             "on_time")


def test_dates_after_the_as_of_date():
    comp = run([cadre(AN)], [trip(AN, "5/8/2020", "7/8/2020", submitted="9/8/2020")], as_of=date(2020, 8, 6))
    assert [(i.code, i.column) for i in comp.issues if i.code == "date_after_as_of"] == [
        ("date_after_as_of", "Đến ngày"), ("date_after_as_of", "Ngày nộp báo cáo")]
    assert row(comp, AN)["counted_days"] == 3


def test_trip_inside_an_exemption_range():
    comp = run([cadre(BINH, ex_from="1/6/2020", ex_to="30/11/2020", reason="Nghỉ thai sản")],
               [trip(BINH, "30/5/2020", "2/6/2020")])
    i = issue(comp, "trip_during_exemption")
    assert i.message == ('Chuyến đi từ 30/05/2020 đến 02/06/2020 trùng với thời gian miễn/nghỉ của "Trần Thị Bình" '
                         "(Nghỉ thai sản, 01/06/2020–30/11/2020); số ngày vẫn được tính.")
    assert row(comp, BINH)["counted_days"] == 4


def test_trip_outside_service():
    comp = run([cadre(AN, start="1/7/2020")], [trip(AN, "29/6/2020", "1/7/2020")])
    assert issue(comp, "trip_outside_service").severity == "warning"


def test_roster_cadre_with_no_trips():
    comp = run([cadre(AN), cadre(BINH, "Ban B")], [trip(AN, "5/8/2020", "7/8/2020")])
    i = issue(comp, "cadre_no_trips")
    assert (i.file, i.row, i.severity) == ("danh-sach.xlsx", 5, "warning")
    assert i.message == 'Cán bộ "Trần Thị Bình" (Ban B) không có chuyến đi cơ sở nào được tính trong kỳ 01/03/2020–31/12/2020.'


def test_roster_rows_of_one_cadre_add_exemption_ranges():
    roster = [cadre(AN, ex_from="1/4/2020", ex_to="30/4/2020", reason="Đi học"),
              cadre(AN, ex_from="1/10/2020", ex_to="31/10/2020", reason="Nghỉ ốm")]
    comp = run(roster)
    assert row(comp, AN)["eligible_days"] == 306 - 30 - 31
    assert len(comp.cadres) == 1


def test_exemption_ending_before_it_starts_is_ignored():
    comp = run([cadre(AN, ex_from="30/4/2020", ex_to="1/4/2020", reason="Đi học")])
    assert (issue(comp, "exemption_end_before_start").severity, row(comp, AN)["eligible_days"]) == ("error", 306)


def test_content_not_in_the_listed_kinds_can_be_noted():
    content = {"kinds": [{"label": "Chuyên đề", "match": ["chuyên đề"]}], "unmatched": "note"}
    comp = run([cadre(AN)], [trip(AN, "5/8/2020", "7/8/2020", content="Họp")], rs=ruleset(content=content))
    assert (issue(comp, "content_unrecognised").severity, row(comp, AN)["counted_days"]) == ("info", 3)


def test_accounting_adds_the_engines_rejections_to_the_readers():
    data = read_result([cadre(AN)], [trip(AN, "5/8/2020", "7/8/2020"), trip(AN, "5/8/2020", "7/8/2020"),
                                     trip("Ai Đó", "5/8/2020", "7/8/2020")],
                       rejected_by_reader={("ban-a.xlsx", "Sheet1"): 2})
    data.files[0] = replace(data.files[0], rows_read=data.files[0].rows_read + 4, rows_skipped=4)
    comp = compute(data, ruleset(), YEAR_2020, AS_OF)
    assert {k: comp.accounting[k] for k in ("rows_read", "trips_counted", "duplicates_merged", "rows_rejected",
                                             "rows_skipped")} == {
        "rows_read": 9, "trips_counted": 1, "duplicates_merged": 1, "rows_rejected": 3, "rows_skipped": 4}
    assert comp.files[0].rows_rejected == 3
    assert "accounting_mismatch" not in {i.code for i in comp.issues}


def test_accounting_mismatch_is_reported():
    data = read_result([cadre(AN)], [trip(AN, "5/8/2020", "7/8/2020")])
    data.files[0] = replace(data.files[0], rows_read=2)
    comp = compute(data, ruleset(), YEAR_2020, AS_OF)
    assert issue(comp, "accounting_mismatch").severity == "error"


def test_no_trips_at_all():
    comp = run([cadre(AN)])
    assert codes(comp, skip=("registration_data_missing",)) == [("danh-sach.xlsx", 4, "cadre_no_trips")]
    assert comp.totals["trips"] == 0 and comp.accounting["trips_counted"] == 0


def test_report_checks_switched_off():
    comp = run([cadre(AN)], [trip(AN, "5/8/2020", "7/8/2020")], rs=ruleset(report_deadline_days=None))
    assert "status" not in comp.trips
    assert comp.totals["reports_overdue"] == 0


def test_trips_after_a_month_window_are_only_noted():
    april = Period(date(2020, 4, 1), date(2020, 4, 30), "month", "2020-04")
    comp = run([cadre(AN)], [trip(AN, "5/4/2020", "6/4/2020"), trip(AN, "5/8/2020", "7/8/2020", submitted="9/8/2020")],
               period=april, as_of=date(2020, 5, 2))
    assert codes(comp) == [("ban-a.xlsx", 6, "trip_outside_period")]
