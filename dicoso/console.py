"""What the clerk sees in the terminal: progress, problems, the closing summary."""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Any, Callable

from .model import Issue

SEVERITY_VI = {"error": "LỖI", "warning": "CẢNH BÁO", "info": "GHI CHÚ"}


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
    get = i.get if isinstance(i, dict) else lambda k: getattr(i, k)
    loc = where(i)
    head = f"[{SEVERITY_VI[get('severity')]}] "
    if with_file and get("file"):
        head += get("file") + (f" — {loc}" if loc else "") + ": "
    elif loc:
        head += loc + ": "
    text = head + get("message")
    if get("suggestion"):
        text += f"\n      → {get('suggestion')}"
    return text


class Console:
    def __init__(self, quiet: bool = False, verbose: bool = False, json_mode: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose
        # With --json the summary owns stdout; people's text goes to stderr.
        self.out = sys.stderr if json_mode else sys.stdout
        self.tty = self.out.isatty() and not quiet
        self._count = 0
        self._progress_shown = False

    def say(self, text: str = "") -> None:
        if not self.quiet:
            print(text, file=self.out, flush=True)

    def error(self, text: str) -> None:
        print(f"LỖI: {text}", file=sys.stderr, flush=True)

    # --- progress over the books (only on a terminal) ---------------------------
    def progress_callback(self) -> Callable[[str], None] | None:
        if not self.tty:
            return None

        def tick(name: str) -> None:
            self._count += 1
            self._progress_shown = True
            short = name if len(name) <= 50 else "…" + name[-49:]
            self.out.write(f"\r\033[KĐang đọc sổ {self._count}: {short}")
            self.out.flush()

        return tick

    def end_progress(self) -> None:
        if self._progress_shown:
            self.out.write("\r\033[K")
            self.out.flush()
            self._progress_shown = False

    # --- the closing report -------------------------------------------------------
    def report(self, result, check_only: bool = False) -> None:
        s = result.summary
        acc = s["accounting"]
        self.say(result.rules_reason)
        p = s["period"]
        self.say(f"Kỳ báo cáo: {p['label']} ({_d(p['start'])} – {_d(p['end'])}), số liệu chốt đến ngày {_d(s['as_of'])}.")
        for f in acc["files_skipped"]:
            self.say(f"  Bỏ qua {f['file']}: {f['reason']}")
        if self.verbose:
            self._per_file(result)
        issues = s["issues"]
        shown = [i for i in issues if self.verbose or i["severity"] != "info"]
        if shown:
            self.say("")
            self.say(f"Danh sách vấn đề dữ liệu ({len(shown)}):")
            by_file: dict[str, list[dict]] = defaultdict(list)
            for i in shown:
                by_file[i["file"] or "(chung)"].append(i)
            for file, items in by_file.items():
                self.say(f"• {file}")
                for i in items:
                    line = "  " + issue_line(i, with_file=False)
                    if i["severity"] == "error" and self.quiet:
                        print(line, file=sys.stderr)
                    else:
                        self.say(line)
        self.say("")
        self.say(
            f"Đã đọc {acc['files_read']} sổ, {acc['rows_read']} dòng: {acc['trips_counted']} chuyến được tính, "
            f"{acc['duplicates_merged']} dòng trùng đã gộp, {acc['rows_rejected']} dòng bị loại (có lý do), "
            f"{acc['rows_skipped']} dòng không phải dữ liệu (trống, tổng cộng, chữ ký)."
        )
        t = s["totals"]
        n_err = sum(1 for i in issues if i["severity"] == "error")
        n_warn = sum(1 for i in issues if i["severity"] == "warning")
        self.say(f"{t['cadres']} cán bộ, {t['met']} đạt chỉ tiêu; {n_err} lỗi, {n_warn} cảnh báo cần xem.")
        for line in result.notes:
            self.say(line)
        if result.changes:
            self.say("")
            self.say("Thay đổi so với lần chạy trước:")
            for c in result.changes:
                self.say(f"  - {c['text']}")
        if check_only:
            self.say("Chế độ kiểm tra: không lập báo cáo." + (" Có lỗi cần sửa." if n_err else " Không có lỗi."))
            return
        if result.outputs:
            self.say("")
            self.say(f"Kết quả đã ghi vào {result.out_dir}:")
            for path in result.outputs.values():
                self.say(f"  {path.name}")
        if result.history:
            self.say(f"Kết quả lần chạy trước được giữ tại {result.history}.")

    def _per_file(self, result) -> None:
        self.say("Chi tiết từng sổ:")
        for a in result.data.files:
            self.say(
                f"  {a.file} [{a.sheet}] ({a.kind}): đọc {a.rows_read} dòng, loại {a.rows_rejected}, "
                f"bỏ qua {a.rows_skipped}" + (f" {dict(a.skip_reasons)}" if a.skip_reasons else "")
            )


def _d(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"
