"""Write every output of a run into staging, then publish them together.

The outputs are declared in outputs.py. Same inputs and options give identical bytes
for every output (fixed zip entry times, document properties from the as-of date,
stable ordering); the manifest holds no clock time and no output path, so it is
identical too. The run holds the output folder's lock (lock.py) from before it looks
at the previous run until its own outputs are in place, first finishing or undoing
what a killed run left there (staging.recover). A previous run in the same folder
moves to `lich-su/<time it was written>/` (staging.publish); an output the clerk
edited since is kept there under a name that says so, and the clerk is told at once.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from .. import runtime
from ..errors import OutputError, RunFailed
from ..job import Options, RunResult, RunState
from . import failures, lock, staging
from .changes import diff
from .manifest import build_manifest
from .outputs import OUTPUTS, TASK_ORDER, Job, Output


def target_dir(result: RunResult, opts: Options) -> Path:
    return opts.out if opts.out is not None else opts.output_root / result.period.label


def load_writers() -> None:
    """Import the writers and their libraries now (see pipeline._import_later_stages)."""
    from ..render import chart, report, workbook  # noqa: F401


def _write(job: Job, output: Output) -> None:
    made = output.write(job, job.path(output.key))
    if made is not None:
        job.written[output.key] = made


def write_outputs(result: RunResult, comp: Any, rs: Any, opts: Options, now: datetime,
                  state: RunState | None = None) -> None:
    state = state if state is not None else RunState()
    target = target_dir(result, opts)
    expected = [o.file(result.period.label) for o in OUTPUTS]
    # whether earlier outputs are there, then where (see pipeline.expect_target)
    state.had_previous = bool(staging.previous_files(target, staging.previous_manifest(target), expected))
    state.target = target
    try:
        target.mkdir(parents=True, exist_ok=True)
        held = lock.acquire(target, wait=opts.limits.lock_wait_seconds)
    except OSError as exc:
        raise OutputError(failures.explain(exc, target, had_previous=state.had_previous)) from exc
    try:
        if held.stale is not None:
            result.notes.append(f"Lần chạy trước vào thư mục này ({held.stale.describe()}) đã dừng giữa chừng "
                                "(máy tắt hoặc chương trình bị tắt).")
        result.notes.extend(staging.recover(target))
        _write_and_publish(result, comp, opts, now, state, target, expected)
    finally:
        lock.release(held)


def _write_and_publish(result: RunResult, comp: Any, opts: Options, now: datetime, state: RunState, target: Path,
                       expected: list[str]) -> None:
    prev_manifest = staging.previous_manifest(target)
    prev_summary = _load_json(target / "summary.json")
    old = staging.previous_files(target, prev_manifest, expected)
    state.had_previous = bool(old)
    try:
        stage = staging.start(target)
    except OSError as exc:
        raise OutputError(failures.explain(exc, target, had_previous=bool(old))) from exc
    job = Job(result, comp, opts, stage.path)
    try:
        wanted = [o for o in OUTPUTS if o.stage == "first"]
        for output in wanted:
            _write(job, output)
        # The manifest of inputs is needed for "what changed" before the workbook is written.
        result.compared = prev_manifest is not None and prev_summary is not None
        result.changes = diff(prev_manifest, prev_summary, build_manifest(result, opts, {}), result.summary)
        job.trips = comp.trips_table()
        side = [o for o in OUTPUTS if o.stage == "side" and o.when(job)]
        tasks = [[o for o in side if o.task == task] for task in TASK_ORDER]
        # The writers are independent: side by side they take the time of the longest.
        runtime.run_all([_task(job, outputs) for outputs in tasks if outputs])
        for output in side:
            job.written[output.key] = job.path(output.key)
        for output in OUTPUTS:
            if output.stage in ("after", "last") and output.when(job):
                _write(job, output)
        keys = [o.key for o in OUTPUTS if o.key in job.written]
        names = [job.written[k].name for k in keys]
        staging.sync(stage, names)
    except RunFailed:
        staging.abort(stage)
        raise
    except OSError as exc:
        needed = max(_size(target, old), _size(stage.path, None), _estimate(result))
        staging.abort(stage)
        raise OutputError(failures.explain(exc, target, had_previous=bool(old), needed=needed)) from exc
    except BaseException:
        staging.abort(stage)
        raise
    edits = staging.edited(target, prev_manifest)
    # The previous run's folder in history is named for when that run was written.
    moves = staging.plan(stage, names, staging.previous_time(target) or now, prev_manifest, edits)
    for name, kept in moves.old:
        if name in edits:
            state.notice(f"Tệp {name} trong {target} đã được sửa tay sau khi chương trình ghi; bản mới sẽ không có "
                         f"những chỗ sửa đó. Bản đã sửa được giữ nguyên tại {target / moves.history / kept}: "
                         "mở bản đó nếu cần chép lại phần đã sửa.")

    def done() -> None:
        state.published = True

    try:
        result.history = staging.publish(stage, moves, on_done=done)
    except staging.RestoreFailed as exc:
        raise OutputError(
            f"Không thay được kết quả trong {target} và chưa đưa được kết quả cũ về chỗ cũ: bản đầy đủ của lần chạy "
            f"trước đang nằm ở {target / exc.moves.history}. Lần chạy sau vào thư mục này sẽ tự đưa về "
            "(hoặc chép các tệp ở đó ra thư mục kết quả)."
        ) from exc
    except OSError as exc:
        staging.abort(stage)
        raise OutputError(failures.explain(exc, target, had_previous=bool(old))) from exc
    except BaseException:
        staging.abort(stage)
        raise
    result.out_dir = target
    result.outputs = {k: target / job.written[k].name for k in keys}


def _size(folder: Path, names: list[str] | None) -> int:
    """Bytes of `names` in `folder` (every file when None): how much room a run needs."""
    total = 0
    try:
        paths = [folder / n for n in names] if names is not None else list(folder.iterdir())
    except OSError:
        return 0
    for p in paths:
        try:
            total += p.stat().st_size
        except OSError:
            pass
    return total


def _estimate(result: RunResult) -> int:
    """A first run's outputs, roughly: the documents, plus the trips in both workbooks."""
    return 2 * 1024 * 1024 + 400 * int(result.summary.get("accounting", {}).get("trips_counted") or 0)


def _task(job: Job, outputs: list[Output]):
    def run() -> None:
        for output in outputs:
            output.write(job, job.path(output.key))

    return run


def _load_json(path: Path) -> dict | None:
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
