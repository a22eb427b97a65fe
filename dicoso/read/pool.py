"""Worker processes that read books side by side, and never outlive or hang the run.

`ProcessPoolExecutor` left orphans blocked on its queue when the main process was
killed, printed English tracebacks from its workers and its manager thread
(`InvalidStateError: CANCELLED`) on Ctrl+C under Windows' spawn start method, and
could not give up on one book stuck on a stalled network share. This pool:

- one pipe per worker, one book at a time (plus one queued), results in completion order;
- a book taking longer than `timeout` seconds: its worker is killed and replaced, the
  book comes back as `Lost("timeout")`; a worker that dies (a crash, the system
  killing it for memory) gives `Lost("crashed")` for its book; the others go on;
- workers never see Ctrl+C (SIGINT is blocked while they start and ignored in them;
  Windows: ignored by the console for them): the main process alone stops the run,
  then kills them;
- workers end with the main process: Linux kills them when it dies (PDEATHSIG); every
  system: a worker waiting for its next book watches the main process and leaves when
  it is gone; Windows: they are in a job object that closes with the main process;
- the start method is the platform's (fork on Linux, spawn on Windows and macOS), or
  `DICOSO_START_METHOD` (CI runs the whole pipeline under spawn to test Windows' path).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from .. import runtime

CHECK_EVERY = 1.0  # seconds between a waiting worker's checks that the main process lives


@dataclass(frozen=True)
class Lost:
    """A task that gave no result: "timeout" or "crashed"."""

    why: str


class WorkerError(RuntimeError):
    """A task raised in a worker; the worker's exception could not be sent whole."""


class _Worker:
    def __init__(self, ctx: Any, func: Callable[[Any], Any]) -> None:
        here, there = ctx.Pipe()
        self.conn: Connection = here
        self.proc = ctx.Process(target=_serve, args=(there, func, os.getpid()), daemon=True)
        with runtime.ctrl_c_blocked_for_children():
            self.proc.start()
        there.close()
        runtime.end_with_this_process(self.proc)
        self.queue: deque[int] = deque()  # task indexes sent, oldest first
        self.since = time.monotonic()  # when the oldest task started

    def send(self, index: int, item: Any) -> None:
        if not self.queue:
            self.since = time.monotonic()
        self.queue.append(index)
        self.conn.send((index, item))

    def kill(self) -> None:
        try:
            self.proc.kill()
        except (OSError, ValueError):
            pass
        self.proc.join(5)
        self.conn.close()


def imap(func: Callable[[Any], Any], items: list[Any], workers: int, timeout: float,
         meanwhile: Callable[[], None] | None = None) -> Iterator[tuple[int, Any]]:
    """(index, func(items[index]) or Lost) for every item, in the order they finish.

    `meanwhile()` runs once the workers have their first books. An exception raised by
    `func` in a worker is raised here. However this generator ends (exhausted, an
    exception, Ctrl+C, closed early), every worker is stopped and reaped.
    """
    ctx = multiprocessing.get_context(runtime.start_method())
    if ctx.get_start_method() == "spawn" and sys.platform != "win32":
        # The resource tracker is started with the first spawned worker, and starting it
        # unblocks SIGINT in this thread (multiprocessing.resource_tracker.ensure_running):
        # started now, before the workers, it cannot undo their protection from Ctrl+C.
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
    todo = deque(range(len(items)))
    pool: list[_Worker] = []
    try:
        for _ in range(min(workers, len(items))):
            pool.append(_Worker(ctx, func))
        for w in pool:
            _feed(w, todo, items)
        if meanwhile is not None:
            meanwhile()
        while any(w.queue for w in pool):
            busy = [w for w in pool if w.queue]
            left = min(w.since + timeout for w in busy) - time.monotonic()
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=max(left, 0))
            now = time.monotonic()
            for w in busy:
                if w.conn in ready:
                    try:
                        index, ok, value = w.conn.recv()
                    except (EOFError, OSError):
                        pass  # died while sending: seen through its sentinel below
                    else:
                        w.queue.popleft()
                        w.since = now
                        if not ok:
                            raise value if isinstance(value, BaseException) else WorkerError(str(value))
                        yield index, value
                        _feed(w, todo, items)
                        continue
                why = "crashed" if w.proc.sentinel in ready or not w.proc.is_alive() else (
                    "timeout" if now - w.since >= timeout else "")
                if not why:
                    continue
                # This worker's first book is lost; the one queued behind it goes back to the list.
                w.kill()
                lost = w.queue.popleft()
                todo.extendleft(reversed(w.queue))
                pool[pool.index(w)] = fresh = _Worker(ctx, func)
                yield lost, Lost(why)
                _feed(fresh, todo, items)
    finally:
        _stop(pool)


def _feed(w: _Worker, todo: deque[int], items: list[Any]) -> None:
    """Keep two books with each worker: it starts the next one without waiting for us."""
    while todo and len(w.queue) < 2:
        index = todo.popleft()
        w.send(index, items[index])


def _stop(pool: list[_Worker]) -> None:
    """Tell idle workers to leave, kill busy ones (the run is over or stopping), reap all."""
    with runtime.ctrl_c_deferred():
        for w in pool:
            if w.queue:
                w.kill()
                continue
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        for w in pool:
            w.proc.join(2)
            if w.proc.is_alive():
                w.kill()
            w.conn.close()


def _serve(conn: Connection, func: Callable[[Any], Any], parent_pid: int) -> None:
    """A worker: read books sent by the main process until told to stop or it is gone."""
    runtime.worker_ignores_ctrl_c()
    runtime.die_with_parent(parent_pid)
    parent = multiprocessing.parent_process()
    watch: list[Any] = [conn] + ([parent.sentinel] if parent is not None and parent.sentinel is not None else [])
    while True:
        ready = wait(watch, timeout=CHECK_EVERY)
        if not ready:
            if sys.platform != "win32" and os.getppid() != parent_pid:
                return
            continue
        if conn not in ready:
            return  # the main process is gone
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, item = task
        try:
            reply: tuple[int, bool, Any] = (index, True, func(item))
        except BaseException as exc:  # noqa: BLE001 - sent to the main process, which raises it
            reply = (index, False, exc)
        try:
            conn.send(reply)
        except (OSError, EOFError):
            return  # the main process is gone
        except Exception:  # the result or exception cannot be pickled: keep its text
            try:
                conn.send((index, False, WorkerError(f"{type(reply[2]).__name__}: {reply[2]}")))
            except Exception:
                return
