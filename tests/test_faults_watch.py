"""Faults under `watch` (issue 15): a watch must survive a week on an office PC.

The watched folder deleted and re-created, renamed away and back (both observers); an
unreadable book and a FIFO dropped in (reported, the others still served); hundreds of
events over a dozen runs with the process's memory and open files measured flat. Every
wait is for a line of the log, bounded.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from faults import LINUX, as_clerk, fault, permissions_apply, small_drop
from test_watch import RUN_DONE, Watcher

from conftest import SAMPLES

pytestmark = pytest.mark.skipif(not LINUX, reason="real signals and /proc (Linux)")
XDD = SAMPLES / "Ban XDD"
GONE, BACK = "không còn (bị xoá, đổi tên", "đã có lại; theo dõi tiếp"


def runs_done(w: Watcher) -> int:
    return w.text().count(RUN_DONE)


@pytest.mark.parametrize("mode", [[], ["--poll"]], ids=["notify", "poll"])
def test_watch_survives_its_folder_deleted_and_recreated_and_renamed_away_and_back(tmp_path, mode):
    drop = small_drop(tmp_path / "Thư mục nộp sổ", months=("03",))
    spare = shutil.copytree(drop, tmp_path / "bản sao")
    out = tmp_path / "Kết quả"
    w = Watcher(drop, out, tmp_path / "watch.log", *mode)
    try:
        w.wait_runs(1)
        # deleted, then made again with its books: said, watched again, one run
        fault()
        shutil.rmtree(drop)
        w.wait_for(GONE)
        shutil.copytree(spare, drop)
        w.wait_for(BACK)
        w.wait_runs(2)
        shutil.copy2(XDD / "XDD thang 04-2020.xlsx", drop / "Ban XDD")
        w.wait_runs(3)
        assert "(1 sổ mới hoặc đã sửa: Ban XDD/XDD thang 04-2020.xlsx)" in w.text()
        # renamed away and back: the same
        fault()
        drop.rename(tmp_path / "đổi tên")
        w.wait_for(GONE, 2)
        (tmp_path / "đổi tên").rename(drop)
        w.wait_for(BACK, 2)
        w.wait_runs(4)
        shutil.copy2(XDD / "XDD thang 05-2020.xlsx", drop / "Ban XDD")
        w.wait_runs(5)
        assert "(1 sổ mới hoặc đã sửa: Ban XDD/XDD thang 05-2020.xlsx)" in w.text()
    finally:
        code = w.stop()
    assert code == 0 and "Traceback" not in w.text(), w.text()[-3000:]


needs_permissions = pytest.mark.skipif(not permissions_apply(), reason="file permissions cannot be enforced here")


@needs_permissions
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_an_unreadable_book_and_a_fifo_are_reported_and_the_other_books_still_served(tmp_path):
    drop = small_drop(tmp_path / "Thư mục nộp sổ", months=("03",))
    out = tmp_path / "Kết quả"
    w = Watcher(drop, out, tmp_path / "watch.log", preexec_fn=as_clerk)
    try:
        w.wait_runs(1)
        fault(2)
        locked = drop / "Ban XDD" / "XDD thang 04-2020.xlsx"
        shutil.copy2(XDD / "XDD thang 04-2020.xlsx", locked)
        locked.chmod(0)
        os.mkfifo(drop / "Ban XDD" / "XDD thang 06-2020.xlsx")
        w.wait_runs(2)
        text = w.text()
        assert "Ban XDD/XDD thang 04-2020.xlsx: Không đọc được tệp" in text
        assert "Ban XDD/XDD thang 06-2020.xlsx: Mục này có tên như sổ Excel nhưng không phải tệp thông thường" in text
        assert "Kết thúc lần lập báo cáo: xong" in text.split(RUN_DONE, 1)[1]
        shutil.copy2(XDD / "XDD thang 05-2020.xlsx", drop / "Ban XDD")  # the others are still served
        w.wait_runs(3)
        assert "Ban XDD/XDD thang 05-2020.xlsx" in w.text().rsplit("Lập báo cáo (", 1)[1]
    finally:
        code = w.stop()
        (drop / "Ban XDD" / "XDD thang 04-2020.xlsx").chmod(0o644)
    assert code == 0 and "Traceback" not in w.text(), w.text()[-3000:]


def _usage(pid: int) -> tuple[int, int]:
    """(resident memory in KiB, open file descriptors) of a process."""
    rss = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
               if line.startswith("VmRSS:"))
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def test_hundreds_of_events_keep_memory_and_open_files_flat(tmp_path):
    drop = small_drop(tmp_path / "Thư mục nộp sổ", months=("03",))
    out = tmp_path / "Kết quả"
    book = drop / "Ban XDD" / "XDD thang 03-2020.xlsx"
    data = book.read_bytes()
    w = Watcher(drop, out, tmp_path / "watch.log", interval=0.2)
    events = 0
    try:
        w.wait_runs(1)
        samples = []
        for burst in range(14):
            # a burst of 30 events: Excel's lock file comes and goes, the book is saved again
            for i in range(10):
                lock = drop / "Ban XDD" / f"~$XDD thang 03-2020 {i}.xlsx"
                lock.write_bytes(b"lock")
                lock.unlink()
                book.write_bytes(data)
                events += 3
            w.wait_runs(burst + 2)
            if burst in (3, 13):
                time.sleep(0.3)  # the run's last writes are closed
                samples.append(_usage(w.proc.pid))
        fault()
        (rss_before, fds_before), (rss_after, fds_after) = samples
        assert events >= 400
        assert fds_after <= fds_before, (fds_before, fds_after)
        assert rss_after - rss_before < 8 * 1024, (rss_before, rss_after)  # KiB over ten runs
        assert runs_done(w) == 15
    finally:
        code = w.stop()
    assert code == 0 and "Traceback" not in w.text(), w.text()[-3000:]


def test_ctrl_c_during_a_watched_run_says_what_became_of_its_outputs(tmp_path):
    drop = small_drop(tmp_path / "Thư mục nộp sổ", months=("03",))
    out = tmp_path / "Kết quả"
    first = Watcher(drop, out, tmp_path / "first.log")
    try:
        first.wait_runs(1)
    finally:
        first.stop()
    before = sorted(p.name for p in out.iterdir())
    fault()
    w = Watcher(drop, out, tmp_path / "watch.log", spec="int@rename:3")  # Ctrl+C while its first run publishes
    code = w.proc.wait(60)
    w.stop()
    text = w.text()
    assert code == 0 and "Traceback" not in text, text
    assert "LỖI: Đã dừng theo yêu cầu (Ctrl+C); chưa ghi kết quả mới. Kết quả cũ vẫn được giữ nguyên." in text
    assert text.rstrip().endswith("Đã dừng theo dõi.")
    assert sorted(p.name for p in out.iterdir()) == before
