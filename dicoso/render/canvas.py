"""A chart's drawing surface: Pillow, a font with Vietnamese glyphs, whole-pixel shapes.

These charts are only axis-aligned rectangles, lines and text, so Pillow draws them in
milliseconds: shapes are snapped to whole pixels (crisp edges, nothing slanted to
antialias) and FreeType antialiases the text. Sizes follow a 6-inch figure at 200 dpi,
fonts of 10 and 9 points.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..text import vn as vf


def font_candidates(environ: Mapping[str, str] | None = None, platform: str = sys.platform,
                    home: Path | None = None) -> list[str]:
    """Fonts with Vietnamese glyphs, by path (no font cache lookups, no network), best first:
    Times New Roman (the report's font) where Windows, macOS and Linux keep it, then Liberation
    Serif (metric-compatible with it), then DejaVu Serif."""
    env = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    if platform == "win32":
        windir = env.get("WINDIR") or env.get("SystemRoot") or "C:/Windows"
        tnr = [Path(windir) / "Fonts" / "times.ttf"]
        if env.get("LOCALAPPDATA"):  # fonts installed for one user only (Windows 10 1809 and later)
            tnr.append(Path(env["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts" / "times.ttf")
    elif platform == "darwin":
        tnr = [Path("/System/Library/Fonts/Supplemental/Times New Roman.ttf"),  # macOS 10.15 and later
               Path("/Library/Fonts/Times New Roman.ttf"), home / "Library" / "Fonts" / "Times New Roman.ttf"]
    else:  # Debian/Ubuntu ttf-mscorefonts, Fedora msttcore, Arch, per-user folders
        tnr = [Path("/usr/share/fonts/truetype/msttcorefonts") / n for n in ("Times_New_Roman.ttf", "times.ttf")]
        tnr += [Path("/usr/share/fonts/msttcore/times.ttf"), Path("/usr/share/fonts/TTF/times.ttf"),
                home / ".local" / "share" / "fonts" / "times.ttf", home / ".fonts" / "times.ttf"]
    others = [Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
              Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
              Path("/usr/share/fonts/liberation-serif/LiberationSerif-Regular.ttf"),
              Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")]
    return [str(p) for p in tnr + others]


FONT_CANDIDATES = font_candidates()
# Fonts the chart may use without a note: Times New Roman and its metric twin
LIKE_THE_REPORT = ("times", "liberationserif")
# Shipped inside the package so that the chart has Vietnamese glyphs on any
# machine (DejaVu fonts licence: fonts/LICENSE_DEJAVU).
BUNDLED_FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"
MET_COLOUR, SHORT_COLOUR, QUOTA_COLOUR = "#2e6da4", "#c9302c", "#333333"
INK, GRID_COLOUR = "#000000", "#dddddd"
DPI = 200
WIDTH = 6 * DPI  # 6 inches: the chart sits in the report at about 1:1 scale
PT = DPI / 72  # pixels per typographic point
TEXT, SMALL = round(10 * PT), round(9 * PT)  # axis texts, legend and value labels
DASH, GAP = 12, 5  # dashed lines


def chart_font() -> str:
    """The path of the font the chart is drawn in: the first of FONT_CANDIDATES
    that exists, else DejaVu Sans shipped in the package."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return str(BUNDLED_FONT)


def font_note(path: str) -> str | None:
    """A Vietnamese note when the chart is not drawn in Times New Roman (or its metric twin)."""
    key = Path(path).stem.lower().replace(" ", "").replace("_", "").replace("-regular", "")
    if key.startswith(LIKE_THE_REPORT):
        return None
    name = {"dejavuserif": "DejaVu Serif", "dejavusans": "DejaVu Sans"}.get(key, Path(path).stem)
    return (f"Máy không có phông Times New Roman nên biểu đồ được vẽ bằng phông {name}; cài phông Times New Roman "
            "để biểu đồ cùng phông với báo cáo.")


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
def has_glyph(path: str, char: str) -> bool:
    """True unless the font draws `char` as its "missing glyph" box."""
    font = _font(path, TEXT)
    return char.isspace() or _glyph(font, char) != _glyph(font, "\U0010fffd")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


class Canvas:
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
        left, _, right, _ = _bbox(self.font_path, size, nfc(text), anchor)
        return right - left

    def line_height(self, size: int) -> int:
        ascent, descent = self.font(size).getmetrics()
        return ascent + descent

    def text(self, xy: tuple[float, float], text: str, size: int = TEXT, anchor: str = "la",
             background: str | None = None) -> None:
        text, font = nfc(text), self.font(size)
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

        text, font = nfc(text), self.font(size)
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
            if not has_glyph(self.font_path, char):
                self.missing.add(char)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", str(text))


def _dashes(start: float, end: float) -> list[tuple[float, float]]:
    out, at = [], start
    while at < end:
        out.append((at, min(at + DASH, end)))
        at += DASH + GAP
    return out


def nice_ticks(limit: float, most: int = 8) -> list[int]:
    """Whole-number ticks 0, step, 2 step ... up to `limit`, step 1, 2 or 5 times a
    power of ten: the smallest that gives at most `most` intervals."""
    scale = 1
    while True:
        for base in (1, 2, 5):
            step = base * scale
            if limit / step <= max(most, 1):
                return list(range(0, int(limit) + 1, step))
        scale *= 10


def x_ticks(canvas: Canvas, span: float, limit: float) -> list[int]:
    """Nice ticks for an x axis `span` pixels long, their labels well apart."""
    widest = canvas.width_of(vf.number(limit), TEXT, "mt")
    return nice_ticks(limit, most=min(8, int(span // (widest + 30))))


class Box:
    """The plot area in pixels and the data value at its right (x) and top (y) edges."""

    def __init__(self, left: float, top: float, right: float, bottom: float, x_limit: float,
                 y_limit: float = 1.0) -> None:
        self.left, self.top, self.right, self.bottom = left, top, right, bottom
        self.x_limit, self.y_limit = x_limit, y_limit

    def x(self, value: float) -> float:
        return self.left + value / self.x_limit * (self.right - self.left)

    def y(self, value: float) -> float:
        return self.bottom - value / self.y_limit * (self.bottom - self.top)
