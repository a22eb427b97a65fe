"""Small builders for test books: write exactly the quirk a test is about."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

TRIP_HEADER = ["STT", "Họ và tên", "Chức vụ", "Từ ngày", "Đến ngày", "Số ngày", "Địa bàn", "Cấp",
               "Nội dung", "Số công lệnh", "Ngày nộp báo cáo", "Ghi chú"]
# The smallest valid rule set, as a clerk would type it (tests add or break one key at a time).
GOOD_RULES = """\
schema: 1
name: "Thử"
province: "Thử"
periods:
  - start: 2020-03-01
    end: 2020-12-31
quota_days: 60
"""
ROSTER_HEADER = ["STT", "Họ và tên", "Chức vụ", "Ban", "Ngày bắt đầu công tác", "Ngày thôi công tác",
                 "Miễn đi cơ sở từ ngày", "Miễn đến ngày", "Lý do miễn"]


def book(path: Path, sheets: dict[str, list[list[Any]]], *, merges: dict[str, list[str]] | None = None,
         hidden: tuple[str, ...] = ()) -> Path:
    """Write an .xlsx with the given sheets (rows start at A1), merged ranges and hidden sheets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(list(r))
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def ods_book(path: Path, sheets: dict[str, list[list[Any]]], *,
             spans: dict[str, list[tuple[int, int, int, int]]] | None = None, encode=lambda v: v) -> Path:
    """Write an .ods with odfpy: rows start at A1, `spans` are merged ranges (r0, c0, r1, c1, 0-based,
    inclusive) as LibreOffice stores them (a spanning cell, then covered cells); texts pass through `encode`."""
    from datetime import date, datetime

    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=encode(name))
        size = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in (spans or {}).get(name, [])}
        covered = {(r, c) for (r0, c0), (rs, cs) in size.items() for r in range(r0, r0 + rs)
                   for c in range(c0, c0 + cs)} - set(size)
        for r, row in enumerate(rows):
            tr = TableRow()
            width = max([len(row)] + [c0 + cs for (r0, c0), (rs, cs) in size.items() if r0 <= r < r0 + rs])
            for c, v in enumerate(list(row) + [None] * (width - len(row))):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                extra = {}
                if (r, c) in size:
                    extra = {"numberrowsspanned": size[r, c][0], "numbercolumnsspanned": size[r, c][1]}
                if v in ("", None):
                    cell = TableCell(**extra)
                elif isinstance(v, (date, datetime)):
                    cell = TableCell(valuetype="date", datevalue=v.strftime("%Y-%m-%d"), **extra)
                    cell.addElement(P(text=v.strftime("%d/%m/%Y")))
                elif isinstance(v, (int, float)):
                    cell = TableCell(valuetype="float", value=v, **extra)
                    cell.addElement(P(text=str(v)))
                else:
                    cell = TableCell(valuetype="string", **extra)
                    cell.addElement(P(text=encode(v)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def trip(name: str, start: Any, end: Any, *, stt: Any = 1, position: str = "Chuyên viên", days: Any = None,
         place: str = "Huyện đoàn Tam Dương", level: str = "Huyện", content: str = "Dự sinh hoạt chi đoàn",
         order: str = "", submitted: Any = None, note: str = "") -> list[Any]:
    return [stt, name, position, start, end, days, place, level, content, order, submitted, note]


def register(path: Path, rows: list[list[Any]], *, title: tuple[str, ...] = ("TỈNH ĐOÀN VĨNH PHÚC", "BAN TUYÊN GIÁO"),
             sheet: str = "T3") -> Path:
    """A trip register with title rows, a blank line and the standard one-row header."""
    data = [[t] for t in title] + [[]] + [TRIP_HEADER] + rows
    return book(path, {sheet: data})


def roster(path: Path, rows: list[list[Any]]) -> Path:
    data = [["DANH SÁCH CÁN BỘ CHUYÊN TRÁCH"], [], ROSTER_HEADER] + rows
    return book(path, {"Danh sách": data})


def edit_template(src: Path, dst: Path, old: str, new: str) -> Path:
    """Copy a .docx template, replacing the first `old` in word/document.xml (as Word edits would)."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                assert old in xml, old
                data = xml.replace(old, new, 1).encode("utf-8")
            zout.writestr(info, data)
    return dst


def edit_document_xml(src: Path, dst: Path, edit) -> Path:
    """Copy a .docx, passing word/document.xml through `edit(xml) -> xml`."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
    return dst


def delete_rows(src: Path, dst: Path, *containing: str, after: str = "") -> Path:
    """Copy a .docx template with the table rows holding each text deleted (the first such
    row for each, after the text `after`), as a clerk deletes a row in Word."""
    import re

    def edit(xml: str) -> str:
        for text in containing:
            at = xml.index(text, xml.index(after) if after else 0)
            start = max(m.start() for m in re.finditer(r"<w:tr[ >]", xml[:at]))
            end = xml.index("</w:tr>", at) + len("</w:tr>")
            xml = xml[:start] + xml[end:]
        return xml

    return edit_document_xml(src, dst, edit)


def half_bold(src: Path, dst: Path, tag: str, split: int) -> Path:
    """Copy a .docx template with `tag` split into two runs, the second one bold (a tag
    Word stored as two pieces after the clerk bolded half of it)."""

    def edit(xml: str) -> str:
        head, tail = tag[:split], tag[split:]
        assert tag in xml, tag
        return xml.replace(tag, f"{head}</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{tail}", 1)

    return edit_document_xml(src, dst, edit)
