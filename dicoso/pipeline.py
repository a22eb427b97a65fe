"""The whole job as one function: read -> normalise -> rules -> render -> publish.

`run()` takes plain options and returns a `RunResult`; it never prints and never
exits. Bad input is data (Issues); a run that cannot produce its outputs raises a
`RunFailed` (errors.py) with a Vietnamese message.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, datetime

from . import runtime
from .errors import InputError
from .job import Options, Progress, RunResult, RunState
from .model import Issue, Period, ReadResult
from .paths import shown

# How people write a period: "2020", "năm 2020"; "III/2020", "Q3/2020", "3/2020",
# "Quý III/2020", "quý 3 năm 2020", "2020-Q3"; "5/2020", "05/2020", "tháng 5/2020", "T5/2020",
# "2020-5", "2020-05". Quarters as in the registers' titles (text/dates.parse_quarter).
_YEAR = re.compile(r"(?:năm\s*)?(\d{4})")
_YEAR_QUARTER = re.compile(r"(\d{4})\s*[-/.]?\s*(?:quý|quí|q)\s*(iv|iii|ii|i|[1-4])")
_MONTH_YEAR = re.compile(r"(?:tháng|th|t)?\s*(\d{1,2})\s*[-/.]\s*(\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
HOW_PERIOD = {
    "year": "ghi 4 chữ số, ví dụ 2020",
    "quarter": "ghi quý/năm, ví dụ III/2020, Q3/2020, 3/2020 hoặc 2020-Q3",
    "month": "ghi tháng/năm, ví dụ 5/2020, 05/2020 hoặc 2020-05",
}


def parse_period(kind: str, value: str) -> Period:
    """A period as people write it (see above) -> Period with its canonical label
    (`2020`, `2020-Q3`, `2020-05`); raises ValueError with a Vietnamese reason."""
    from .text.clean import lower
    from .text.dates import parse_quarter

    text = re.sub(r"\s+năm\s+", "/", lower(value))
    what = {"year": "Năm", "quarter": "Quý", "month": "Tháng"}.get(kind)
    if what is None:
        raise ValueError(kind)
    wrong = ValueError(f'{what} "{value}" không hợp lệ; {HOW_PERIOD[kind]}.')
    if kind == "year":
        if not (m := _YEAR.fullmatch(text)) or not 1990 <= int(m.group(1)) <= 2100:
            raise wrong
        y = int(m.group(1))
        return Period(date(y, 1, 1), date(y, 12, 31), "year", str(y))
    if kind == "quarter":
        if m := _YEAR_QUARTER.fullmatch(text):
            q = m.group(2)
            y, quarter = int(m.group(1)), int(q) if q.isdigit() else ("i", "ii", "iii", "iv").index(q) + 1
        else:
            found = parse_quarter(text)
            if found is None or found[1] is None:
                raise wrong
            quarter, y = found[0], int(found[1])
        if not 1990 <= y <= 2100:
            raise wrong
        end_month = quarter * 3
        return Period(date(y, end_month - 2, 1), date(y, end_month, calendar.monthrange(y, end_month)[1]),
                      "quarter", f"{y}-Q{quarter}")
    m = _MONTH_YEAR.fullmatch(text)
    y, mo = (int(m.group(2)), int(m.group(1))) if m else (0, 0)
    if not m and (m := _YEAR_MONTH.fullmatch(text)):
        y, mo = int(m.group(1)), int(m.group(2))
    if not 1 <= mo <= 12 or not 1990 <= y <= 2100:
        raise wrong
    return Period(date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]), "month", f"{y}-{mo:02d}")


# What a roster sheet needs for the reader to recognise it (read/headers.py `classify`),
# in the words of the clerk's header row.
ROSTER_NEEDS = (
    'một trang tính có dòng tiêu đề gồm cột "Họ và tên" và các cột "Chức vụ", "Ban" (không có cột ngày đi, '
    '"Địa bàn", "Nội dung" như sổ đi cơ sở), hoặc cột "Họ và tên" cùng ít nhất một trong các cột '
    '"Ngày bắt đầu công tác", "Ngày thôi công tác", "Miễn từ ngày", "Miễn đến ngày", "Lý do miễn"'
)


def require_inputs(folder, data: ReadResult) -> None:
    """Stop before any figure is made when the folder has no books, or no roster.

    Without a roster every trip would be "a name not in the roster" and every figure
    zero: one clear message instead (and nothing written, so earlier outputs stay).
    """
    where = shown(folder)
    if not data.inputs:
        skipped = "".join(f"\n  - {f}: {why}" for f, why in data.files_skipped[:10])
        more = f"\n  - … và {len(data.files_skipped) - 10} tệp khác" if len(data.files_skipped) > 10 else ""
        what = (f"không có sổ tính nào (.xlsx, .xlsm, .xls, .ods), chỉ có {len(data.files_skipped)} tệp khác "
                f"đã bỏ qua:{skipped}{more}" if skipped else "trống: không có sổ tính nào (.xlsx, .xlsm, .xls, .ods).")
        raise InputError(
            f"Thư mục dữ liệu {where} {what}\nChép sổ đi cơ sở của các Ban và danh sách cán bộ chuyên trách vào "
            "thư mục này (hoặc chỉ đúng thư mục đang chứa sổ) rồi chạy lại."
        )
    roster_sheets = [f for f in data.files if f.kind == "roster"]
    if not roster_sheets:
        books = len(data.inputs)
        raise InputError(
            f"Không tìm thấy danh sách cán bộ chuyên trách trong thư mục dữ liệu {where} (đã xem {books} sổ và "
            "mọi thư mục con). Không có danh sách thì không biết ai phải đi cơ sở, nên chưa lập được số liệu nào.\n"
            f"Danh sách cán bộ cần {ROSTER_NEEDS}; mỗi cán bộ một dòng.\n"
            + _unrecognised(data) +
            "Chép tệp danh sách cán bộ chuyên trách vào thư mục dữ liệu (đặt ở đâu trong thư mục cũng được) rồi "
            "chạy lại. Kết quả của lần chạy trước vẫn được giữ nguyên."
        )
    if not len(data.roster):
        sheets = ", ".join(f'{f.file} (trang "{f.sheet}")' for f in roster_sheets)
        raise InputError(
            f"Danh sách cán bộ chuyên trách ở {sheets} không có dòng nào dùng được, nên chưa lập được số liệu nào. "
            "Xem các lỗi của danh sách ở trên, sửa rồi chạy lại. Kết quả của lần chạy trước vẫn được giữ nguyên.",
            issues=[i for i in data.issues if i.file in {f.file for f in roster_sheets}],
        )


def _unrecognised(data: ReadResult) -> str:
    """The sheets whose header was not recognised: one of them may be the roster, typed differently."""
    sheets = [f'{i.file} (trang "{i.sheet}")' for i in data.issues if i.code == "sheet_unrecognised"]
    if not sheets:
        return ""
    more = f" và {len(sheets) - 5} trang khác" if len(sheets) > 5 else ""
    return (f"Các trang có dòng tiêu đề chưa nhận ra (nếu danh sách nằm ở đây, sửa dòng tiêu đề như trên): "
            f"{', '.join(sheets[:5])}{more}.\n")


def latest_period(data: ReadResult, kind: str = "year") -> Period | None:
    """The latest year, quarter or month in which a trip read ends (None when no trip was read)."""
    ends = [d for d in data.trips["end"] if d is not None] if len(data.trips) else []
    if not ends:
        return None
    last = max(ends)
    value = {"year": f"{last.year}", "quarter": f"{last.year}-Q{(last.month - 1) // 3 + 1}",
             "month": f"{last.year}-{last.month:02d}"}[kind]
    return parse_period(kind, value)


def resolve_rules(opts: Options, period: Period):
    """The rule set to use and the sentence that says why (Vietnamese): `--rules`, or the one
    of the office's province (templates/office.yaml) whose counting period fits."""
    from .render.office import office_province
    from .rules import ruleset

    office_file = opts.templates_dir / "office.yaml"
    province = office_province(office_file)
    if opts.rules:
        rs = ruleset.load_ruleset(opts.rules)
        reason = f'Dùng bộ quy tắc "{rs.name}" ({shown(opts.rules)}) theo tùy chọn --rules.'
        if province is not None and not ruleset.same_province(rs.province, province):
            reason += (f" Lưu ý: bộ quy tắc này của tỉnh {rs.province}, khác tỉnh {province} ghi trong "
                       f"{shown(office_file)}.")
        return rs, reason
    return ruleset.pick_ruleset(opts.rules_dir, period, province, shown(office_file))


def _excluded(opts: Options) -> tuple:
    """Folders the reader never enters: the default output folder (the tool's own). A --out
    folder is entered: it may be a Ban's folder inside the drop folder, whose books count;
    what the tool wrote there is known from its manifest and left out (discover.walk)."""
    return (opts.output_root,) if opts.out is None else ()


def read(opts: Options, progress: Progress | None = None, meanwhile: Callable[[], None] | None = None) -> ReadResult:
    from .read.folder import read_folder

    folder = opts.input_dir
    if not folder.is_dir():
        raise InputError(
            f"Không tìm thấy thư mục dữ liệu {folder}. Kiểm tra lại đường dẫn (đặt trong ngoặc kép nếu có dấu cách) rồi chạy lại."
        )
    if opts.out is not None and opts.out.resolve() == folder.resolve():
        raise InputError(
            f"Thư mục kết quả --out {opts.out} trùng với thư mục dữ liệu. Chọn một thư mục khác để ghi kết quả."
        )
    exclude = _excluded(opts)
    tick = None
    if progress is not None:

        def tick(rel: str, done: int, total: int) -> None:
            progress(done, total, rel)

    with runtime.ctrl_c_in_main_process_only():
        return read_folder(folder, opts.limits, exclude=exclude, workers=opts.workers, progress=tick,
                           meanwhile=meanwhile)


def _import_later_stages(check_only: bool) -> None:
    """Load the engine (pandas) and the writers' libraries. Called while the reader's
    worker processes read, so that this start-up cost overlaps the reading."""
    with runtime.quiet_imports():
        from .rules import engine, summary  # noqa: F401

        if not check_only:
            from .publish import write

            write.load_writers()


def _cadre_order(opts: Options):
    """The office's order of Ban and positions (templates/office.yaml). A broken office.yaml
    stops a run before its work (the report needs the file too), not a `check` of the books."""
    from .render import office

    try:
        path = opts.templates_dir / "office.yaml"
        return office.cadre_order(office.load_office(path), shown(path))
    except office.RenderError:
        if opts.check_only:
            return None
        raise


def expect_target(opts: Options, state: RunState) -> None:
    """Where the outputs will go, when the options already say (for a truthful Ctrl+C)."""
    from .publish import staging

    try:
        label = parse_period(opts.period_kind, opts.period_value or "").label if opts.period_kind else None
    except ValueError:
        return
    target = opts.out if opts.out is not None else (opts.output_root / label if label else None)
    if target is not None:
        # what was there first, then where: a Ctrl+C between the two never finds a target
        # without knowing whether it held earlier outputs
        state.had_previous = bool(staging.previous_files(target, staging.previous_manifest(target), []))
        state.target = target


def run(opts: Options, progress: Progress | None = None, now: datetime | None = None,
        state: RunState | None = None) -> RunResult:
    """One run. `state` (optional) is filled in as the run goes: where it writes, whether
    earlier outputs were there, whether its own are in place (for a truthful Ctrl+C)."""
    with runtime.batch_collector():
        return _run(opts, progress, now, state)


def _run(opts: Options, progress: Progress | None, now: datetime | None, state: RunState | None) -> RunResult:
    if state is not None and not opts.check_only:
        expect_target(opts, state)
    data = read(opts, progress, meanwhile=lambda: _import_later_stages(opts.check_only))
    require_inputs(opts.input_dir, data)
    from .rules import engine, summary

    if opts.period_kind:
        try:
            period = parse_period(opts.period_kind, opts.period_value or "")
        except ValueError as exc:
            raise InputError(str(exc)) from exc
    else:
        latest = latest_period(data, "year")
        if latest is None:
            raise InputError(
                "Không có chuyến đi cơ sở nào đọc được trong thư mục dữ liệu, nên không biết lập báo cáo cho năm nào. "
                + ("Xem danh sách lỗi ở trên, hoặc chỉ" if data.issues else "Chỉ")
                + " rõ kỳ báo cáo bằng --year, --quarter hoặc --month.",
                issues=data.issues,
            )
        period = latest
    rs, reason = resolve_rules(opts, period)
    as_of = opts.as_of or date.today()
    comp = engine.compute(data, rs, period, as_of, aliases=data.aliases, order=_cadre_order(opts))
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
    from .publish.write import write_outputs

    write_outputs(result, comp, rs, opts, now or datetime.now(), state)
    return result

