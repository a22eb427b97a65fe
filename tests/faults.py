"""Fault injection for tests/test_faults_*.py: real processes, real signals, a real small file system.

Each fault test runs the real program (`generate.py`, or `tests/fault_child.py`, which
runs the same program with one fault injected at a precise moment) and checks the
promises of issue 15 after the fault: no output lost (the previous run's files are
whole in the output folder or in one history folder), no book skipped without a word,
no traceback, no hang. The figures are counted here and printed at the end of the
session (conftest.pytest_terminal_summary).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES

TALLY: Counter[str] = Counter()
FIGURES = ("faults tried", "outputs lost", "books skipped silently", "tracebacks", "hangs")
CHILD = Path(__file__).resolve().parent / "fault_child.py"
YEAR = ["--year", "2020", "--as-of", "2021-01-05"]
LINUX = sys.platform.startswith("linux")


def fault(n: int = 1) -> None:
    TALLY["faults tried"] += n


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith("LỖI:")]


def _env(env: dict[str, str] | None) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    return base | {"PYTHONUNBUFFERED": "1"} | (env or {})


def start(*args: object, spec: str | None = None, env: dict[str, str] | None = None, preexec_fn=None,
          stdin=subprocess.DEVNULL) -> subprocess.Popen:
    """The program in its own process group (a terminal's Ctrl+C reaches the whole group)."""
    head = [sys.executable, str(CHILD), spec] if spec else [sys.executable, "generate.py"]
    return subprocess.Popen([*head, *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=stdin, env=_env(env), preexec_fn=preexec_fn, start_new_session=True)


def finish(proc: subprocess.Popen, timeout: float = 90) -> Run:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        TALLY["hangs"] += 1
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"hung for {timeout} s: {err.decode('utf-8', 'replace')[-2000:]}")
    run = Run(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
    if "Traceback" in run.text:
        TALLY["tracebacks"] += 1
    return run


def generate(*args: object, spec: str | None = None, env: dict[str, str] | None = None, preexec_fn=None,
             timeout: float = 90) -> Run:
    return finish(start(*args, spec=spec, env=env, preexec_fn=preexec_fn), timeout)


def program_started(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Wait until the program's own code runs (past the interpreter's start-up, whose
    site-packages may run code of their own): `unicodedata`, which only the program loads
    that early, is mapped."""
    deadline = time.monotonic() + timeout
    maps = Path(f"/proc/{proc.pid}/maps")
    while time.monotonic() < deadline and proc.poll() is None:
        with contextlib.suppress(OSError):
            if "unicodedata" in maps.read_text():
                return
        time.sleep(0.002)


# --- what is in an output folder ------------------------------------------------------
def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def output_set(folder: Path) -> dict[str, str]:
    """The outputs directly in `folder`: name -> sha256 (no lock, no hidden or Office lock files)."""
    if not folder.is_dir():
        return {}
    return {p.name: digest(p) for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith((".", "~$")) and not p.name.endswith(".lock")}


def places(folder: Path) -> list[dict[str, str]]:
    """The output folder and each of its history folders, as output sets."""
    found = [output_set(folder)]
    history = folder / "lich-su"
    if history.is_dir():
        found += [output_set(p) for p in sorted(history.iterdir()) if p.is_dir()]
    return found


def whole_somewhere(expected: dict[str, str], folder: Path) -> bool:
    """`expected` (a run's files) is whole in one place: the folder or one history folder.
    A file kept under its edited name counts (bao-cao-2020 (đã sửa tay).docx)."""
    for place in places(folder):
        plain = {k.replace(" (đã sửa tay)", ""): v for k, v in place.items()}
        if all(plain.get(n) == sha for n, sha in expected.items()):
            return True
    return False


def assert_kept(expected: dict[str, str], folder: Path, what: str = "") -> None:
    assert expected, "nothing to keep: the test set-up wrote no outputs"
    if not whole_somewhere(expected, folder):
        TALLY["outputs lost"] += 1
        pytest.fail(f"outputs lost {what}: {places(folder)}")


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.text, run.text[-3000:]


def assert_accounted(summary: dict, inputs: list[str], books: list[str]) -> None:
    """Every book of the drop folder was read (`inputs`: the manifest's paths) or is named
    among the skipped files, itself or a folder holding it."""
    skipped = [f["file"] for f in summary["accounting"]["files_skipped"]]
    silent = [b for b in books if b not in inputs and not any(
        b == s or (s.endswith("/") and b.startswith(s)) for s in skipped)]
    if silent:
        TALLY["books skipped silently"] += len(silent)
        pytest.fail(f"books skipped silently: {silent}; skipped: {skipped}")


# --- a small drop folder ----------------------------------------------------------------
def small_drop(folder: Path, months: tuple[str, ...] = ("03", "04")) -> Path:
    (folder / "Ban XDD").mkdir(parents=True, exist_ok=True)
    shutil.copy2(SAMPLES / "Danh sach can bo chuyen trach 2020.xlsx", folder)
    for m in months:
        shutil.copy2(SAMPLES / "Ban XDD" / f"XDD thang {m}-2020.xlsx", folder / "Ban XDD")
    return folder


# --- privileges and file systems --------------------------------------------------------
def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def as_clerk() -> None:
    """preexec_fn: the child runs without root's right to ignore file permissions (CI runs
    as root, for whom chmod means nothing), as a clerk's account would."""
    if not is_root():
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def permissions_apply() -> bool:
    """Whether a child run `as_clerk` is refused a folder without permissions (not on Windows,
    not where capabilities cannot be dropped)."""
    if not hasattr(os, "geteuid"):
        return False
    probe = Path(os.environ.get("TMPDIR", "/tmp")) / f"dicoso-perm-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    probe.chmod(0)
    try:
        done = subprocess.run([sys.executable, "-c", f"import os; os.listdir({str(probe)!r})"], preexec_fn=as_clerk,
                              capture_output=True)
        return done.returncode != 0
    except OSError:
        return False
    finally:
        probe.chmod(0o755)
        probe.rmdir()


@contextlib.contextmanager
def small_disk(path: Path, size_kb: int) -> Iterator[Path]:
    """A real file system of `size_kb` KiB mounted at `path` (tmpfs); the test is skipped where
    mounting is not allowed (not root, a container without the right)."""
    if not LINUX or not is_root():
        pytest.skip("mounting a small file system needs root on Linux")
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def fill(disk: Path, leave_kb: int) -> None:
    """Fill the file system at `disk` until `leave_kb` KiB are left."""
    free = shutil.disk_usage(disk).free
    size = max(free - leave_kb * 1024, 0)
    with open(disk / "filler.bin", "ab") as fh:
        fh.write(b"\0" * size)


def children(pid: int) -> set[int]:
    """Every descendant process of `pid` (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError):
            for t in Path(f"/proc/{p}/task").iterdir():
                for c in (t / "children").read_text().split():
                    if int(c) not in found:
                        found.add(int(c))
                        todo.append(int(c))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
