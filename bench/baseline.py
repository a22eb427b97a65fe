#!/usr/bin/env python3
"""The naive implementation of the year-end job, for the side-by-side benchmark.

    python bench/baseline.py INPUT_DIR OUTDIR [--reader pandas|calamine] [--no-docx]

What a first, straightforward script would do for the 2020 year-end run
(period 2020-03-01..2020-12-31, quota 60 days, report due 10 days after the trip,
as-of date 2021-01-05, registration in quarters II-IV: constants below):

1. read: every .xlsx/.xlsm book under INPUT_DIR, every sheet, with
   `pandas.read_excel(path, sheet_name=None, header=None)` (pandas' default engine for
   .xlsx, openpyxl). The header row is the first row with a cell "Họ và tên"; a sheet
   whose header has "Từ ngày" and "Đến ngày" is a trip register (all its columns are
   kept: STT, Chức vụ, Số ngày, Địa bàn, Cấp, Nội dung, Số công lệnh, Ngày nộp báo cáo,
   Ghi chú, plus file/sheet/row), one with "Ngày bắt đầu công tác" is the roster (Ban,
   Chức vụ, service dates, one exemption range), one with "Quý" or "Số ngày đăng ký" is a
   quarterly registration list. A trip row has a name and a date in both date columns;
   a row with a number or a date but no complete trip, or ending before it starts, is
   listed as a problem. Names: NFC + spaces collapsed, compared as they are.
2. days per cadre: a Python set of calendar dates, every day from "Từ ngày" to
   "Đến ngày", both included, clipped to the period, added one by one; only roster
   names count (all names when there is no roster) -> OUTDIR/days.json {name: days}.
3. the rest of the job, in plain Python loops: trips of the same cadre with the same
   start and end are counted once (the later rows go to the problems list); per kept
   trip with a day in the period: due = end + 10 days, on time / late (days late) /
   overdue (not filed, due before the as-of date) / pending; per cadre: eligible days
   (in service, outside the exemption range), quota = ceil(60 x eligible / 306),
   met, days needed, overlapping days; per Ban: cadres, trips, days, average, met;
   per quarter: who had to register and who did.
4. a Word report with python-docx, tables added row by row and filled cell by cell:
   totals and report-status paragraphs, registration per quarter, the shortfalls
   (30 largest, like generate.py), the per-Ban table, Phụ lục I (one row per cadre,
   grouped by Ban) and Phụ lục III (late / overdue / pending reports, at most 300 per
   group, the most serious first, like generate.py; the workbook has them all);
5. workbooks with `DataFrame.to_excel` on a `pandas.ExcelWriter` (default engine,
   openpyxl): tong-hop-baseline.xlsx (cadres, Bans, all kept trips with their report
   status, late/overdue/pending reports, registration) and loi-du-lieu-baseline.xlsx
   (the problems list).

It does not validate beyond that, draw the chart, or write summary.json / a manifest.
`--reader calamine` swaps the reader of step 1 for python-calamine and `--no-docx`
skips steps 4 and 5: together they are the fast independent check the benchmark uses
at the 1M-row scales, where the naive reader takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

PERIOD = (date(2020, 3, 1), date(2020, 12, 31))
PERIOD_DAYS = (PERIOD[1] - PERIOD[0]).days + 1
AS_OF = date(2021, 1, 5)
QUOTA = 60
DEADLINE = 10  # days after the trip's last day
QUARTERS = (2, 3, 4)
ROWS_MAX, SHORTFALLS_MAX = 300, 30  # Word lists, as generate.py
NAME, START, END = "Họ và tên", "Từ ngày", "Đến ngày"
POSITION, DEPT, SERVICE_START = "Chức vụ", "Ban", "Ngày bắt đầu công tác"
TRIP_COLS = {"stt": "STT", "position": POSITION, "declared": "Số ngày", "place": "Địa bàn", "level": "Cấp",
             "content": "Nội dung", "order": "Số công lệnh", "submitted": "Ngày nộp báo cáo", "note": "Ghi chú"}
ROSTER_COLS = {"dept": DEPT, "position": POSITION, "service_start": SERVICE_START, "service_end": "Ngày thôi công tác",
               "exempt_from": "Miễn đi cơ sở từ ngày", "exempt_to": "Miễn đến ngày", "reason": "Lý do miễn"}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
STATUS = {"on_time": "Đúng hạn", "late": "Nộp muộn", "overdue": "Quá hạn, chưa nộp", "pending": "Chưa đến hạn"}


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


def dmy(d: date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


def num(n) -> str:  # Vietnamese number format: 1.234 and 55,3
    return f"{n:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".") if isinstance(n, float) \
        else f"{n:,}".replace(",", ".")


def pct(x: float) -> str:
    return f"{num(round(100 * x, 1))}%"


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


def get(row, cols: dict[str, int], head: str):
    return row[cols[head]] if head in cols else None


def quarter_of(text, bare: bool = False) -> int | None:
    """3 from "Quý III" (in a title or a file name), or from "III/2020" in a Quý column (bare)."""
    t = clean(text).upper()
    m = re.search(r"QU[ÝY]\s*(IV|III|II|I)\b", t) or (bare and re.match(r"(IV|III|II|I)\b", t))
    return ROMAN.index(m.group(1)) + 1 if m else None


def read(folder: Path, reader: str):
    """Trip rows (dicts), roster {name: dict}, registrations [(name, quarter)], problems."""
    sheets = sheets_pandas if reader == "pandas" else sheets_calamine
    trips, roster, regs, problems = [], {}, [], []
    for path in books(folder):
        rel = path.relative_to(folder).as_posix()
        for sheet, rows in sheets(path):
            hdr = next((i for i, r in enumerate(rows) if any(clean(v) == NAME for v in r)), None)
            if hdr is None:
                continue
            cols = {clean(v): j for j, v in enumerate(rows[hdr]) if clean(v)}
            sheet_quarter = next(filter(None, map(quarter_of, [v for r in rows[:hdr] for v in r] + [path.stem])), None)
            for i, r in enumerate(rows[hdr + 1:], start=hdr + 2):  # i: the row number in Excel
                name = clean(get(r, cols, NAME))
                if START in cols and END in cols:
                    d0, d1 = as_date(get(r, cols, START)), as_date(get(r, cols, END))
                    if name and d0 and d1 and d1 >= d0:
                        trips.append({"name": name, "start": d0, "end": d1, "file": rel, "sheet": sheet, "row": i,
                                      **{k: get(r, cols, h) for k, h in TRIP_COLS.items()}})
                        trips[-1]["submitted"] = as_date(trips[-1]["submitted"])
                    elif d0 or d1 or clean(get(r, cols, "STT")):
                        why = ("thiếu họ tên" if not name else "thiếu hoặc sai Từ ngày" if not d0
                               else "thiếu hoặc sai Đến ngày" if not d1 else "Đến ngày trước Từ ngày")
                        problems.append((rel, sheet, i, name, f"Dòng bị bỏ qua: {why}."))
                elif SERVICE_START in cols:
                    if name:
                        roster[name] = {k: get(r, cols, h) for k, h in ROSTER_COLS.items()}
                        for k in ("service_start", "service_end", "exempt_from", "exempt_to"):
                            roster[name][k] = as_date(roster[name][k])
                elif "Quý" in cols or "Số ngày đăng ký" in cols:
                    q = quarter_of(get(r, cols, "Quý"), bare=True) or sheet_quarter
                    if name and q:
                        regs.append((name, q))
    return trips, roster, regs, problems


def days_per_cadre(trips, roster) -> dict[str, int]:
    """Calendar days per cadre as a set, both ends included, clipped to PERIOD."""
    days: dict[str, set[date]] = {n: set() for n in roster}
    lo, hi = PERIOD
    for t in trips:
        name, d0, d1 = t["name"], t["start"], t["end"]
        if roster and name not in roster:
            continue
        s = days.setdefault(name, set())
        d = max(d0, lo)
        while d <= min(d1, hi):
            s.add(d)
            d += timedelta(days=1)
    return {n: len(s) for n, s in days.items()}


def eligible_days(c: dict, a: date, b: date) -> int:
    """Days of a..b in service and outside the exemption range."""
    lo, hi = max(a, c["service_start"] or a), min(b, c["service_end"] or b)
    if hi < lo:
        return 0
    n = (hi - lo).days + 1
    if c["exempt_from"] or c["exempt_to"]:
        f, t = max(c["exempt_from"] or lo, lo), min(c["exempt_to"] or hi, hi)
        n -= max(0, (t - f).days + 1)
    return n


def compute(trips, roster, regs, days, problems):
    """Kept trips with report status, cadres, per-Ban totals, registration per quarter."""
    lo, hi = PERIOD
    kept, first = [], {}
    for t in trips:
        if roster and t["name"] not in roster:
            problems.append((t["file"], t["sheet"], t["row"], t["name"], "Tên không có trong danh sách cán bộ."))
            continue
        key = (t["name"], t["start"], t["end"])
        if key in first:
            f = first[key]
            problems.append((t["file"], t["sheet"], t["row"], t["name"], f"Chuyến đi {dmy(t['start'])} - {dmy(t['end'])} "
                             f"đã có ở {f['file']}, {f['sheet']}, dòng {f['row']}; chỉ tính một lần."))
            continue
        first[key] = t
        t["in_period"] = max(0, (min(t["end"], hi) - max(t["start"], lo)).days + 1)
        if not t["in_period"]:
            continue
        t["due"] = t["end"] + timedelta(days=DEADLINE)
        t["days_late"] = (t["submitted"] - t["due"]).days if t["submitted"] and t["submitted"] > t["due"] else 0
        t["days_overdue"] = (AS_OF - t["due"]).days if not t["submitted"] and AS_OF > t["due"] else 0
        t["status"] = ("on_time" if t["submitted"] and not t["days_late"] else "late" if t["submitted"]
                       else "overdue" if t["days_overdue"] else "pending")
        kept.append(t)
    per_name: dict[str, list] = {}
    for t in kept:
        per_name.setdefault(t["name"], []).append(t)
    cadres = []
    for name, c in roster.items():
        in_service = (c["service_start"] or lo) <= hi and (c["service_end"] or hi) >= lo
        if not in_service and name not in per_name:
            continue
        elig = eligible_days(c, lo, hi)
        quota = -(-QUOTA * elig // PERIOD_DAYS)
        n = days.get(name, 0)
        overlap = sum(t["in_period"] for t in per_name.get(name, [])) - n
        notes = [f"{clean(c['reason']) or 'Miễn'} ({dmy(c['exempt_from'])} - {dmy(c['exempt_to'])})"] \
            if c["exempt_from"] or c["exempt_to"] else []
        if quota > n:
            notes.append(f"Còn thiếu {quota - n} ngày")
        if elig < PERIOD_DAYS:
            notes.append(f"Chỉ tiêu tính theo {elig}/{PERIOD_DAYS} ngày đủ điều kiện: {quota} ngày.")
        if overlap:
            notes.append(f"{overlap} ngày trùng giữa các chuyến đi chỉ tính một lần.")
        cadres.append({"name": name, "dept": clean(c["dept"]) or "Chưa rõ Ban", "position": clean(c["position"]),
                       "quota": quota, "days": n, "met": quota > 0 and n >= quota, "needed": max(0, quota - n),
                       "trips": len(per_name.get(name, [])), "overlap": overlap, "eligible": elig,
                       "note": "; ".join(notes)})
    cadres.sort(key=lambda c: (c["dept"], c["name"]))
    depts: dict[str, dict] = {}
    for c in cadres:
        d = depts.setdefault(c["dept"], {"Ban": c["dept"], "cadres": 0, "required": 0, "trips": 0, "days": 0, "met": 0})
        d["cadres"] += 1
        d["required"] += c["quota"] > 0
        d["trips"] += c["trips"]
        d["days"] += c["days"]
        d["met"] += c["met"]
    for d in depts.values():
        d["average"] = round(d["days"] / d["cadres"], 1) if d["cadres"] else 0.0
        d["share"] = d["met"] / d["required"] if d["required"] else 0.0
    registration = []
    for q in QUARTERS:
        qs = date(lo.year, 3 * q - 2, 1)
        qe = date(lo.year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1)
        required = [c["name"] for c in cadres if eligible_days(roster[c["name"]], max(qs, lo), min(qe, hi)) > 0]
        done = {n for n, rq in regs if rq == q}
        registration.append({"quarter": f"Quý {ROMAN[q - 1]}/{lo.year}", "required": len(required),
                             "registered": sum(n in done for n in required),
                             "missing": [n for n in required if n not in done]})
    return kept, cadres, depts, registration


def add_table(doc, heads):
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for j, h in enumerate(heads):
        table.rows[0].cells[j].text = h
    return table


def add_row(table, values):
    cells = table.add_row().cells
    for j, v in enumerate(values):
        cells[j].text = str(v)


def add_group_row(table, roman, title):
    cells = table.add_row().cells
    cells[0].text = roman
    cells[1].merge(cells[-1]).text = title


def write_docx(path: Path, kept, cadres, depts, registration) -> None:
    from docx import Document

    n_trips, total = len(kept), sum(c["days"] for c in cadres)
    required = [c for c in cadres if c["quota"] > 0]
    met = sum(c["met"] for c in required)
    by_status = {s: [t for t in kept if t["status"] == s] for s in STATUS}
    doc = Document()
    doc.add_heading("BÁO CÁO KẾT QUẢ THỰC HIỆN CHẾ ĐỘ ĐI CÔNG TÁC CƠ SỞ NĂM 2020", level=1)
    doc.add_paragraph(f"Kỳ tính: {dmy(PERIOD[0])} – {dmy(PERIOD[1])}; chỉ tiêu {QUOTA} ngày/người.")
    for r in registration:
        rate = pct(r["registered"] / r["required"]) if r["required"] else "—"
        miss = f"; chưa đăng ký: {', '.join(r['missing'])}" if r["missing"] else ""
        doc.add_paragraph(f"- {r['quarter']}: {rate} ({r['registered']}/{r['required']}){miss}.")
    doc.add_paragraph(f"{num(len(cadres))} cán bộ đã thực hiện {num(n_trips)} chuyến đi với tổng số {num(total)} ngày, "
                      f"bình quân {num(round(total / max(len(cadres), 1), 1))} ngày/người; "
                      f"{num(met)}/{num(len(required))} đồng chí đạt chỉ tiêu.")
    doc.add_paragraph(f"Có {num(len(by_status['on_time']))}/{num(n_trips)} chuyến đi được báo cáo đúng hạn; "
                      f"{num(len(by_status['late']))} báo cáo nộp muộn; {num(len(by_status['overdue']))} báo cáo quá "
                      f"hạn chưa nộp; {num(len(by_status['pending']))} báo cáo chưa đến hạn.")
    short = sorted((c for c in required if not c["met"]), key=lambda c: -c["needed"])
    doc.add_paragraph(f"Còn {num(len(short))} đồng chí chưa đạt chỉ tiêu số ngày đi cơ sở:")
    for c in short[:SHORTFALLS_MAX]:
        doc.add_paragraph(f"+ Đồng chí {c['name']} ({c['dept']}): đạt {c['days']}/{c['quota']} ngày, "
                          f"còn thiếu {c['needed']} ngày;")
    if len(short) > SHORTFALLS_MAX:
        doc.add_paragraph(f"+ Còn {num(len(short) - SHORTFALLS_MAX)} đồng chí khác chưa đạt chỉ tiêu (chi tiết tại Phụ lục I).")
    doc.add_heading("Kết quả theo từng Ban", level=2)
    table = add_table(doc, ["STT", "Ban", "Số cán bộ", "Số chuyến", "Tổng số ngày", "Bình quân (ngày/người)",
                            "Số đạt", "Tỷ lệ đạt"])
    for i, d in enumerate(depts.values(), start=1):
        add_row(table, [i, d["Ban"], num(d["cadres"]), num(d["trips"]), num(d["days"]), num(d["average"]),
                        num(d["met"]), pct(d["share"])])
    add_row(table, ["", "Tổng cộng", num(len(cadres)), num(n_trips), num(total),
                    num(round(total / max(len(cadres), 1), 1)), num(met), pct(met / max(len(required), 1))])
    doc.add_page_break()
    doc.add_heading("Phụ lục I. KẾT QUẢ ĐI CÔNG TÁC CƠ SỞ CỦA TỪNG CÁN BỘ NĂM 2020", level=2)
    table = add_table(doc, ["STT", "Họ và tên", "Chức vụ", "Chỉ tiêu (ngày)", "Số ngày đã đi", "Kết quả", "Ghi chú"])
    stt, dept, group = 0, None, 0
    for c in cadres:
        if c["dept"] != dept:
            dept, group = c["dept"], group + 1
            add_group_row(table, ROMAN[group - 1] if group <= len(ROMAN) else str(group), dept)
        stt += 1
        add_row(table, [stt, c["name"], c["position"], c["quota"], c["days"],
                        "Đạt" if c["met"] else "Chưa đạt", c["note"]])
    doc.add_page_break()
    doc.add_heading("Phụ lục III. BÁO CÁO KẾT QUẢ NỘP MUỘN, QUÁ HẠN, CHƯA ĐẾN HẠN", level=2)
    table = add_table(doc, ["STT", "Họ và tên", "Ban", "Thời gian đi cơ sở", "Hạn nộp báo cáo", "Ngày nộp", "Tình trạng"])
    dept_of = {c["name"]: c["dept"] for c in cadres}
    worst = {"late": lambda t: -t["days_late"], "overdue": lambda t: -t["days_overdue"], "pending": lambda t: t["due"]}
    for g, kind in enumerate(("late", "overdue", "pending"), start=1):
        rows = by_status[kind]
        add_group_row(table, ROMAN[g - 1], f"{STATUS[kind]} ({num(len(rows))})")
        for i, t in enumerate(sorted(rows, key=worst[kind])[:ROWS_MAX] if len(rows) > ROWS_MAX else rows, start=1):
            status = (f"Muộn {t['days_late']} ngày" if kind == "late" else
                      f"Quá hạn {t['days_overdue']} ngày" if kind == "overdue" else "Chưa đến hạn")
            add_row(table, [i, t["name"], dept_of.get(t["name"], ""), f"{dmy(t['start'])} - {dmy(t['end'])}",
                            dmy(t["due"]), dmy(t["submitted"]) or "Chưa nộp", status])
        if len(rows) > ROWS_MAX:
            add_row(table, ["", f"Còn {num(len(rows) - ROWS_MAX)} báo cáo khác", "", "", "", "", "Xem sổ tổng hợp"])
    doc.save(path)


def write_workbooks(out: Path, kept, cadres, depts, registration, problems) -> None:
    import pandas as pd

    dept_of = {c["name"]: c["dept"] for c in cadres}
    trips = [{"Tệp": t["file"], "Trang tính": t["sheet"], "Dòng": t["row"], "Họ và tên": t["name"],
              "Chức vụ": clean(t["position"]), "Ban": dept_of.get(t["name"], ""), "Từ ngày": t["start"],
              "Đến ngày": t["end"], "Số ngày khai": t["declared"], "Số ngày tính": t["in_period"],
              "Địa bàn": clean(t["place"]), "Cấp": clean(t["level"]), "Nội dung": clean(t["content"]),
              "Số công lệnh": clean(t["order"]), "Ngày nộp báo cáo": t["submitted"], "Hạn nộp": t["due"],
              "Tình trạng báo cáo": STATUS[t["status"]], "Số ngày muộn": t["days_late"] or t["days_overdue"],
              "Ghi chú": clean(t["note"])} for t in kept]
    with pd.ExcelWriter(out / "tong-hop-baseline.xlsx") as xw:
        pd.DataFrame([{"STT": i, "Họ và tên": c["name"], "Ban": c["dept"], "Chức vụ": c["position"],
                       "Chỉ tiêu (ngày)": c["quota"], "Số ngày tính": c["days"], "Số chuyến": c["trips"],
                       "Ngày trùng": c["overlap"], "Kết quả": "Đạt" if c["met"] else "Chưa đạt",
                       "Còn thiếu (ngày)": c["needed"], "Ngày đủ điều kiện": c["eligible"], "Ghi chú": c["note"]}
                      for i, c in enumerate(cadres, start=1)]).to_excel(xw, sheet_name="Cán bộ", index=False)
        pd.DataFrame([{"Ban": d["Ban"], "Số cán bộ": d["cadres"], "Phải đạt": d["required"], "Số chuyến": d["trips"],
                       "Tổng số ngày": d["days"], "Bình quân": d["average"], "Số đạt": d["met"],
                       "Tỷ lệ đạt": d["share"]} for d in depts.values()]).to_excel(xw, sheet_name="Theo Ban", index=False)
        pd.DataFrame(trips).to_excel(xw, sheet_name="Chuyến đi", index=False)
        pd.DataFrame([t for t in trips if t["Tình trạng báo cáo"] != STATUS["on_time"]]).to_excel(
            xw, sheet_name="Báo cáo muộn", index=False)
        pd.DataFrame([{"Quý": r["quarter"], "Phải đăng ký": r["required"], "Đã đăng ký": r["registered"],
                       "Chưa đăng ký": ", ".join(r["missing"])} for r in registration]).to_excel(
            xw, sheet_name="Đăng ký theo quý", index=False)
    with pd.ExcelWriter(out / "loi-du-lieu-baseline.xlsx") as xw:
        pd.DataFrame(problems, columns=["Tệp", "Trang tính", "Dòng", "Họ và tên", "Vấn đề"]).to_excel(
            xw, sheet_name="Lỗi dữ liệu", index=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="naive baseline of the year-end job")
    ap.add_argument("input_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--reader", choices=["pandas", "calamine"], default="pandas")
    ap.add_argument("--no-docx", action="store_true", help="skip the Word report and the workbooks")
    a = ap.parse_args(argv)
    t = [time.perf_counter()]
    trips, roster, regs, problems = read(a.input_dir, a.reader)
    t.append(time.perf_counter())
    days = days_per_cadre(trips, roster)
    t.append(time.perf_counter())
    kept, cadres, depts, registration = compute(trips, roster, regs, days, problems)
    t.append(time.perf_counter())
    a.out_dir.mkdir(parents=True, exist_ok=True)
    if not a.no_docx:
        write_docx(a.out_dir / "bao-cao-baseline.docx", kept, cadres, depts, registration)
    t.append(time.perf_counter())
    if not a.no_docx:
        write_workbooks(a.out_dir, kept, cadres, depts, registration, problems)
    t.append(time.perf_counter())
    (a.out_dir / "days.json").write_text(json.dumps(days, ensure_ascii=False, indent=0), "utf-8")
    t.append(time.perf_counter())
    status = {s: sum(k["status"] == s for k in kept) for s in STATUS}
    print(json.dumps({"rows": len(trips), "trips": len(kept), "cadres": len(days), "listed": len(cadres),
                      "met": sum(c["met"] for c in cadres), **status, "problems": len(problems),
                      **{f"{k}_s": round(t[i + 1] - t[i], 2)
                         for i, k in enumerate(["read", "days", "compute", "docx", "xlsx", "write"])},
                      "total_s": round(t[-1] - t[0], 2)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
