"""Dates as registers we had not seen write them: without a year, across New Year, typed on an
Excel set to the US locale, in the wrong year, and report dates written as words. A figure is
right or visibly uncertain; a date is never read month first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dicoso.model import Period
from dicoso.read.folder import read_folder
from dicoso.rules.engine import compute

from builders import TRIP_HEADER, book, roster, trip
from engine_builders import ruleset

AN, BINH = "Nguyễn Văn An", "Trần Thị Bình"
YEAR = Period(date(2020, 1, 1), date(2020, 12, 31), "year", "2020")
ROSTER = [[1, AN, "Chuyên viên", "Ban Tuyên giáo", None, None, None, None, None],
          [2, BINH, "Chuyên viên", "Ban Tuyên giáo", None, None, None, None, None]]
PERIOD_HEADER = ["STT", "Họ và tên", "Chức vụ", "Thời gian", "Địa bàn", "Nội dung", "Ngày nộp báo cáo"]


def run(folder: Path):
    roster(folder / "ds.xlsx", ROSTER)
    data = read_folder(folder, workers=1)
    return data, compute(data, ruleset(registration_quarters=[]), YEAR, date(2021, 1, 5), aliases=data.aliases)


def dates_of(data) -> list[tuple]:
    return [tuple(r) for r in data.trips[["file", "row", "start", "end", "submitted"]].itertuples(index=False)]


def days(comp) -> dict[str, int]:
    return dict(zip(comp.cadres["name"], comp.cadres["counted_days"]))


def codes(issues) -> list[tuple]:
    return sorted((i.file, i.row, i.code) for i in issues if i.code != "cadre_no_trips")


# --- 1. dates typed without a year ------------------------------------------------------------


def test_a_trip_across_new_year_ends_in_the_next_year_whatever_the_book_s_shape(tmp_path):
    """"28/12 - 02/01" in a book of 2020 is 28/12/2020 - 02/01/2021 (four days in 2020), its
    report "05/01" is 05/01/2021: before, the range went back to 28/12/2019 (nothing counted)
    and two date columns were an end before the start."""
    december = [["SỔ THEO DÕI ĐI CƠ SỞ THÁNG 12 NĂM 2020"]]
    book(tmp_path / "a" / "range.xlsx", {"Tháng 12": december + [
        PERIOD_HEADER, [1, AN, "Chuyên viên", "28/12 - 02/01", "Xã A", "Khảo sát", "05/01"]]})
    book(tmp_path / "b" / "columns.xlsx", {"T12": december + [
        TRIP_HEADER, trip(AN, "28/12", "02/01", submitted="05/01")]})
    book(tmp_path / "c" / "year book.xlsx", {"Năm 2020": [["SỔ THEO DÕI ĐI CƠ SỞ NĂM 2020"], TRIP_HEADER,
                                                          trip(BINH, "28/12", "02/01", submitted="05/01")]})
    book(tmp_path / "d" / "january.xlsx", {"Tháng 1": [["SỔ THEO DÕI ĐI CƠ SỞ NĂM 2021"], TRIP_HEADER,
                                                       trip(BINH, "28/12", "02/01", place="Xã B")]})
    data, comp = run(tmp_path)
    crossing = (date(2020, 12, 28), date(2021, 1, 2))
    assert dates_of(data) == [("a/range.xlsx", 3, *crossing, date(2021, 1, 5)),
                              ("b/columns.xlsx", 3, *crossing, date(2021, 1, 5)),
                              ("c/year book.xlsx", 3, *crossing, date(2021, 1, 5)),
                              ("d/january.xlsx", 3, *crossing, None)]
    assert days(comp) == {AN: 4, BINH: 4}
    assert [c for c in codes(comp.issues) if c[2] not in ("trip_partly_outside_period", "duplicate_merged",
                                                          "same_day_trips")] == []


def test_a_date_without_a_year_takes_the_title_s_year_and_is_an_error_in_a_book_naming_none(tmp_path):
    rows = [PERIOD_HEADER, [1, AN, "Chuyên viên", "05/3", "Xã A", "Khảo sát", "10/3"],
            [2, AN, "Chuyên viên", "05-07/5", "Xã C", "Khảo sát", None]]
    book(tmp_path / "a.xlsx", {"Tháng 5": [["BAN TUYÊN GIÁO"], ["SỔ THEO DÕI ĐI CƠ SỞ NĂM 2020"]] + rows})
    book(tmp_path / "b.xlsx", {"Tháng 5": [["SỔ THEO DÕI ĐI CƠ SỞ"]] + rows})
    data, comp = run(tmp_path)
    assert dates_of(data) == [("a.xlsx", 4, date(2020, 3, 5), date(2020, 3, 5), date(2020, 3, 10)),
                              ("a.xlsx", 5, date(2020, 5, 5), date(2020, 5, 7), None)]
    assert days(comp)[AN] == 4
    assert codes(comp.issues) == [("b.xlsx", 3, "bad_date_period"), ("b.xlsx", 4, "bad_date_period")]
    assert [i.message for i in data.issues] == [
        'Không hiểu ngày "05/3": thiếu năm. Nhập theo dạng ngày/tháng/năm, ví dụ 05/08/2020.',
        'Không hiểu thời gian "05-07/5": thiếu năm. Nhập theo dạng 05/08/2020 - 07/08/2020, hoặc một ngày '
        "05/08/2020 nếu đi trong ngày."]
