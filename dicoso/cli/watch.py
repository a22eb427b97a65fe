"""`generate.py watch`: regenerate the report when books arrive in the drop folder.

One run at start, then one run per burst of changes: after the last change the
folder must stay quiet for `--interval` seconds and every book must have stopped
changing (size and time) and be openable (Windows locks a file being copied).
Lock, temporary and non-spreadsheet files are ignored, and so is everything under
the output folder. Only events that change files count: the run's own reading of
the books (open/close-without-write events) must not trigger the next run.
Each run is logged with its time and the books that triggered it; a run that
fails is logged and watching goes on. Ctrl+C (or SIGTERM) stops cleanly, exit 0.
`--poll` uses a polling observer, which works on network shares (SMB/NFS) where
change notifications are not delivered.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..job import Options
from ..read.discover import skip_reason, walk

EXIT_OK, EXIT_FAIL = 0, 1

# watchdog event types that mean a file's content or presence changed
CHANGE_EVENTS = {"created", "modified", "moved", "deleted", "closed"}
MAX_SHOWN = 5  # books named in a run's log line


def relevant(path: str) -> bool:
    """A change to this path may change the report (not a lock, temp or junk file)."""
    p = Path(path)
    if any(part.startswith(".") for part in p.parts[-2:-1]):  # inside a hidden folder (e.g. staging)
        return False
    return skip_reason(p.name) is None  # also refuses names that are not spreadsheets


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def snapshot(folder: Path, exclude: Path | None = None) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every book under `folder` (the reader's walk, without junk files)."""
    out = {}
    for p in walk(folder, exclude=(exclude,) if exclude is not None else ()):
        if skip_reason(p.name) is None:
            try:
                st = p.stat()
            except OSError:
                continue
            out[str(p)] = (st.st_size, st.st_mtime_ns)
    return out


def _openable(paths: set[str]) -> bool:
    """False while a book is still held by the program copying it (Windows refuses to open it)."""
    for p in paths:
        try:
            with open(p, "rb"):
                pass
        except FileNotFoundError:
            continue  # deleted: nothing to wait for
        except OSError:
            return False
    return True


class Burst:
    """Changed paths collected by the observer thread, read by the main loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.paths: set[str] = set()
        self.last = 0.0
        self.event = threading.Event()

    def add(self, path: str) -> None:
        with self._lock:
            self.paths.add(path)
            self.last = time.monotonic()
        self.event.set()

    def take(self) -> set[str]:
        with self._lock:
            paths, self.paths = self.paths, set()
            self.event.clear()
        return paths

    def quiet_for(self) -> float:
        with self._lock:
            return time.monotonic() - self.last


def watch(opts: Options, con, *, run: Callable[[], int], interval: float = 2.0, poll: bool = False,
          debug: bool = False) -> int:
    """Run once, then once per burst of changes to the books under `opts.input_dir`.

    `run()` makes one report and returns its exit code (the command line's run); the
    watcher only decides when.
    """
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    folder = opts.input_dir.resolve()
    if not folder.is_dir():
        con.error(f"Không tìm thấy thư mục cần theo dõi: {opts.input_dir}. Kiểm tra lại đường dẫn rồi chạy lại.")
        return EXIT_FAIL
    out_root = (opts.out or opts.output_root).resolve()
    burst = Burst()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:  # noqa: ANN001
            if event.event_type not in CHANGE_EVENTS or event.is_directory:
                return
            for p in (event.src_path, getattr(event, "dest_path", "")):
                if isinstance(p, bytes):
                    p = p.decode("utf-8", "surrogateescape")
                if p and relevant(p) and not _inside(Path(p).resolve(), out_root):
                    burst.add(p)

    observer = PollingObserver(timeout=min(1.0, interval)) if poll else Observer()
    observer.schedule(Handler(), str(folder), recursive=True)
    previous = _stop_on_signals()
    observer.start()
    mode = "dò định kỳ" if poll else "nhận thông báo thay đổi"
    con.say(f"Đang theo dõi thư mục {opts.input_dir} ({mode}); Ctrl+C để dừng.")
    try:
        _log_run(con, run, debug, "lần chạy đầu", [])
        while True:
            if not burst.event.wait(timeout=0.5):
                continue
            _settle(burst, folder, out_root, interval)
            changed = burst.take()
            _log_run(con, run, debug, f"{len(changed)} sổ mới hoặc đã sửa", sorted(changed), folder)
            con.say("Đang theo dõi tiếp…")
    except KeyboardInterrupt:
        con.end_progress()
        con.say("Đã dừng theo dõi.")
        return EXIT_OK
    finally:
        observer.stop()
        observer.join(timeout=5)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _settle(burst: Burst, folder: Path, out_root: Path, interval: float) -> None:
    """Return once the burst is over: quiet for `interval`, books stable and openable."""
    while True:
        while burst.quiet_for() < interval:
            time.sleep(min(0.2, interval / 4))
        before = snapshot(folder, out_root)
        time.sleep(min(interval, 1.0))
        if snapshot(folder, out_root) == before and _openable(set(burst.paths)) and burst.quiet_for() >= interval:
            return


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
    con.say(f"[{datetime.now():%Y-%m-%d %H:%M:%S}] Kết thúc lần lập báo cáo: {result} (mã thoát {code}).")


def _rel(path: str, folder: Path | None) -> str:
    if folder is None:
        return path
    try:
        return Path(path).resolve().relative_to(folder).as_posix()
    except ValueError:
        return path
