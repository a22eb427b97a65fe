"""Books laid out as nobody here has seen them (issue 12): legacy fonts across the whole
book, hidden and template sheets, hidden or filtered rows, signature blocks across the
date columns, a Ban's own summary sheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from dicoso.model import Period
from dicoso.read.folder import read_folder
from dicoso.rules.engine import compute
from dicoso.text.legacy import encode_tcvn3, encode_vni

from builders import TRIP_HEADER, book, roster, trip
from engine_builders import ruleset

AN, BINH = "Nguyễn Văn An", "Trần Thị Bình"
YEAR = Period(date(2020, 1, 1), date(2020, 12, 31), "year", "2020")
ROSTER = [[1, AN, "Chuyên viên", "Ban Tuyên giáo", None, None, None, None, None],
          [2, BINH, "Chuyên viên", "Ban Tuyên giáo", None, None, None, None, None]]
LEGACY_CODES = ("legacy_encoding_converted",)


def read(folder: Path):
    return read_folder(folder, workers=1)


def run(folder: Path):
    data = read(folder)
    return data, compute(data, ruleset(registration_quarters=[]), YEAR, date(2021, 1, 5), aliases=data.aliases)


def trips_of(data) -> list[tuple]:
    cols = ["file", "row", "name", "start", "end", "place", "level", "content", "submitted", "days_declared"]
    return [tuple(r) for r in data.trips[cols].itertuples(index=False)]


def issues_of(comp, skip=LEGACY_CODES) -> list[tuple]:
    return sorted((i.file, i.row, i.code, i.message) for i in comp.issues if i.code not in skip)


def encode(value, enc):
    return (encode_tcvn3 if enc == "tcvn3" else encode_vni)(value) if isinstance(value, str) else value


# --- legacy fonts across the whole book ------------------------------------------------------

BOOK_ROWS = [
    ["TỈNH ĐOÀN VĨNH PHÚC"], ["BAN TUYÊN GIÁO"], ["SỔ THEO DÕI ĐI CƠ SỞ THÁNG 8 NĂM 2020"],
    ["STT", "Họ và tên", "Chức vụ", "Thời gian", "Số ngày", "Địa bàn", "Cấp", "Nội dung", "Ngày nộp báo cáo",
     "Ghi chú"],
    [1, AN, "Chuyên viên", "Từ ngày 5/8/2020 đến ngày 7/8/2020", 3, "Xã Hợp Thịnh", "Xã", "Khảo sát đoàn viên",
     "10/08/2020", "Đã duyệt"],
    [2, BINH, "Chuyên viên", "12/8/2020", 1, "Chi đoàn thôn Đồng Tĩnh", "Chi đoàn", "Dự sinh hoạt chi đoàn",
     "chưa nộp", ""],
    [3, AN, "Chuyên viên", "20/08 - 21/08/2020", 2, "Huyện đoàn Tam Dương", "Huyện", "Kiểm tra, giám sát",
     "25/08/2020", "Ghi chú"],
    [None, "Tổng cộng", None, None, 6],
    [],
    [None, None, None, None, None, None, None, "Vĩnh Phúc, ngày 31 tháng 8 năm 2020"],
    [None, "NGƯỜI LẬP BIỂU", None, None, None, None, None, "TRƯỞNG BAN"],
    [None, "(đã ký)", None, None, None, None, None, "(đã ký)"],
    [None, "Đặng Thị Thủy", None, None, None, None, None, "Lê Thị Hường"],
]


def legacy_book(folder: Path, enc: str | None) -> Path:
    rows = [[encode(v, enc) if enc else v for v in row] for row in BOOK_ROWS]
    name = encode("Tháng 8", enc) if enc else "Tháng 8"
    book(folder / "Ban Tuyen giao" / "BTG thang 8.xlsx", {name: rows})
    roster(folder / "Danh sach.xlsx", ROSTER)
    return folder


@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_a_book_typed_entirely_in_a_legacy_font_reads_exactly_as_its_unicode_twin(tmp_path, enc):
    data, comp = run(legacy_book(tmp_path / "legacy", enc))
    twin, twin_comp = run(legacy_book(tmp_path / "unicode", None))
    assert len(data.trips) == 3
    assert trips_of(data) == trips_of(twin)
    assert list(data.trips["department"]) == ["Ban Tuyên giáo"] * 3  # from the title row
    assert comp.cadres[["name", "counted_days", "trips"]].to_dict("records") == \
        twin_comp.cadres[["name", "counted_days", "trips"]].to_dict("records")
    assert issues_of(comp) == issues_of(twin_comp)
    (note,) = [i for i in comp.issues if i.code == "legacy_encoding_converted"]
    assert note.severity == "info" and ("TCVN3" if enc == "tcvn3" else "VNI") in note.message
    assert 'được hiểu là "Tháng 8"' in note.message
    # the footer and the total are not data, whatever font they are typed in
    (acc,) = [a for a in data.files if a.kind == "trips"]
    assert acc.skip_reasons == {"total": 1, "blank": 1, "footer": 4}


def test_a_stray_tcvn3_place_in_a_unicode_book_is_repaired_on_its_own(tmp_path):
    rows = [TRIP_HEADER, trip(AN, "05/08/2020", "05/08/2020", place=encode_tcvn3("Xã Hợp Thịnh"),
                              submitted=encode_tcvn3("chưa nộp"))]
    book(tmp_path / "a.xlsx", {"T8": rows})
    res = read(tmp_path)
    t = res.trips.iloc[0]
    assert (t["place"], t["submitted"]) == ("Xã Hợp Thịnh", None)
    (note,) = res.issues
    assert (note.code, note.severity, note.row) == ("legacy_encoding_converted", "info", 2)
    assert f'Ô "{encode_tcvn3("Xã Hợp Thịnh")}" gõ bằng bảng mã cũ' in note.message
    assert 'đã đọc thành "Xã Hợp Thịnh"; 2 ô như vậy.' in note.message


# --- hidden and template sheets --------------------------------------------------------------


def test_a_hidden_sheet_with_trips_is_not_counted_and_a_warning_says_how_to_unhide_it(tmp_path):
    book(tmp_path / "a.xlsx", {"T8": [TRIP_HEADER, trip(AN, "05/08/2020", "06/08/2020")],
                               "T8 cũ": [TRIP_HEADER, trip(AN, "10/08/2020", "12/08/2020"),
                                         trip(BINH, "10/08/2020", "12/08/2020", stt=2)]},
         hidden=("T8 cũ",))
    res = read(tmp_path)
    assert list(res.trips["start"]) == [date(2020, 8, 5)]
    (w,) = res.issues
    assert (w.code, w.severity, w.sheet) == ("sheet_hidden_skipped", "warning", "T8 cũ")
    assert "đang bị ẩn nên không được tính (2 dòng" in w.message
    assert "Bỏ ẩn" in w.suggestion and '"T8 cũ"' in w.suggestion


def test_a_hidden_list_feeding_a_drop_down_is_passed_over_without_a_word(tmp_path):
    book(tmp_path / "a.xlsx", {"T8": [TRIP_HEADER, trip(AN, "05/08/2020", "06/08/2020")],
                               "DM": [["Chi đoàn"], ["Xã"], ["Huyện"], [AN], [BINH]]}, hidden=("DM",))
    res = read(tmp_path)
    assert res.issues == [] and len(res.trips) == 1


@pytest.mark.parametrize("name, hidden", [("Mẫu", True), ("Mẫu", False), ("Template", False), ("Mau 01", True)])
def test_a_template_sheet_with_stale_rows_is_skipped_with_a_note(tmp_path, name, hidden):
    book(tmp_path / "a.xlsx", {"T8": [TRIP_HEADER, trip(AN, "05/08/2020", "06/08/2020")],
                               name: [TRIP_HEADER, trip("Nguyễn Văn A", "01/01/2019", "03/01/2019")]},
         hidden=(name,) if hidden else ())
    res = read(tmp_path)
    assert len(res.trips) == 1
    (note,) = res.issues
    assert (note.code, note.severity, note.sheet) == ("sheet_template_skipped", "info", name)
    assert "trang mẫu nên không được tính (1 dòng" in note.message


def test_a_hidden_template_sheet_no_longer_adds_days_or_a_phantom_overdue_report(tmp_path):
    book(tmp_path / "BTG.xlsx", {"T8": [TRIP_HEADER, trip(AN, "05/08/2020", "06/08/2020", submitted="10/08/2020")],
                                 "Mẫu": [TRIP_HEADER, trip(AN, "01/09/2020", "03/09/2020")]}, hidden=("Mẫu",))
    roster(tmp_path / "ds.xlsx", ROSTER)
    _, comp = run(tmp_path)
    assert comp.cadres.set_index("name").loc[AN, "counted_days"] == 2
    assert comp.totals["reports_overdue"] == 0


# --- hidden or filtered rows -----------------------------------------------------------------


def test_hidden_and_filtered_out_rows_are_counted_and_listed_by_row(tmp_path):
    path = book(tmp_path / "a.xlsx", {"T8": [TRIP_HEADER] + [trip(AN, f"0{d}/08/2020", f"0{d}/08/2020", stt=d)
                                                            for d in range(1, 7)]})
    wb = openpyxl.load_workbook(path)
    ws = wb["T8"]
    for r in (3, 4, 6):  # two hidden by hand, one filtered out
        ws.row_dimensions[r].hidden = True
    ws.auto_filter.ref = "A1:L7"
    wb.save(path)
    res = read(tmp_path)
    assert len(res.trips) == 6
    (w,) = res.issues
    assert (w.code, w.severity, w.sheet, w.row) == ("hidden_rows_counted", "warning", "T8", 3)
    assert "3 dòng đang bị ẩn hoặc bị bộ lọc che khuất nhưng vẫn được tính: dòng 3–4, 6." in w.message


def test_hidden_rows_of_an_ods_book_are_listed_too(tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="T8")
    rows = [TRIP_HEADER] + [trip(AN, f"0{d}/08/2020", f"0{d}/08/2020", stt=d) for d in range(1, 4)]
    for n, values in enumerate(rows):
        tr = TableRow(visibility="collapse") if n == 2 else TableRow()
        for v in values:
            cell = TableCell(valuetype="string") if v is not None else TableCell()
            if v is not None:
                cell.addElement(P(text=str(v)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(tmp_path / "a.ods"))
    res = read(tmp_path)
    assert len(res.trips) == 3
    assert [(i.code, i.row) for i in res.issues] == [("hidden_rows_counted", 3)]


def test_hidden_rows_of_a_legacy_xls_book_are_listed_too(tmp_path):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Tháng 8")
    rows = [TRIP_HEADER] + [trip(AN, f"0{d}/08/2020", f"0{d}/08/2020", stt=d) for d in range(1, 5)]
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            if v is not None:
                ws.write(r, c, v)
    ws.row(2).hidden = ws.row(3).hidden = True  # Excel rows 3 and 4
    wb.save(str(tmp_path / "a.xls"))
    res = read(tmp_path)
    assert len(res.trips) == 4
    assert [(i.code, i.sheet, i.row) for i in res.issues] == [("hidden_rows_counted", "Tháng 8", 3)]
    assert "dòng 3–4." in res.issues[0].message


# --- signature blocks ------------------------------------------------------------------------


def test_a_signature_block_merged_across_the_date_columns_is_not_a_data_error(tmp_path):
    rows = [TRIP_HEADER, trip(AN, "05/08/2020", "06/08/2020"),
            [None, None, None, "Vĩnh Phúc, ngày 31 tháng 8 năm 2020"],
            [None, None, None, "NGƯỜI LẬP BIỂU", None, None, None, None, "TRƯỞNG BAN"],
            [None, None, None, "(đã ký)", None, None, None, None, "(đã ký)"],
            [None, None, None, "Nguyễn Thị Lập", None, None, None, None, "Phạm Văn Trưởng"]]
    book(tmp_path / "a.xlsx", {"T8": rows}, merges={"T8": ["D3:F3", "D4:F4", "D5:F5", "D6:F6"]})
    res = read(tmp_path)
    assert res.issues == []
    assert len(res.trips) == 1 and res.files[0].skip_reasons == {"footer": 4}


def test_a_signer_written_in_the_name_column_under_the_table_is_not_a_missing_date(tmp_path):
    rows = [TRIP_HEADER, trip(AN, "05/08/2020", "06/08/2020"),
            [None, "Người lập biểu", None, "Thủ trưởng đơn vị"],
            [None, "Nguyễn Thị Lập", None, "Phạm Văn Trưởng"]]
    book(tmp_path / "a.xlsx", {"T8": rows})
    res = read(tmp_path)
    assert res.issues == [] and len(res.trips) == 1


# --- a Ban's summary sheet -------------------------------------------------------------------


def summary_book(folder: Path, an_days) -> Path:
    trips = [trip(AN, "05/08/2020", "07/08/2020"), trip(AN, "06/08/2020", "08/08/2020", stt=2, place="Xã B"),
             trip(BINH, "10/08/2020", "10/08/2020", stt=3)]
    summary = [["TỔNG HỢP SỐ NGÀY ĐI CƠ SỞ QUÝ III"], ["STT", "Họ và tên", "Chức vụ", "Tổng số ngày", "Ghi chú"],
               [1, AN, "Chuyên viên", an_days, ""], [2, BINH, "Chuyên viên", 1, ""], [None, "Tổng cộng", None, 5]]
    book(folder / "Ban Tuyen giao" / "BTG Quy III.xlsx", {"T8": [TRIP_HEADER] + trips, "Tổng hợp": summary})
    roster(folder / "ds.xlsx", ROSTER)
    return folder


def test_a_summary_sheet_is_recognised_not_counted_and_not_an_error(tmp_path):
    data, comp = run(summary_book(tmp_path, 4))
    assert len(data.trips) == 3 and len(data.summaries) == 2
    assert [i.code for i in comp.issues if i.severity != "info"] == []
    assert comp.cadres.set_index("name").loc[AN, "counted_days"] == 4


def test_a_register_whose_date_columns_are_not_recognised_is_an_error_not_a_summary(tmp_path):
    rows = [["STT", "Họ và tên", "Ngày tháng đi", "Số ngày"], [1, AN, "05/08/2020", 1], [2, AN, "09/08/2020", 1]]
    book(tmp_path / "a.xlsx", {"T8": rows})
    res = read(tmp_path)
    assert [(i.code, i.severity) for i in res.issues] == [("missing_columns", "error")]
    assert res.summaries is not None and len(res.summaries) == 0


def test_a_summary_total_that_differs_from_the_trips_is_a_warning_naming_both_figures(tmp_path):
    _, comp = run(summary_book(tmp_path, 6))
    (w,) = [i for i in comp.issues if i.code == "summary_days_differ"]
    assert (w.severity, w.sheet, w.row) == ("warning", "Tổng hợp", 3)
    assert f'Trang tổng hợp "Tổng hợp" ghi {AN} 6 ngày, nhưng chương trình đếm được 4 ngày' in w.message
    assert "sổ Ban Tuyen giao/BTG Quy III.xlsx" in w.message


def monthly_books_and_a_year_summary(folder: Path, an_days) -> Path:
    """Ban Tuyên giáo's July and August books and its own running total kept in a third book."""
    ban = folder / "Ban Tuyen giao"
    book(ban / "BTG T7.xlsx", {"T7": [TRIP_HEADER, trip(AN, "06/07/2020", "08/07/2020")]})
    book(ban / "BTG T8.xlsx", {"T8": [TRIP_HEADER, trip(AN, "05/08/2020", "07/08/2020")]})
    book(ban / "BTG tong hop.xlsx", {"Tổng hợp": [["STT", "Họ và tên", "Chức vụ", "Tổng số ngày"],
                                                  [1, AN, "Chuyên viên", an_days]]})
    roster(folder / "ds.xlsx", ROSTER)
    return folder


def july_run(folder: Path):
    data = read(folder)
    july = Period(date(2020, 7, 1), date(2020, 7, 31), "month", "07/2020")
    return compute(data, ruleset(registration_quarters=[]), july, date(2020, 8, 20), aliases=data.aliases)


def test_a_ban_total_kept_up_to_date_past_a_monthly_run_agrees_with_the_year_s_trips_and_is_not_a_warning(tmp_path):
    comp = july_run(monthly_books_and_a_year_summary(tmp_path, 6))  # July 3 days, August 3 days
    assert comp.cadres.set_index("name").loc[AN, "counted_days"] == 3
    assert [i.code for i in comp.issues if i.code == "summary_days_differ"] == []


def test_a_ban_total_that_agrees_with_neither_the_period_nor_the_year_is_a_warning_in_a_monthly_run(tmp_path):
    comp = july_run(monthly_books_and_a_year_summary(tmp_path, 7))
    (w,) = [i for i in comp.issues if i.code == "summary_days_differ"]
    assert f"ghi {AN} 7 ngày, nhưng chương trình đếm được 3 ngày" in w.message


def by_quarter_or_month(folder: Path, shape: str, an_total) -> Path:
    """A Ban's summary kept per quarter or per month with a total column, beside its August sheet."""
    trips = [trip(AN, "05/08/2020", "07/08/2020"), trip(BINH, "10/08/2020", "10/08/2020", stt=2)]
    merges: dict[str, list[str]] = {}
    if shape == "quarters under a merged parent":  # 'Số ngày đi cơ sở' over Quý I … Quý IV | Cả năm
        summary = [["TỔNG HỢP SỐ NGÀY ĐI CƠ SỞ NĂM 2020"],
                   ["STT", "Họ và tên", "Số ngày đi cơ sở", None, None, None, None],
                   [None, None, "Quý I", "Quý II", "Quý III", "Quý IV", "Cả năm"],
                   [1, AN, 0, 0, an_total, 0, an_total], [2, BINH, 0, 0, 1, 0, 1]]
        merges = {"Tổng hợp": ["A2:A3", "B2:B3", "C2:G2"]}
    else:  # one header row: Tháng 7 | Tháng 8 | Tháng 9 | Cộng
        summary = [["STT", "Họ và tên", "Tháng 7", "Tháng 8", "Tháng 9", "Cộng"],
                   [1, AN, 0, an_total, 0, an_total], [2, BINH, 0, 1, 0, 1], [None, "Tổng cộng", 0, 4, 0, 4]]
    book(folder / "Ban Tuyen giao" / "BTG 2020.xlsx", {"T8": [TRIP_HEADER] + trips, "Tổng hợp": summary},
         merges=merges)
    roster(folder / "ds.xlsx", ROSTER)
    return folder


SHAPES = ["quarters under a merged parent", "months in one header row"]


@pytest.mark.parametrize("shape", SHAPES)
def test_a_summary_by_quarter_or_month_with_a_total_column_is_recognised_and_not_counted(tmp_path, shape):
    data, comp = run(by_quarter_or_month(tmp_path, shape, 3))
    assert sorted(zip(data.summaries["name"], data.summaries["days"])) == [(AN, 3.0), (BINH, 1.0)]
    assert [i.code for i in comp.issues if i.severity != "info"] == []
    assert comp.cadres.set_index("name")["counted_days"].to_dict() == {AN: 3, BINH: 1}


@pytest.mark.parametrize(("shape", "column"), zip(SHAPES, ["G (số ngày đi cơ sở / cả năm)", "F (cộng)"]))
def test_a_total_column_that_differs_from_the_trips_is_a_warning_naming_the_column_and_both_figures(
        tmp_path, shape, column):
    _, comp = run(by_quarter_or_month(tmp_path, shape, 5))
    (w,) = [i for i in comp.issues if i.code == "summary_days_differ"]
    assert (w.severity, w.sheet, w.column) == ("warning", "Tổng hợp", column)
    assert f"ghi {AN} 5 ngày, nhưng chương trình đếm được 3 ngày" in w.message


def test_a_summary_by_quarter_without_a_total_column_is_named_as_not_read_never_counted(tmp_path):
    summary = [["STT", "Họ và tên", "Quý I", "Quý II", "Quý III", "Quý IV"], [1, AN, 0, 0, 3, 0], [2, BINH, 0, 0, 1, 0]]
    trips = [TRIP_HEADER, trip(AN, "05/08/2020", "07/08/2020"), trip(BINH, "10/08/2020", "10/08/2020", stt=2)]
    book(tmp_path / "BTG.xlsx", {"T8": trips, "Tổng hợp": summary})
    roster(tmp_path / "ds.xlsx", ROSTER)
    _, comp = run(tmp_path)
    (w,) = [i for i in comp.issues if i.severity != "info"]
    assert (w.code, w.severity, w.sheet) == ("sheet_unrecognised", "warning", "Tổng hợp")
    assert 'thêm cột "Tổng số ngày"' in w.suggestion
    assert comp.cadres.set_index("name")["counted_days"].to_dict() == {AN: 3, BINH: 1}


# --- messages that fit the book --------------------------------------------------------------

NO_LEVEL_HEADER = ["STT", "Họ và tên", "Từ ngày", "Đến ngày", "Địa bàn", "Nội dung"]


def level_warning(folder: Path, header: list, row: list, source: str):
    from engine_builders import LEVELS

    book(folder / "a.xlsx", {"T8": [header, row]})
    roster(folder / "ds.xlsx", ROSTER)
    data = read(folder)
    comp = compute(data, ruleset(levels={**LEVELS, "source": source}), YEAR, date(2021, 1, 5))
    (w,) = [i for i in comp.issues if i.code == "level_unknown"]
    return w


def test_level_unknown_in_a_book_without_a_cap_column_says_add_it_or_write_the_level_in_the_place(tmp_path):
    w = level_warning(tmp_path, NO_LEVEL_HEADER, [1, AN, "05/08/2020", "05/08/2020", "Thôn 3", "Khảo sát"],
                      "column_then_place")
    assert 'sổ không có cột "Cấp"; Địa bàn: "Thôn 3"' in w.message and w.column == "Địa bàn"
    assert w.suggestion == ('Ghi địa bàn bắt đầu bằng tên cấp (ví dụ "Chi đoàn …", "Đoàn xã …", "Huyện đoàn …"), '
                            'hoặc thêm cột "Cấp" vào dòng tiêu đề của trang này và ghi cấp của từng chuyến '
                            "(một trong: Chi đoàn, Xã, Huyện).")


def test_level_unknown_when_the_rule_set_reads_only_the_column_says_add_the_column(tmp_path):
    w = level_warning(tmp_path, NO_LEVEL_HEADER, [1, AN, "05/08/2020", "05/08/2020", "Đoàn xã A", "Khảo sát"],
                      "column")
    assert w.suggestion.startswith('Thêm cột "Cấp" vào dòng tiêu đề') and "chỉ đọc cấp từ cột này" in w.suggestion


def test_level_unknown_when_the_rule_set_reads_only_the_place_never_mentions_the_column(tmp_path):
    w = level_warning(tmp_path, TRIP_HEADER, trip(AN, "05/08/2020", "05/08/2020", place="Thôn 3", level="Xã"),
                      "place")
    assert "Cấp" not in w.suggestion and w.suggestion.startswith("Ghi địa bàn bắt đầu bằng tên cấp")


def test_level_unknown_in_a_book_with_a_cap_column_says_fill_it(tmp_path):
    w = level_warning(tmp_path, TRIP_HEADER, trip(AN, "05/08/2020", "05/08/2020", place="Thôn 3", level=""),
                      "column_then_place")
    assert w.column == "Cấp" and w.suggestion.startswith('Ghi cột "Cấp" là một trong: Chi đoàn, Xã, Huyện')


def test_a_broken_xls_gives_no_hidden_rows_and_never_an_error(tmp_path):
    import xlwt

    from dicoso.read.xls_rows import xls_hidden_rows

    wb = xlwt.Workbook()
    ws = wb.add_sheet("S")
    for r in range(700):
        ws.write(r, 0, r)
    ws.row(9).hidden = True
    wb.save(str(tmp_path / "a.xls"))
    data = (tmp_path / "a.xls").read_bytes()
    assert xls_hidden_rows(data) == {"S": {9}}
    for broken in (data[:600], data[:8] + b"\xff" * 600, data[:512] + data[512:][::-1]):
        assert xls_hidden_rows(broken) == {}


def test_a_stray_tcvn3_ban_in_a_unicode_roster_is_read_with_a_note(tmp_path):
    roster(tmp_path / "ds.xlsx", [[1, AN, "Chuyên viên", encode_tcvn3("Ban Tuyên giáo"), encode_tcvn3("01/03/2020"),
                                   None, None, None, None]])
    res = read(tmp_path)
    r = res.roster.iloc[0]
    assert (r["department"], r["service_start"]) == ("Ban Tuyên giáo", date(2020, 3, 1))
    assert [(i.code, i.row) for i in res.issues] == [("legacy_encoding_converted", 4)]
    assert 'đã đọc thành "Ban Tuyên giáo"' in res.issues[0].message
