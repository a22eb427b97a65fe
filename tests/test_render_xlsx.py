from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from dicoso import model
from dicoso.render import xlsx, xlsx_heights, xlsx_print
from dicoso.render.ooxml import normalise_zip
from dicoso.render.workbook import write_problems, write_workbook

from conftest import AS_OF, HERE, ROOT

FIXTURES = HERE / "fixtures"
HOSTILE = '=HYPERLINK("http://example.com","bấm vào đây")'


def summary() -> dict:
    return json.loads((FIXTURES / "summary_year.json").read_text(encoding="utf-8"))


def trips() -> pd.DataFrame:
    base = {c: "" for c in model.TRIP_COLUMNS}
    rows = [
        {**base, "file": "Van phong/T5-2020.xlsx", "sheet": "Tháng 5", "row": 9, "name": "Trần Thị Thu Hà",
         "name_key": "tran thi thu ha", "position": "Phó Chánh Văn phòng", "department": "Văn phòng",
         "start": date(2020, 5, 11), "end": date(2020, 5, 13), "days_declared": 3.0, "place": "Huyện Tam Đảo",
         "level": "huyện", "content": "Dự sinh hoạt chi đoàn", "order_no": "15/CL", "submitted": date(2020, 5, 28),
         "note": HOSTILE, "status": "late", "due": date(2020, 5, 23), "days_late": 5, "counted_days": 3},
        {**base, "file": "Van phong/T5-2020.xlsx", "sheet": "Tháng 5", "row": 10, "name": "@Nguyễn Văn Hùng",
         "name_key": "nguyen van hung", "department": "Văn phòng", "start": date(2020, 5, 18),
         "end": date(2020, 5, 19), "days_declared": float("nan"), "place": "+84 912 345 678",
         "content": "-Khảo sát\tthực tế", "submitted": None, "note": "\rghi chú", "status": "overdue",
         "due": date(2020, 5, 29), "days_late": None, "counted_days": 2},
        {**base, "file": "Ban Tuyen giao/2020-Q3.xlsx", "sheet": "Tháng 8", "row": 12, "name": "Hoàng Thị Lan Anh",
         "department": "Ban Tuyên giáo", "start": pd.Timestamp("2020-08-03"), "end": pd.Timestamp("2020-08-07"),
         "days_declared": 5.0, "submitted": pd.NaT, "status": "pending", "due": date(2020, 8, 17),
         "days_late": 0, "counted_days": 5},
    ]
    return pd.DataFrame(rows, columns=model.TRIP_COLUMNS + ["status", "due", "days_late", "counted_days"])


CHANGES = [{"kind": "Số ngày", "item": "Trần Thị Thu Hà", "before": 55, "after": 58},
           {"kind": "Cán bộ mới", "item": "=1+1", "before": "", "after": "Lê Minh Tuấn"}]


@pytest.fixture(scope="module")
def book_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "tong_hop.xlsx"
    write_workbook(summary(), trips(), path, as_of=AS_OF, changes=CHANGES)
    return path


@pytest.fixture(scope="module")
def wb(book_path):
    return load_workbook(book_path)


def test_sheets(wb):
    assert wb.sheetnames == ["Cán bộ", "Chuyến đi", "Báo cáo muộn", "Đăng ký theo quý", "Lỗi dữ liệu", "Thay đổi"]


def test_no_changes_sheet_by_default(tmp_path):
    path = tmp_path / "a.xlsx"
    write_workbook(summary(), trips(), path, as_of=AS_OF)
    assert "Thay đổi" not in load_workbook(path).sheetnames


def test_header_style_freeze_filter_widths(wb):
    for ws in wb.worksheets:
        header = ws[1]
        assert all(c.font.b for c in header if c.value), ws.title
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws.column_dimensions["A"].width >= 6, ws.title
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1", ws.title


def test_cadre_sheet(wb):
    ws = wb["Cán bộ"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["STT", "Họ và tên", "Ban", "Chức vụ", "Chỉ tiêu (ngày)", "Số ngày tính"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 12
    assert rows[1][:6] == [2, "Trần Thị Thu Hà", "Văn phòng", "Phó Chánh Văn phòng", 60, 58]
    assert rows[1][header.index("Kết quả")] == "Chưa đạt"
    thuy = next(r for r in rows if r[1] == "Nguyễn Thị Thủy")
    assert thuy[header.index("Miễn giảm")] == "01/06/2020 - 30/11/2020: Nghỉ thai sản"
    assert ws.auto_filter.ref == "A1:O13"


def test_trips_sheet_dates_and_provenance(wb):
    ws = wb["Chuyến đi"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Tệp", "Trang tính", "Dòng"]
    first = {h: c for h, c in zip(header, ws[2])}
    assert first["Tệp"].value == "Van phong/T5-2020.xlsx" and first["Dòng"].value == 9
    assert first["Từ ngày"].value == datetime(2020, 5, 11)
    assert first["Từ ngày"].number_format == "dd/mm/yyyy"
    assert first["Ngày nộp báo cáo"].number_format == "dd/mm/yyyy"
    assert first["Tình trạng báo cáo"].value == "Nộp muộn"
    second = {h: c.value for h, c in zip(header, ws[3])}
    assert second["Số ngày khai"] is None and second["Ngày nộp báo cáo"] is None
    third = {h: c for h, c in zip(header, ws[4])}
    assert third["Từ ngày"].value == datetime(2020, 8, 3) and third["Ngày nộp báo cáo"].value is None
    assert third["Tình trạng báo cáo"].value == "Chưa đến hạn"


def test_no_formula_cells_from_input_text(book_path, wb):
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                values.append(cell.value)
    for text in (HOSTILE, "@Nguyễn Văn Hùng", "+84 912 345 678", "-Khảo sát\tthực tế", "\rghi chú", "=1+1"):
        assert text in values, text
    with zipfile.ZipFile(book_path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name), name


def test_reports_registration_and_issues(wb):
    reports = [[c.value for c in r] for r in wb["Báo cáo muộn"].iter_rows(min_row=2)]
    assert [r[0] for r in reports] == ["Nộp muộn"] * 3 + ["Quá hạn, chưa nộp"] * 2 + ["Chưa đến hạn"]
    assert reports[0][1:8] == ["Trần Thị Thu Hà", "Văn phòng", datetime(2020, 5, 11), datetime(2020, 5, 13),
                               datetime(2020, 5, 23), datetime(2020, 5, 28), 5]
    reg = wb["Đăng ký theo quý"]
    assert [c.value for c in reg[4]] == ["Quý IV/2020", 12, 11, pytest.approx(11 / 12), "Hoàng Thị Lan Anh"]
    assert reg["D4"].number_format == "0.0%"
    issues = [[c.value for c in r] for r in wb["Lỗi dữ liệu"].iter_rows(min_row=2)]
    keys = [(r[0], r[2]) for r in issues]
    assert keys == sorted(keys)
    assert issues[0][4] == "Cảnh báo" and issues[0][7] == "Sửa thành “Ngô Xuân Trường” hoặc thêm vào bảng tên gọi khác."
    assert any(r[6].startswith("Ô ghi chú bắt đầu bằng dấu") for r in issues)


def test_properties_fixed(wb):
    assert wb.properties.created == datetime(2021, 1, 5)
    assert wb.properties.modified == datetime(2021, 1, 5)


def test_deterministic(tmp_path, book_path):
    again = tmp_path / "again.xlsx"
    write_workbook(summary(), trips(), again, as_of=AS_OF, changes=CHANGES)
    assert again.read_bytes() == book_path.read_bytes()
    with zipfile.ZipFile(again) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])


def test_empty_trips(tmp_path):
    path = tmp_path / "empty.xlsx"
    write_workbook(summary(), pd.DataFrame(columns=model.TRIP_COLUMNS), path, as_of=AS_OF)
    ws = load_workbook(path)["Chuyến đi"]
    assert ws.max_row == 1 and ws.freeze_panes == "A2"


def test_normalise_zip_keeps_content(tmp_path):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("b.txt", "bê")
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("a.txt", "a")
    normalise_zip(path)
    with zipfile.ZipFile(path) as z:
        assert z.namelist() == ["[Content_Types].xml", "a.txt", "b.txt"]
        assert z.read("b.txt").decode() == "bê"


def test_problems_workbook(tmp_path):
    path = tmp_path / "loi.xlsx"
    write_problems(summary(), path, as_of=AS_OF)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Lỗi dữ liệu"]
    ws = wb["Lỗi dữ liệu"]
    assert ws.max_row == 6 and ws.freeze_panes == "A2"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    again = tmp_path / "again.xlsx"
    write_problems(summary(), again, as_of=AS_OF)
    assert again.read_bytes() == path.read_bytes()


ODD_VALUES = [True, False, 1, 1.0, 0, 2.5, np.int64(7), np.float64(0.1), 1e-7, 12345678901234.5, float("nan"),
              float("inf"), pd.NA, pd.NaT, None, "", " lề trái", "lề phải ", 'a & b < c > d "q" \'x\'',
              "dòng 1\ndòng 2", "\rghi chú", "điều\x01khiển", "=1+1", "-5", ["a", "b"],
              pd.Timestamp("2020-08-03 10:30"), date(1900, 1, 15), date(1900, 3, 1), datetime(2020, 5, 11, 8, 0)]
# "Trước" mixes every type (a list: no cache), "Sau" the same without the list (1, 1.0, True apart).
ODD_CHANGES = [{"kind": "Giá trị", "item": f"#{i}", "before": v, "after": "a; b" if isinstance(v, list) else v}
               for i, v in enumerate(ODD_VALUES)]


def _openpyxl_reference(sheets: list[tuple], path: Path) -> None:
    """The same sheets written cell by cell with openpyxl, as render_xlsx did before it wrote XML itself."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    side = Side(style="thin", color="808080")
    border = Border(left=side, right=side, top=side, bottom=side)
    wb = Workbook()
    wb.remove(wb.active)
    for title, headers, columns, number_styles, keep_left, group in sheets:
        ws = wb.create_sheet(title)
        for col, (text, width) in enumerate(headers, start=1):
            cell = ws.cell(1, col, text)
            cell.font, cell.fill, cell.border = Font(name="Times New Roman", size=12, bold=True), \
                PatternFill("solid", fgColor="D9D9D9"), border
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            ws.column_dimensions[get_column_letter(col)].width = width
        for col, values in enumerate(columns, start=1):
            for row, value in enumerate(values, start=2):
                value = xlsx.cell_value(value)
                if value == "":  # an empty text is a blank cell, not an empty inline string
                    value = None
                cell = ws.cell(row, col, value)
                if isinstance(value, str) and value.startswith(xlsx.FORMULA_PREFIXES):
                    cell.data_type = "s"
                cell.font, cell.border = Font(name="Times New Roman", size=12), border
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(value, date):
                    cell.number_format = "dd/mm/yyyy"
                elif isinstance(value, (int, float)) and not isinstance(value, bool) and number_styles:
                    cell.number_format = {xlsx.PERCENT: "0.0%"}.get(number_styles.get(col), "General")
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(columns[0]) + 1}"
        ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
        printing = xlsx_print.printing([w for _, w in headers], keep_left,
                                       columns[group] if group is not None and columns[0] else None)
        if printing.fit:
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
        else:
            ws.page_setup.scale = xlsx_print.MIN_SCALE
        if printing.repeat_columns:
            ws.print_title_cols = printing.repeat_columns.replace("$", "")
        for row in printing.breaks:
            ws.row_breaks.append(Break(id=row))
        ws.print_title_rows = "1:1"
    wb.save(path)


def _cells(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path)
    return {ws.title: [tuple((c.value, c.data_type, c.number_format, c.font.name, c.font.sz, c.font.b,
                              c.fill.fill_type, c.fill.fgColor.rgb, c.border.left.style, c.border.left.color.rgb
                              if c.border.left.color else None, c.alignment.horizontal, c.alignment.vertical,
                              c.alignment.wrap_text) for c in row) for row in ws.iter_rows()] for ws in wb.worksheets}


def _layout(path: Path) -> dict[str, tuple]:
    return {ws.title: (ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows, ws.print_title_cols,
                       ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth,
                       ws.page_setup.fitToHeight, ws.page_setup.scale, ws.sheet_properties.pageSetUpPr.fitToPage,
                       [b.id for b in ws.row_breaks.brk],
                       {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth})
            for ws in load_workbook(path).worksheets}


def test_cells_read_back_exactly_as_openpyxl_writes_them(tmp_path, monkeypatch):
    """The sheets are written as XML directly; Excel must see what openpyxl would have written."""
    sheets, real = [], xlsx.Book.sheet

    def spy(book, title, headers, columns, number_styles=None, keep_left=0, group=None):
        sheets.append((title, headers, [list(c) for c in columns], number_styles, keep_left, group))
        real(book, title, headers, columns, number_styles, keep_left=keep_left, group=group)

    monkeypatch.setattr(xlsx.Book, "sheet", spy)
    many = pd.concat([trips()] * 100, ignore_index=True)  # 300 trips, hostile texts included
    write_workbook(summary(), many, tmp_path / "book.xlsx", as_of=AS_OF, changes=CHANGES + ODD_CHANGES)
    _openpyxl_reference(sheets, tmp_path / "reference.xlsx")
    assert [s[0] for s in sheets] == load_workbook(tmp_path / "book.xlsx").sheetnames
    assert _cells(tmp_path / "book.xlsx") == _cells(tmp_path / "reference.xlsx")
    assert _layout(tmp_path / "book.xlsx") == _layout(tmp_path / "reference.xlsx")
    with zipfile.ZipFile(tmp_path / "book.xlsx") as z:
        trips_xml = z.read("xl/worksheets/sheet2.xml")
    assert trips_xml.count(b"<row ") == 301 and b"<f>" not in trips_xml
    assert load_workbook(tmp_path / "book.xlsx")["Chuyến đi"].auto_filter.ref == "A1:S301"


def test_writing_workbooks_does_not_import_openpyxl(tmp_path):
    """openpyxl takes ~0.1 s to import; the writer needs none of it (the tests read with it)."""
    code = ("import sys, datetime, pandas as pd; from dicoso.render import workbook as render_xlsx; "
            f"render_xlsx.write_problems({{}}, {str(tmp_path / 'x.xlsx')!r}, as_of=datetime.date(2021, 1, 5)); "
            "assert 'openpyxl' not in sys.modules, 'openpyxl imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    assert load_workbook(tmp_path / "x.xlsx").sheetnames == ["Lỗi dữ liệu"]


# --- row heights ---------------------------------------------------------------------
LINE_PT = 15.75  # a line of Times New Roman 12 in Excel
# Texts whose lines in the "Mục" column (width 30: 210 px at 96 dpi) follow from Times New
# Roman's widths, however a program wraps them: 12 "Đ" (139 px) leave no room for a second
# word on a line; "ĐOÀN" (46 px) fits 4 times on a line, "đoàn" (31 px) 6 times.
WIDE_WORD = "Đ" * 12


def _heights(path: Path, sheet: str) -> list[tuple[float, bool]]:
    ws = load_workbook(path)[sheet]
    return [(ws.row_dimensions[r].height, ws.row_dimensions[r].customHeight) for r in range(1, ws.max_row + 1)]


def _changes_book(tmp_path: Path, items: list[str]) -> list[float]:
    """Heights of the "Thay đổi" sheet's body rows, one row for each `items` text in "Mục"."""
    path = tmp_path / "rows.xlsx"
    write_workbook(summary(), trips(), path, as_of=AS_OF,
                   changes=[{"kind": "Số ngày", "item": item, "before": 55, "after": 58} for item in items])
    heights = _heights(path, "Thay đổi")
    assert all(custom for _, custom in heights)  # else LibreOffice shows one line whatever the height
    return [h for h, _ in heights[1:]]


@pytest.fixture(params=["measured", "counted"])
def estimate(request, monkeypatch):
    """Both ways of estimating: word by word, and counting characters (a column of more
    distinct texts than MEASURED_MAX, as a national roll-up's problem messages)."""

    if request.param == "counted":
        monkeypatch.setattr(xlsx_heights, "MEASURED_MAX", 0)
    return request.param


def test_rows_are_as_tall_as_their_wrapped_text(tmp_path, estimate):
    long = ("Chuyến đi của \"Trần Thị Thu Hà\" từ 11/05/2020 đến 13/05/2020 đã có ở tệp Van phong/T5-2020.xlsx, "
            "sheet \"Tháng 5\", dòng 9; chỉ tính một lần.")
    one, wrapped, capitals, small = _changes_book(
        tmp_path, ["Lê Minh Tuấn", long, " ".join(["ĐOÀN"] * 20), " ".join(["đoàn"] * 30)])
    assert LINE_PT <= one < 2 * LINE_PT
    assert wrapped >= 5 * LINE_PT  # 932 px of text
    assert capitals >= 5 * LINE_PT and small >= 5 * LINE_PT
    assert max(one, wrapped, capitals, small) < 9 * LINE_PT  # and not absurdly tall


def test_long_words_take_a_line_each(tmp_path):
    heights = _changes_book(tmp_path, [" ".join([WIDE_WORD] * n) for n in (1, 2, 3, 5)])
    for n, height in zip((1, 2, 3, 5), heights):
        assert n * LINE_PT <= height < (n + 1) * LINE_PT, n


def test_line_breaks_count_and_heights_stop_at_excels_maximum(tmp_path, estimate):
    two, seven, huge = _changes_book(tmp_path, ["dòng 1\ndòng 2", "\n".join("abcdefg"), "Lê Minh Tuấn, " * 2000])
    assert two >= 2 * LINE_PT and seven >= 7 * LINE_PT
    assert 25 * LINE_PT <= huge <= 409.5  # Excel's tallest row


def test_header_row_fits_its_longest_label(book_path):
    (cadres, _), *_ = _heights(book_path, "Cán bộ")  # "Còn thiếu (ngày)" at width 10: 3 lines
    (changes, _), *_ = _heights(book_path, "Thay đổi")  # "Loại", "Mục", "Trước", "Sau"
    assert LINE_PT <= changes < 2 * LINE_PT
    assert cadres >= 3 * LINE_PT


def test_every_row_has_a_height(book_path, tmp_path):
    write_problems(summary(), tmp_path / "loi.xlsx", as_of=AS_OF)
    sheets = [(book_path, ws.title) for ws in load_workbook(book_path).worksheets]
    for path, title in sheets + [(tmp_path / "loi.xlsx", "Lỗi dữ liệu")]:
        heights = _heights(path, title)
        assert all(custom and LINE_PT <= h <= 409.5 for h, custom in heights), title
    messages = _heights(tmp_path / "loi.xlsx", "Lỗi dữ liệu")
    assert max(messages)[0] >= 2 * LINE_PT  # the fixture's long messages wrap in the 60-wide column


# --- "Kết quả" of a progress run ------------------------------------------------------
def progress_summary() -> dict:
    s = summary()
    s["period"] = {"start": "2020-07-01", "end": "2020-09-30", "kind": "quarter", "label": "2020-Q3"}
    ha = next(c for c in s["cadres"] if c["name"] == "Trần Thị Thu Hà")
    s["progress"]["at_risk"] = [{"name": ha["name"], "department": ha["department"]}]
    thuy = next(c for c in s["cadres"] if c["name"] == "Nguyễn Thị Thủy")
    thuy["exempt"] = True  # fully exempt: a quota of 0, met
    return s


def _results(path: Path) -> dict[str, str]:
    ws = load_workbook(path)["Cán bộ"]
    header = [c.value for c in ws[1]]
    return {r[1]: r[header.index("Kết quả")] for r in ws.iter_rows(min_row=2, values_only=True)}


def test_progress_run_results_as_in_the_word_report(tmp_path):
    from dicoso.render.report import department_rows

    s = progress_summary()
    write_workbook(s, trips(), tmp_path / "q3.xlsx", as_of=date(2020, 10, 5))
    results = _results(tmp_path / "q3.xlsx")
    assert results["Trần Thị Thu Hà"] == "Chậm tiến độ"
    assert results["Hoàng Thị Lan Anh"] == "Đúng tiến độ"  # not met, not at risk
    assert results["Nguyễn Văn Hùng"] == "Đạt"
    assert results["Nguyễn Thị Thủy"] == "Miễn"
    assert "Chưa đạt" not in results.values()
    appendix = {row["name"]: row["result"] for d in department_rows(s) for row in d["rows"]}
    assert results == appendix


def test_year_results_as_in_the_word_report(tmp_path):
    from dicoso.render.report import department_rows

    s = progress_summary()
    s["period"] = {"start": "2020-03-01", "end": "2020-12-31", "kind": "year", "label": "2020"}
    write_workbook(s, trips(), tmp_path / "year.xlsx", as_of=date(2021, 1, 5))
    results = _results(tmp_path / "year.xlsx")
    assert results["Trần Thị Thu Hà"] == "Chưa đạt" and results["Hoàng Thị Lan Anh"] == "Chưa đạt"
    assert results["Nguyễn Thị Thủy"] == "Miễn"  # fully exempt: "Miễn", as Phụ lục I says, not "Đạt"
    assert results == {row["name"]: row["result"] for d in department_rows(s) for row in d["rows"]}
