"""The plain data of one run: what was asked (`Options`) and what came out (`RunResult`).

Both stages above the pipeline (the command line, `watch`) and below it (publish)
use these; they live here so that nothing imports the orchestrator for its types.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import paths
from .model import Issue, Period, ReadResult
from .paths import DEFAULT_INPUT, RULES_DIR, TEMPLATES_DIR
from .read.limits import Limits

# progress(done, total, file) after each book is read (total counted before reading)
Progress = Callable[[int, int, str], None]


@dataclass
class Options:
    input_dir: Path = DEFAULT_INPUT
    period_kind: str | None = None  # "year" | "quarter" | "month" | None (latest year in the data)
    period_value: str | None = None  # "2020" | "2020-Q2" | "2020-04"
    rules: Path | None = None
    as_of: date | None = None  # None: today
    out: Path | None = None  # write directly here; default output_root/<label>/
    output_root: Path = field(default_factory=lambda: paths.DEFAULT_OUTPUT)  # output/ of the project
    pdf: bool = False
    number: str | None = None  # the document number (--so); None: left blank for the văn thư
    check_only: bool = False
    templates_dir: Path = TEMPLATES_DIR
    rules_dir: Path = RULES_DIR
    limits: Limits = field(default_factory=Limits)
    workers: int | None = None


@dataclass
class RunState:
    """What the command line must know to speak truthfully when a run is stopped half way,
    filled in by the run as it goes."""

    target: Path | None = None  # the output folder, once known
    had_previous: bool = False  # it held outputs of an earlier run when this run began writing
    published: bool = False  # this run's outputs are all in place
    notice: Callable[[str], None] = lambda text: None  # said at once, before the run goes on


@dataclass
class RunResult:
    period: Period
    as_of: date
    rules_name: str
    rules_file: str
    rules_reason: str
    data: ReadResult
    summary: dict[str, Any]
    issues: list[Issue]
    out_dir: Path | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    history: Path | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    compared: bool = False  # a previous run of this folder was compared (changes may still be empty)
    notes: list[str] = field(default_factory=list)  # Vietnamese info lines (e.g. PDF not made)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]
