#!/usr/bin/env python3
"""The naive implementation of the year-end job, for the side-by-side benchmark.

    python bench/baseline.py INPUT_DIR OUTDIR [--reader pandas|calamine] [--no-docx]

What a first, straightforward script would do:

1. every .xlsx/.xlsm book under INPUT_DIR, every sheet, read with
   `pandas.read_excel(path, sheet_name=None, header=None)` (pandas' default engine for
   .xlsx, openpyxl);
2. the header row is the first row with a cell "Họ và tên"; a sheet whose header has
   "Từ ngày" and "Đến ngày" is a trip register, one with "Ngày bắt đầu công tác" is the
   roster; a data row is a row with a name and a date in both date columns;
3. the days of a cadre are a Python set of calendar dates: every day from "Từ ngày"
   to "Đến ngày", both included, clipped to the counting period 2020-03-01..2020-12-31,
   added one by one; names are compared after NFC and space clean-up, and only roster
   names are counted (all names when there is no roster);
4. a Word report with python-docx: one table, one row per cadre, filled cell by cell;
5. OUTDIR/days.json: {name: days}.

`--reader calamine` swaps step 1 for python-calamine (the same step 2 and 3), and
`--no-docx` skips step 4: together they are the fast independent check the benchmark
uses at the 1M-row scale, where the naive reader takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

PERIOD = (date(2020, 3, 1), date(2020, 12, 31))
QUOTA = 60
NAME, START, END = "Họ và tên", "Từ ngày", "Đến ngày"
POSITION, DEPT, SERVICE_START = "Chức vụ", "Ban", "Ngày bắt đầu công tác"


def clean(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return " ".join(unicodedata.normalize("NFC", str(v)).split())


def as_date(v) -> date | None:
    # pandas gives Timestamp (a datetime subclass); calamine gives date/datetime
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    return None


def books(folder: Path) -> list[Path]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.startswith(("~$", ".")) or not f.lower().endswith((".xlsx", ".xlsm")):
                continue
            out.append(Path(root) / f)
    return out


def sheets_pandas(path: Path):
    import warnings

    import pandas as pd

    # pandas 3 warns that its default .xlsx engine (openpyxl) will change; the baseline
    # deliberately keeps the default.
    warnings.filterwarnings("ignore", message="The default engine for reading")
    for name, df in pd.read_excel(path, sheet_name=None, header=None).items():
        yield name, df.values.tolist()


def sheets_calamine(path: Path):
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        yield name, wb.get_sheet_by_name(name).to_python()


def read(folder: Path, reader: str):
    """(trip rows as (name, start, end), roster as {name: (Ban, Chức vụ)})."""
    sheets = sheets_pandas if reader == "pandas" else sheets_calamine
    trips: list[tuple[str, date, date]] = []
    roster: dict[str, tuple[str, str]] = {}
    for path in books(folder):
        for _, rows in sheets(path):
            hdr = next((i for i, r in enumerate(rows) if any(clean(v) == NAME for v in r)), None)
            if hdr is None:
                continue
            cols = {clean(v): j for j, v in enumerate(rows[hdr]) if clean(v)}
            if START in cols and END in cols:
                n, s, e = cols[NAME], cols[START], cols[END]
                for r in rows[hdr + 1:]:
                    name, d0, d1 = clean(r[n]), as_date(r[s]), as_date(r[e])
                    if name and d0 and d1:
                        trips.append((name, d0, d1))
            elif SERVICE_START in cols:
                for r in rows[hdr + 1:]:
                    name = clean(r[cols[NAME]])
                    if name:
                        roster[name] = (clean(r[cols[DEPT]]) if DEPT in cols else "",
                                        clean(r[cols[POSITION]]) if POSITION in cols else "")
    return trips, roster


def days_per_cadre(trips, roster) -> dict[str, int]:
    """Calendar days per cadre as a set, both ends included, clipped to PERIOD."""
    days: dict[str, set[date]] = {n: set() for n in roster}
    lo, hi = PERIOD
    for name, d0, d1 in trips:
        if roster and name not in roster:
            continue
        s = days.setdefault(name, set())
        d = max(d0, lo)
        while d <= min(d1, hi):
            s.add(d)
            d += timedelta(days=1)
    return {n: len(s) for n, s in days.items()}


def write_docx(path: Path, result: dict[str, int], roster) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("BÁO CÁO KẾT QUẢ THỰC HIỆN CHẾ ĐỘ ĐI CÔNG TÁC CƠ SỞ NĂM 2020", level=1)
    doc.add_paragraph(f"Kỳ tính: {PERIOD[0]:%d/%m/%Y} – {PERIOD[1]:%d/%m/%Y}; chỉ tiêu {QUOTA} ngày.")
    heads = ["STT", "Họ và tên", "Ban", "Chức vụ", "Số ngày", "Chỉ tiêu", "Kết quả"]
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for j, h in enumerate(heads):
        table.rows[0].cells[j].text = h
    for i, (name, n) in enumerate(sorted(result.items(), key=lambda kv: (roster.get(kv[0], ("", ""))[0], kv[0]))):
        ban, pos = roster.get(name, ("", ""))
        cells = table.add_row().cells
        for j, v in enumerate([i + 1, name, ban, pos, n, QUOTA, "Đạt" if n >= QUOTA else "Chưa đạt"]):
            cells[j].text = str(v)
    doc.save(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="naive baseline of the year-end job")
    ap.add_argument("input_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--reader", choices=["pandas", "calamine"], default="pandas")
    ap.add_argument("--no-docx", action="store_true")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    trips, roster = read(a.input_dir, a.reader)
    t1 = time.perf_counter()
    result = days_per_cadre(trips, roster)
    t2 = time.perf_counter()
    a.out_dir.mkdir(parents=True, exist_ok=True)
    if not a.no_docx:
        write_docx(a.out_dir / "bao-cao-baseline.docx", result, roster)
    (a.out_dir / "days.json").write_text(json.dumps(result, ensure_ascii=False, indent=0), "utf-8")
    t3 = time.perf_counter()
    print(json.dumps({"rows": len(trips), "cadres": len(result), "read_s": round(t1 - t0, 2),
                      "days_s": round(t2 - t1, 2), "write_s": round(t3 - t2, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
