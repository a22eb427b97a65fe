"""Publish a run's outputs atomically, keep the previous run, write the manifest.

Every output is first written into a staging folder beside the target folder.
Only when all of them are written does publishing start: the previous run's
files move into `lich-su/<time>/` and the new files are renamed into place.
A run that fails before that leaves the previous outputs untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from ..errors import OutputError

HISTORY_DIR = "lich-su"
MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def dump_json(data: Any) -> bytes:
    """Stable JSON bytes, indented by two spaces, keys in the schema's order (not sorted).

    The same bytes as `json.dumps(data, ensure_ascii=False, indent=2)`, written by
    orjson: the standard library's indented dump runs in pure Python (two seconds
    for a national roll-up's summary, a tenth of that here).
    """
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


@dataclass
class Staging:
    """A temporary folder beside the target; files are written here first."""

    target: Path
    path: Path

    def file(self, name: str) -> Path:
        return self.path / name


def start(target: Path) -> Staging:
    try:
        target.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=".dang-ghi-", dir=target)
    except OSError as exc:
        raise OutputError(
            f"Không ghi được vào thư mục kết quả {target}: {exc.strerror or exc}. "
            "Kiểm tra quyền ghi của thư mục (hoặc chọn thư mục khác bằng --out) rồi chạy lại."
        ) from exc
    return Staging(target, Path(probe))


def abort(staging: Staging) -> None:
    shutil.rmtree(staging.path, ignore_errors=True)


def previous_manifest(target: Path) -> dict | None:
    try:
        return json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def previous_time(target: Path) -> datetime | None:
    """When the run now in `target` was written (its manifest's time), if there is one."""
    try:
        return datetime.fromtimestamp((target / MANIFEST).stat().st_mtime)
    except (OSError, ValueError, OverflowError):
        return None


def publish(staging: Staging, names: list[str], now: datetime,
            is_output: Callable[[str], bool] | None = None) -> Path | None:
    """Move the previous run into history, then the staged files into place.

    `now` names the history folder (`lich-su/YYYY-MM-DD_HHMMSS`). `is_output`
    tells which files of the target folder belong to a previous run; other files
    (the office's own documents in a shared folder) are left where they are.
    Returns the history folder used (None when there was no previous run).
    """
    target = staging.target
    old = [p for p in sorted(target.iterdir())
           if p.is_file() and not p.name.startswith((".", "~$")) and (is_output is None or is_output(p.name))]
    history: Path | None = None
    moved: list[str] = []
    try:
        _check_writable(target, names)
        if old:
            history = target / HISTORY_DIR / now.strftime("%Y-%m-%d_%H%M%S")
            n = 1
            while history.exists():
                n += 1
                history = target / HISTORY_DIR / f"{now.strftime('%Y-%m-%d_%H%M%S')}_{n}"
            history.mkdir(parents=True)
            for p in old:
                os.replace(p, history / p.name)
        for name in names:
            os.replace(staging.file(name), target / name)
            moved.append(name)
    except OSError as exc:
        _rollback(target, history, moved)
        raise OutputError(
            f"Không thay được tệp kết quả trong {target}: {exc.strerror or exc}"
            f"{' (' + exc.filename + ')' if getattr(exc, 'filename', None) else ''}. "
            "Đóng báo cáo/sổ tổng hợp đang mở trong Word/Excel rồi chạy lại; kết quả cũ vẫn được giữ nguyên."
        ) from exc
    finally:
        shutil.rmtree(staging.path, ignore_errors=True)
    return history


def _check_writable(target: Path, names: list[str]) -> None:
    """Fail before touching anything when a target file is held open or read-only.

    Windows refuses to rename a file Word/Excel holds open; on every system an
    Office lock file `~$name` beside it means someone has it open.
    """
    for name in names:
        lock = target / ("~$" + name[2:] if len(name) > 2 else "~$" + name)
        if lock.exists() or (target / ("~$" + name)).exists():
            raise OSError(13, "tệp đang được mở trong Word/Excel", str(target / name))
        p = target / name
        if p.exists() and not os.access(p, os.W_OK):
            raise OSError(13, "tệp chỉ cho phép đọc", str(p))
    if not os.access(target, os.W_OK):
        raise OSError(13, "thư mục chỉ cho phép đọc", str(target))


def _rollback(target: Path, history: Path | None, moved: list[str]) -> None:
    """Put the previous run back if publishing stopped half way."""
    for name in moved:
        try:
            (target / name).unlink()
        except OSError:
            pass
    if history is None or not history.exists():
        return
    for p in history.iterdir():
        try:
            os.replace(p, target / p.name)
        except OSError:
            pass
    try:
        history.rmdir()
        history.parent.rmdir()
    except OSError:
        pass
