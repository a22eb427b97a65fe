"""One run at a time per output folder: a lock file that names its holder.

Two runs writing into one folder (a `watch` while the clerk runs the tool by hand,
two clerks on a shared drive) would move each other's files. Each run holds
`LOCK_NAME` in the output folder while it writes there. The file carries who
holds it (machine, user, process, since when) for the message the other run
shows; the exclusion itself is an operating-system byte-range lock on the file
(`fcntl.lockf` on POSIX, `msvcrt.locking` on Windows), which SMB and NFS servers
honour across machines and which the system releases when the holder dies, so a
lock left by a killed run is never in the way (it is taken over and named as
stale). The locked byte lies past the holder's details: Windows' locks are
mandatory, and the details must stay readable by the waiting run.

Where a share refuses byte-range locks, the file's contents decide: a holder on
this machine whose process is gone, or one older than `STALE_AFTER` on another
machine, is stale; a lock written at the same moment by two runs is settled by
reading it back.
"""

from __future__ import annotations

import errno
import getpass
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ..errors import OutputError
from ..paths import LOCK_NAME

LOCK_OFFSET = 1 << 20  # the locked byte: far past the holder's details
STALE_AFTER = timedelta(hours=1)  # without OS locks: a holder on another machine older than this is gone
_UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL, getattr(errno, "ENOTSUP", -1)}


class OutputBusy(OutputError):
    """Another run is writing into the same output folder."""


@dataclass(frozen=True)
class Holder:
    machine: str
    user: str
    pid: int
    since: str  # ISO time the holder started writing

    @classmethod
    def me(cls) -> Holder:
        try:
            user = getpass.getuser()
        except Exception:  # no user name in the environment (a service): say so rather than fail
            user = "?"
        return cls(socket.gethostname(), user, os.getpid(), datetime.now().isoformat(timespec="seconds"))

    def describe(self) -> str:
        """`máy VP-01, người dùng vanthu, tiến trình 4242, từ 09:30:12 ngày 05/01/2021` (Vietnamese)."""
        try:
            when = datetime.fromisoformat(self.since)
            since = f"từ {when:%H:%M:%S} ngày {when:%d/%m/%Y}"
        except ValueError:
            since = "không rõ từ lúc nào"
        return f"máy {self.machine}, người dùng {self.user}, tiến trình {self.pid}, {since}"

    def age(self) -> timedelta:
        try:
            return datetime.now() - datetime.fromisoformat(self.since)
        except ValueError:
            return timedelta.max


@dataclass
class Held:
    """The lock of one folder, held by this run. `stale` names a holder that died holding it."""

    path: Path
    fd: int
    os_lock: bool
    stale: Holder | None = None


def read_holder(path: Path) -> Holder | None:
    """The details of another run's lock (never call it on a lock this process holds: on
    POSIX, closing any handle of a file drops the process's locks on it)."""
    try:
        with open(path, "rb") as fh:
            return _parse(fh.read(4096))
    except OSError:
        return None


def _read_fd(fd: int) -> Holder | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return _parse(os.read(fd, 4096))
    except OSError:
        return None


def _parse(raw: bytes) -> Holder | None:
    try:
        data = json.loads(raw.decode("utf-8"))
        return Holder(str(data["machine"]), str(data["user"]), int(data["pid"]), str(data["since"]))
    except (ValueError, KeyError, TypeError):
        return None


def acquire(folder: Path, wait: float = 0.0) -> Held:
    """Hold the folder's lock, waiting up to `wait` seconds for another run to finish.

    Raises OutputBusy (Vietnamese, naming the holder) when it is still held. The folder
    must exist.
    """
    path = folder / LOCK_NAME
    deadline = time.monotonic() + wait
    while True:
        held = _try(path)
        if held is not None:
            return held
        if time.monotonic() >= deadline:
            holder = read_holder(path)
            who = f" ({holder.describe()})" if holder else ""
            raise OutputBusy(
                f"Một lần chạy khác đang ghi kết quả vào thư mục {folder}{who}. Đợi lần chạy đó xong "
                f"(thường chỉ vài giây đến vài phút) rồi chạy lại. Nếu chắc chắn không còn lần chạy nào "
                f"(máy kia đã tắt), xoá tệp {LOCK_NAME} trong thư mục đó rồi chạy lại. Kết quả hiện có không bị động đến."
            )
        time.sleep(min(0.2, max(deadline - time.monotonic(), 0.01)))


def release(held: Held) -> None:
    """Give the lock up and remove its file (a lock file left behind would confuse nobody, but
    the folder is the clerk's). A run that opened the file meanwhile sees it is gone and retries."""
    try:
        os.ftruncate(held.fd, 0)
    except OSError:
        pass
    if sys.platform != "win32":
        _unlink(held.path)  # while still locked: no other run can take this file over in between
    _unlock(held)
    os.close(held.fd)
    if sys.platform == "win32":
        _unlink(held.path)  # Windows cannot remove a file still open; another run may hold it by now: fine


@contextmanager
def hold(folder: Path, wait: float = 0.0) -> Iterator[Held]:
    held = acquire(folder, wait)
    try:
        yield held
    finally:
        release(held)


def _try(path: Path) -> Held | None:
    """One attempt: the lock held by this run, or None when another live run holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
    try:
        try:
            os_lock = byte_lock(fd)
        except BlockingIOError:
            os.close(fd)
            return None
        if not _same_file(fd, path):  # released and removed between our open and our lock
            _unlock(Held(path, fd, os_lock))
            os.close(fd)
            return _try(path)
        previous = _read_fd(fd)
        if not os_lock and previous is not None and not _gone(previous):
            os.close(fd)
            return None
        me = Holder.me()
        _write(fd, me)
        if not os_lock:
            time.sleep(0.1)  # a run that saw the same stale lock writes within this time
        if not os_lock and _read_fd(fd) != me:  # another run wrote at the same moment
            os.close(fd)
            return None
        return Held(path, fd, os_lock, stale=previous)
    except BaseException:
        try:
            os.close(fd)
        except OSError:
            pass
        raise


def byte_lock(fd: int) -> bool:
    """Lock the byte at LOCK_OFFSET without waiting: True when locked, False when the file
    system has no byte-range locks; BlockingIOError when another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, LOCK_OFFSET, os.SEEK_SET)
        return True
    except BlockingIOError:
        raise
    except PermissionError as exc:  # Windows: the region is locked by another process
        raise BlockingIOError(*exc.args) from exc
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN, getattr(errno, "EDEADLK", -1)):
            raise BlockingIOError(*exc.args) from exc
        if exc.errno in _UNSUPPORTED:
            return False
        raise


def _unlock(held: Held) -> None:
    if not held.os_lock:
        return
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(held.fd, LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(held.fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.lockf(held.fd, fcntl.LOCK_UN, 1, LOCK_OFFSET, os.SEEK_SET)
    except OSError:
        pass  # closing the file releases it anyway


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    if not a.st_ino and not b.st_ino:  # a share without file ids: nothing to compare
        return True
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _write(fd: int, holder: Holder) -> None:
    data = json.dumps(holder.__dict__, ensure_ascii=False).encode("utf-8")
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)
    os.fsync(fd)


def _gone(holder: Holder) -> bool:
    """Without OS locks: whether the run that wrote this lock has certainly ended."""
    if holder.machine == socket.gethostname():
        return not _alive(holder.pid)
    return holder.age() > STALE_AFTER


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
