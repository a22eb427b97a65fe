"""`generate.py watch`: regenerate the report when books arrive in the drop folder.

Waits until a burst of file events has been quiet for `--interval` seconds and
every changed book has stopped growing (still being copied), ignores lock and
temporary files, runs once per burst, logs each run, and stops on Ctrl+C.
`--poll` uses a polling observer, which works on network shares.
"""

from __future__ import annotations

import argparse
import threading
import time
from datetime import datetime
from pathlib import Path

from .discover import SPREADSHEET_SUFFIXES, _skip_reason


def relevant(path: str) -> bool:
    """A change to this path may change the report (not a lock, temp or junk file)."""
    name = Path(path).name
    return _skip_reason(name) is None and Path(name).suffix.lower() in SPREADSHEET_SUFFIXES


def _sizes(folder: Path) -> dict[str, int]:
    out = {}
    for p in folder.rglob("*"):
        if p.is_file() and relevant(str(p)):
            try:
                out[str(p)] = p.stat().st_size
            except OSError:
                pass
    return out


def watch(args: argparse.Namespace, con) -> int:
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    from .cli import EXIT_FAIL, EXIT_OK, options_from_args

    opts = options_from_args(args, check_only=False)
    folder = opts.input_dir
    if not folder.is_dir():
        con.error(f"Không tìm thấy thư mục cần theo dõi: {folder}")
        return EXIT_FAIL
    out_dir = (opts.out or Path("output")).resolve()
    pending = threading.Event()
    last_event = [time.monotonic()]

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:  # noqa: ANN001
            paths = [getattr(event, "src_path", ""), getattr(event, "dest_path", "")]
            for p in paths:
                if p and relevant(p) and out_dir not in Path(p).resolve().parents:
                    last_event[0] = time.monotonic()
                    pending.set()

    observer = PollingObserver(timeout=max(0.5, args.interval / 2)) if args.poll else Observer()
    observer.schedule(Handler(), str(folder), recursive=True)
    observer.start()
    con.say(f"Đang theo dõi thư mục {folder} (Ctrl+C để dừng)…")
    _log_run(con, args, "lần đầu")
    try:
        while True:
            if not pending.wait(timeout=0.5):
                continue
            # Coalesce a burst: wait for quiet, then for every book to stop growing.
            while time.monotonic() - last_event[0] < args.interval:
                time.sleep(0.2)
            before = _sizes(folder)
            time.sleep(min(args.interval, 1.0))
            if _sizes(folder) != before:
                last_event[0] = time.monotonic()
                continue
            pending.clear()
            _log_run(con, args, "có sổ mới hoặc sổ được sửa")
    except KeyboardInterrupt:
        con.say("Đã dừng theo dõi.")
        return EXIT_OK
    finally:
        observer.stop()
        observer.join(timeout=5)


def _log_run(con, args: argparse.Namespace, why: str) -> None:
    from .cli import run_once

    con.say(f"[{datetime.now():%H:%M:%S}] Lập báo cáo ({why})…")
    code = run_once(args, con)
    con.say(f"[{datetime.now():%H:%M:%S}] Xong, mã thoát {code}.")
