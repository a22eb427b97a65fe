"""A sheet typed in a legacy font (TCVN3 / .VnTime, VNI) read as its Unicode twin.

Old books are typed entirely in an 8-bit font: title, header row, Cấp, places, content,
dates written as text, the footer and the sheet's name. The encoding is decided once
per sheet from a sample of its distinct texts (`legacy.sheet_encoding`); a legacy
sheet then has every text cell rewritten (`legacy.repair_in`, once per distinct text)
before anything looks for its header, so the rest of the reader sees Unicode. A
Unicode sheet is left as it is: a stray legacy cell in it (a name pasted from an old
book) is repaired cell by cell where the reader uses it.

The sheet's name keeps its raw form in every message (it is what the tab shows);
`meaning` is the name as the clerk meant it, for recognising a "Mẫu" or "Tổng hợp" sheet
and for the quarter or year it names.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..model import Issue
from ..text.excel import col_letters
from ..text.legacy import could_be_legacy, repair_in, repair_text, sheet_encoding
from .book import RawSheet

SAMPLE_ROWS = 200  # rows below the header area that vote with it on the sheet's encoding
ENCODING_NAMES = {"tcvn3": "TCVN3 (.VnTime, ABC)", "vni": "VNI (VNI-Times)"}


@dataclass
class LegacySheet:
    sheet: RawSheet  # rows rewritten in Unicode when the sheet is legacy
    meaning: str  # the sheet's name in Unicode
    encoding: str | None = None  # "tcvn3", "vni" or None (Unicode)
    converted: int = 0  # text cells rewritten
    example: tuple[int, int, str, str] | None = None  # first (row, col, raw, text), 0-based


def sample_texts(sheet: RawSheet, search_rows: int) -> Iterator[str]:
    """The distinct non-ASCII texts of the sheet's name and first rows, in order: lazily, since
    a Unicode sheet is settled by its first few dozen (`legacy.sheet_encoding`)."""
    seen: set[str] = set()
    for text in itertools.chain((sheet.name,), *sheet.rows[: search_rows + SAMPLE_ROWS]):
        if text.__class__ is str and text not in seen and not text.isascii():
            seen.add(text)
            yield text


def read_legacy(sheet: RawSheet, search_rows: int) -> LegacySheet:
    encoding = sheet_encoding(sample_texts(sheet, search_rows))
    meaning = repair_in(sheet.name, encoding)[0] if not sheet.name.isascii() else sheet.name
    if encoding is None:
        return LegacySheet(sheet, meaning)
    done: dict[str, tuple[str, str]] = {}
    rows: list[list[Any]] = []
    converted, example = 0, None
    for r, row in enumerate(sheet.rows):
        new = None
        for c, v in enumerate(row):
            if v.__class__ is str and not v.isascii():
                text, status = done.get(v) or done.setdefault(v, repair_in(v, encoding))
                if status in ("tcvn3", "vni"):
                    if new is None:
                        new = list(row)
                    new[c] = text
                    converted += 1
                    example = example or (r, c, v, text)
        rows.append(new if new is not None else row)
    return LegacySheet(replace(sheet, rows=rows), meaning, encoding, converted, example)


def legacy_note(file: str, legacy: LegacySheet) -> Issue | None:
    """One note per legacy sheet: which encoding, how many cells, an example."""
    if legacy.encoding is None or not legacy.converted:
        return None
    shown = ""
    if legacy.example:
        r, c, raw, text = legacy.example
        shown = f' (ví dụ ô {col_letters(c)}{r + 1}: "{raw}" → "{text}")'
    name = legacy.sheet.name
    renamed = f' Tên trang "{name}" được hiểu là "{legacy.meaning}".' if legacy.meaning != name else ""
    return Issue(
        "legacy_encoding_converted", "info",
        f"Trang được gõ bằng bảng mã {ENCODING_NAMES[legacy.encoding]}; chương trình đã đọc "
        f"{legacy.converted} ô chữ sang Unicode{shown}.{renamed}",
        file, name, None, "",
        "Không cần sửa để chạy báo cáo. Khi có dịp, nên chuyển sổ sang Unicode (Unikey: Công cụ chuyển mã, "
        "từ TCVN3 hoặc VNI sang Unicode) và dùng phông Times New Roman.",
    )


def repaired(value: Any) -> Any:
    """A cell of a Unicode sheet with a stray legacy text repaired (other values as they are)."""
    if value.__class__ is str and not value.isascii() and could_be_legacy(value):
        text, status = repair_text(value)
        if status in ("tcvn3", "vni"):
            return text
    return value
