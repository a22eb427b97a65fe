"""`generate.py watch`: regenerate the report when books arrive in the drop folder.

One run at start, then one run per burst of changes: after the last change the
folder must stay quiet for `--interval` seconds and every book must have stopped
changing (size and time); a book Windows still holds open for copying is waited
for, but never for ever (the reader then reports it). Lock, temporary and
non-spreadsheet files are ignored (named in the log with -v), and so is what the
tool writes itself (staging, outputs, history). Only events that change files
count: the run's own reading of the books must not trigger the next run.

The decisions live in `bursts.Decider`, which takes changes and a clock and says "wait
this long" or "run now for these books": the tests drive it with a fake clock and
fake folder states, no sleeping. `watch()` only feeds it from the observer thread,
sleeps, checks that the watched folder is still there (deleted or renamed away: it
says so, waits, and watches again once the folder is back, with either observer),
and logs each run with its time and the books that triggered it. A run that fails
is logged and watching goes on. Ctrl+C (or SIGTERM) stops cleanly, exit 0.
`--poll` uses a polling observer, which works on network shares (SMB/NFS) where
change notifications are not delivered.
"""

from __future__ import annotations

import os
import signal
import stat
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..job import Options
from .bursts import Change, Decider

EXIT_OK, EXIT_FAIL = 0, 1

MAX_SHOWN = 5  # books named in a run's log line
HEALTH_EVERY = 1.0  # seconds between checks that the watched folder is still there


class Inbox:
    """Changes handed over by the observer thread to the main loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[Change] = []
        self.event = threading.Event()

    def put(self, change: Change) -> None:
        with self._lock:
            self._items.append(change)
        self.event.set()

    def wait(self, timeout: float) -> None:
        self.event.wait(timeout)

    def drain(self) -> list[Change]:
        with self._lock:
            items, self._items = self._items, []
            self.event.clear()
        return items


class Subscription:
    """The observer and its watch on the folder, renewed when the folder comes back.

    A deleted folder ends the native observer's watch, and the polling observer stops
    when the folder disappears even for an instant (renamed away and back); both are
    seen here (folder missing, or the observer's emitter thread ended) and renewed.
    """

    def __init__(self, folder: Path, inbox: Inbox, poll: bool, interval: float) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:  # noqa: ANN001
                for p in (event.src_path, getattr(event, "dest_path", "")):
                    if isinstance(p, bytes):
                        p = p.decode("utf-8", "surrogateescape")
                    if p:
                        inbox.put(Change(event.event_type, p, event.is_directory))

        self.folder = folder
        self.handler = Handler()
        self.observer = PollingObserver(timeout=min(1.0, interval)) if poll else Observer()
        self.identity: tuple[int, int] | None = None
        self.observer.start()

    def _identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.folder)
        except OSError:
            return None
        return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None

    def renew(self) -> bool:
        """Watch the folder again; False when it is not there (yet)."""
        self.observer.unschedule_all()
        self.identity = self._identity()
        if self.identity is None:
            return False
        try:
            self.observer.schedule(self.handler, str(self.folder), recursive=True)
        except OSError:
            self.identity = None
            return False
        return True

    def healthy(self) -> bool:
        """The folder is the one watched and the observer still delivers its changes."""
        emitters = list(self.observer.emitters)
        return bool(emitters) and all(e.is_alive() for e in emitters) and self._identity() == self.identity

    def present(self) -> bool:
        return self._identity() is not None

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)


def watch(opts: Options, con, *, run: Callable[[], int], interval: float = 2.0, poll: bool = False,
          debug: bool = False, health_every: float = HEALTH_EVERY,
          stopped: Callable[[], str | None] = lambda: None) -> int:
    """Run once, then once per burst of changes to the books under `opts.input_dir`.

    `run()` makes one report and returns its exit code (the command line's run); the
    watcher only decides when. On Ctrl+C, `stopped()` says what became of a run it cut
    short (None when none was running).
    """
    folder = opts.input_dir.resolve()
    if not folder.is_dir():
        con.error(f"Không tìm thấy thư mục cần theo dõi: {opts.input_dir}. Kiểm tra lại đường dẫn rồi chạy lại.")
        return EXIT_FAIL
    out = opts.out.resolve() if opts.out is not None else None
    decider = Decider(folder, interval, out=out, out_root=opts.output_root.resolve())
    inbox = Inbox()
    previous = _stop_on_signals()
    sub = Subscription(folder, inbox, poll, interval)
    verbose = getattr(con, "verbose", False)
    mode = "dò định kỳ" if poll else "nhận thông báo thay đổi"
    try:
        sub.renew()
        con.say(f"Đang theo dõi thư mục {opts.input_dir} ({mode}); Ctrl+C để dừng.")
        _log_run(con, run, debug, "lần chạy đầu", [])
        gone = False
        said: set[str] = set()  # ignored files already named since the last run
        next_check = time.monotonic() + health_every
        wait: float | list[str] | None = None
        while True:
            inbox.wait(health_every if not isinstance(wait, float) else min(wait, health_every))
            check = time.monotonic() >= next_check
            for change in inbox.drain():
                if change.is_dir and Path(change.path) == folder and change.kind in ("deleted", "moved"):
                    check = True
                why = decider.offer(change)
                if why and verbose and change.path not in said:
                    said.add(change.path)
                    con.say(f"  (bỏ qua thay đổi của {_rel(change.path, folder)}: {why})")
            if check:
                next_check = time.monotonic() + health_every
                gone = _check_folder(con, sub, decider, opts.input_dir, gone)
            if gone:
                wait = None
                continue
            wait = decider.step()
            if isinstance(wait, list):
                why = _why(wait, decider.take_reasons())
                _log_run(con, run, debug, why, wait, folder)
                said.clear()
                wait = None
                con.say("Đang theo dõi tiếp…")
    except KeyboardInterrupt:
        con.end_progress()
        cut = stopped()
        if cut:
            con.error(cut)
        con.say("Đã dừng theo dõi.")
        return EXIT_OK
    finally:
        sub.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _check_folder(con, sub: Subscription, decider: Decider, shown: Path, gone: bool) -> bool:
    """Say when the watched folder disappears; watch it again when it is back. Returns `gone`."""
    if sub.healthy() and not gone:
        return False
    if not sub.present():
        if not gone:
            con.error(f"Thư mục đang theo dõi {shown} không còn (bị xoá, đổi tên hoặc mất kết nối ổ mạng). "
                      "Chương trình chờ thư mục có lại rồi tự theo dõi tiếp; Ctrl+C để dừng.")
        return True
    if not sub.renew():
        return True
    con.say(f"[{datetime.now():%Y-%m-%d %H:%M:%S}] Thư mục {shown} đã có lại; theo dõi tiếp.")
    decider.demand("thư mục theo dõi đã có lại")
    return False


def _why(books: list[str], reasons: list[str]) -> str:
    parts = reasons[:]
    if books or not parts:
        parts.insert(0, f"{len(books)} sổ mới hoặc đã sửa")
    return "; ".join(parts)


def _stop_on_signals() -> dict:
    """Ctrl+C and SIGTERM (a service manager, `kill`) stop the watch cleanly.

    SIGINT is set explicitly: a shell starting us in the background ignores it,
    and the ignore would be inherited. Returns the previous handlers.
    """

    def stop(signum, frame) -> None:  # noqa: ANN001
        raise KeyboardInterrupt

    previous = {}
    for name, handler in (("SIGINT", signal.default_int_handler), ("SIGTERM", stop)):
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            previous[signum] = signal.signal(signum, handler)
        except (ValueError, OSError):  # not the main thread
            pass
    return previous


def _log_run(con, run: Callable[[], int], debug: bool, why: str, paths: list[str], folder: Path | None = None) -> None:
    names = [_rel(p, folder) for p in paths]
    shown = ", ".join(names[:MAX_SHOWN]) + (f" và {len(names) - MAX_SHOWN} sổ khác" if len(names) > MAX_SHOWN else "")
    con.say(f"[{datetime.now():%Y-%m-%d %H:%M:%S}] Lập báo cáo ({why}{': ' + shown if shown else ''})…")
    try:
        code = run()
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # keep watching: one bad run must not end the watch
        if debug:
            raise
        con.error(f"Lần lập báo cáo này gặp lỗi ngoài dự kiến: {type(exc).__name__}: {exc}. "
                  "Vẫn tiếp tục theo dõi; chạy lại với --debug để xem chi tiết.")
        code = EXIT_FAIL
    result = "xong" if code == 0 else "không lập được báo cáo, xem lỗi ở trên"
    exit_code = f" (mã thoát {code})" if con.verbose else ""  # for maintainers: -v only
    con.say(f"[{datetime.now():%Y-%m-%d %H:%M:%S}] Kết thúc lần lập báo cáo: {result}{exit_code}.")


def _rel(path: str, folder: Path | None) -> str:
    if folder is None:
        return path
    try:
        return Path(path).resolve().relative_to(folder).as_posix()
    except ValueError:
        return path
