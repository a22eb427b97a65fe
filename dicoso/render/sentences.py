"""The report's sentences about figures that must agree with each other, or say they are
unknown: a fraction and its percentage over the same cadres (naming those left out), a
shortfall that says which level it is at, a quarter's registration or the fact that its
data was not found, the trip reports whose date is not recorded, and the plan cited.

Each function takes parts of summary.json and returns ready-made Vietnamese text for the
templates (render/report.py puts them in the context; templates/README.md lists them).
"""

from __future__ import annotations

from datetime import date

from ..rules.summary import person_labels
from ..text import vn as vf


def share(value: float | None) -> str:
    """A percentage, or "—" when nobody is in the population (share None)."""
    return "—" if value is None else vf.percent(value)


# --- who the quota applies to ----------------------------------------------------------------
def left_out(cadres: list[dict], *, inside: bool = False) -> str:
    """Who a fraction "met / required" leaves out, named: `` (không tính 1 đồng chí được miễn:
    Hoàng Thị Lan)``, or with `inside` (within parentheses already) ``; không tính …``; ""
    when the quota applies to everyone listed. A cadre exempt for the whole year is "được
    miễn"; one with a quota of 0 for another reason (no day in service in the counting
    period) "không có chỉ tiêu trong kỳ"."""
    named = list(zip(person_labels(cadres), cadres))
    exempt = [label for label, c in named if c.get("exempt")]
    other = [label for label, c in named if not c.get("exempt") and not c.get("quota")]
    parts = []
    if exempt:
        parts.append(f"{vf.number(len(exempt))} đồng chí được miễn: {', '.join(exempt)}")
    if other:
        parts.append(f"{vf.number(len(other))} đồng chí không có chỉ tiêu trong kỳ: {', '.join(other)}")
    if not parts:
        return ""
    return f"; không tính {'; '.join(parts)}" if inside else f" (không tính {'; '.join(parts)})"


# --- how far a cadre is from the quota ---------------------------------------------------------
def _level_gaps(cadre: dict, levels: list[dict]) -> list[tuple[int, str]]:
    """(days still needed, level label) for each level below its quota, in the rule set's order."""
    quotas, done = cadre.get("level_quotas") or {}, cadre.get("by_level") or {}
    gaps = []
    for lv in levels:
        gap = quotas.get(lv["key"], 0) - done.get(lv["key"], 0)
        if gap > 0:
            gaps.append((gap, lv["label"]))
    return gaps


def _at_levels(gaps: list[tuple[int, str]]) -> str:
    """`8 ngày ở cấp chi đoàn, 3 ngày ở cấp huyện và 2 ngày ở cấp xã`."""
    parts = [f"{vf.number(n)} ngày ở cấp {vf.lower_first(label)}" for n, label in gaps]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} và {parts[-1]}"


def shortfall(cadre: dict, levels: list[dict], *, note: bool = False) -> str:
    """What a cadre below the quota still needs, in words that never contradict the days:
    `đạt 55/60 ngày, còn thiếu 5 ngày`; with levels `đủ tổng số ngày (24/23), còn thiếu 1 ngày
    ở cấp xã` or `đạt 50/60 ngày, còn thiếu 12 ngày: 8 ngày ở cấp chi đoàn, 4 ngày ở cấp xã`.
    `note`: for the cadre table, whose columns give the days (`Còn thiếu 5 ngày`, `Đủ tổng số
    ngày, còn thiếu 1 ngày ở cấp xã`)."""
    days, quota, needed = cadre.get("counted_days", 0), cadre.get("quota", 0), cadre.get("days_needed", 0)
    gaps = _level_gaps(cadre, levels)
    if days >= quota and gaps:
        enough = "Đủ tổng số ngày" if note else f"đủ tổng số ngày ({vf.number(days)}/{vf.number(quota)})"
        return f"{enough}, còn thiếu {_at_levels(gaps)}"
    head = "Còn thiếu" if note else f"đạt {vf.number(days)}/{vf.number(quota)} ngày, còn thiếu"
    if len(gaps) == 1 and gaps[0][0] == needed:
        return f"{head} {_at_levels(gaps)}"
    text = f"{head} {vf.number(needed)} ngày"
    if gaps:
        at_levels = sum(n for n, _ in gaps)
        text += f": {_at_levels(gaps)}" if at_levels == needed else f" (trong đó {_at_levels(gaps)})"
    return text


# --- registration, trip reports -------------------------------------------------------------
def registration(r: dict) -> dict:
    """One quarter's registration line: the rate and its fraction over the same cadres, who
    did not register, or, when the quarter's registration data was not found, that it is
    not known (never "0%, nobody registered")."""
    label = vf.quarter_label(r["quarter"])
    if r.get("known", True) is False:
        return {"label": label, "known": False, "rate": "", "fraction": "", "missing": "",
                "text": "chưa có số liệu (không tìm thấy dữ liệu đăng ký của quý này trong thư mục dữ liệu)"}
    rate = share(r["registered"] / r["required"] if r["required"] else None)
    fraction = vf.fraction(r["registered"], r["required"])
    missing = f"; chưa đăng ký: {', '.join(r['missing'])}" if r.get("missing") else ""
    return {"label": label, "known": True, "rate": rate, "fraction": fraction, "missing": missing,
            "text": f"{rate} ({fraction}{not_required(r.get('not_required') or [])}){missing}"}


def not_required(cadres: list[dict]) -> str:
    """Who a registration fraction leaves out, grouped by why: ``; không tính 1 đồng chí
    không công tác trong quý: Vũ Đức Thắng``, or ""."""
    groups: dict[str, list[str]] = {}
    for c in cadres:
        groups.setdefault(c["why"], []).append(c["name"])
    parts = [f"{vf.number(len(names))} đồng chí {why}: {', '.join(names)}" for why, names in groups.items()]
    return f"; không tính {'; '.join(parts)}" if parts else ""


def not_recorded(n: int, undated: int = 0) -> str:
    """`; 3 chuyến đi chưa rõ ngày nộp báo cáo (…)` after the report figures, or "".

    `undated` of the `n`: a cell saying "filed" without a date, or a date that cannot be read;
    the others: a book without the column."""
    if not n:
        return ""
    why = [w for w, k in (("sổ của Ban không có cột “Ngày nộp báo cáo”", n - undated),
                          ("ô ngày nộp ghi “đã nộp” mà không ghi ngày, hoặc ghi ngày không đọc được", undated)) if k]
    return f"; {vf.number(n)} chuyến đi chưa rõ ngày nộp báo cáo ({' hoặc '.join(why)}; không tính vào các số trên)"


# --- the documents cited ---------------------------------------------------------------------
def citation(document: dict | None) -> str:
    """`Kế hoạch số 167-KH/TĐTN-XDĐ, ngày 13/4/2020 của Ban Thường vụ Tỉnh đoàn về việc …`
    (dates in citations without leading zeros, as the Đoàn writes them); "" for None."""
    if not document:
        return ""
    d = date.fromisoformat(document["date"])
    title = f" {document['title']}" if document.get("title") else ""
    return f"{document['kind']} số {document['number']}, ngày {d.day}/{d.month}/{d.year} của {document['issuer']}{title}"


def plan(rules: dict) -> str:
    """The plan of the rule set actually used, or a placeholder nobody can sign past."""
    return citation(rules.get("plan")) or (
        f"[chưa rõ kế hoạch của tỉnh: bổ sung mục “plan” vào bộ quy tắc {rules.get('file', '')}]")
