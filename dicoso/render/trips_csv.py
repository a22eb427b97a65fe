"""Every trip as CSV, for a national roll-up whose trips exceed the workbook's sheet.

Written for Excel on a Windows PC with Vietnamese regional settings, which is where it is
opened (double-click): Excel splits a .csv at the list separator of those settings, `;`
in Vietnamese (`,` is the decimal comma there), so fields are separated by `;`, numbers
have a decimal comma and dates are day first (dd/mm/yyyy, as that Excel reads them). UTF-8
with a BOM so that Excel shows Vietnamese. Not a `sep=;` first line: Excel is widely
reported to ignore the BOM after it, and the Vietnamese letters come out garbled. Not
.xlsx: the file exists for lists longer than the workbook's sheet (up to a million
trips), which are much slower to write and to open as a workbook. On an Excel with
English regional settings the file opens in one column (Data > Text to Columns,
separator ";"), visibly, rather than with day and month silently swapped.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..model import TRIP_TABLE_COLUMNS
from ..text import vn as vnformat
from .xlsx import FORMULA_PREFIXES, HAS_ILLEGAL, ILLEGAL_CHARACTERS_RE, cell_value

TRIP_CSV_HEADERS = ["Tệp", "Trang tính", "Dòng", "Họ và tên", "Chức vụ", "Ban", "Từ ngày", "Đến ngày",
                    "Số ngày khai", "Số ngày tính", "Địa bàn", "Cấp", "Nội dung", "Số công lệnh",
                    "Ngày nộp báo cáo", "Hạn nộp", "Tình trạng báo cáo", "Số ngày muộn", "Ghi chú"]


def _csv_text(value: Any) -> str:
    if value.__class__ is str:  # the common case, without the general cleaning
        value = ILLEGAL_CHARACTERS_RE.sub("", value) if HAS_ILLEGAL(value) else value
    else:
        value = cell_value(value)
        if value is None:
            return ""
        if isinstance(value, date):
            return vnformat.dmy(value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, float):
            return str(float(value)).replace(".", ",")  # the decimal comma of Vietnamese settings
        if not isinstance(value, str):
            return str(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


SEP = ";"  # the list separator of Vietnamese regional settings (see above)


def _csv_field(value: Any) -> str:
    """One CSV field, quoted as the csv module quotes (QUOTE_MINIMAL, \r\n rows)."""
    text = _csv_text(value)
    if '"' in text or SEP in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


CSV_CHUNK_ROWS = 50_000


def write_trips_csv(trips, out_path: Path) -> None:
    """Every trip as CSV for a Vietnamese Excel (see the module's note), dates dd/mm/yyyy.

    Text that Excel would take for a formula (=, +, -, @ first) gets a leading
    apostrophe, as Excel itself does for text typed that way. Rows go out in chunks;
    within a chunk each distinct value of a column is formatted and quoted once (a
    million trips repeat names, dates, places) and rows are joined in C.
    """
    frame = trips.reindex(columns=TRIP_TABLE_COLUMNS)
    header = SEP.join(map(_csv_field, TRIP_CSV_HEADERS)) + "\r\n"
    with Path(out_path).open("wb") as fh:
        fh.write(b"\xef\xbb\xbf" + header.encode("utf-8"))
        for at in range(0, len(frame), CSV_CHUNK_ROWS):
            chunk = frame.iloc[at:at + CSV_CHUNK_ROWS]
            rows = zip(*(_csv_column(chunk[name], name) for name in TRIP_TABLE_COLUMNS))
            fh.write(("\r\n".join(map(SEP.join, rows)) + "\r\n").encode("utf-8"))


def _csv_column(values: pd.Series, name: str) -> list[str]:
    if name == "status":
        values = values.astype(object).replace(vnformat.REPORT_STATUS)
    if values.dtype.kind in "iu":  # counts and row numbers: nothing to quote or guard
        return list(map(str, values.tolist()))
    codes, distinct = pd.factorize(values.astype(object), use_na_sentinel=False)
    return np.array([_csv_field(v) for v in distinct] or [""], dtype=object)[codes].tolist()
