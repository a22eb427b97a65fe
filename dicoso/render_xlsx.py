"""Summary workbook for the office (openpyxl) and the deterministic-zip helper.

Sheets: per cadre, trips (normalised, with source file/sheet/row), late and
overdue reports, registrations by quarter, data problems for the clerk, and
optionally the changes since the previous run. Text from the input is never
written as a formula, and two writes of the same data give identical bytes.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from copy import copy
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from . import vnformat
from .model import TRIP_TABLE_COLUMNS

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
DATE_FORMAT = "dd/mm/yyyy"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BULK_MIN_ROWS = 500  # sheets longer than this are streamed as XML (same look, ~20x faster)
# A national roll-up can hold a million trips: the "Chuyến đi" sheet lists the first
# TRIPS_SHEET_MAX (by file, sheet, row) and the full list goes to a CSV beside it.
TRIPS_SHEET_MAX = 100_000

SEVERITY_VI = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}
STATUS_VI = {
    "on_time": "Đúng hạn",
    "late": "Nộp muộn",
    "overdue": "Quá hạn, chưa nộp",
    "pending": "Chưa đến hạn",
}

_FONT = Font(name="Times New Roman", size=12)
_HEAD_FONT = Font(name="Times New Roman", size=12, bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD_ALIGN = Alignment(wrap_text=True, horizontal="center", vertical="center")


# --- zip normalisation (shared with render_docx) ---------------------------------
def normalise_zip(path: Path | str, rewrite: dict[str, Callable[[bytes], bytes]] | None = None) -> None:
    """Rewrite an OOXML zip with fixed entry times and a fixed entry order.

    `[Content_Types].xml` stays first (some readers sniff it), the rest sorted,
    so that identical content gives identical bytes. `rewrite` maps a part name
    to a function that returns the part's new content.
    """
    path = Path(path)
    with zipfile.ZipFile(path) as src:
        entries = {info.filename: src.read(info) for info in src.infolist()}
    for name, fn in (rewrite or {}).items():
        entries[name] = fn(entries[name])
    names = sorted(entries, key=lambda n: (n != "[Content_Types].xml", n))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w") as dst:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0o644 << 16
                # Big streamed sheets compress at level 1: several times faster, ~20% larger.
                dst.writestr(info, entries[name], compresslevel=1 if len(entries[name]) > 4_000_000 else 6)
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


class _Styles:
    """Body cell styles of one sheet, built once per number format and then copied.

    Setting font/alignment/border on every cell makes openpyxl hash style objects
    per cell, which dominated the time of large sheets; copying the StyleArray
    gives the same result.
    """

    def __init__(self) -> None:
        self._cache: dict[str | None, Any] = {}

    def apply(self, cell, number_format: str | None) -> None:
        proto = self._cache.get(number_format)
        if proto is None:
            cell.font, cell.alignment, cell.border = _FONT, _WRAP, _BORDER
            if number_format:
                cell.number_format = number_format
            self._cache[number_format] = copy(cell._style)
        else:
            cell._style = copy(proto)


def put(ws, row: int, col: int, value: Any, styles: _Styles | None = None,
        number_format: str | None = None):
    """Write one cell; text is always text (never a formula) and dates get dd/mm/yyyy."""
    value = cell_value(value)
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    if isinstance(value, date):
        number_format = DATE_FORMAT
    elif not isinstance(value, (int, float)) or isinstance(value, bool):
        number_format = None
    (styles or _Styles()).apply(cell, number_format)
    return cell


def _sheet(wb: Workbook, title: str, headers: list[tuple[str, float]],
           rows: Iterable[list[Any]], number_formats: dict[int, str] | None = None,
           bulk: dict[str, Callable[[bytes], bytes]] | None = None) -> None:
    """One office-style sheet: bold grey header, widths, frozen header, auto-filter.

    With `bulk`, the body rows are not built as openpyxl cells: the sheet is saved
    with its header only and `bulk` receives a rewrite that streams the rows into
    the sheet's XML (large trip lists: openpyxl cells cost ~20 µs each).
    """
    ws = wb.create_sheet(title)
    rows = list(rows)
    if bulk is not None and not number_formats and len(rows) > BULK_MIN_ROWS:
        _prepare_bulk(wb, ws, headers, rows, bulk)
        return
    for col, (text, width) in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font, cell.fill, cell.alignment, cell.border = _HEAD_FONT, _HEAD_FILL, _HEAD_ALIGN, _BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    styles = _Styles()
    formats = number_formats or {}
    n = 1
    for n, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            put(ws, n, col, value, styles, formats.get(col))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(n, 1)}"
    _print_setup(ws)


def _print_setup(ws) -> None:
    """Printable as the office prints: A4 landscape, one page wide, header on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


# --- bulk rows (large sheets) ---------------------------------------------------------
_EXCEL_EPOCH = date(1899, 12, 30)
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _style_id(wb: Workbook, ws, number_format: str | None) -> int:
    """The cellXfs index openpyxl will give a body cell with this number format."""
    from openpyxl.cell.cell import Cell

    cell = Cell(ws)  # never attached to the sheet: only used to build the style
    _Styles().apply(cell, number_format)
    return wb._cell_styles.add(cell._style)


def _cell_tail(value: Any, base: int, dated: int) -> str:
    """A streamed cell's XML after its `r` attribute (the same cell openpyxl would write)."""
    value = cell_value(value)
    if value is None:
        return f' s="{base}"/>'
    if value == "":
        return f' s="{base}" t="inlineStr"></c>'  # as openpyxl writes an empty text
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
        return f' s="{base}" t="inlineStr"><is><t{space}>{value.translate(_XML_ESCAPES)}</t></is></c>'
    if isinstance(value, bool):
        return f' s="{base}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, date):
        return f' s="{dated}" t="n"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, (int, float)):
        return f' s="{base}" t="n"><v>{value!r}</v></c>'
    return _cell_tail(str(value), base, dated)


# Values whose XML/CSV text is cached per column (not bool: True == 1 as a dict key).
_CACHED_TYPES = (str, date, type(None), int, float)


def _rows_xml(rows: list[list[Any]], letters: list[str], base: int, dated: int) -> str:
    """Body rows of a streamed sheet. Texts and dates repeat down a column (names, Ban,
    statuses, days), so each distinct one is escaped and formatted once per column."""
    caches: list[dict[Any, str]] = [{} for _ in letters]
    out = []
    for r, values in enumerate(rows, start=2):
        cells = []
        for letter, value, cache in zip(letters, values, caches):
            if value.__class__ in _CACHED_TYPES:
                tail = cache.get(value)
                if tail is None:
                    tail = cache[value] = _cell_tail(value, base, dated)
            else:
                tail = _cell_tail(value, base, dated)
            cells.append(f'<c r="{letter}{r}"{tail}')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    return "".join(out)


def _prepare_bulk(wb: Workbook, ws, headers: list[tuple[str, float]], rows: list[list[Any]],
                  bulk: dict[str, Callable[[bytes], bytes]]) -> None:
    for col, (text, width) in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font, cell.fill, cell.alignment, cell.border = _HEAD_FONT, _HEAD_FILL, _HEAD_ALIGN, _BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    last = max(len(rows) + 1, 1)
    letters = [get_column_letter(c) for c in range(1, len(headers) + 1)]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{letters[-1]}{last}"
    _print_setup(ws)
    base, dated = _style_id(wb, ws, None), _style_id(wb, ws, DATE_FORMAT)
    part = f"xl/worksheets/sheet{wb.worksheets.index(ws) + 1}.xml"

    def fill(xml: bytes) -> bytes:
        body = _rows_xml(rows, letters, base, dated).encode("utf-8")
        xml = xml.replace(f'<dimension ref="A1:{letters[-1]}1"/>'.encode(),
                          f'<dimension ref="A1:{letters[-1]}{last}"/>'.encode(), 1)
        head, sep, tail = xml.partition(b"</sheetData>")
        if not sep:
            raise ValueError(f"{part}: no sheetData")
        return head + body + sep + tail

    bulk[part] = fill


def _iso(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else value or None


# --- sheets -------------------------------------------------------------------------
def _cadre_rows(summary: dict) -> list[list[Any]]:
    levels = summary.get("levels") or []
    rows = []
    for i, c in enumerate(summary["cadres"], start=1):
        exemptions = "; ".join(
            f"{vnformat.ddmmyyyy(e.get('from'))} - {vnformat.ddmmyyyy(e.get('to'))}: {e.get('reason', '')}"
            for e in c.get("exemptions", [])
        )
        rows.append(
            [i, c["name"], c.get("department", ""), c.get("position", ""), c.get("quota"),
             c.get("counted_days"), c.get("trips"), c.get("overlap_days"),
             "Đạt" if c.get("met") else ("Miễn" if c.get("exempt") else "Chưa đạt"),
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


def _trip_rows(trips, full_list: str | None = None) -> list[list[Any]]:
    if trips is None or len(trips) == 0:
        return []
    frame = trips.reindex(columns=TRIP_TABLE_COLUMNS)
    total = len(frame)
    if total > TRIPS_SHEET_MAX:
        frame = frame.head(TRIPS_SHEET_MAX)
    rows = []
    for record in frame.itertuples(index=False, name=None):
        values = list(record)
        status = _clean(values[16])
        values[16] = STATUS_VI.get(status, status) if isinstance(status, str) else status
        rows.append(values)
    if total > len(rows):
        where = f"danh sách đầy đủ ở tệp {full_list}" if full_list else "các chuyến còn lại xem trong sổ của các Ban"
        rows.append([f"Chỉ liệt kê {vnformat.number(len(rows))}/{vnformat.number(total)} chuyến đầu tiên "
                     f"(theo tệp, trang, dòng); {where}."] + [None] * (len(TRIP_TABLE_COLUMNS) - 1))
    return rows


TRIP_CSV_HEADERS = ["Tệp", "Trang tính", "Dòng", "Họ và tên", "Chức vụ", "Ban", "Từ ngày", "Đến ngày",
                    "Số ngày khai", "Số ngày tính", "Địa bàn", "Cấp", "Nội dung", "Số công lệnh",
                    "Ngày nộp báo cáo", "Hạn nộp", "Tình trạng báo cáo", "Số ngày muộn", "Ghi chú"]


def _csv_text(value: Any) -> str:
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    return str(value)


def write_trips_csv(trips, out_path: Path) -> None:
    """Every trip as CSV (UTF-8 with BOM so Excel shows Vietnamese), dates dd/mm/yyyy.

    Text that Excel would take for a formula (=, +, -, @ first) gets a leading
    apostrophe, as Excel itself does for text typed that way. Each distinct value
    of a column is formatted once (a million trips repeat names, dates, places).
    """
    import csv

    frame = trips.reindex(columns=TRIP_TABLE_COLUMNS)
    columns = []
    for name in TRIP_TABLE_COLUMNS:
        values = frame[name].astype(object)
        if name == "status":
            values = values.map(lambda v: STATUS_VI.get(v, v) if isinstance(v, str) else v)
        distinct = pd.unique(values)
        texts = pd.Series([_csv_text(v) for v in distinct], index=distinct, dtype=object)
        columns.append(texts.reindex(values).tolist())
    with Path(out_path).open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(TRIP_CSV_HEADERS)
        writer.writerows(zip(*columns))

def _issue_rows(summary: dict) -> list[list[Any]]:
    issues = sorted(summary.get("issues", []),
                    key=lambda i: (i.get("file", ""), i.get("sheet", ""), i.get("row") or 0, i.get("code", "")))
    return [[i.get("file", ""), i.get("sheet", ""), i.get("row"), i.get("column", ""),
             SEVERITY_VI.get(i.get("severity", ""), i.get("severity", "")), i.get("code", ""),
             i.get("message", ""), i.get("suggestion", "")] for i in issues]


def build_workbook(summary: dict, trips, *, changes: list[dict] | None = None,
                   bulk: dict[str, Callable[[bytes], bytes]] | None = None, full_list: str | None = None) -> Workbook:
    """The workbook; with `bulk`, the trips sheet's rows are streamed in at save time."""
    wb = Workbook()
    wb.remove(wb.active)
    levels = summary.get("levels") or []
    _sheet(wb, "Cán bộ",
           [("STT", 6), ("Họ và tên", 26), ("Ban", 22), ("Chức vụ", 20), ("Chỉ tiêu (ngày)", 10),
            ("Số ngày tính", 10), ("Số chuyến", 9), ("Ngày trùng", 9), ("Kết quả", 11),
            ("Còn thiếu (ngày)", 10), ("Ngày đủ điều kiện", 11), ("Ngày đăng ký", 10)]
           + [(f"Cấp {lv['label']}", 10) for lv in levels]
           + [("Tháng chưa đi", 14), ("Miễn giảm", 30), ("Ghi chú", 30)],
           _cadre_rows(summary), bulk=bulk)
    _sheet(wb, "Chuyến đi",
           [("Tệp", 28), ("Trang tính", 12), ("Dòng", 7), ("Họ và tên", 24), ("Chức vụ", 16),
            ("Ban", 20), ("Từ ngày", 12), ("Đến ngày", 12), ("Số ngày khai", 9), ("Số ngày tính", 9),
            ("Địa bàn", 22), ("Cấp", 10), ("Nội dung", 34), ("Số công lệnh", 12),
            ("Ngày nộp báo cáo", 12), ("Hạn nộp", 12), ("Tình trạng báo cáo", 16),
            ("Số ngày muộn", 9), ("Ghi chú", 24)],
           _trip_rows(trips, full_list), bulk=bulk)
    _sheet(wb, "Báo cáo muộn",
           [("Tình trạng", 18), ("Họ và tên", 24), ("Ban", 20), ("Từ ngày", 12), ("Đến ngày", 12),
            ("Hạn nộp", 12), ("Ngày nộp", 12), ("Số ngày muộn/quá hạn", 12), ("Tệp", 28),
            ("Trang tính", 12), ("Dòng", 7)],
           _report_rows(summary), bulk=bulk)
    _sheet(wb, "Đăng ký theo quý",
           [("Quý", 14), ("Phải đăng ký", 12), ("Đã đăng ký", 12), ("Tỷ lệ", 10), ("Chưa đăng ký", 50)],
           [[vnformat.quarter_label(r["quarter"]), r["required"], r["registered"],
             (r["registered"] / r["required"]) if r["required"] else None, ", ".join(r.get("missing", []))]
            for r in summary.get("registration", [])],
           number_formats={4: "0.0%"})
    _issue_sheet(wb, summary, bulk)
    if changes is not None:
        _sheet(wb, "Thay đổi", [("Loại", 16), ("Mục", 30), ("Trước", 24), ("Sau", 24)],
               [[c.get("kind", ""), c.get("item", ""), c.get("before", ""), c.get("after", "")]
                for c in changes], bulk=bulk)
    return wb


def _issue_sheet(wb: Workbook, summary: dict, bulk: dict[str, Callable[[bytes], bytes]] | None = None) -> None:
    _sheet(wb, "Lỗi dữ liệu",
           [("Tệp", 30), ("Trang tính", 12), ("Dòng", 7), ("Cột", 14), ("Mức độ", 11), ("Mã", 16),
            ("Nội dung", 60), ("Cách sửa", 44)],
           _issue_rows(summary), bulk=bulk)


def _save(wb: Workbook, out_path: Path, title: str, as_of: date,
          bulk: dict[str, Callable[[bytes], bytes]] | None = None) -> None:
    """Save with fixed properties and zip metadata: identical input, identical bytes."""
    stamp = datetime(as_of.year, as_of.month, as_of.day)
    wb.properties.creator = wb.properties.lastModifiedBy = "dicoso"
    wb.properties.title = title
    wb.properties.created = wb.properties.modified = stamp
    out_path = Path(out_path)
    # openpyxl's save_workbook() stamps "modified" with the clock; ExcelWriter does not.
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    normalise_zip(out_path, bulk)


def _label(summary: dict) -> str:
    return summary.get("period", {}).get("label", "")


def write_workbook(summary: dict, trips, out_path: Path, *, as_of: date,
                   changes: list[dict] | None = None, full_list: str | None = None) -> None:
    """Write the summary workbook (sheets listed in the module docstring).

    `full_list` names the CSV holding every trip when there are more than TRIPS_SHEET_MAX.
    """
    bulk: dict[str, Callable[[bytes], bytes]] = {}
    wb = build_workbook(summary, trips, changes=changes, bulk=bulk, full_list=full_list)
    _save(wb, out_path, f"Tổng hợp đi công tác cơ sở {_label(summary)}".strip(), as_of, bulk)


def write_problems(summary: dict, out_path: Path, *, as_of: date) -> None:
    """Write the clerk's list of data problems alone (the "Lỗi dữ liệu" sheet)."""
    wb = Workbook()
    wb.remove(wb.active)
    bulk: dict[str, Callable[[bytes], bytes]] = {}
    _issue_sheet(wb, summary, bulk)
    _save(wb, out_path, f"Lỗi dữ liệu đi công tác cơ sở {_label(summary)}".strip(), as_of, bulk)
