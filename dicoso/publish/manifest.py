"""manifest.json: how a run was made (README "summary.json / manifest.json").

Inputs (size and SHA-256 of the bytes read), rule set, templates, options, counts and
outputs. Paths are shown one way (paths.shown), never relative to the working folder;
nothing depends on --out or the clock, so the same run gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..job import Options, RunResult
from ..paths import NOTICE_TEMPLATE, report_template, shown
from . import staging as output

MANIFEST_SCHEMA = 1


def build_manifest(result: RunResult, opts: Options, outputs: dict[str, Path]) -> dict[str, Any]:
    """Inputs, rule set, templates, options, counts and outputs of a run (schema in README).

    Paths inside the project are relative to it; nothing depends on --out or the clock.
    """
    inputs = []
    for rel in result.data.inputs:
        # the reader hashed the bytes it read (and streamed a book too large to read); a file it
        # could not read is never opened here (a FIFO, a stalled share: it would hang)
        size, sha = result.data.digests.get(rel) or (None, None)
        inputs.append({"path": rel, "size": size, "sha256": sha})
    acc = result.summary["accounting"]
    return {
        "schema": MANIFEST_SCHEMA,
        "period": result.summary["period"],
        "as_of": result.as_of.isoformat(),
        "rules": {"name": result.rules_name, "file": result.rules_file,
                  "sha256": result.summary["rules"]["sha256"] or None},
        "templates": [{"file": shown(t), "sha256": output.sha256_file(t) if t.exists() else None}
                      for t in (report_template(opts.templates_dir, result.period.kind),
                                opts.templates_dir / NOTICE_TEMPLATE, opts.templates_dir / "office.yaml")],
        "options": {
            "input_dir": shown(opts.input_dir),
            "period": {"kind": opts.period_kind or "year", "value": opts.period_value or result.period.label,
                       "chosen": opts.period_kind is None},
            "rules": shown(opts.rules) if opts.rules else None,
            "as_of": result.as_of.isoformat(),
            "as_of_given": opts.as_of is not None,
            "pdf": opts.pdf,
            "number": opts.number,
        },
        "inputs": inputs,
        "counts": {k: v for k, v in acc.items() if k != "files_skipped"} | {
            "files_skipped": len(acc["files_skipped"]),
            "issues": {sev: sum(1 for i in result.summary["issues"] if i["severity"] == sev)
                       for sev in ("error", "warning", "info")},
        },
        "outputs": [entry for path in outputs.values() for entry in _entries(path)],
    }


def _entries(path: Path) -> list[dict[str, str]]:
    """An output file, or every file of an output folder (`theo-ban/<Ban>/…`, sorted)."""
    if not path.is_dir():
        return [{"file": path.name, "sha256": output.sha256_file(path)}]
    return [{"file": p.relative_to(path.parent).as_posix(), "sha256": output.sha256_file(p)}
            for p in sorted(path.rglob("*")) if p.is_file()]
