"""Faults while the outputs are written and put in place: real processes, real signals, a real
small file system (issue 15, "Outputs lost" and the messages about them).

Every test starts from a previous run's outputs and runs the program again with one fault:
a kill or a Ctrl+C at a rename of the publish step, two or three runs at once, a run
holding the folder (alive, or killed), a leftover staging folder, a full disk, no write
permission, a read-only disk, a folder in the place of a file, a report edited by hand.
Afterwards the previous run is whole in one place, the message is one Vietnamese line
saying what became of the outputs, and there is no traceback.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
from pathlib import Path

import pytest
from faults import (
    LINUX,
    YEAR,
    as_clerk,
    assert_kept,
    assert_no_traceback,
    fault,
    fill,
    finish,
    generate,
    output_set,
    permissions_apply,
    places,
    small_disk,
    small_drop,
    start,
)

from dicoso.cli.main import main

from conftest import SAMPLES

pytestmark = pytest.mark.skipif(not LINUX, reason="real signals, /proc and tmpfs (Linux)")
KEPT = "Kết quả cũ vẫn được giữ nguyên."


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> tuple[Path, Path]:
    """A drop folder and the outputs of a first run into it (copied by each test)."""
    base = tmp_path_factory.mktemp("first")
    drop = small_drop(base / "Sổ đi cơ sở 2020")
    out = base / "Kết quả"
    run = generate(drop, *YEAR, "--out", out)
    assert run.code == 0, run.text
    return drop, out


@pytest.fixture
def previous(first, tmp_path) -> tuple[Path, Path, dict[str, str]]:
    """(drop folder with one more book, output folder holding the previous run, its outputs)."""
    drop = shutil.copytree(first[0], tmp_path / "Sổ đi cơ sở 2020")
    out = shutil.copytree(first[1], tmp_path / "Kết quả")
    shutil.copy2(SAMPLES / "Ban XDD" / "XDD thang 05-2020.xlsx", drop / "Ban XDD")  # the next run differs
    return drop, out, output_set(out)


def refused(drop: Path, out: Path, **kw) -> str:
    """One faulted run that must stop: exit 1, no traceback, one error line (returned)."""
    fault()
    run = generate(drop, *YEAR, "--out", out, **kw)
    assert run.code == 1, run.text
    assert_no_traceback(run)
    [line] = run.error_lines()
    return line


def staging_left(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if p.name.startswith(".dang-ghi-")]


def history_runs(out: Path) -> int:
    return len(list((out / "lich-su").iterdir())) if (out / "lich-su").is_dir() else 0


# --- kills and Ctrl+C inside the publish step ------------------------------------------
RENAMES = 13  # the journal, 6 old files into history, 6 new files into place


def test_the_publish_step_makes_the_renames_these_tests_aim_at(previous):
    drop, out, old = previous
    run = generate(drop, *YEAR, "--out", out, spec="kill@rename:99")  # counts, never strikes
    assert run.code == 0, run.text
    assert len(old) == 6 and len(output_set(out)) == 6  # 1 + 6 + 6 renames


@pytest.mark.parametrize("k", [1, 4, 8, 13])  # journal, old files moving, new files moving, the last
def test_a_kill_at_any_rename_loses_nothing_and_the_next_run_finishes_or_undoes_it(previous, k):
    drop, out, old = previous
    fault()
    killed = generate(drop, *YEAR, "--out", out, spec=f"kill@rename:{k}")
    assert killed.code == -signal.SIGKILL, killed.text
    # at the instant of the kill every file of the previous run is whole somewhere
    here = {n: sha for place in places(out) for n, sha in place.items()}
    assert all(here.get(n) == sha for n, sha in old.items()) or any(
        (p / "cong-bo.json").exists() for p in out.iterdir() if p.name.startswith(".dang-ghi-")), (k, places(out))
    after = generate(drop, *YEAR, "--out", out)
    assert after.code == 0, after.text
    assert_no_traceback(after)
    assert "Lần chạy trước vào thư mục này" in after.out  # the killed run's lock, named
    assert_kept(old, out, f"after a kill at rename {k}")
    assert staging_left(out) == [] and not (out / "dang-ghi-ket-qua.lock").exists()
    assert len(output_set(out)) == 6


@pytest.mark.parametrize("k", [3, 13])
def test_ctrl_c_at_a_rename_puts_the_previous_run_back_and_says_so(previous, k):
    drop, out, old = previous
    fault()
    run = generate(drop, *YEAR, "--out", out, spec=f"int@rename:{k}")
    assert run.code == 1, run.text
    assert_no_traceback(run)
    assert run.error_lines() == [f"LỖI: Đã dừng theo yêu cầu (Ctrl+C); chưa ghi kết quả mới. {KEPT}"]
    assert output_set(out) == old and history_runs(out) == 0 and staging_left(out) == []


def test_ctrl_c_once_the_outputs_are_in_place_says_they_are(previous):
    drop, out, old = previous
    fault()
    run = generate(drop, *YEAR, "--out", out, spec="int@published")
    assert run.code == 1, run.text
    assert_no_traceback(run)
    assert run.error_lines() == [f"LỖI: Đã dừng theo yêu cầu (Ctrl+C); kết quả mới đã được ghi đầy đủ vào {out}."]
    assert_kept(old, out)
    assert output_set(out) != old and len(output_set(out)) == 6 and history_runs(out) == 1


# --- runs into one folder at the same time ----------------------------------------------
def test_three_runs_at_once_into_one_folder_write_one_after_the_other(previous):
    drop, out, old = previous
    fault(3)
    procs = [start(drop, *YEAR, "--out", out) for _ in range(3)]
    runs = [finish(p) for p in procs]
    for run in runs:
        assert run.code == 0, run.text
        assert_no_traceback(run)
        assert "Kết quả đã ghi vào" in run.out
    assert_kept(old, out)
    # each run's set is whole somewhere: the last in place, the two before it in history
    assert history_runs(out) == 3 and all(len(p) == 6 for p in places(out))
    assert staging_left(out) == []


@pytest.fixture
def holder(previous):
    """Another run holding the output folder (a real process, alive until the test ends)."""
    drop, out, old = previous
    proc = start(spec=f"hold-lock:{out}")
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(10)


def test_a_run_finding_the_folder_held_names_the_holder_and_touches_nothing(previous, holder):
    drop, out, old = previous
    line = refused(drop, out, env={"DICOSO_LOCK_WAIT_SECONDS": "1"})
    assert f"Một lần chạy khác đang ghi kết quả vào thư mục {out}" in line
    assert f"máy {socket.gethostname()}" in line and f"tiến trình {holder.pid}" in line
    assert "người dùng " in line and "ngày " in line  # since when
    assert "Kết quả hiện có không bị động đến" in line
    assert output_set(out) == old and staging_left(out) == []


def test_a_lock_left_by_a_killed_run_is_taken_over(previous, holder):
    drop, out, old = previous
    fault()
    holder.kill()
    holder.wait(10)
    run = generate(drop, *YEAR, "--out", out, env={"DICOSO_LOCK_WAIT_SECONDS": "1"})
    assert run.code == 0, run.text
    assert f"tiến trình {holder.pid}" in run.out and "đã dừng giữa chừng" in run.out
    assert_kept(old, out)


def test_staging_folders_left_by_a_killed_run_are_cleaned_by_the_next(previous):
    drop, out, old = previous
    fault()
    left = out / ".dang-ghi-k1ll3d"
    left.mkdir()
    (left / "tong-hop-2020.xlsx").write_bytes(b"half a workbook")
    run = generate(drop, *YEAR, "--out", out)
    assert run.code == 0, run.text
    assert "Đã xoá thư mục tạm .dang-ghi-k1ll3d" in run.out
    assert staging_left(out) == []
    assert_kept(old, out)


# --- the disk and the folder refuse ------------------------------------------------------
@pytest.mark.parametrize("leave_kb", [0, 48])
def test_a_full_disk_says_how_much_room_is_needed_and_keeps_the_previous_run(previous, tmp_path, leave_kb):
    drop, out, old = previous
    with small_disk(tmp_path / "usb", 1024) as disk:
        target = shutil.copytree(out, disk / "Kết quả")
        fill(disk, leave_kb)
        line = refused(drop, target)
        assert f"Ổ đĩa chứa thư mục kết quả {target} đã đầy (còn trống" in line and " MB cho kết quả" in line
        assert line.endswith(KEPT)
        assert output_set(target) == old and staging_left(target) == []


def test_a_first_run_on_a_full_disk_does_not_claim_old_results(previous, tmp_path):
    drop, out, old = previous
    with small_disk(tmp_path / "usb", 512) as disk:
        fill(disk, 0)
        line = refused(drop, disk / "Kết quả")
        assert "đã đầy" in line and line.endswith("Chưa ghi tệp kết quả nào.") and KEPT not in line


def test_a_read_only_disk_is_named_as_such(previous, tmp_path):
    drop, out, old = previous
    with small_disk(tmp_path / "ro", 2048) as disk:
        target = shutil.copytree(out, disk / "Kết quả")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        line = refused(drop, target)
        assert "chỉ cho phép đọc" in line and line.endswith(KEPT)
        assert output_set(target) == old


needs_permissions = pytest.mark.skipif(not LINUX or not permissions_apply(), reason="file permissions cannot be enforced here")


@needs_permissions
def test_no_permission_to_write_the_output_folder_names_it(previous):
    drop, out, old = previous
    out.chmod(0o555)
    try:
        fault()
        run = generate(drop, *YEAR, "--out", out, preexec_fn=as_clerk)
    finally:
        out.chmod(0o755)
    assert run.code == 1
    assert_no_traceback(run)
    [line] = run.error_lines()
    assert f"Không có quyền ghi vào thư mục {out}" in line and line.endswith(KEPT)
    assert output_set(out) == old


@needs_permissions
def test_a_read_only_history_folder_is_named_and_nothing_moves(previous):
    drop, out, old = previous
    (out / "lich-su").mkdir()
    (out / "lich-su").chmod(0o555)
    try:
        fault()
        run = generate(drop, *YEAR, "--out", out, preexec_fn=as_clerk)
    finally:
        (out / "lich-su").chmod(0o755)
    assert run.code == 1
    assert_no_traceback(run)
    [line] = run.error_lines()
    assert f"Không có quyền ghi vào thư mục {out / 'lich-su'}" in line and line.endswith(KEPT)
    assert output_set(out) == old and staging_left(out) == []


def test_a_folder_in_the_place_of_an_output_is_named(previous):
    drop, out, old = previous
    (out / "summary.json").unlink()
    (out / "summary.json").mkdir()
    del old["summary.json"]
    line = refused(drop, out)
    assert 'một thư mục tên "summary.json"' in line and line.endswith(KEPT)
    assert output_set(out) == old


# --- the clerk's own work in the output folder ---------------------------------------------
def test_a_report_edited_by_hand_is_announced_and_kept_in_history_as_edited(previous):
    drop, out, old = previous
    report = out / "bao-cao-2020.docx"
    edited = report.read_bytes() + b"\0the clerk's changes"
    report.write_bytes(edited)
    fault()
    run = generate(drop, *YEAR, "--out", out, "-q")
    assert run.code == 0, run.text
    [notice] = [line for line in run.err.splitlines() if line.startswith("CHÚ Ý:")]
    assert "bao-cao-2020.docx" in notice and "đã được sửa tay" in notice and "(đã sửa tay).docx" in notice
    [history] = list((out / "lich-su").iterdir())
    assert (history / "bao-cao-2020 (đã sửa tay).docx").read_bytes() == edited
    assert not (history / "bao-cao-2020.docx").exists()


def test_save_as_copies_and_the_office_s_files_stay_where_they_are(previous):
    drop, out, old = previous
    office = {"bao-cao-2020 ban trinh ky.docx": b"signed", "bao-cao-tong-ket-nam-2019.docx": b"2019",
              "tong-hop-ke-hoach.xlsx": b"plan"}
    for name, data in office.items():
        (out / name).write_bytes(data)
    run = generate(drop, *YEAR, "--out", out)
    assert run.code == 0, run.text
    assert all((out / n).read_bytes() == d for n, d in office.items())
    [history] = list((out / "lich-su").iterdir())
    assert sorted(p.name for p in history.iterdir() if p.is_file()) == sorted(old)
    assert (history / "theo-ban").is_dir()  # the per-Ban folder moves whole


# --- out of memory -------------------------------------------------------------------------
def test_out_of_memory_is_said_in_vietnamese_with_what_to_do(previous, capsys, monkeypatch):
    drop, out, old = previous
    from dicoso.rules import engine

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(engine, "compute", exhausted)
    fault()
    code = main([str(drop), *YEAR, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "Máy không đủ bộ nhớ (RAM)" in err and "Đóng bớt các chương trình khác" in err and KEPT in err
    assert output_set(out) == old


def test_out_of_memory_in_a_real_process_is_said_in_vietnamese(previous):
    """Real processes whose address space is capped at a few sizes: whatever allocation fails
    first (a library that cannot be mapped, pandas' tables), the clerk reads the Vietnamese
    line, never a traceback, and the previous outputs stay. (Far lower, the numerical
    library aborts while it loads, before any line of the program runs: not tried.)"""
    import resource

    drop, out, old = previous
    said = 0
    for mb in (140, 170, 200):
        def cap(mb: int = mb) -> None:
            resource.setrlimit(resource.RLIMIT_AS, (mb << 20, mb << 20))

        fault()
        run = generate(drop, *YEAR, "--out", out, preexec_fn=cap, env={"DICOSO_SEQUENTIAL": "1"})
        assert_no_traceback(run)
        assert output_set(out) == old or run.code == 0
        if run.code == 0:
            old = output_set(out)
            continue
        if "OpenBLAS" in run.err and not run.error_lines():
            continue  # aborted by the library's C code while loading, before the program's first line
        assert run.code == 1 and any("Máy không đủ bộ nhớ (RAM)" in line for line in run.error_lines()), run.err[-2000:]
        said += 1
    if not said:
        pytest.skip("no capped size made the run run out of memory on this machine")
