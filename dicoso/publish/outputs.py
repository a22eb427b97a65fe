"""Every output of a run, declared once: its file name, how it is written, when, in
which writer process, and how the console names it. The manifest lists them in this
order, and the next run moves exactly the files its manifest lists into history
(`is_output` only tells `watch` which changes in an output folder are the tool's own).

A new output is one entry here and its writer (a function of the `Job` and the path
to write). `stage` orders the writing: "first" outputs are written one after the
other before the others (the report needs the chart); "side" outputs are written side
by side, one writer process per `task` (see runtime.run_all); "after" outputs come
once those are done; the manifest is always last.

An output may be a folder (the per-Ban one, `theo-ban/<Ban>/…`): its writer makes the
folder at the path it is given; the manifest lists every file in it (with the folder's
path), and the folder moves into history and back as one piece (staging.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..job import Options, RunResult
from ..paths import report_template
from . import staging
from .manifest import build_manifest

# The workbook's "Thay đổi" sheet is never empty; the same row for a first run and for
# an unchanged re-run keeps the workbook byte-identical between the two.
NO_CHANGES = {"kind": "Không có thay đổi", "item": "so với lần chạy trước (hoặc đây là lần chạy đầu tiên của kỳ này)",
              "before": "", "after": "", "text": "Không có thay đổi nào so với lần chạy trước."}


@dataclass
class Job:
    """What the writers of one run share (built once the summary and the changes are known)."""

    result: RunResult
    comp: Any  # rules.engine.Compliance
    opts: Options
    folder: Path  # the staging folder the files are written into
    trips: Any = None  # comp.trips_table(), made once
    written: dict[str, Path] = field(default_factory=dict)  # key -> file written so far

    @property
    def label(self) -> str:
        return self.result.period.label

    @property
    def as_of(self) -> date:
        return self.result.as_of

    @property
    def template(self) -> Path:
        return report_template(self.opts.templates_dir, self.result.period.kind)

    def path(self, key: str) -> Path:
        return self.folder / by_key(key).file(self.label)

    def full_list(self) -> str | None:
        """The CSV's name when the trips are too many for the workbook's sheet."""
        from ..render.workbook import TRIPS_SHEET_MAX

        return by_key("trips_csv").file(self.label) if len(self.trips) > TRIPS_SHEET_MAX else None


@dataclass(frozen=True)
class Output:
    key: str
    pattern: str  # the file name, "{label}" standing for the period label
    label: str  # what the console says it is (Vietnamese)
    write: Callable[[Job, Path], Path | None]  # writes the file; None when it was not made
    stage: str = "side"  # "first" | "side" | "after" | "last"
    task: str = ""  # the writer process of a "side" output
    when: Callable[[Job], bool] = lambda job: True

    def file(self, label: str) -> str:
        return self.pattern.format(label=label)


# --- writers -------------------------------------------------------------------------
def _summary(job: Job, path: Path) -> Path:
    path.write_bytes(staging.dump_json(job.result.summary))
    return path


def _chart(job: Job, path: Path) -> Path:
    from ..render import canvas, chart

    note = canvas.font_note(canvas.chart_font())
    if note:
        job.result.notes.append(note)
    return chart.days_chart(job.result.summary, path)


def _report(job: Job, path: Path) -> Path:
    from ..render import office as office_yaml
    from ..render import report

    office = office_yaml.load_office(job.opts.templates_dir / "office.yaml")
    report.render_report(job.result.summary, office, job.template, job.written["chart"], path, as_of=job.as_of,
                         number=job.opts.number)
    return path


def _workbook(job: Job, path: Path) -> Path:
    from ..render import workbook

    workbook.write_workbook(job.result.summary, job.trips, path, as_of=job.as_of,
                            changes=job.result.changes or [NO_CHANGES], full_list=job.full_list())
    return path


def _problems(job: Job, path: Path) -> Path:
    from ..render import workbook

    workbook.write_problems(job.result.summary, path, as_of=job.as_of)
    return path


def _per_ban(job: Job, path: Path) -> Path:
    from ..render import office as office_yaml
    from ..render import per_ban

    office = office_yaml.load_office(job.opts.templates_dir / "office.yaml")
    return per_ban.write_folder(job.result.summary, office, job.opts.templates_dir, path, as_of=job.as_of)


def _trips_csv(job: Job, path: Path) -> Path:
    from ..render import trips_csv

    trips_csv.write_trips_csv(job.trips, path)
    return path


def _pdf(job: Job, path: Path) -> Path | None:
    from ..render import pdf

    try:
        return pdf.to_pdf(job.written["report"], path.parent)
    except pdf.PdfNotMade as why:  # an extra: the run and its other outputs stand
        job.result.notes.append(f"Không xuất được bản PDF: {why}. Báo cáo .docx vẫn được ghi.")
        return None


def _manifest(job: Job, path: Path) -> Path:
    written = {o.key: job.written[o.key] for o in OUTPUTS if o.key in job.written}
    path.write_bytes(staging.dump_json(build_manifest(job.result, job.opts, written)))
    return path


# In the order the manifest and the console list them. The side-by-side tasks: the trips
# CSV, when there is one, runs in this process since it walks every trip (in a forked
# child that walk would copy the parent's memory page by page); the two workbooks share
# one child: each builds its sheets in memory, and one after the other they still finish
# before the CSV of a national roll-up. The per-Ban folder (a notice and a workbook per
# Ban, from the summary alone) has its own child: beside the report it doubled the time
# of a small run's writing.
OUTPUTS: tuple[Output, ...] = (
    Output("report", "bao-cao-{label}.docx", "báo cáo trình ký (Word)", _report, task="report"),
    Output("pdf", "bao-cao-{label}.pdf", "báo cáo dạng PDF", _pdf, stage="after", when=lambda job: job.opts.pdf),
    Output("workbook", "tong-hop-{label}.xlsx", "sổ tổng hợp (Excel), có trang Thay đổi", _workbook, task="workbooks"),
    Output("trips_csv", "chuyen-di-{label}.csv", "danh sách đầy đủ các chuyến đi (CSV, mở bằng Excel)", _trips_csv,
           task="trips_csv", when=lambda job: job.full_list() is not None),
    Output("problems", "loi-du-lieu-{label}.xlsx", "danh sách lỗi dữ liệu (Excel)", _problems, task="workbooks"),
    # A folder: theo-ban/<Ban>/ with the Ban's notice (Word) and its problems and reminders (Excel).
    Output("per_ban", "theo-ban", "gửi từng Ban: thông báo (Word) và việc cần làm, lỗi cần sửa (Excel)", _per_ban,
           task="per_ban"),
    Output("chart", "bieu-do-{label}.png", "biểu đồ", _chart, stage="first"),
    Output("summary", "summary.json", "số liệu cho máy đọc", _summary, stage="first"),
    Output("manifest", staging.MANIFEST, "danh sách sổ đã đọc, bộ quy tắc, tùy chọn, mã băm", _manifest, stage="last"),
)
# Which side-by-side task runs in this process: the first of these that has work.
TASK_ORDER = ("trips_csv", "report", "workbooks", "per_ban")

_NAMES = re.compile("|".join(re.escape(o.pattern).replace(re.escape("{label}"), ".+") for o in OUTPUTS))


def by_key(key: str) -> Output:
    return next(o for o in OUTPUTS if o.key == key)


def is_output(name: str) -> bool:
    """Whether a file name is one a run writes (whatever its period label): for telling the
    tool's own writing from the clerk's, never for deciding what moves (the manifest does)."""
    return _NAMES.fullmatch(name) is not None


def label_of(key: str) -> str:
    return by_key(key).label
