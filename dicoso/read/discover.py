"""Find the books in the drop folder and sniff what each file really is.

A clerk's folder holds anything: lock files Excel leaves while a book is open,
Thumbs.db, a web page saved as .xls, a half-copied file. Each file becomes a
`Candidate`; the reader then decides its kind from its bytes (`sniff`), never from
the name alone, so that each kind of bad file gets its own message and the run
goes on.
"""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..paths import HISTORY_DIR, LOCK_NAME, MANIFEST, STAGING_PREFIX

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ZIP_EMPTY = b"PK\x05\x06"


@dataclass(frozen=True, slots=True)
class Candidate:
    path: Path
    rel: str  # path relative to the input folder, forward slashes
    kind: str  # "" until sniffed (see `sniff`); "unreadable" / "not_regular" when never to be opened
    size: int


@dataclass(frozen=True, slots=True)
class Skipped:
    rel: str
    reason: str  # Vietnamese, shown as an info line


def skip_reason(name: str) -> str | None:
    low = name.lower()
    if sys.platform == "win32" and name.split(".")[0].upper().rstrip(" ") in WINDOWS_DEVICES:
        return "tên tệp trùng tên thiết bị của Windows (CON, NUL, COM1…), không mở được; đổi tên tệp rồi chạy lại"
    if name.startswith("~$"):
        return "tệp khoá tạm của Excel (sinh ra khi sổ đang mở)"
    if name.startswith(".~lock.") and name.endswith("#"):
        return "tệp khoá tạm của LibreOffice"
    if low in JUNK_NAMES:
        return "tệp hệ thống của Windows/macOS"
    if name.startswith("."):
        return "tệp ẩn"
    if Path(low).suffix not in SPREADSHEET_SUFFIXES:
        return "không phải sổ Excel/ODS (.xlsx, .xlsm, .xls, .ods)"
    return None


WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
WINDOWS_MAX_PATH = 260  # characters; Excel itself stops at 218


@dataclass(frozen=True, slots=True)
class WalkError:
    """A folder the walk could not enter, or entered twice (a link back to itself)."""

    rel: str  # relative to the input folder, ending in "/"
    reason: str  # Vietnamese
    serious: bool = True  # books may be missing (an error); False: a folder left out on purpose


def walk(folder: Path, *, exclude: tuple[Path, ...] = (), errors: list[WalkError] | None = None) -> Iterator[Path]:
    """Every file under `folder` (with subfolders) in a stable order; no file is opened.

    The one folder walk of the tool (the reader's scan and `watch` both use it). Not
    entered: hidden folders (staging folders start with a dot), the folders in `exclude`
    (the default output folder), and what this tool wrote into a folder (the files and
    output folders its manifest lists, the manifest, the lock, `lich-su/`): an output folder inside the
    input folder keeps its books. Folders reached through links are entered (once: a
    link back into the walk is reported). A folder that cannot be listed (no
    permission, a path too long, gone meanwhile) is added to `errors` by name.
    """
    excluded = {p.resolve() for p in exclude}
    seen: set[str] = set()

    def failed(exc: OSError) -> None:
        if errors is not None:
            errors.append(WalkError(_rel_dir(exc.filename, folder), _walk_reason(exc)))

    for root, dirs, files in os.walk(folder, onerror=failed, followlinks=True):
        root_path = Path(root)
        real = os.path.realpath(root)
        if real in seen:  # a link back to a folder already walked
            dirs[:] = []
            if errors is not None:
                errors.append(WalkError(_rel_dir(root, folder), "liên kết trỏ về một thư mục đã đọc (vòng lặp); không đọc lại"))
            continue
        seen.add(real)
        own = _own_files(root_path, files)
        own_folders = {name.split("/", 1)[0] for name in own if "/" in name}  # theo-ban/<Ban>/…
        keep = []
        for d in sorted(dirs):
            if d.startswith(".") and not d.startswith(STAGING_PREFIX) and errors is not None:
                errors.append(WalkError(_rel_dir(str(root_path / d), folder),
                                        "thư mục ẩn (tên bắt đầu bằng dấu chấm), không đọc; nếu trong đó có sổ, "
                                        "đổi tên thư mục rồi chạy lại", serious=False))
            if (d.startswith(".") or (root_path / d).resolve() in excluded or (d == HISTORY_DIR and own)
                    or d in own_folders):
                continue
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            if name not in own:
                yield root_path / name


def _own_files(folder: Path, files: list[str]) -> set[str]:
    """The files this tool wrote into `folder`, as its manifest lists them (none without one)."""
    if MANIFEST not in files:
        return set()
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        outputs = {str(o["file"]) for o in data["outputs"]}
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    if "inputs" not in data or "schema" not in data:  # a manifest of another program
        return set()
    return outputs | {MANIFEST, LOCK_NAME}


def _rel_dir(path: str | bytes | None, folder: Path) -> str:
    text = os.fsdecode(path) if path is not None else str(folder)
    try:
        rel = Path(text).relative_to(folder).as_posix()
    except ValueError:
        rel = text
    return (rel if rel != "." else "") + "/"


def _walk_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "không mở được thư mục (không có quyền đọc); các sổ trong đó chưa được đọc"
    if exc.errno == errno.ENAMETOOLONG or getattr(exc, "winerror", None) == 206 or (
            exc.filename and len(os.fsdecode(exc.filename)) >= WINDOWS_MAX_PATH and sys.platform == "win32"):
        return "đường dẫn quá dài, hệ điều hành không mở được; các sổ trong đó chưa được đọc"
    if exc.errno == errno.ENOENT:
        return "thư mục bị xoá hoặc đổi tên trong lúc đọc; các sổ trong đó chưa được đọc"
    if exc.errno == errno.ELOOP:
        return "liên kết vòng, không mở được; các sổ trong đó chưa được đọc"
    return f"không mở được thư mục (mã lỗi {exc.errno}); các sổ trong đó chưa được đọc"


def scan(folder: Path, *, exclude: tuple[Path, ...] = (),
         errors: list[WalkError] | None = None) -> tuple[list[Candidate], list[Skipped]]:
    """The files of `walk` as books to read or files skipped with a reason.

    The kind of each candidate is left empty (the reader sniffs the bytes it reads
    anyway), except for what must never be opened: "unreadable" when it cannot even be
    looked at, "not_regular" for a FIFO, a device or a socket named like a book.
    """
    books: list[Candidate] = []
    skipped: list[Skipped] = []
    for path in walk(folder, exclude=exclude, errors=errors):
        rel = path.relative_to(folder).as_posix()
        reason = skip_reason(path.name)
        if reason:
            skipped.append(Skipped(rel, reason))
            continue
        try:
            st = path.stat()
        except OSError:
            books.append(Candidate(path, rel, "unreadable", 0))
            continue
        books.append(Candidate(path, rel, "" if stat.S_ISREG(st.st_mode) else "not_regular", st.st_size))
    return books, skipped


def too_long(path: Path) -> bool:
    """Longer than Windows' classic limit: Excel and Explorer may fail on it."""
    return len(str(path.absolute())) >= WINDOWS_MAX_PATH


def read_regular(path: Path) -> bytes:
    """A file's bytes, only if it is a regular file (raises NotRegular otherwise, OSError).

    Opened without blocking, then checked: a FIFO named like a book would otherwise
    wait for ever for a writer, even if it was swapped in after the folder was scanned.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)


class NotRegular(OSError):
    """Not a regular file (a FIFO, a device, a socket)."""


def sniff(data: bytes) -> str:
    """Decide what a file is from its bytes: the first ones, and for zips the entries."""
    head = data[:4096]
    if not head:
        return "empty"
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(data)
    if head.startswith(ZIP_MAGIC) or head.startswith(ZIP_EMPTY):
        return _sniff_zip(data)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body")):
        return "html"
    if text.startswith(b"<?xml") and b"spreadsheet" in text:
        return "xml2003"
    if _looks_like_text(head):
        return "text"
    return "unknown"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("cp1258")
        except UnicodeDecodeError:
            return False
    return True


def _sniff_ole(whole: bytes) -> str:
    """An OLE2 compound file is either a legacy .xls or an encrypted OOXML book."""
    data = whole[:1 << 20]  # the start plus the first directory sector
    shift = int.from_bytes(data[0x1E:0x20], "little")
    first_dir = int.from_bytes(data[0x30:0x34], "little")
    if 7 <= shift <= 16 and first_dir < 0xFFFFFFFA:
        at = (first_dir + 1) << shift
        data += whole[at:at + (4 << shift)]
    # Encrypted .xlsx/.docx are OLE containers holding these streams (UTF-16 names).
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    return "ole-other"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                with zf.open("mimetype") as fh:  # bounded: a bomb may hide behind this name too
                    mime = fh.read(100)
                if b"opendocument.spreadsheet" in mime:
                    return "ods"
                return "zip-other"
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                if "xl/workbook.bin" in names:
                    return "xlsb"
                return "xlsx"
            if "word/document.xml" in names:
                return "docx"
            return "zip-other"
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
        return "corrupt"  # RuntimeError: an encrypted zip entry; NotImplementedError: unknown compression
