"""The command line: exit codes, --help, --json, --quiet/--verbose, progress bar, consoles.

Exit codes (README "Exit codes"): 0 report written (warnings listed); 1 the run
could not produce its outputs, `check` found errors, or `--strict` with data
errors; 2 usage errors.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from dicoso.cli.console import Console, wants_progress
from dicoso.cli.main import EXIT_FAIL, EXIT_OK, EXIT_USAGE, main

from conftest import AS_OF_ARGS, ROOT, SAMPLES, cli

HEAVY = ("pandas", "numpy", "openpyxl", "matplotlib", "PIL", "docxtpl", "docx", "python_calamine", "watchdog", "yaml")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """Roster and one Ban's books, in a folder named like the office's (spaces, diacritics)."""
    folder = tmp_path_factory.mktemp("cli") / "Sổ đi cơ sở 2020"
    folder.mkdir()
    shutil.copy2(SAMPLES / "Danh sach can bo chuyen trach 2020.xlsx", folder)
    shutil.copytree(SAMPLES / "Ban XDD", folder / "Ban XDD")
    return folder


def generate(*args, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real entry point in a child process, as the clerk runs it."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")} | (env or {})
    return subprocess.run([sys.executable, "generate.py", *map(str, args)], cwd=ROOT, capture_output=True,
                          env=full_env, timeout=120)


# --- help and usage ---------------------------------------------------------------------
def test_help_imports_nothing_heavy():
    code = ("import sys\nfrom dicoso.cli import main as cli\n"
            "try:\n    cli.main(['--help'])\nexcept SystemExit as e:\n    assert e.code == 0\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("command", [[], ["check"], ["watch"]])
def test_every_command_has_vietnamese_help_with_examples_and_exit_codes(capsys, command):
    with pytest.raises(SystemExit) as exc:
        main([*command, "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    assert out.startswith(f"cách dùng: python generate.py{' ' + command[0] if command else ''} ")
    assert "Ví dụ:" in out and "--as-of, --ngay-chot NGÀY" in out and "--year, --nam NĂM" in out
    if command == ["watch"]:
        assert "--poll" in out and "--interval" in out
    # the clerk's help has no exit codes, no stdout/stderr/traceback, no file names for machines
    for jargon in ("Mã thoát", "mã thoát", "stdout", "stderr", "traceback", "summary.json", "manifest.json", "--json"):
        assert jargon not in out
    with pytest.raises(SystemExit):
        main([*command, "-v", "--help"])
    expert = capsys.readouterr().out
    assert "Mã thoát: 0 đã ghi báo cáo" in expert and "--json" in expert and "--debug" in expert


@pytest.mark.parametrize("args, says", [
    (["--year", "20x0"], 'tùy chọn --year/--nam: Năm "20x0" không hợp lệ'),
    (["--quarter", "2020-Q5"], 'Quý "2020-Q5" không hợp lệ'),
    (["--month", "2020-13"], 'Tháng "2020-13" không hợp lệ'),
    (["--as-of", "31/02/2021"], 'ngày 31/02/2021 không tồn tại'),
    (["--as-of", "01-05"], 'Không hiểu ngày "01-05": thiếu năm'),
    (["--year", "2020", "--month", "2020-04"], "không dùng cùng với --year/--nam"),
    (["-q", "-v"], "không dùng cùng với -q/--quiet/--chi-loi"),
    (["--bogus"], 'không hiểu tùy chọn "--bogus".'),
    (["check", "--pdf"], 'không hiểu tùy chọn "--pdf".'),
    (["watch", "--interval", "0"], '"0" không hợp lệ'),
    (["a", "b"], "không hiểu tham số: b"),
])
def test_usage_errors_exit_2_with_a_vietnamese_hint(capsys, args, says):
    with pytest.raises(SystemExit) as exc:
        main(args)
    err = capsys.readouterr().err
    assert exc.value.code == EXIT_USAGE
    assert says in err
    assert "Lỗi cách gọi lệnh:" in err and "--help" in err


# --- exit codes through the real entry point ----------------------------------------------
def test_exit_codes_of_the_real_program(small, tmp_path):
    ok = generate(small, "--year", "2020", *AS_OF_ARGS, "--out", tmp_path / "Kết quả")
    assert ok.returncode == EXIT_OK, ok.stderr.decode()
    assert "1 lỗi" in ok.stdout.decode()  # data errors are listed, the report is still written
    assert generate("check", small, *AS_OF_ARGS).returncode == EXIT_FAIL
    assert generate(small, "--year", "2020", *AS_OF_ARGS, "--out", tmp_path / "x", "--strict").returncode == EXIT_FAIL
    missing = generate(tmp_path / "không có", "--year", "2020")
    assert missing.returncode == EXIT_FAIL
    assert "Không tìm thấy thư mục dữ liệu" in missing.stderr.decode()
    assert generate("--year", "hai nghìn").returncode == EXIT_USAGE
    for done in (ok, missing):
        assert b"Traceback" not in done.stderr


def test_unexpected_failure_is_one_clear_line_and_exit_1(small, tmp_path, capsys, monkeypatch):
    from dicoso.rules import engine

    def boom(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(engine, "compute", boom)
    code, _, err = cli(capsys, small, "--year", "2020", "--out", tmp_path / "o")
    assert code == EXIT_FAIL
    assert err == ("LỖI: Lỗi ngoài dự kiến của chương trình: ZeroDivisionError: division by zero. "
                   "Chạy lại với --debug để xem chi tiết và gửi cho người bảo trì.\n")
    with pytest.raises(ZeroDivisionError):
        main([str(small), "--year", "2020", "--out", str(tmp_path / "o"), "--debug"])


# --- --json, --quiet, --verbose -----------------------------------------------------------
def test_json_puts_the_summary_alone_on_stdout_and_the_text_on_stderr(small, tmp_path):
    done = generate(small, "--year", "2020", *AS_OF_ARGS, "--out", tmp_path / "o", "--json")
    assert done.returncode == 0
    summary = json.loads(done.stdout.decode("utf-8"))
    assert summary == json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    err = done.stderr.decode("utf-8")
    assert "Đã đọc 9 sổ" in err and f"Kết quả đã ghi vào {tmp_path / 'o'}:" in err


def test_check_with_json_exits_1_and_still_prints_the_summary(small, capsys):
    code, out, err = cli(capsys, "check", small, *AS_OF_ARGS, "--json")
    assert code == EXIT_FAIL
    assert [i["code"] for i in json.loads(out)["issues"] if i["severity"] == "error"] == ["unknown_name"]
    assert "Chế độ kiểm tra" in err


def test_quiet_prints_only_the_errors_each_with_its_book(small, tmp_path, capsys):
    code, out, err = cli(capsys, small, "--year", "2020", *AS_OF_ARGS, "--out", tmp_path / "o", "-q")
    assert code == 0 and out == ""
    assert err.splitlines()[0] == ('[LỖI] Ban XDD/XDD Quy III-2020.xlsx — trang "T8", dòng 11, cột Họ và tên: '
                                   'Tên "Phạm Quốc Kháng" không có trong danh sách cán bộ; chuyến đi này chưa được tính.')
    assert len(err.splitlines()) == 2  # the error and its fix


def test_verbose_details_every_sheet(small, capsys):
    code, out, _ = cli(capsys, "check", small, *AS_OF_ARGS, "-v")
    lines = out.splitlines()
    assert "Chi tiết từng sổ:" in lines
    assert ('  Ban XDD/XDD thang 03-2020.xlsx, trang "T3" (sổ đi cơ sở): đọc 4 dòng, loại 0, bỏ qua 1 '
            "(1 dòng tổng cộng)") in lines


def test_notes_are_shown_only_with_verbose():
    note = {"severity": "info", "code": "duplicate_merged", "file": "a.xlsx", "sheet": "T3", "row": 7,
            "column": "", "message": "Gộp chuyến trùng.", "suggestion": ""}
    quiet_enough, verbose = io.StringIO(), io.StringIO()
    Console(out=quiet_enough).problems([note])
    Console(out=verbose, verbose=True).problems([note])
    assert quiet_enough.getvalue() == ""
    assert verbose.getvalue() == ('\nDanh sách vấn đề dữ liệu (1):\n• a.xlsx\n'
                                  '  [GHI CHÚ] trang "T3", dòng 7: Gộp chuyến trùng.\n')


def test_closing_summary_says_what_was_read_counted_rejected_and_written(small, tmp_path, capsys):
    out_dir = tmp_path / "Kết quả tháng"
    code, out, _ = cli(capsys, small, "--month", "2020-08", *AS_OF_ARGS, "--out", out_dir)
    assert code == 0
    lines = out.splitlines()
    read = next(line for line in lines if line.startswith("Đã đọc "))
    # a month's run counts the month's trips (and says how many lie outside it)
    assert "chuyến trong kỳ 2020-08" in read and "dòng bị loại (có lý do)" in read and "dòng không phải dữ liệu" in read
    at = lines.index(f"Kết quả đã ghi vào {out_dir}:")
    listed = [line.split()[0] for line in lines[at + 1:] if line.startswith("  ")]
    # the files for machines (summary.json, manifest.json) are written but listed only with -v
    assert listed == ["bao-cao-2020-08.docx", "tong-hop-2020-08.xlsx", "loi-du-lieu-2020-08.xlsx", "theo-ban",
                      "bieu-do-2020-08.png"]
    assert all((out_dir / name).exists() for name in [*listed, "summary.json", "manifest.json"])
    code, out, _ = cli(capsys, small, "--month", "2020-08", *AS_OF_ARGS, "--out", out_dir, "-v")
    assert "  summary.json " in out and "  manifest.json " in out


# --- consoles that cannot print Vietnamese ---------------------------------------------------
@pytest.mark.parametrize("encoding", ["ascii", "cp437"])
def test_a_console_that_cannot_print_vietnamese_never_crashes(small, tmp_path, encoding):
    done = generate(small, "--year", "2020", *AS_OF_ARGS, "--out", tmp_path / "Kết quả", env={"PYTHONIOENCODING": encoding})
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    out = done.stdout.decode(encoding)
    # what the console cannot print loses its diacritics (cp437 keeps "ù", "á"), and stays readable
    plain = "".join(c for c in unicodedata.normalize("NFD", out) if not unicodedata.combining(c))
    assert "Da doc 9 so" in plain and "Ket qua da ghi vao" in plain and "Pham Quoc Khang" in plain


def test_json_on_an_ascii_console_is_still_exact(small, tmp_path):
    done = generate(small, "--year", "2020", *AS_OF_ARGS, "--out", tmp_path / "o", "--json", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0
    assert json.loads(done.stdout.decode("ascii")) == json.loads((tmp_path / "o" / "summary.json").read_text("utf-8"))


def test_help_on_an_ascii_console():
    done = generate("--help", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0 and b"cach dung: python generate.py" in done.stdout


# --- progress bar -------------------------------------------------------------------------
class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only():
    assert wants_progress(FakeTerminal(), {"TERM": "xterm"})
    assert not wants_progress(io.StringIO(), {"TERM": "xterm"})  # a pipe or a file
    assert not wants_progress(FakeTerminal(), {"TERM": "xterm", "CI": "true"})
    assert not wants_progress(FakeTerminal(), {"TERM": "dumb"})
    assert Console(out=FakeTerminal(), environ={}).progress_callback() is not None
    assert Console(out=FakeTerminal(), environ={}, quiet=True).progress_callback() is None
    assert Console(out=io.StringIO(), environ={}).progress_callback() is None


def test_progress_bar_draws_over_one_line_and_clears_it():
    term = FakeTerminal()
    con = Console(out=term, environ={})
    tick = con.progress_callback()
    for n in (1, 2, 3, 4):
        tick(n, 4, f"Ban XDD/XDD thang 0{n + 2}-2020.xlsx")
    assert "\n" not in term.getvalue()
    last = term.getvalue().split("\r")[-1]
    assert last.startswith("Đang đọc sổ [########################] 4/4 Ban XDD/XDD thang 06-2020.xlsx")
    con.end_progress()
    assert term.getvalue().endswith("\r") and term.getvalue().split("\r")[-2].strip() == ""


def test_a_run_on_a_terminal_shows_the_bar_and_a_pipe_does_not(small, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    term = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", term)
    assert main([str(small), "--year", "2020", *AS_OF_ARGS, "--out", str(tmp_path / "a")]) == 0
    assert "] 9/9 " in term.getvalue() and "Đang đọc sổ [" in term.getvalue()
    monkeypatch.undo()
    code, out, err = cli(capsys, small, "--year", "2020", *AS_OF_ARGS, "--out", tmp_path / "b")
    assert code == 0 and "Đang đọc sổ" not in out + err and "\r" not in out + err


def test_a_bad_limit_in_the_environment_is_a_clear_message_and_exit_1(small, capsys, monkeypatch):
    monkeypatch.setenv("DICOSO_MAX_ROWS_PER_SHEET", "abc")
    code, out, err = cli(capsys, "check", str(small))
    assert code == EXIT_FAIL
    assert 'DICOSO_MAX_ROWS_PER_SHEET="abc" phải là một số nguyên dương' in err
    assert "Lỗi ngoài dự kiến" not in out + err
