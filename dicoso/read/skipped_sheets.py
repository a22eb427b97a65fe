"""Sheets that are not part of the register (shared/domain.md): hidden sheets and templates.

- A hidden sheet is not read. When it holds anything, a warning names it and says how
  to include it (unhide it): a hidden "T5" with real trips must not vanish unnoticed.
- A sheet named like a template ("Mẫu", "Mau", "Biểu mẫu", "Template", "Sample"), hidden
  or not, is not read either; when it holds rows under its header, a note says so (its
  rows are the form's examples or last year's, and a monthly book copied from a
  template carries one every month: a warning each time would only be noise).
An empty sheet, or one without a header the reader knows (a hidden list of names or
levels feeding a drop-down), is passed over without a word, as it always was.
"""

from __future__ import annotations

import re

from ..model import Issue
from ..text.clean import is_blank
from .book import RawSheet
from .headers import classify, find_header

TEMPLATE_NAME_RE = re.compile(r"^\s*(biểu\s*mẫu|bieu\s*mau|mẫu|mau|template|sample|form)(\b|\d|_|$)", re.I)


def is_template_name(meaning: str) -> bool:
    return bool(TEMPLATE_NAME_RE.match(meaning))


def filled_rows(sheet: RawSheet, search_rows: int) -> int:
    """Rows with anything in them under a header the reader would have read (a register, a
    roster …); 0 for a sheet without one, such as a hidden list feeding a drop-down."""
    header = find_header(sheet.rows, sheet.merges, search_rows)
    if header is None or classify(header) is None:
        return 0
    return sum(1 for row in sheet.rows[header.row + 1:] if any(not is_blank(v) for v in row))


def skip_sheet(file: str, sheet: RawSheet, meaning: str, search_rows: int) -> tuple[bool, Issue | None]:
    """(not read, the warning or note saying so): a hidden or template sheet is not read."""
    template, hidden = is_template_name(meaning), sheet.hidden
    if not template and not hidden:
        return False, None
    rows = filled_rows(sheet, search_rows)
    return True, (_issue(file, sheet, rows, template) if rows else None)


def _issue(file: str, sheet: RawSheet, rows: int, template: bool) -> Issue:
    hidden = sheet.hidden
    state = "đang ẩn và " if hidden else ""
    if template:
        return Issue(
            "sheet_template_skipped", "info",
            f'Trang "{sheet.name}" {state}có tên là trang mẫu nên không được tính ({rows} dòng dưới '
            "dòng tiêu đề không được đọc).",
            file, sheet.name, None, "",
            "Không cần sửa nếu đây là trang mẫu. Nếu trang này thực sự là sổ theo dõi, đổi tên trang "
            '(ví dụ "T5"), bỏ ẩn nếu đang ẩn, lưu lại rồi chạy lại.',
        )
    return Issue(
        "sheet_hidden_skipped", "warning",
        f'Trang "{sheet.name}" đang bị ẩn nên không được tính ({rows} dòng dưới dòng tiêu đề không được '
        "đọc); trang ẩn không coi là một phần của sổ theo dõi.",
        file, sheet.name, None, "",
        f'Nếu trang này cần được tính: mở sổ bằng Excel, bấm chuột phải vào tên một trang bất kỳ ở dưới, chọn '
        f'"Bỏ ẩn" (Unhide), chọn trang "{sheet.name}", bấm OK, lưu lại rồi chạy lại. Nếu là trang cũ không dùng, '
        "không cần làm gì.",
    )
