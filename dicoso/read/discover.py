"""Find the books in the drop folder and sniff what each file really is.

A clerk's folder holds anything: lock files Excel leaves while a book is open,
Thumbs.db, a web page saved as .xls, a half-copied file. Each file becomes a
`Candidate`; the reader then decides its kind from its bytes (`sniff`), never from
the name alone, so that each kind of bad file gets its own message and the run
goes on.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ZIP_EMPTY = b"PK\x05\x06"


@dataclass(frozen=True, slots=True)
class Candidate:
    path: Path
    rel: str  # path relative to the input folder, forward slashes
    kind: str  # "" until sniffed (see `sniff`); "unreadable" when it could not even be stat'ed
    size: int


@dataclass(frozen=True, slots=True)
class Skipped:
    rel: str
    reason: str  # Vietnamese, shown as an info line


def skip_reason(name: str) -> str | None:
    low = name.lower()
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


def walk(folder: Path, *, exclude: tuple[Path, ...] = ()) -> Iterator[Path]:
    """Every file under `folder` (with subfolders) in a stable order; no file is opened.

    The one folder walk of the tool (the reader's scan and `watch` both use it): hidden
    folders are not entered, and neither are the folders in `exclude` (e.g. the output
    folder when it sits inside the input folder).
    """
    excluded = {p.resolve() for p in exclude}
    for root, dirs, files in os.walk(folder):
        root_path = Path(root)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (root_path / d).resolve() not in excluded
        )
        for name in sorted(files):
            yield root_path / name


def scan(folder: Path, *, exclude: tuple[Path, ...] = ()) -> tuple[list[Candidate], list[Skipped]]:
    """The files of `walk` as books to read or files skipped with a reason.

    The kind of each candidate is left empty: the reader sniffs the bytes it reads anyway.
    """
    books: list[Candidate] = []
    skipped: list[Skipped] = []
    for path in walk(folder, exclude=exclude):
        rel = path.relative_to(folder).as_posix()
        reason = skip_reason(path.name)
        if reason:
            skipped.append(Skipped(rel, reason))
            continue
        try:
            size, kind = path.stat().st_size, ""
        except OSError:
            size, kind = 0, "unreadable"
        books.append(Candidate(path, rel, kind, size))
    return books, skipped


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
