"""What the clerk sees in the terminal: progress, problems, the closing summary.

People's text goes to stdout, or to stderr with `--json` (the summary owns stdout).
Errors always go to stderr. The progress bar is drawn only on a terminal, never
into a pipe, a file or a CI log.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections import defaultdict
from typing import Any, Callable, TextIO

from ..model import Issue
from ..publish.outputs import label_of
from ..text.vn import SEVERITY, dmy, number
from . import figures

KIND_VI = {"trips": "sổ đi cơ sở", "roster": "danh sách cán bộ", "registration": "đăng ký theo quý",
           "aliases": "ánh xạ tên", "summary": "trang tổng hợp của Ban, chỉ để đối chiếu"}
FOR_MACHINES = ("summary", "manifest")
SKIP_VI = {"blank": "dòng trống", "total": "dòng tổng cộng", "footer": "dòng chữ ký, ghi chú cuối trang",
           "heading": "dòng tiêu đề tháng, quý", "note": "dòng ghi chú", "column_numbers": "dòng đánh số cột",
           "repeated_header": "dòng tiêu đề lặp lại"}


def where(i: Issue | dict[str, Any]) -> str:
    """`trang "T3", dòng 12, cột D (Từ ngày)` — the place of a problem inside its file."""
    get = i.get if isinstance(i, dict) else lambda k: getattr(i, k)
    parts = []
    if get("sheet"):
        parts.append(f'trang "{get("sheet")}"')
    if get("row"):
        parts.append(f"dòng {get('row')}")
    if get("column"):
        parts.append(f"cột {get('column')}")
    return ", ".join(parts)


def issue_line(i: Issue | dict[str, Any], with_file: bool = True) -> str:
    get: Callable[[str], Any] = i.get if isinstance(i, dict) else lambda k: getattr(i, k)
    loc = where(i)
    head = f"[{SEVERITY[get('severity')].upper()}] "
    if with_file and get("file"):
        head += get("file") + (f" — {loc}" if loc else "") + ": "
    elif loc:
        head += loc + ": "
    text = head + get("message")
    if get("suggestion"):
        text += f"\n      → {get('suggestion')}"
    return text


def _as_dict(i: Issue | dict[str, Any]) -> dict[str, Any]:
    if isinstance(i, dict):
        return i
    return {k: getattr(i, k) for k in ("severity", "code", "file", "sheet", "row", "column", "message", "suggestion")}


def wants_progress(stream: TextIO, environ: dict[str, str] | os._Environ | None = None) -> bool:
    """A progress bar only on an interactive terminal: not in pipes, files, CI or dumb terminals."""
    env = os.environ if environ is None else environ
    if env.get("CI") or env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Console:
    def __init__(self, quiet: bool = False, verbose: bool = False, json_mode: bool = False,
                 out: TextIO | None = None, err: TextIO | None = None,
                 environ: dict[str, str] | None = None) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.err = err if err is not None else sys.stderr
        # With --json the summary owns stdout; people's text goes to stderr.
        self.out = out if out is not None else (self.err if json_mode else sys.stdout)
        self.tty = not quiet and wants_progress(self.out, environ)
        self._bar_width = 0
        self._last_draw = 0.0

    def say(self, text: str = "") -> None:
        if not self.quiet:
            print(text, file=self.out, flush=True)

    def error(self, text: str) -> None:
        self.end_progress()
        print(f"LỖI: {text}", file=self.err, flush=True)

    def notice(self, text: str) -> None:
        """Something the clerk must not miss although the run goes on (even with -q): stderr."""
        self.end_progress()
        print(f"CHÚ Ý: {text}", file=self.err, flush=True)

    # --- progress over the books (only on a terminal) ---------------------------
    def progress_callback(self) -> Callable[[int, int, str], None] | None:
        if not self.tty:
            return None

        def tick(done: int, total: int, name: str) -> None:
            now = time.monotonic()
            if done < total and now - self._last_draw < 0.08:
                return  # redrawing faster than the eye helps nobody
            self._last_draw = now
            self._draw(done, total, name)

        return tick

    def _draw(self, done: int, total: int, name: str) -> None:
        columns = shutil.get_terminal_size((80, 24)).columns
        cells = 24
        filled = cells * done // max(total, 1)
        head = f"Đang đọc sổ [{'#' * filled}{'.' * (cells - filled)}] {number(done)}/{number(total)} "
        room = max(columns - 1 - len(head), 0)
        short = name if len(name) <= room else ("…" + name[-(room - 1):] if room > 1 else "")
        line = head + short
        # "\r" and spaces rather than ANSI codes: old Windows consoles print those literally.
        self.out.write("\r" + line.ljust(self._bar_width))
        self.out.flush()
        self._bar_width = len(line)

    def end_progress(self) -> None:
        if self._bar_width:
            self.out.write("\r" + " " * self._bar_width + "\r")
            self.out.flush()
            self._bar_width = 0

    # --- problems ------------------------------------------------------------------
    def problems(self, issues: list[Issue] | list[dict[str, Any]]) -> None:
        """The problem list grouped by file; with --quiet only the errors, on stderr, each with its file."""
        items = [_as_dict(i) for i in issues]
        if self.quiet:
            for i in items:
                if i["severity"] == "error":
                    print(issue_line(i, with_file=True), file=self.err, flush=True)
            return
        shown = [i for i in items if self.verbose or i["severity"] != "info"]
        if not shown:
            return
        self.say("")
        self.say(f"Danh sách vấn đề dữ liệu ({number(len(shown))}):")
        by_file: dict[str, list[dict]] = defaultdict(list)
        for i in shown:
            by_file[i["file"] or "(chung)"].append(i)
        for file, group in by_file.items():
            self.say(f"• {file}")
            for i in group:
                self.say("  " + issue_line(i, with_file=False))

    def run_failed(self, message: str, issues: list[Issue] | None = None) -> None:
        self.end_progress()
        if issues:
            self.problems(issues)
            self.say("")
        self.error(message)

    # --- the closing report -------------------------------------------------------
    def report(self, result, check_only: bool = False, strict: bool = False) -> None:
        s = result.summary
        acc = s["accounting"]
        self.say(result.rules_reason)
        p = s["period"]
        self.say(f"Kỳ báo cáo: {p['label']} ({dmy(p['start'])} – {dmy(p['end'])}), số liệu chốt đến ngày {dmy(s['as_of'])}.")
        for f in acc["files_skipped"]:
            self.say(f"  Bỏ qua {f['file']}: {f['reason']}")
        if self.verbose:
            self._per_file(result)
        issues = s["issues"]
        self.problems(issues)
        self.say("")
        skipped = len(acc["files_skipped"])
        n = {k: number(v) for k, v in acc.items() if isinstance(v, int)}  # 34.000 dòng, as people write it
        self.say(
            f"Đã đọc {n['files_read']} sổ" + (f" (bỏ qua {number(skipped)} tệp)" if skipped else "")
            + f", {n['rows_read']} dòng: {figures.trips(s)}, "
            f"{n['duplicates_merged']} dòng trùng đã gộp, {n['rows_rejected']} dòng bị loại (có lý do), "
            f"{n['rows_skipped']} dòng không phải dữ liệu (trống, tổng cộng, chữ ký)."
        )
        n_err = sum(1 for i in issues if i["severity"] == "error")
        n_warn = sum(1 for i in issues if i["severity"] == "warning")
        self.say(f"{figures.cadres(s)}; {number(n_err)} lỗi, {number(n_warn)} cảnh báo cần xem.")
        for line in figures.books_outside(s, all_books=self.verbose):
            self.say(line)
        for line in result.notes:
            self.say(line)
        if result.compared:
            self.say("")
            if result.changes:
                self.say("Thay đổi so với lần chạy trước:")
                for c in result.changes:
                    self.say(f"  - {c['text']}")
            else:
                self.say("Không có thay đổi nào so với lần chạy trước.")
        if check_only:
            self.say("")
            exit_code = " (mã thoát 1)" if self.verbose else ""
            self.say("Chế độ kiểm tra: không lập báo cáo. "
                     + (f"Có {number(n_err)} lỗi cần sửa{exit_code}." if n_err else "Không có lỗi."))
            return
        if result.outputs:
            self.say("")
            self.say(f"Kết quả đã ghi vào {result.out_dir}:")
            # summary.json and manifest.json are for machines and maintainers: listed with -v only
            shown = {k: p for k, p in result.outputs.items() if self.verbose or k not in FOR_MACHINES}
            width = max(len(path.name) for path in shown.values())
            for key, path in shown.items():
                self.say(f"  {path.name.ljust(width)}  {label_of(key)}".rstrip())
        if result.history:
            self.say(f"Kết quả lần chạy trước được giữ nguyên tại {result.history}.")
        if strict and n_err:
            exit_code = " (mã thoát 1)" if self.verbose else ""
            self.error(f"Có {number(n_err)} lỗi dữ liệu và đang chạy với --strict nên coi là thất bại{exit_code}; "
                       "báo cáo vẫn được ghi để xem.")

    def _per_file(self, result) -> None:
        self.say("Chi tiết từng sổ:")
        for a in result.data.files:
            why = ", ".join(f"{number(n)} {SKIP_VI.get(k, k)}" for k, n in a.skip_reasons.items())
            self.say(
                f'  {a.file}, trang "{a.sheet}" ({KIND_VI.get(a.kind, a.kind)}): đọc {number(a.rows_read)} dòng, '
                f"loại {number(a.rows_rejected)}, bỏ qua {number(a.rows_skipped)}" + (f" ({why})" if why else "")
            )
