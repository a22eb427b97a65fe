"""`generate.py watch` on a real temporary drop folder, with both observers.

A book copied in -> one new run; an Excel lock file or a temporary file -> no run;
three books copied at once -> one run; Ctrl+C -> clean exit 0, no traceback.
Every wait is bounded; the whole file takes well under a minute.
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

from dicoso.cli.watch import relevant

from conftest import ROOT, SAMPLES

XDD = SAMPLES / "Ban XDD"
RUN_START, RUN_DONE = "Lập báo cáo (", "Kết thúc lần lập báo cáo"
INTERVAL = 0.5
SETTLE = INTERVAL * 3 + 0.5  # long enough for a spurious run to have started

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT to the child process")


def test_lock_temporary_and_non_book_files_are_not_relevant(tmp_path):
    assert relevant(str(tmp_path / "Ban XDD" / "XDD thang 05-2020.xlsx"))
    assert relevant(str(tmp_path / "BTG thang 09-2020.ods"))
    for name in ("~$XDD thang 05-2020.xlsx", ".~lock.XDD thang 05-2020.xlsx#", "Thumbs.db", "ghi chú.docx",
                 "XDD thang 05-2020.xlsx.tmp", "~WRL0001.tmp", ".XDD.xlsx.swp"):
        assert not relevant(str(tmp_path / name)), name
    assert not relevant(str(tmp_path / ".dang-ghi-x1" / "tong-hop-2020.xlsx"))


class Watcher:
    def __init__(self, folder: Path, out: Path, log: Path, *extra: str) -> None:
        self.log = log
        self.fh = log.open("wb")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING",)} | {"PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "generate.py", "watch", str(folder), "--out", str(out), "--as-of", "2021-01-05",
             "--interval", str(INTERVAL), *extra],
            cwd=ROOT, stdout=self.fh, stderr=subprocess.STDOUT, env=env)

    def text(self) -> str:
        return self.log.read_bytes().decode("utf-8", "replace")

    def runs(self) -> int:
        """Runs started (each is logged with its time and cause when it starts)."""
        return self.text().count(RUN_START)

    def wait_runs(self, n: int, timeout: float = 20) -> None:
        """Until run n has finished."""
        deadline = time.monotonic() + timeout
        while self.text().count(RUN_DONE) < n:
            assert self.proc.poll() is None, self.text()
            assert time.monotonic() < deadline, f"no run {n} after {timeout} s:\n{self.text()}"
            time.sleep(0.1)

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


@pytest.mark.parametrize("mode", [[], ["--poll"]], ids=["notify", "poll"])
def test_watch_regenerates_once_per_burst_ignores_lock_files_and_stops_on_ctrl_c(tmp_path, mode):
    drop, out = tmp_path / "Thư mục nộp sổ", tmp_path / "Kết quả"
    xdd = shutil.copytree(XDD, tmp_path / "sổ các Ban gửi")  # the books to drop in, copied up front
    (drop / "Ban XDD").mkdir(parents=True)
    shutil.copy2(SAMPLES / "Danh sach can bo chuyen trach 2020.xlsx", drop)
    shutil.copy2(xdd / "XDD thang 03-2020.xlsx", drop / "Ban XDD")
    w = Watcher(drop, out, tmp_path / "watch.log", *mode)
    try:
        w.wait_runs(1, timeout=30)  # the first run, at start
        trips = w.summary(out)["accounting"]["trips_counted"]

        # one book arrives -> one run that reads it; the previous run goes to lich-su/
        shutil.copy2(xdd / "XDD thang 04-2020.xlsx", drop / "Ban XDD")
        w.wait_runs(2)
        assert "(1 sổ mới hoặc đã sửa: Ban XDD/XDD thang 04-2020.xlsx)" in w.text()
        assert w.summary(out)["accounting"]["trips_counted"] > trips
        assert len(list((out / "lich-su").iterdir())) == 1

        # Excel's lock file and a temporary file -> nothing
        (drop / "Ban XDD" / "~$XDD thang 04-2020.xlsx").write_bytes(b"lock")
        (drop / "Ban XDD" / "~WRL0001.tmp").write_bytes(b"tmp")
        time.sleep(SETTLE)
        assert w.runs() == 2

        # three books at once -> one run naming all three
        for month in ("05", "06", "10"):
            shutil.copy2(xdd / f"XDD thang {month}-2020.xlsx", drop / "Ban XDD")
        w.wait_runs(3)
        time.sleep(SETTLE)
        assert w.runs() == 3
        assert ("(3 sổ mới hoặc đã sửa: Ban XDD/XDD thang 05-2020.xlsx, Ban XDD/XDD thang 06-2020.xlsx, "
                "Ban XDD/XDD thang 10-2020.xlsx)") in w.text()

        # a book copied slowly (a network share) -> one run, after the copy has finished
        data = (xdd / "XDD thang 11-2020.xlsx").read_bytes()
        with (drop / "Ban XDD" / "XDD thang 11-2020.xlsx").open("wb") as fh:
            for k in range(5):
                fh.write(data[k * len(data) // 5:(k + 1) * len(data) // 5])
                fh.flush()
                time.sleep(INTERVAL * 0.6)
        w.wait_runs(4)
        time.sleep(SETTLE)
        assert w.runs() == 4
        summary = w.summary(out)
        assert summary["accounting"]["files_read"] == 7 and summary["accounting"]["files_skipped"] == [
            {"file": "Ban XDD/~$XDD thang 04-2020.xlsx", "reason": "tệp khoá tạm của Excel (sinh ra khi sổ đang mở)"},
            {"file": "Ban XDD/~WRL0001.tmp", "reason": "không phải sổ Excel/ODS (.xlsx, .xlsm, .xls, .ods)"}]
        assert w.text().count(RUN_DONE) == 4
    finally:
        code = w.stop()
    text = w.text()
    assert code == 0, text
    assert "Traceback" not in text and text.rstrip().endswith("Đã dừng theo dõi.")


def _child_survives_ctrl_c(queue) -> None:  # runs in a forked reader-like worker
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.2)
    queue.put("survived")


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
