"""OOXML packages (.docx, .xlsx) written the same way every time: fixed entry times,
`[Content_Types].xml` first, the other parts sorted, so that identical content gives
identical bytes. Shared by the Word report and the workbooks.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_zip(target: Path | str | IO[bytes], parts: dict[str, bytes] | dict[str, str] | dict[str, bytes | str]) -> None:
    """An OOXML zip with fixed entry times and order: `[Content_Types].xml` first (some
    readers sniff it), the rest sorted, so that identical content gives identical bytes.

    Text parts are encoded one at a time and each part is dropped from `parts` once
    written (a national roll-up's sheets are tens of megabytes each).
    """
    with zipfile.ZipFile(target, "w") as dst:
        for name in sorted(parts, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            data = parts.pop(name)
            data = data.encode("utf-8") if isinstance(data, str) else data
            # Big parts compress at level 1: ~4x faster than 6, ~30% larger.
            dst.writestr(info, data, compresslevel=1 if len(data) > 1_000_000 else 6)
            del data


_APP_NS = ('xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"')
_THUMBNAIL_REL = re.compile(r'<Relationship [^>]*Type="[^"]*/metadata/thumbnail"[^>]*/>')
_THUMBNAIL_TYPE = re.compile(r'<Override PartName="/docProps/thumbnail\.[^"]*"[^>]*/>')


def word_properties(parts: dict[str, bytes], company: str) -> None:
    """The properties of a Word file as the office's own files have them.

    Word's statistics (pages, words, lines…) are dropped rather than left stale from the
    template (Word counts them again when it opens the file), the application is Word
    on Windows, not python-docx's "Microsoft Macintosh Word", and the preview picture
    of a blank page that python-docx ships is removed.
    """
    parts["docProps/app.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties {_APP_NS}>'
        "<Template>Normal.dotm</Template><Application>Microsoft Office Word</Application>"
        f"<DocSecurity>0</DocSecurity><Company>{escape(company)}</Company><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>").encode("utf-8")
    for name in [n for n in parts if n.startswith("docProps/thumbnail")]:
        del parts[name]
    for name, pattern in (("_rels/.rels", _THUMBNAIL_REL), ("[Content_Types].xml", _THUMBNAIL_TYPE)):
        if name in parts:
            parts[name] = pattern.sub("", parts[name].decode("utf-8")).encode("utf-8")


def read_zip(source: Path | str | IO[bytes]) -> dict[str, bytes]:
    with zipfile.ZipFile(source) as src:
        return {info.filename: src.read(info) for info in src.infolist()}


def normalise_zip(path: Path | str, source: IO[bytes] | None = None,
                  edit: Callable[[dict[str, bytes]], None] | None = None) -> None:
    """Rewrite an OOXML zip (written by another library) the way write_zip writes one;
    from `source` (the zip in memory) when given, else from `path` itself. `edit`
    may change the parts first."""
    path = Path(path)
    parts = read_zip(source or path)
    if edit is not None:
        edit(parts)
    if source is not None:  # a new file: written in place
        write_zip(path, parts)
        return
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write_zip(tmp, parts)
        os.chmod(tmp, os.stat(path).st_mode & 0o777)  # mkstemp made it 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
