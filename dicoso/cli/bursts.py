"""When `watch` runs: which changes count, and when a burst of them is over.

`Decider` takes the observer's changes and a clock and says "wait this long" or "run
now for these books"; it never sleeps and never starts a thread, so the tests drive it
with a fake clock and fake folder states. A burst is over when the folder has been
quiet for `--interval` seconds and two looks at the books' sizes and times a second
apart agree; a book Windows still holds open for copying is waited for, at most a
minute (then the reader reports it). Lock, temporary and non-spreadsheet files are
ignored with a reason (named in the log with -v), and what the tool writes itself
(staging, outputs, history) is ignored silently.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..paths import HISTORY_DIR, MANIFEST
from ..publish.outputs import is_output
from ..read.discover import skip_reason, walk

# watchdog event types that mean a file's content or presence changed
CHANGE_EVENTS = {"created", "modified", "moved", "deleted", "closed"}
# Windows' sharing violations: the file is held open by the program copying it.
SHARING_VIOLATIONS = (32, 33)


@dataclass(frozen=True)
class Change:
    """One event of the observer: a file (or folder) created, changed, moved or deleted."""

    kind: str
    path: str
    is_dir: bool = False


def relevant(path: str) -> bool:
    """A change to this path may change the report (not a lock, temp or junk file)."""
    return ignore_reason(Path(path)) is None


def ignore_reason(p: Path) -> str | None:
    """Why a change to this file cannot change the report (Vietnamese), or None."""
    if any(part.startswith(".") for part in p.parts[-2:-1]):  # inside a hidden folder (e.g. staging)
        return "tệp trong thư mục ẩn"
    return skip_reason(p.name)  # lock, temporary, system files, names that are not spreadsheets


def own_output(path: Path, out: Path | None, out_root: Path) -> bool:
    """Written by this tool: anything under the default output folder; with --out, that
    folder's outputs, manifest and history (the folder itself may be a Ban's, with books)."""
    if out is None:
        return _inside(path, out_root)
    if _inside(path, out / HISTORY_DIR):
        return True
    if path.parent == out:
        return path.name == MANIFEST or is_output(path.name)
    # a file inside an output folder (theo-ban/<Ban>/…)
    return any(p.parent == out and is_output(p.name) for p in path.parents)


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


def still_copying(path: str) -> bool:
    """True while the program copying a book still holds it (Windows refuses to open it).

    Never opens anything but a regular file (a FIFO would block), and never blocks: a
    book that cannot be read for another reason (no permission) is not waited for,
    the reader reports it by name.
    """
    try:
        st = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode):
        return False
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except PermissionError as exc:
        return getattr(exc, "winerror", None) in SHARING_VIOLATIONS
    except OSError:
        return False
    os.close(fd)
    return False


class Decider:
    """When to run, from the changes seen and the clock; no threads, no sleeping.

    `offer(change)` takes one change and returns why it was ignored (Vietnamese), or
    None when it may change the report. `step()` returns the seconds to wait before
    asking again, None when nothing is pending, or the list of changed books when a
    run should start now. `look()` (the books' sizes and times) and `copying(path)`
    look at the folder; the tests replace them.
    """

    def __init__(self, folder: Path, interval: float, *, out: Path | None = None, out_root: Path | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 look: Callable[[], object] | None = None,
                 copying: Callable[[str], bool] = still_copying,
                 max_copy_wait: float | None = None) -> None:
        self.folder = folder
        self.interval = interval
        self.out = out
        self.out_root = out_root if out_root is not None else (out or folder / "__none__")
        self.clock = clock
        self.look = look or (lambda: snapshot(folder, self.out_root if out is None else None))
        self.copying = copying
        # Stable in size but still held open for longer than this: run anyway, the reader reports it.
        self.max_copy_wait = max_copy_wait if max_copy_wait is not None else max(60.0, 10 * interval)
        self.settle = min(interval, 1.0)  # two equal snapshots this far apart: the books have stopped changing
        self.pending: set[str] = set()  # changed paths
        self.reasons: list[str] = []  # runs asked for without a book (the folder came back)
        self.last = 0.0
        self._snap: object = None
        self._snap_at = 0.0
        self._copy_since: float | None = None

    def offer(self, change: Change) -> str | None:
        if change.kind not in CHANGE_EVENTS or change.is_dir:
            return None  # reads, folder times: not worth a word
        path = Path(change.path)
        if own_output(path, self.out, self.out_root):
            return None  # this tool's own writing
        reason = ignore_reason(path)
        if reason is not None:
            return reason
        self.pending.add(change.path)
        self._touch()
        return None

    def demand(self, reason: str) -> None:
        """A run is needed although no book event says so (e.g. the folder is back)."""
        if reason not in self.reasons:
            self.reasons.append(reason)
        self._touch()

    def _touch(self) -> None:
        self.last = self.clock()
        self._snap = None
        self._copy_since = None

    def step(self) -> float | list[str] | None:
        if not self.pending and not self.reasons:
            return None
        now = self.clock()
        quiet = now - self.last
        if quiet < self.interval:
            return self.interval - quiet
        if self._snap is None:
            self._snap, self._snap_at = self.look(), now
            return self.settle
        if now - self._snap_at < self.settle:
            return self.settle - (now - self._snap_at)
        snap = self.look()
        if snap != self._snap:  # still being written: look again a little later
            self._snap, self._snap_at = snap, now
            return self.settle
        if any(self.copying(p) for p in self.pending):
            if self._copy_since is None:
                self._copy_since = now
            if now - self._copy_since < self.max_copy_wait:
                return self.settle
        books = sorted(self.pending)
        self.pending.clear()
        self._snap, self._copy_since = None, None
        return books

    def take_reasons(self) -> list[str]:
        reasons, self.reasons = self.reasons, []
        return reasons
