"""Write every output of a run into staging, then publish them together.

Outputs of one run (period label L):
  bao-cao-L.docx, tong-hop-L.xlsx, loi-du-lieu-L.xlsx, bieu-do-L.png,
  summary.json, manifest.json (and bao-cao-L.pdf with --pdf).
Same inputs and options give identical bytes for every output (fixed zip entry
times, document properties from the as-of date, stable ordering); the manifest
holds no clock time and no output path, so it is identical too. A previous run
in the same folder moves to `lich-su/<time it was written>/` (output.publish).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import runtime
from ..errors import OutputError, RunFailed
from ..job import Options, RunResult
from ..paths import ROOT, shown
from . import staging as output
from .changes import diff

MANIFEST_SCHEMA = 1

# The files a run writes, whatever its period label: only these move into history.
OUTPUT_NAME = re.compile(r"(bao-cao-.+\.(docx|pdf)|tong-hop-.+\.xlsx|chuyen-di-.+\.csv|loi-du-lieu-.+\.xlsx|bieu-do-.+\.png"
                         r"|summary\.json|manifest\.json)")
# The order outputs are listed in (console, manifest readers).
ORDER = ("report", "pdf", "workbook", "trips_csv", "problems", "chart", "summary", "manifest")
# The workbook's "Thay đổi" sheet is never empty; the same row for a first run and for
# an unchanged re-run keeps the workbook byte-identical between the two.
NO_CHANGES = {"kind": "Không có thay đổi", "item": "so với lần chạy trước (hoặc đây là lần chạy đầu tiên của kỳ này)",
              "before": "", "after": "", "text": "Không có thay đổi nào so với lần chạy trước."}


def file_names(label: str) -> dict[str, str]:
    return {
        "report": f"bao-cao-{label}.docx",
        "workbook": f"tong-hop-{label}.xlsx",
        "problems": f"loi-du-lieu-{label}.xlsx",
        "chart": f"bieu-do-{label}.png",
        "summary": "summary.json",
        "manifest": output.MANIFEST,
        "pdf": f"bao-cao-{label}.pdf",
        "trips_csv": f"chuyen-di-{label}.csv",
    }


def target_dir(result: RunResult, opts: Options) -> Path:
    return opts.out if opts.out is not None else opts.output_root / result.period.label


def is_output(name: str) -> bool:
    return OUTPUT_NAME.fullmatch(name) is not None


def _template_path(result: RunResult, opts: Options) -> Path:
    return opts.templates_dir / ("bao_cao_nam.docx" if result.period.kind == "year" else "bao_cao_tien_do.docx")


def build_manifest(result: RunResult, opts: Options, outputs: dict[str, Path]) -> dict[str, Any]:
    """Inputs, rule set, templates, options, counts and outputs of a run (schema in README).

    Paths inside the project are relative to it; nothing depends on --out or the clock.
    """
    inputs = []
    for rel in result.data.inputs:
        # the reader hashed the bytes it read; a file it did not read (too large) is hashed here
        size, sha = result.data.digests.get(rel) or _digest(opts.input_dir / rel)
        inputs.append({"path": rel, "size": size, "sha256": sha})
    rules_path = Path(result.rules_file)
    rules_abs = rules_path if rules_path.is_absolute() else ROOT / rules_path
    acc = result.summary["accounting"]
    return {
        "schema": MANIFEST_SCHEMA,
        "period": result.summary["period"],
        "as_of": result.as_of.isoformat(),
        "rules": {"name": result.rules_name, "file": result.rules_file,
                  "sha256": output.sha256_file(rules_abs) if rules_abs.exists() else None},
        "templates": [{"file": shown(t), "sha256": output.sha256_file(t) if t.exists() else None}
                      for t in (_template_path(result, opts), opts.templates_dir / "office.yaml")],
        "options": {
            "input_dir": shown(opts.input_dir),
            "period": {"kind": opts.period_kind or "year", "value": opts.period_value or result.period.label,
                       "chosen": opts.period_kind is None},
            "rules": shown(opts.rules) if opts.rules else None,
            "as_of": result.as_of.isoformat(),
            "as_of_given": opts.as_of is not None,
            "pdf": opts.pdf,
        },
        "inputs": inputs,
        "counts": {k: v for k, v in acc.items() if k != "files_skipped"} | {
            "files_skipped": len(acc["files_skipped"]),
            "issues": {sev: sum(1 for i in result.summary["issues"] if i["severity"] == sev)
                       for sev in ("error", "warning", "info")},
        },
        "outputs": [{"file": outputs[k].name, "sha256": output.sha256_file(outputs[k])} for k in ORDER if k in outputs],
    }


def load_writers() -> None:
    """Import the writers and their libraries now (see pipeline._import_later_stages)."""
    from ..render import chart, report, workbook  # noqa: F401


def _digest(path: Path) -> tuple[int | None, str | None]:
    try:
        return path.stat().st_size, output.sha256_file(path)
    except OSError:
        return None, None


def write_outputs(result: RunResult, comp: Any, rs: Any, opts: Options, now: datetime) -> None:
    from ..render import chart
    from ..render import report as render_docx
    from ..render import workbook as render_xlsx

    label = result.period.label
    names = file_names(label)
    target = target_dir(result, opts)
    prev_manifest = output.previous_manifest(target)
    prev_summary = _load_json(target / names["summary"])
    staging = output.start(target)
    written: dict[str, Path] = {}
    try:
        summary = result.summary
        written["summary"] = _write_bytes(staging.file(names["summary"]), output.dump_json(summary))
        written["chart"] = chart.days_chart(summary, staging.file(names["chart"]))
        office = render_docx.load_office(opts.templates_dir / "office.yaml")
        template = _template_path(result, opts)
        # The manifest of inputs is needed for "what changed" before the workbook is written.
        probe = build_manifest(result, opts, {})
        result.compared = prev_manifest is not None and prev_summary is not None
        result.changes = diff(prev_manifest, prev_summary, probe, summary)
        trips = comp.trips_table()
        full_list = names["trips_csv"] if len(trips) > render_xlsx.TRIPS_SHEET_MAX else None

        def report() -> None:
            render_docx.render_report(summary, office, template, written["chart"], staging.file(names["report"]),
                                      as_of=result.as_of)

        def trips_csv() -> None:
            if full_list:
                render_xlsx.write_trips_csv(trips, staging.file(full_list))

        def workbooks() -> None:
            render_xlsx.write_workbook(summary, trips, staging.file(names["workbook"]), as_of=result.as_of,
                                       changes=result.changes or [NO_CHANGES], full_list=full_list)
            render_xlsx.write_problems(summary, staging.file(names["problems"]), as_of=result.as_of)

        # The writers are independent: side by side they take the time of the longest. The
        # first runs in this process: the CSV, when there is one, since it walks every trip
        # (in a forked child that walk would copy the parent's memory page by page). The two
        # workbooks share one child: each builds its sheets in memory, and one after the
        # other they still finish before the CSV of a national roll-up.
        runtime.run_all([trips_csv, report, workbooks] if full_list else [report, workbooks])
        written["report"] = staging.file(names["report"])
        if full_list:
            written["trips_csv"] = staging.file(full_list)
        written["workbook"] = staging.file(names["workbook"])
        written["problems"] = staging.file(names["problems"])
        if opts.pdf:
            pdf = render_docx.to_pdf(written["report"], staging.path)
            if pdf is None:
                result.notes.append("Không tìm thấy LibreOffice nên không xuất được PDF; báo cáo .docx vẫn được ghi.")
            else:
                written["pdf"] = pdf
        manifest = build_manifest(result, opts, written)
        written["manifest"] = _write_bytes(staging.file(names["manifest"]), output.dump_json(manifest))
    except RunFailed:
        output.abort(staging)
        raise
    except OSError as exc:
        output.abort(staging)
        raise OutputError(
            f"Không ghi được kết quả vào {target}: {exc.strerror or exc}. Kết quả cũ vẫn được giữ nguyên."
        ) from exc
    except BaseException:
        output.abort(staging)
        raise
    # The previous run's folder in history is named for when that run was written.
    stamp = output.previous_time(target) or now
    result.history = output.publish(staging, [written[k].name for k in ORDER if k in written], stamp, is_output)
    result.out_dir = target
    result.outputs = {k: target / written[k].name for k in ORDER if k in written}


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _load_json(path: Path) -> dict | None:
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
