"""Rebuild input_samples/: one fictional year (2020) of BCH Đoàn tỉnh Vĩnh Phúc.

The office collects every Ban's "đi công tác cơ sở" registers, a roster of the
full-time cadres and the quarterly registrations. The books written here carry,
on purpose, the untidiness real books have (see the quirk table in the README
this script also writes). Everything is derived from a fixed seed and fixed
dates, never from today's date, so two runs give the same content.

Rule set the figures are designed for: 60 days per cadre, counting period
2020-03-01..2020-12-31, trip report due 10 days after the trip ends, quarterly
registration for Q2-Q4, as-of date 2021-01-05.

Usage:  python tools/make_samples.py [--verbose]
"""

from __future__ import annotations

import argparse
import math
import random
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import python_calamine
import xlwt
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "input_samples"
SEED = 2020
PERIOD_START, PERIOD_END = date(2020, 3, 1), date(2020, 12, 31)
QUOTA, REPORT_DAYS, AS_OF = 60, 10, date(2021, 1, 5)
# Random trips end early enough to be reported by AS_OF.
LAST_RANDOM_DAY = date(2020, 12, 24)
FROZEN_ZIP_TIME = (2021, 1, 5, 8, 0, 0)  # zip entry and document timestamps

# --- People ---------------------------------------------------------------------
VP, XDD, BTG, BPT, TTN = (
    "Văn phòng",
    "Ban Xây dựng Đoàn",
    "Ban Tuyên giáo",
    "Ban Phong trào",
    "Ban Thanh thiếu nhi – Trường học",
)


@dataclass(frozen=True)
class Cadre:
    name: str  # as in the roster: NFC, tone on the main vowel (Hòa, Thủy)
    position: str
    ban: str
    target: int  # designed counted days in the period
    start: date = date(2015, 8, 1)
    end: date | None = None
    exempt: tuple[date, date, str] | None = None
    written: str = ""  # how the Ban's own books spell the name ("" = as roster)

    @property
    def in_books(self) -> str:
        return self.written or self.name


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# fmt: off
CADRES = [
    Cadre("Nguyễn Văn Hùng",    "Bí thư Tỉnh đoàn",     VP,  64, date(2012, 9, 1)),
    Cadre("Trần Thị Thu Hà",    "Phó Bí thư Tỉnh đoàn", VP,  60, date(2014, 3, 1)),
    Cadre("Lê Minh Tuấn",       "Chánh Văn phòng",      VP,  48, date(2016, 1, 4)),
    Cadre("Phạm Quốc Khánh",    "Trưởng ban",           XDD, 62, date(2013, 10, 1)),
    Cadre("Nguyễn Thị Hòa",     "Phó Trưởng ban",       XDD, 61, date(2017, 5, 2),
          written="Nguyễn Thị Hoà"),
    Cadre("Vũ Đức Thắng",       "Chuyên viên",          XDD, 38, date(2020, 7, 1)),  # joiner
    Cadre("Đặng Thị Thủy",      "Trưởng ban",           BTG, 66, date(2011, 8, 1),
          written="Đặng Thị Thuỷ"),
    Cadre("Nguyễn Văn Nam",     "Phó Trưởng ban",       BTG, 63, date(2016, 9, 5)),
    Cadre("Hoàng Thị Lan",      "Chuyên viên",          BTG, 26, date(2018, 3, 1),
          exempt=(date(2020, 6, 1), date(2020, 11, 30), "Nghỉ thai sản")),
    Cadre("Bùi Văn Dũng",       "Trưởng ban",           BPT, 55, date(2014, 6, 2)),
    Cadre("Trịnh Thị Ngọc Ánh", "Chuyên viên",          BPT, 43, date(2019, 2, 11),
          end=date(2020, 9, 30)),  # leaver
    Cadre("Ngô Thị Phương",     "Trưởng ban",           TTN, 61, date(2015, 4, 1),
          written=nfd("Ngô Thị Phương")),
    Cadre("Kiều Văn Long",      "Phó Trưởng ban",       TTN, 59, date(2018, 8, 1)),
]
# fmt: on
BY_NAME = {c.name: c for c in CADRES}

# TCVN3 (ABC, .VnTime) bytes read as Unicode code points, only the letters needed.
TCVN3 = {"ễ": "Ô", "ă": "¨"}


def tcvn3(s: str) -> str:
    out = "".join(TCVN3.get(ch, ch) for ch in s)
    assert all(ord(ch) < 128 or ch in TCVN3.values() for ch in out), s
    return out


# --- Trips ----------------------------------------------------------------------
@dataclass
class Trip:
    cadre: Cadre
    start: date
    end: date
    books: list[tuple[str, int]]  # (ban, month) of every book listing this trip
    submitted: date | str | None = (
        None  # date, None (blank) or a text such as "chưa nộp"
    )
    name_as: str = ""  # overrides the usual spelling in the books
    counted: bool = True  # False: typed under a name that is not in the roster
    days_declared: int | None = None  # Số ngày as typed when it disagrees
    note: str = ""
    tag: str = ""  # the designed quirk, for the README
    place: str = ""
    level: str = ""
    content: str = ""
    order_no: str = ""
    seq: int = 0  # running number over the year (gives Số công lệnh)
    rows: list[tuple[str, str, int]] = field(
        default_factory=list
    )  # (file, sheet, Excel row) listings

    @property
    def length(self) -> int:
        return (self.end - self.start).days + 1

    def days(self) -> set[date]:
        return {self.start + timedelta(i) for i in range(self.length)}


def d(month: int, day: int, year: int = 2020) -> date:
    return date(year, month, day)


def fixed_trips() -> list[Trip]:
    """The trips that carry a designed quirk; random trips fill up the rest."""
    c = BY_NAME
    # fmt: off
    return [
        Trip(c["Bùi Văn Dũng"], d(2, 27), d(3, 2), [(BPT, 3)], d(3, 5),
             tag="straddles the period start (2 of 5 days count)"),
        Trip(c["Đặng Thị Thủy"], d(4, 29), d(5, 1), [(BTG, 4), (BTG, 5)], d(5, 6),
             tag="same trip listed in the April and the May book (duplicate)"),
        Trip(c["Kiều Văn Long"], d(7, 14), d(7, 16), [(TTN, 7), (BPT, 7)], d(7, 20),
             note="Phối hợp Ban Phong trào", tag="joint trip listed in two Ban's books"),
        Trip(c["Phạm Quốc Khánh"], d(8, 18), d(8, 20), [(XDD, 8)], d(8, 24),
             name_as="Phạm Quốc Kháng", counted=False,
             tag="name typo not in the roster (Kháng for Khánh): reported, not counted"),
        Trip(c["Nguyễn Văn Nam"], d(6, 9), d(6, 11), [(BTG, 6)], d(6, 15),
             name_as=tcvn3("Nguyễn Văn Nam"), tag="name typed in TCVN3 (NguyÔn V¨n Nam)"),
        Trip(c["Lê Minh Tuấn"], d(5, 12), d(5, 14), [(VP, 5)], d(5, 28),
             tag="report late by 4 days"),
        Trip(c["Trịnh Thị Ngọc Ánh"], d(8, 4), d(8, 5), [(BPT, 8)], d(8, 16),
             tag="report late by 1 day"),
        Trip(c["Trần Thị Thu Hà"], d(6, 16), d(6, 18), [(VP, 6)], d(6, 28),
             tag="report filed exactly on day 10 (on time)"),
        Trip(c["Nguyễn Văn Nam"], d(11, 16), d(11, 18), [(BTG, 11)], None,
             tag="report never filed (blank), overdue"),
        Trip(c["Bùi Văn Dũng"], d(12, 14), d(12, 15), [(BPT, 12)], "chưa nộp",
             tag="report never filed ('chưa nộp'), overdue"),
        Trip(c["Nguyễn Văn Hùng"], d(12, 26), d(12, 28), [(VP, 12)], None,
             tag="report not filed yet, due 2021-01-07: pending"),
        Trip(c["Ngô Thị Phương"], d(9, 22), d(9, 24), [(TTN, 9)], d(9, 28), days_declared=4,
             tag="Số ngày 4 disagrees with the dates (3 days)"),
        Trip(c["Hoàng Thị Lan"], d(4, 21), d(4, 21), [(BTG, 4)], d(4, 23),
             tag="one-day trip written as a single date"),
    ]
    # fmt: on


# fmt: off
LEVELS = ["Huyện", "Xã", "Chi đoàn"]
DISTRICTS = ["Vĩnh Yên", "Phúc Yên", "Bình Xuyên", "Tam Đảo", "Tam Dương",
             "Lập Thạch", "Sông Lô", "Vĩnh Tường", "Yên Lạc"]
COMMUNES = [("Đạo Trù", "Tam Đảo"), ("Hợp Châu", "Tam Đảo"), ("Kim Long", "Tam Dương"),
            ("Hướng Đạo", "Tam Dương"), ("Tam Hợp", "Bình Xuyên"), ("Bá Hiến", "Bình Xuyên"),
            ("Liễn Sơn", "Lập Thạch"), ("Nhạo Sơn", "Sông Lô"), ("Đại Đồng", "Vĩnh Tường"),
            ("Tề Lỗ", "Yên Lạc"), ("Ngọc Thanh", "Phúc Yên"), ("Thanh Trù", "Vĩnh Yên")]
CONTENTS = {
    "Huyện": ["Thăm nắm tình hình triển khai chương trình công tác Đoàn",
              "Kiểm tra, giám sát công tác Đoàn và phong trào thanh thiếu nhi",
              "Khảo sát chuyên đề công tác xây dựng tổ chức cơ sở Đoàn"],
    "Xã": ["Phối hợp tổ chức Ngày hội thanh niên với biên giới, hải đảo",
           "Thăm nắm tình hình đoàn viên, thanh niên tại địa phương",
           "Hướng dẫn nghiệp vụ công tác Đoàn cho cán bộ Đoàn xã"],
    "Chi đoàn": ["Dự sinh hoạt chi đoàn theo chủ điểm",
                 "Dự sinh hoạt chuyên đề học tập và làm theo lời Bác",
                 "Thăm nắm tình hình sinh hoạt chi đoàn"],
}
# fmt: on


def eligible(c: Cadre, day: date) -> bool:
    if (
        not PERIOD_START <= day <= PERIOD_END
        or day < c.start
        or (c.end and day > c.end)
    ):
        return False
    return not (c.exempt and c.exempt[0] <= day <= c.exempt[1])


def counted_days(trips: list[Trip], c: Cadre) -> set[date]:
    days: set[date] = set()
    for t in trips:
        if t.cadre is c and t.counted:
            days |= {x for x in t.days() if PERIOD_START <= x <= PERIOD_END}
    return days


def plan_trips(rng: random.Random) -> list[Trip]:
    """Fixed trips plus random 1-5 day trips until each cadre hits the target."""
    trips = fixed_trips()
    for c in CADRES:
        busy = set().union(*(t.days() for t in trips if t.cadre is c))
        per_month = {
            m: 0
            for m in range(3, 13)
            if any(eligible(c, d(m, x)) for x in range(1, 29))
        }
        remaining = c.target - len(counted_days(trips, c))
        while remaining > 0:
            low = min(per_month.values())
            month = rng.choice([m for m, n in per_month.items() if n == low])
            length = min(remaining, rng.randint(1, 5))
            starts = []
            for day in range(1, 32 - length):
                span = [d(month, day) + timedelta(i) for i in range(-1, length + 1)]
                inner = span[1:-1]
                if (
                    inner[-1].month == month
                    and inner[-1] <= LAST_RANDOM_DAY
                    and all(eligible(c, x) for x in inner)
                    and not busy & set(span)
                ):
                    starts.append(inner[0])
            if not starts:
                per_month[month] += 99  # month is full for this length: try others
                continue
            start = rng.choice(starts)
            t = Trip(c, start, start + timedelta(length - 1), [(c.ban, month)])
            t.submitted = t.end + timedelta(rng.randint(1, 8))
            trips.append(t)
            busy |= t.days()
            per_month[month] += length
            remaining -= length
    for t in trips:  # where, what; same for every listing of one trip
        t.level = rng.choice(LEVELS)
        if t.level == "Huyện":
            district = rng.choice(DISTRICTS)
            t.place = (
                "Thành đoàn " if district in ("Vĩnh Yên", "Phúc Yên") else "Huyện đoàn "
            ) + district
        elif t.level == "Xã":
            commune, district = rng.choice(COMMUNES)
            t.place = f"Đoàn xã {commune} ({district})"
        else:
            commune, district = rng.choice(COMMUNES)
            t.place = f"Chi đoàn thôn {rng.randint(1, 9)}, xã {commune}"
        t.content = rng.choice(CONTENTS[t.level])
    trips.sort(key=lambda t: (t.start, CADRES.index(t.cadre)))
    for n, t in enumerate(trips, 1):
        t.seq, t.order_no = n, f"{n}/CL-TĐTN"
    return trips


# --- Sheets as plain grids, written by one of three backends ---------------------
@dataclass
class Sheet:
    """Cells keyed (row, col), 1-based as Excel shows them; merges as (r1, c1, r2, c2)."""

    name: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    bold_rows: set[int] = field(default_factory=set)
    hidden: bool = False
    widths: list[float] = field(default_factory=list)

    def put(
        self, row: int, col: int, value: object, span_to: int | None = None
    ) -> None:
        self.cells[(row, col)] = value
        if span_to and span_to > col:
            self.merges.append((row, col, row, span_to))


def save_xlsx(path: Path, sheets: list[Sheet]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sh in sheets:
        ws = wb.create_sheet(sh.name)
        ws.sheet_state = "hidden" if sh.hidden else "visible"
        for (r, c), v in sh.cells.items():
            cell = ws.cell(r, c, v)
            if isinstance(v, date):
                cell.number_format = "dd/mm/yyyy"
            if r in sh.bold_rows:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(
                    wrap_text=True, horizontal="center", vertical="center"
                )
        for r1, c1, r2, c2 in sh.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        for i, w in enumerate(sh.widths, 1):
            ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = w
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    freeze_zip(path)


def save_xls(path: Path, sheets: list[Sheet]) -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    bold = xlwt.easyxf("font: bold on; align: wrap on, horiz center")
    for sh in sheets:
        ws = wb.add_sheet(sh.name)
        plain = xlwt.Style.default_style
        covered = set()
        for r1, c1, r2, c2 in sh.merges:
            style = bold if r1 in sh.bold_rows else plain
            value = sh.cells.get((r1, c1), "")
            ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, value, style)
            covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for (r, c), v in sh.cells.items():
            if (r, c) not in covered:
                style = bold if r in sh.bold_rows else plain
                ws.write(r - 1, c - 1, v, date_style if isinstance(v, date) else style)
        for i, w in enumerate(sh.widths):
            ws.col(i).width = int(w * 256)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))


def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    """Re-save a book with LibreOffice, which computes and caches formula values."""
    profile = Path(tempfile.gettempdir()) / "make_samples_lo_profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = outdir / f"{src.stem}.{fmt}"
    if not out.exists():
        raise SystemExit(f"LibreOffice did not write {out}")
    freeze_zip(out)
    return out


def save_book(path: Path, sheets: list[Sheet], via_libreoffice: bool = False) -> None:
    """.xlsx (openpyxl, optionally re-saved by LibreOffice), .xls (xlwt), .ods (LibreOffice)."""
    if path.suffix == ".xls":
        return save_xls(path, sheets)
    if path.suffix == ".xlsx" and not via_libreoffice:
        return save_xlsx(path, sheets)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{path.stem}.xlsx"
        save_xlsx(src, sheets)
        path.parent.mkdir(parents=True, exist_ok=True)
        soffice_convert(src, path.suffix.lstrip("."), path.parent)


_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?")


def freeze_zip(path: Path) -> None:
    """Fix zip entry times and document dates so reruns give identical bytes."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w") as out:
        for info, data in items:
            if info.filename in ("docProps/core.xml", "docProps/app.xml", "meta.xml"):
                data = _STAMP.sub(b"2021-01-05T08:00:00", data)
                data = re.sub(
                    rb"<meta:editing-duration>[^<]*<",
                    b"<meta:editing-duration>PT0S<",
                    data,
                )
                data = re.sub(rb"<TotalTime>[^<]*<", b"<TotalTime>0<", data)
            zi = zipfile.ZipInfo(info.filename, date_time=FROZEN_ZIP_TIME)
            zi.compress_type = info.compress_type
            zi.external_attr = info.external_attr
            out.writestr(zi, data)
    tmp.replace(path)


# --- Register layouts -------------------------------------------------------------
@dataclass(frozen=True)
class Layout:
    """How one Ban draws its register. Fields: stt name position ban from to range days
    place level content order submitted note."""

    columns: tuple[tuple[str, str], ...]
    titles: tuple[str, ...]  # {m} = month number
    sheet_name: str  # {m} = month number
    dates: str = "date"  # "date" | "serial" | a text style such as "dd/mm/yyyy"
    submitted: str = ""  # style of Ngày nộp when it differs from `dates`
    group: tuple[str, str, str] | None = (
        None  # two-row header: parent label, first, last field
    )
    merge_names: bool = False
    total: str = ""  # "Tổng cộng" / "Cộng" row under the table
    signer: str = ""  # footer signature block; "" = none
    quirks: tuple[str, ...] = ()


# fmt: off
STD = [("stt", "STT"), ("name", "Họ và tên"), ("position", "Chức vụ")]
LAYOUTS = {
    VP: Layout(
        tuple(STD + [("from", "Từ ngày"), ("to", "Đến ngày"), ("days", "Số ngày"),
                     ("place", "Nơi đến"), ("level", "Cấp"), ("content", "Nội dung"),
                     ("order", "Số công lệnh"), ("submitted", "Ngày nộp BC"), ("note", "Ghi chú")]),
        ("TỈNH ĐOÀN VĨNH PHÚC", "VĂN PHÒNG",
         "SỔ THEO DÕI CÁN BỘ ĐI CÔNG TÁC CƠ SỞ THÁNG {m}/2020"),
        "Tháng {m}", total="Tổng cộng", signer="Chánh Văn phòng",
        quirks=("title rows", "headers Nơi đến / Ngày nộp BC", "Tổng cộng row",
                "signature block under the table")),
    XDD: Layout(
        (("stt", "TT"), ("name", "Họ tên cán bộ"), ("position", "Chức vụ"),
         ("from", "Từ ngày"), ("to", "Đến ngày"), ("days", "Số ngày"),
         ("place", "Địa bàn/đơn vị đến"), ("level", "Cấp"), ("content", "Nội dung công tác"),
         ("order", "Số công lệnh"), ("submitted", "Ngày nộp báo cáo"), ("note", "Ghi chú")),
        ("TỈNH ĐOÀN VĨNH PHÚC", "BAN XÂY DỰNG ĐOÀN",
         "DANH SÁCH CÁN BỘ ĐI CƠ SỞ THÁNG {m} NĂM 2020"),
        "T{m}", group=("Thời gian", "from", "to"), merge_names=True, total="Tổng cộng",
        quirks=("title rows",
                "two-row header, merged parent Thời gian over Từ ngày | Đến ngày",
                "headers TT / Họ tên cán bộ / Địa bàn/đơn vị đến / Nội dung công tác",
                "name, TT and Chức vụ merged down over the cadre's trips", "Tổng cộng row")),
    BTG: Layout(
        tuple(STD + [("range", "Thời gian (đi cơ sở)"), ("days", "Số ngày"),
                     ("place", "Địa bàn"), ("level", "Cấp"), ("content", "Nội dung"),
                     ("order", "Số công lệnh"), ("submitted", "Ngày nộp báo cáo"),
                     ("note", "Ghi chú")]),
        ("TỈNH ĐOÀN VĨNH PHÚC", "BAN TUYÊN GIÁO", "SỔ THEO DÕI ĐI CƠ SỞ THÁNG {m}/2020"),
        "Sheet1", submitted="dd-mm-yyyy", signer="Trưởng ban",
        quirks=("title rows", "one Thời gian (đi cơ sở) column with ranges in varied forms",
                "Ngày nộp as text dd-mm-yyyy", "signature block under the table")),
    BPT: Layout(
        tuple(STD + [("ban", "Ban"), ("from", "Từ ngày"), ("to", "Đến ngày"),
                     ("days", "Số ngày"), ("place", "Đơn vị đến"), ("level", "Cấp"),
                     ("content", "Nội dung công tác"), ("order", "Số công lệnh"),
                     ("submitted", "Ngày nộp báo cáo"), ("note", "Ghi chú")]),
        ("TỈNH ĐOÀN VĨNH PHÚC", "BAN PHONG TRÀO",
         "Theo dõi cán bộ đi công tác cơ sở - tháng {m}/2020"),
        "T{m}-2020", dates="d/m/yy", total="Cộng",
        quirks=("title rows", "a Ban column", "dates as text d/m/yy", "Cộng row")),
    TTN: Layout(
        (("stt", "STT"), ("name", "HỌ VÀ  TÊN"), ("position", "CHỨC  VỤ"),
         ("from", "TỪ\nNGÀY"), ("to", "ĐẾN\nNGÀY"), ("days", "SỐ\nNGÀY"),
         ("place", "ĐỊA BÀN/ĐƠN VỊ ĐẾN"), ("level", "CẤP"), ("content", "NỘI  DUNG  CÔNG TÁC"),
         ("order", "SỐ CÔNG\nLỆNH"), ("submitted", "NGÀY NỘP\nBC"), ("note", "GHI CHÚ")),
        ("TỈNH ĐOÀN VĨNH PHÚC", "BAN THANH THIẾU NHI – TRƯỜNG HỌC",
         "SỔ THEO DÕI ĐI CƠ SỞ THÁNG {m:02d}/2020"),
        "Thang {m}", dates="dd.mm.yyyy", signer="Trưởng ban",
        quirks=("title rows",
                "upper-case headers with line breaks (TỪ\\nNGÀY) and doubled spaces",
                "dates as text dd.mm.yyyy", "signature block under the table")),
}
WIDTHS = {"stt": 5, "name": 24, "position": 18, "ban": 26, "from": 12, "to": 12,
          "range": 30, "days": 8, "place": 30, "level": 10, "content": 44, "order": 14,
          "submitted": 13, "note": 22}
# fmt: on


def text_date(x: date, style: str) -> str:
    return {
        "dd/mm/yyyy": f"{x.day:02d}/{x.month:02d}/{x.year}",
        "d/m/yy": f"{x.day}/{x.month}/{x.year % 100:02d}",
        "dd-mm-yyyy": f"{x.day:02d}-{x.month:02d}-{x.year}",
        "dd.mm.yyyy": f"{x.day:02d}.{x.month:02d}.{x.year}",
    }[style]


def date_cell(x: date, style: str) -> object:
    if style == "date":
        return x
    if style == "serial":  # a date cell that lost its format: an Excel serial, General
        return (x - date(1899, 12, 30)).days
    return text_date(x, style)


def range_text(s: date, e: date, turn: int) -> str:
    """One Thời gian cell; the three same-month forms take turns."""
    if s == e:
        return f"{s.day}/{s.month}/{s.year}"
    if s.month != e.month:
        return f"{s.day:02d}/{s.month:02d}-{e.day:02d}/{e.month}/{e.year}"
    return [
        f"{s.day:02d}/{s.month:02d} - {e.day:02d}/{e.month:02d}/{e.year}",
        f"Từ ngày {s.day}/{s.month}/{s.year} đến ngày {e.day}/{e.month}/{e.year}",
        f"{s.day}/{s.month}/{s.year} - {e.day}/{e.month}/{e.year}",
    ][turn % 3]


def name_in(t: Trip, book_ban: str) -> str:
    if t.name_as:
        return t.name_as
    return t.cadre.in_books if book_ban == t.cadre.ban else t.cadre.name


def register_sheet(
    ban: str,
    month: int,
    trips: list[Trip],
    lay: Layout,
    formula: bool = False,
    name: str = "",
    file: str = "",
) -> Sheet:
    """One month of one Ban's register, laid out as `lay` says."""
    fields = [f for f, _ in lay.columns]
    col = {f: i for i, f in enumerate(fields, 1)}
    n = len(fields)
    sh = Sheet(
        name or lay.sheet_name.format(m=month), widths=[WIDTHS[f] for f in fields]
    )
    r = 1
    for title in lay.titles:
        sh.put(r, 1, title.format(m=month), span_to=n)
        sh.bold_rows.add(r)
        r += 1
    r += 1  # blank row before the table
    if lay.group:
        parent, first, last = lay.group
        sh.bold_rows |= {r, r + 1}
        for f, label in lay.columns:
            if col[first] <= col[f] <= col[last]:
                sh.put(r + 1, col[f], label)
            else:
                sh.put(r, col[f], label)
                sh.merges.append((r, col[f], r + 1, col[f]))
        sh.put(r, col[first], parent, span_to=col[last])
        r += 2
    else:
        sh.bold_rows.add(r)
        for f, label in lay.columns:
            sh.put(r, col[f], label)
        r += 1
    first_data, stt, prev = r, 0, None
    for t in trips:
        who = name_in(t, ban)
        same = lay.merge_names and who == prev
        if not same:
            stt += 1
            group_start = r
        elif lay.merge_names:
            for f in ("stt", "name", "position"):
                sh.merges = [m for m in sh.merges if m[:2] != (group_start, col[f])]
                sh.merges.append((group_start, col[f], r, col[f]))
        prev = who
        values = {
            "stt": None if same else (stt if lay.merge_names else r - first_data + 1),
            "name": None if same else who,
            "position": None if same else t.cadre.position,
            "ban": t.cadre.ban,
            "from": date_cell(t.start, lay.dates),
            "to": date_cell(t.end, lay.dates),
            "range": range_text(t.start, t.end, t.seq) if "range" in col else None,
            "days": t.days_declared or t.length,
            "place": t.place,
            "level": t.level,
            "content": t.content,
            "order": t.order_no,
            "submitted": (
                date_cell(t.submitted, lay.submitted or lay.dates)
                if isinstance(t.submitted, date)
                else t.submitted
            ),
            "note": t.note,
        }
        if ban != t.cadre.ban:  # a joint trip in another Ban's book
            values["note"] = f"Đ/c {t.cadre.name.split()[-1]} ({t.cadre.ban}) đi cùng"
        if formula:
            fl, tl = (openpyxl.utils.get_column_letter(col[x]) for x in ("from", "to"))
            values["days"] = f"={tl}{r}-{fl}{r}+1"
        for f, v in values.items():
            if f in col and v is not None:
                sh.put(r, col[f], v)
        t.rows.append((file, sh.name, r))
        r += 1
    if lay.total:
        label_col = col["name"]
        sh.put(r, label_col, lay.total)
        dl = openpyxl.utils.get_column_letter(col["days"])
        total = sum(t.days_declared or t.length for t in trips)
        sh.put(
            r, col["days"], f"=SUM({dl}{first_data}:{dl}{r - 1})" if formula else total
        )
        sh.bold_rows.add(r)
        r += 1
    if lay.signer:
        last = (
            date(2020, month + 1, 1) if month < 12 else date(2021, 1, 1)
        ) - timedelta(1)
        right = max(n - 3, 4)
        sh.put(
            r + 1,
            right,
            f"Vĩnh Phúc, ngày {last.day} tháng {month} năm 2020",
            span_to=n,
        )
        sh.put(r + 2, 2, "Người lập biểu")
        sh.put(r + 2, right, lay.signer.upper(), span_to=n)
        sh.put(r + 3, 2, "(đã ký)")
        sh.put(r + 3, right, "(đã ký)", span_to=n)
        signer = next(
            (
                c.name
                for c in CADRES
                if c.ban == ban and c.position in ("Trưởng ban", "Chánh Văn phòng")
            ),
            "",
        )
        sh.put(r + 6, 2, "Nguyễn Thu Trang")
        sh.put(r + 6, right, signer, span_to=n)
    return sh


def template_sheet(lay: Layout, name: str, hidden: bool) -> Sheet:
    """An empty copy of the register: titles (month left as dots) and header only."""
    titles = tuple(re.sub(r"\{m[^}]*\}", "....", t) for t in lay.titles)
    empty = Layout(**{**lay.__dict__, "titles": titles, "total": "", "signer": ""})
    sh = register_sheet("", 1, [], empty, name=name)
    sh.hidden = hidden
    return sh


# --- Books -----------------------------------------------------------------------
FOLDERS = {
    VP: "Van phong",
    XDD: "Ban XDD",
    BTG: "Ban Tuyen giao",
    BPT: "Ban Phong trao",
    TTN: "Ban TTN-TH",
}
PREFIX = {VP: "VP", XDD: "XDD", BTG: "BTG", BPT: "BPT", TTN: "TTN-TH"}
MANIFEST: list[tuple[str, str, list[str]]] = []  # (relative path, what it is, quirks)


def rel(path: Path) -> str:
    return path.relative_to(OUT).as_posix()


def trip_quirks(trips: list[Trip], ban: str) -> list[str]:
    out = [t.tag for t in trips if t.tag]
    for c in {
        t.cadre
        for t in trips
        if t.cadre.ban == ban and t.cadre.written and not t.name_as
    }:
        if unicodedata.is_normalized("NFC", c.written):
            out.append(
                f"name with the other tone placement ({c.written} for roster {c.name})"
            )
        else:
            out.append(f"name in NFD Unicode ({c.name})")
    return out


def write_registers(trips: list[Trip]) -> None:
    def listed(ban: str, month: int) -> list[Trip]:
        rows = [t for t in trips if (ban, month) in t.books]
        return sorted(
            rows, key=lambda t: (not t.counted, CADRES.index(t.cadre), t.start)
        )

    for ban, lay in LAYOUTS.items():
        folder = OUT / FOLDERS[ban]
        months = list(range(3, 13))
        if ban == XDD:  # Q3 is one book with a sheet per month
            months = [3, 4, 5, 6, [7, 8, 9], 10, 11, 12]
        for m in months:
            group = m if isinstance(m, list) else [m]
            quirks: list[str] = []  # on top of the Ban's layout quirks
            book_lay, ext, via_lo, formula = lay, ".xlsx", False, False
            name = (
                f"{PREFIX[ban]} thang {m:02d}-2020"
                if len(group) == 1
                else f"{PREFIX[ban]} Quy III-2020"
            )
            if (ban, m) in ((VP, 6), (TTN, 10)):
                book_lay = Layout(
                    **{**lay.__dict__, "dates": "serial", "submitted": "serial"}
                )
                quirks.append(
                    "dates stored as plain numbers (Excel serials, General format)"
                )
            if ban == VP and m in (11, 12):
                ext = ".xls"
                quirks.append("legacy .xls (BIFF8, xlwt)")
            if ban == BTG and m == 9:
                ext = ".ods"
                quirks.append("OpenDocument .ods (converted by LibreOffice)")
            if ban == XDD and m == 6:
                via_lo = formula = True
                quirks.append(
                    "Số ngày as formula =E7-D7+1 and total =SUM(), values cached by LibreOffice"
                )
            if len(group) > 1:
                book_lay = Layout(**{**lay.__dict__, "dates": "dd/mm/yyyy"})
                quirks += [
                    "quarterly book, one sheet per month (T7, T8, T9)",
                    "dates as text dd/mm/yyyy",
                    "hidden empty template sheet (Mau)",
                ]
            path = folder / f"{name}{ext}"
            sheets, book_trips = [], []
            for mm in group:
                rows = listed(ban, mm)
                book_trips += rows
                sheets.append(
                    register_sheet(
                        ban, mm, rows, book_lay, formula=formula, file=rel(path)
                    )
                )
            if len(group) > 1:
                sheets.append(template_sheet(book_lay, "Mau", hidden=True))
            if ban == BPT and m == 3:
                sheets.append(template_sheet(book_lay, "Mẫu", hidden=False))
                quirks.append("visible empty template sheet (Mẫu, header only)")
            save_book(path, sheets, via_libreoffice=via_lo)
            MANIFEST.append(
                (
                    rel(path),
                    f"{ban} register, {'Q3' if len(group) > 1 else f'month {m}'}",
                    quirks + trip_quirks(book_trips, ban),
                )
            )


def write_roster() -> None:
    cols = [
        "STT",
        "Họ và tên",
        "Chức vụ",
        "Ban",
        "Ngày bắt đầu công tác",
        "Ngày thôi công tác",
        "Miễn đi cơ sở từ ngày",
        "Miễn đến ngày",
        "Lý do miễn",
    ]
    sh = Sheet("Danh sách", widths=[5, 24, 20, 30, 14, 14, 14, 14, 16])
    sh.put(1, 1, "TỈNH ĐOÀN VĨNH PHÚC", span_to=4)
    sh.put(
        2,
        1,
        "DANH SÁCH CÁN BỘ CHUYÊN TRÁCH CƠ QUAN TỈNH ĐOÀN NĂM 2020",
        span_to=len(cols),
    )
    sh.bold_rows |= {1, 2, 4}
    for i, label in enumerate(cols, 1):
        sh.put(4, i, label)
    for i, c in enumerate(CADRES, 1):
        ex = c.exempt or (None, None, None)
        for j, v in enumerate([i, c.name, c.position, c.ban, c.start, c.end, *ex], 1):
            if v is not None:
                sh.put(4 + i, j, v)
    path = OUT / "Danh sach can bo chuyen trach 2020.xlsx"
    save_xlsx(path, [sh])
    MANIFEST.append(
        (
            rel(path),
            "roster (13 cadres)",
            [
                "title rows",
                "joiner from 01/07/2020 (Vũ Đức Thắng)",
                "leaver on 30/09/2020 (Trịnh Thị Ngọc Ánh)",
                "maternity exemption 01/06-30/11/2020 (Hoàng Thị Lan)",
            ],
        )
    )


PERIOD_DAYS = [
    PERIOD_START + timedelta(i) for i in range((PERIOD_END - PERIOD_START).days + 1)
]


def quarter_days(q: int) -> list[date]:
    """Days of quarter q of 2020 inside the counting period."""
    return [x for x in PERIOD_DAYS if (x.month - 1) // 3 + 1 == q]


def quarter_required(c: Cadre, q: int) -> bool:
    """Must register: eligible on at least one day of the quarter."""
    return any(eligible(c, x) for x in quarter_days(q))


MISSED_REGISTRATION = ("Lê Minh Tuấn", 3)


def registrations(rng: random.Random) -> dict[int, list[tuple[Cadre, int, str, str]]]:
    plan = {}
    for q in (2, 3, 4):
        rows = []
        for c in CADRES:
            if not quarter_required(c, q) or (c.name, q) == MISSED_REGISTRATION:
                continue
            share = sum(eligible(c, x) for x in quarter_days(q))
            total = sum(eligible(c, x) for x in PERIOD_DAYS)
            days = max(3, round(c.target * share / total) + rng.randint(0, 3))
            places = ", ".join(rng.sample(DISTRICTS, 2))
            rows.append(
                (
                    c,
                    days,
                    f"Huyện đoàn {places}",
                    rng.choice(CONTENTS[rng.choice(LEVELS)]),
                )
            )
        plan[q] = rows
    return plan


def registration_sheet(name: str, title: str, rows, quarter_text=None) -> Sheet:
    cols = (
        ["STT", "Họ và tên", "Ban"]
        + (["Quý"] if quarter_text else [])
        + ["Số ngày đăng ký", "Địa bàn dự kiến", "Nội dung dự kiến"]
    )
    sh = Sheet(name, widths=[5, 24, 30] + ([10] if quarter_text else []) + [10, 36, 50])
    sh.put(1, 1, "TỈNH ĐOÀN VĨNH PHÚC", span_to=3)
    sh.put(2, 1, title, span_to=len(cols))
    sh.bold_rows |= {1, 2, 4}
    for i, label in enumerate(cols, 1):
        sh.put(4, i, label)
    for i, (c, days, place, content) in enumerate(rows, 1):
        q = [quarter_text(i)] if quarter_text else []
        for j, v in enumerate([i, c.in_books, c.ban, *q, days, place, content], 1):
            sh.put(4 + i, j, v)
    return sh


def write_registrations(rng: random.Random) -> dict:
    plan = registrations(rng)
    folder = OUT / "Dang ky"
    q4_office = [r for r in plan[4] if r[0].ban in (VP, XDD, BTG)]
    q4_others = [r for r in plan[4] if r[0].ban in (BPT, TTN)]
    books = [  # file, quarter, title, rows, Quý cell for row i (None = no column), quirk
        (
            "Dang ky di co so Quy II-2020.xlsx",
            2,
            "ĐĂNG KÝ ĐI CƠ SỞ QUÝ II NĂM 2020",
            plan[2],
            lambda i: "II" if i % 2 else 2,
            "Quý written II and 2 (a number)",
        ),
        (
            "Dang ky di co so Quy III-2020.xlsx",
            3,
            "ĐĂNG KÝ ĐI CƠ SỞ QUÝ III NĂM 2020",
            plan[3],
            lambda i: "Quý III",
            "Quý written 'Quý III'",
        ),
        (
            "Dang ky Quy IV-2020 VP XDD BTG.xlsx",
            4,
            "ĐĂNG KÝ ĐI CƠ SỞ QUÝ IV NĂM 2020 (VĂN PHÒNG, BAN XDĐ, BAN TG)",
            q4_office,
            lambda i: "IV/2020",
            "Quý written IV/2020",
        ),
        (
            "DK Quy IV - Ban PT, Ban TTN-TH.xlsx",
            4,
            "ĐĂNG KÝ ĐI CƠ SỞ QUÝ IV NĂM 2020",
            q4_others,
            None,
            "no Quý column: the quarter is only in the title and the sheet name (Quy IV)",
        ),
    ]
    for fname, q, title, rows, qtext, quirk in books:
        path = folder / fname
        save_xlsx(
            path,
            [
                registration_sheet(
                    "Quy IV" if qtext is None else "Đăng ký", title, rows, qtext
                )
            ],
        )
        who, missed_q = MISSED_REGISTRATION
        missing = [f"{who} did not register"] if q == missed_q else []
        MANIFEST.append(
            (
                rel(path),
                "quarterly registration",
                [
                    "title rows",
                    quirk,
                    *missing,
                    "names spelled as in the Ban's books (Hoà, Thuỷ, NFD)",
                ],
            )
        )
    return plan


def write_junk() -> None:
    lock = OUT / FOLDERS[BTG] / "~$BTG thang 05-2020.xlsx"
    owner = b"Nguyen Van Nam"
    lock.write_bytes(
        (bytes([len(owner)]) + owner).ljust(54, b" ")
        + "Nguyễn Văn Nam".encode("utf-16-le").ljust(111, b"\x00")
    )
    assert lock.stat().st_size == 165
    thumbs = OUT / FOLDERS[TTN] / "Thumbs.db"
    junk = random.Random(SEED + 1).randbytes(1016)
    thumbs.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + junk
    )  # OLE magic, like a real Thumbs.db
    lo_lock = OUT / FOLDERS[BPT] / ".~lock.BPT thang 12-2020.xlsx#"
    lo_lock.write_text(
        ",PC-BANPT/Bui Van Dung,PC-BANPT,05.01.2021 08:15,"
        "file:///C:/Users/BanPT/AppData/Roaming/LibreOffice/4;",
        encoding="utf-8",
    )
    for p, what in (
        (lock, "Excel owner/lock file (165 bytes)"),
        (thumbs, "Windows thumbnail cache (starts with the OLE/.xls magic bytes)"),
        (lo_lock, "LibreOffice lock file"),
    ):
        MANIFEST.append((rel(p), "junk", [f"{what}: must be skipped"]))


# --- Expected figures (from the trip list, not from the books) ---------------------
def report_status(t: Trip) -> tuple[str, int]:
    """(on_time | late | overdue | pending, days late or overdue)."""
    due = t.end + timedelta(REPORT_DAYS)
    if isinstance(t.submitted, date):
        return (
            ("late", (t.submitted - due).days) if t.submitted > due else ("on_time", 0)
        )
    return ("overdue", (AS_OF - due).days) if AS_OF > due else ("pending", 0)


def figures(trips: list[Trip]) -> list[dict]:
    out = []
    for c in CADRES:
        own = [t for t in trips if t.cadre is c and t.counted]
        elig = sum(eligible(c, x) for x in PERIOD_DAYS)
        quota = math.ceil(QUOTA * elig / len(PERIOD_DAYS))
        days = len(counted_days(trips, c))
        assert days == c.target, (c.name, days, c.target)
        out.append(
            {
                "cadre": c,
                "eligible": elig,
                "quota": quota,
                "days": days,
                "met": days >= quota,
                "trips": len(own),
                "rows": sum(len(t.books) for t in own),
                "naive": sum(t.length * len(t.books) for t in own),
                "reports": [(report_status(t), t) for t in own],
            }
        )
    return out


def md(s: str) -> str:
    return s.replace("|", "\\|")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


INTRO = """\
# input_samples — a fictional year 2020 of Tỉnh đoàn Vĩnh Phúc

Generated by `python tools/make_samples.py` (seed {seed}). Do not edit by hand: the
script deletes and rebuilds this folder, this README included. People, places and
document numbers are fictional. `README.md` is not a spreadsheet: the reader must ignore it.

## Rule set and dates the figures are designed for

- quota {quota} days per cadre, prorated: `ceil({quota} × eligible_days / {period_days})`
- counting period {start}..{end} ({period_days} days); a trip counts its calendar days,
  both ends included, clipped to the period; one cadre's days are a set (duplicates once)
- report due on end + {report_days} days; as-of date {as_of}
- quarterly registration required for Q2, Q3, Q4 (cadre eligible on at least one day of it)
"""


def table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(md(str(v)) for v in row) + " |" for row in rows]


def readme_files() -> list[str]:
    layouts = [
        [ban, f"`{FOLDERS[ban]}/`", "; ".join(lay.quirks)]
        for ban, lay in LAYOUTS.items()
    ]
    files = [
        [f"`{path}`", what, "; ".join(quirks) or "—"] for path, what, quirks in MANIFEST
    ]
    index: dict[str, list[str]] = {}
    for ban, lay in LAYOUTS.items():
        for q in lay.quirks:
            index.setdefault(q, []).append(f"{FOLDERS[ban]}/*")
    for path, _, quirks in MANIFEST:
        for q in quirks:
            index.setdefault(q, []).append(path)
    quirk_rows = [
        [
            q,
            ", ".join(f"`{p}`" for p in paths[:4])
            + (f" (+{len(paths) - 4} more)" if len(paths) > 4 else ""),
        ]
        for q, paths in index.items()
    ]
    return (
        ["## Register layouts (every book in the Ban's folder)", ""]
        + table(["Ban", "folder", "layout quirks"], layouts)
        + ["", "## Files", ""]
        + table(
            ["file", "what", "quirks of this file (besides its Ban's layout)"], files
        )
        + ["", "## Quirk → file", ""]
        + table(["quirk", "files"], quirk_rows)
    )


def readme_figures(trips: list[Trip], figs: list[dict], plan: dict) -> list[str]:
    planned = {
        c.name: sum(days for rows in plan.values() for cc, days, *_ in rows if cc is c)
        for c in CADRES
    }
    rows = [
        [
            f["cadre"].name,
            f["cadre"].ban,
            f["cadre"].position,
            f["eligible"],
            f["quota"],
            f["days"],
            "yes" if f["met"] else "**no**",
            f["trips"],
            f["rows"],
            f["naive"],
            planned[f["cadre"].name],
        ]
        for f in figs
    ]
    statuses = [s for f in figs for (s, _), _ in f["reports"]]
    short = ", ".join(f["cadre"].name for f in figs if not f["met"])
    rejected = [t for t in trips if not t.counted]
    return (
        [
            "## Expected per-cadre figures",
            "",
            "`trips` = distinct counted trips; `rows` = register rows listing them (the duplicate and the",
            "joint trip are listed twice); `naive` = sum of those rows' calendar days without clipping or",
            "de-duplication; `planned` = days registered over Q2-Q4.",
            "",
        ]
        + table(
            [
                "cadre",
                "Ban",
                "position",
                "eligible days",
                "quota",
                "counted days",
                "met",
                "trips",
                "rows",
                "naive",
                "planned",
            ],
            rows,
        )
        + [
            "",
            (
                f"Totals: {len(figs)} cadres, {sum(f['trips'] for f in figs)} distinct counted trips "
                f"({sum(f['rows'] for f in figs)} rows), {sum(f['days'] for f in figs)} counted days, "
                f"{sum(f['met'] for f in figs)} of {len(figs)} meet their quota (short: {short})."
            ),
            (
                f"Reports (one per distinct counted trip): {statuses.count('on_time')} on time, "
                f"{statuses.count('late')} late, {statuses.count('overdue')} overdue, "
                f"{statuses.count('pending')} pending."
            ),
            "",
        ]
        + [
            f"Not counted: {len(t.rows)} row under `{t.name_as}` (not in the roster; closest roster name "
            f"{t.cadre.name}), {t.length} days, reported as an unknown name."
            for t in rejected
        ]
    )


def readme_reports(trips: list[Trip], figs: list[dict]) -> list[str]:
    late = []
    for f in figs:
        for (status, n), t in f["reports"]:
            if status != "on_time":
                sub = (
                    t.submitted
                    if isinstance(t.submitted, date)
                    else (t.submitted or "(blank)")
                )
                label = {
                    "late": f"late by {plural(n, 'day')}",
                    "overdue": f"overdue by {plural(n, 'day')}",
                    "pending": "pending",
                }[status]
                late.append(
                    [
                        t.cadre.name,
                        f"{t.start}..{t.end}",
                        t.end + timedelta(REPORT_DAYS),
                        sub,
                        label,
                    ]
                )
    where = [
        [
            t.tag,
            t.name_as or t.cadre.name,
            f"{t.start}..{t.end}",
            f"`{file}`",
            sheet,
            row,
        ]
        for t in sorted((t for t in trips if t.tag), key=lambda t: t.start)
        for file, sheet, row in t.rows
    ]
    return (
        ["", "## Reports not on time", ""]
        + table(["cadre", "trip", "due", "submitted", "status"], late)
        + [
            "",
            "## Where the designed rows are",
            "",
            "Excel row numbers (1-based) of every listing of a trip that carries a designed quirk.",
            "",
        ]
        + table(["quirk", "name as typed", "trip", "file", "sheet", "row"], where)
    )


def readme_registrations(plan: dict) -> list[str]:
    rows = []
    for q, regs in plan.items():
        required = [c.name for c in CADRES if quarter_required(c, q)]
        got = {c.name for c, *_ in regs}
        rows.append(
            [
                f"2020-Q{q}",
                len(required),
                len(got),
                ", ".join(n for n in required if n not in got) or "—",
            ]
        )
    return ["", "## Registrations", ""] + table(
        ["quarter", "required", "registered", "missing"], rows
    )


def readme(trips: list[Trip], figs: list[dict], plan: dict) -> str:
    intro = INTRO.format(
        seed=SEED,
        quota=QUOTA,
        period_days=len(PERIOD_DAYS),
        start=PERIOD_START,
        end=PERIOD_END,
        report_days=REPORT_DAYS,
        as_of=AS_OF,
    )
    lines = (
        readme_files()
        + [""]
        + readme_figures(trips, figs, plan)
        + readme_reports(trips, figs)
        + readme_registrations(plan)
    )
    return intro + "\n" + "\n".join(lines) + "\n"


# --- Check and main ---------------------------------------------------------------
def verify(trips: list[Trip], verbose: bool) -> tuple[int, int]:
    """Open every book with python-calamine; check a few designed cells."""
    books = sheets = 0
    for path in sorted(OUT.rglob("*")):
        if path.suffix not in (".xlsx", ".xls", ".ods") or path.name.startswith(
            ("~$", ".~lock")
        ):
            continue
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        hidden = [
            m.name
            for m in wb.sheets_metadata
            if str(m.visible) != "SheetVisibleEnum.Visible"
        ]
        books, sheets = books + 1, sheets + len(wb.sheet_names)
        if verbose:
            print(
                f"  {rel(path)}: {len(wb.sheet_names)} sheet(s)"
                + (f", hidden {hidden}" if hidden else "")
            )
    rows = (
        python_calamine.CalamineWorkbook.from_path(
            str(OUT / "Ban XDD/XDD thang 06-2020.xlsx")
        )
        .get_sheet_by_index(0)
        .to_python()
    )
    days = [r[5] for r in rows[6:] if isinstance(r[3], (date, datetime))]
    starts = [r[3] for r in rows[6:] if isinstance(r[3], (date, datetime))]
    ends = [r[4] for r in rows[6:] if isinstance(r[3], (date, datetime))]
    assert days and all(
        isinstance(x, float) and x == (e - s).days + 1
        for x, s, e in zip(days, starts, ends)
    ), "formula values not cached"
    btg6 = python_calamine.CalamineWorkbook.from_path(
        str(OUT / "Ban Tuyen giao/BTG thang 06-2020.xlsx")
    )
    assert any(
        "NguyÔn V¨n Nam" in str(v)
        for r in btg6.get_sheet_by_index(0).to_python()
        for v in r
    )
    q3 = python_calamine.CalamineWorkbook.from_path(
        str(OUT / "Ban XDD/XDD Quy III-2020.xlsx")
    )
    assert [str(m.visible).rsplit(".", 1)[-1] for m in q3.sheets_metadata] == [
        "Visible"
    ] * 3 + ["Hidden"]
    for t in (
        trips
    ):  # the README's row numbers: each listed row carries the trip's Số công lệnh
        for file, sheet, row in t.rows if t.tag else []:
            sh = python_calamine.CalamineWorkbook.from_path(
                str(OUT / file)
            ).get_sheet_by_name(sheet)
            assert t.order_no in sh.to_python()[row - 1 - sh.start[0]], (
                file,
                sheet,
                row,
            )
    return books, sheets


def clean_output() -> None:
    assert OUT.parent == ROOT and OUT.name == "input_samples"
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every book with its sheet count",
    )
    args = parser.parse_args()
    rng = random.Random(SEED)
    trips = plan_trips(rng)
    figs = figures(trips)
    clean_output()
    write_roster()
    plan = write_registrations(rng)
    write_registers(trips)
    write_junk()
    (OUT / "README.md").write_text(readme(trips, figs, plan), encoding="utf-8")
    books, sheets = verify(trips, args.verbose)
    met = sum(f["met"] for f in figs)
    rows = sum(len(t.books) for t in trips)
    print(
        f"input_samples: {books} books ({sheets} sheets, all opened with python-calamine), "
        f"{len(MANIFEST) - books} junk files, {rows} trip rows, {len(CADRES)} cadres, "
        f"{met} meet their quota -> {OUT}"
    )


if __name__ == "__main__":
    main()
