"""Run independent output writers side by side (the Word report, the workbooks).

On POSIX the extra tasks run in forked children, which share the parent's memory
(the summary and the trips table are not copied or pickled). Forking is skipped,
and the tasks run one after the other, where it is unsafe or unavailable: on
Windows, when other threads are alive (`watch` runs an observer thread), or when
DICOSO_SEQUENTIAL is set. A failure in any task is raised in the parent, the
first one wins, and every child is waited for.
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
from collections.abc import Callable


class TaskFailed(RuntimeError):
    """A child task died without being able to report its exception."""


def _can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1 and not os.environ.get("DICOSO_SEQUENTIAL")


def run_all(tasks: list[Callable[[], None]]) -> None:
    """Run every task; the first runs in this process, the others in children when possible."""
    if len(tasks) < 2 or not _can_fork():
        for task in tasks:
            task()
        return
    # Objects alive now are frozen out of the collector: a child's garbage collection
    # would otherwise write to every page of them and copy the parent's memory. (No
    # collection first: it would walk every object once more, ~0.05 s at a thousand
    # books; the few cycles frozen with the rest live as long as the run anyway.)
    gc.freeze()
    _return_free_memory()
    children: list[tuple[int, int]] = []
    for task in tasks[1:]:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: run the task, report an exception through the pipe, never return
            os.close(read_fd)
            _child(task, write_fd)
        os.close(write_fd)
        children.append((pid, read_fd))
    failure: BaseException | None = None
    try:
        tasks[0]()
    except BaseException as exc:  # noqa: BLE001 - re-raised below, after the children are reaped
        failure = exc
    for pid, read_fd in children:
        with os.fdopen(read_fd, "rb") as fh:
            data = fh.read()
        _, status = os.waitpid(pid, 0)
        if failure is None and data:
            failure = pickle.loads(data)
        elif failure is None and os.waitstatus_to_exitcode(status) != 0:
            failure = TaskFailed(f"output writer process ended with status {os.waitstatus_to_exitcode(status)}")
    gc.unfreeze()
    if failure is not None:
        raise failure


def _return_free_memory() -> None:
    """Hand the C heap's free pages back to the system before the writers start.

    The engine frees hundreds of megabytes of temporary tables at a national scale,
    but glibc keeps freed heap pages mapped: they would count against the run's
    memory for as long as the writers run (~0.2 GB at a million trips). A no-op
    where the C library has no malloc_trim (macOS, Windows, musl).
    """
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _child(task: Callable[[], None], write_fd: int) -> None:
    code = 0
    try:
        task()
    except BaseException as exc:  # noqa: BLE001 - sent to the parent
        code = 1
        try:
            payload = pickle.dumps(exc)
        except Exception:  # an exception that cannot be pickled: keep its text
            payload = pickle.dumps(TaskFailed(f"{type(exc).__name__}: {exc}"))
        with os.fdopen(write_fd, "wb") as fh:
            fh.write(payload)
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
