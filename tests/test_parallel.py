"""Output writers side by side: results, failures and the sequential fallback."""

from __future__ import annotations

import os
import threading

import pytest

from dicoso import runtime as parallel
from dicoso.render.office import RenderError

from conftest import AS_OF, SAMPLES


def writer(path, text="ok"):
    def task():
        path.write_text(f"{text} {os.getpid()}")
    return task


def pids(*paths) -> set[str]:
    return {p.read_text().split()[1] for p in paths}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_tasks_run_in_children_and_all_finish(tmp_path):
    files = [tmp_path / f"{i}.txt" for i in range(3)]
    parallel.run_all([writer(f) for f in files])
    assert all(f.read_text().startswith("ok") for f in files)
    assert len(pids(*files)) == 3 and str(os.getpid()) in pids(*files)


def test_a_failing_child_raises_its_own_exception_in_the_parent(tmp_path):
    def broken():
        raise RenderError("Mẫu báo cáo x.docx có lỗi ở thẻ {{ a.b }}")

    with pytest.raises(RenderError, match=r"thẻ \{\{ a.b \}\}"):
        parallel.run_all([writer(tmp_path / "a.txt"), broken, writer(tmp_path / "c.txt")])
    assert (tmp_path / "a.txt").exists() and (tmp_path / "c.txt").exists()  # the others still ran


def test_an_os_error_keeps_its_details(tmp_path):
    def full_disk():
        raise OSError(28, "No space left on device", str(tmp_path / "x.xlsx"))

    with pytest.raises(OSError) as info:
        parallel.run_all([writer(tmp_path / "a.txt"), full_disk])
    assert (info.value.errno, info.value.strerror, info.value.filename) == (28, "No space left on device",
                                                                         str(tmp_path / "x.xlsx"))


def test_with_another_thread_alive_the_tasks_run_here_one_after_the_other(tmp_path):
    stop = threading.Event()
    watcher = threading.Thread(target=stop.wait)  # like watch's observer thread
    watcher.start()
    try:
        files = [tmp_path / f"{i}.txt" for i in range(3)]
        parallel.run_all([writer(f) for f in files])
    finally:
        stop.set()
        watcher.join()
    assert pids(*files) == {str(os.getpid())}


def test_sequential_on_request(tmp_path, monkeypatch):
    monkeypatch.setenv("DICOSO_SEQUENTIAL", "1")
    files = [tmp_path / f"{i}.txt" for i in range(2)]
    parallel.run_all([writer(f) for f in files])
    assert pids(*files) == {str(os.getpid())}


def test_a_run_leaves_nothing_frozen_for_the_next_one(tmp_path, monkeypatch):
    """`watch` runs for weeks in one process, with its writers one after the other: what a run
    froze out of the collector's way (runtime.quiet_imports) must be collectable once it is over."""
    import gc

    monkeypatch.setenv("DICOSO_SEQUENTIAL", "1")
    from dicoso.job import Options
    from dicoso.pipeline import run

    run(Options(input_dir=SAMPLES, period_kind="year", period_value="2020", as_of=AS_OF, out=tmp_path / "out"))
    assert gc.get_freeze_count() == 0


def test_under_spawn_nothing_is_forked_the_tasks_run_here(tmp_path, monkeypatch):
    """Windows' path, on any system: DICOSO_START_METHOD=spawn writes one output after the other."""
    monkeypatch.setenv("DICOSO_START_METHOD", "spawn")
    files = [tmp_path / f"{i}.txt" for i in range(3)]
    parallel.run_all([writer(f) for f in files])
    assert pids(*files) == {str(os.getpid())}
