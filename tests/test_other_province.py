"""A drop folder from another province, in layouts and fonts this project never had in its
samples, gives exactly the right figures (issue 12, "Done when").

Bà Rịa – Vũng Tàu, 2021, its rule set (levels chi đoàn 30 / xã 20 / huyện 10):
- Ban Tuyên giáo keeps one book for the year, typed in TCVN3 (.VnTime) throughout (title,
  two-row merged header, a single "Thời gian" column, Cấp, places, a "Cộng" row, a
  signature block merged across the date columns, sheet names): a visible register, a
  hidden "Mẫu" sheet with stale rows, a "Tổng hợp" sheet whose total for one cadre adds
  two trips of one day twice, and a row hidden by a filter.
- Ban Phong trào keeps a quarterly book typed in VNI, without a "Cấp" column.
- The roster is in Unicode.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl

from dicoso.model import Period
from dicoso.read.folder import read_folder
from dicoso.rules.engine import compute
from dicoso.rules.ruleset import load_ruleset
from dicoso.text.legacy import encode_tcvn3, encode_vni

from builders import roster
from conftest import RULES, cli

YEAR = Period(date(2021, 1, 1), date(2021, 12, 31), "year", "2021")
AS_OF = date(2022, 1, 10)
HUONG, ANH, DUC, THUY = "Lê Thị Hường", "Nguyễn Văn Ánh", "Phạm Minh Đức", "Đỗ Thị Thủy"


def write(path: Path, sheets: dict[str, list[list]], enc, merges=None, hidden=(), hidden_rows=None) -> None:
    """An .xlsx with every text (and sheet name) in the font `enc`."""
    code = {"tcvn3": encode_tcvn3, "vni": encode_vni}[enc]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(code(name))
        for row in rows:
            ws.append([code(v) if isinstance(v, str) else v for v in row])
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        for r in (hidden_rows or {}).get(name, []):
            ws.row_dimensions[r].hidden = True
        if name in hidden:
            ws.sheet_state = "hidden"
        if name in (hidden_rows or {}):
            ws.auto_filter.ref = f"A6:I{len(rows)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def btg_book(path: Path) -> None:
    title = [["TỈNH ĐOÀN BÀ RỊA - VŨNG TÀU"], ["BAN TUYÊN GIÁO"], ["SỔ THEO DÕI CÁN BỘ ĐI CƠ SỞ NĂM 2021"], []]
    header = [["STT", "Họ và tên", "Chức vụ", "Thời gian", "Số ngày", "Địa bàn", None, "Nội dung", "Ngày nộp báo cáo"],
              [None, None, None, None, None, "Đơn vị đến", "Cấp", None, None]]
    rows = [  # Excel rows 7..11
        [1, HUONG, "Trưởng ban", "Từ ngày 05/01/2021 đến ngày 07/01/2021", 3, "Chi đoàn khu phố 2", "Chi đoàn",
         "Dự sinh hoạt chi đoàn", "10/01/2021"],
        [2, HUONG, "Trưởng ban", "12/3/2021", 1, "Đoàn xã Long Sơn", "Xã", "Khảo sát tình hình đoàn viên",
         "15/03/2021"],
        [3, HUONG, "Trưởng ban", "12/3/2021", 1, "Huyện đoàn Long Điền", "Huyện", "Kiểm tra, giám sát",
         "16/03/2021"],
        [4, ANH, "Chuyên viên", "20/04 - 23/04/2021", 4, "Đoàn phường 7", "Phường", "Thăm nắm tình hình",
         "chưa nộp"],
        [5, ANH, "Chuyên viên", "02/06/2021 - 04/06/2021", 3, "Chi đoàn ấp Bắc", "Chi đoàn",
         "Dự sinh hoạt chi đoàn", "10/06/2021"],
    ]
    footer = [[None, "Cộng", None, None, 12], [],
              [None, None, None, "Bà Rịa, ngày 31 tháng 12 năm 2021"],
              [None, None, None, "NGƯỜI LẬP BIỂU", None, None, None, "TRƯỞNG BAN"],
              [None, None, None, "(đã ký)", None, None, None, "(đã ký)"],
              [None, None, None, "Trần Văn Lập", None, None, None, HUONG]]
    stale = [["STT", "Họ và tên", "Chức vụ", "Thời gian", "Số ngày", "Địa bàn", "Cấp", "Nội dung", "Ngày nộp báo cáo"],
             [1, HUONG, "Trưởng ban", "01/07/2021 - 03/07/2021", 3, "Chi đoàn mẫu", "Chi đoàn", "Ví dụ", None]]
    summary = [["TỔNG HỢP SỐ NGÀY ĐI CƠ SỞ NĂM 2021"], [],
               ["STT", "Họ và tên", "Chức vụ", "Tổng số ngày", "Ghi chú"],
               [1, HUONG, "Trưởng ban", 5, None], [2, ANH, "Chuyên viên", 7, None], [None, "Tổng cộng", None, 12]]
    merges = ["A1:I1", "A2:I2", "A3:I3", "A5:A6", "B5:B6", "C5:C6", "D5:D6", "E5:E6", "F5:G5", "H5:H6", "I5:I6",
              "D14:E14", "D15:E15", "D16:E16", "D17:E17", "H15:I15", "H16:I16", "H17:I17"]
    write(path, {"Theo dõi 2021": title + header + rows + footer, "Mẫu": stale, "Tổng hợp": summary}, "tcvn3",
          merges={"Theo dõi 2021": merges}, hidden=("Mẫu",), hidden_rows={"Theo dõi 2021": [11]})


def bpt_book(path: Path) -> None:
    rows = [["TỈNH ĐOÀN BÀ RỊA - VŨNG TÀU"], ["BAN PHONG TRÀO"], [],
            ["TT", "Họ và tên", "Từ ngày", "Đến ngày", "Địa bàn", "Nội dung", "Ngày nộp BC"],
            [1, DUC, "02/08/2021", "04/08/2021", "Huyện đoàn Xuyên Mộc", "Khảo sát", "10/08/2021"],
            [2, DUC, "15/08/2021", "15/08/2021", "Thôn 3, xã Bàu Lâm", "Dự sinh hoạt", "20/08/2021"],
            [3, THUY, "10/09/2021", "12/09/2021", "Chi đoàn ấp 4", "Dự sinh hoạt chi đoàn", "25/09/2021"]]
    write(path, {"Quý III": rows}, "vni")


def province_folder(folder: Path) -> Path:
    btg_book(folder / "Ban Tuyen giao" / "BTG nam 2021.xlsx")
    bpt_book(folder / "Ban Phong trao" / "BPT quy III-2021.xlsx")
    roster(folder / "Danh sach can bo 2021.xlsx", [
        [1, HUONG, "Trưởng ban", "Ban Tuyên giáo", None, None, None, None, None],
        [2, ANH, "Chuyên viên", "Ban Tuyên giáo", None, None, None, None, None],
        [3, DUC, "Chuyên viên", "Ban Phong trào", None, None, None, None, None],
        [4, THUY, "Phó Trưởng ban", "Ban Phong trào", None, None, None, None, None]])
    return folder


def test_another_provinces_books_in_legacy_fonts_and_new_layouts_give_the_right_figures(tmp_path):
    folder = province_folder(tmp_path / "So di co so 2021")
    data = read_folder(folder, workers=1)
    comp = compute(data, load_ruleset(RULES / "ba-ria-vung-tau-2018-2022.yaml"), YEAR, AS_OF, aliases=data.aliases)
    got = {r["name"]: (r["counted_days"], r["trips"], r["by_level"]) for r in comp.cadres.to_dict("records")}
    assert got == {
        HUONG: (4, 3, {"chi_doan": 3, "xa": 1, "huyen": 0}),  # 12/3: two trips, one day (for the xã)
        ANH: (7, 2, {"chi_doan": 3, "xa": 4, "huyen": 0}),  # the filtered-out row counts
        DUC: (4, 2, {"chi_doan": 0, "xa": 0, "huyen": 3}),  # "Thôn 3": level unknown, total only
        THUY: (3, 1, {"chi_doan": 3, "xa": 0, "huyen": 0}),
    }
    t = comp.totals
    assert (t["cadres"], t["trips"], t["days"], t["met"]) == (4, 8, 18, 0)
    assert (t["reports_on_time"], t["reports_late"], t["reports_overdue"], t["reports_pending"]) == (6, 1, 1, 0)
    acc = comp.accounting
    assert (acc["trips_counted"], acc["duplicates_merged"], acc["rows_rejected"]) == (8, 0, 0)
    assert acc["rows_read"] == acc["trips_counted"] + acc["rows_skipped"]

    assert not [i for i in comp.issues if i.severity == "error"]
    problems = sorted((i.file.split("/")[0], i.row, i.code) for i in comp.issues
                      if i.severity != "info" and i.file.startswith("Ban"))  # the books' problems
    assert problems == [("Ban Phong trao", 6, "level_unknown"), ("Ban Tuyen giao", 4, "summary_days_differ"),
                        ("Ban Tuyen giao", 11, "hidden_rows_counted")]
    by_code = {i.code: i for i in comp.issues}
    assert f"ghi {HUONG} 5 ngày, nhưng chương trình đếm được 4 ngày" in by_code["summary_days_differ"].message
    assert 'sổ không có cột "Cấp"; Địa bàn: "Thôn 3, xã Bàu Lâm"' in by_code["level_unknown"].message
    assert "dòng 11" in by_code["hidden_rows_counted"].message
    notes = {i.code for i in comp.issues if i.severity == "info"}
    assert {"sheet_template_skipped", "same_day_trips", "legacy_encoding_converted"} <= notes
    assert not notes & {"duplicate_merged"}


def test_the_report_run_on_that_folder_writes_the_same_figures(tmp_path, capsys):
    folder = province_folder(tmp_path / "So di co so 2021")
    code, _, err = cli(capsys, folder, "--year", "2021", "--as-of", AS_OF.isoformat(), "--rules",
                       RULES / "ba-ria-vung-tau-2018-2022.yaml", "--out", tmp_path / "out")
    assert code == 0, err
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert {c["name"]: (c["counted_days"], c["trips"]) for c in summary["cadres"]} == {
        HUONG: (4, 3), ANH: (7, 2), DUC: (4, 2), THUY: (3, 1)}
    assert (summary["totals"]["trips"], summary["totals"]["days"]) == (8, 18)
