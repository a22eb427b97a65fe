"""Days per cadre against the quota, drawn with Pillow in a font with Vietnamese glyphs.

Matplotlib cost ~0.5 s a run to import and draw; Pillow draws these (canvas.py) in
milliseconds.
"""

from __future__ import annotations

from pathlib import Path

from ..rules.summary import person_labels
from ..text import vn as vf
from .canvas import (
    DPI,
    GAP,
    GRID_COLOUR,
    INK,
    MET_COLOUR,
    PT,
    QUOTA_COLOUR,
    SHORT_COLOUR,
    SMALL,
    TEXT,
    WIDTH,
    Box,
    Canvas,
    chart_font,
    nice_ticks,
    x_ticks,
)

# Above this many cadres (a national roll-up) one bar per cadre is unreadable and
# the image would be huge: the chart becomes a histogram of days per cadre.
MAX_BARS = 40
PAD = 20  # blank border around the figure
TICK = round(3.5 * PT)  # tick mark length
LINE = 2  # spines, tick marks and grid lines
QUOTA_LINE = round(1.2 * PT)  # the dashed quota line
OWN_TICK = round(2 * PT)  # a cadre's own quota
BIN_DAYS = 5  # histogram bin width


def _charted(summary: dict) -> list[dict]:
    return [c for c in summary.get("cadres", []) if not c.get("exempt")]


def caption(summary: dict) -> str:
    """The caption under the chart in the report."""
    year = "" if summary.get("period", {}).get("kind") == "year" else " năm"
    cadres = _charted(summary)
    if len(cadres) > MAX_BARS:
        return f"Biểu đồ: Phân bố số ngày đi cơ sở của {vf.number(len(cadres))} cán bộ so với chỉ tiêu{year}"
    return f"Biểu đồ: Số ngày đi cơ sở của từng cán bộ so với chỉ tiêu{year}"


def days_chart(summary: dict, out_png: Path) -> Path:
    """Horizontal bars, one per cadre grouped by Ban, against the quota line.

    Year runs colour the bars by met / not met; month and quarter runs by on
    track / at risk (`progress.at_risk`). A cadre whose own quota differs from
    the rule set's (prorated for part of the year) gets a tick at that quota.
    Above MAX_BARS cadres: a histogram of days per cadre instead. The PNG has no
    timestamp, so the same summary gives the same bytes.
    """
    out_png = Path(out_png)
    draw(summary).image.save(out_png, format="PNG", optimize=False, dpi=(DPI, DPI))
    return out_png


def draw(summary: dict) -> Canvas:
    cadres = _charted(summary)
    if len(cadres) > MAX_BARS:
        return _histogram(summary, cadres)
    return _bars(summary, cadres)


# --- parts shared by both charts ---------------------------------------------

_HANDLE, _HANDLE_GAP, _ENTRY_GAP = round(1.5 * SMALL), 12, 40


def _legend_rows(canvas: Canvas, entries: list[tuple[str, str, str]]) -> list[list[tuple[str, str, str]]]:
    """Entries (kind, colour, label) in rows no wider than the figure."""
    rows: list[list[tuple[str, str, str]]] = [[]]
    for entry in entries:
        if rows[-1] and _legend_width(canvas, [*rows[-1], entry]) > canvas.width - 2 * PAD:
            rows.append([])
        rows[-1].append(entry)
    return rows


def _legend_width(canvas: Canvas, row: list[tuple[str, str, str]]) -> int:
    widths = [_HANDLE + _HANDLE_GAP + canvas.width_of(label, SMALL) for _, _, label in row]
    return sum(widths) + _ENTRY_GAP * (len(row) - 1)


def _legend_height(canvas: Canvas, rows: list) -> int:
    return len(rows) * round(1.3 * canvas.line_height(SMALL))


def _draw_legend(canvas: Canvas, rows: list[list[tuple[str, str, str]]]) -> None:
    """The legend above the plot, each row centred on the figure."""
    row_height = round(1.3 * canvas.line_height(SMALL))
    for number, row in enumerate(rows):
        width = _legend_width(canvas, row)
        x = (canvas.width - width) / 2
        y = PAD + (number + 0.5) * row_height
        for kind, colour, label in row:
            if kind == "patch":
                canvas.rect(x, y - 0.35 * SMALL, x + _HANDLE, y + 0.35 * SMALL, colour)
            elif kind == "dash":
                dash = (_HANDLE - 2 * GAP) / 3
                for i in range(3):
                    start = x + i * (dash + GAP)
                    canvas.hline(y, start, start + dash, QUOTA_LINE, colour)
            else:  # a tick, as drawn at a cadre's own quota
                canvas.vline(x + _HANDLE / 2, y - 0.45 * SMALL, y + 0.45 * SMALL, OWN_TICK, colour)
            canvas.text((x + _HANDLE + _HANDLE_GAP, y), label, SMALL, anchor="lm")
            x += _HANDLE + _HANDLE_GAP + canvas.width_of(label, SMALL) + _ENTRY_GAP


def _bottom_margin(canvas: Canvas) -> int:
    """Room under the plot for the tick marks, the tick labels and the x axis label."""
    return LINE + TICK + 6 + canvas.line_height(TEXT) + 8 + canvas.line_height(TEXT) + PAD // 2


def _x_axis(canvas: Canvas, box: Box, ticks: list[int]) -> None:
    """Bottom spine, tick marks, Vietnamese-formatted tick labels, the axis label."""
    canvas.rect(box.left - LINE, box.bottom, box.right, box.bottom + LINE, INK)
    for value in ticks:
        x = box.x(value)
        canvas.vline(x, box.bottom, box.bottom + LINE + TICK, LINE, INK)
        canvas.text((x, box.bottom + LINE + TICK + 6), vf.number(value), anchor="mt")
    label_top = box.bottom + LINE + TICK + 6 + canvas.line_height(TEXT) + 8
    canvas.text(((box.left + box.right) / 2, label_top), "Số ngày đi cơ sở", anchor="mt")


def _quota_line(canvas: Canvas, box: Box, quota: float) -> None:
    if quota:
        canvas.vline(box.x(quota), box.top, box.bottom, QUOTA_LINE, QUOTA_COLOUR, dashed=True)


def _quota_entry(quota: float) -> list[tuple[str, str, str]]:
    return [("dash", QUOTA_COLOUR, f"Chỉ tiêu {vf.number(quota)} ngày")] if quota else []


# --- the two charts ----------------------------------------------------------

_NAME_GAP, _VALUE_GAP = 8, 8


def who(cadre: dict) -> tuple[str, str]:
    """A cadre's identity in the chart: the name and the Ban (two namesakes are two people)."""
    return cadre["name"], cadre.get("department", "")


def classes(summary: dict, cadres: list[dict]) -> tuple[set[tuple[str, str]], list[str]]:
    """Cadres (`who`) drawn in the first colour, and the legend's two labels: met / not met
    for a year run, on track / at risk (`progress.at_risk`) for a month or quarter run."""
    if summary.get("period", {}).get("kind") == "year":
        return {who(c) for c in cadres if c.get("met")}, ["Đạt chỉ tiêu", "Chưa đạt chỉ tiêu"]
    risky = {who(a) for a in summary.get("progress", {}).get("at_risk", [])}
    return {who(c) for c in cadres if who(c) not in risky}, ["Đúng tiến độ", "Chậm tiến độ"]


def _bars(summary: dict, cadres: list[dict]) -> Canvas:
    order = [d["department"] for d in summary.get("departments", [])]
    cadres = sorted(cadres, key=lambda c: order.index(c["department"]) if c.get("department") in order else len(order))
    quota = summary.get("quota", 0)
    good, kinds = classes(summary, cadres)
    days = [c.get("counted_days", 0) for c in cadres]
    own = [c.get("quota", quota) if c.get("quota", quota) != quota else None for c in cadres]
    canvas = Canvas(WIDTH, round(max(2.2, 0.27 * len(cadres) + 1.1) * DPI), chart_font())

    entries = [("patch", MET_COLOUR, kinds[0]), ("patch", SHORT_COLOUR, kinds[1]), *_quota_entry(quota)]
    if any(o is not None for o in own):
        entries.append(("tick", QUOTA_COLOUR, "Chỉ tiêu riêng"))
    legend = _legend_rows(canvas, entries)

    # Names are measured, never clipped: a long name shrinks the font (down to
    # 7 pt) before it may take more than 40% of the width.
    names = person_labels(cadres)
    name_size = TEXT
    name_width = max((canvas.width_of(n, name_size, "rm") for n in names), default=0)
    while name_size > round(7 * PT) and name_width > 0.4 * WIDTH:
        name_size -= 1
        name_width = max(canvas.width_of(n, name_size, "rm") for n in names)
    left = PAD + name_width + _NAME_GAP + TICK
    top = PAD + _legend_height(canvas, legend) + 24
    bottom = canvas.height - _bottom_margin(canvas)
    right = WIDTH - PAD - canvas.width_of(vf.number(max([quota, *days, 1]) * 1.1), TEXT, "mt") / 2

    # The x axis reaches 10% past the longest bar or the quota, and further if a
    # value label would otherwise run off the figure.
    limit = max([quota, *days, 1]) * 1.1
    span = right - left
    for value in days:
        room = WIDTH - PAD - left - _VALUE_GAP - canvas.width_of(vf.number(value), SMALL) - 3
        limit = max(limit, value * span / max(room, 1))
    ticks = x_ticks(canvas, span, limit)
    box = Box(left, top, right, bottom, limit)

    pitch = (bottom - top) / (len(cadres) + 0.4)
    centres = [top + (i + 0.7) * pitch for i in range(len(cadres))]
    half = 0.325 * min(pitch, 0.35 * DPI)  # half a bar: few cadres get no fat bars
    for value in ticks:
        if value:
            canvas.vline(box.x(value), top, bottom, LINE, GRID_COLOUR)
    for y, cadre, value in zip(centres, cadres, days):
        colour = MET_COLOUR if who(cadre) in good else SHORT_COLOUR
        canvas.rect(left, y - half, box.x(value), y + half, colour)
    for y, own_quota in zip(centres, own):
        if own_quota is not None:
            canvas.vline(box.x(own_quota), y - 1.3 * half, y + 1.3 * half, OWN_TICK, QUOTA_COLOUR)
    _quota_line(canvas, box, quota)
    for y, value in zip(centres, days):
        canvas.text((box.x(value) + _VALUE_GAP, y), vf.number(value), SMALL, anchor="lm", background="#ffffff")

    canvas.rect(left - LINE, top, left, bottom + LINE, INK)
    for y, name in zip(centres, names):
        canvas.hline(y, left - LINE - TICK, left, LINE, INK)
        canvas.text((left - LINE - TICK - _NAME_GAP, y), name, name_size, anchor="rm")
    _x_axis(canvas, box, ticks)
    _draw_legend(canvas, legend)
    return canvas


def _histogram(summary: dict, cadres: list[dict]) -> Canvas:
    """How many cadres reached how many days, in 5-day bins split as the bars are (`_classes`)."""
    quota = summary.get("quota", 0)
    good, kinds = classes(summary, cadres)
    days = [int(c.get("counted_days", 0)) for c in cadres]
    bins = max(days, default=0) // BIN_DAYS + 1
    met, short = [0] * bins, [0] * bins
    for value, cadre in zip(days, cadres):
        (met if who(cadre) in good else short)[value // BIN_DAYS] += 1
    canvas = Canvas(WIDTH, round(3.2 * DPI), chart_font())
    legend = _legend_rows(canvas, [("patch", MET_COLOUR, kinds[0]), ("patch", SHORT_COLOUR, kinds[1]),
                                   *_quota_entry(quota)])

    y_limit = max([m + s for m, s in zip(met, short)] + [1]) * 1.08
    y_ticks = nice_ticks(y_limit)
    label_width = max(canvas.width_of(vf.number(t), TEXT, "rm") for t in y_ticks)
    left = PAD + canvas.line_height(TEXT) + 12 + label_width + 8 + TICK
    top = PAD + _legend_height(canvas, legend) + 24
    bottom = canvas.height - _bottom_margin(canvas)
    x_limit = max(bins * BIN_DAYS, quota) * 1.04
    right = WIDTH - PAD - canvas.width_of(vf.number(x_limit), TEXT, "mt") / 2
    box = Box(left, top, right, bottom, x_limit, y_limit)

    for value in y_ticks:
        if value:
            canvas.hline(box.y(value), left, right, LINE, GRID_COLOUR)
    for number, (m, s) in enumerate(zip(met, short)):
        x0, x1 = box.x(number * BIN_DAYS) + 1, box.x((number + 1) * BIN_DAYS) - 1  # a white gap between bins
        canvas.rect(x0, box.y(m), x1, box.y(0), MET_COLOUR)
        canvas.rect(x0, box.y(m + s), x1, box.y(m), SHORT_COLOUR)
    _quota_line(canvas, box, quota)

    canvas.rect(left - LINE, top, left, bottom + LINE, INK)
    for value in y_ticks:
        y = box.y(value)
        canvas.hline(y, left - LINE - TICK, left, LINE, INK)
        canvas.text((left - LINE - TICK - 8, y), vf.number(value), anchor="rm")
    canvas.vertical_text((PAD + canvas.line_height(TEXT) / 2, (top + bottom) / 2), "Số cán bộ")
    _x_axis(canvas, box, x_ticks(canvas, right - left, x_limit))
    _draw_legend(canvas, legend)
    return canvas
