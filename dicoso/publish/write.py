"""Write every output of a run into staging, then publish them together.

The outputs are declared in outputs.py. Same inputs and options give identical bytes
for every output (fixed zip entry times, document properties from the as-of date,
stable ordering); the manifest holds no clock time and no output path, so it is
identical too. A previous run in the same folder moves to `lich-su/<time it was
written>/` (staging.publish).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from .. import runtime
from ..errors import OutputError, RunFailed
from ..job import Options, RunResult
from . import staging
from .changes import diff
from .manifest import build_manifest
from .outputs import OUTPUTS, TASK_ORDER, Job, Output, is_output


def target_dir(result: RunResult, opts: Options) -> Path:
    return opts.out if opts.out is not None else opts.output_root / result.period.label


def load_writers() -> None:
    """Import the writers and their libraries now (see pipeline._import_later_stages)."""
    from ..render import chart, report, workbook  # noqa: F401


def _write(job: Job, output: Output) -> None:
    made = output.write(job, job.path(output.key))
    if made is not None:
        job.written[output.key] = made


def write_outputs(result: RunResult, comp: Any, rs: Any, opts: Options, now: datetime) -> None:
    target = target_dir(result, opts)
    prev_manifest = staging.previous_manifest(target)
    prev_summary = _load_json(target / "summary.json")
    stage = staging.start(target)
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
    except RunFailed:
        staging.abort(stage)
        raise
    except OSError as exc:
        staging.abort(stage)
        raise OutputError(
            f"Không ghi được kết quả vào {target}: {exc.strerror or exc}. Kết quả cũ vẫn được giữ nguyên."
        ) from exc
    except BaseException:
        staging.abort(stage)
        raise
    # The previous run's folder in history is named for when that run was written.
    stamp = staging.previous_time(target) or now
    keys = [o.key for o in OUTPUTS if o.key in job.written]
    result.history = staging.publish(stage, [job.written[k].name for k in keys], stamp, is_output)
    result.out_dir = target
    result.outputs = {k: target / job.written[k].name for k in keys}


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
