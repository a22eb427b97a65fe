"""Commands typed the way people type them: day-first dates, periods as the office writes
them, Vietnamese option names, dashes pasted from Word, paths with spaces without quotes."""

from __future__ import annotations

import json
import shutil
from datetime import date
from types import SimpleNamespace

import pytest

from dicoso.cli.args import parse_command_line
from dicoso.cli.console import Console
from dicoso.cli.main import EXIT_USAGE

from conftest import SAMPLES, cli


def parsed(*argv: str):
    return parse_command_line(list(argv))[1]


def usage_error(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exc:
        parse_command_line(list(argv))
    assert exc.value.code == EXIT_USAGE
    return capsys.readouterr().err


@pytest.mark.parametrize("typed", ["05/01/2021", "5/1/2021", "05-01-2021", "5.1.2021", "2021-01-05", "2021-1-5",
                                   " 05/01/2021 "])
def test_the_as_of_date_is_read_day_first_or_year_first(typed):
    assert parsed("--as-of", typed).as_of == date(2021, 1, 5)


@pytest.mark.parametrize("typed, says", [
    ("01/13/2021", "không có tháng 13"),  # month first is never guessed
    ("31/04/2021", "ngày 31/04/2021 không tồn tại"),
    ("05/01", "thiếu năm"),
    ("44201", 'Không hiểu ngày "44201"'),  # an Excel serial is not a date anybody types
    ("hôm qua", 'Không hiểu ngày "hôm qua"'),
])
def test_a_date_that_is_not_one_is_a_usage_error_that_says_why(capsys, typed, says):
    assert says in usage_error(capsys, "--as-of", typed)


@pytest.mark.parametrize("option, typed, label", [
    ("--quarter", "III/2020", "2020-Q3"), ("--quarter", "Q3/2020", "2020-Q3"), ("--quarter", "3/2020", "2020-Q3"),
    ("--quarter", "Quý III/2020", "2020-Q3"), ("--quarter", "quý 3 năm 2020", "2020-Q3"),
    ("--quarter", "2020-Q3", "2020-Q3"), ("--quarter", "2020Q3", "2020-Q3"), ("--quy", "IV/2020", "2020-Q4"),
    ("--month", "5/2020", "2020-05"), ("--month", "05/2020", "2020-05"), ("--month", "2020-5", "2020-05"),
    ("--month", "2020-05", "2020-05"), ("--month", "tháng 5/2020", "2020-05"), ("--thang", "T12/2020", "2020-12"),
    ("--year", "2020", "2020"), ("--nam", "năm 2020", "2020"),
])
def test_periods_as_the_office_writes_them(option, typed, label):
    args = parsed(option, typed)
    assert label in (args.year, args.quarter, args.month)


@pytest.mark.parametrize("option, typed, says", [
    ("--quarter", "V/2020", 'Quý "V/2020" không hợp lệ; ghi quý/năm, ví dụ III/2020'),
    ("--quarter", "III", 'Quý "III" không hợp lệ'),  # a quarter without its year
    ("--month", "13/2020", 'Tháng "13/2020" không hợp lệ; ghi tháng/năm, ví dụ 5/2020'),
    ("--year", "20", 'Năm "20" không hợp lệ'),
])
def test_a_period_that_is_not_one_is_a_usage_error_that_shows_the_forms(capsys, option, typed, says):
    assert says in usage_error(capsys, option, typed)


def test_vietnamese_option_names_mean_the_same_as_the_english_ones(tmp_path):
    english = parsed("D:/Sổ", "--year", "2020", "--as-of", "2021-01-05", "--out", "Kết quả", "--rules", "r.yaml",
                     "--strict", "--verbose")
    for vietnamese in (
        ["D:/Sổ", "--nam", "2020", "--ngay-chot", "05/01/2021", "--ra", "Kết quả", "--quy-tac", "r.yaml",
         "--nghiem-ngat", "--chi-tiet"],
        ["D:/Sổ", "--năm", "2020", "--Ngày-Chốt", "05/01/2021", "--thư-mục-kết-quả", "Kết quả", "--quy-tắc",
         "r.yaml", "--nghiêm-ngặt", "--chi-tiết"],
    ):
        assert vars(parsed(*vietnamese)) == vars(english)


def test_commands_have_vietnamese_names_too():
    assert parse_command_line(["kiểm-tra", "D:/Sổ"])[0] == "check"
    assert parse_command_line(["theo-doi", "D:/Sổ", "--do-dinh-ky"])[0] == "watch"


@pytest.mark.parametrize("typed, meant", [
    ("--yaer", "--year"), ("--quater", "--quarter"), ("--as_of", "--as-of"), ("--ngaychot", "--ngay-chot"),
    ("--nma", "--nam"), ("--outt", "--out"),
])
def test_an_unknown_option_gets_the_closest_known_one(capsys, typed, meant):
    err = usage_error(capsys, typed, "2020")
    assert f'không hiểu tùy chọn "{typed}". Có phải {meant}?' in err


@pytest.mark.parametrize("dash", ["\u2013", "\u2014", "\u2212"])
def test_dashes_pasted_from_word_are_understood(dash):
    args = parsed(f"{dash}year", "2020", f"{dash}as-of", "05/01/2021", f"{dash}q", f"{dash}{dash}pdf")
    assert (args.year, args.as_of, args.quiet, args.pdf) == ("2020", date(2021, 1, 5), True, True)


def test_a_pasted_dash_before_a_misspelt_option_still_gets_a_suggestion(capsys):
    assert 'không hiểu tùy chọn "--yaer". Có phải --year?' in usage_error(capsys, "\u2013yaer", "2020")


def test_a_folder_with_spaces_typed_without_quotes_is_named_in_the_hint(tmp_path, capsys):
    folder = tmp_path / "Sổ đi cơ sở 2020"
    folder.mkdir()
    words = str(folder).split(" ")
    err = usage_error(capsys, *words, "--year", "2020")
    assert f'Có phải thư mục "{folder}"? Đường dẫn có dấu cách phải đặt trong ngoặc kép' in err
    assert f'python generate.py "{folder}"' in err
    # the same for --out, whose folder may already exist
    out = tmp_path / "Báo cáo năm"
    out.mkdir()
    err = usage_error(capsys, str(folder), "--year", "2020", "--out", *str(out).split(" "))
    assert f'Có phải thư mục "{out}"?' in err


def test_a_path_with_spaces_that_does_not_exist_gets_the_general_hint(tmp_path, capsys):
    err = usage_error(capsys, *str(tmp_path / "Không có thư mục này").split(" "), "--year", "2020")
    assert "Nếu đây là một đường dẫn có dấu cách, đặt cả đường dẫn trong ngoặc kép" in err


def test_curly_quotes_pasted_from_word_are_named(tmp_path, capsys):
    folder = tmp_path / "Sổ 2020"
    folder.mkdir()
    head, tail = str(folder).split(" ")
    err = usage_error(capsys, "\u201c" + head, tail + "\u201d", "--year", "2020")
    assert f'Có phải thư mục "{folder}"?' in err and "không dùng “ ” dán từ Word" in err


def test_a_trailing_backslash_quote_from_windows_powershell_is_split_back():
    # PowerShell 5.1 turns 'D:\Sổ đi cơ sở\' --year 2020 into one argument with a quote inside
    args = parsed('D:\\Sổ đi cơ sở" --year 2020')
    assert (args.input_dir, args.year) == ("D:\\Sổ đi cơ sở", "2020")
    assert parsed('D:\\Sổ đi cơ sở"', "--nam", "2020").input_dir == "D:\\Sổ đi cơ sở"


def test_a_run_with_vietnamese_options_and_day_first_date_writes_the_quarter(tmp_path, capsys):
    drop = tmp_path / "Sổ đi cơ sở 2020"
    drop.mkdir()
    shutil.copy2(SAMPLES / "Danh sach can bo chuyen trach 2020.xlsx", drop)
    shutil.copytree(SAMPLES / "Ban XDD", drop / "Ban XDD")
    out = tmp_path / "Kết quả quý"
    code, stdout, _ = cli(capsys, drop, "--quy", "Quý III/2020", "--ngay-chot", "5/10/2020", "--ra", out)
    assert code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["period"]["label"], manifest["as_of"]) == ("2020-Q3", "2020-10-05")
    assert "Kỳ báo cáo: 2020-Q3 (01/07/2020 – 30/09/2020), số liệu chốt đến ngày 05/10/2020." in stdout


def test_console_counts_are_written_the_vietnamese_way(capsys):
    acc = {"files_read": 1200, "files_skipped": [], "rows_read": 34000, "trips_counted": 33010,
           "duplicates_merged": 1500, "rows_rejected": 12, "rows_skipped": 2048}
    summary = {"accounting": acc, "period": {"label": "2020", "start": "2020-01-01", "end": "2020-12-31"},
               "as_of": "2021-01-05", "issues": [], "totals": {"cadres": 1234, "met": 1000}}
    result = SimpleNamespace(summary=summary, rules_reason="", notes=[], compared=False, outputs={}, history=None)
    Console().report(result)
    out = capsys.readouterr().out
    assert ("Đã đọc 1.200 sổ, 34.000 dòng: 33.010 chuyến được tính, 1.500 dòng trùng đã gộp, 12 dòng bị loại "
            "(có lý do), 2.048 dòng không phải dữ liệu") in out
    assert "1.234 cán bộ, 1.000/1.234 đạt chỉ tiêu" in out  # met over the cadres the quota applies to
