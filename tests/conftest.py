"""What the tests share: where things are, the as-of date of the samples' runs, and the
helpers that run the command line in-process and read what it wrote."""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent  # tests/
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

ROOT = HERE.parent
SAMPLES = ROOT / "input_samples"
RULES = ROOT / "rules"
TEMPLATES = ROOT / "templates"
AS_OF = date(2021, 1, 5)  # the samples' year-end report is closed on this day
AS_OF_ARGS = ["--as-of", AS_OF.isoformat()]


def cli(capsys, *args: object) -> tuple[int, str, str]:
    """`python generate.py ARGS` in this process: (exit code, stdout, stderr)."""
    from dicoso.cli.main import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def files(folder: Path) -> dict[str, bytes]:
    """The files directly in `folder` (not its subfolders), name -> bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def drop_folder(tmp_path: Path, *only: str) -> Path:
    """The office's drop folder: a copy of input_samples/ (or of some of its entries)."""
    folder = tmp_path / "Sổ đi cơ sở 2020"
    if not only:
        shutil.copytree(SAMPLES, folder)
        return folder
    for rel in only:
        src, dst = SAMPLES / rel, folder / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dst)
    return folder


def docx_text(path: Path) -> str:
    """The body text of a written report: paragraphs and table cells in document order, as the
    eye reads it (a non-breaking space, "Quý III/2020", is a space)."""
    from docx import Document
    from docx.oxml.ns import qn

    body = Document(str(path)).element.body
    text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    return text.replace("\u00a0", " ")


def pytest_terminal_summary(terminalreporter) -> None:
    """The figures of the fault-injection suite (tests/test_faults_*.py), when it ran."""
    faults = sys.modules.get("faults")
    if faults is None or not faults.TALLY.get("faults tried"):
        return
    figures = ", ".join(f"{name} {faults.TALLY.get(name, 0)}" for name in faults.FIGURES)
    terminalreporter.write_line(f"fault injection: {figures}")
