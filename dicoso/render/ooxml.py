"""OOXML packages (.docx, .xlsx) written the same way every time: fixed entry times,
`[Content_Types].xml` first, the other parts sorted, so that identical content gives
identical bytes. Shared by the Word report and the workbooks.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import IO

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


def normalise_zip(path: Path | str, source: IO[bytes] | None = None) -> None:
    """Rewrite an OOXML zip (written by another library) the way write_zip writes one;
    from `source` (the zip in memory) when given, else from `path` itself."""
    path = Path(path)
    with zipfile.ZipFile(source or path) as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
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
