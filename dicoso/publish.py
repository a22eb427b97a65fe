"""Write every output of a run into staging, then publish them together.

Outputs of one run (period label L):
  bao-cao-L.docx, tong-hop-L.xlsx, loi-du-lieu-L.xlsx, bieu-do-L.png,
  summary.json, manifest.json (and bao-cao-L.pdf with --pdf).
Same inputs and options give identical bytes for every output (fixed zip entry
times, document properties from the as-of date, stable ordering).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import output
from .changes import diff

if TYPE_CHECKING:
    from .pipeline import Options, RunResult

MANIFEST_SCHEMA = 1


def file_names(label: str) -> dict[str, str]:
    return {
        "report": f"bao-cao-{label}.docx",
        "workbook": f"tong-hop-{label}.xlsx",
        "problems": f"loi-du-lieu-{label}.xlsx",
        "chart": f"bieu-do-{label}.png",
        "summary": "summary.json",
        "manifest": output.MANIFEST,
        "pdf": f"bao-cao-{label}.pdf",
    }


def target_dir(result: "RunResult", opts: "Options") -> Path:
    from .pipeline import DEFAULT_OUTPUT

    return opts.out if opts.out is not None else DEFAULT_OUTPUT / result.period.label


def build_manifest(result: "RunResult", opts: "Options", outputs: dict[str, Path]) -> dict[str, Any]:
    from .pipeline import _display_path

    inputs = []
    for rel in result.data.inputs:
        p = opts.input_dir / rel
        try:
            inputs.append({"path": rel, "size": p.stat().st_size, "sha256": output.sha256_file(p)})
        except OSError:
            inputs.append({"path": rel, "size": None, "sha256": None})
    rules_path = Path(result.rules_file)
    rules_abs = rules_path if rules_path.is_absolute() else Path(__file__).resolve().parent.parent / rules_path
    acc = result.summary["accounting"]
    return {
        "schema": MANIFEST_SCHEMA,
        "period": result.summary["period"],
        "as_of": result.as_of.isoformat(),
        "rules": {"name": result.rules_name, "file": result.rules_file,
                  "sha256": output.sha256_file(rules_abs) if rules_abs.exists() else None},
        "options": {
            "input_dir": _display_path(opts.input_dir),
            "period": opts.period_value or result.period.label,
            "rules": _display_path(opts.rules) if opts.rules else None,
            "as_of": result.as_of.isoformat(),
            "pdf": opts.pdf,
        },
        "inputs": inputs,
        "counts": {k: v for k, v in acc.items() if k != "files_skipped"} | {
            "files_skipped": len(acc["files_skipped"]),
            "issues": {sev: sum(1 for i in result.summary["issues"] if i["severity"] == sev)
                       for sev in ("error", "warning", "info")},
        },
        "outputs": [{"file": p.name, "sha256": output.sha256_file(p)} for _, p in sorted(outputs.items())],
    }


def write_outputs(result: "RunResult", comp: Any, rs: Any, opts: "Options", now: datetime) -> None:
    from . import chart, render_docx, render_xlsx
    from .pipeline import RunError

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
        template = opts.templates_dir / ("bao_cao_nam.docx" if result.period.kind == "year" else "bao_cao_tien_do.docx")
        render_docx.render_report(summary, office, template, written["chart"], staging.file(names["report"]),
                                  as_of=result.as_of)
        written["report"] = staging.file(names["report"])
        # The manifest of inputs is needed for "what changed" before the workbook is written.
        probe = build_manifest(result, opts, {})
        result.changes = diff(prev_manifest, prev_summary, probe, summary)
        render_xlsx.write_workbook(summary, comp.trips_table(), staging.file(names["workbook"]),
                                   as_of=result.as_of, changes=result.changes)
        written["workbook"] = staging.file(names["workbook"])
        render_xlsx.write_problems(summary, staging.file(names["problems"]), as_of=result.as_of)
        written["problems"] = staging.file(names["problems"])
        if opts.pdf:
            pdf = render_docx.to_pdf(written["report"], staging.path)
            if pdf is None:
                result.notes.append("Không tìm thấy LibreOffice nên không xuất được PDF; báo cáo .docx vẫn được ghi.")
            else:
                written["pdf"] = pdf
        manifest = build_manifest(result, opts, written)
        written["manifest"] = _write_bytes(staging.file(names["manifest"]), output.dump_json(manifest))
    except render_docx.RenderError as exc:
        output.abort(staging)
        raise RunError(str(exc)) from exc
    except OSError as exc:
        output.abort(staging)
        raise output.OutputError(
            f"Không ghi được kết quả vào {target}: {exc.strerror or exc}. Kết quả cũ vẫn được giữ nguyên."
        ) from exc
    except BaseException:
        output.abort(staging)
        raise
    result.history = output.publish(staging, [p.name for p in written.values()], now)
    result.out_dir = target
    result.outputs = {k: target / p.name for k, p in written.items()}


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _load_json(path: Path) -> dict | None:
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
