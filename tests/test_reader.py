"""The reader, one quirk of real registers per test (shared/domain.md)."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date
from pathlib import Path

import pytest

from dicoso.read.folder import read_folder
from dicoso.read.limits import Limits

from builders import TRIP_HEADER, book, register, roster, trip
from conftest import ROOT


def read(folder: Path):
    return read_folder(folder, workers=1)


def codes(result) -> list[tuple[str, str, int | None, str]]:
    return [(i.file, i.sheet, i.row, i.code) for i in result.issues]


# --- finding and opening books ------------------------------------------------------------


def test_lock_hidden_and_junk_files_are_skipped_with_a_reason(tmp_path):
    register(tmp_path / "BTG thang 03.xlsx", [trip("Nguyễn Văn An", "05/03/2020", "07/03/2020")])
    (tmp_path / "~$BTG thang 03.xlsx").write_bytes(b"\x00" * 165)
    (tmp_path / ".~lock.BTG thang 03.xlsx#").write_text("lock")
    (tmp_path / "Thumbs.db").write_bytes(b"\x00\x01")
    (tmp_path / "desktop.ini").write_text("[.ShellClassInfo]")
    (tmp_path / ".hidden.xlsx").write_bytes(b"x")
    (tmp_path / "ghi chu.docx").write_bytes(b"x")
    res = read(tmp_path)
    skipped = dict(res.files_skipped)
    assert set(skipped) == {"~$BTG thang 03.xlsx", ".~lock.BTG thang 03.xlsx#", "Thumbs.db", "desktop.ini",
                            ".hidden.xlsx", "ghi chu.docx"}
    assert "khoá tạm của Excel" in skipped["~$BTG thang 03.xlsx"]
    assert res.issues == []
    assert len(res.trips) == 1


@pytest.mark.parametrize(
    "name, content, code, words",
    [
        ("rong.xlsx", b"", "file_empty", "Tệp rỗng"),
        ("web.xls", b"<html><body><table><tr><td>STT</td></tr></table></body></html>", "file_html", "trang web"),
        ("csv.xlsx", "STT,Họ và tên\n1,An\n".encode(), "file_text", "tệp văn bản"),
        ("hong.xlsx", b"PK\x03\x04" + b"\x00" * 50, "file_corrupt", "bị hỏng"),
        ("mat khau.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptionInfo".encode("utf-16-le"),
         "file_encrypted", "mật khẩu"),
    ],
)
def test_bad_files_get_their_own_message_and_the_run_goes_on(tmp_path, name, content, code, words):
    (tmp_path / name).write_bytes(content)
    register(tmp_path / "tot.xlsx", [trip("Nguyễn Văn An", "05/03/2020", "07/03/2020")])
    res = read(tmp_path)
    assert [(i.file, i.code, i.severity) for i in res.issues] == [(name, code, "error")]
    assert words in res.issues[0].message and res.issues[0].suggestion
    assert dict(res.files_skipped)[name] == res.issues[0].message
    assert list(res.trips["name"]) == ["Nguyễn Văn An"]


def test_truncated_xlsx_is_reported_as_corrupt(tmp_path):
    good = register(tmp_path / "a.xlsx", [trip("Nguyễn Văn An", "05/03/2020", "07/03/2020")])
    data = good.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    res = read(tmp_path)
    assert [(i.file, i.code) for i in res.issues] == [("cut.xlsx", "file_corrupt")]


def test_subfolders_are_read_in_stable_order(tmp_path):
    register(tmp_path / "Ban B" / "b.xlsx", [trip("Trần Thị Bình", "05/03/2020", "05/03/2020")])
    register(tmp_path / "Ban A" / "a.xlsx", [trip("Nguyễn Văn An", "05/03/2020", "05/03/2020")])
    res = read(tmp_path)
    assert list(res.trips["file"]) == ["Ban A/a.xlsx", "Ban B/b.xlsx"]


def test_reading_a_book_records_its_digest_and_never_loads_pandas(tmp_path):
    # The reader's worker processes are forked before the parent loads pandas: reading a
    # book must not load it (a worker would pay its import time again).
    import subprocess
    import sys

    path = register(tmp_path / "a.xlsx", [trip("Nguyễn Văn An", "05/03/2020", "07/03/2020")])
    code = (
        "import sys; from pathlib import Path; from dicoso.read.folder import read_book, Limits;"
        "from dicoso.read.discover import scan;"
        f"c = scan(Path({str(tmp_path)!r}))[0][0]; r = read_book(c, Limits());"
        "print(len(r.trips['name']), r.digest[0], r.digest[1], 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.split()
    assert out == ["1", str(path.stat().st_size), hashlib.sha256(path.read_bytes()).hexdigest(), "False"]


# --- headers --------------------------------------------------------------------------------


def test_title_rows_and_two_row_header_with_merged_parent(tmp_path):
    rows = [
        ["TỈNH ĐOÀN VĨNH PHÚC"],
        ["BAN XÂY DỰNG ĐOÀN"],
        ["SỔ THEO DÕI ĐI CƠ SỞ THÁNG 8/2020"],
        ["STT", "Họ và tên", "Thời gian", None, "Số ngày", "Địa bàn"],
        [None, None, "Từ ngày", "Đến ngày", None, None],
        [1, "Nguyễn Văn An", "05/08/2020", "07/08/2020", 3, "Xã Hợp Thịnh"],
    ]
    book(tmp_path / "xdd.xlsx", {"T8": rows}, merges={"T8": ["C4:D4", "A4:A5", "B4:B5", "E4:E5", "F4:F5"]})
    res = read(tmp_path)
    t = res.trips.iloc[0]
    assert (t["start"], t["end"], t["days_declared"], t["place"], t["row"]) == (
        date(2020, 8, 5), date(2020, 8, 7), 3.0, "Xã Hợp Thịnh", 6)
    assert t["department"] == "Ban Xây dựng đoàn"
    assert res.issues == []


def test_header_cells_with_line_breaks_upper_case_and_doubled_spaces(tmp_path):
    header = ["TT", "HỌ  VÀ  TÊN", "TỪ\nNGÀY", "ĐẾN\nNGÀY", "Nơi đến", "Ngày nộp BC"]
    book(tmp_path / "a.xlsx", {"S": [header, [1, "Nguyễn Văn An", "05/08/2020", "06/08/2020", "Xã A", "10/08/2020"]]})
    t = read(tmp_path).trips.iloc[0]
    assert (t["start"], t["end"], t["place"], t["submitted"]) == (date(2020, 8, 5), date(2020, 8, 6), "Xã A",
                                                                  date(2020, 8, 10))


def test_header_variants_ho_ten_can_bo_and_dia_ban_don_vi_den(tmp_path):
    header = ["STT", "Họ tên cán bộ", "Từ ngày", "Đến ngày", "Địa bàn/đơn vị đến", "Nội dung công tác"]
    book(tmp_path / "a.xlsx", {"S": [header, [1, "Lê Văn Cường", "01/09/2020", "02/09/2020", "Chi đoàn thôn 3", "Khảo sát"]]})
    t = read(tmp_path).trips.iloc[0]
    assert (t["name"], t["place"], t["content"]) == ("Lê Văn Cường", "Chi đoàn thôn 3", "Khảo sát")


def test_single_time_column_with_ranges_and_single_dates(tmp_path):
    header = ["STT", "Họ và tên", "Thời gian (đi cơ sở)", "Địa bàn"]
    rows = [header,
            [1, "Nguyễn Văn An", "05/08 - 07/08/2020", "Xã A"],
            [2, "Nguyễn Văn An", "Từ ngày 5/9/2020 đến ngày 7/9/2020", "Xã B"],
            [3, "Nguyễn Văn An", "14/10/2020", "Xã C"]]
    book(tmp_path / "a.xlsx", {"S": rows})
    got = [(r.start, r.end) for r in read(tmp_path).trips.itertuples()]
    assert got == [(date(2020, 8, 5), date(2020, 8, 7)), (date(2020, 9, 5), date(2020, 9, 7)),
                   (date(2020, 10, 14), date(2020, 10, 14))]


def test_sheet_without_recognisable_header_is_reported_not_guessed(tmp_path):
    book(tmp_path / "a.xlsx", {"Ghi chép": [["Ghi chú linh tinh"], ["abc", "def"]]})
    res = read(tmp_path)
    assert codes(res) == [("a.xlsx", "Ghi chép", None, "sheet_unrecognised")]
    assert len(res.trips) == 0


def test_header_missing_the_date_columns_is_an_error(tmp_path):
    book(tmp_path / "a.xlsx", {"S": [["STT", "Họ và tên", "Số ngày", "Địa bàn"], [1, "Nguyễn Văn An", 3, "Xã A"]]})
    res = read(tmp_path)
    assert codes(res) == [("a.xlsx", "S", 1, "missing_columns")]
    assert "Từ ngày" in res.issues[0].message


def test_empty_template_sheets_hidden_or_not_yield_nothing(tmp_path):
    book(tmp_path / "a.xlsx",
         {"T3": [TRIP_HEADER, trip("Nguyễn Văn An", "05/03/2020", "05/03/2020")],
          "Mẫu": [TRIP_HEADER], "Mẫu ẩn": [], "Sheet3": []},
         hidden=("Mẫu ẩn",))
    res = read(tmp_path)
    assert res.issues == []
    assert len(res.trips) == 1
    assert [(a.sheet, a.rows_read) for a in res.files] == [("T3", 1)]  # a template sheet is not read


def test_quarterly_book_with_a_sheet_per_month(tmp_path):
    sheets = {f"T{m}": [TRIP_HEADER, trip("Nguyễn Văn An", f"05/{m:02d}/2020", f"06/{m:02d}/2020")] for m in (7, 8, 9)}
    book(tmp_path / "quy3.xlsx", sheets)
    res = read(tmp_path)
    assert list(zip(res.trips["sheet"], res.trips["start"])) == [
        ("T7", date(2020, 7, 5)), ("T8", date(2020, 8, 5)), ("T9", date(2020, 9, 5))]


# --- rows -----------------------------------------------------------------------------------


def test_merged_name_is_filled_down_but_other_merged_cells_are_not(tmp_path):
    rows = [TRIP_HEADER,
            trip("Nguyễn Văn An", "05/03/2020", "06/03/2020", stt=1, content="Khảo sát"),
            trip(None, "10/03/2020", "11/03/2020", stt=None, position=None, content=None),
            trip(None, "20/03/2020", "20/03/2020", stt=None, position=None, content=None)]
    book(tmp_path / "a.xlsx", {"S": rows}, merges={"S": ["A2:A4", "B2:B4", "C2:C4", "I2:I4"]})
    t = read(tmp_path).trips
    assert list(t["name"]) == ["Nguyễn Văn An"] * 3
    assert list(t["position"]) == ["Chuyên viên"] * 3
    assert list(t["content"]) == ["Khảo sát", "", ""]


def test_total_signature_and_blank_rows_are_skipped_and_counted(tmp_path):
    rows = [TRIP_HEADER,
            trip("Nguyễn Văn An", "05/03/2020", "06/03/2020"),
            [],
            trip("Trần Thị Bình", "07/03/2020", "07/03/2020", stt=2),
            [None, "Tổng cộng", None, None, None, 3],
            [],
            [None, None, None, None, None, None, None, None, "Vĩnh Phúc, ngày 31 tháng 3 năm 2020"],
            [None, "Người lập biểu", None, None, None, None, None, None, "Trưởng ban"],
            [None, "(đã ký)", None, None, None, None, None, None, "(đã ký)"],
            [None, "Nguyễn Thị Lập", None, None, None, None, None, None, "Phạm Văn Trưởng"]]
    book(tmp_path / "a.xlsx", {"S": rows})
    res = read(tmp_path)
    (acc,) = res.files
    assert (acc.rows_read, acc.rows_skipped, acc.rows_rejected, len(res.trips)) == (9, 7, 0, 2)
    assert acc.skip_reasons == {"blank": 2, "total": 1, "footer": 4}
    assert res.issues == []


def test_position_truong_ban_in_a_data_row_is_not_a_footer(tmp_path):
    rows = [TRIP_HEADER, trip("Nguyễn Văn An", "05/03/2020", "06/03/2020", position="Trưởng ban")]
    book(tmp_path / "a.xlsx", {"S": rows})
    assert len(read(tmp_path).trips) == 1


def test_bad_date_is_rejected_quoting_the_raw_text(tmp_path):
    register(tmp_path / "a.xlsx", [trip("Nguyễn Văn An", "31/02/2020", "02/03/2020"),
                                   trip("Nguyễn Văn An", "05/03/2020", "06/03/2020", stt=2)])
    res = read(tmp_path)
    assert codes(res) == [("a.xlsx", "T3", 5, "bad_date_start")]
    assert '"31/02/2020"' in res.issues[0].message
    assert res.issues[0].column.startswith("D")
    assert (res.files[0].rows_rejected, len(res.trips)) == (1, 1)


def test_row_without_a_name_is_rejected(tmp_path):
    register(tmp_path / "a.xlsx", [trip(None, "05/03/2020", "06/03/2020")])
    res = read(tmp_path)
    assert codes(res) == [("a.xlsx", "T3", 5, "missing_name")]


def test_dates_as_real_cells_and_as_plain_serial_numbers(tmp_path):
    register(tmp_path / "a.xlsx", [trip("Nguyễn Văn An", date(2020, 3, 5), 43900)])
    t = read(tmp_path).trips.iloc[0]
    assert (t["start"], t["end"]) == (date(2020, 3, 5), date(2020, 3, 10))


def test_not_filed_report_words_mean_no_submission(tmp_path):
    register(tmp_path / "a.xlsx", [trip("Nguyễn Văn An", "05/03/2020", "06/03/2020", submitted="chưa nộp")])
    res = read(tmp_path)
    assert res.trips.iloc[0]["submitted"] is None and res.issues == []


def test_days_column_with_text_is_a_warning_and_the_row_still_counts(tmp_path):
    register(tmp_path / "a.xlsx", [trip("Nguyễn Văn An", "05/03/2020", "06/03/2020", days="hai")])
    res = read(tmp_path)
    assert codes(res) == [("a.xlsx", "T3", 5, "bad_days")]
    assert len(res.trips) == 1


def test_nfd_and_old_tone_placement_names_share_one_key(tmp_path):
    import unicodedata

    register(tmp_path / "a.xlsx", [trip(unicodedata.normalize("NFD", "Nguyễn Thị Hòa"), "05/03/2020", "05/03/2020"),
                                   trip("Nguyễn Thị Hoà", "06/03/2020", "06/03/2020", stt=2)])
    t = read(tmp_path).trips
    assert t["name_key"].nunique() == 1
    assert t.iloc[0]["name"] == unicodedata.normalize("NFC", "Nguyễn Thị Hòa")


# --- other sheet kinds --------------------------------------------------------------------


def test_roster_with_joiner_leaver_and_exemption(tmp_path):
    roster(tmp_path / "ds.xlsx", [
        [1, "Nguyễn Văn An", "Trưởng ban", "Ban Tuyên giáo", None, None, None, None, None],
        [2, "Trần Thị Bình", "Chuyên viên", "Văn phòng", "01/07/2020", None, None, None, None],
        [3, "Lê Văn Cường", "Chuyên viên", "Văn phòng", None, "30/09/2020", None, None, None],
        [4, "Phạm Thị Dung", "Phó Trưởng ban", "Ban Phong trào", None, None, "01/06/2020", "30/11/2020", "Nghỉ thai sản"],
    ])
    res = read(tmp_path)
    r = res.roster.set_index("name")
    assert r.loc["Trần Thị Bình", "service_start"] == date(2020, 7, 1)
    assert r.loc["Lê Văn Cường", "service_end"] == date(2020, 9, 30)
    assert (r.loc["Phạm Thị Dung", "exempt_from"], r.loc["Phạm Thị Dung", "exempt_reason"]) == (date(2020, 6, 1), "Nghỉ thai sản")
    assert r.loc["Nguyễn Văn An", "position"] == "Trưởng ban"
    assert res.issues == []


@pytest.mark.parametrize("cell, expected", [("II", (2, 2020)), (2, (2, 2020)), ("Quý III", (3, 2020)),
                                            ("IV/2020", (4, 2020)), ("Quý 1/2021", (1, 2021))])
def test_registration_quarter_written_many_ways(tmp_path, cell, expected):
    header = ["STT", "Họ và tên", "Ban", "Quý", "Số ngày đăng ký", "Địa bàn dự kiến", "Nội dung dự kiến"]
    book(tmp_path / "dk.xlsx", {"DK": [["ĐĂNG KÝ ĐI CƠ SỞ NĂM 2020"], header,
                                       [1, "Nguyễn Văn An", "Ban Tuyên giáo", cell, 15, "Huyện Lập Thạch", "Khảo sát"]]})
    r = read(tmp_path).registrations.iloc[0]
    assert (r["quarter"], r["year"], r["planned_days"]) == (*expected, 15.0)


def test_registration_quarter_taken_from_the_title_when_no_column(tmp_path):
    header = ["STT", "Họ và tên", "Ban", "Số ngày đăng ký", "Địa bàn dự kiến"]
    book(tmp_path / "dk.xlsx", {"Sheet1": [["ĐĂNG KÝ ĐI CƠ SỞ QUÝ IV NĂM 2020"], header,
                                           [1, "Nguyễn Văn An", "Ban Tuyên giáo", 20, "Huyện Sông Lô"]]})
    r = read(tmp_path).registrations.iloc[0]
    assert (r["quarter"], r["year"]) == (4, 2020)


def test_alias_sheet_maps_a_variant_to_a_roster_name(tmp_path):
    book(tmp_path / "bi danh.xlsx", {"Ánh xạ": [["Tên trong sổ", "Tên đúng theo danh sách"],
                                              ["Nguyễn Văn Ann", "Nguyễn Văn An"]]})
    res = read(tmp_path)
    from dicoso.text.names import name_key

    assert res.aliases == {name_key("Nguyễn Văn Ann"): "Nguyễn Văn An"}


# --- formats -------------------------------------------------------------------------------


def test_legacy_xls_and_ods_books(tmp_path):
    import pandas as pd
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("T3")
    for c, v in enumerate(TRIP_HEADER):
        ws.write(0, c, v)
    for c, v in enumerate(trip("Nguyễn Văn An", "05/03/2020", "06/03/2020")):
        if v is not None:
            ws.write(1, c, v)
    wb.save(str(tmp_path / "cu.xls"))
    df = pd.DataFrame([trip("Trần Thị Bình", "07/03/2020", "07/03/2020")], columns=TRIP_HEADER)
    df.to_excel(tmp_path / "lo.ods", engine="odf", index=False, sheet_name="T3")
    res = read(tmp_path)
    assert res.issues == []
    assert sorted(zip(res.trips["file"], res.trips["name"])) == [("cu.xls", "Nguyễn Văn An"), ("lo.ods", "Trần Thị Bình")]


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    good = register(tmp_path / "src.xlsx", [trip("Nguyễn Văn An", "05/03/2020", "06/03/2020")])
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/media/pad.bin", b"\x00" * (64 * 1024 * 1024))
    good.unlink()
    res = read_folder(tmp_path, Limits(max_unzipped_bytes=32 * 1024 * 1024), workers=1)
    assert [(i.file, i.code) for i in res.issues] == [("bom.xlsx", "file_zip_bomb")]


def test_accounting_balances_per_sheet(tmp_path):
    register(tmp_path / "a.xlsx", [trip("Nguyễn Văn An", "05/03/2020", "06/03/2020"),
                                   trip("Nguyễn Văn An", "xx", "06/03/2020", stt=2), [],
                                   [None, "Tổng cộng"]])
    res = read(tmp_path)
    (a,) = res.files
    assert a.rows_read == a.rows_skipped + a.rows_rejected + len(res.trips) == 4


def test_parts_inflated_from_memory_equal_what_zipfile_reads(tmp_path):
    # book.inflated_member inflates small parts straight from the bytes for the pre-scan; anything
    # unusual (stored parts aside) is left to zipfile, which raises what is wrong.
    import io

    from dicoso.read import book as bookmod

    data = register(tmp_path / "a.xlsx", [trip("Nguyễn Văn An", "05/03/2020", "07/03/2020")]).read_bytes()
    stored = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    for blob in (data, stored.getvalue()):
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            infos = zf.infolist()
            assert len(infos) > 3
            assert all(bookmod.inflated_member(blob, i) == zf.read(i) for i in infos)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("xl/workbook.xml")
        info.file_size += 1  # a part that does not hold what the directory declares
        assert bookmod.inflated_member(data, info) is None


def test_a_failure_while_the_workers_read_stops_the_read_and_is_raised(tmp_path):
    # `meanwhile` (the parent's own start-up work) failing, or Ctrl+C there, must not leave
    # the run waiting for every book still queued for the worker processes.
    from dicoso.read.folder import PARALLEL_MIN_BOOKS

    for i in range(PARALLEL_MIN_BOOKS):
        register(tmp_path / f"b{i:02}.xlsx", [trip("Nguyễn Văn An", "05/03/2020", "07/03/2020")])

    def fail() -> None:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        read_folder(tmp_path, Limits(), workers=2, meanwhile=fail)
    calls = []
    res = read_folder(tmp_path, Limits(), workers=2, meanwhile=lambda: calls.append(1))
    assert calls == [1] and len(res.trips) == PARALLEL_MIN_BOOKS
