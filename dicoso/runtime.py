"""Process tuning for a batch run, in one place, each trick with the measurement behind it.

- `batch_collector()`: the garbage collector's young-generation threshold raised for the
  run (a million trips: 0.7 s of collections down to 0.09 s).
- `quiet_imports()`: libraries loaded with the collector off, then frozen out of its way.
- `ctrl_c_in_main_process_only()`: Ctrl+C stops the run, not the reader's workers.
- `run_all()`: independent output writers side by side in forked children (POSIX),
  one after the other elsewhere; `_return_free_memory` (malloc_trim) before forking.
- `freeze_at_exit()`: the interpreter's exit does not collect what the run left (~0.3 s).
- `lean_numpy()`: one OpenBLAS thread (~20 ms faster to load, no thread pool across fork).

Writers side by side: on POSIX the extra tasks run in forked children, which share the parent's memory
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
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


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


# A run makes millions of objects that live until it ends (cells, trips, issues). The
# collector's default, a young collection every 700 new objects, then walks them over
# and over: 0.7 s at a million trips against 0.09 s with this threshold.
GC_THRESHOLD = (100_000, 20, 20)


@contextmanager
def batch_collector() -> Iterator[None]:
    """The run's collector settings; afterwards the defaults again and nothing left frozen
    (a `watch` runs for weeks: what one run froze must be collectable after it)."""
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


@contextmanager
def quiet_imports() -> Iterator[None]:
    """Importing makes objects that live as long as the run: no collections while they are
    made, then out of the collector's way (its later passes no longer walk them)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


@contextmanager
def ctrl_c_in_main_process_only() -> Iterator[None]:
    """Ctrl+C stops the run, not the reader's worker processes.

    A terminal sends SIGINT to every process of the group. A pool worker interrupted
    mid-book breaks ProcessPoolExecutor and the program then hangs at exit joining
    it. Forked workers inherit this handler, which ignores the signal outside the
    main process; the main process raises KeyboardInterrupt as usual.
    """
    main_pid = os.getpid()

    def handler(signum, frame) -> None:  # noqa: ANN001
        if os.getpid() == main_pid:
            raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def lean_numpy() -> None:
    """numpy's OpenBLAS starts a thread pool when loaded: the tool does no linear algebra,
    and one thread loads ~20 ms faster and leaves nothing running across fork()."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def freeze_at_exit() -> None:
    """Called as the process ends: without it the interpreter's exit collects every object
    the run left (pandas, the writers' libraries), about 0.3 s of a 1 s run."""
    gc.freeze()
