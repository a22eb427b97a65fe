#!/usr/bin/env python3
"""Generate a benchmark drop folder: trip registers of many Ban books plus a roster.

    python bench/make_data.py SCALE OUTDIR [--force] [--workers N]

Scales (books / trip rows / cadres):

    small       100 books /     3,000 rows /   100 cadres
    medium    1,000 books /    30,000 rows / 1,000 cadres
    large-half 2,000 books /   500,000 rows / 2,500 cadres   (doubling check)
    large     2,000 books / 1,000,000 rows / 2,500 cadres

Layout follows input_samples/: title rows (TỈNH ĐOÀN …, BAN …, SỔ THEO DÕI ĐI CƠ SỞ
THÁNG m/2020), a blank row, the header
STT | Họ và tên | Chức vụ | Từ ngày | Đến ngày | Số ngày | Địa bàn | Cấp | Nội dung |
Số công lệnh | Ngày nộp báo cáo | Ghi chú, real date cells, a "Tổng cộng" row and a
signature block under the table. One book per working group ("tổ") of a Ban per
month (March..December 2020), in the Ban's folder. The roster
`Danh sach can bo.xlsx` lists every cadre (a few joiners, leavers and exemption
ranges; trips stay inside each cadre's service and outside their exemption).

Rows: 75 % base trips, 15 % trips overlapping an earlier trip of the same cadre,
10 % exact copies of a trip listed again in another book (next month's book of the
same group, or a joint trip in another group's book of the same month).

The plan is drawn with numpy's seeded generator, so a scale's content is the same
on every run. Books are written with openpyxl's write_only mode in parallel
processes. A finished folder is stamped (OUTDIR.stamp.json, next to the folder so
that the reader never sees it) and reused when the stamp matches.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from multiprocessing import get_context
from pathlib import Path

import numpy as np

GENERATOR_VERSION = 3
YEAR = 2020
MONTHS = list(range(3, 13))  # March..December: the Vĩnh Phúc 2020 counting period
AS_OF = date(2021, 1, 5)
ROSTER_FILE = "Danh sach can bo.xlsx"


@dataclass(frozen=True)
class Scale:
    name: str
    groups: int  # books = groups x 10 months
    rows: int  # trip rows over all books
    cadres: int
    seed: int

    @property
    def books(self) -> int:
        return self.groups * len(MONTHS)


SCALES = {
    "small": Scale("small", 10, 3_000, 100, 2020_01),
    "medium": Scale("medium", 100, 30_000, 1_000, 2020_02),
    "large-half": Scale("large-half", 200, 500_000, 2_500, 2020_03),
    "large": Scale("large", 200, 1_000_000, 2_500, 2020_03),
}

# (folder, file prefix, title, roster name)
BANS = [
    ("Van phong", "VP", "VĂN PHÒNG", "Văn phòng"),
    ("Ban XDD", "XDD", "BAN XÂY DỰNG ĐOÀN", "Ban Xây dựng Đoàn"),
    ("Ban Tuyen giao", "BTG", "BAN TUYÊN GIÁO", "Ban Tuyên giáo"),
    ("Ban Phong trao", "BPT", "BAN PHONG TRÀO", "Ban Phong trào"),
    ("Ban TTN-TH", "TTN-TH", "BAN THANH THIẾU NHI – TRƯỜNG HỌC", "Ban Thanh thiếu nhi – Trường học"),
    ("Ban DKTHTN", "DKTH", "BAN ĐOÀN KẾT TẬP HỢP THANH NIÊN", "Ban Đoàn kết tập hợp thanh niên"),
]

HEADER = ["STT", "Họ và tên", "Chức vụ", "Từ ngày", "Đến ngày", "Số ngày", "Địa bàn", "Cấp",
          "Nội dung", "Số công lệnh", "Ngày nộp báo cáo", "Ghi chú"]
ROSTER_HEADER = ["STT", "Họ và tên", "Chức vụ", "Ban", "Ngày bắt đầu công tác", "Ngày thôi công tác",
                 "Miễn đi cơ sở từ ngày", "Miễn đến ngày", "Lý do miễn"]

# Names: no two entries differ only by tone placement (Hòa/Hoà), so display names
# that differ are different people for the reader's name key as well.
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Đinh", "Trịnh", "Đào", "Kiều", "Tạ", "Lương", "Mai", "Chu", "Tô", "Hà"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Xuân", "Thanh", "Ngọc", "Mạnh", "Trung", "Quang",
            "Tiến", "Duy", "Đình"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Thúy", "Kim", "Bích", "Diệu", "Hải"]
GIVEN_M = ["Hùng", "Tuấn", "Khánh", "Thắng", "Nam", "Dũng", "Long", "Hải", "Sơn", "Cường", "Huy", "Phong",
           "Quân", "Tùng", "Thành", "Trung", "Bình", "Đạt", "Hiếu", "Kiên", "Lâm", "Nghĩa", "Phúc", "Quý",
           "Tài", "Thịnh", "Việt", "Vinh", "Anh", "Bảo", "Chiến", "Duy", "Giang", "Hoàng", "Khoa", "Lộc"]
GIVEN_F = ["Hà", "Hòa", "Thủy", "Lan", "Ánh", "Phương", "Hương", "Hằng", "Linh", "Mai", "Ngân", "Nhung",
           "Oanh", "Quyên", "Thảo", "Trang", "Vân", "Yến", "Dung", "Giang", "Hạnh", "Hiền", "Huyền", "Loan",
           "Ly", "My", "Nga", "Nhàn", "Tâm", "Thơ", "Trâm", "Uyên", "Xuân", "Chi", "Diệp", "Liên"]

POSITIONS = ["Trưởng ban", "Phó Trưởng ban", "Chuyên viên", "Chuyên viên", "Chuyên viên"]
DISTRICTS = ["Vĩnh Yên", "Phúc Yên", "Lập Thạch", "Sông Lô", "Tam Dương", "Tam Đảo", "Bình Xuyên",
             "Yên Lạc", "Vĩnh Tường"]
COMMUNES = ["Nhạo Sơn", "Thanh Trù", "Bá Hiến", "Tam Hợp", "Đồng Tĩnh", "Hợp Châu", "Đạo Tú", "Liên Châu",
            "Tân Phong", "Văn Quán", "Quang Sơn", "Đại Đồng", "Yên Đồng", "Hướng Đạo", "Lũng Hòa"]
CONTENTS = ["Dự sinh hoạt chi đoàn theo chủ điểm",
            "Thăm nắm tình hình triển khai chương trình công tác Đoàn",
            "Khảo sát chuyên đề học tập và làm theo lời Bác",
            "Thực hiện chuyên đề về công tác thanh niên nông thôn"]
EXEMPT_REASONS = ["Nghỉ thai sản", "Đi học tập trung", "Nghỉ ốm dài ngày"]

EPOCH = date(1970, 1, 1)


def _dn(d: date) -> int:
    return (d - EPOCH).days


def _date(n: int) -> date:
    return EPOCH + timedelta(days=int(n))


_DATES = {n: _date(n) for n in range(_dn(date(YEAR, 1, 1)), _dn(AS_OF) + 1)}  # day number -> date
MONTH_FIRST = np.array([_dn(date(YEAR, m, 1)) for m in MONTHS], dtype=np.int64)
MONTH_LAST = np.array([_dn(date(YEAR + (m == 12), m % 12 + 1, 1)) - 1 for m in MONTHS], dtype=np.int64)


# --- the plan ------------------------------------------------------------------

def make_cadres(sc: Scale, rng: np.random.Generator) -> dict:
    """Unique Vietnamese names, positions, groups and eligibility per cadre."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < sc.cadres:
        female = rng.random() < 0.45
        fam = FAMILY[rng.integers(len(FAMILY))]
        mid = (MIDDLE_F if female else MIDDLE_M)[rng.integers(len(MIDDLE_F if female else MIDDLE_M))]
        giv = (GIVEN_F if female else GIVEN_M)[rng.integers(len(GIVEN_F if female else GIVEN_M))]
        parts = [fam, mid, giv]
        if rng.random() < 0.2:  # a second middle name, different from the other parts
            pool = [w for w in (MIDDLE_F if female else MIDDLE_M) if w not in parts]
            parts.insert(1, pool[rng.integers(len(pool))])
        if giv == mid:
            continue
        name = " ".join(parts)
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        names.append(name)
    group = np.arange(sc.cadres) % sc.groups  # cadres spread evenly over the groups
    rank_in_group = np.arange(sc.cadres) // sc.groups
    position = [POSITIONS[min(r, len(POSITIONS) - 1)] for r in rank_in_group]
    # allowed[c, i]: may cadre c travel in MONTHS[i]?  (service and exemption)
    allowed = np.ones((sc.cadres, len(MONTHS)), dtype=bool)
    service_start = [None] * sc.cadres
    service_end = [None] * sc.cadres
    exempt = [None] * sc.cadres
    kind = rng.random(sc.cadres)
    for c in range(sc.cadres):
        service_start[c] = date(int(rng.integers(2005, 2020)), int(rng.integers(1, 13)), 1)
        if kind[c] < 0.02:  # joiner during the year
            i = int(rng.integers(1, 7))
            service_start[c] = date(YEAR, MONTHS[i], 1)
            allowed[c, :i] = False
        elif kind[c] < 0.04:  # leaver during the year
            i = int(rng.integers(4, 9))
            service_end[c] = _date(MONTH_LAST[i])
            allowed[c, i + 1:] = False
        elif kind[c] < 0.06:  # exemption range of 2..4 whole months
            i = int(rng.integers(1, 6))
            n = int(rng.integers(2, 5))
            exempt[c] = (date(YEAR, MONTHS[i], 1), _date(MONTH_LAST[i + n - 1]),
                         EXEMPT_REASONS[int(rng.integers(len(EXEMPT_REASONS)))])
            allowed[c, i:i + n] = False
    return {"name": names, "group": group, "position": position, "allowed": allowed,
            "service_start": service_start, "service_end": service_end, "exempt": exempt}


def make_trips(sc: Scale, cad: dict, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """All trip rows as parallel arrays (one entry per row, duplicates included)."""
    n_base = round(sc.rows * 0.75)
    n_over = round(sc.rows * 0.15)
    n_dup = sc.rows - n_base - n_over
    allowed = cad["allowed"]
    # base trips: cadre, month among the cadre's allowed months, start day, length 1..5
    cid = rng.integers(0, sc.cadres, n_base)
    mi = rng.integers(0, len(MONTHS), n_base)
    bad = ~allowed[cid, mi]
    while bad.any():
        mi[bad] = rng.integers(0, len(MONTHS), int(bad.sum()))
        bad = ~allowed[cid, mi]
    length = rng.choice(np.arange(1, 6), n_base, p=[0.25, 0.3, 0.25, 0.12, 0.08])
    mlen = MONTH_LAST[mi] - MONTH_FIRST[mi] + 1
    start = MONTH_FIRST[mi] + (rng.random(n_base) * mlen).astype(np.int64)
    end = np.minimum(start + length - 1, MONTH_LAST[mi])
    # overlapping trips: start inside an earlier trip of the same cadre, same month
    parent = rng.integers(0, n_base, n_over)
    o_cid, o_mi = cid[parent], mi[parent]
    o_start = start[parent] + (rng.random(n_over) * (end[parent] - start[parent] + 1)).astype(np.int64)
    o_len = rng.choice(np.arange(1, 6), n_over, p=[0.25, 0.3, 0.25, 0.12, 0.08])
    o_end = np.minimum(o_start + o_len - 1, MONTH_LAST[o_mi])
    cid = np.concatenate([cid, o_cid])
    mi = np.concatenate([mi, o_mi])
    start = np.concatenate([start, o_start])
    end = np.concatenate([end, o_end])
    n_trips = n_base + n_over
    # At high density (400 rows per cadre at `large`) random trips often coincide with
    # another of the same cadre (same start and end), which the engine merges as a
    # duplicate. Redraw those inside the same month, so that exact duplicates are the
    # designed 10 % copies and not an accident of the scale.
    for _ in range(100):
        key = (cid * 1_000_000 + start) * 8 + (end - start)
        _, first = np.unique(key, return_index=True)
        again = np.ones(n_trips, dtype=bool)
        again[first] = False
        if not again.any():
            break
        k = int(again.sum())
        mlen = MONTH_LAST[mi[again]] - MONTH_FIRST[mi[again]] + 1
        start[again] = MONTH_FIRST[mi[again]] + (rng.random(k) * mlen).astype(np.int64)
        end[again] = np.minimum(start[again] + rng.choice(np.arange(1, 6), k, p=[0.25, 0.3, 0.25, 0.12, 0.08]) - 1,
                                MONTH_LAST[mi[again]])
    group = cad["group"][cid]
    book = group * len(MONTHS) + mi
    # attributes of a trip (copies share them)
    # report filed 0..10 days after the end (on time), 4 % late by 1..5 days, 1 % not filed
    delay = np.where(rng.random(n_trips) < 0.04, rng.integers(11, 16, n_trips), rng.integers(0, 11, n_trips))
    sub = end + delay
    sub[(rng.random(n_trips) < 0.01) | (sub > _dn(AS_OF))] = -1  # not filed
    place = rng.integers(0, 10_000, n_trips)
    content = rng.integers(0, len(CONTENTS), n_trips)
    order_no = rng.permutation(n_trips) + 1
    # exact copies in another book
    src = rng.integers(0, n_trips, n_dup)
    d_book = book[src].copy()
    next_month = (rng.random(n_dup) < 0.5) & (mi[src] < len(MONTHS) - 1)
    d_book[next_month] += 1  # listed again in next month's book of the same group
    other = ~next_month  # a joint trip listed in another group's book of the same month
    shift = rng.integers(1, max(sc.groups, 2), int(other.sum())) % sc.groups
    d_book[other] = ((group[src][other] + shift) % sc.groups) * len(MONTHS) + mi[src][other]
    idx = np.concatenate([np.arange(n_trips), src])
    return {
        "cid": cid[idx], "start": start[idx], "end": end[idx], "sub": sub[idx], "place": place[idx],
        "content": content[idx], "order_no": order_no[idx],
        "book": np.concatenate([book, d_book]),
    }


# --- writing -----------------------------------------------------------------

_G: dict = {}  # plan shared with the writer processes (inherited through fork)


def _place(p: int) -> tuple[str, str]:
    commune = COMMUNES[p % len(COMMUNES)]
    district = DISTRICTS[(p // 7) % len(DISTRICTS)]
    k = p % 10
    if k < 5:
        return f"Chi đoàn thôn {p % 12 + 1}, xã {commune}", "Chi đoàn"
    if k < 8:
        return f"Đoàn xã {commune}, huyện {district}", "Xã"
    return f"Huyện đoàn {district}", "Huyện"


def book_path(sc: Scale, b: int) -> tuple[str, int, int]:
    g, i = divmod(b, len(MONTHS))
    folder, prefix, _, _ = BANS[g % len(BANS)]
    m = MONTHS[i]
    return f"{folder}/To {g:03d}/{prefix} To {g:03d} thang {m:02d}-{YEAR}.xlsx", g, m


def _write_book(b: int) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sc, out, cad = _G["scale"], _G["out"], _G["cadres"]
    lo, hi = _G["bounds"][b], _G["bounds"][b + 1]
    t = {k: v[lo:hi].tolist() for k, v in _G["trips"].items()}
    rel, g, m = book_path(sc, b)
    _, _, title, _ = BANS[g % len(BANS)]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"Tháng {m}")
    for col, width in zip("ABCDEFGHIJKL", (5, 24, 16, 11, 11, 7, 34, 9, 46, 13, 13, 10)):
        ws.column_dimensions[col].width = width
    bold = Font(bold=True)

    def b_cell(v):
        c = WriteOnlyCell(ws, value=v)
        c.font = bold
        return c

    ws.append([b_cell("TỈNH ĐOÀN VĨNH PHÚC")])
    ws.append([b_cell(title)])
    ws.append([b_cell(f"SỔ THEO DÕI ĐI CƠ SỞ THÁNG {m}/{YEAR}")])
    ws.append([])
    ws.append([b_cell(h) for h in HEADER])
    names, positions = cad["name"], cad["position"]
    total = 0
    cols = zip(t["cid"], t["start"], t["end"], t["sub"], t["place"], t["content"], t["order_no"])
    for n, (c, s, e, sub, p, k, no) in enumerate(cols):
        place, level = _place(p)
        days = e - s + 1
        total += days
        ws.append([n + 1, names[c], positions[c], _DATES[s], _DATES[e], days, place, level,
                   CONTENTS[k], f"{no}/CL-TĐTN", _DATES[sub] if sub >= 0 else None, None])
    ws.append([None, b_cell("Tổng cộng"), None, None, None, total])
    ws.append([])
    last = _date(MONTH_LAST[MONTHS.index(m)])
    ws.append([None] * 8 + [f"Vĩnh Phúc, ngày {last.day} tháng {m} năm {YEAR}"])
    ws.append([None, b_cell("Người lập biểu")] + [None] * 6 + [b_cell("TRƯỞNG BAN")])
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return hi - lo


def _write_roster(out: Path, cad: dict) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["TỈNH ĐOÀN VĨNH PHÚC"])
    ws.append([f"DANH SÁCH CÁN BỘ CHUYÊN TRÁCH CƠ QUAN TỈNH ĐOÀN NĂM {YEAR}"])
    ws.append([])
    ws.append(ROSTER_HEADER)
    for c, name in enumerate(cad["name"]):
        g = int(cad["group"][c])
        ex = cad["exempt"][c] or (None, None, None)
        ws.append([c + 1, name, cad["position"][c], BANS[g % len(BANS)][3], cad["service_start"][c],
                   cad["service_end"][c], ex[0], ex[1], ex[2]])
    wb.save(out / ROSTER_FILE)


def _stamp(sc: Scale) -> dict:
    return {"generator": GENERATOR_VERSION, **asdict(sc), "books": sc.books}


def generate(scale: str, out: Path, *, force: bool = False, workers: int | None = None,
             log=print) -> Path:
    """Write the drop folder for `scale` into `out` (reused when already complete)."""
    sc = SCALES[scale]
    out = Path(out)
    stamp_path = out.with_name(out.name + ".stamp.json")
    if not force and out.is_dir() and stamp_path.is_file():
        try:
            if json.loads(stamp_path.read_text("utf-8")).get("params") == _stamp(sc):
                log(f"[make_data] {scale}: reusing {out}")
                return out
        except (OSError, ValueError):
            pass
    t0 = time.perf_counter()
    if stamp_path.exists():
        stamp_path.unlink()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = np.random.default_rng(sc.seed)
    cad = make_cadres(sc, rng)
    trips = make_trips(sc, cad, rng)
    # rows of a book together, in the order clerks keep them: cadre (group order), then start
    order = np.lexsort((trips["order_no"], trips["end"], trips["start"], trips["cid"],
                        trips["cid"] // sc.groups, trips["book"]))
    trips = {k: v[order] for k, v in trips.items()}
    bounds = np.searchsorted(trips["book"], np.arange(sc.books + 1))
    _G.update(scale=sc, out=out, cadres=cad, trips=trips, bounds=bounds)
    _write_roster(out, cad)
    workers = workers or os.cpu_count() or 1
    written = 0
    if workers > 1 and sc.books > 20:
        with get_context("fork").Pool(workers) as pool:
            for n in pool.imap_unordered(_write_book, range(sc.books), chunksize=4):
                written += n
    else:
        for b in range(sc.books):
            written += _write_book(b)
    assert written == sc.rows, (written, sc.rows)
    _G.clear()
    stamp_path.write_text(json.dumps({"params": _stamp(sc), "seconds": round(time.perf_counter() - t0, 1)},
                                     ensure_ascii=False, indent=1), "utf-8")
    log(f"[make_data] {scale}: {sc.books} books, {sc.rows:,} rows, {sc.cadres} cadres "
        f"in {time.perf_counter() - t0:.1f} s -> {out}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scale", choices=sorted(SCALES))
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--force", action="store_true", help="regenerate even when a complete folder exists")
    ap.add_argument("--workers", type=int, default=None)
    a = ap.parse_args(argv)
    generate(a.scale, a.outdir, force=a.force, workers=a.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
