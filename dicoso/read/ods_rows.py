"""What python-calamine does not say about an .ods book: which rows are hidden by hand or
filtered out, and which cells are merged.

content.xml marks such a row `table:visibility="collapse"` (hidden) or `"filter"`
(filtered out); runs of alike rows are one element with `table:number-rows-repeated`.
A merged cell is a `table:table-cell` with `table:number-columns-spanned` /
`table:number-rows-spanned`; runs of alike cells are one element with
`table:number-columns-repeated`. The tags are scanned with patterns, without parsing the
XML (check_zip has bounded its size before); cells only when the book has a merged one.
"""

from __future__ import annotations

import re
import zipfile
import zlib

_ODS_TAG = re.compile(rb'<table:table(\s[^>]*)?>|</table:table>|<table:table-row(\s[^>]*)?/?>')
_ODS_TAG_CELLS = re.compile(rb'<table:table(\s[^>]*)?>|</table:table>|<table:table-row(\s[^>]*)?/?>|'
                            rb'<table:(?:covered-)?table-cell(\s[^>]*)?/?>')
_ODS_NAME = re.compile(rb'\stable:name="([^"]*)"')
_ODS_REPEAT = re.compile(rb'\stable:number-rows-repeated="(\d+)"')
_ODS_HIDDEN = re.compile(rb'\stable:visibility="(?:collapse|filter)"')
_ODS_COLS = re.compile(rb'\stable:number-columns-repeated="(\d+)"')
_ODS_SPAN = re.compile(rb'\stable:number-(columns|rows)-spanned="(\d+)"')
MAX_HIDDEN_RUN = 10_000  # a longer hidden run is the sheet's empty tail repeated to its end

Merges = dict[str, list[tuple[int, int, int, int]]]


def ods_layout(zf: zipfile.ZipFile) -> tuple[dict[str, set[int]], Merges]:
    """(sheet name -> 0-based rows whose visibility is "collapse" (hidden) or "filter" (filtered
    out), sheet name -> merged ranges (r0, c0, r1, c1), 0-based and inclusive, as calamine gives
    them for .xlsx)."""
    from html import unescape

    try:
        xml = zf.read("content.xml")
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, zlib.error):
        return {}, {}
    hides, spans = b"table:visibility=" in xml, b"-spanned=" in xml
    hidden: dict[str, set[int]] = {}
    merges: Merges = {}
    if not (hides or spans):
        return hidden, merges
    name, row, at, col = "", 0, 0, 0
    for m in (_ODS_TAG_CELLS if spans else _ODS_TAG).finditer(xml):
        tag = m.group(0)
        if tag.startswith(b"</"):
            name = ""
        elif tag.startswith(b"<table:table-row"):
            attrs = m.group(2) or b""
            repeat = _ODS_REPEAT.search(attrs)
            n = int(repeat.group(1)) if repeat else 1
            if name and hides and n <= MAX_HIDDEN_RUN and _ODS_HIDDEN.search(attrs):
                hidden.setdefault(name, set()).update(range(row, row + n))
            at, col = row, 0
            row += n
        elif tag.startswith((b"<table:table-cell", b"<table:covered-table-cell")):
            attrs = m.group(3) or b""
            size = {k: int(v) for k, v in _ODS_SPAN.findall(attrs)}
            if name and max(size.values(), default=1) > 1:
                merges.setdefault(name, []).append(
                    (at, col, at + size.get(b"rows", 1) - 1, col + size.get(b"columns", 1) - 1))
            repeat = _ODS_COLS.search(attrs)
            col += int(repeat.group(1)) if repeat else 1
        else:
            found = _ODS_NAME.search(m.group(1) or b"")
            name, row = (unescape(found.group(1).decode("utf-8", "replace")) if found else ""), 0
    return hidden, merges
