"""How a workbook sheet prints: A4 landscape, the header row on every page, text never
smaller than 10 pt.

A sheet narrow enough to fit one page wide at 84 % or more (12 pt text printed at
10 pt or more) is fitted to the width; a wider one prints at 84 % over as many pages
across as it needs, with the columns that say whose row it is (STT, Họ và tên …)
repeated on each (or, with none, the row numbers printed), and its text wraps in its
columns as on screen. A sheet grouped by
Ban starts each Ban on a new page. Pages are numbered in the footer.

Widths are Excel's: a column of width w (characters of the default font, Calibri 11:
7 pixels a character plus 5 of padding) is 7w + 5 pixels at 96 pixels an inch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..text.excel import col_letters

PAGE_WIDTH_IN = 11.69  # A4 landscape
MARGIN_SIDE_IN, MARGIN_TOP_IN, MARGIN_EDGE_IN = 0.4, 0.6, 0.3
PRINTABLE_IN = PAGE_WIDTH_IN - 2 * MARGIN_SIDE_IN
TEXT_PT, MIN_PRINTED_PT = 12, 10
# The smallest whole percentage that keeps TEXT_PT at MIN_PRINTED_PT or more: 84 (10.08 pt).
MIN_SCALE = -(-MIN_PRINTED_PT * 100 // TEXT_PT)
# A sheet is fitted to one page wide only when it fits at this scale: LibreOffice lays
# columns out a few percent wider than Excel's formula (measured on its PDF of the samples).
FIT_SCALE = MIN_SCALE + 4


def width_in(widths: Sequence[float]) -> float:
    """The printed width at 100 % of columns of these Excel widths."""
    return sum(int(w * 7 + 5) for w in widths) / 96


@dataclass(frozen=True)
class Printing:
    fit: bool  # fitted to one page wide (at MIN_SCALE or more)
    repeat_columns: str  # "$A:$B" repeated at the left of each page across, or ""
    breaks: tuple[int, ...]  # Excel rows after which a new page starts

    def sheet_pr(self) -> str:
        return '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if self.fit else ""

    def tail(self) -> str:
        """Everything after autoFilter, in the schema's order."""
        setup = ('fitToWidth="1" fitToHeight="0"' if self.fit else f'scale="{MIN_SCALE}"')
        breaks = ""
        if self.breaks:
            breaks = (f'<rowBreaks count="{len(self.breaks)}" manualBreakCount="{len(self.breaks)}">'
                      + "".join(f'<brk id="{r}" max="16383" man="1"/>' for r in self.breaks) + "</rowBreaks>")
        # across several pages with no column repeated, Excel's row numbers tie the pages together
        headings = '<printOptions headings="1"/>' if not self.fit and not self.repeat_columns else ""
        return (f'{headings}<pageMargins left="{MARGIN_SIDE_IN}" right="{MARGIN_SIDE_IN}" top="{MARGIN_TOP_IN}" '
                f'bottom="{MARGIN_TOP_IN}" header="{MARGIN_EDGE_IN}" footer="{MARGIN_EDGE_IN}"/>'
                f'<pageSetup paperSize="9" orientation="landscape" {setup}/>'
                '<headerFooter><oddFooter>&amp;L&amp;"Times New Roman"&amp;10&amp;A'
                '&amp;R&amp;"Times New Roman"&amp;10Trang &amp;P/&amp;N</oddFooter></headerFooter>'
                f"{breaks}</worksheet>")


def printing(widths: Sequence[float], repeat: int = 0, group: Sequence[Any] | None = None) -> Printing:
    """The print setup of a sheet with these column widths; `repeat` leading columns say whose
    row it is; `group` (one value per body row, e.g. its Ban) starts a new page when it changes."""
    fit = width_in(widths) * FIT_SCALE / 100 <= PRINTABLE_IN
    columns = f"${col_letters(0)}:${col_letters(repeat - 1)}" if repeat and not fit else ""
    breaks: list[int] = []
    if group is not None:
        for i in range(1, len(group)):
            if group[i] != group[i - 1]:
                breaks.append(i + 1)  # body row i is Excel row i + 2: break after row i + 1
    return Printing(fit, columns, tuple(breaks))
