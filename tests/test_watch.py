"""`generate.py watch`: its decisions with a fake clock, then one real run per observer.

The decisions (which changes count, when a burst is over, waiting for a copy to
finish) are driven through `Decider` with a fake clock and fake folder states: no
sleeping. One real drop folder per observer (native and --poll) then proves the
wiring: a book copied in -> one new run naming it; lock and temporary files -> named
as ignored in the log (-v) and no run; three books at once -> one run; Ctrl+C ->
exit 0. Every wait there is for a line in the log, bounded.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dicoso.cli.bursts import Change, Decider, relevant

from conftest import ROOT, SAMPLES

XDD = SAMPLES / "Ban XDD"
RUN_START, RUN_DONE = "Lập báo cáo (", "Kết thúc lần lập báo cáo"
INTERVAL = 0.5


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Folder:
    """What `Decider` sees of the drop folder: the books' states, and which are held open."""

    def __init__(self) -> None:
        self.state = 0
        self.held: set[str] = set()

    def look(self) -> int:
        return self.state

    def copying(self, path: str) -> bool:
        return path in self.held


def decider(tmp_path: Path, clock: Clock, folder: Folder, **kw) -> Decider:
    return Decider(tmp_path / "drop", 2.0, clock=clock, look=folder.look, copying=folder.copying, **kw)


def settle(d: Decider, clock: Clock, folder: Folder | None = None, *, changing: int = 0, limit: int = 1000):
    """Step the decider, moving the clock by what it asks, until it runs or has nothing to do.

    `changing`: the first so many looks at the folder see the books still changing.
    Returns (books of the run or None, seconds waited).
    """
    start = clock.now
    for _ in range(limit):
        step = d.step()
        if step is None or isinstance(step, list):
            return step, clock.now - start
        assert step > 0
        clock.now += step
        if folder is not None and changing:
            folder.state += 1
            changing -= 1
    raise AssertionError("the decider never decided")


def book(tmp_path: Path, name: str) -> Change:
    return Change("created", str(tmp_path / "drop" / "Ban XDD" / name))


def test_lock_temporary_and_non_book_files_are_not_relevant(tmp_path):
    assert relevant(str(tmp_path / "Ban XDD" / "XDD thang 05-2020.xlsx"))
    assert relevant(str(tmp_path / "BTG thang 09-2020.ods"))
    for name in ("~$XDD thang 05-2020.xlsx", ".~lock.XDD thang 05-2020.xlsx#", "Thumbs.db", "ghi chú.docx",
                 "XDD thang 05-2020.xlsx.tmp", "~WRL0001.tmp", ".XDD.xlsx.swp"):
        assert not relevant(str(tmp_path / name)), name
    assert not relevant(str(tmp_path / ".dang-ghi-x1" / "tong-hop-2020.xlsx"))


def test_lock_and_temporary_files_are_ignored_with_a_reason_and_start_no_run(tmp_path):
    clock, folder = Clock(), Folder()
    d = decider(tmp_path, clock, folder)
    assert d.offer(book(tmp_path, "~$XDD thang 04-2020.xlsx")) == "tệp khoá tạm của Excel (sinh ra khi sổ đang mở)"
    assert d.offer(book(tmp_path, "~WRL0001.tmp")) == "không phải sổ Excel/ODS (.xlsx, .xlsm, .xls, .ods)"
    assert d.offer(Change("opened", book(tmp_path, "XDD.xlsx").path)) is None  # the run's own reading
    assert d.offer(Change("modified", str(tmp_path / "drop" / "Ban XDD"), is_dir=True)) is None
    assert settle(d, clock) == (None, 0)


def test_one_book_runs_once_after_the_folder_is_quiet_and_the_books_stable(tmp_path):
    clock, folder = Clock(), Folder()
    d = decider(tmp_path, clock, folder)
    assert d.offer(book(tmp_path, "XDD thang 04-2020.xlsx")) is None
    books, waited = settle(d, clock, folder)
    assert books == [book(tmp_path, "XDD thang 04-2020.xlsx").path]
    assert waited == pytest.approx(2.0 + 1.0)  # the quiet interval, then two equal looks a second apart
    assert settle(d, clock) == (None, 0)  # nothing left: no second run


def test_three_books_copied_at_once_make_one_run_naming_all_three(tmp_path):
    clock, folder = Clock(), Folder()
    d = decider(tmp_path, clock, folder)
    for month in ("05", "06", "10"):
        d.offer(book(tmp_path, f"XDD thang {month}-2020.xlsx"))
        clock.now += 0.5  # arriving one after the other, each before the quiet interval ends
    books, _ = settle(d, clock, folder)
    assert [Path(p).name for p in books] == [f"XDD thang {m}-2020.xlsx" for m in ("05", "06", "10")]


def test_a_change_during_the_quiet_interval_restarts_it(tmp_path):
    clock, folder = Clock(), Folder()
    d = decider(tmp_path, clock, folder)
    d.offer(book(tmp_path, "a.xlsx"))
    clock.now += 1.5
    assert d.step() == pytest.approx(0.5)
    d.offer(book(tmp_path, "b.xlsx"))
    assert d.step() == pytest.approx(2.0)


def test_a_slow_copy_runs_once_only_after_the_book_stops_changing(tmp_path):
    clock, folder = Clock(), Folder()
    d = decider(tmp_path, clock, folder)
    d.offer(book(tmp_path, "XDD thang 11-2020.xlsx"))
    books, waited = settle(d, clock, folder, changing=6)  # six more looks see the size still growing
    assert books == [book(tmp_path, "XDD thang 11-2020.xlsx").path]
    assert waited >= 2.0 + 6 * 1.0
    assert settle(d, clock) == (None, 0)


def test_a_book_held_open_by_the_copy_is_waited_for_then_read(tmp_path):
    clock, folder = Clock(), Folder()
    d = decider(tmp_path, clock, folder)
    path = book(tmp_path, "XDD thang 12-2020.xlsx").path
    d.offer(Change("created", path))
    folder.held.add(path)
    for _ in range(5):
        assert isinstance(d.step(), float)
        clock.now += 1.0
    folder.held.clear()
    assert settle(d, clock, folder)[0] == [path]


def test_a_book_that_stays_locked_does_not_block_the_watch_for_ever(tmp_path):
    clock, folder = Clock(), Folder()
    d = decider(tmp_path, clock, folder, max_copy_wait=30)
    path = book(tmp_path, "bi khoa.xlsx").path
    d.offer(Change("created", path))
    folder.held.add(path)  # never released (another PC keeps it open)
    books, waited = settle(d, clock, folder)
    assert books == [path] and 30 <= waited <= 2.0 + 1.0 + 30 + 1.0


def test_the_tool_s_own_outputs_never_trigger_a_run(tmp_path):
    clock, folder = Clock(), Folder()
    drop = tmp_path / "drop"
    # --out pointing at a Ban's folder inside the drop folder: its outputs and history are the
    # tool's, its books are still books.
    d = decider(tmp_path, clock, folder, out=drop / "Ban XDD")
    for name in ("tong-hop-2020.xlsx", "loi-du-lieu-2020.xlsx", "manifest.json", "lich-su/2021-01-05_093000/tong-hop-2020.xlsx",
                 ".dang-ghi-x1/tong-hop-2020.xlsx"):
        assert d.offer(Change("created", str(drop / "Ban XDD" / name))) in (None, "tệp trong thư mục ẩn")
    assert settle(d, clock) == (None, 0)
    d.offer(Change("created", str(drop / "Ban XDD" / "XDD thang 05-2020.xlsx")))
    assert settle(d, clock, folder)[0] == [str(drop / "Ban XDD" / "XDD thang 05-2020.xlsx")]
    # the default output folder (the project's output/): nothing under it counts
    d = Decider(drop, 2.0, out_root=tmp_path / "output", clock=clock, look=folder.look, copying=folder.copying)
    d.offer(Change("created", str(tmp_path / "output" / "2020" / "tong-hop-2020.xlsx")))
    assert settle(d, clock) == (None, 0)


def test_a_run_is_demanded_when_the_watched_folder_comes_back(tmp_path):
    clock, folder = Clock(), Folder()
    d = decider(tmp_path, clock, folder)
    d.demand("thư mục theo dõi đã có lại")
    assert settle(d, clock, folder)[0] == []
    assert d.take_reasons() == ["thư mục theo dõi đã có lại"]


# --- the real thing, once per observer -------------------------------------------------
class Watcher:
    def __init__(self, folder: Path, out: Path, log: Path, *extra: str, interval: float = INTERVAL,
                 preexec_fn=None, spec: str | None = None) -> None:
        self.log = log
        self.fh = log.open("wb")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING",)} | {"PYTHONUNBUFFERED": "1"}
        head = ["tests/fault_child.py", spec] if spec else ["generate.py"]  # tests/fault_child.py: one fault injected
        self.proc = subprocess.Popen(
            [sys.executable, *head, "watch", str(folder), "--out", str(out), "--as-of", "2021-01-05",
             "--interval", str(interval), *extra],
            cwd=ROOT, stdout=self.fh, stderr=subprocess.STDOUT, env=env, preexec_fn=preexec_fn)

    def text(self) -> str:
        return self.log.read_bytes().decode("utf-8", "replace")

    def runs(self) -> int:
        """Runs started (each is logged with its time and cause when it starts)."""
        return self.text().count(RUN_START)

    def wait_for(self, what: str, count: int = 1, timeout: float = 30) -> None:
        """Until `what` has been logged `count` times."""
        deadline = time.monotonic() + timeout
        while self.text().count(what) < count:
            assert self.proc.poll() is None, self.text()
            assert time.monotonic() < deadline, f"no {what!r} x{count} after {timeout} s:\n{self.text()}"
            time.sleep(0.05)

    def wait_runs(self, n: int, timeout: float = 30) -> None:
        """Until run n has finished."""
        self.wait_for(RUN_DONE, n, timeout)

    def summary(self, out: Path) -> dict:
        path = out / "summary.json"
        assert path.exists(), self.text()
        return json.loads(path.read_text("utf-8"))

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=15)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.fh.close()


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT to the child process")
@pytest.mark.parametrize("mode", [[], ["--poll"]], ids=["notify", "poll"])
def test_watch_regenerates_once_per_burst_ignores_lock_files_and_stops_on_ctrl_c(tmp_path, mode):
    drop, out = tmp_path / "Thư mục nộp sổ", tmp_path / "Kết quả"
    xdd = shutil.copytree(XDD, tmp_path / "sổ các Ban gửi")  # the books to drop in, copied up front
    (drop / "Ban XDD").mkdir(parents=True)
    shutil.copy2(SAMPLES / "Danh sach can bo chuyen trach 2020.xlsx", drop)
    shutil.copy2(xdd / "XDD thang 03-2020.xlsx", drop / "Ban XDD")
    w = Watcher(drop, out, tmp_path / "watch.log", "-v", *mode)
    try:
        w.wait_runs(1)  # the first run, at start
        trips = w.summary(out)["accounting"]["trips_counted"]

        # one book arrives -> one run that reads it; the previous run goes to lich-su/
        shutil.copy2(xdd / "XDD thang 04-2020.xlsx", drop / "Ban XDD")
        w.wait_runs(2)
        assert "(1 sổ mới hoặc đã sửa: Ban XDD/XDD thang 04-2020.xlsx)" in w.text()
        assert w.summary(out)["accounting"]["trips_counted"] > trips
        assert len(list((out / "lich-su").iterdir())) == 1

        # Excel's lock file and a temporary file -> named as ignored, no run
        (drop / "Ban XDD" / "~$XDD thang 04-2020.xlsx").write_bytes(b"lock")
        (drop / "Ban XDD" / "~WRL0001.tmp").write_bytes(b"tmp")
        w.wait_for("bỏ qua thay đổi của Ban XDD/~$XDD thang 04-2020.xlsx: tệp khoá tạm của Excel")
        w.wait_for("bỏ qua thay đổi của Ban XDD/~WRL0001.tmp: không phải sổ Excel/ODS")

        # three books at once -> one run naming all three (and nothing else: the lock files
        # seen just before would have been named here had they counted)
        for month in ("05", "06", "10"):
            shutil.copy2(xdd / f"XDD thang {month}-2020.xlsx", drop / "Ban XDD")
        w.wait_runs(3)
        assert ("(3 sổ mới hoặc đã sửa: Ban XDD/XDD thang 05-2020.xlsx, Ban XDD/XDD thang 06-2020.xlsx, "
                "Ban XDD/XDD thang 10-2020.xlsx)") in w.text()
        assert w.runs() == 3
        summary = w.summary(out)
        assert summary["accounting"]["files_read"] == 6 and summary["accounting"]["files_skipped"] == [
            {"file": "Ban XDD/~$XDD thang 04-2020.xlsx", "reason": "tệp khoá tạm của Excel (sinh ra khi sổ đang mở)"},
            {"file": "Ban XDD/~WRL0001.tmp", "reason": "không phải sổ Excel/ODS (.xlsx, .xlsm, .xls, .ods)"}]
    finally:
        code = w.stop()
    text = w.text()
    assert code == 0, text
    assert w.runs() == 3, text
    assert "Traceback" not in text and text.rstrip().endswith("Đã dừng theo dõi.")


def _child_survives_ctrl_c(queue) -> None:  # runs in a forked reader-like worker
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.2)
    queue.put("survived")


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_ctrl_c_stops_the_run_but_not_the_reader_workers_it_forked():
    """A terminal's Ctrl+C reaches every process; an interrupted pool worker would hang the exit."""
    import multiprocessing

    from dicoso.runtime import ctrl_c_in_main_process_only

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        with ctrl_c_in_main_process_only():
            worker = ctx.Process(target=_child_survives_ctrl_c, args=(queue,))
            worker.start()
            worker.join(timeout=10)
            assert (worker.exitcode, queue.get(timeout=5)) == (0, "survived")
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
    assert signal.getsignal(signal.SIGINT) is before
