"""Faults in the drop folder: every book read or named, never a hang (issues 14 and 15).

An unreadable subfolder, a folder reached through a link (and a link looping back), a
path longer than Windows' 260 characters and one longer than the system allows, a FIFO
named like a book, a book whose read stalls, a worker that dies on a book, and an output
folder inside the drop folder: each book is read or named among the skipped files and the
problems, the run ends, and the tool never reads its own outputs or history as books.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from faults import (
    LINUX,
    YEAR,
    as_clerk,
    assert_accounted,
    assert_no_traceback,
    fault,
    generate,
    permissions_apply,
    small_drop,
)

from dicoso.job import Options
from dicoso.pipeline import run as run_pipeline
from dicoso.read import discover
from dicoso.read import folder as reader
from dicoso.read.folder import PARALLEL_MIN_BOOKS, read_folder
from dicoso.read.limits import Limits

from conftest import AS_OF, SAMPLES, cli

XDD = SAMPLES / "Ban XDD"


def books_in(drop: Path) -> list[str]:
    """Every file under `drop` named like a book, as the reader names it (relative, forward slashes)."""
    out = []
    for root, dirs, files in os.walk(drop, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for f in files:
            if discover.skip_reason(f) is None:
                out.append(Path(root, f).relative_to(drop).as_posix())
    return sorted(out)


def read_run(drop: Path, out: Path, *extra: str, preexec_fn=None) -> tuple[dict, list[str], str]:
    """A real run: (summary.json, the manifest's inputs, what it printed)."""
    run = generate(drop, *YEAR, "--out", out, *extra, preexec_fn=preexec_fn)
    assert run.code == 0, run.text
    assert_no_traceback(run)
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    inputs = [i["path"] for i in json.loads((out / "manifest.json").read_text("utf-8"))["inputs"]]
    return summary, inputs, run.text


needs_permissions = pytest.mark.skipif(not LINUX or not permissions_apply(), reason="file permissions cannot be enforced here")


@needs_permissions
def test_an_unreadable_subfolder_is_named_and_its_books_are_not_silently_dropped(tmp_path):
    drop = small_drop(tmp_path / "drop")
    locked = drop / "Ban Tuyên giáo"
    shutil.copytree(SAMPLES / "Ban Tuyen giao", locked)
    locked.chmod(0)
    try:
        fault()
        summary, inputs, text = read_run(drop, tmp_path / "out", preexec_fn=as_clerk)
    finally:
        locked.chmod(0o755)
    assert "Bỏ qua Ban Tuyên giáo/: không mở được thư mục (không có quyền đọc)" in text
    [issue] = [i for i in summary["issues"] if i["code"] == "folder_unreadable"]
    assert issue["file"] == "Ban Tuyên giáo/" and issue["severity"] == "error"
    assert_accounted(summary, inputs, books_in(drop))


@needs_permissions
def test_an_unreadable_book_is_named_and_the_others_are_read(tmp_path):
    drop = small_drop(tmp_path / "drop")
    (drop / "Ban XDD" / "XDD thang 04-2020.xlsx").chmod(0)
    fault()
    summary, inputs, text = read_run(drop, tmp_path / "out", preexec_fn=as_clerk)
    assert any(i["code"] == "file_unreadable" and i["file"] == "Ban XDD/XDD thang 04-2020.xlsx" for i in summary["issues"])
    assert_accounted(summary, inputs, books_in(drop))


@pytest.mark.skipif(not hasattr(os, "symlink") or not LINUX, reason="symbolic links")
def test_books_behind_a_folder_link_are_read_and_a_link_looping_back_is_named(tmp_path):
    drop = small_drop(tmp_path / "drop")
    elsewhere = shutil.copytree(SAMPLES / "Ban Phong trao", tmp_path / "D" / "Ban Phong trao")
    (drop / "Ban Phong trao").symlink_to(elsewhere, target_is_directory=True)
    (drop / "Ban XDD" / "vòng lặp").symlink_to(drop, target_is_directory=True)
    fault(2)
    summary, inputs, text = read_run(drop, tmp_path / "out")
    assert "Ban Phong trao/BPT thang 03-2020.xlsx" in inputs and len([i for i in inputs if "Phong trao" in i]) == 10
    assert "Bỏ qua Ban XDD/vòng lặp/: liên kết trỏ về một thư mục đã đọc (vòng lặp)" in text
    assert_accounted(summary, inputs, [b for b in books_in(drop)])


def test_a_path_over_260_characters_is_read_and_named(tmp_path):
    drop = small_drop(tmp_path / "drop")
    deep = drop / "Ban XDD" / ("Sổ theo dõi đi cơ sở năm 2020 của Ban Xây dựng Đoàn " * 3).strip() / ("Bản chép lại " * 8).strip()
    deep.mkdir(parents=True)
    shutil.copy2(XDD / "XDD thang 05-2020.xlsx", deep)
    book = (deep / "XDD thang 05-2020.xlsx").relative_to(drop).as_posix()
    assert len(str(deep / "XDD thang 05-2020.xlsx")) >= 260
    fault()
    summary, inputs, text = read_run(drop, tmp_path / "out")
    assert book in inputs
    [warning] = [i for i in summary["issues"] if i["code"] == "path_too_long"]
    assert warning["file"] == book and "260" in warning["message"]


@pytest.mark.skipif(not LINUX, reason="PATH_MAX of Linux")
def test_a_folder_deeper_than_the_system_can_open_is_named(tmp_path):
    drop = small_drop(tmp_path / "drop")
    # build 20 folders of 240 characters each with relative calls (the full path is ~5,000)
    fd = os.open(drop / "Ban XDD", os.O_RDONLY)
    names = []
    try:
        for i in range(20):
            name = f"{i:02d}" + "x" * 238
            os.mkdir(name, dir_fd=fd)
            nxt = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nxt
            names.append(name)
        data = (XDD / "XDD thang 06-2020.xlsx").read_bytes()
        book = os.open("XDD thang 06-2020.xlsx", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(book, data)
        os.close(book)
    finally:
        os.close(fd)
    fault()
    run = generate(drop, *YEAR, "--out", tmp_path / "out")
    assert run.code == 0, run.text
    assert_no_traceback(run)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    [issue] = [i for i in summary["issues"] if i["code"] == "folder_unreadable"]
    assert "đường dẫn quá dài" in issue["message"] and issue["file"].startswith("Ban XDD/00xxx")
    shutil.rmtree(drop / "Ban XDD" / names[0], ignore_errors=True)  # rmtree handles it with file descriptors


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
@pytest.mark.parametrize("books", [0, PARALLEL_MIN_BOOKS], ids=["in-process", "workers"])
def test_a_fifo_named_like_a_book_is_never_opened_and_named(tmp_path, books):
    drop = small_drop(tmp_path / "drop")
    for i in range(books):
        shutil.copy2(XDD / "XDD thang 03-2020.xlsx", drop / "Ban XDD" / f"bản sao {i:02d}.xlsx")
    os.mkfifo(drop / "Ban XDD" / "XDD thang 07-2020.xlsx")
    fault()
    started = time.monotonic()
    run = generate(drop, *YEAR, "--out", tmp_path / "out", timeout=60)
    assert run.code == 0, run.text
    assert time.monotonic() - started < 45
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    [issue] = [i for i in summary["issues"] if i["file"] == "Ban XDD/XDD thang 07-2020.xlsx"]
    assert issue["code"] == "file_not_regular" and "không phải tệp thông thường" in issue["message"]


@pytest.mark.parametrize("books", [3, PARALLEL_MIN_BOOKS], ids=["in-process", "workers"])
def test_a_book_whose_read_stalls_is_given_up_and_named_and_the_others_are_read(tmp_path, monkeypatch, books):
    """A network share that stops answering: the read never returns (a stand-in that blocks)."""
    for i in range(books):
        shutil.copy2(XDD / "XDD thang 03-2020.xlsx", tmp_path / f"b{i:02d}.xlsx")
    real, answer = discover.read_regular, threading.Event()

    def stalls(path: Path) -> bytes:
        if path.name == "b01.xlsx":
            answer.wait(120)  # the share answers once the test is over (the reading thread then ends)
        return real(path)

    monkeypatch.setattr(reader, "read_regular", stalls)
    fault()
    started = time.monotonic()
    try:
        res = read_folder(tmp_path, Limits(read_timeout_seconds=1), workers=2)
    finally:
        answer.set()
    assert time.monotonic() - started < 20
    assert dict(res.files_skipped)["b01.xlsx"].startswith("Đọc sổ quá lâu")
    assert {i.file for i in res.issues if i.code == "file_timeout"} == {"b01.xlsx"}
    assert len(res.inputs) == books and len({f.file for f in res.files}) == books - 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the stand-in reaches the workers by fork")
def test_a_worker_that_dies_on_a_book_is_named_and_the_others_are_read(tmp_path, monkeypatch):
    for i in range(PARALLEL_MIN_BOOKS):
        shutil.copy2(XDD / "XDD thang 03-2020.xlsx", tmp_path / f"b{i:02d}.xlsx")
    real = reader.read_book

    def dies(cand, limits, fetch=None):
        if cand.rel == "b07.xlsx":
            os._exit(137)  # what the system's out-of-memory killer leaves
        return real(cand, limits, fetch)

    monkeypatch.setenv("DICOSO_START_METHOD", "fork")
    monkeypatch.setattr(reader, "read_book", dies)
    fault()
    res = read_folder(tmp_path, Limits(), workers=2)
    assert {i.file: i.code for i in res.issues if i.code.startswith("file_")} == {"b07.xlsx": "file_crashed"}
    assert len({f.file for f in res.files}) == PARALLEL_MIN_BOOKS - 1


def test_an_output_folder_inside_the_drop_folder_keeps_its_books_and_is_never_read_as_books(tmp_path, capsys):
    """--out pointing at a Ban's own folder: its books count; the tool's outputs and history
    written there are never read back as registers, by later runs or by `check`."""
    drop = small_drop(tmp_path / "drop", months=("03", "04", "05"))
    out = drop / "Ban XDD"
    opts = Options(input_dir=drop, period_kind="year", period_value="2020", as_of=AS_OF, out=out, workers=1)
    first = run_pipeline(opts)
    second = run_pipeline(opts)  # now the Ban's folder holds outputs, a manifest, and lich-su/
    third = run_pipeline(opts)
    for result in (first, second, third):
        acc = result.summary["accounting"]
        assert acc["files_read"] == 4 and acc["duplicates_merged"] == 0
        assert sorted(result.data.inputs) == ["Ban XDD/XDD thang 03-2020.xlsx", "Ban XDD/XDD thang 04-2020.xlsx",
                                              "Ban XDD/XDD thang 05-2020.xlsx", "Danh sach can bo chuyen trach 2020.xlsx"]
    assert (out / "lich-su").is_dir() and (out / "tong-hop-2020.xlsx").exists()
    code, stdout, _ = cli(capsys, "check", drop, *YEAR)
    assert "Đã đọc 4 sổ" in stdout and "tong-hop-2020" not in stdout
