"""The output folder's lock without OS locks, and what each OS error tells the clerk.

The real lock between real processes is in tests/test_faults_publish.py; here the cases
a single machine cannot stage: a share without byte-range locks (the lock file's
contents decide), a holder on another machine, and the Windows error numbers.
"""

from __future__ import annotations

import errno
import json
import os
import socket
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from dicoso.publish import lock
from dicoso.publish.failures import explain

KEPT, NOTHING = "Kết quả cũ vẫn được giữ nguyên.", "Chưa ghi tệp kết quả nào."


def holder_file(folder: Path, machine: str, pid: int, since: datetime) -> None:
    (folder / lock.LOCK_NAME).write_text(json.dumps(
        {"machine": machine, "user": "vanthu", "pid": pid, "since": since.isoformat(timespec="seconds")}), "utf-8")


@pytest.fixture
def no_os_locks(monkeypatch):
    """A share that refuses byte-range locks (an old NAS, NFS without its lock daemon)."""
    monkeypatch.setattr(lock, "byte_lock", lambda fd: False)


def test_without_os_locks_a_recent_holder_on_another_machine_is_waited_for_and_named(tmp_path, no_os_locks):
    holder_file(tmp_path, "VP-MAY-2", 4242, datetime.now() - timedelta(minutes=3))
    with pytest.raises(lock.OutputBusy) as info:
        lock.acquire(tmp_path, wait=0.3)
    assert "máy VP-MAY-2, người dùng vanthu, tiến trình 4242, từ " in info.value.message
    assert lock.read_holder(tmp_path / lock.LOCK_NAME).machine == "VP-MAY-2"  # untouched


def test_without_os_locks_a_holder_gone_for_hours_or_a_dead_process_here_is_taken_over(tmp_path, no_os_locks):
    holder_file(tmp_path, "VP-MAY-2", 4242, datetime.now() - timedelta(hours=3))
    held = lock.acquire(tmp_path)
    assert held.stale is not None and held.stale.machine == "VP-MAY-2"
    lock.release(held)
    assert not (tmp_path / lock.LOCK_NAME).exists()
    dead = os.fork() if hasattr(os, "fork") else None
    if dead == 0:
        os._exit(0)
    if dead:
        os.waitpid(dead, 0)
        holder_file(tmp_path, socket.gethostname(), dead, datetime.now())
        held = lock.acquire(tmp_path)
        assert held.stale is not None and held.stale.pid == dead
        lock.release(held)


def test_without_os_locks_a_live_process_on_this_machine_is_waited_for(tmp_path, no_os_locks):
    holder_file(tmp_path, socket.gethostname(), os.getppid(), datetime.now() - timedelta(hours=5))
    with pytest.raises(lock.OutputBusy, match=f"tiến trình {os.getppid()}"):
        lock.acquire(tmp_path, wait=0.2)


def test_the_lock_names_this_run_while_held_and_disappears_after(tmp_path):
    with lock.hold(tmp_path) as held:
        assert held.os_lock and held.stale is None
        me = json.loads((tmp_path / lock.LOCK_NAME).read_text("utf-8"))
        assert (me["machine"], me["pid"]) == (socket.gethostname(), os.getpid())
    assert not (tmp_path / lock.LOCK_NAME).exists()


def oserror(code: int, name: str | None = None, winerror: int | None = None) -> OSError:
    exc = OSError(code, os.strerror(code), name)
    if winerror is not None:
        exc.winerror = winerror  # type: ignore[misc]
    return exc


@pytest.mark.parametrize("exc, says", [
    (oserror(errno.ENOSPC, "/o/.dang-ghi-x/tong-hop-2020.xlsx"), "đã đầy (còn trống"),
    (oserror(errno.EIO, None, winerror=112), "đã đầy"),
    (oserror(errno.EACCES, "/o/lich-su/2021-01-05_093000"), "Không có quyền ghi vào thư mục /o/lich-su"),
    (oserror(errno.EROFS, "/o/summary.json"), "chỉ cho phép đọc (ví dụ USB khoá ghi"),
    (IsADirectoryError(errno.EISDIR, "x", "/o/summary.json"), 'một thư mục tên "summary.json"'),
    (oserror(errno.EACCES, "/o/bao-cao-2020.docx", winerror=32), "Tệp bao-cao-2020.docx trong /o đang được mở"),
    (oserror(errno.ENOENT, "/o/tong-hop-2020.xlsx"), "có thể một lần chạy khác, trên máy khác, đang ghi cùng thư mục"),
    (oserror(errno.EEXIST, "/o/lich-su/2021-01-05_093000"), "bị một chương trình khác tạo, xoá hoặc chuyển đi"),
    (oserror(errno.ENAMETOOLONG, "/o/x"), "Đường dẫn của thư mục kết quả quá dài"),
    (oserror(errno.EIO, "/o/x.xlsx"), "Lỗi ổ đĩa khi ghi x.xlsx vào /o (mã lỗi 5)"),
])
def test_each_os_error_is_a_vietnamese_cause_and_fix(exc, says):
    text = explain(exc, Path("/o"), had_previous=True, needed=3 * 1024 * 1024)
    assert text.startswith("Không ghi được kết quả: ") and says in text and text.endswith(KEPT)
    assert exc.strerror not in text  # the system's English words never reach the clerk
    assert ".dang-ghi-" not in text  # nor the tool's staging folder


def test_a_full_disk_says_how_many_mb_are_needed_and_a_first_run_claims_no_old_results():
    text = explain(oserror(errno.ENOSPC, "/o/a"), Path("/o"), had_previous=False, needed=50 * 1024 * 1024)
    assert "cần khoảng 60 MB" in text and text.endswith(NOTHING) and KEPT not in text
