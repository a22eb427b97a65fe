"""Dates as registers we had not seen write them: without a year, across New Year, typed on an
Excel set to the US locale, in the wrong year, and report dates written as words. A figure is
right or visibly uncertain; a date is never read month first."""

from __future__ import annotations

from datetime import date, datetime
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


# --- 2. a book typed on an Excel set to the US locale -------------------------------------------


def test_date_cells_stored_month_first_in_a_may_book_are_a_warning_and_never_swapped(tmp_path):
    """The clerk typed 01/05 - 03/05 (1-3 May); a US-locale Excel stored 5 January - 5 March."""
    book(tmp_path / "BTG.xlsx", {"Tháng 5": [["BAN TUYÊN GIÁO"], ["SỔ THEO DÕI ĐI CƠ SỞ THÁNG 5/2020"], TRIP_HEADER,
                                             trip(AN, datetime(2020, 1, 5), datetime(2020, 3, 5),
                                                  submitted=datetime(2020, 12, 5)),
                                             trip(BINH, datetime(2020, 7, 5), datetime(2020, 9, 5), stt=2)]})
    data, comp = run(tmp_path)
    assert dates_of(data) == [("BTG.xlsx", 4, date(2020, 1, 5), date(2020, 3, 5), date(2020, 12, 5)),
                              ("BTG.xlsx", 5, date(2020, 7, 5), date(2020, 9, 5), None)]
    assert days(comp) == {AN: 5, BINH: 63}  # as stored: visibly uncertain, not silently corrected
    (w,) = [i for i in comp.issues if i.code == "dates_maybe_swapped"]
    assert (w.severity, w.file, w.sheet, w.row) == ("warning", "BTG.xlsx", "Tháng 5", 4)
    assert w.message == (
        "Các ô ngày ở dòng 4–5 có vẻ bị đảo ngày và tháng (Excel của máy nhập sổ đặt theo kiểu Mỹ, tháng trước "
        "ngày sau): sổ ghi tháng 5/2020 nhưng ngày trong ô thuộc tháng khác, đảo lại thì thuộc tháng 5/2020. Ví dụ "
        "ô D4 đang là 05/01/2020, đảo lại là 01/05/2020. Chương trình vẫn tính theo ngày đang có trong ô, không tự "
        "đảo: số ngày và hạn báo cáo của các chuyến này có thể sai.")
    assert "Region: Vietnamese" in w.suggestion and "Nếu ngày trong ô đúng thì không cần sửa." in w.suggestion


def test_month_first_cells_are_told_by_a_text_date_past_12_or_a_trip_in_order_only_when_swapped(tmp_path):
    year_book = [["SỔ THEO DÕI ĐI CƠ SỞ NĂM 2020"], TRIP_HEADER]
    book(tmp_path / "a.xlsx", {"Năm 2020": year_book + [  # "13/05/2020" stayed text: no month 13
        trip(AN, datetime(2020, 6, 5), datetime(2020, 6, 5)), trip(AN, "13/05/2020", "14/05/2020", stt=2)]})
    book(tmp_path / "b.xlsx", {"Năm 2020": year_book + [  # typed 10/03 - 02/04: stored 3 October - 4 February
        trip(BINH, datetime(2020, 10, 3), datetime(2020, 2, 4))]})
    book(tmp_path / "c.xlsx", {"Tháng 5": [["SỔ THEO DÕI ĐI CƠ SỞ THÁNG 5 NĂM 2020"], TRIP_HEADER,  # day first
                                           trip(AN, datetime(2020, 5, 5), datetime(2020, 5, 7), place="Xã C"),
                                           trip(AN, datetime(2020, 10, 3), datetime(2020, 10, 13), place="Xã D")]})
    _, comp = run(tmp_path)
    assert codes(i for i in comp.issues if i.severity != "info") == [
        ("a.xlsx", 3, "dates_maybe_swapped"), ("b.xlsx", 3, "dates_maybe_swapped"), ("b.xlsx", 3, "end_before_start")]
    a, b = [i.message for i in comp.issues if i.code == "dates_maybe_swapped"]
    assert 'ngày có số ngày trên 12 (như "13/05/2020") bị lưu thành chữ' in a
    assert "dòng 3 có ngày về trước ngày đi hoặc chuyến đi dài bất thường, đảo lại thì hợp lý" in b


# --- 3. a year typed wrong ------------------------------------------------------------------------


def test_a_trip_dated_years_away_from_the_book_s_year_is_a_warning_naming_its_rows_never_moved(tmp_path):
    """'05/08/2002' typed for 05/08/2020 in the August 2020 book: noted as outside the period
    only, the clerk would not see 3 days lost; a carried-over December of the year before is
    no typo."""
    rows = [TRIP_HEADER, trip(AN, "05/08/2002", "07/08/2002"), trip(AN, "12/08/2020", "12/08/2020", stt=2),
            trip(BINH, "20/08/2012", "20/08/2012", stt=3), trip(BINH, "28/12/2019", "29/12/2019", stt=4)]
    book(tmp_path / "BTG T8.xlsx", {"T8": [["BAN TUYÊN GIÁO"], ["SỔ THEO DÕI ĐI CƠ SỞ THÁNG 8 NĂM 2020"]] + rows})
    book(tmp_path / "khong nam.xlsx", {"T8": [["SỔ THEO DÕI ĐI CƠ SỞ"], TRIP_HEADER, trip(AN, "05/08/2002", "05/08/2002")]})
    data, comp = run(tmp_path)
    (w,) = [i for i in comp.issues if i.code == "date_year_unlikely"]
    assert (w.file, w.sheet, w.row, w.severity) == ("BTG T8.xlsx", "T8", 4, "warning")
    assert w.message.startswith("Sổ ghi năm 2020 (tiêu đề, tên trang hoặc tên tệp) nhưng 2 dòng (4, 6) có ngày đi ở "
                                "năm khác hẳn, ví dụ 05/08/2002 – 07/08/2002: có thể gõ nhầm năm.")
    assert [r[2] for r in dates_of(data) if r[0] == "BTG T8.xlsx"] == [
        date(2002, 8, 5), date(2020, 8, 12), date(2012, 8, 20), date(2019, 12, 28)]  # as typed, never moved
    assert days(comp) == {AN: 1, BINH: 0}
