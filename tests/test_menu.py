"""The clerk's menu (`python generate.py menu`, what the double-click launcher starts), driven
through a pseudo-terminal as a clerk would: keys typed, Enter pressed, messages read."""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from dicoso.cli import menu

from conftest import ROOT, SAMPLES

pexpect = pytest.importorskip("pexpect")  # pseudo-terminals are POSIX: the menu is driven here, not on Windows


def drop(tmp_path: Path) -> Path:
    """A drop folder with spaces and Vietnamese letters in its path."""
    folder = tmp_path / "Văn phòng" / "Sổ đi cơ sở 2020"
    folder.mkdir(parents=True)
    shutil.copy2(SAMPLES / "Danh sach can bo chuyen trach 2020.xlsx", folder)
    shutil.copytree(SAMPLES / "Ban XDD", folder / "Ban XDD")
    return folder


def start(results: Path) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "CI")}
    env.update(LANG="C.UTF-8", TERM="xterm")
    child = pexpect.spawn(sys.executable, ["generate.py", "menu", "--ra", str(results)], cwd=str(ROOT), env=env,
                          encoding="utf-8", timeout=180, dimensions=(50, 140))
    return child


def finish(child: pexpect.spawn) -> int:
    child.expect("Chọn một số rồi bấm Enter: ")
    child.sendline("0")
    child.expect("Bấm Enter để đóng cửa sổ…")  # the window waits so the messages can be read
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_a_clerk_makes_the_year_end_report_from_the_menu(tmp_path):
    folder, results = drop(tmp_path), tmp_path / "Kết quả"
    child = start(results)
    # first use: the drop folder is asked for; dragged into the window it arrives in quotes
    child.expect("Thư mục nộp sổ: ")
    child.sendline(f'"{folder}"')
    child.expect("Đã ghi nhớ thư mục nộp sổ")
    child.expect("Chọn một số rồi bấm Enter: ")
    child.sendline("3")
    # the latest year with data is proposed, Enter takes it; today is proposed as the as-of date
    child.expect(r"Báo cáo năm nào\? \[Enter = 2020\]: ")
    child.sendline("")
    child.expect(rf"Ngày chốt số liệu\? \[Enter = hôm nay, {date.today():%d/%m/%Y}\]: ")
    child.sendline("05/01/2021")
    child.expect(r"Kỳ báo cáo: 2020 \(01/03/2020 – 31/12/2020\), số liệu chốt đến ngày 05/01/2021\.")
    child.expect(f"Kết quả đã ghi vào {results / '2020'}:")
    child.expect("bao-cao-2020.docx")
    child.expect("Bấm Enter để quay lại menu…")
    child.sendline("")
    assert finish(child) == 0
    assert (results / "2020" / "bao-cao-2020.docx").is_file()
    manifest = json.loads((results / "2020" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["period"]["label"], manifest["as_of"]) == ("2020", "2021-01-05")
    assert json.loads((results / "cai-dat.json").read_text(encoding="utf-8")) == {"thu_muc_nop_so": str(folder)}

    # the next time the folder is remembered; a quarter typed as the office writes it
    child = start(results)
    child.expect(f"Thư mục nộp sổ: {folder}")
    child.expect("Chọn một số rồi bấm Enter: ")
    assert "Nhập thư mục nộp sổ" not in child.before
    child.sendline("2")
    child.expect(r"Báo cáo quý nào\? \[Enter = IV/2020\]: ")
    child.sendline("Quý V/2020")  # a mistake is explained and asked again
    child.expect('Quý "Quý V/2020" không hợp lệ')
    child.expect(r"Báo cáo quý nào\? ")
    child.sendline("Quý III/2020")
    child.expect(r"Ngày chốt số liệu\? ")
    child.sendline("")
    child.expect(f"Kết quả đã ghi vào {results / '2020-Q3'}:")
    child.expect("Bấm Enter để quay lại menu…")
    child.sendline("")
    assert finish(child) == 0
    manifest = json.loads((results / "2020-Q3" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["period"]["label"], manifest["as_of"]) == ("2020-Q3", date.today().isoformat())


def test_checking_the_books_and_a_wrong_folder_from_the_menu(tmp_path):
    folder, results = drop(tmp_path), tmp_path / "Kết quả"
    child = start(results)
    child.expect("Thư mục nộp sổ: ")
    child.sendline(str(tmp_path / "không có"))
    child.expect("Không tìm thấy thư mục")
    child.expect("Thư mục nộp sổ: ")
    child.sendline(f"& '{folder}'")  # dragged into PowerShell
    child.expect("Chọn một số rồi bấm Enter: ")
    child.sendline("9")
    child.expect('Không có mục "9"; chọn một số từ 0 đến 7.')
    child.expect("Chọn một số rồi bấm Enter: ")
    child.sendline("4")
    child.expect("Chế độ kiểm tra: không lập báo cáo. Có 1 lỗi cần sửa.")
    child.expect("Bấm Enter để quay lại menu…")
    child.sendline("")
    assert finish(child) == 0
    assert not (results / "2020").exists()  # checking writes nothing


def test_closing_the_input_leaves_the_menu_quietly(tmp_path):
    folder, results = drop(tmp_path), tmp_path / "Kết quả"
    menu.save_settings(results, {"thu_muc_nop_so": str(folder)})
    child = start(results)
    child.expect("Chọn một số rồi bấm Enter: ")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "Traceback" not in child.before


@pytest.mark.parametrize("typed", ['"D:\\Sổ đi cơ sở"', "'D:\\Sổ đi cơ sở'", "& 'D:\\Sổ đi cơ sở'",
                                   "“D:\\Sổ đi cơ sở”", "  D:\\Sổ đi cơ sở  "])
def test_a_folder_typed_or_dragged_in_any_console_is_read_as_the_path(typed):
    assert str(menu.typed_path(typed)) == "D:\\Sổ đi cơ sở"


def test_periods_are_proposed_as_the_office_writes_them():
    assert [menu.shown_period(k, v) for k, v in [("year", "2020"), ("quarter", "2020-Q4"), ("month", "2020-05")]] == \
        ["2020", "IV/2020", "5/2020"]


def test_a_remembered_folder_that_is_gone_is_asked_for_again(tmp_path, monkeypatch, capsys):
    results, folder = tmp_path / "Kết quả", drop(tmp_path)
    menu.save_settings(results, {"thu_muc_nop_so": str(tmp_path / "đã xoá")})
    answers = iter([str(folder), "0", ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": (print(prompt, end=""), next(answers))[1])
    assert menu.menu(["--ra", str(results)], run=lambda argv: 0) == 0
    out = capsys.readouterr().out
    assert f'Thư mục nộp sổ đã ghi nhớ "{tmp_path / "đã xoá"}" không còn; chọn lại.' in out
    assert menu.load_settings(results) == {"thu_muc_nop_so": str(folder)}
