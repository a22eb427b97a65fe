"""The closing summary's sentences about the figures, from summary.json.

A year run says how many cadres met the quota (over the cadres it applies to). A
progress run (a month, a quarter) speaks of progress: who is on track, who is behind
and by how many days, how many days the year still needs; its trip count is the
period's, and it says how many trips lie outside the period (the earlier ones of the
year still count towards the progress). Problems of books of other periods are counted
apart (rules/period_books.py), never silently dropped.
"""

from __future__ import annotations

from ..text.vn import dmy, number


def _progress(summary: dict) -> bool:
    return summary["period"].get("kind", "year") != "year"


def trips(summary: dict) -> str:
    """`227 chuyến được tính` (a year); `25 chuyến trong kỳ 2020-05, 202 chuyến ngoài kỳ (…)` (a
    month or quarter). Every kept trip is in exactly one of the parts."""
    acc, label = summary["accounting"], summary["period"]["label"]
    total = acc["trips_counted"]
    if not _progress(summary):
        outside = acc.get("trips_outside_period", 0)
        return f"{number(total)} chuyến được tính" + (
            f" ({number(outside)} chuyến ngoài kỳ tính, không tính vào số ngày)" if outside else "")
    inside, before = acc.get("trips_in_period", total), acc.get("trips_before_period", 0)
    after = total - inside - before
    parts = []
    if before:
        parts.append(f"{number(before)} chuyến từ đầu năm đến trước kỳ, vẫn tính vào tiến độ cả năm")
    if after:
        parts.append(f"{number(after)} chuyến sau kỳ hoặc ngoài thời gian tính, chưa tính")
    out = f"{number(inside)} chuyến trong kỳ {label}"
    return out + (f", {number(before + after)} chuyến ngoài kỳ ({'; '.join(parts)})" if parts else "")


def cadres(summary: dict) -> str:
    """`13 cán bộ, 10/12 đạt chỉ tiêu (1 được miễn)` (a year); for a month or quarter the progress:
    `Tiến độ đến ngày 31/05/2020: 12 cán bộ; 8 đúng tiến độ, 4 chậm tiến độ (cần thêm 25 ngày để
    theo kịp tiến độ); cả năm còn thiếu 505 ngày để tất cả đạt chỉ tiêu 60 ngày`."""
    t = summary["totals"]
    exempt = f" ({number(t['exempt'])} được miễn)" if t.get("exempt") else ""
    if not _progress(summary):
        required = t.get("required", t["cadres"])
        return f"{number(t['cadres'])} cán bộ, {number(t['met'])}/{number(required)} đạt chỉ tiêu{exempt}"
    required = [c for c in summary.get("cadres", []) if c.get("quota")]
    behind = [c for c in required if c.get("at_risk")]
    gap = sum(max(0, c["target_to_date"] - c["counted_days"]) for c in behind)
    needed = sum(c.get("days_needed", 0) for c in required)
    met = sum(1 for c in required if c.get("met"))
    on_track = f"{number(len(required) - len(behind))} đúng tiến độ" + (
        f" (trong đó {number(met)} đã đạt chỉ tiêu năm)" if met else "")
    late = (f"{number(len(behind))} chậm tiến độ (cần thêm {number(gap)} ngày để theo kịp tiến độ)" if behind
            else "không ai chậm tiến độ")
    year = (f"cả năm còn thiếu {number(needed)} ngày để tất cả đạt chỉ tiêu {number(summary.get('quota', 0))} ngày"
            if needed else "tất cả đã đạt chỉ tiêu năm")
    to_date = dmy(summary.get("progress", {}).get("to_date") or summary["period"]["end"])
    return (f"Tiến độ đến ngày {to_date}: {number(t['cadres'])} cán bộ trong kỳ{exempt}; {on_track}, {late}; "
            f"{year}")


def books_outside(summary: dict, all_books: bool = False) -> list[str]:
    """Lines counting the problems of books of later periods, naming those with errors or
    warnings; nothing when they have none (every book, and their notes, with `all_books`)."""
    books = summary.get("books_outside_period") or []
    errors, warnings = sum(b["errors"] for b in books), sum(b["warnings"] for b in books)
    if not books or not (errors or warnings or all_books):
        return []
    end = summary.get("progress", {}).get("window_end") or summary["period"]["end"]
    when = f"chuyến đi đều sau ngày {dmy(end)}"
    problems = f"có {number(errors)} lỗi, {number(warnings)} cảnh báo" if errors or warnings else "không có lỗi"
    lines = [f"{number(len(books))} sổ ngoài kỳ báo cáo ({when}) {problems}; không liệt kê ở đây, sẽ được "
             "liệt kê khi lập báo cáo của kỳ có các sổ đó."]
    for b in books:
        if all_books or b["errors"] or b["warnings"]:
            counts = ", ".join(part for part in (f"{number(b['errors'])} lỗi" if b["errors"] else "",
                                                 f"{number(b['warnings'])} cảnh báo" if b["warnings"] else "",
                                                 f"{number(b['notes'])} ghi chú" if all_books and b["notes"] else "")
                               if part) or "không có vấn đề"
            lines.append(f"  - {b['file']} ({dmy(b['first'])}–{dmy(b['last'])}): {counts}")
    return lines
