"""The rule kind "at least N trips a quarter" (checks/min_trips.py), off in the shipped rule sets."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dicoso.errors import RuleSetError
from dicoso.rules.checks.min_trips import MinTripsPerQuarter
from dicoso.rules.summary import build

from engine_builders import cadre, row, ruleset, run, trip

AN, BINH, CUONG = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"
TWO_A_QUARTER = {"trips": 2, "quarters": [2, 3, 4]}


def test_off_unless_the_rule_set_asks_for_it():
    comp = run([cadre(AN)], [trip(AN, "5/4/2020", "6/4/2020")])
    assert "quarters_short_of_trips" not in row(comp, AN)
    assert not ruleset().check(MinTripsPerQuarter).on


def test_a_quarter_with_fewer_trips_is_named_in_the_notes_and_the_summary():
    trips = [trip(AN, "5/4/2020", "6/4/2020"), trip(AN, "5/5/2020", "5/5/2020"),  # Q2: 2 trips
             trip(AN, "30/9/2020", "2/10/2020"),  # across Q3/Q4: counts in both
             trip(BINH, "1/7/2020", "1/7/2020")]
    rs = ruleset(min_trips_per_quarter=TWO_A_QUARTER)
    comp = run([cadre(AN), cadre(BINH)], trips, rs=rs)
    an, binh = row(comp, AN), row(comp, BINH)
    assert an["quarters_short_of_trips"] == ["Quý III/2020", "Quý IV/2020"]
    assert an["notes"][-2:] == ["Quý III/2020 có 1 chuyến đi cơ sở, chưa đủ 2 chuyến/quý.",
                                "Quý IV/2020 có 1 chuyến đi cơ sở, chưa đủ 2 chuyến/quý."]
    assert binh["quarters_short_of_trips"] == ["Quý II/2020", "Quý III/2020", "Quý IV/2020"]
    # it is reported, like the leaders' monthly rule; the yearly days decide "met"
    assert an["days_needed"] == 60 - an["counted_days"]
    summary = build(comp, rs)
    assert [c["quarters_short_of_trips"] for c in summary["cadres"]] == [
        ["Quý III/2020", "Quý IV/2020"], ["Quý II/2020", "Quý III/2020", "Quý IV/2020"]]


def test_only_ended_quarters_and_only_cadres_in_service_all_quarter():
    trips = [trip(AN, "5/4/2020", "6/4/2020"), trip(AN, "5/5/2020", "5/5/2020")]
    roster = [cadre(AN), cadre(CUONG, start="15/8/2020")]
    rs = ruleset(min_trips_per_quarter=TWO_A_QUARTER)
    comp = run(roster, trips, rs=rs, as_of=date(2020, 9, 30))  # Q3 ends on the as-of date, Q4 has not
    assert row(comp, AN)["quarters_short_of_trips"] == ["Quý III/2020"]
    assert row(comp, CUONG)["quarters_short_of_trips"] == []  # joined in August: Q3 not required


@pytest.mark.parametrize("value, message", [
    ({"quarters": [1]}, 'thiếu khoá "min_trips_per_quarter.trips" (bắt buộc)'),
    ({"trips": 0}, 'khoá "min_trips_per_quarter.trips" phải là số nguyên dương, đang là 0'),
    ({"trips": 2, "quarters": [5]}, 'khoá "min_trips_per_quarter.quarters[0]" phải là số nguyên từ 1 đến 4'),
])
def test_bad_settings_name_the_key(value, message):
    with pytest.raises(RuleSetError, match=re.escape(message)):
        ruleset(min_trips_per_quarter=value)
