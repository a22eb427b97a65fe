"""summary.build: the summary.json schema 1 of CONTRACTS.md."""

from __future__ import annotations

import json
import unicodedata
from datetime import date

import pytest

from dicoso.rules.summary import build

from engine_builders import YEAR_2020, cadre, registration, ruleset, run, trip

ROSTER = [
    cadre("Đỗ Văn Đức", "Văn phòng"),
    cadre("Nguyễn Văn Dũng", "Văn phòng", "Chánh Văn phòng"),
    cadre(unicodedata.normalize("NFD", "Hoàng Thị Lan"), "Ban Tuyên giáo", ex_from="1/6/2020", ex_to="30/11/2020",
          reason="Nghỉ thai sản"),
    cadre("Ân Văn Bảo", ""),
]
TRIPS = [
    trip("Nguyễn Văn Dũng", "5/8/2020", "7/8/2020", submitted="18/8/2020", file="vp.xlsx"),  # late by 1
    trip("Đỗ Văn Đức", "20/12/2020", "22/12/2020", file="vp.xlsx"),  # pending on 01/01/2021
    trip("Hoàng Thị Lan", "1/3/2020", "3/3/2020", file="btg.xlsx", submitted="4/3/2020"),
    trip("Hoàng Thị Lan", "2/3/2020", "3/3/2020", file="btg.xlsx", submitted="4/3/2020", days=5),
    trip("Ai Đó", "2/3/2020", "3/3/2020", file="btg.xlsx"),
]


@pytest.fixture(scope="module")
def summary() -> dict:
    comp = run(ROSTER, TRIPS, [registration("Nguyễn Văn Dũng", 2, 12.5)], as_of=date(2021, 1, 1))
    return build(comp, ruleset(), YEAR_2020, date(2021, 1, 1), rules_reason="Dùng bộ quy tắc thử.")


def test_has_every_key_of_schema_1(summary):
    assert list(summary) == ["schema", "period", "as_of", "rules", "quota", "report_deadline_days", "levels",
                             "totals", "departments", "cadres", "progress", "reports", "registration", "registration_next",
                             "issues", "books_outside_period", "accounting"]
    assert summary["schema"] == 1
    assert {"name", "file", "province"} <= set(summary["rules"])
    assert {"cadres", "trips", "days", "average_days", "met", "met_share", "overlap_days", "reports_on_time",
            "reports_late", "reports_overdue", "reports_pending"} <= set(summary["totals"])
    assert {"name", "department", "position", "counted_days", "quota", "met", "days_needed", "eligible_days",
            "exemptions", "exempt", "trips", "overlap_days", "by_level", "monthly_missing", "planned_days",
            "notes"} <= set(summary["cadres"][0])
    assert {"year_start", "year_end", "to_date", "at_risk"} <= set(summary["progress"])
    assert set(summary["reports"]) == {"late", "overdue", "pending"}
    assert {"rows_read", "trips_counted", "duplicates_merged", "rows_rejected", "rows_skipped", "files_read",
            "files_skipped"} <= set(summary["accounting"])


def test_is_json_with_iso_dates(summary):
    again = json.loads(json.dumps(summary, ensure_ascii=False))
    assert again == summary
    assert summary["period"] == {"start": "2020-03-01", "end": "2020-12-31", "kind": "year", "label": "2020"}
    assert (summary["as_of"], summary["rules"]["reason"]) == ("2021-01-01", "Dùng bộ quy tắc thử.")


def test_every_string_is_nfc(summary):
    text = json.dumps(summary, ensure_ascii=False)
    assert text == unicodedata.normalize("NFC", text)
    assert "Hoàng Thị Lan" in [c["name"] for c in summary["cadres"]]


def test_cadres_by_ban_in_roster_order_then_position_rank(summary):
    # Ban as the roster first names them, blank last; the Chánh Văn phòng before a chuyên viên
    # listed above him.
    assert [(c["department"], c["name"]) for c in summary["cadres"]] == [
        ("Văn phòng", "Nguyễn Văn Dũng"), ("Văn phòng", "Đỗ Văn Đức"), ("Ban Tuyên giáo", "Hoàng Thị Lan"),
        ("", "Ân Văn Bảo")]
    assert [d["department"] for d in summary["departments"]] == ["Văn phòng", "Ban Tuyên giáo", ""]


def test_cadre_entry(summary):
    lan = next(c for c in summary["cadres"] if c["name"] == "Hoàng Thị Lan")
    assert {k: lan[k] for k in ("counted_days", "quota", "met", "days_needed", "eligible_days", "exempt", "trips",
                                "overlap_days", "by_level", "monthly_missing", "planned_days")} == {
        "counted_days": 3, "quota": 25, "met": False, "days_needed": 22, "eligible_days": 123, "exempt": False,
        "trips": 2, "overlap_days": 2, "by_level": {}, "monthly_missing": [], "planned_days": 0}
    assert lan["exemptions"] == [{"from": "2020-06-01", "to": "2020-11-30", "reason": "Nghỉ thai sản"}]
    assert summary["cadres"][0]["planned_days"] == 12.5


def test_reports(summary):
    assert summary["reports"]["late"] == [{
        "name": "Nguyễn Văn Dũng", "department": "Văn phòng", "start": "2020-08-05", "end": "2020-08-07",
        "due": "2020-08-17", "submitted": "2020-08-18", "days_late": 1, "file": "vp.xlsx", "sheet": "Sheet1",
        "row": 5}]
    assert summary["reports"]["pending"] == [{
        "name": "Đỗ Văn Đức", "department": "Văn phòng", "start": "2020-12-20", "end": "2020-12-22",
        "due": "2021-01-01", "file": "vp.xlsx", "sheet": "Sheet1", "row": 6}]
    assert summary["reports"]["overdue"] == []


def test_issues_are_sorted_and_carry_vietnamese_text(summary):
    assert [(i["file"], i["row"], i["code"]) for i in summary["issues"]] == [
        ("", None, "registration_data_missing"),  # Q3 and Q4: no registration row at all
        ("btg.xlsx", 6, "days_mismatch"),
        ("btg.xlsx", 7, "unknown_name"),
        ("danh-sach.xlsx", 7, "cadre_no_trips"),
    ]
    assert all(i["message"] and i["suggestion"] for i in summary["issues"])


def test_progress_and_registration(summary):
    assert summary["progress"]["to_date"] == "2020-12-31"
    assert [a["name"] for a in summary["progress"]["at_risk"]] == [c["name"] for c in summary["cadres"]]
    assert summary["registration"][0] == {"quarter": "2020-Q2", "required": 4, "known": True, "registered": 1,
                                          "missing": ["Đỗ Văn Đức", "Hoàng Thị Lan", "Ân Văn Bảo"], "not_required": []}
    # no registration row of Q3 anywhere: unknown, not "nobody registered"
    assert summary["registration"][1] == {"quarter": "2020-Q3", "required": 3, "known": False, "registered": None,
                                          "missing": None,
                                          "not_required": [{"name": "Hoàng Thị Lan", "why": "nghỉ thai sản cả quý"}]}


def test_accounting_identity(summary):
    acc = summary["accounting"]
    assert (acc["rows_read"], acc["trips_counted"], acc["duplicates_merged"], acc["rows_rejected"]) == (5, 4, 0, 1)


def test_refuses_a_different_period_or_date():
    comp = run(ROSTER)
    with pytest.raises(ValueError):
        build(comp, ruleset(), as_of=date(2020, 1, 1))
