"""The workbooks as the office prints them: A4 landscape, the header row on every page,
text never under 10 pt (measured on LibreOffice's PDF), a page per Ban where a sheet is
grouped by Ban; the problem list Vietnamese throughout; no empty inline strings."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dicoso.cli.main import main
from dicoso.render import pdf as lo_pdf
from dicoso.render import xlsx_print
from dicoso.text import vn

from conftest import AS_OF_ARGS, ROOT, SAMPLES

HAS_LO = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("nam")
    assert main([str(SAMPLES), "--year", "2020", *AS_OF_ARGS, "--out", str(out), "-q"]) == 0
    return out


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode("utf-8"))
        return {n.replace("&amp;", "&"): z.read(f"xl/worksheets/sheet{i}.xml").decode("utf-8")
                for i, n in enumerate(names, start=1)}


def test_every_sheet_prints_a4_landscape_with_its_header_row_on_every_page(year):
    for book in ("tong-hop-2020.xlsx", "loi-du-lieu-2020.xlsx"):
        wb = load_workbook(year / book)
        for ws in wb.worksheets:
            setup = ws.page_setup
            assert (setup.orientation, int(setup.paperSize)) == ("landscape", int(ws.PAPERSIZE_A4)), ws.title
            assert ws.print_title_rows == "$1:$1", ws.title
            fitted = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
            # fitted one page wide only when that keeps 12 pt text at 10 pt or more; else 84 %
            assert (fitted and setup.fitToWidth == 1) or (not fitted and setup.scale == xlsx_print.MIN_SCALE), ws.title


def test_wide_sheets_repeat_whose_row_it_is_and_the_problem_list_fits_one_page_wide(year):
    wb = load_workbook(year / "tong-hop-2020.xlsx")
    assert wb["Cán bộ"].print_title_cols == "$A:$B"  # STT, Họ và tên on each page across
    assert "<printOptions headings=\"1\"/>" in sheet_xml(year / "tong-hop-2020.xlsx")["Chuyến đi"]
    for name in ("Lỗi dữ liệu", "Báo cáo muộn", "Đăng ký theo quý", "Thay đổi"):
        assert wb[name].sheet_properties.pageSetUpPr.fitToPage, name


def test_cadre_sheet_starts_each_ban_on_a_new_page(year):
    ws = load_workbook(year / "tong-hop-2020.xlsx")["Cán bộ"]
    bans = [ws.cell(r, 3).value for r in range(2, ws.max_row + 1)]
    last_rows = [r + 1 for r in range(1, len(bans)) if bans[r] != bans[r - 1]]  # Excel row of each Ban's last cadre
    assert len(last_rows) == len(set(bans)) - 1 == 4
    assert [b.id for b in ws.row_breaks.brk] == last_rows


def test_problem_list_is_vietnamese_throughout(year):
    ws = load_workbook(year / "loi-du-lieu-2020.xlsx")["Lỗi dữ liệu"]
    header = [c.value for c in ws[1]]
    assert header == ["Tệp", "Trang tính", "Dòng", "Cột", "Mức độ", "Loại lỗi", "Nội dung", "Cách sửa"]
    kinds = [ws.cell(r, 6).value for r in range(2, ws.max_row + 1)]
    assert "Tên không có trong danh sách cán bộ" in kinds and "Số ngày ghi lệch" in kinds
    assert not any(re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", str(v)) for row in ws.iter_rows(values_only=True) for v in row)


def test_every_issue_code_of_the_package_has_words():
    """The codes created anywhere in dicoso/ (Issue("…"), issue(ctx, row, "…"), the engine's flag tables)."""
    codes: set[str] = set()
    for path in (ROOT / "dicoso").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'Issue\(\s*"([a-z]+(?:_[a-z0-9]+)+)"', text))
        codes |= set(re.findall(r'issue\(\s*[^,()]+,\s*[^,()]+,\s*"([a-z]+(?:_[a-z0-9]+)+)"', text))
        codes |= set(re.findall(r'code == "([a-z]+(?:_[a-z0-9]+)+)"', text))
    assert {"unknown_name", "days_mismatch", "trip_outside_period", "office_department_unknown"} <= codes
    assert [c for c in sorted(codes) if vn.issue_kind(c) == "Khác"] == []
    assert vn.issue_kind("bad_date_start") == "Ngày không đọc được" and vn.issue_kind("file_encrypted")


def test_a_merged_duplicate_says_trang_not_sheet(year):
    import json

    summary = json.loads((year / "summary.json").read_text(encoding="utf-8"))
    merged = [i["message"] for i in summary["issues"] if i["code"] == "duplicate_merged"]
    assert merged and all('trang "' in m and "sheet" not in m for m in merged)


def test_empty_cells_are_blank_not_empty_inline_strings(year):
    for book in ("tong-hop-2020.xlsx", "loi-du-lieu-2020.xlsx"):
        for name, xml in sheet_xml(year / book).items():
            assert 'inlineStr' not in xml, (book, name)


# --- the printed text size, measured -------------------------------------------------------
def printed_heights(pdf: Path) -> list[tuple[float, list[str]]]:
    """Per page: the most common word height (points) and the words."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        boxes = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page)
        heights = Counter(round(float(b) - float(a), 1) for a, b, _ in boxes)
        pages.append((heights.most_common(1)[0][0], [w for _, _, w in boxes]))
    return pages


@pytest.mark.skipif(not HAS_LO, reason="LibreOffice/poppler not installed (CI installs them)")
def test_printed_text_is_never_smaller_than_10_pt(year, tmp_path):
    for book in ("tong-hop-2020.xlsx", "loi-du-lieu-2020.xlsx"):
        lo_pdf.to_pdf(year / book, tmp_path, timeout=300)
    pages = printed_heights(tmp_path / "tong-hop-2020.pdf")
    # the "Thay đổi" sheet (last page) is narrow: printed at 100 %, its words are 12 pt tall boxes
    full = pages[-1][0]
    sizes = [round(12 * h / full, 2) for h, _ in pages]
    assert min(sizes) >= 10.0, sizes
    assert max(sizes) <= 12.0
    assert 25 <= len(pages) <= 60, len(pages)  # wrapped onto more pages, not shrunk onto few
    problems = printed_heights(tmp_path / "loi-du-lieu-2020.pdf")
    assert len(problems) == 1 and 10.0 <= 12 * problems[0][0] / full <= 12.0
    assert {"Tệp", "Cách", "sửa"} <= set(problems[0][1])  # the first and last columns on one page
