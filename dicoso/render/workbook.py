"""The summary workbook and the problem list: what each sheet shows (the writing itself,
SpreadsheetML made directly, is xlsx.py).

Sheets: per cadre, trips (normalised, with source file/sheet/row), late and
overdue reports, registrations by quarter, data problems for the clerk, and
optionally the changes since the previous run.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ..model import TRIP_TABLE_COLUMNS
from ..text import vn as vnformat
from .xlsx import PERCENT, Book, plain

# A national roll-up can hold a million trips: the "Chuyến đi" sheet lists the first
# TRIPS_SHEET_MAX (by file, sheet, row) and the full list goes to a CSV beside it.
TRIPS_SHEET_MAX = 100_000


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
            + [", ".join(c.get("monthly_missing", [])), exemptions, vnformat.sentences(c.get("notes", []))]
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


def _registration_row(r: dict) -> list[Any]:
    """A quarter's registration; a quarter whose registration data was not found says so."""
    if r.get("known", True) is False:
        return [vnformat.quarter_label(r["quarter"]), r["required"], "Chưa rõ", None,
                "Không tìm thấy dữ liệu đăng ký của quý này trong thư mục dữ liệu"]
    return [vnformat.quarter_label(r["quarter"]), r["required"], r["registered"],
            (r["registered"] / r["required"]) if r["required"] else None, ", ".join(r.get("missing") or [])]


def _trip_columns(trips, full_list: str | None = None) -> list[list[Any]]:
    """The trips sheet's body, column by column (Series.tolist is ~20x faster than itertuples)."""
    frame = (pd.DataFrame() if trips is None else trips).reindex(columns=TRIP_TABLE_COLUMNS)
    total, listed = len(frame), min(len(frame), TRIPS_SHEET_MAX)
    columns = [frame[name].head(listed).tolist() for name in TRIP_TABLE_COLUMNS]
    status = TRIP_TABLE_COLUMNS.index("status")
    columns[status] = [vnformat.REPORT_STATUS.get(s, s) if isinstance(s, str) else s for s in map(plain, columns[status])]
    if total > listed:
        where = f"danh sách đầy đủ ở tệp {full_list}" if full_list else "các chuyến còn lại xem trong sổ của các Ban"
        columns[0].append(f"Chỉ liệt kê {vnformat.number(listed)}/{vnformat.number(total)} chuyến đầu tiên "
                          f"(theo tệp, trang, dòng); {where}.")
        for values in columns[1:]:
            values.append(None)
    return columns


def _issue_rows(summary: dict) -> list[list[Any]]:
    issues = sorted(summary.get("issues", []),
                    key=lambda i: (i.get("file", ""), i.get("sheet", ""), i.get("row") or 0, i.get("code", "")))
    return [[i.get("file", ""), i.get("sheet", ""), i.get("row"), i.get("column", ""),
             vnformat.SEVERITY.get(i.get("severity", ""), i.get("severity", "")), vnformat.issue_kind(i.get("code", "")),
             i.get("message", ""), i.get("suggestion", "")] for i in issues]


def _sheet(book: Book, title: str, headers: Sequence[tuple[str, float]], rows: list[list[Any]],
           number_styles: dict[int, int] | None = None, **printing: Any) -> None:
    book.sheet(title, headers, list(zip(*rows)) if rows else [[]] * len(headers), number_styles, **printing)


def build_workbook(summary: dict, trips, *, changes: list[dict] | None = None,
                   full_list: str | None = None) -> Book:
    """The workbook's sheets, in order (see the module docstring)."""
    book = Book()
    levels = summary.get("levels") or []
    _sheet(book, "Cán bộ",
           [("STT", 6), ("Họ và tên", 26), ("Ban", 22), ("Chức vụ", 20), ("Chỉ tiêu (ngày)", 10),
            ("Số ngày tính", 10), ("Số chuyến", 9), ("Ngày trùng", 9),
            ("Kết quả", 11 if vnformat.at_risk_names(summary) is None else 14),  # "Chậm tiến độ" on one line
            ("Còn thiếu (ngày)", 10), ("Ngày đủ điều kiện", 11), ("Ngày đăng ký", 10)]
           + [(f"Cấp {lv['label']}", 10) for lv in levels]
           + [("Tháng chưa đi", 14), ("Miễn giảm", 30), ("Ghi chú", 30)],
           _cadre_rows(summary), keep_left=2, group=2)  # printed: STT and name on every page, a page per Ban
    book.sheet("Chuyến đi",
               [("Tệp", 28), ("Trang tính", 12), ("Dòng", 7), ("Họ và tên", 24), ("Chức vụ", 16),
                ("Ban", 20), ("Từ ngày", 12), ("Đến ngày", 12), ("Số ngày khai", 9), ("Số ngày tính", 9),
                ("Địa bàn", 22), ("Cấp", 10), ("Nội dung", 34), ("Số công lệnh", 12),
                ("Ngày nộp báo cáo", 12), ("Hạn nộp", 12), ("Tình trạng báo cáo", 16),
                ("Số ngày muộn", 9), ("Ghi chú", 24)],
               _trip_columns(trips, full_list))
    _sheet(book, "Báo cáo muộn",
           [("Tình trạng", 16), ("Họ và tên", 22), ("Ban", 18), ("Từ ngày", 11), ("Đến ngày", 11),
            ("Hạn nộp", 11), ("Ngày nộp", 11), ("Số ngày muộn/quá hạn", 10), ("Tệp", 24),
            ("Trang tính", 10), ("Dòng", 6)],
           _report_rows(summary))
    _sheet(book, "Đăng ký theo quý",
           [("Quý", 14), ("Phải đăng ký", 12), ("Đã đăng ký", 12), ("Tỷ lệ", 10), ("Chưa đăng ký", 50)],
           [_registration_row(r) for r in summary.get("registration", [])],
           number_styles={4: PERCENT})
    issue_sheet(book, summary)
    if changes is not None:
        _sheet(book, "Thay đổi", [("Loại", 16), ("Mục", 30), ("Trước", 24), ("Sau", 24)],
               [[c.get("kind", ""), c.get("item", ""), c.get("before", ""), c.get("after", "")] for c in changes])
    return book


def issue_sheet(book: Book, summary: dict, title: str = "Lỗi dữ liệu",
                none: str = "Không có lỗi, cảnh báo hay ghi chú nào về dữ liệu.") -> None:
    """The problem list's sheet (also a Ban's own list, render/per_ban.py).

    Widths that print one page wide at 10 pt or more (render/xlsx_print.py); long texts wrap.
    An empty list says so in a row (`none`): a bare header reads as a list that failed.
    """
    _sheet(book, title,
           [("Tệp", 22), ("Trang tính", 9), ("Dòng", 6), ("Cột", 11), ("Mức độ", 9), ("Loại lỗi", 20),
            ("Nội dung", 46), ("Cách sửa", 34)],
           _issue_rows(summary) or [["", "", None, "", "", "", none, ""]])


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
    book = Book()
    issue_sheet(book, summary)
    book.save(out_path, f"Lỗi dữ liệu đi công tác cơ sở {_label(summary)}".strip(), as_of)
