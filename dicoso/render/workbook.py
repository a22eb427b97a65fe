"""Summary workbook for the office and the deterministic-zip helper.

Sheets: per cadre, trips (normalised, with source file/sheet/row), late and
overdue reports, registrations by quarter, data problems for the clerk, and
optionally the changes since the previous run. Text from the input is never
written as a formula, and two writes of the same data give identical bytes.

The workbooks are written as SpreadsheetML directly: one fixed style sheet, each
sheet's rows made column by column (each distinct value of a column is turned into
XML once), each row as tall as its wrapped text needs, and texts in a shared-string
table. openpyxl, which the tests read the files back with, cost ~20 µs a cell plus
~0.1 s to import.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from itertools import repeat
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from ..model import TRIP_TABLE_COLUMNS
from ..text import vn as vnformat
from ..text.excel import EPOCH, col_letters
from . import xlsx_heights
from .xlsx_heights import ROW_OPENS

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
DATE_FORMAT = "dd/mm/yyyy"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A national roll-up can hold a million trips: the "Chuyến đi" sheet lists the first
# TRIPS_SHEET_MAX (by file, sheet, row) and the full list goes to a CSV beside it.
TRIPS_SHEET_MAX = 100_000

STATUS_VI = {"on_time": "Đúng hạn", "late": "Nộp muộn", "overdue": "Quá hạn, chưa nộp",
             "pending": "Chưa đến hạn"}

# Control characters XML 1.0 cannot hold (the set openpyxl refuses).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_HAS_ILLEGAL = ILLEGAL_CHARACTERS_RE.search

# --- fixed parts ---------------------------------------------------------------------
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument."
# Cell styles, by their index in cellXfs below: all Times New Roman 12 with a thin grey
# border; body cells wrapped and top-aligned, the header bold and centred on grey.
_BODY, _DATE, _HEAD, _PERCENT = 1, 2, 3, 4
_SIDES = "".join(f'<{s} style="thin"><color rgb="00808080"/></{s}>' for s in ("left", "right", "top", "bottom"))
_TOP = '<alignment vertical="top" wrapText="1"/>'


def _xf(fmt: int, font: int, fill: int, alignment: str) -> str:
    return (f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="1" xfId="0" applyNumberFormat="1" '
            f'applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">{alignment}</xf>')


_STYLES_XML = (
    f'<styleSheet xmlns="{_NS}"><numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>'
    '<numFmt numFmtId="165" formatCode="0.0%"/></numFmts><fonts count="3">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b val="1"/><sz val="12"/><name val="Times New Roman"/></font>'
    '<font><sz val="12"/><name val="Times New Roman"/></font></fonts><fills count="3">'
    '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="00D9D9D9"/></patternFill></fill></fills>'
    f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>{_SIDES}<diagonal/>'
    '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    + _xf(0, 2, 0, _TOP) + _xf(164, 2, 0, _TOP)
    + _xf(0, 1, 2, '<alignment horizontal="center" vertical="center" wrapText="1"/>') + _xf(165, 2, 0, _TOP)
    + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
# Printable as the office prints: A4 landscape, one page wide, header on every page
# (the header rows are the _xlnm.Print_Titles name in workbook.xml).
_SHEET_TAIL = ('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
               '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>')


# --- zip normalisation (shared with render_docx) ---------------------------------
def _write_zip(target: Path | str | IO[bytes], parts: dict[str, bytes | str]) -> None:
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
    """Rewrite an OOXML zip (written by another library) the way _write_zip writes one;
    from `source` (the zip in memory) when given, else from `path` itself."""
    path = Path(path)
    with zipfile.ZipFile(source or path) as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
    if source is not None:  # a new file: written in place
        _write_zip(path, parts)
        return
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        _write_zip(tmp, parts)
        os.chmod(tmp, os.stat(path).st_mode & 0o777)  # mkstemp made it 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- cell values ------------------------------------------------------------------
def _clean(value: Any) -> Any:
    """Plain Python value for a cell: None for blanks (NaN, NaT, NA), date for timestamps."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if value is None or pd.isna(value):
        return None
    if isinstance(value, datetime):  # also pandas.Timestamp
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def cell_value(value: Any) -> Any:
    """A value safe to store: blanks as None, no illegal XML characters."""
    value = _clean(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _escape(text: str) -> str:
    """Text for XML content or a quoted attribute (str.replace is ~10x faster than translate)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\r", "&#13;"))


class _Column(dict):
    """XML of each distinct value of one column, made once (names, Ban, places, statuses
    and days repeat down a column): the cell after `<c r="A2` and then `after`. `typed`
    columns are keyed by (type, value), so that 1, 1.0 and True stay apart."""

    def __init__(self, book: _Book, number_style: int, after: str, typed: bool) -> None:
        super().__init__()
        self.book, self.number_style, self.after, self.typed = book, number_style, after, typed

    def __missing__(self, key: Any) -> str:
        xml = self[key] = self.book.cell(key[1] if self.typed else key, self.number_style) + self.after
        return xml


class _Book:
    """A workbook being written: each sheet's XML, in order, and the shared strings."""

    def __init__(self) -> None:
        self.sheets: list[tuple[str, str, int, str]] = []  # title, last column, last row, XML
        self.strings: dict[str, int] = {}

    def string(self, text: str) -> int:
        return self.strings.setdefault(text, len(self.strings))

    def cell(self, value: Any, number_style: int = _BODY) -> str:
        """A cell's XML after `<c r="A2`. Text is always a string cell (never a formula),
        dates are day numbers shown dd/mm/yyyy, blanks keep the border."""
        value = cell_value(value)
        if value is None or (isinstance(value, float) and not math.isfinite(value)):  # inf: as openpyxl, blank
            return f'" s="{_BODY}"/>'
        if isinstance(value, str):
            if not value:  # as openpyxl wrote an empty text (it reads back as blank)
                return f'" s="{_BODY}" t="inlineStr"></c>'
            return f'" s="{_BODY}" t="s"><v>{self.string(value)}</v></c>'
        if isinstance(value, bool):
            return f'" s="{_BODY}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, date):
            days = (value - EPOCH).days
            if 0 < days <= 60:  # before 01/03/1900: Excel counts a 29/02/1900 (as openpyxl does)
                days -= 1
            return f'" s="{_DATE}"><v>{days}</v></c>'  # no t: a number is the default type
        if isinstance(value, (int, float)):
            return f'" s="{number_style}"><v>{value!r}</v></c>'
        return self.cell(str(value), number_style)

    def column(self, values: Sequence[Any], number_style: int, after: str
               ) -> tuple[list[str], Sequence[Any], list[str]]:
        """Each value's cell XML, the values (lists joined) and the distinct texts among them."""
        # Text never equals a non-text, nor None anything else: one other type needs no type in the key.
        cache = _Column(self, number_style, after, typed=len(set(map(type, values)) - {str, type(None)}) > 1)
        try:
            if cache.typed:
                cells = [cache[v.__class__, v] for v in values]
                return cells, values, [v for _, v in cache if isinstance(v, str)]
            cells = list(map(cache.__getitem__, values))
            return cells, values, [v for v in cache if isinstance(v, str)]
        except TypeError:  # an unhashable value (a list): no cache for this column
            values = list(map(_clean, values))
            texts = list(dict.fromkeys(v for v in values if isinstance(v, str)))
            return [self.cell(v, number_style) + after for v in values], values, texts

    def sheet(self, title: str, headers: list[tuple[str, float]], columns: Sequence[Sequence[Any]],
              number_styles: dict[int, int] | None = None) -> None:
        """One office-style sheet: bold grey header, widths, frozen header, auto-filter.

        `columns` is the body column by column (all of one length); `number_styles`
        gives a 1-based column's style for numbers (default plain).
        """
        letters = [col_letters(c) for c in range(len(headers))]
        rows = len(columns[0]) if columns else 0
        ref = f"A1:{letters[-1]}{rows + 1}"
        afters = [f'<c r="{x}' for x in letters[1:]] + ["</row>"]
        cells, counted, measured = [], [], []
        for col, (values, after, (_, width)) in enumerate(zip(columns, afters, headers), start=1):
            xml, values, texts = self.column(values, (number_styles or {}).get(col, _BODY), after)
            cells.append(xml)
            if len(texts) > xlsx_heights.MEASURED_MAX:
                counted.append(xlsx_heights.counted_lines(values, width))
            elif table := {t: n for t, n in zip(texts, xlsx_heights.text_lines(texts, width)) if n > 1}:
                measured.append((values, table))
        lines = xlsx_heights.row_lines(rows, counted, measured)
        opens = repeat(ROW_OPENS[1]) if lines is None else np.array(ROW_OPENS, dtype=object)[lines].tolist()
        # A row is its number joined between '<row r="', '" ht=.."><c r="A' and the cells: 3x faster than format().
        body = "".join(map(str.join, map(str, range(2, rows + 2)), zip(repeat('<row r="'), opens, *cells)))
        head_lines = max(xlsx_heights.text_lines([text], width, bold=True)[0] for text, width in headers)
        widths = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                         for i, (_, w) in enumerate(headers, start=1))
        head = "".join(f'<c r="{x}1" s="{_HEAD}" t="s"><v>{self.string(text)}</v></c>'
                       for x, (text, _) in zip(letters, headers))
        self.sheets.append((title, letters[-1], rows + 1, (
            f'<worksheet xmlns="{_NS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="{ref}"/>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/><selection pane="bottomLeft" activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>'
            f'<row r="1"{xlsx_heights.height(head_lines)}>{head}</row>{body}</sheetData><autoFilter ref="{ref}"/>{_SHEET_TAIL}')))

    def save(self, out_path: Path, title: str, as_of: date) -> None:
        """Write the zip, with fixed properties and zip metadata: identical input, identical bytes."""
        stamp = f"{as_of.isoformat()}T00:00:00Z"
        sheets = [f"xl/worksheets/sheet{i}.xml" for i in range(1, len(self.sheets) + 1)]
        parts: dict[str, bytes | str] = {name: xml for name, (*_, xml) in zip(sheets, self.sheets)}
        self.sheets = [(*meta, "") for *meta, _ in self.sheets]  # the XML now lives in `parts` only
        types = {name: "spreadsheetml.worksheet" for name in sheets} | {
            "xl/workbook.xml": "spreadsheetml.sheet.main", "xl/styles.xml": "spreadsheetml.styles",
            "xl/sharedStrings.xml": "spreadsheetml.sharedStrings", "docProps/app.xml": "extended-properties"}
        parts["[Content_Types].xml"] = (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            + "".join(f'<Override PartName="/{name}" ContentType="{_CT}{kind}+xml"/>' for name, kind in types.items())
            + "</Types>")
        parts["_rels/.rels"] = _rels([("officeDocument", "xl/workbook.xml"), ("extended-properties", "docProps/app.xml"),
                                      (f"{_PKG}/metadata/core-properties", "docProps/core.xml")])
        parts["docProps/app.xml"] = (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>Microsoft Excel Compatible / dicoso</Application></Properties>")
        parts["docProps/core.xml"] = (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>dicoso</dc:creator>'
            f"<dc:title>{_escape(title)}</dc:title><cp:lastModifiedBy>dicoso</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
        names = []
        for i, (name, col, row, _) in enumerate(self.sheets):
            quoted = _escape("'" + name.replace("'", "''") + "'")
            names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                         f"{quoted}!$A$1:${col}${row}</definedName>"
                         f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{quoted}!$1:$1</definedName>')
        parts["xl/workbook.xml"] = (
            f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><bookViews><workbookView activeTab="0"/></bookViews><sheets>'
            + "".join(f'<sheet name="{_escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, (name, _, _, _) in enumerate(self.sheets, start=1))
            + f'</sheets><definedNames>{"".join(names)}</definedNames></workbook>')
        parts["xl/_rels/workbook.xml.rels"] = _rels([("worksheet", name[3:]) for name in sheets]
                                                    + [("styles", "styles.xml"), ("sharedStrings", "sharedStrings.xml")])
        parts["xl/styles.xml"] = _STYLES_XML
        parts["xl/sharedStrings.xml"] = (f'<sst xmlns="{_NS}" uniqueCount="{len(self.strings)}">' + "".join(
            f'<si><t xml:space="preserve">{_escape(text)}</t></si>' for text in self.strings) + "</sst>")
        _write_zip(out_path, parts)


def _rels(targets: list[tuple[str, str]]) -> str:
    """A relationships part; a kind without "://" is one of the officeDocument relationships."""
    return (f'<Relationships xmlns="{_PKG}">' + "".join(
        f'<Relationship Id="rId{i}" Type="{kind if "://" in kind else f"{_REL}/{kind}"}" Target="{target}"/>'
        for i, (kind, target) in enumerate(targets, start=1)) + "</Relationships>")


def _iso(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else value or None


# --- sheets -------------------------------------------------------------------------
def _cadre_rows(summary: dict) -> list[list[Any]]:
    levels = summary.get("levels") or []
    at_risk = vnformat.at_risk_names(summary)
    rows = []
    for i, c in enumerate(summary["cadres"], start=1):
        exemptions = "; ".join(
            f"{vnformat.dmy(e.get('from'))} - {vnformat.dmy(e.get('to'))}: {e.get('reason', '')}"
            for e in c.get("exemptions", [])
        )
        rows.append(
            [i, c["name"], c.get("department", ""), c.get("position", ""), c.get("quota"),
             c.get("counted_days"), c.get("trips"), c.get("overlap_days"),
             vnformat.cadre_result(c, at_risk),
             c.get("days_needed"), c.get("eligible_days"), c.get("planned_days")]
            + [c.get("by_level", {}).get(lv["key"], 0) for lv in levels]
            + [", ".join(c.get("monthly_missing", [])), exemptions, "; ".join(c.get("notes", []))]
        )
    return rows


def _report_rows(summary: dict) -> list[list[Any]]:
    reports = summary.get("reports", {})
    rows = []
    for kind, label, days_key in (("late", "Nộp muộn", "days_late"),
                                  ("overdue", "Quá hạn, chưa nộp", "days_overdue"),
                                  ("pending", "Chưa đến hạn", None)):
        for r in reports.get(kind, []):
            rows.append([label, r["name"], r.get("department", ""), _iso(r.get("start")),
                         _iso(r.get("end")), _iso(r.get("due")), _iso(r.get("submitted")),
                         r.get(days_key) if days_key else None,
                         r.get("file", ""), r.get("sheet", ""), r.get("row")])
    return rows


def _trip_columns(trips, full_list: str | None = None) -> list[list[Any]]:
    """The trips sheet's body, column by column (Series.tolist is ~20x faster than itertuples)."""
    frame = (pd.DataFrame() if trips is None else trips).reindex(columns=TRIP_TABLE_COLUMNS)
    total, listed = len(frame), min(len(frame), TRIPS_SHEET_MAX)
    columns = [frame[name].head(listed).tolist() for name in TRIP_TABLE_COLUMNS]
    status = TRIP_TABLE_COLUMNS.index("status")
    columns[status] = [STATUS_VI.get(s, s) if isinstance(s, str) else s for s in map(_clean, columns[status])]
    if total > listed:
        where = f"danh sách đầy đủ ở tệp {full_list}" if full_list else "các chuyến còn lại xem trong sổ của các Ban"
        columns[0].append(f"Chỉ liệt kê {vnformat.number(listed)}/{vnformat.number(total)} chuyến đầu tiên "
                          f"(theo tệp, trang, dòng); {where}.")
        for values in columns[1:]:
            values.append(None)
    return columns


TRIP_CSV_HEADERS = ["Tệp", "Trang tính", "Dòng", "Họ và tên", "Chức vụ", "Ban", "Từ ngày", "Đến ngày",
                    "Số ngày khai", "Số ngày tính", "Địa bàn", "Cấp", "Nội dung", "Số công lệnh",
                    "Ngày nộp báo cáo", "Hạn nộp", "Tình trạng báo cáo", "Số ngày muộn", "Ghi chú"]


def _csv_text(value: Any) -> str:
    if value.__class__ is str:  # the common case, without the general cleaning
        value = ILLEGAL_CHARACTERS_RE.sub("", value) if _HAS_ILLEGAL(value) else value
    else:
        value = cell_value(value)
        if value is None:
            return ""
        if isinstance(value, date):
            return vnformat.dmy(value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if not isinstance(value, str):
            return str(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _csv_field(value: Any) -> str:
    """One CSV field, quoted as the csv module quotes (QUOTE_MINIMAL, \r\n rows)."""
    text = _csv_text(value)
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


CSV_CHUNK_ROWS = 50_000


def write_trips_csv(trips, out_path: Path) -> None:
    """Every trip as CSV (UTF-8 with BOM so Excel shows Vietnamese), dates dd/mm/yyyy.

    Text that Excel would take for a formula (=, +, -, @ first) gets a leading
    apostrophe, as Excel itself does for text typed that way. Rows go out in chunks;
    within a chunk each distinct value of a column is formatted and quoted once (a
    million trips repeat names, dates, places) and rows are joined in C.
    """
    frame = trips.reindex(columns=TRIP_TABLE_COLUMNS)
    header = ",".join(map(_csv_field, TRIP_CSV_HEADERS)) + "\r\n"
    with Path(out_path).open("wb") as fh:
        fh.write(b"\xef\xbb\xbf" + header.encode("utf-8"))
        for at in range(0, len(frame), CSV_CHUNK_ROWS):
            chunk = frame.iloc[at:at + CSV_CHUNK_ROWS]
            rows = zip(*(_csv_column(chunk[name], name) for name in TRIP_TABLE_COLUMNS))
            fh.write(("\r\n".join(map(",".join, rows)) + "\r\n").encode("utf-8"))


def _csv_column(values: pd.Series, name: str) -> list[str]:
    if name == "status":
        values = values.astype(object).replace(STATUS_VI)
    if values.dtype.kind in "iu":  # counts and row numbers: nothing to quote or guard
        return list(map(str, values.tolist()))
    codes, distinct = pd.factorize(values.astype(object), use_na_sentinel=False)
    return np.array([_csv_field(v) for v in distinct] or [""], dtype=object)[codes].tolist()


def _issue_rows(summary: dict) -> list[list[Any]]:
    issues = sorted(summary.get("issues", []),
                    key=lambda i: (i.get("file", ""), i.get("sheet", ""), i.get("row") or 0, i.get("code", "")))
    return [[i.get("file", ""), i.get("sheet", ""), i.get("row"), i.get("column", ""),
             vnformat.SEVERITY.get(i.get("severity", ""), i.get("severity", "")), i.get("code", ""),
             i.get("message", ""), i.get("suggestion", "")] for i in issues]


def _sheet(book: _Book, title: str, headers: list[tuple[str, float]], rows: list[list[Any]],
           number_styles: dict[int, int] | None = None) -> None:
    book.sheet(title, headers, list(zip(*rows)) if rows else [[]] * len(headers), number_styles)


def build_workbook(summary: dict, trips, *, changes: list[dict] | None = None,
                   full_list: str | None = None) -> _Book:
    """The workbook's sheets, in order (see the module docstring)."""
    book = _Book()
    levels = summary.get("levels") or []
    _sheet(book, "Cán bộ",
           [("STT", 6), ("Họ và tên", 26), ("Ban", 22), ("Chức vụ", 20), ("Chỉ tiêu (ngày)", 10),
            ("Số ngày tính", 10), ("Số chuyến", 9), ("Ngày trùng", 9),
            ("Kết quả", 11 if vnformat.at_risk_names(summary) is None else 14),  # "Chậm tiến độ" on one line
            ("Còn thiếu (ngày)", 10), ("Ngày đủ điều kiện", 11), ("Ngày đăng ký", 10)]
           + [(f"Cấp {lv['label']}", 10) for lv in levels]
           + [("Tháng chưa đi", 14), ("Miễn giảm", 30), ("Ghi chú", 30)],
           _cadre_rows(summary))
    book.sheet("Chuyến đi",
               [("Tệp", 28), ("Trang tính", 12), ("Dòng", 7), ("Họ và tên", 24), ("Chức vụ", 16),
                ("Ban", 20), ("Từ ngày", 12), ("Đến ngày", 12), ("Số ngày khai", 9), ("Số ngày tính", 9),
                ("Địa bàn", 22), ("Cấp", 10), ("Nội dung", 34), ("Số công lệnh", 12),
                ("Ngày nộp báo cáo", 12), ("Hạn nộp", 12), ("Tình trạng báo cáo", 16),
                ("Số ngày muộn", 9), ("Ghi chú", 24)],
               _trip_columns(trips, full_list))
    _sheet(book, "Báo cáo muộn",
           [("Tình trạng", 18), ("Họ và tên", 24), ("Ban", 20), ("Từ ngày", 12), ("Đến ngày", 12),
            ("Hạn nộp", 12), ("Ngày nộp", 12), ("Số ngày muộn/quá hạn", 12), ("Tệp", 28),
            ("Trang tính", 12), ("Dòng", 7)],
           _report_rows(summary))
    _sheet(book, "Đăng ký theo quý",
           [("Quý", 14), ("Phải đăng ký", 12), ("Đã đăng ký", 12), ("Tỷ lệ", 10), ("Chưa đăng ký", 50)],
           [[vnformat.quarter_label(r["quarter"]), r["required"], r["registered"],
             (r["registered"] / r["required"]) if r["required"] else None, ", ".join(r.get("missing", []))]
            for r in summary.get("registration", [])],
           number_styles={4: _PERCENT})
    _issue_sheet(book, summary)
    if changes is not None:
        _sheet(book, "Thay đổi", [("Loại", 16), ("Mục", 30), ("Trước", 24), ("Sau", 24)],
               [[c.get("kind", ""), c.get("item", ""), c.get("before", ""), c.get("after", "")] for c in changes])
    return book


def _issue_sheet(book: _Book, summary: dict) -> None:
    _sheet(book, "Lỗi dữ liệu",
           [("Tệp", 30), ("Trang tính", 12), ("Dòng", 7), ("Cột", 14), ("Mức độ", 11), ("Mã", 16),
            ("Nội dung", 60), ("Cách sửa", 44)],
           _issue_rows(summary))


def _label(summary: dict) -> str:
    return summary.get("period", {}).get("label", "")


def write_workbook(summary: dict, trips, out_path: Path, *, as_of: date,
                   changes: list[dict] | None = None, full_list: str | None = None) -> None:
    """Write the summary workbook (sheets listed in the module docstring).

    `full_list` names the CSV holding every trip when there are more than TRIPS_SHEET_MAX.
    """
    book = build_workbook(summary, trips, changes=changes, full_list=full_list)
    book.save(out_path, f"Tổng hợp đi công tác cơ sở {_label(summary)}".strip(), as_of)


def write_problems(summary: dict, out_path: Path, *, as_of: date) -> None:
    """Write the clerk's list of data problems alone (the "Lỗi dữ liệu" sheet)."""
    book = _Book()
    _issue_sheet(book, summary)
    book.save(out_path, f"Lỗi dữ liệu đi công tác cơ sở {_label(summary)}".strip(), as_of)
