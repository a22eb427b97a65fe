"""Missing inputs: absent is not zero. A folder without a roster, without registration data,
a Ban's book without a report-date column, an empty folder: the clerk is told what is
missing and where, and no figure pretends the absent data was zero.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from builders import book, roster
from conftest import AS_OF_ARGS, SAMPLES, cli, docx_text, drop_folder, files

ROSTER_FILE = "Danh sach can bo chuyen trach 2020.xlsx"


def summary_of(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


# --- no roster -------------------------------------------------------------------------
def test_report_without_roster_stops_with_one_message_and_keeps_the_previous_report(tmp_path, capsys):
    drop, out = drop_folder(tmp_path), tmp_path / "Kết quả"
    assert cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out)[0] == 0
    before = files(out)
    (drop / ROSTER_FILE).unlink()
    code, stdout, err = cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out)
    assert code == 1
    assert err.startswith(f"LỖI: Không tìm thấy danh sách cán bộ chuyên trách trong thư mục dữ liệu {drop} "
                          "(đã xem 52 sổ và mọi thư mục con).")
    assert 'cột "Họ và tên" và các cột "Chức vụ", "Ban"' in err and '"Ngày bắt đầu công tác"' in err
    assert err.count("LỖI") == 1 and "không có trong danh sách cán bộ" not in stdout + err
    assert "ngoài dự kiến" not in err and stdout == ""
    assert files(out) == before and not (out / "lich-su").exists()


def test_check_without_roster_says_the_roster_is_missing_instead_of_a_flood_of_unknown_names(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Ban XDD", "Van phong", "Dang ky")
    code, stdout, err = cli(capsys, "check", drop, *AS_OF_ARGS)
    assert code == 1
    assert err.startswith("LỖI: Không tìm thấy danh sách cán bộ chuyên trách")
    assert "không có trong danh sách cán bộ" not in stdout + err and stdout == ""


def test_roster_whose_rows_are_all_unusable_is_named_with_its_problems(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Ban XDD")
    roster(drop / "Danh sách cán bộ.xlsx", [[1, "", "Chuyên viên", "Ban Xây dựng Đoàn"]])
    code, stdout, err = cli(capsys, "check", drop, *AS_OF_ARGS)
    assert code == 1
    assert 'LỖI: Danh sách cán bộ chuyên trách ở Danh sách cán bộ.xlsx (trang "Danh sách") không có dòng nào' in err
    assert "thiếu họ và tên cán bộ" in stdout


# --- an empty folder ---------------------------------------------------------------------
def test_empty_folder_gets_one_message_saying_it_is_empty(tmp_path, capsys):
    drop = tmp_path / "Sổ đi cơ sở"
    drop.mkdir()
    for args in ((drop,), (drop, "--year", "2020"), ("check", drop)):
        code, stdout, err = cli(capsys, *args, *AS_OF_ARGS, "--out", tmp_path / "out") if args[0] != "check" \
            else cli(capsys, *args, *AS_OF_ARGS)
        assert code == 1, args
        assert err == (f"LỖI: Thư mục dữ liệu {drop} trống: không có sổ tính nào (.xlsx, .xlsm, .xls, .ods).\n"
                       "Chép sổ đi cơ sở của các Ban và danh sách cán bộ chuyên trách vào thư mục này (hoặc chỉ "
                       "đúng thư mục đang chứa sổ) rồi chạy lại.\n")
        assert stdout == ""
    assert not (tmp_path / "out").exists()


def test_folder_with_only_other_files_names_what_it_skipped(tmp_path, capsys):
    drop = tmp_path / "Sổ đi cơ sở"
    drop.mkdir()
    (drop / "ghi chú.txt").write_text("x", encoding="utf-8")
    code, _, err = cli(capsys, "check", drop)
    assert code == 1
    assert "không có sổ tính nào (.xlsx, .xlsm, .xls, .ods), chỉ có 1 tệp khác đã bỏ qua:\n  - ghi chú.txt:" in err
    assert "Xem danh sách lỗi ở trên" not in err


# --- no registration data --------------------------------------------------------------------
def test_folder_without_registration_data_says_registration_is_unknown_not_zero(tmp_path, capsys):
    drop, out = drop_folder(tmp_path), tmp_path / "Kết quả"
    shutil.rmtree(drop / "Dang ky")
    code, stdout, _ = cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out)
    assert code == 0
    summary = summary_of(out)
    assert [(r["quarter"], r["known"], r["registered"], r["missing"]) for r in summary["registration"]] == [
        ("2020-Q2", False, None, None), ("2020-Q3", False, None, None), ("2020-Q4", False, None, None)]
    [warning] = [i for i in summary["issues"] if i["code"] == "registration_data_missing"]
    assert warning["severity"] == "warning"
    assert warning["message"] == (
        "Bộ quy tắc yêu cầu cán bộ đăng ký đi cơ sở hằng quý, nhưng trong thư mục dữ liệu không có bảng đăng ký "
        "nào: tỷ lệ đăng ký Quý II/2020, Quý III/2020, Quý IV/2020 chưa tính được (chưa rõ, không phải là không "
        "ai đăng ký).")
    assert "[CẢNH BÁO] Bộ quy tắc yêu cầu cán bộ đăng ký" in stdout
    text = docx_text(out / "bao-cao-2020.docx")
    assert ("- Quý II/2020: chưa có số liệu (không tìm thấy dữ liệu đăng ký của quý này trong thư mục dữ liệu);"
            in text)
    assert "chưa đăng ký:" not in text and "0% (00/" not in text


def test_a_quarter_whose_registration_book_is_missing_is_unknown_while_the_others_count(tmp_path, capsys):
    drop, out = drop_folder(tmp_path), tmp_path / "Kết quả"
    for name in ("Dang ky Quy IV-2020 VP XDD BTG.xlsx", "DK Quy IV - Ban PT, Ban TTN-TH.xlsx"):
        (drop / "Dang ky" / name).unlink()
    assert cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out)[0] == 0
    summary = summary_of(out)
    assert [(r["quarter"], r["known"], r["registered"]) for r in summary["registration"]] == [
        ("2020-Q2", True, 12), ("2020-Q3", True, 11), ("2020-Q4", False, None)]
    [warning] = [i for i in summary["issues"] if i["code"] == "registration_data_missing"]
    assert "không có dòng đăng ký nào của Quý IV/2020" in warning["message"]
    text = docx_text(out / "bao-cao-2020.docx")
    assert ("- Quý III/2020: 91,7% (11/12; không tính 1 đồng chí nghỉ thai sản cả quý: Hoàng Thị Lan); "
            "chưa đăng ký: Lê Minh Tuấn;") in text
    assert "- Quý IV/2020: chưa có số liệu" in text


# --- a Ban's book without a report-date column ---------------------------------------------------
def _ban_books(drop: Path) -> None:
    roster(drop / "Danh sách cán bộ.xlsx", [[1, "Nguyễn Văn An", "Chuyên viên", "Ban Tuyên giáo"],
                                             [2, "Trần Thị Bình", "Chuyên viên", "Ban Phong trào"]])
    header = ["STT", "Họ và tên", "Từ ngày", "Đến ngày", "Địa bàn", "Nội dung"]
    book(drop / "Ban Phong trao" / "BPT 2020.xlsx", {
        "T5": [["BAN PHONG TRÀO"], header,
               [1, "Trần Thị Bình", "04/05/2020", "06/05/2020", "Xã Kim Long", "Dự sinh hoạt chi đoàn"],
               [2, "Trần Thị Bình", "11/05/2020", "12/05/2020", "Xã Đạo Tú", "Thăm nắm tình hình"]],
        "T6": [["BAN PHONG TRÀO"], header,
               [1, "Trần Thị Bình", "08/06/2020", "08/06/2020", "Xã Hợp Thịnh", "Dự sinh hoạt chi đoàn"]]})
    book(drop / "Ban Tuyen giao" / "BTG 2020.xlsx", {
        "T5": [["BAN TUYÊN GIÁO"], header + ["Ngày nộp báo cáo"],
               [1, "Nguyễn Văn An", "04/05/2020", "06/05/2020", "Xã Kim Long", "Dự sinh hoạt chi đoàn", "20/05/2020"],
               [2, "Nguyễn Văn An", "11/05/2020", "12/05/2020", "Xã Đạo Tú", "Thăm nắm tình hình", None]]})


def year_run(tmp_path: Path, capsys, build) -> tuple[str, dict, Path]:
    """The year report of a drop folder made by `build`: (console, summary.json, output folder)."""
    drop, out = tmp_path / "Sổ", tmp_path / "Kết quả"
    build(drop)
    code, stdout, _ = cli(capsys, drop, "--year", "2020", *AS_OF_ARGS, "--out", out)
    assert code == 0
    return stdout, summary_of(out), out


def test_book_without_report_date_column_is_not_recorded_said_once_and_kept_out_of_late_and_overdue(
        tmp_path, capsys):
    stdout, summary, out = year_run(tmp_path, capsys, _ban_books)
    t = summary["totals"]
    assert (t["reports_on_time"], t["reports_late"], t["reports_overdue"], t["reports_not_recorded"]) == (0, 1, 1, 3)
    assert [r["name"] for r in summary["reports"]["overdue"]] == ["Nguyễn Văn An"]
    [warning] = [i for i in summary["issues"] if i["code"] == "report_date_not_recorded"]
    assert (warning["file"], warning["severity"]) == ("Ban Phong trao/BPT 2020.xlsx", "warning")
    assert warning["message"].startswith('Sổ không có cột "Ngày nộp báo cáo" (trang "T5", "T6"): chưa biết báo '
                                         "cáo sau 3 chuyến đi của sổ này đã nộp hay chưa")
    assert stdout.count('Sổ không có cột "Ngày nộp báo cáo"') == 1
    text = docx_text(out / "bao-cao-2020.docx")
    assert ("Có 0/2 chuyến đi được báo cáo kết quả đúng hạn (0%); 1 báo cáo nộp muộn; 1 báo cáo quá hạn chưa nộp; "
            "0 báo cáo chưa đến hạn nộp; 3 chuyến đi chưa rõ ngày nộp báo cáo (sổ của Ban không có cột “Ngày nộp "
            "báo cáo”; không tính vào các số trên)") in text


# --- a report cell that says "filed" without a date, or a date that cannot be read -------------
def _filed_without_dates(drop: Path) -> None:
    roster(drop / "Danh sách cán bộ.xlsx", [[1, "Nguyễn Văn An", "Chuyên viên", "Ban Tuyên giáo"]])
    header = ["STT", "Họ và tên", "Từ ngày", "Đến ngày", "Địa bàn", "Nội dung", "Ngày nộp báo cáo"]
    trip = ["Nguyễn Văn An", "04/05/2020", "06/05/2020", "Xã Kim Long", "Dự sinh hoạt chi đoàn"]
    book(drop / "Ban Tuyen giao" / "BTG 2020.xlsx", {"T5": [["BAN TUYÊN GIÁO"], header,
        [1, *trip[:3], "Xã Kim Long", "Dự sinh hoạt chi đoàn", "Đã nộp"],
        [2, trip[0], "11/05/2020", "12/05/2020", "Xã Đạo Tú", "Thăm nắm tình hình", "x"],
        [3, trip[0], "18/05/2020", "18/05/2020", "Xã Hợp Thịnh", "Dự sinh hoạt chi đoàn", "nộp hôm thứ Hai"],
        [4, trip[0], "25/05/2020", "25/05/2020", "Xã Tam Hồng", "Khảo sát", "27/05/2020"],
        [5, trip[0], "01/06/2020", "01/06/2020", "Xã Đồng Tĩnh", "Khảo sát", None]]})


def test_a_report_filed_without_a_date_or_with_an_unreadable_one_is_unknown_never_overdue(tmp_path, capsys):
    stdout, summary, out = year_run(tmp_path, capsys, _filed_without_dates)
    t = summary["totals"]
    # rows 3-5 of the sheet: "Đã nộp", "x", an unreadable text; then one on time and one blank (overdue)
    assert (t["reports_on_time"], t["reports_late"], t["reports_overdue"], t["reports_not_recorded"],
            t["reports_undated"]) == (1, 0, 1, 3, 3)
    [warning] = [i for i in summary["issues"] if i["code"] == "report_filed_undated"]
    assert (warning["severity"], warning["sheet"], warning["row"]) == ("warning", "T5", 3)
    assert warning["message"].startswith('Ô ngày nộp báo cáo ghi "Đã nộp", "x" mà không ghi ngày nộp (2 dòng: 3–4): '
                                         "chưa biết báo cáo nộp đúng hạn hay nộp muộn")
    [error] = [i for i in summary["issues"] if i["severity"] == "error"]
    assert (error["code"], error["row"]) == ("bad_date_submitted", 5)
    assert error["message"].startswith('Không hiểu ngày "nộp hôm thứ Hai"')
    assert "chưa rõ ngày nộp nên không được tính vào số báo cáo đúng hạn, nộp muộn hay quá hạn" in error["message"]
    assert not [i for i in summary["issues"] if i["code"] == "report_date_not_recorded"]  # the book has the column
    text = docx_text(out / "bao-cao-2020.docx")
    assert ("1 báo cáo quá hạn chưa nộp; 0 báo cáo chưa đến hạn nộp; 3 chuyến đi chưa rõ ngày nộp báo cáo (ô ngày "
            "nộp ghi “đã nộp” mà không ghi ngày, hoặc ghi ngày không đọc được; không tính vào các số trên)") in text
    assert [(r["row"], r["days_overdue"]) for r in summary["reports"]["overdue"]] == [(7, 208)]  # the blank cell
    assert 'Ô ngày nộp báo cáo ghi "Đã nộp", "x" mà không ghi ngày nộp (2 dòng: 3–4)' in stdout


def test_samples_are_unchanged_by_the_report_date_rule(tmp_path, capsys):
    """Every sample book has the column: nothing is 'not recorded'."""
    assert any((SAMPLES / "Van phong").iterdir())
    out = tmp_path / "Kết quả"
    assert cli(capsys, drop_folder(tmp_path), "--year", "2020", *AS_OF_ARGS, "--out", out)[0] == 0
    summary = summary_of(out)
    assert summary["totals"]["reports_not_recorded"] == 0
    assert not [i for i in summary["issues"] if i["code"] == "report_date_not_recorded"]


def test_a_roster_whose_header_is_not_recognised_is_named_as_a_likely_place(tmp_path, capsys):
    drop = drop_folder(tmp_path, "Ban XDD")
    book(drop / "Danh sách.xlsx", {"DS": [["Họ và tên", "Ban"], ["Phạm Quốc Khánh", "Ban Xây dựng Đoàn"]]})
    code, stdout, err = cli(capsys, "check", drop, *AS_OF_ARGS)
    assert code == 1 and stdout == ""
    assert err.startswith("LỖI: Không tìm thấy danh sách cán bộ chuyên trách")
    assert ('Các trang có dòng tiêu đề chưa nhận ra (nếu danh sách nằm ở đây, sửa dòng tiêu đề như trên): '
            'Danh sách.xlsx (trang "DS").') in err
