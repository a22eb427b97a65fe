"""Process tuning for a batch run, in one place, each trick with the measurement behind it.

- `batch_collector()`: the garbage collector's young-generation threshold raised for the
  run (a million trips: 0.7 s of collections down to 0.09 s).
- `quiet_imports()`: libraries loaded with the collector off, then frozen out of its way.
- `ctrl_c_in_main_process_only()`: Ctrl+C stops the run, not the reader's workers.
- `run_all()`: independent output writers side by side in forked children (POSIX),
  one after the other elsewhere; `_return_free_memory` (malloc_trim) before forking.
- `freeze_at_exit()`: the interpreter's exit does not collect what the run left (~0.3 s).
- `lean_numpy()`: one OpenBLAS thread (~20 ms faster to load, no thread pool across fork).
- `ctrl_c_deferred()`: Ctrl+C held back to a point of the caller's choosing (publishing).
- `ctrl_c_blocked_for_children()`, `worker_ignores_ctrl_c()`, `die_with_parent()`,
  `end_with_this_process()`: worker processes never print a Ctrl+C traceback and never
  outlive the main process (read/pool.py, and the forked writers here).

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
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class TaskFailed(RuntimeError):
    """A child task died without being able to report its exception."""


def start_method() -> str:
    """How worker processes start: "fork" or "spawn", the platform's (fork on Linux, spawn on
    Windows and macOS) or DICOSO_START_METHOD's. Under spawn nothing is forked at all: CI
    runs the whole pipeline so to test Windows' path on Linux. (A forkserver is not
    supported: its workers are not children of the main process.)"""
    import multiprocessing

    wanted = os.environ.get("DICOSO_START_METHOD", "").strip().lower()
    if wanted in ("fork", "spawn") and wanted in multiprocessing.get_all_start_methods():
        return wanted
    default = multiprocessing.get_start_method()
    return default if default in ("fork", "spawn") else "spawn"


def _can_fork() -> bool:
    return (hasattr(os, "fork") and threading.active_count() == 1 and not os.environ.get("DICOSO_SEQUENTIAL")
            and start_method() == "fork")


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
    parent = os.getpid()
    failure: BaseException | None = None
    try:
        for task in tasks[1:]:
            read_fd, write_fd = os.pipe()
            with ctrl_c_blocked_for_children():
                pid = os.fork()
                if pid == 0:  # child: run the task, report an exception through the pipe, never return
                    os.close(read_fd)
                    worker_ignores_ctrl_c()
                    die_with_parent(parent)
                    _child(task, write_fd)
            os.close(write_fd)
            children.append((pid, read_fd))
        try:
            tasks[0]()
        except Exception as exc:  # noqa: BLE001 - re-raised below, after the children are reaped
            failure = exc
        for pid, read_fd in children:
            with os.fdopen(read_fd, "rb") as fh:
                data = fh.read()
            _, status = os.waitpid(pid, 0)
            children = [c for c in children if c[0] != pid]
            if failure is None and data:
                failure = pickle.loads(data)
            elif failure is None and os.waitstatus_to_exitcode(status) != 0:
                failure = TaskFailed(f"output writer process ended with status {os.waitstatus_to_exitcode(status)}")
    except BaseException:  # Ctrl+C, out of memory: the writers stop with the run, now
        with ctrl_c_deferred():
            _kill_children(children)
        raise
    finally:
        gc.unfreeze()
    if failure is not None:
        raise failure


def _kill_children(children: list[tuple[int, int]]) -> None:
    for pid, read_fd in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
        try:
            os.close(read_fd)
        except OSError:
            pass


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


class CtrlC:
    """A Ctrl+C held back by `ctrl_c_deferred` (see there)."""

    def __init__(self) -> None:
        self.pending = False

    def check(self) -> None:
        """Raise the Ctrl+C held back so far, at a point the caller chose."""
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt


@contextmanager
def ctrl_c_deferred() -> Iterator[CtrlC]:
    """Hold Ctrl+C back: it is raised where the body calls `check()`, or on leaving the block.

    Publishing renames files in an order that must not be cut at an arbitrary
    bytecode: with this, an interruption lands only between two whole steps. Outside
    the main thread (signals cannot be set there) nothing is held back.
    """
    state = CtrlC()

    def hold(signum, frame) -> None:  # noqa: ANN001
        state.pending = True

    try:
        previous = signal.signal(signal.SIGINT, hold)
    except ValueError:
        yield state
        return
    try:
        yield state
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
    if state.pending:
        raise KeyboardInterrupt


@contextmanager
def ctrl_c_blocked_for_children() -> Iterator[None]:
    """Start worker processes inside this: they begin life deaf to Ctrl+C.

    A terminal's Ctrl+C reaches every process of the console; a worker must not turn
    it into a traceback of its own, not even while it starts (under spawn, a fresh
    interpreter imports for a while before its first line runs). POSIX: SIGINT is
    blocked here and stays blocked in the child until it ignores it
    (`worker_ignores_ctrl_c`); a Ctrl+C meanwhile reaches this process once the block
    ends. Windows: the console ignores Ctrl+C for this process while inside, and
    children inherit that (a Ctrl+C in that instant is lost).
    """
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        kernel32.SetConsoleCtrlHandler(None, True)
        try:
            yield
        finally:
            kernel32.SetConsoleCtrlHandler(None, False)
        return
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def worker_ignores_ctrl_c() -> None:
    """First thing in a worker: Ctrl+C is the main process's business (it stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform != "win32":
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def die_with_parent(parent_pid: int) -> None:
    """A worker ends when the main process dies, however it dies (Linux: the kernel kills it;
    elsewhere the worker's own checks, see read/pool.py). Leaves at once if it is already gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if sys.platform != "win32" and os.getppid() != parent_pid:
        os._exit(0)


_JOB: Any = None  # Windows: the job object holding the workers (closed with this process)


def end_with_this_process(proc: Any) -> None:
    """Windows: put a worker into a job object killed when this process ends (handles close
    when a process dies, however it dies). Elsewhere nothing: see `die_with_parent`."""
    global _JOB
    if sys.platform != "win32":
        return
    try:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.windll.kernel32
        if _JOB is None:
            job = kernel32.CreateJobObjectW(None, None)

            class Limits(ctypes.Structure):  # JOBOBJECT_EXTENDED_LIMIT_INFORMATION
                _fields_ = [("basic", ctypes.c_byte * (64 if ctypes.sizeof(ctypes.c_void_p) == 8 else 48)),
                            ("io", ctypes.c_byte * 48), ("sizes", ctypes.c_size_t * 4)]

            info = Limits()
            # LimitFlags is the DWORD at offset 16 of the basic limits: JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
            ctypes.c_uint32.from_buffer(info.basic, 16).value = 0x2000
            kernel32.SetInformationJobObject(job, 9, ctypes.byref(info), ctypes.sizeof(info))
            _JOB = job
        kernel32.AssignProcessToJobObject(_JOB, wintypes.HANDLE(int(proc.sentinel)))
    except (OSError, AttributeError, ValueError):
        pass


def lean_numpy() -> None:
    """numpy's OpenBLAS starts a thread pool when loaded: the tool does no linear algebra,
    and one thread loads ~20 ms faster and leaves nothing running across fork()."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def freeze_at_exit() -> None:
    """Called as the process ends: without it the interpreter's exit collects every object
    the run left (pandas, the writers' libraries), about 0.3 s of a 1 s run."""
    gc.freeze()
