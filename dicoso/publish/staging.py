"""Put a run's outputs in place so that no instant loses a complete set; keep the previous run.

Every output is first written into a staging folder inside the target folder
(`.dang-ghi-…`, hidden on Windows too) and flushed to disk (fsync). Publishing then
moves the previous run's files into `lich-su/<time>/` and the new files into place,
by renames inside one file system, in that order: while the old files move, the new
set is complete in staging; while the new files move, the old set is complete in
history. Before the first rename a journal (`Plan`, in the staging folder) records
every move. A failure, a Ctrl+C or a kill half way is undone from the journal and
the folder's state, by this run (OSError and KeyboardInterrupt alike) or, after a
kill or a power cut, by the next run into the folder (`recover`), which also removes
staging folders a killed run left. The caller holds the folder's lock (lock.py).

Only the previous run's own files move: the names its manifest lists (and the
manifest), plus any file in the way of a new output. A file the office keeps beside
the outputs ("Save As" copies, its own reports) stays where it is. An output edited
by hand since the tool wrote it (its hash differs from the manifest's) moves into
history under a name saying so.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import runtime
from ..paths import HISTORY_DIR, MANIFEST, STAGING_PREFIX

JOURNAL = "cong-bo.json"  # the plan of a publish in progress, inside its staging folder
EDITED = " (đã sửa tay)"  # added to the history name of an output edited by hand


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
    """A temporary folder inside the target; files are written here first."""

    target: Path
    path: Path

    def file(self, name: str) -> Path:
        return self.path / name


def start(target: Path) -> Staging:
    """A new staging folder in `target` (created if needed). OSError when it cannot be made."""
    target.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target))
    _hide(path)
    return Staging(target, path)


def abort(staging: Staging) -> None:
    shutil.rmtree(staging.path, ignore_errors=True)


def previous_manifest(target: Path) -> dict | None:
    try:
        data = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def previous_time(target: Path) -> datetime | None:
    """When the run now in `target` was written (its manifest's time), if there is one."""
    try:
        return datetime.fromtimestamp((target / MANIFEST).stat().st_mtime)
    except (OSError, ValueError, OverflowError):
        return None


def manifest_files(manifest: dict | None) -> dict[str, str]:
    """The files a run wrote, name -> sha256, from its manifest (the manifest itself included).
    A file inside an output folder (`theo-ban/<Ban>/…`) is listed with its folder's path."""
    files: dict[str, str] = {}
    for entry in (manifest or {}).get("outputs") or []:
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            files[entry["file"]] = str(entry.get("sha256") or "")
    if manifest is not None:
        files.setdefault(MANIFEST, "")
    return files


def folders_of(manifest: dict | None) -> set[str]:
    """The output folders of a run (the first part of the paths its manifest lists)."""
    return {name.split("/", 1)[0] for name in manifest_files(manifest) if "/" in name}


def _there(target: Path, name: str, folders: set[str]) -> bool:
    path = target / name
    return path.is_file() or (name in folders and path.is_dir())


def previous_files(target: Path, manifest: dict | None, names: Iterable[str], folders: Iterable[str] = ()) -> list[str]:
    """The outputs of the previous run in `target` (the files and output folders its manifest
    lists, and any named like one of `names`, which a new run would replace), that are there."""
    folders = set(folders) | folders_of(manifest)
    wanted = {n for n in manifest_files(manifest) if "/" not in n} | folders | set(names)
    return sorted(n for n in wanted if _there(target, n, folders))


def edited(target: Path, manifest: dict | None) -> list[str]:
    """Outputs of the previous run changed since it wrote them (its hash differs); an output
    folder when a file in it was changed."""
    out = []
    for name, sha in manifest_files(manifest).items():
        path = target / name
        if sha and path.is_file():
            try:
                if sha256_file(path) != sha:
                    out.append(name.split("/", 1)[0])
            except OSError:
                pass
    return sorted(set(out))


def sync(staging: Staging, names: Iterable[str]) -> None:
    """Flush every staged file and the staging folder to disk before anything is replaced:
    after a power cut the new files are whole or the old ones are still there."""
    for name in names:
        path = staging.file(name)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            fd = os.open(file, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        if path.is_dir():
            for folder in sorted({p.parent for p in files} | {path}):
                _sync_dir(folder)
    _sync_dir(staging.path)


@dataclass
class Plan:
    """The moves of one publish, written down before the first one (the journal)."""

    staging: str  # the staging folder's name
    history: str  # the history folder, relative to the target ("" when nothing old moves)
    old: list[tuple[str, str]] = field(default_factory=list)  # (name in target, name in history)
    new: list[str] = field(default_factory=list)  # staged names, moved into the target
    new_parent: bool = False  # `lich-su/` itself is made by this publish (and removed by its undo)

    @classmethod
    def load(cls, path: Path) -> Plan:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(str(data["staging"]), str(data["history"]), [(str(a), str(b)) for a, b in data["old"]],
                   [str(n) for n in data["new"]], bool(data.get("new_parent")))


def plan(staging: Staging, names: list[str], stamp: datetime, manifest: dict | None, edits: Iterable[str] = ()) -> Plan:
    """What publishing `names` will move: the previous run's files into a new history folder
    named for `stamp` (its time), edited ones under a name that says so."""
    target = staging.target
    old = previous_files(target, manifest, names, _staged_folders(staging, names))
    history = ""
    if old:
        base = f"{HISTORY_DIR}/{stamp.strftime('%Y-%m-%d_%H%M%S')}"
        history, n = base, 1
        while (target / history).exists():
            n += 1
            history = f"{base}_{n}"
    marked = set(edits)
    return Plan(staging.path.name, history, [(n, _edited_name(n) if n in marked else n) for n in old], list(names),
                new_parent=bool(old) and not (target / HISTORY_DIR).exists())


def _staged_folders(staging: Staging, names: Iterable[str]) -> set[str]:
    return {n for n in names if staging.file(n).is_dir()}


def _edited_name(name: str) -> str:
    p = Path(name)
    return p.stem + EDITED + p.suffix


class RestoreFailed(Exception):
    """Publishing failed and the previous run could not be put back in place; `moves.history`
    holds it whole (the journal stays: the next run into the folder puts it back)."""

    def __init__(self, moves: Plan, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.moves = moves
        self.cause = cause


def publish(staging: Staging, moves: Plan, on_done: Callable[[], None] = lambda: None) -> Path | None:
    """Carry out `moves`: journal, old files into history, new files into place.

    On any failure, or a Ctrl+C before the last file is in place, the folder is put
    back as it was and the exception re-raised (the caller says what happened); a
    Ctrl+C after that is raised once `on_done()` has run, so that the caller knows the
    new outputs are in place. Returns the history folder (None when there was no
    previous run).
    """
    target = staging.target
    _check_writable(target, moves.new, _staged_folders(staging, moves.new))
    history = target / moves.history if moves.history else None
    with runtime.ctrl_c_deferred() as ctrl_c:
        try:
            _write_journal(staging.file(JOURNAL), moves)
            if history is not None:
                history.mkdir(parents=True)
                _sync_dir(history.parent)
                for name, kept in moves.old:
                    ctrl_c.check()
                    os.replace(target / name, history / kept)
                _sync_dir(history)
            for name in moves.new:
                ctrl_c.check()
                os.replace(staging.file(name), target / name)
            _sync_dir(target)
            ctrl_c.check()
        except BaseException as exc:
            try:
                undo(target, moves)
            except OSError as failed:
                raise RestoreFailed(moves, exc) from failed
            raise
        _forget(target, moves)
        on_done()
    return history


def recover(target: Path) -> list[str]:
    """Finish or undo what a killed run left in `target`; remove its staging folders.

    Returns what was done, for the clerk (Vietnamese). Call with the folder's lock held.
    """
    notes: list[str] = []
    try:
        leftovers = sorted(p for p in target.iterdir() if p.name.startswith(STAGING_PREFIX) and p.is_dir())
    except OSError:
        return notes
    for folder in leftovers:
        journal = folder / JOURNAL
        if journal.exists():
            try:
                moves = Plan.load(journal)
            except (OSError, ValueError, KeyError, TypeError):
                moves = None
            if moves is not None and moves.staging == folder.name:
                if _done(target, moves):
                    _forget(target, moves)
                    notes.append("Lần chạy trước bị ngắt ngay sau khi đã đặt xong kết quả mới; đã hoàn tất việc ghi.")
                else:
                    undo(target, moves)
                    notes.append("Lần chạy trước bị ngắt giữa lúc thay kết quả; đã đưa kết quả cũ về nguyên vẹn "
                                 "trước khi ghi kết quả mới.")
                continue
        shutil.rmtree(folder, ignore_errors=True)
        notes.append(f"Đã xoá thư mục tạm {folder.name} do một lần chạy bị ngắt để lại.")
    return notes


def undo(target: Path, moves: Plan) -> None:
    """Put the previous run back in place, from any point of `publish`.

    Which file is where follows from the order of the moves: every old file moves to
    history before any new file moves in, so a name in the target that is also an old
    name is the new file exactly when the old one is already in history. Raises OSError
    when a file cannot be moved back (the journal then stays for the next run).
    """
    staging = target / moves.staging
    history = target / moves.history if moves.history else None
    old = dict(moves.old)
    for name in moves.new:
        here = target / name
        present = here.is_file() or (here.is_dir() and not name.startswith((HISTORY_DIR, STAGING_PREFIX)))
        is_new = present and (name not in old or (history is not None and (history / old[name]).exists()))
        if not is_new:
            continue
        if staging.is_dir() and not (staging / name).exists():
            os.replace(here, staging / name)
        elif here.is_dir():
            shutil.rmtree(here)
        else:
            here.unlink()
    if history is not None:
        for name, kept in moves.old:
            if (history / kept).exists() and not (target / name).exists():
                os.replace(history / kept, target / name)
        for folder in (history, history.parent) if moves.new_parent else (history,):
            try:
                folder.rmdir()  # only when empty: a history folder never loses a file here
            except OSError:
                pass
    _sync_dir(target)
    _forget(target, moves)


def _done(target: Path, moves: Plan) -> bool:
    """Every new file is in place (only the journal and the staging folder are left)."""
    staging = target / moves.staging
    return all((target / n).exists() and not (staging / n).exists() for n in moves.new)


def _forget(target: Path, moves: Plan) -> None:
    staging = target / moves.staging
    try:
        (staging / JOURNAL).unlink()
    except OSError:
        pass
    shutil.rmtree(staging, ignore_errors=True)


def _write_journal(path: Path, moves: Plan) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        os.write(fd, json.dumps(asdict(moves), ensure_ascii=False).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    _sync_dir(path.parent)


def _check_writable(target: Path, names: list[str], folders: set[str] | None = None) -> None:
    """Fail before touching anything when a target file is held open, read-only, or a folder
    (an output folder: when a file in it is held open).

    Windows refuses to rename a file Word/Excel holds open; on every system an
    Office lock file `~$name` beside it means someone has it open.
    """
    for name in names:
        lock = target / ("~$" + name[2:] if len(name) > 2 else "~$" + name)
        if lock.exists() or (target / ("~$" + name)).exists():
            raise OSError(13, "tệp đang được mở trong Word/Excel", str(target / name))
        p = target / name
        if folders and name in folders:
            held = next((q for q in p.rglob("~$*") if q.is_file()), None) if p.is_dir() else None
            if held is not None:
                raise OSError(13, "tệp đang được mở trong Word/Excel", str(held.parent / held.name[2:]))
            continue
        if p.is_dir():
            raise IsADirectoryError(21, "một thư mục trùng tên tệp kết quả", str(p))
        if p.exists() and not os.access(p, os.W_OK):
            raise PermissionError(13, "tệp chỉ cho phép đọc", str(p))
    if not os.access(target, os.W_OK):
        raise PermissionError(13, "thư mục chỉ cho phép đọc", str(target))


def _sync_dir(path: Path) -> None:
    """Flush a folder's entries (the renames) to disk; Windows has no such call (NTFS journals them)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _hide(path: Path) -> None:
    """The leading dot hides nothing on Windows: set the hidden attribute there."""
    if sys.platform != "win32":
        return
    try:
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)
    except (OSError, AttributeError):
        pass
