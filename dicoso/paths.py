"""Where things are, and the one way a path is shown to the clerk or written down.

Paths in messages, `summary.json` and `manifest.json` never depend on the working
folder the tool was started from: a path inside the project is shown relative to
the project, anything else in full.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT / "input_samples"
DEFAULT_OUTPUT = ROOT / "output"
RULES_DIR = ROOT / "rules"
TEMPLATES_DIR = ROOT / "templates"

# What the tool itself keeps in an output folder (the reader never takes them for books).
MANIFEST = "manifest.json"  # the run's manifest: among other things, the files it wrote
HISTORY_DIR = "lich-su"  # earlier runs, one folder each
STAGING_PREFIX = ".dang-ghi-"  # a run's files while being written (removed, or recovered, by the next run)
LOCK_NAME = "dang-ghi-ket-qua.lock"  # present while a run writes into the folder (publish/lock.py)


NOTICE_TEMPLATE = "thong_bao_ban.docx"  # the notice sent to each Ban (render/per_ban.py)


def report_template(templates_dir: Path, period_kind: str) -> Path:
    """The Word template of a run: the year-end report, or the progress report (month, quarter)."""
    return templates_dir / ("bao_cao_nam.docx" if period_kind == "year" else "bao_cao_tien_do.docx")


def shown(path: str | Path) -> str:
    """`path` relative to the project when inside it (forward slashes), else absolute."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(ROOT).as_posix()
    except ValueError:
        return str(resolved)

