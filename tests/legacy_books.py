"""Transcode whole books to a legacy font (TCVN3 / .VnTime, VNI): every text cell and every
sheet name, as an office that still types in those fonts would have them.

`transcode_folder(src, dst, enc)` copies a drop folder; .xlsx books keep their layout
(openpyxl, formulas as their cached values), .xls books are rewritten with xlwt and .ods
books with odfpy from what python-calamine reads (values, merged cells, hidden sheets).
A text already typed in a legacy font (the samples have one) is first read as Unicode,
so the copy is the same book in one font throughout.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from dicoso.text.legacy import encode_tcvn3, encode_vni, repair_text

from builders import ods_book

ENCODERS = {"tcvn3": encode_tcvn3, "vni": encode_vni}


def encode(value: Any, enc: str) -> Any:
    if not isinstance(value, str) or not value:
        return value
    return ENCODERS[enc](repair_text(value)[0])


def _xlsx(src: Path, dst: Path, enc: str) -> dict[str, str]:
    wb = openpyxl.load_workbook(src, data_only=True)
    names = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    c.value = encode(c.value, enc)
        names[encode(ws.title, enc)] = ws.title
        ws.title = encode(ws.title, enc)
    wb.save(dst)
    return names


def _calamine_sheets(src: Path) -> list[tuple[str, bool, list[list[Any]], list]]:
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(src))
    out = []
    for meta in wb.sheets_metadata:
        sheet = wb.get_sheet_by_name(meta.name)
        hidden = "Visible" not in str(meta.visible)
        out.append((meta.name, hidden, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or []))
    return out


def _xls(src: Path, dst: Path, enc: str) -> dict[str, str]:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    names = {}
    for name, hidden, rows, merges in _calamine_sheets(src):
        ws = wb.add_sheet(encode(name, enc))
        names[encode(name, enc)] = name
        if hidden:
            ws.visibility = 1
        covered = set()
        for (r0, c0), (r1, c1) in merges:
            ws.write_merge(r0, r1, c0, c1, encode(rows[r0][c0], enc))
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if (r, c) in covered or v in ("", None):
                    continue
                if isinstance(v, (date, datetime)):
                    ws.write(r, c, v, date_style)
                else:
                    ws.write(r, c, encode(v, enc))
    wb.save(str(dst))
    return names


def _ods(src: Path, dst: Path, enc: str) -> dict[str, str]:
    sheets = _calamine_sheets(src)
    spans = {name: [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merges] for name, _h, _rows, merges in sheets}
    ods_book(dst, {name: rows for name, _h, rows, _m in sheets}, spans=spans, encode=lambda v: encode(v, enc))
    return {encode(name, enc): name for name, *_ in sheets}


def transcode_folder(src: Path, dst: Path, enc: str) -> dict[str, str]:
    """Copy `src` to `dst` with every book in `enc`; returns legacy sheet name -> the original."""
    names: dict[str, str] = {}
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if path.is_dir():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        suffix = path.suffix.lower()
        if path.name.startswith(("~$", ".~lock")) or suffix not in (".xlsx", ".xls", ".ods"):
            shutil.copy2(path, target)
        elif suffix == ".xlsx":
            names |= _xlsx(path, target, enc)
        elif suffix == ".xls":
            names |= _xls(path, target, enc)
        else:
            names |= _ods(path, target, enc)
    return names
