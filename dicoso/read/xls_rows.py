"""Which rows of a legacy .xls book are hidden by hand or filtered out (python-calamine does
not say).

An .xls book is a compound file (OLE2/CFB) whose "Workbook" stream holds BIFF8 records:
BOUNDSHEET records give each sheet's name and where its records start; in a sheet's
records a ROW record with the fDyZero flag (0x20 of its option word) is a hidden row
(Excel hides filtered-out rows the same way). Only those records are read; anything
unexpected gives no hidden rows (the book is read all the same, as before).
"""

from __future__ import annotations

import struct

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE
_BOUNDSHEET, _BOF, _EOF, _ROW = 0x0085, 0x0809, 0x000A, 0x0208
_HIDDEN = 0x20  # fDyZero


class _Broken(Exception):
    pass


def _chain(fat: list[int], start: int) -> list[int]:
    """The sectors of a chain; a chain that loops or leaves the table is a broken book."""
    out: list[int] = []
    seen: set[int] = set()
    while start not in (_END, 0xFFFFFFFF):
        if start >= len(fat) or start in seen:
            raise _Broken
        seen.add(start)
        out.append(start)
        start = fat[start]
    return out


def _stream(data: bytes) -> bytes:
    """The Workbook stream of a compound file."""
    if data[:8] != _MAGIC or len(data) < 512:
        raise _Broken
    size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    n_fat, dir_start = struct.unpack_from("<II", data, 0x2C)
    cutoff, mini_fat_start, _n_mini, difat_start, n_difat = struct.unpack_from("<IIIII", data, 0x38)

    def sector(n: int) -> bytes:
        at = (n + 1) * size
        if at + size > len(data) + size:  # the last sector may be short
            raise _Broken
        return data[at:at + size]

    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END]
    nxt = difat_start
    for _ in range(min(n_difat, len(data) // size)):
        block = struct.unpack(f"<{size // 4}I", sector(nxt).ljust(size, b"\0"))
        fat_sectors += [s for s in block[:-1] if s < _END]
        nxt = block[-1]
    fat: list[int] = []
    for s in fat_sectors[:n_fat]:
        fat += struct.unpack(f"<{size // 4}I", sector(s).ljust(size, b"\0"))
    directory = b"".join(sector(s) for s in _chain(fat, dir_start))
    root_start = root_size = 0
    found = None
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at:at + 128]
        name_len, kind = struct.unpack_from("<HB", entry, 0x40)
        name = entry[:max(0, name_len - 2)].decode("utf-16-le", "replace")
        start, length = struct.unpack_from("<II", entry, 0x74)
        if kind == 5:
            root_start, root_size = start, length
        elif kind == 2 and name in ("Workbook", "Book") and found is None:
            found = (start, length)
    if found is None:
        raise _Broken
    start, length = found
    if length >= cutoff:
        return b"".join(sector(s) for s in _chain(fat, start))[:length]
    mini_stream = b"".join(sector(s) for s in _chain(fat, root_start))[:root_size]
    mini_fat: list[int] = []
    for s in _chain(fat, mini_fat_start):
        mini_fat += struct.unpack(f"<{size // 4}I", sector(s).ljust(size, b"\0"))
    return b"".join(mini_stream[m * mini_size:(m + 1) * mini_size] for m in _chain(mini_fat, start))[:length]


def _sheets(stream: bytes) -> list[tuple[str, int]]:
    """(name, offset of its BOF) of every BOUNDSHEET record of the workbook globals."""
    out: list[tuple[str, int]] = []
    at = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4:at + 4 + length]
        if kind == _BOUNDSHEET and len(body) >= 8:
            offset, n, wide = struct.unpack_from("<I", body)[0], body[6], body[7] & 1
            raw = body[8:8 + n * (2 if wide else 1)]
            out.append((raw.decode("utf-16-le" if wide else "latin-1", "replace"), offset))
        elif kind == _EOF:
            break
        at += 4 + length
    return out


def _hidden(stream: bytes, at: int) -> set[int]:
    rows: set[int] = set()
    first = True
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        if first and kind != _BOF:
            return set()
        first = False
        if kind == _ROW and length >= 16:
            row, options = struct.unpack_from("<H", stream, at + 4)[0], struct.unpack_from("<H", stream, at + 16)[0]
            if options & _HIDDEN:
                rows.add(row)
        elif kind == _EOF:
            break
        at += 4 + length
    return rows


def xls_hidden_rows(data: bytes) -> dict[str, set[int]]:
    """Sheet name -> 0-based hidden rows of an .xls (BIFF8) book; {} when it cannot be told."""
    try:
        stream = _stream(data)
        out = {name: _hidden(stream, offset) for name, offset in _sheets(stream)}
    except (_Broken, struct.error, IndexError, ValueError):
        return {}
    return {name: rows for name, rows in out.items() if rows}
