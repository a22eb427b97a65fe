"""Progress runs (a month, a quarter): the period's cadres only (not one who joins later or
has left), a closing summary about progress with the period's trips, and the problems of
later books counted apart instead of mixed into the period's list."""

from __future__ import annotations

import json
from datetime import date

import openpyxl

from dicoso.model import Period

from builders import register, roster
from builders import trip as book_trip
from conftest import AS_OF_ARGS, cli, drop_folder
from engine_builders import cadre, run, trip

AN, BINH, CUONG = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"
JULY = Period(date(2020, 7, 1), date(2020, 7, 31), "month", "2020-07")
AUGUST = Period(date(2020, 8, 1), date(2020, 8, 31), "month", "2020-08")
Q3 = Period(date(2020, 7, 1), date(2020, 9, 30), "quarter", "2020-Q3")


def names(comp) -> list[str]:
    return list(comp.cadres["name"])


# --- the period's cadres ------------------------------------------------------------------------
def test_a_cadre_who_joins_in_august_is_not_among_july_s_cadres_nor_warned_nor_averaged():
    roster_rows = [cadre(AN), cadre(BINH), cadre(CUONG, start="10/8/2020")]
    trips = [trip(AN, "6/7/2020", "9/7/2020"), trip(BINH, "13/7/2020", "14/7/2020")]
    july = run(roster_rows, trips, period=JULY)
    assert names(july) == [AN, BINH]
    assert (july.totals["cadres"], july.totals["days"], july.totals["average_days"]) == (2, 6, 3.0)
    assert not [i for i in july.issues if i.code == "cadre_no_trips"]
    august = run(roster_rows, trips, period=AUGUST)
    assert names(august) == [AN, BINH, CUONG]  # in service from 10/08: one of August's cadres
    assert [i.message for i in august.issues if i.code == "cadre_no_trips"] == [
        f'Cán bộ "{CUONG}" (Ban A) không có chuyến đi cơ sở nào được tính trong kỳ 01/03/2020–31/08/2020.']


def test_a_cadre_who_left_before_the_quarter_is_not_among_its_cadres():
    roster_rows = [cadre(AN), cadre(BINH, end="31/5/2020")]
    trips = [trip(AN, "6/7/2020", "9/7/2020"), trip(BINH, "4/5/2020", "8/5/2020")]
    q3 = run(roster_rows, trips, period=Q3)
    assert names(q3) == [AN]
    assert (q3.totals["cadres"], q3.totals["average_days"]) == (1, 4.0)
    year = run(roster_rows, trips)
    assert names(year) == [AN, BINH]  # the year's cadres: he served in it


def test_the_period_s_trips_and_those_before_it_are_counted_apart():
    trips = [trip(AN, "2/3/2020", "3/3/2020"), trip(AN, "29/6/2020", "2/7/2020"), trip(AN, "20/7/2020", "20/7/2020"),
             trip(AN, "3/8/2020", "4/8/2020"), trip(AN, "10/1/2021", "11/1/2021")]
    acc = run([cadre(AN)], trips, period=JULY).accounting
    assert (acc["trips_counted"], acc["trips_in_period"], acc["trips_before_period"],
            acc["trips_outside_period"]) == (5, 2, 1, 2)


# --- the console of a progress run --------------------------------------------------------------------
def test_a_month_run_with_a_cadre_who_joins_in_august_speaks_of_progress(tmp_path, capsys):
    drop, out = drop_folder(tmp_path), tmp_path / "out"
    path = drop / "Danh sach can bo chuyen trach 2020.xlsx"
    wb = openpyxl.load_workbook(path)
    wb.active.append([14, "Đinh Văn Mới", "Chuyên viên", "Ban Tuyên giáo", "15/08/2020"])  # joins in August
    wb.save(path)
    code, stdout, _ = cli(capsys, drop, "--month", "2020-07", *AS_OF_ARGS, "--out", out)
    assert code == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert "Đinh Văn Mới" not in [c["name"] for c in summary["cadres"]] and "Đinh Văn Mới" not in stdout
    cadres, acc = summary["cadres"], summary["accounting"]
    behind = [c for c in cadres if c["at_risk"]]
    met = [c for c in cadres if c["met"]]
    gap = sum(c["target_to_date"] - c["counted_days"] for c in behind)
    needed = sum(c["days_needed"] for c in cadres)
    assert behind and len(cadres) == 13
    progress = (f"Tiến độ đến ngày 31/07/2020: 13 cán bộ trong kỳ; {13 - len(behind)} đúng tiến độ"
                + (f" (trong đó {len(met)} đã đạt chỉ tiêu năm)" if met else "")
                + f", {len(behind)} chậm tiến độ (cần thêm {gap} ngày để theo kịp tiến độ); cả năm còn thiếu "
                f"{needed} ngày để tất cả đạt chỉ tiêu 60 ngày; ")
    assert any(line.startswith(progress) for line in stdout.splitlines()), stdout
    before, inside = acc["trips_before_period"], acc["trips_in_period"]
    after = acc["trips_counted"] - inside - before
    assert (f"{inside} chuyến trong kỳ 2020-07, {before + after} chuyến ngoài kỳ ({before} chuyến từ đầu năm đến "
            f"trước kỳ, vẫn tính vào tiến độ cả năm; {after} chuyến sau kỳ hoặc ngoài thời gian tính, chưa tính)") \
        in stdout
    assert "đạt chỉ tiêu;" not in stdout  # not the year's "13 cán bộ, 0 đạt chỉ tiêu"
    code, stdout, _ = cli(capsys, "check", drop, "--month", "2020-08", *AS_OF_ARGS)
    assert "Tiến độ đến ngày 31/08/2020: 14 cán bộ trong kỳ;" in stdout
    assert 'Cán bộ "Đinh Văn Mới" (Ban Tuyên giáo) không có chuyến đi cơ sở nào' in stdout


def test_a_year_run_counts_met_over_the_cadres_the_quota_applies_to(tmp_path, capsys):
    from conftest import RULES

    drop = drop_folder(tmp_path)
    code, stdout, _ = cli(capsys, "check", drop, "--year", "2020", "--rules", RULES / "ba-ria-vung-tau-2018-2022.yaml",
                          *AS_OF_ARGS)
    assert "13 cán bộ, 0/12 đạt chỉ tiêu (1 được miễn); " in stdout


# --- books of later periods ---------------------------------------------------------------------------
def _ban_a(drop) -> None:
    roster(drop / "Danh sách cán bộ.xlsx", [[1, AN, "Chuyên viên", "Ban Tuyên giáo"],
                                             [2, BINH, "Chuyên viên", "Ban Tuyên giáo"]])
    register(drop / "BTG" / "BTG thang 05-2020.xlsx",
             [book_trip(AN, "04/05/2020", "06/05/2020", submitted="10/05/2020"),
              book_trip(BINH, "12/05/2020", "13/05/2020", submitted="15/05/2020")], sheet="T5")
    register(drop / "BTG" / "BTG thang 06-2020.xlsx",
             [book_trip(AN, "08/06/2020", "09/06/2020", submitted="12/06/2020"),
              book_trip("Trần Thị Bìn", "15/06/2020", "16/06/2020", submitted="20/06/2020")], sheet="T6")


def test_problems_of_a_later_month_s_book_are_counted_apart_from_the_month_s_list(tmp_path, capsys):
    drop = tmp_path / "Sổ"
    _ban_a(drop)
    code, stdout, _ = cli(capsys, "check", drop, "--month", "2020-05", *AS_OF_ARGS)
    assert code == 0  # the May books have no error
    assert "Bìn" not in stdout
    assert ("1 sổ ngoài kỳ báo cáo (chuyến đi đều sau ngày 31/05/2020) có 1 lỗi, 0 cảnh báo; không liệt kê ở đây, sẽ "
            "được liệt kê khi lập báo cáo của kỳ có các sổ đó.\n  - BTG/BTG thang 06-2020.xlsx (08/06/2020–16/06/2020): "
            "1 lỗi\n") in stdout
    code, stdout, _ = cli(capsys, "check", drop, "--month", "2020-06", *AS_OF_ARGS)
    assert code == 1 and 'Tên "Trần Thị Bìn" không có trong danh sách cán bộ' in stdout
    assert "sổ ngoài kỳ báo cáo" not in stdout


def test_summary_json_counts_the_later_books_problems(tmp_path, capsys):
    drop, out = tmp_path / "Sổ", tmp_path / "out"
    _ban_a(drop)
    assert cli(capsys, drop, "--month", "2020-05", *AS_OF_ARGS, "--out", out)[0] == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["books_outside_period"] == [{"file": "BTG/BTG thang 06-2020.xlsx", "first": "2020-06-08",
                                                "last": "2020-06-16", "errors": 1, "warnings": 0, "notes": 1}]
    assert not [i for i in summary["issues"] if i["file"] == "BTG/BTG thang 06-2020.xlsx"]
