"""A name written over two columns ("Họ và tên đệm" | "Tên", "Họ" | "Tên"): the cells below
the header are joined into the first of them, which becomes the sheet's name column; the rest
of the reader (names merged down, totals, messages) then reads one name column as usual."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..text.clean import cell_text, clean
from .book import RawSheet
from .headers import Header


def join_split_names(sheet: RawSheet, header: Header) -> tuple[RawSheet, Header]:
    """(sheet, header) with the two name parts joined; unchanged when the sheet has a name column."""
    cols = header.columns
    if "name" in cols or not {"surname", "given_name"} <= cols.keys():
        return sheet, header
    first, given = cols["surname"], cols["given_name"]
    rows: list[list[Any]] = list(sheet.rows)
    for r in range(header.row + 1, len(rows)):
        row = rows[r]
        parts = [clean(cell_text(row[c])) for c in (first, given) if c < len(row)]
        joined = " ".join(p for p in parts if p)
        if joined and (first >= len(row) or joined != row[first]):
            rows[r] = list(row) + [None] * (first + 1 - len(row))
            rows[r][first] = joined
    columns = {f: c for f, c in cols.items() if f not in ("surname", "given_name")} | {"name": first}
    labels = header.labels | {first: f"{header.labels.get(first, '')} + {header.labels.get(given, '')}"}
    return replace(sheet, rows=rows), replace(header, columns=columns, labels=labels)
