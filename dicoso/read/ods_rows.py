"""Which rows of an .ods book are hidden by hand or filtered out (python-calamine does not say).

content.xml marks such a row `table:visibility="collapse"` (hidden) or `"filter"`
(filtered out); runs of alike rows are one element with `table:number-rows-repeated`.
The tags are scanned with patterns, without parsing the XML (check_zip has bounded
its size before).
"""

from __future__ import annotations

import re
import zipfile
import zlib

_ODS_TAG = re.compile(rb'<table:table(\s[^>]*)?>|</table:table>|<table:table-row(\s[^>]*)?/?>')
_ODS_NAME = re.compile(rb'\stable:name="([^"]*)"')
_ODS_REPEAT = re.compile(rb'\stable:number-rows-repeated="(\d+)"')
_ODS_HIDDEN = re.compile(rb'\stable:visibility="(?:collapse|filter)"')
MAX_HIDDEN_RUN = 10_000  # a longer hidden run is the sheet's empty tail repeated to its end


def ods_hidden_rows(zf: zipfile.ZipFile) -> dict[str, set[int]]:
    """Sheet name -> 0-based rows whose visibility is "collapse" (hidden) or "filter" (filtered out)."""
    from html import unescape

    try:
        xml = zf.read("content.xml")
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, zlib.error):
        return {}
    if b"table:visibility=" not in xml:
        return {}
    out: dict[str, set[int]] = {}
    name, row = "", 0
    for m in _ODS_TAG.finditer(xml):
        tag = m.group(0)
        if tag.startswith(b"</"):
            name = ""
        elif m.group(2) is not None or tag.startswith(b"<table:table-row"):
            attrs = m.group(2) or b""
            repeat = _ODS_REPEAT.search(attrs)
            n = int(repeat.group(1)) if repeat else 1
            if name and n <= MAX_HIDDEN_RUN and _ODS_HIDDEN.search(attrs):
                out.setdefault(name, set()).update(range(row, row + n))
            row += n
        else:
            found = _ODS_NAME.search(m.group(1) or b"")
            name, row = (unescape(found.group(1).decode("utf-8", "replace")) if found else ""), 0
    return out
