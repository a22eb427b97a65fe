"""Processes and signals (issues 14 and 15): Ctrl+C at any moment under fork and under spawn,
killing the main process, and the whole pipeline under Windows' spawn start method.

Ctrl+C is sent the way a terminal sends it, to the whole process group (the main
process, its reader workers and its writers), at moments spread over a run: while the
program loads, while the workers read, while the outputs are written and put in place.
Each time: exit 1 with one Vietnamese line saying what became of the outputs (or exit 0
when the run had already finished), no traceback from any process, the previous outputs
whole, no staging folder left. `DICOSO_START_METHOD=spawn` runs on Linux the path Windows
takes (workers started fresh, writers one after the other, nothing forked).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from faults import (
    LINUX,
    YEAR,
    alive,
    assert_kept,
    assert_no_traceback,
    children,
    fault,
    finish,
    generate,
    output_set,
    program_started,
    start,
)

from conftest import SAMPLES

pytestmark = pytest.mark.skipif(not LINUX, reason="real signals and /proc (Linux)")


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory) -> tuple[Path, Path]:
    """The samples (55 files: the reader's worker processes are used) and a first run's outputs."""
    base = tmp_path_factory.mktemp("samples")
    drop = shutil.copytree(SAMPLES, base / "Sổ đi cơ sở 2020")
    out = base / "Kết quả"
    run = generate(drop, *YEAR, "--out", out)
    assert run.code == 0, run.text
    return drop, out


def _ctrl_c_at(delay: float, method: str, drop: Path, out: Path) -> tuple[int, list[str]]:
    old = output_set(out)
    proc = start(drop, *YEAR, "--out", out, env={"DICOSO_START_METHOD": method})
    program_started(proc)
    time.sleep(delay)
    try:
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: every process of the group
    except ProcessLookupError:
        pass
    run = finish(proc, timeout=60)
    fault()
    assert_no_traceback(run)
    lines = [line for line in run.err.splitlines() if line.strip()]
    if run.code == 0:  # finished before the signal: the new outputs are in place, nothing to say
        assert lines == [], run.err
    else:
        assert run.code == 1, run.text
        assert len(lines) == 1 and lines[0].startswith("LỖI: Đã dừng theo yêu cầu (Ctrl+C)"), run.err
        if "kết quả mới đã được ghi đầy đủ" not in lines[0]:
            assert output_set(out) == old, (delay, lines)
            # truthful about the outputs: kept (they existed), or, stopped before the program knew
            # where it would write, nothing written at all
            assert any(words in lines[0] for words in ("Kết quả cũ vẫn được giữ nguyên.", "trước khi bắt đầu; chưa ghi tệp nào.",
                                                       "Thư mục kết quả không bị động đến.")), lines
    assert_kept(old, out, f"Ctrl+C at {delay} s under {method}")
    assert not [p for p in out.iterdir() if p.name.startswith(".dang-ghi-")]
    assert len(output_set(out)) == 6
    return run.code, lines


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_ctrl_c_at_any_moment_prints_one_vietnamese_line_and_keeps_the_outputs(samples_run, tmp_path, method):
    drop, first_out = samples_run
    out = shutil.copytree(first_out, tmp_path / "Kết quả")
    codes = [_ctrl_c_at(delay, method, drop, out)[0] for delay in (0.0, 0.05, 0.3, 0.9, 1.8)]
    assert 1 in codes  # at least the early ones interrupted something


def test_ctrl_c_while_the_spawned_workers_read_never_prints_their_tracebacks(samples_run, tmp_path):
    """Issue 14: under spawn, 1 run in 4 printed `InvalidStateError: CANCELLED` (and the workers'
    KeyboardInterrupt tracebacks) before the Vietnamese line."""
    drop, first_out = samples_run
    out = shutil.copytree(first_out, tmp_path / "Kết quả")
    for delay in (0.2, 0.35, 0.5, 0.65):
        code, lines = _ctrl_c_at(delay, "spawn", drop, out)
        assert all("InvalidStateError" not in line for line in lines)


@pytest.fixture(scope="module")
def big_drop(tmp_path_factory) -> Path:
    """Four copies of the samples' books (a read that lasts long enough to kill it half way)."""
    base = tmp_path_factory.mktemp("big") / "Sổ đi cơ sở 2020"
    for i in range(4):
        shutil.copytree(SAMPLES, base / f"Tỉnh {i}", ignore=shutil.ignore_patterns("*.md"))
    return base


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_killing_the_main_process_ends_its_reader_workers(big_drop, tmp_path, method):
    proc = start(big_drop, *YEAR, "--out", tmp_path / "Kết quả", env={"DICOSO_START_METHOD": method})
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2:  # the workers are up and reading
        assert proc.poll() is None and time.monotonic() < deadline, "no reader workers seen"
        workers = children(proc.pid)
        time.sleep(0.02)
    time.sleep(0.3)
    workers = children(proc.pid)
    fault()
    proc.kill()  # SIGKILL: no handler of the main process runs
    proc.wait(10)
    deadline = time.monotonic() + 10
    while any(alive(p) for p in workers):
        if time.monotonic() > deadline:
            for p in workers:
                if alive(p):
                    os.kill(p, signal.SIGKILL)
            pytest.fail(f"orphaned workers: {[p for p in workers if alive(p)]}")
        time.sleep(0.05)


def test_the_whole_pipeline_under_spawn_writes_the_same_bytes_as_under_fork(samples_run, tmp_path):
    drop, _ = samples_run
    outs = {}
    for method in ("fork", "spawn"):
        outs[method] = tmp_path / method
        run = generate(drop, *YEAR, "--out", outs[method], env={"DICOSO_START_METHOD": method})
        assert run.code == 0, run.text
    fork, spawn = ({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(o.iterdir()) if p.is_file()}
                   for o in outs.values())
    assert fork == spawn and len(fork) == 6
