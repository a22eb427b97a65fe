"""Registers laid out as real provincial books are, in shapes the samples do not have: two-row
headers whose lower row alone says little ("Ngày" over "Đi" | "Về", "Công lệnh" over "Số" |
"Ngày"), names over two columns, other spellings of the date columns, month headings and
notes inside the table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dicoso.model import Period
from dicoso.read.folder import read_folder
from dicoso.rules.engine import compute

from builders import book, ods_book, roster
from engine_builders import ruleset

AN, BINH = "Nguyễn Văn An", "Trần Thị Bình"
YEAR = Period(date(2020, 1, 1), date(2020, 12, 31), "year", "2020")
ROSTER = [[1, AN, "Chuyên viên", "Ban Tuyên giáo", None, None, None, None, None],
          [2, BINH, "Chuyên viên", "Ban Tuyên giáo", None, None, None, None, None]]
TITLE = [["TỈNH ĐOÀN VĨNH PHÚC"], ["BAN TUYÊN GIÁO"], []]


def read(folder: Path):
    return read_folder(folder, workers=1)


def run(folder: Path):
    roster(folder / "Danh sach.xlsx", ROSTER)
    data = read(folder)
    return data, compute(data, ruleset(registration_quarters=[]), YEAR, date(2021, 1, 5), aliases=data.aliases)


def trips_of(data) -> list[tuple]:
    cols = ["row", "name", "start", "end", "submitted", "order_no", "note"]
    return [tuple(r) for r in data.trips[cols].itertuples(index=False)]


def days_of(comp) -> dict[str, int]:
    return dict(zip(comp.cadres["name"], comp.cadres["counted_days"]))


def account(data) -> tuple:
    (a,) = [a for a in data.files if a.kind == "trips"]
    return a.rows_read, a.rows_rejected, a.rows_skipped, a.skip_reasons


# --- two-row headers -------------------------------------------------------------------------

# (top row, row below, ranges merged across the top row); columns: STT, name, start, end, place,
# order number (and its date), report date, note.
TWO_ROW_HEADERS = {
    "thoi_gian_over_tu_den_cong_lenh_over_so_ngay": (
        ["STT", "Họ và tên", "Thời gian", None, "Địa bàn", "Công lệnh", None, "Báo cáo", None],
        [None, None, "Từ ngày", "Đến ngày", None, "Số", "Ngày", "Ngày nộp", "Ghi chú"],
        ["C4:D4", "F4:G4", "H4:I4"]),
    "ngay_over_di_ve": (
        ["STT", "Họ và tên", "Ngày", None, "Địa bàn", "Số công lệnh", "Ngày ký", "Báo cáo", None],
        [None, None, "Đi", "Về", None, None, None, "Ngày", "Ghi chú"],
        ["C4:D4", "H4:I4"]),
    "thoi_gian_di_co_so_over_bat_dau_ket_thuc": (
        ["STT", "Họ và tên", "Thời gian đi cơ sở", None, "Địa bàn", "Công lệnh", None, "Báo cáo", None],
        [None, None, "Bắt đầu", "Kết thúc", None, "Số", "Ngày ký", "Ngày nộp", "Tình trạng"],
        ["C4:D4", "F4:G4", "H4:I4"]),
}


@pytest.mark.parametrize("layout", list(TWO_ROW_HEADERS))
def test_a_two_row_header_is_read_as_one_whatever_the_lower_row_says_alone(tmp_path, layout):
    top, below, merges = TWO_ROW_HEADERS[layout]
    rows = TITLE + [top, below,
                    [1, AN, "05/08/2020", "07/08/2020", "Xã A", "CL-01", "03/08/2020", "10/08/2020", "x"],
                    [2, BINH, "12/08/2020", "12/08/2020", "Xã B", "CL-02", "10/08/2020", None, "x"]]
    book(tmp_path / "BTG.xlsx", {"T8": rows}, merges={"T8": merges})
    data, comp = run(tmp_path)
    note = "" if layout == "thoi_gian_di_co_so_over_bat_dau_ket_thuc" else "x"  # "Tình trạng" is not a note
    assert trips_of(data) == [(6, AN, date(2020, 8, 5), date(2020, 8, 7), date(2020, 8, 10), "CL-01", note),
                              (7, BINH, date(2020, 8, 12), date(2020, 8, 12), None, "CL-02", note)]
    assert days_of(comp) == {AN: 3, BINH: 1}
    assert account(data) == (2, 0, 0, {})
    assert [(i.row, i.code) for i in data.issues] == []


def test_parents_merged_over_a_header_row_that_names_stt_and_the_name_itself(tmp_path):
    # STT and "Họ và tên" typed in the lower row, not merged down: the row above is the parent row
    rows = TITLE + [[None, None, "Ngày", None, "Địa bàn", None],
                    ["STT", "Họ và tên", "Đi", "Về", None, "Ngày nộp báo cáo"],
                    [1, AN, "05/08/2020", "07/08/2020", "Xã A", "10/08/2020"]]
    book(tmp_path / "BTG.xlsx", {"T8": rows}, merges={"T8": ["C4:D4"]})
    data, comp = run(tmp_path)
    assert trips_of(data) == [(6, AN, date(2020, 8, 5), date(2020, 8, 7), date(2020, 8, 10), "", "")]
    assert days_of(comp) == {AN: 3, BINH: 0}
    assert data.issues == []


@pytest.mark.parametrize("numbers", [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)=(4)-(3)+1"], [1, 2, 3, 4, 5, 6]])
def test_a_column_numbering_row_under_a_two_row_header_is_skipped_not_an_error(tmp_path, numbers):
    rows = TITLE + [["STT", "Họ và tên", "Thời gian", None, "Địa bàn", "Số ngày"],
                    [None, None, "Từ ngày", "Đến ngày", None, None], numbers,
                    [1, AN, "05/08/2020", "07/08/2020", "Xã A", 3]]
    book(tmp_path / "BTG.xlsx", {"T8": rows}, merges={"T8": ["C4:D4", "A4:A5", "B4:B5", "E4:E5", "F4:F5"]})
    data, comp = run(tmp_path)
    assert days_of(comp) == {AN: 3, BINH: 0}
    assert account(data) == (2, 0, 1, {"column_numbers": 1})
    assert data.issues == []


# --- names over two columns ------------------------------------------------------------------

SPLIT_NAMES = {
    "ho_va_ten_dem_ten": ([["STT", "Họ và tên đệm", "Tên", "Từ ngày", "Đến ngày", "Địa bàn"]], []),
    "ho_ten": ([["STT", "Họ", "Tên", "Từ ngày", "Đến ngày", "Địa bàn"]], []),
    "ho_va_ten_over_ho_ten": ([["STT", "Họ và tên", None, "Từ ngày", "Đến ngày", "Địa bàn"],
                               [None, "Họ và tên đệm", "Tên", None, None, None]],
                              ["B4:C4", "A4:A5", "D4:D5", "E4:E5", "F4:F5"]),
}


@pytest.mark.parametrize("layout", list(SPLIT_NAMES))
def test_a_name_written_over_two_columns_is_the_two_joined(tmp_path, layout):
    header, merges = SPLIT_NAMES[layout]
    first = 4 + len(header)
    rows = TITLE + header + [[1, "Nguyễn Văn", "An", "05/08/2020", "07/08/2020", "Xã A"],
                             [None, None, None, "20/08/2020", "21/08/2020", "Xã B"],
                             [2, "Trần Thị", "Bình", "12/08/2020", "12/08/2020", "Xã B"],
                             [None, "Tổng cộng", None, None, None, None]]
    # An's name merged down over his two trips
    merges = merges + [f"A{first}:A{first + 1}", f"B{first}:B{first + 1}", f"C{first}:C{first + 1}"]
    book(tmp_path / "BTG.xlsx", {"T8": rows}, merges={"T8": merges})
    data, comp = run(tmp_path)
    assert [(r, n) for r, n, *_ in trips_of(data)] == [(first, AN), (first + 1, AN), (first + 2, BINH)]
    assert days_of(comp) == {AN: 5, BINH: 1}
    assert account(data) == (4, 0, 1, {"total": 1})
    assert data.issues == []


# --- other spellings of the date columns ------------------------------------------------------

@pytest.mark.parametrize("start, end, filed", [
    ("Ngày bắt đầu", "Ngày kết thúc", "Ngày gửi báo cáo"),
    ("Đi ngày", "Về ngày", "Nộp báo cáo ngày"),
    ("Thời gian bắt đầu", "Thời gian kết thúc", "Ngày báo cáo"),
    ("Từ ngày/tháng/năm", "Đến ngày/tháng/năm", "Ngày nộp báo cáo (sau 10 ngày)"),
])
def test_date_columns_as_clerks_spell_them(tmp_path, start, end, filed):
    rows = TITLE + [["STT", "Họ và tên", start, end, "Địa bàn", filed],
                    [1, AN, "05/08/2020", "07/08/2020", "Xã A", "10/08/2020"]]
    book(tmp_path / "BTG.xlsx", {"T8": rows})
    data, comp = run(tmp_path)
    assert trips_of(data) == [(5, AN, date(2020, 8, 5), date(2020, 8, 7), date(2020, 8, 10), "", "")]
    assert days_of(comp) == {AN: 3, BINH: 0}
    assert sorted(a.kind for a in data.files) == ["roster", "trips"]
    assert data.issues == []


def test_ngay_bat_dau_ngay_ket_thuc_in_a_roster_are_the_dates_of_service(tmp_path):
    header = ["STT", "Họ và tên", "Chức vụ", "Ban", "Ngày bắt đầu", "Ngày kết thúc", "Lý do miễn"]
    book(tmp_path / "Danh sach.xlsx", {"DS": [header, [1, AN, "Chuyên viên", "Ban Tuyên giáo", None, "30/06/2020"]]})
    data = read(tmp_path)
    assert [(r["name"], r["service_start"], r["service_end"]) for r in data.roster.to_dict("records")] == [
        (AN, None, date(2020, 6, 30))]
    assert data.issues == []


def test_ngay_bat_dau_ngay_ket_thuc_with_nothing_else_to_tell_a_register_from_a_roster_is_asked_not_guessed(tmp_path):
    book(tmp_path / "a.xlsx", {"S": [["STT", "Họ và tên", "Ngày bắt đầu", "Ngày kết thúc"],
                                     [1, AN, "05/08/2020", "07/08/2020"]]})
    data = read(tmp_path)
    assert (len(data.trips), len(data.roster)) == (0, 0)
    (i,) = data.issues
    assert (i.code, i.severity, i.sheet, i.row) == ("header_ambiguous", "error", "S", 1)
    assert i.message == ('Trang "S" có cột "Ngày bắt đầu", "Ngày kết thúc" nhưng không rõ là sổ đi cơ sở '
                         "(ngày đi, ngày về) hay danh sách cán bộ (ngày bắt đầu, thôi công tác); không đọc trang này.")
    assert i.suggestion == ('Nếu là sổ đi cơ sở, đổi tên cột thành "Từ ngày", "Đến ngày"; nếu là danh sách cán bộ, '
                            'thành "Ngày bắt đầu công tác", "Ngày thôi công tác"; rồi chạy lại.')


# --- rows inside the table that are not trips --------------------------------------------------

HEADER = ["STT", "Họ và tên", "Chức vụ", "Từ ngày", "Đến ngày", "Số ngày", "Địa bàn", "Nội dung", "Ghi chú"]


def row(stt, name, start, end, days):
    return [stt, name, "Chuyên viên", start, end, days, "Xã A", "Khảo sát", None]


def test_month_headings_subtotals_and_notes_inside_the_table_are_skipped_with_a_reason(tmp_path):
    rows = TITLE + [HEADER,
                    ["Tháng 5"],                                               # 5
                    row(1, AN, "05/05/2020", "07/05/2020", 3),
                    [None, "Cộng tháng 5", None, None, None, 3],               # 7
                    ["THÁNG 6/2020"],                                          # 8
                    row(2, BINH, "05/06/2020", "05/06/2020", 1),
                    [None, None, None, "Cộng tháng 6", None, 1],               # 10: typed under the dates
                    ["Quý II"],                                                # 11
                    ["II", "Tháng 7/2020 (không có chuyến đi)"],               # 12
                    ["Ghi chú: số ngày tính cả ngày đi và ngày về"],           # 13: merged across the table
                    [None, "Ghi chú: đồng chí An đi cùng đoàn của Tỉnh đoàn"],  # 14
                    [None, None, None, "Lưu ý: nộp báo cáo trong 10 ngày"],     # 15
                    ["III. QUÝ III"],                                          # 16
                    row(3, AN, "10/08/2020", "11/08/2020", 2),
                    [None, "Tổng cộng", None, None, None, 6]]
    book(tmp_path / "BTG.xlsx", {"Năm 2020": rows}, merges={"Năm 2020": ["A13:I13", "D15:I15"]})
    data, comp = run(tmp_path)
    assert [r for r, *_ in trips_of(data)] == [6, 9, 17]
    assert days_of(comp) == {AN: 5, BINH: 1}
    assert account(data) == (14, 0, 11, {"heading": 5, "total": 3, "note": 3})
    assert [(i.row, i.code) for i in data.issues] == []


def test_a_heading_or_note_row_with_a_name_or_a_date_is_still_a_trip_row(tmp_path):
    # what looks like a heading is data when the row names a cadre or holds a date: its problems are said
    rows = TITLE + [HEADER,
                    ["Tháng 5", AN, "Chuyên viên"],
                    [None, None, None, "Tháng 5", "07/05/2020"]]
    book(tmp_path / "BTG.xlsx", {"T5": rows})
    data, _ = run(tmp_path)
    assert [(i.row, i.code) for i in data.issues] == [(5, "missing_dates"), (6, "missing_name")]
    assert account(data) == (2, 2, 0, {})


# --- the same shapes saved by LibreOffice (.ods) -------------------------------------------------


def spans(merges: list[str]) -> list[tuple[int, int, int, int]]:
    """["C4:D4"] -> [(3, 2, 3, 3)] (0-based rows and columns, as ods_book takes them)."""
    from openpyxl.utils import range_boundaries

    return [(r0 - 1, c0 - 1, r1 - 1, c1 - 1) for c0, r0, c1, r1 in map(range_boundaries, merges)]


def test_merged_cells_of_an_ods_book_read_as_in_xlsx(tmp_path):
    top, below, merges = TWO_ROW_HEADERS["ngay_over_di_ve"]
    header, name_merges = SPLIT_NAMES["ho_va_ten_over_ho_ten"]
    sheets = {"T8": TITLE + [top, below, [1, AN, "05/08/2020", "07/08/2020", "Xã A", "CL-01", "03/08/2020",
                                          "10/08/2020", "x"]],
              "T9": TITLE + header + [[1, "Trần Thị", "Bình", "05/09/2020", "06/09/2020", "Xã A"],
                                      [None, None, None, "20/09/2020", "20/09/2020", "Xã B"],
                                      ["Ghi chú: số ngày tính cả ngày đi và ngày về"]]}
    ods_book(tmp_path / "BTG.ods", sheets, spans={"T8": spans(merges),
                                                  "T9": spans(name_merges + ["A6:A7", "B6:B7", "C6:C7", "A8:F8"])})
    data, comp = run(tmp_path)
    assert [(s, r, n, a, b) for s, r, n, a, b in data.trips[["sheet", "row", "name", "start", "end"]].itertuples(
        index=False)] == [("T8", 6, AN, date(2020, 8, 5), date(2020, 8, 7)),
                          ("T9", 6, BINH, date(2020, 9, 5), date(2020, 9, 6)),
                          ("T9", 7, BINH, date(2020, 9, 20), date(2020, 9, 20))]
    assert days_of(comp) == {AN: 3, BINH: 3}
    assert [(a.sheet, a.rows_read, a.rows_rejected, a.skip_reasons) for a in data.files if a.kind == "trips"] == [
        ("T8", 1, 0, {}), ("T9", 3, 0, {"note": 1})]
    assert data.issues == []
