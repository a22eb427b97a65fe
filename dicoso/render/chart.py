"""Days per cadre against the quota, drawn with Pillow in a font with Vietnamese glyphs.

Matplotlib cost ~0.5 s a run to import and draw. These charts are only
axis-aligned rectangles, lines and text, so Pillow draws them in milliseconds:
shapes are snapped to whole pixels (crisp edges, nothing slanted to antialias)
and FreeType antialiases the text. Sizes follow the old matplotlib figure:
6 inches wide at 200 dpi, fonts of 10 and 9 points.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..text import vn as vf

# Fonts that carry Vietnamese glyphs, by path (no font cache lookups by name, no
# network). Liberation Serif is metric-compatible with Times New Roman.
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/liberation-serif/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "C:/Windows/Fonts/times.ttf",
    "/Library/Fonts/Times New Roman.ttf",
]
# Shipped inside the package so that the chart has Vietnamese glyphs on any
# machine (DejaVu fonts licence: fonts/LICENSE_DEJAVU).
BUNDLED_FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"
MET_COLOUR, SHORT_COLOUR, QUOTA_COLOUR = "#2e6da4", "#c9302c", "#333333"
# Above this many cadres (a national roll-up) one bar per cadre is unreadable and
# the image would be huge: the chart becomes a histogram of days per cadre.
MAX_BARS = 40

DPI = 200
WIDTH = 6 * DPI  # 6 inches: the chart sits in the report at about 1:1 scale
PT = DPI / 72  # pixels per typographic point
TEXT, SMALL = round(10 * PT), round(9 * PT)  # axis texts, legend and value labels
PAD = 20  # blank border around the figure
TICK = round(3.5 * PT)  # tick mark length
LINE = 2  # spines, tick marks and grid lines
QUOTA_LINE, DASH, GAP = round(1.2 * PT), 12, 5  # the dashed quota line
OWN_TICK = round(2 * PT)  # a cadre's own quota
INK, GRID_COLOUR = "#000000", "#dddddd"
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


def chart_font() -> str:
    """The path of the font the chart is drawn in: the first of FONT_CANDIDATES
    that exists, else DejaVu Sans shipped in the package."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return str(BUNDLED_FONT)


def days_chart(summary: dict, out_png: Path) -> Path:
    """Horizontal bars, one per cadre grouped by Ban, against the quota line.

    Year runs colour the bars by met / not met; month and quarter runs by on
    track / at risk (`progress.at_risk`). A cadre whose own quota differs from
    the rule set's (prorated for part of the year) gets a tick at that quota.
    Above MAX_BARS cadres: a histogram of days per cadre instead. The PNG has no
    timestamp, so the same summary gives the same bytes.
    """
    out_png = Path(out_png)
    _render(summary).image.save(out_png, format="PNG", optimize=False, dpi=(DPI, DPI))
    return out_png


def _render(summary: dict) -> _Canvas:
    cadres = _charted(summary)
    if len(cadres) > MAX_BARS:
        return _histogram(summary, cadres)
    return _bars(summary, cadres)


# --- drawing primitives ------------------------------------------------------


@lru_cache(maxsize=None)
def _font(path: str, size: int) -> Any:
    from PIL import ImageFont

    # BASIC layout: the same on every machine, whether or not libraqm is there;
    # texts are NFC-normalised, so every Vietnamese letter is one glyph.
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=4096)
def _bbox(path: str, size: int, text: str, anchor: str) -> tuple[int, int, int, int]:
    """The box of `text` around its anchor point: texts are measured once, then drawn."""
    return _font(path, size).getbbox(text, anchor=anchor)


def _glyph(font: Any, char: str) -> tuple:
    mask = font.getmask(char)
    return mask.size, mask.histogram()


@lru_cache(maxsize=None)
def _has_glyph(path: str, char: str) -> bool:
    """True unless the font draws `char` as its "missing glyph" box."""
    font = _font(path, TEXT)
    return char.isspace() or _glyph(font, char) != _glyph(font, "\U0010fffd")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


class _Canvas:
    """A white image and every text drawn on it, with its box (for tests).

    A palette image: indices 0..n-1 are a linear ramp from black to white and
    the last ones the chart's non-grey colours. Black text on white then blends
    along the ramp, so FreeType's antialiasing survives, and the PNG encodes
    three times faster and smaller than RGB. Text is only ever drawn on white.
    """

    # Plain classes, not dataclasses: importing dataclasses (and inspect) and
    # building the class cost ~10 ms, a sixth of the chart's budget.
    def __init__(self, width: int, height: int, font_path: str) -> None:
        from PIL import Image, ImageDraw

        self.width, self.height, self.font_path = width, height, font_path
        self.texts: list[tuple[str, tuple[int, int, int, int]]] = []
        self.missing: set[str] = set()  # characters the font has no glyph for (drawn as boxes)

        colours = (MET_COLOUR, SHORT_COLOUR, QUOTA_COLOUR, GRID_COLOUR, INK)
        spot = sorted({c.lower() for c in colours if len(set(_rgb(c))) > 1})
        self._greys = 256 - len(spot)
        self._spot = {c: self._greys + i for i, c in enumerate(spot)}
        palette = [round(k * 255 / (self._greys - 1)) for k in range(self._greys) for _ in range(3)]
        for colour in spot:
            palette.extend(_rgb(colour))
        self.image = Image.new("P", (self.width, self.height), self.ink("#ffffff"))
        self.image.putpalette(palette)
        self.draw = ImageDraw.Draw(self.image)
        self.draw.fontmode = "L"  # antialiased text on a palette image

    def ink(self, colour: str) -> int:
        """The palette index of a colour of the chart, or of the nearest grey."""
        if colour.lower() in self._spot:
            return self._spot[colour.lower()]
        return round(sum(_rgb(colour)) / 3 * (self._greys - 1) / 255)

    def font(self, size: int) -> Any:
        return _font(self.font_path, size)

    def width_of(self, text: str, size: int, anchor: str = "lm") -> int:
        """Width in pixels; pass the anchor the text will be drawn with to measure it once."""
        left, _, right, _ = _bbox(self.font_path, size, _nfc(text), anchor)
        return right - left

    def line_height(self, size: int) -> int:
        ascent, descent = self.font(size).getmetrics()
        return ascent + descent

    def text(self, xy: tuple[float, float], text: str, size: int = TEXT, anchor: str = "la",
             background: str | None = None) -> None:
        text, font = _nfc(text), self.font(size)
        self._check_glyphs(text)
        xy = (round(xy[0]), round(xy[1]))
        left, top, right, bottom = _bbox(self.font_path, size, text, anchor)
        box = (xy[0] + left, xy[1] + top, xy[0] + right, xy[1] + bottom)
        if background:
            self.draw.rectangle((box[0] - 3, box[1] - 2, box[2] + 2, box[3] + 1), fill=self.ink(background))
        self.draw.text(xy, text, font=font, anchor=anchor, fill=self.ink(INK))
        self.texts.append((text, box))

    def vertical_text(self, centre: tuple[float, float], text: str, size: int = TEXT) -> None:
        """Text read bottom to top (a y axis label), centred on `centre`."""
        from PIL import Image, ImageDraw

        text, font = _nfc(text), self.font(size)
        self._check_glyphs(text)
        left, top, right, bottom = font.getbbox(text, anchor="ls")
        mask = Image.new("L", (right - left, bottom - top))
        ImageDraw.Draw(mask).text((-left, -top), text, font=font, anchor="ls", fill=255)
        mask = mask.transpose(Image.Transpose.ROTATE_90)
        x, y = round(centre[0] - mask.width / 2), round(centre[1] - mask.height / 2)
        box = (x, y, x + mask.width, y + mask.height)
        self.image.paste(self.ink(INK), box, mask)
        self.texts.append((text, box))

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: str) -> None:
        """A filled rectangle from (x0, y0) up to, not including, (x1, y1), snapped to pixels."""
        x0, y0, x1, y1 = round(x0), round(y0), round(x1), round(y1)
        if x1 > x0 and y1 > y0:
            self.draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=self.ink(fill))

    def vline(self, x: float, y0: float, y1: float, width: int, fill: str, dashed: bool = False) -> None:
        left = round(x - width / 2)
        for a, b in _dashes(y0, y1) if dashed else [(y0, y1)]:
            self.rect(left, a, left + width, b, fill)

    def hline(self, y: float, x0: float, x1: float, width: int, fill: str) -> None:
        top = round(y - width / 2)
        self.rect(x0, top, x1, top + width, fill)

    def _check_glyphs(self, text: str) -> None:
        for char in sorted({c for c in text if ord(c) > 127}):
            if not _has_glyph(self.font_path, char):
                self.missing.add(char)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", str(text))


def _dashes(start: float, end: float) -> list[tuple[float, float]]:
    out, at = [], start
    while at < end:
        out.append((at, min(at + DASH, end)))
        at += DASH + GAP
    return out


def _nice_ticks(limit: float, most: int = 8) -> list[int]:
    """Whole-number ticks 0, step, 2 step ... up to `limit`, step 1, 2 or 5 times a
    power of ten: the smallest that gives at most `most` intervals."""
    scale = 1
    while True:
        for base in (1, 2, 5):
            step = base * scale
            if limit / step <= max(most, 1):
                return list(range(0, int(limit) + 1, step))
        scale *= 10


def _x_ticks(canvas: _Canvas, span: float, limit: float) -> list[int]:
    """Nice ticks for an x axis `span` pixels long, their labels well apart."""
    widest = canvas.width_of(vf.number(limit), TEXT, "mt")
    return _nice_ticks(limit, most=min(8, int(span // (widest + 30))))


class _Box:
    """The plot area in pixels and the data value at its right (x) and top (y) edges."""

    def __init__(self, left: float, top: float, right: float, bottom: float, x_limit: float,
                 y_limit: float = 1.0) -> None:
        self.left, self.top, self.right, self.bottom = left, top, right, bottom
        self.x_limit, self.y_limit = x_limit, y_limit

    def x(self, value: float) -> float:
        return self.left + value / self.x_limit * (self.right - self.left)

    def y(self, value: float) -> float:
        return self.bottom - value / self.y_limit * (self.bottom - self.top)


# --- parts shared by both charts ---------------------------------------------

_HANDLE, _HANDLE_GAP, _ENTRY_GAP = round(1.5 * SMALL), 12, 40


def _legend_rows(canvas: _Canvas, entries: list[tuple[str, str, str]]) -> list[list[tuple[str, str, str]]]:
    """Entries (kind, colour, label) in rows no wider than the figure."""
    rows: list[list[tuple[str, str, str]]] = [[]]
    for entry in entries:
        if rows[-1] and _legend_width(canvas, [*rows[-1], entry]) > canvas.width - 2 * PAD:
            rows.append([])
        rows[-1].append(entry)
    return rows


def _legend_width(canvas: _Canvas, row: list[tuple[str, str, str]]) -> int:
    widths = [_HANDLE + _HANDLE_GAP + canvas.width_of(label, SMALL) for _, _, label in row]
    return sum(widths) + _ENTRY_GAP * (len(row) - 1)


def _legend_height(canvas: _Canvas, rows: list) -> int:
    return len(rows) * round(1.3 * canvas.line_height(SMALL))


def _draw_legend(canvas: _Canvas, rows: list[list[tuple[str, str, str]]]) -> None:
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


def _bottom_margin(canvas: _Canvas) -> int:
    """Room under the plot for the tick marks, the tick labels and the x axis label."""
    return LINE + TICK + 6 + canvas.line_height(TEXT) + 8 + canvas.line_height(TEXT) + PAD // 2


def _x_axis(canvas: _Canvas, box: _Box, ticks: list[int]) -> None:
    """Bottom spine, tick marks, Vietnamese-formatted tick labels, the axis label."""
    canvas.rect(box.left - LINE, box.bottom, box.right, box.bottom + LINE, INK)
    for value in ticks:
        x = box.x(value)
        canvas.vline(x, box.bottom, box.bottom + LINE + TICK, LINE, INK)
        canvas.text((x, box.bottom + LINE + TICK + 6), vf.number(value), anchor="mt")
    label_top = box.bottom + LINE + TICK + 6 + canvas.line_height(TEXT) + 8
    canvas.text(((box.left + box.right) / 2, label_top), "Số ngày đi cơ sở", anchor="mt")


def _quota_line(canvas: _Canvas, box: _Box, quota: float) -> None:
    if quota:
        canvas.vline(box.x(quota), box.top, box.bottom, QUOTA_LINE, QUOTA_COLOUR, dashed=True)


def _quota_entry(quota: float) -> list[tuple[str, str, str]]:
    return [("dash", QUOTA_COLOUR, f"Chỉ tiêu {vf.number(quota)} ngày")] if quota else []


# --- the two charts ----------------------------------------------------------

_NAME_GAP, _VALUE_GAP = 8, 8


def _classes(summary: dict, cadres: list[dict]) -> tuple[set[str], list[str]]:
    """Names drawn in the first colour, and the legend's two labels: met / not met for a
    year run, on track / at risk (`progress.at_risk`) for a month or quarter run."""
    if summary.get("period", {}).get("kind") == "year":
        return {c["name"] for c in cadres if c.get("met")}, ["Đạt chỉ tiêu", "Chưa đạt chỉ tiêu"]
    risky = {a["name"] for a in summary.get("progress", {}).get("at_risk", [])}
    return {c["name"] for c in cadres if c["name"] not in risky}, ["Đúng tiến độ", "Chậm tiến độ"]


def _bars(summary: dict, cadres: list[dict]) -> _Canvas:
    order = [d["department"] for d in summary.get("departments", [])]
    cadres = sorted(cadres, key=lambda c: order.index(c["department"]) if c.get("department") in order else len(order))
    quota = summary.get("quota", 0)
    good, kinds = _classes(summary, cadres)
    days = [c.get("counted_days", 0) for c in cadres]
    own = [c.get("quota", quota) if c.get("quota", quota) != quota else None for c in cadres]
    canvas = _Canvas(WIDTH, round(max(2.2, 0.27 * len(cadres) + 1.1) * DPI), chart_font())

    entries = [("patch", MET_COLOUR, kinds[0]), ("patch", SHORT_COLOUR, kinds[1]), *_quota_entry(quota)]
    if any(o is not None for o in own):
        entries.append(("tick", QUOTA_COLOUR, "Chỉ tiêu riêng"))
    legend = _legend_rows(canvas, entries)

    # Names are measured, never clipped: a long name shrinks the font (down to
    # 7 pt) before it may take more than 40% of the width.
    names = [c["name"] for c in cadres]
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
    ticks = _x_ticks(canvas, span, limit)
    box = _Box(left, top, right, bottom, limit)

    pitch = (bottom - top) / (len(cadres) + 0.4)
    centres = [top + (i + 0.7) * pitch for i in range(len(cadres))]
    half = 0.325 * min(pitch, 0.35 * DPI)  # half a bar: few cadres get no fat bars
    for value in ticks:
        if value:
            canvas.vline(box.x(value), top, bottom, LINE, GRID_COLOUR)
    for y, cadre, value in zip(centres, cadres, days):
        colour = MET_COLOUR if cadre["name"] in good else SHORT_COLOUR
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


def _histogram(summary: dict, cadres: list[dict]) -> _Canvas:
    """How many cadres reached how many days, in 5-day bins split as the bars are (`_classes`)."""
    quota = summary.get("quota", 0)
    good, kinds = _classes(summary, cadres)
    days = [int(c.get("counted_days", 0)) for c in cadres]
    bins = max(days, default=0) // BIN_DAYS + 1
    met, short = [0] * bins, [0] * bins
    for value, cadre in zip(days, cadres):
        (met if cadre["name"] in good else short)[value // BIN_DAYS] += 1
    canvas = _Canvas(WIDTH, round(3.2 * DPI), chart_font())
    legend = _legend_rows(canvas, [("patch", MET_COLOUR, kinds[0]), ("patch", SHORT_COLOUR, kinds[1]),
                                   *_quota_entry(quota)])

    y_limit = max([m + s for m, s in zip(met, short)] + [1]) * 1.08
    y_ticks = _nice_ticks(y_limit)
    label_width = max(canvas.width_of(vf.number(t), TEXT, "rm") for t in y_ticks)
    left = PAD + canvas.line_height(TEXT) + 12 + label_width + 8 + TICK
    top = PAD + _legend_height(canvas, legend) + 24
    bottom = canvas.height - _bottom_margin(canvas)
    x_limit = max(bins * BIN_DAYS, quota) * 1.04
    right = WIDTH - PAD - canvas.width_of(vf.number(x_limit), TEXT, "mt") / 2
    box = _Box(left, top, right, bottom, x_limit, y_limit)

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
    _x_axis(canvas, box, _x_ticks(canvas, right - left, x_limit))
    _draw_legend(canvas, legend)
    return canvas
