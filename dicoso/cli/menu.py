"""The clerk's menu: `python generate.py menu`, what the double-click launcher starts.

A numbered list in Vietnamese (month, quarter and year reports, checking the books,
watching the folder, opening the results), for a clerk who does not type commands.
The drop folder is asked for once and remembered in a small settings file beside the
outputs (`cai-dat.json` in the results folder); the latest period with data and today's
date are proposed (Enter accepts them); after each task the window waits for Enter, so
the messages can be read before they scroll away or the window closes.

Each task is the ordinary command line underneath (`run` is cli.main.main): the same
messages, exit codes and outputs as typing the command.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

SETTINGS = "cai-dat.json"
TITLE = "BÁO CÁO ĐI CÔNG TÁC CƠ SỞ (chủ trương 1+2)"
CHOICES = [
    ("1", "Báo cáo tháng (tiến độ)", "month"),
    ("2", "Báo cáo quý (tiến độ)", "quarter"),
    ("3", "Báo cáo năm (kết quả cả năm)", "year"),
    ("4", "Kiểm tra sổ (chưa lập báo cáo)", "check"),
    ("5", "Theo dõi thư mục nộp sổ (tự lập lại báo cáo năm khi có sổ mới; Ctrl+C để dừng)", "watch"),
    ("6", "Mở thư mục kết quả", "open"),
    ("7", "Đổi thư mục nộp sổ", "folder"),
    ("0", "Thoát", "quit"),
]
KIND_WORD = {"year": "năm", "quarter": "quý", "month": "tháng"}
KIND_OPTION = {"year": "--year", "quarter": "--quarter", "month": "--month"}
QUOTES = "\"'\u201c\u201d\u2018\u2019 "


class Leave(Exception):
    """The clerk closed the input (Ctrl+Z/Ctrl+D) or pressed Ctrl+C at a prompt."""


def ask(prompt: str) -> str:
    try:
        return input(prompt).strip()
    except (EOFError, KeyboardInterrupt):
        print()
        raise Leave from None


def pause(text: str = "Bấm Enter để quay lại menu…") -> None:
    ask(text)


def typed_path(text: str) -> Path:
    """A folder as typed or dragged into the window: quotes (cmd), `& '…'` (PowerShell) removed."""
    text = text.strip()
    if text.startswith("& "):
        text = text[2:]
    return Path(text.strip(QUOTES))


# --- remembered settings ------------------------------------------------------------------------
def load_settings(root: Path) -> dict:
    try:
        found = json.loads((root / SETTINGS).read_text(encoding="utf-8"))
        return found if isinstance(found, dict) else {}
    except (OSError, ValueError):
        return {}


def save_settings(root: Path, settings: dict) -> None:
    root.mkdir(parents=True, exist_ok=True)
    text = json.dumps(settings, ensure_ascii=False, indent=2) + "\n"
    (root / SETTINGS).write_text(text, encoding="utf-8")


def ask_folder(root: Path, settings: dict) -> Path:
    print("Nhập thư mục nộp sổ (thư mục chứa sổ của các Ban và danh sách cán bộ).")
    print("Có thể kéo thả thư mục vào cửa sổ này rồi bấm Enter.")
    while True:
        text = ask("Thư mục nộp sổ: ")
        if not text:
            continue
        folder = typed_path(text)
        if folder.is_dir():
            settings["thu_muc_nop_so"] = str(folder.resolve())
            save_settings(root, settings)
            print(f"Đã ghi nhớ thư mục nộp sổ (trong {root / SETTINGS}); lần sau không phải nhập lại.")
            return folder.resolve()
        print(f'Không tìm thấy thư mục "{folder}". Kiểm tra lại rồi nhập lại (hoặc kéo thả thư mục vào đây).')


# --- proposals ------------------------------------------------------------------------------------
def shown_period(kind: str, label: str) -> str:
    """`2020-Q4` -> `IV/2020`, `2020-05` -> `5/2020`: as the office writes them (and as accepted)."""
    from ..text.vn import roman

    if kind == "quarter":
        year, q = label.split("-Q")
        return f"{roman(int(q))}/{year}"
    if kind == "month":
        year, month = label.split("-")
        return f"{int(month)}/{year}"
    return label


def latest(folder: Path, kind: str) -> str | None:
    """The latest period of `kind` with a trip in the books (as the clerk would type it)."""
    from ..errors import RunFailed
    from ..job import Options
    from ..pipeline import latest_period, read

    print("Đang xem các sổ để đề xuất kỳ báo cáo…", flush=True)
    try:
        period = latest_period(read(Options(input_dir=folder, check_only=True)), kind)
    except RunFailed:
        return None  # the run itself will say what is wrong
    return shown_period(kind, period.label) if period else None


def ask_period(kind: str, proposed: str | None) -> str:
    from ..pipeline import parse_period

    word = KIND_WORD[kind]
    example = {"year": "2020", "quarter": "III/2020", "month": "5/2020"}[kind]
    while True:
        hint = f"Enter = {proposed}" if proposed else f"ví dụ {example}"
        text = ask(f"Báo cáo {word} nào? [{hint}]: ") or proposed or ""
        try:
            return parse_period(kind, text).label
        except ValueError as exc:
            print(exc)


def ask_as_of() -> date:
    import argparse

    from .args import parse_as_of

    today = date.today()
    while True:
        text = ask(f"Ngày chốt số liệu? [Enter = hôm nay, {today:%d/%m/%Y}]: ")
        if not text:
            return today
        try:
            return parse_as_of(text)
        except argparse.ArgumentTypeError as exc:
            print(exc)


# --- the tasks ------------------------------------------------------------------------------------
def open_folder(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    print(f"Thư mục kết quả: {path}")
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined,unused-ignore]  # Explorer
        elif sys.platform == "darwin":
            subprocess.run(["open", str(path)], check=False)
        elif shutil.which("xdg-open") and (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            subprocess.run(["xdg-open", str(path)], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        print("Không mở được cửa sổ thư mục; mở thư mục trên bằng File Explorer.")


def menu(argv: list[str], run: Callable[[list[str]], int]) -> int:
    """The menu loop; `run(argv)` runs one ordinary command line and returns its exit code."""
    from ..paths import DEFAULT_OUTPUT
    from .args import VietnameseParser

    parser = VietnameseParser(prog="python generate.py menu",
                              description="Menu chọn việc cho Văn phòng (không cần gõ lệnh).")
    parser.add_argument("--ra", "--out", "--thu-muc-ket-qua", dest="root", metavar="THƯ_MỤC", type=Path,
                        help="thư mục kết quả (mặc định: output/ của chương trình); mỗi kỳ một thư mục con")
    root: Path = parser.parse_args(argv).root or DEFAULT_OUTPUT
    try:
        return _loop(root, run)
    except Leave:
        return 0


def _loop(root: Path, run: Callable[[list[str]], int]) -> int:
    print(TITLE)
    print("=" * len(TITLE))
    settings = load_settings(root)
    remembered = settings.get("thu_muc_nop_so")
    folder = Path(remembered) if remembered and Path(remembered).is_dir() else None
    if remembered and folder is None:
        print(f'Thư mục nộp sổ đã ghi nhớ "{remembered}" không còn; chọn lại.')
    if folder is None:
        folder = ask_folder(root, settings)
    while True:
        print()
        print(f"Thư mục nộp sổ: {folder}")
        print(f"Kết quả ghi vào: {root}")
        print()
        for key, text, _ in CHOICES:
            print(f"  {key}. {text}")
        choice = ask("Chọn một số rồi bấm Enter: ")
        task = next((t for k, _, t in CHOICES if k == choice), None)
        if task is None:
            print(f'Không có mục "{choice}"; chọn một số từ 0 đến {len(CHOICES) - 1}.')
            continue
        if task == "quit":
            pause("Bấm Enter để đóng cửa sổ…")
            return 0
        if task == "folder":
            folder = ask_folder(root, settings)
            continue
        if task == "open":
            open_folder(root)
            continue
        print()
        if task == "check":
            run(["check", str(folder)])
        elif task == "watch":
            year = latest(folder, "year")
            run(["watch", str(folder), *(["--year", year, *_out(root, year)] if year else [])])
        else:
            label = ask_period(task, latest(folder, task))
            as_of = ask_as_of()
            print()
            run([str(folder), KIND_OPTION[task], label, "--as-of", as_of.isoformat(), *_out(root, label)])
        print()
        pause()


def _out(root: Path, label: str | None) -> list[str]:
    """Outputs in root/<period>/ as usual; the default root needs no option."""
    from ..paths import DEFAULT_OUTPUT

    if root == DEFAULT_OUTPUT or label is None:
        return []
    return ["--out", str(root / label)]
