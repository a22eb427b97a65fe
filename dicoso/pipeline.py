"""The whole job as one function: read -> normalise -> rules -> render -> publish.

`run()` takes plain options and returns a `RunResult`; it never prints and never
exits. Bad input is data (Issues); only a run that cannot produce its outputs
raises `RunError` with a Vietnamese message.
"""

from __future__ import annotations

import os
import re
import signal
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from .limits import Limits
from .model import Issue, Period, ReadResult

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT / "input_samples"
DEFAULT_OUTPUT = ROOT / "output"
RULES_DIR = ROOT / "rules"
TEMPLATES_DIR = ROOT / "templates"


class RunError(Exception):
    """The run could not produce its outputs. The message is for the clerk.

    `issues` are the problems found before the run stopped (shown with the message).
    """

    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.issues = list(issues or [])


# progress(done, total, file) after each book is read (total counted before reading)
Progress = Callable[[int, int, str], None]


@dataclass
class Options:
    input_dir: Path = DEFAULT_INPUT
    period_kind: str | None = None  # "year" | "quarter" | "month" | None (latest year in the data)
    period_value: str | None = None  # "2020" | "2020-Q2" | "2020-04"
    rules: Path | None = None
    as_of: date | None = None  # None: today
    out: Path | None = None  # write directly here; default output/<label>/
    pdf: bool = False
    check_only: bool = False
    templates_dir: Path = TEMPLATES_DIR
    rules_dir: Path = RULES_DIR
    limits: Limits = field(default_factory=Limits)
    workers: int | None = None


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


def parse_period(kind: str, value: str) -> Period:
    """`--year 2020`, `--quarter 2020-Q2`, `--month 2020-04` -> Period (raises ValueError, Vietnamese)."""
    import calendar

    if kind == "year":
        if not re.fullmatch(r"\d{4}", value):
            raise ValueError(f'Năm "{value}" không hợp lệ; ghi 4 chữ số, ví dụ --year 2020.')
        y = int(value)
        return Period(date(y, 1, 1), date(y, 12, 31), "year", value)
    if kind == "quarter":
        m = re.fullmatch(r"(\d{4})-?[Qq]([1-4])", value)
        if not m:
            raise ValueError(f'Quý "{value}" không hợp lệ; ghi dạng năm-Q số quý, ví dụ --quarter 2020-Q2.')
        y, q = int(m.group(1)), int(m.group(2))
        end_month = q * 3
        return Period(date(y, end_month - 2, 1), date(y, end_month, calendar.monthrange(y, end_month)[1]),
                      "quarter", f"{y}-Q{q}")
    if kind == "month":
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f'Tháng "{value}" không hợp lệ; ghi dạng năm-tháng, ví dụ --month 2020-04.')
        y, mo = int(m.group(1)), int(m.group(2))
        return Period(date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]), "month", f"{y}-{mo:02d}")
    raise ValueError(kind)


def _latest_year(data: ReadResult) -> int | None:
    ends = [d for d in data.trips["end"] if d is not None] if len(data.trips) else []
    return max(ends).year if ends else None


def resolve_rules(opts: Options, period: Period):
    """The rule set to use and the sentence that says why (Vietnamese)."""
    from . import rules

    try:
        if opts.rules:
            rs = rules.load_ruleset(opts.rules)
            return rs, f'Dùng bộ quy tắc "{rs.name}" ({_display_path(opts.rules)}) theo tùy chọn --rules.'
        return rules.pick_ruleset(opts.rules_dir, period)
    except rules.RuleSetError as exc:
        raise RunError(str(exc)) from exc


def _display_path(p: Path) -> str:
    """Relative to the project when inside it, else absolute: never depends on the working folder."""
    resolved = p.resolve()
    try:
        return resolved.relative_to(ROOT).as_posix()
    except ValueError:
        return str(resolved)


def _excluded(opts: Options) -> tuple[Path, ...]:
    return tuple(p for p in (opts.out, DEFAULT_OUTPUT) if p is not None)


def read(opts: Options, progress: Progress | None = None, meanwhile: Callable[[], None] | None = None) -> ReadResult:
    from .reader import read_folder

    folder = opts.input_dir
    if not folder.is_dir():
        raise RunError(
            f"Không tìm thấy thư mục dữ liệu {folder}. Kiểm tra lại đường dẫn (đặt trong ngoặc kép nếu có dấu cách) rồi chạy lại."
        )
    if opts.out is not None and opts.out.resolve() == folder.resolve():
        raise RunError(
            f"Thư mục kết quả --out {opts.out} trùng với thư mục dữ liệu. Chọn một thư mục khác để ghi kết quả."
        )
    exclude = _excluded(opts)
    tick = None
    if progress is not None:

        def tick(rel: str, done: int, total: int) -> None:
            progress(done, total, rel)

    with _ctrl_c_in_main_process_only():
        return read_folder(folder, opts.limits, exclude=exclude, workers=opts.workers, progress=tick,
                           meanwhile=meanwhile)


@contextmanager
def _ctrl_c_in_main_process_only():
    """Ctrl+C stops the run, not the reader's worker processes.

    A terminal sends SIGINT to every process of the group. A pool worker interrupted
    mid-book breaks ProcessPoolExecutor and the program then hangs at exit joining
    it. Forked workers inherit this handler, which ignores the signal outside the
    main process; the main process raises KeyboardInterrupt as usual.
    """
    main_pid = os.getpid()

    def handler(signum, frame) -> None:  # noqa: ANN001
        if os.getpid() == main_pid:
            raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _import_later_stages(check_only: bool) -> None:
    """Load the engine (pandas) and the writers' libraries. Called while the reader's
    worker processes read, so that this start-up cost overlaps the reading."""
    import gc

    # Importing makes objects that live as long as the run: no collections while they are
    # made, then out of the collector's way (its later passes no longer walk them).
    gc.disable()
    try:
        from . import engine, summary  # noqa: F401

        if not check_only:
            from . import publish

            publish.load_writers()
    finally:
        gc.freeze()
        gc.enable()


# A run makes millions of objects that live until it ends (cells, trips, issues). The
# collector's default, a young collection every 700 new objects, then walks them over
# and over: 0.7 s at a million trips against 0.09 s with this threshold.
GC_THRESHOLD = (100_000, 20, 20)


def run(opts: Options, progress: Progress | None = None, now: datetime | None = None) -> RunResult:
    import gc

    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        return _run(opts, progress, now)
    finally:
        gc.set_threshold(*previous)


def _run(opts: Options, progress: Progress | None, now: datetime | None) -> RunResult:
    data = read(opts, progress, meanwhile=lambda: _import_later_stages(opts.check_only))
    from . import engine, summary

    if opts.period_kind:
        try:
            period = parse_period(opts.period_kind, opts.period_value or "")
        except ValueError as exc:
            raise RunError(str(exc)) from exc
    else:
        year = _latest_year(data)
        if year is None:
            raise RunError(
                "Không có chuyến đi cơ sở nào đọc được trong thư mục dữ liệu, nên không biết lập báo cáo cho năm nào. "
                "Xem danh sách lỗi ở trên, hoặc chỉ rõ kỳ báo cáo bằng --year, --quarter hoặc --month.",
                issues=data.issues,
            )
        period = parse_period("year", str(year))
    rs, reason = resolve_rules(opts, period)
    as_of = opts.as_of or date.today()
    comp = engine.compute(data, rs, period, as_of, aliases=data.aliases)
    summ = summary.build(comp, rs, period, as_of, rules_reason=reason)
    # The raw tables are not needed past this point; a national roll-up's million rows
    # would otherwise be held (and copied into the writer processes) until the end.
    data.trips = data.trips.iloc[0:0]
    data.registrations = data.registrations.iloc[0:0]
    eff = summ["period"]
    result = RunResult(
        period=Period(date.fromisoformat(eff["start"]), date.fromisoformat(eff["end"]), period.kind, period.label),
        as_of=as_of,
        rules_name=rs.name,
        rules_file=summ["rules"]["file"],
        rules_reason=reason,
        data=data,
        summary=summ,
        issues=[Issue(**i) for i in summ["issues"]],
    )
    if opts.check_only:
        return result
    from .publish import write_outputs

    write_outputs(result, comp, rs, opts, now or datetime.now())
    return result
