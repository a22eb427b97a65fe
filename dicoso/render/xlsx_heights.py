"""Row heights of the workbooks: each row as tall as its wrapped text needs.

Neither Excel nor LibreOffice fits a row to its wrapped text on opening a file: without
a height each row shows (and prints) one line and long texts run over the rows below.
Each row gets the height of its cell needing the most lines at its column's width, the
header row too (render_xlsx writes them).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from itertools import repeat
from typing import Any

import numpy as np

# Widths are in pixels at 96 dpi: a column width unit is a digit of the
# default font (Calibri 11, 7 px), Times New Roman 12 is 16 px to the em.
_UNIT_PX, _EM_PX, _CELL_MARGIN_PX = 7, 16, 6
_LINE_PT, _ROW_PAD_PT = 15.75, 1.5  # Excel's line of Times New Roman 12; a little room below
MAX_LINES = 25  # 25 lines is 395.25 pt: Excel's tallest row is 409.5 pt
# Times New Roman's advance widths (1/1000 em; Liberation Serif has the same) of the
# characters narrower than 1 em, regular and bold. A Vietnamese letter is as wide as its
# base letter, or a little wider with a horn (ơ, ư).
_TNR = {180: "'", 200: "|", 250: " ,.", 278: "/:;\\ijlt", 333: "!()-I[]`fr\u2018\u2019", 389: "Js", 408: '"',
        444: "?acez\u201c\u201d", 480: "^{}", 500: "#$*0123456789_bdghknopquvxy\u2013", 541: "~", 556: "FPS",
        564: "+<=>", 611: "ELTZ", 667: "BCR", 722: "ADGHKNOQUVXYw", 778: "&m", 833: "%", 889: "M", 921: "@",
        944: "W"}
_TNR_BOLD = {220: "|", 250: " ,.", 278: "'/\\il", 333: "!()-:;[]`fjt\u2018\u2019", 389: "Is", 394: "{}",
             444: "cerz", 500: "#$*0123456789?J_agovxy\u201c\u201d\u2013", 520: "~", 556: '"Sbdhknpqu',
             570: "+<=>", 581: "^", 611: "FP", 667: "BELTZ", 722: "ACDNRUVXYw", 778: "GHKOQ", 833: "&m", 930: "@",
             944: "M", 1000: "%W"}
_HORN = 60
# A column of more distinct texts than MEASURED_MAX (a national roll-up's problem messages,
# order numbers) counts characters instead of measuring words (~20x faster): 8.2 px a
# character (11.6 in a sentence in capitals) and 8 px a line lost to wrapping. Over the
# 207,000 distinct texts of a national roll-up and 18,000 of them in capitals, that gave as
# many lines as the measured text needs or, for a third of them, one more; never fewer.
MEASURED_MAX = 5_000
_CHAR_PX, _CAPS_PX, _WRAP_LOSS_PX = 8.2, 11.6, 8


class _Widths(dict):
    """Pixel width of each character of Times New Roman 12, looked up once."""

    def __init__(self, classes: dict[int, str]) -> None:
        super().__init__((c, w * _EM_PX / 1000) for w, chars in classes.items() for c in chars)

    def __missing__(self, char: str) -> float:
        base = unicodedata.normalize("NFD", char)
        if base[0] in self:  # a letter with diacritics: its base letter's width
            width = self[base[0]] + (_HORN * _EM_PX / 1000 if "\u031b" in base else 0)
        else:  # đ and Đ do not decompose; anything else unknown: 1 em
            width = {"\u0111": self["d"], "\u0110": self["D"]}.get(char, _EM_PX)
        self[char] = width
        return width


_WIDTHS, _BOLD_WIDTHS = _Widths(_TNR), _Widths(_TNR_BOLD)


class _Words(dict):
    """Pixel width of each word, measured once (names, places and file names repeat words)."""

    def __init__(self, widths: _Widths) -> None:
        super().__init__()
        self.widths = widths

    def __missing__(self, word: str) -> float:
        width = self[word] = sum(map(self.widths.__getitem__, word))
        return width


def _measured_lines(text: str, room: float, words: _Words) -> int:
    """Lines of `text` wrapped at spaces in `room` px (a word longer than a line is broken)."""
    space, lines = words[" "], 0
    for para in text.split("\n"):
        lines, used = lines + 1, 0.0
        for word in para.split(" "):
            width = words[word]
            if not used:
                used = width
            elif used + space + width <= room:
                used += space + width
            else:
                lines, used = lines + 1, width
            while used > room:
                lines, used = lines + 1, used - room
            if lines >= MAX_LINES:
                return MAX_LINES
    return lines


def text_lines(texts: list[str], width: float, bold: bool = False) -> list[int]:
    """Lines each text needs in a column `width` units wide (at most MAX_LINES), measured
    word by word with 3% to spare (the screen's and the printer's fonts differ a little)."""
    room = _UNIT_PX * width - _CELL_MARGIN_PX
    one_line, words = room / _EM_PX, _Words(_BOLD_WIDTHS if bold else _WIDTHS)  # no character is over 1 em
    return [_measured_lines(t, room / 1.03, words) if len(t) > one_line or "\n" in t else 1 for t in texts]


def _counted_px(value: Any) -> float:
    """A text's width counted by characters; -1 when it has line breaks, 0 for a non-text."""
    if not isinstance(value, str):
        return 0.0
    if "\n" in value:
        return -1.0
    return len(value) * (_CAPS_PX if value.isupper() and " " in value else _CHAR_PX)


def counted_lines(values: Sequence[Any], width: float) -> np.ndarray:
    """Lines each value of a column of many distinct texts needs, counting characters."""
    room = max(1.0, _UNIT_PX * width - _CELL_MARGIN_PX - _WRAP_LOSS_PX)
    px = np.fromiter(map(_counted_px, values), float, len(values))
    lines = np.ceil(px / room).astype(np.intp)
    for i in np.flatnonzero(px < 0).tolist():  # line breaks: each paragraph on lines of its own
        per_char = _counted_px(values[i].replace("\n", " ")) / len(values[i])  # capitals or not
        lines[i] = sum(max(1, math.ceil(len(p) * per_char / room)) for p in values[i].split("\n"))
    return np.clip(lines, 1, MAX_LINES)


def row_lines(rows: int, counted: list[np.ndarray],
               measured: list[tuple[Sequence[Any], dict[str, int]]]) -> np.ndarray | None:
    """Lines each row needs (its tallest cell's) from the counted_lines of some columns and
    the values of others with their texts over one line; None when all fit on one line.
    Measured columns go tallest first, and one that cannot raise any row is skipped (in a
    national roll-up most rows of the trips sheet are two lines tall after the file names)."""
    lines = None
    for need in counted:
        lines = need if lines is None else np.maximum(lines, need, out=lines)
    for values, table in sorted(measured, key=lambda c: -max(c[1].values())):
        if lines is None or max(table.values()) > lines.min():
            need = np.fromiter(map(table.get, values, repeat(1)), np.intp, rows)
            lines = need if lines is None else np.maximum(lines, need, out=lines)
    return lines


def height(lines: int) -> str:
    """A row's height attributes (customHeight: else LibreOffice sizes the row to one line)."""
    return f' ht="{_LINE_PT * lines + _ROW_PAD_PT:g}" customHeight="1"'


# What follows a body row's number, by the lines it needs, up to its first cell's number.
ROW_OPENS = [f'"{height(n)}><c r="A' for n in range(MAX_LINES + 1)]
