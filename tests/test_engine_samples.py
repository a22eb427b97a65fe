"""The engine on input_samples/ gives the figures its README was designed for."""

from __future__ import annotations

from datetime import date

import pytest

from dicoso.model import Period
from dicoso.read.folder import read_folder
from dicoso.read.limits import Limits
from dicoso.rules.engine import compute
from dicoso.rules.ruleset import pick_ruleset

from conftest import ROOT

YEAR = Period(date(2020, 1, 1), date(2020, 12, 31), "year", "2020")

# name: (eligible days, quota, counted days, met, trips, planned)  -- input_samples/README.md
EXPECTED = {
    "Nguyễn Văn Hùng": (306, 60, 64, True, 19, 62),
    "Trần Thị Thu Hà": (306, 60, 60, True, 20, 60),
    "Lê Minh Tuấn": (306, 60, 48, False, 16, 31),
    "Phạm Quốc Khánh": (306, 60, 62, True, 16, 61),
    "Nguyễn Thị Hòa": (306, 60, 61, True, 17, 58),
    "Vũ Đức Thắng": (184, 37, 38, True, 13, 39),
    "Đặng Thị Thủy": (306, 60, 66, True, 19, 62),
    "Nguyễn Văn Nam": (306, 60, 63, True, 21, 64),
    "Hoàng Thị Lan": (123, 25, 26, True, 10, 22),
    "Bùi Văn Dũng": (306, 60, 55, False, 18, 52),
    "Trịnh Thị Ngọc Ánh": (214, 42, 43, True, 14, 38),
    "Ngô Thị Phương": (306, 60, 61, True, 23, 59),
    "Kiều Văn Long": (306, 60, 59, False, 21, 58),
}


@pytest.fixture(scope="module")
def comp():
    data = read_folder(ROOT / "input_samples", Limits())
    rs, _ = pick_ruleset(ROOT / "rules", YEAR)
    return compute(data, rs, YEAR, date(2021, 1, 5), aliases=data.aliases)


def test_per_cadre_figures(comp):
    got = {r["name"]: (r["eligible_days"], r["quota"], r["counted_days"], r["met"], r["trips"], r["planned_days"])
           for r in comp.cadres.to_dict("records")}
    assert got == EXPECTED


def test_totals_reports_and_registration(comp):
    t = comp.totals
    assert (t["cadres"], t["trips"], t["days"], t["met"]) == (13, 227, 706, 10)
    assert (t["reports_on_time"], t["reports_late"], t["reports_overdue"], t["reports_pending"]) == (222, 2, 2, 1)
    assert [(q["quarter"], q["required"], q["registered"], q["missing"]) for q in comp.sections["registration_quarters"]] == [
        ("2020-Q2", 12, 12, []), ("2020-Q3", 12, 11, ["Lê Minh Tuấn"]), ("2020-Q4", 12, 12, [])]


def test_designed_rows_and_accounting(comp):
    found = {(i.code, i.file, i.row) for i in comp.issues}
    assert {("trip_partly_outside_period", "Ban Phong trao/BPT thang 03-2020.xlsx", 6),
            ("duplicate_merged", "Ban TTN-TH/TTN-TH thang 07-2020.xlsx", 10),
            ("duplicate_merged", "Ban Tuyen giao/BTG thang 05-2020.xlsx", 6),
            ("days_mismatch", "Ban TTN-TH/TTN-TH thang 09-2020.xlsx", 7),
            ("unknown_name", "Ban XDD/XDD Quy III-2020.xlsx", 11)} <= found
    unknown = next(i for i in comp.issues if i.code == "unknown_name")
    assert unknown.suggestion.startswith('Có phải "Phạm Quốc Khánh"?')
    acc = comp.accounting
    assert (acc["trips_counted"], acc["duplicates_merged"], acc["rows_rejected"]) == (227, 2, 1)
    assert acc["rows_read"] == acc["trips_counted"] + acc["duplicates_merged"] + acc["rows_rejected"] + acc["rows_skipped"]
