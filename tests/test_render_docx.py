"""The report .docx read back: every item of shared/format.md, the figures, and
the template's safety (sandbox, escaping, errors that name the tag)."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dicoso.render import chart
from dicoso.render import office as office_yaml
from dicoso.render import pdf as lo_pdf
from dicoso.render import report as render_docx
from dicoso.render.office import RenderError

from builders import edit_template
from conftest import AS_OF, HERE, ROOT

FIXTURES = HERE / "fixtures"
YEAR_TPL = ROOT / "templates" / "bao_cao_nam.docx"
PROGRESS_TPL = ROOT / "templates" / "bao_cao_tien_do.docx"
FONT = "Times New Roman"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def office() -> dict:
    return office_yaml.load_office(ROOT / "templates" / "office.yaml")


@pytest.fixture(scope="module")
def year_docx(tmp_path_factory, office) -> Path:
    out = tmp_path_factory.mktemp("year")
    summary = load("summary_year.json")
    png = chart.days_chart(summary, out / "chart.png")
    path = out / "bao_cao.docx"
    render_docx.render_report(summary, office, YEAR_TPL, png, path, as_of=AS_OF)
    return path


@pytest.fixture(scope="module")
def doc(year_docx):
    return Document(str(year_docx))


NBSP = "\u00a0"


def raw_text_of(document) -> str:
    """Body text: paragraphs and table cells in document order, non-breaking spaces kept."""
    body = document.element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def text_of(document) -> str:
    """Body text as the eye reads it (a non-breaking space is a space)."""
    return raw_text_of(document).replace(NBSP, " ")


def effective(paragraph, attr: str):
    """A paragraph-format attribute, following the style chain when not set directly."""
    value = getattr(paragraph.paragraph_format, attr)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, attr)
        style = style.base_style
    return value


def run_size(paragraph, run):
    if run.font.size is not None:
        return run.font.size
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return style.font.size
        style = style.base_style
    return None


def find_paragraph(document, startswith: str):
    for p in document.paragraphs:
        if p.text.replace(NBSP, " ").startswith(startswith):
            return p
    raise AssertionError(f"no paragraph starting with {startswith!r}")


# --- page, fonts ------------------------------------------------------------------
def test_a4_and_margins(doc):
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [20, 20, 30, 20]


def test_times_new_roman_everywhere_and_no_theme_fonts(year_docx):
    with zipfile.ZipFile(year_docx) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
        document = z.read("word/document.xml").decode("utf-8")
    for xml in (styles, document):
        assert not re.search(r"w:(asciiTheme|hAnsiTheme|eastAsiaTheme|cstheme)=", xml)
    from lxml import etree

    root = etree.fromstring(styles.encode("utf-8"))
    defaults = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert defaults is not None
    all_fonts = root.iter(qn("w:rFonts"))
    for rfonts in all_fonts:
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert rfonts.get(qn(slot)) == FONT, (slot, etree.tostring(rfonts))
    for style in root.findall(qn("w:style")):
        assert style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") is not None, style.get(qn("w:styleId"))
    for rfonts in etree.fromstring(document.encode("utf-8")).iter(qn("w:rFonts")):
        assert {rfonts.get(qn(s)) for s in ("w:ascii", "w:hAnsi")} <= {FONT, None}


# --- header block --------------------------------------------------------------------
def test_header_block_is_a_borderless_two_column_table(doc):
    table = doc.tables[0]
    assert len(table.columns) == 2
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {b.get(qn("w:val")) for b in borders} <= {"nil", "none"}
    assert not list(table._tbl.iter(qn("w:tcBorders")))
    assert table.style is None or "Grid" not in table.style.name


def test_header_block_texts_and_emphasis(doc):
    table = doc.tables[0]
    left = [p for p in table.cell(0, 0).paragraphs if p.text]
    assert [p.text for p in left] == ["BCH ĐOÀN TỈNH VĨNH PHÚC", "***"]
    body = left[0]
    assert body.runs[0].bold and run_size(body, body.runs[0]) == Pt(14)
    assert effective(body, "alignment") == WD_ALIGN_PARAGRAPH.CENTER

    union = table.cell(0, 1).paragraphs[0]
    assert union.text == "ĐOÀN TNCS HỒ CHÍ MINH"
    run = union.runs[0]
    assert run.bold and run.underline and run_size(union, run) == Pt(15)

    number = table.cell(1, 0).paragraphs[0]
    assert number.text == f"Số: {NBSP * 6}-BC/TĐTN-VP"  # the văn thư writes the number when issuing it
    assert not number.runs[0].bold and not number.runs[0].italic

    place = table.cell(1, 1).paragraphs[0]
    assert place.text.replace(NBSP, " ") == "Vĩnh Phúc, ngày 05 tháng 01 năm 2021"
    assert place.runs[0].italic and run_size(place, place.runs[0]) == Pt(14)


def test_title_and_summary_line(doc):
    title = find_paragraph(doc, "BÁO CÁO")
    assert title.text == "BÁO CÁO"
    assert title.runs[0].bold and run_size(title, title.runs[0]) == Pt(16)
    assert effective(title, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    line = find_paragraph(doc, "Kết quả thực hiện chế độ")
    assert line.text.replace(NBSP, " ") == "Kết quả thực hiện chế độ đi công tác cơ sở của cán bộ Tỉnh đoàn năm 2020"
    assert line.runs[0].bold and effective(line, "alignment") == WD_ALIGN_PARAGRAPH.CENTER


def test_body_justified_with_first_line_indent(doc):
    p = find_paragraph(doc, "Năm 2020, 12 cán bộ")
    assert effective(p, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(effective(p, "first_line_indent") - Cm(1.27)) < Cm(0.01)
    assert effective(p, "space_after") >= Pt(6)
    assert doc.styles["Normal"].font.size == Pt(14)
    assert doc.styles["Normal"].font.name == FONT


def test_heading_levels_in_order(doc):
    level1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert level1 == ["I. CÔNG TÁC TRIỂN KHAI", "II. KẾT QUẢ THỰC HIỆN",
                      "III. HẠN CHẾ, NGUYÊN NHÂN", "IV. PHƯƠNG HƯỚNG, ĐỀ XUẤT"]
    level2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert level2[:2] == ["1. Kết quả chung", "2. Kết quả theo từng Ban"]
    assert doc.styles["Heading 1"].font.bold and doc.styles["Heading 2"].font.bold


def test_page_numbers_from_page_two(doc):
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "fldChar" in header_xml and re.search(r"<w:instrText[^>]*>\s*PAGE\s*<", header_xml)
    assert effective(section.header.paragraphs[0], "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" not in section.first_page_header._element.xml


# --- signature, Nơi nhận ----------------------------------------------------------------
def test_signature_block_and_recipients(doc):
    table = next(t for t in doc.tables if "TM. BAN THƯỜNG VỤ" in t._tbl.xml)
    right = [p for p in table.cell(0, 1).paragraphs if p.text]
    assert [p.text for p in right] == ["TM. BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Minh Quang"]
    assert all(p.runs[0].bold for p in right)
    empty_lines = [p for p in table.cell(0, 1).paragraphs if not p.text]
    assert 3 <= len(empty_lines) <= 4
    left = [p for p in table.cell(0, 0).paragraphs if p.text]
    assert left[0].text == "Nơi nhận:" and left[0].runs[0].bold and left[0].runs[0].italic
    assert left[1].text == "- Ban Tổ chức Trung ương Đoàn (b/c);"
    assert left[-2].text == "- Các Ban, Văn phòng Tỉnh đoàn (t/h);"
    assert left[-1].text == "- Lưu VP."
    assert table._tbl.tblPr.find(qn("w:tblBorders")) is not None


# --- figures --------------------------------------------------------------------------
def test_figures_in_text(doc):
    text = text_of(doc)
    for expected in [
        "- Quý II/2020: 100% (12/12);",
        "- Quý III/2020: 100% (11/11);",
        "- Quý IV/2020: 91,7% (11/12); chưa đăng ký: Hoàng Thị Lan Anh.",
        "đã thực hiện 157 chuyến đi công tác cơ sở với tổng số 691 ngày, bình quân 57,6 ngày/người",
        "Có 10/12 đồng chí đạt chỉ tiêu số ngày đi cơ sở, chiếm 83,3%.",
        "tối thiểu là 60 ngày/người (tính từ ngày 01/03/2020 đến ngày 31/12/2020",
        "- Văn phòng: 3 cán bộ, 38 chuyến, 167 ngày, bình quân 55,7 ngày/người; 2/3 đồng chí đạt chỉ tiêu (66,7%).",
        (
            "Có 151/157 chuyến đi được báo cáo kết quả đúng hạn (96,2%); 3 báo cáo nộp muộn; "
            "2 báo cáo quá hạn chưa nộp; 1 báo cáo chưa đến hạn nộp"
        ),
        "- Còn 2 đồng chí chưa đạt chỉ tiêu số ngày đi cơ sở:",
        "+ Đồng chí Trần Thị Thu Hà (Văn phòng): đạt 58/60 ngày, còn thiếu 2 ngày;",
        "+ Đồng chí Hoàng Thị Lan Anh (Ban Tuyên giáo): đạt 52/60 ngày, còn thiếu 8 ngày.",
        "còn 3 báo cáo nộp muộn so với thời hạn 10 ngày và 2 báo cáo quá hạn chưa nộp",
    ]:
        assert expected in text, expected
    # no tag left behind
    assert "{{" not in text and "{%" not in text


def rows(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


def test_appendix_tables(doc):
    appendix = [t for t in doc.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(appendix) == 3
    for t in appendix:
        trpr = t.rows[0]._tr.trPr
        assert trpr is not None and trpr.find(qn("w:tblHeader")) is not None
        assert all(r.bold for p in t.rows[0].cells[0].paragraphs for r in p.runs)
    cadres, depts, reports = (rows(t) for t in appendix)
    assert cadres[0] == ["STT", "Họ và tên", "Chức vụ", "Chỉ tiêu (ngày)", "Số ngày đã đi", "Kết quả", "Ghi chú"]
    assert cadres[1][:2] == ["I", "Văn phòng"]
    assert ["2", "Trần Thị Thu Hà", "Phó Chánh Văn phòng", "60", "58", "Chưa đạt", "Còn thiếu 2 ngày."] in cadres
    thuy = next(r for r in cadres if r[1] == "Nguyễn Thị Thủy")
    assert thuy[3:7] == ["25", "26", "Đạt", "Nghỉ thai sản từ 01/06/2020 đến 30/11/2020; chỉ tiêu tính theo "
                                            "thời gian công tác: 25 ngày."]
    assert len([r for r in cadres if r[0].isdigit()]) == 12
    assert cadres[-1][4:6] == ["691", "10/12 đạt"]
    assert depts[0][6] == "Số đạt / số phải đạt"
    assert depts[-1] == ["", "Toàn cơ quan", "12", "157", "691", "57,6", "10/12", "83,3%"]
    assert ["1", "Văn phòng", "3", "38", "167", "55,7", "2/3", "66,7%"] in depts
    assert reports[1][:2] == ["I", "Báo cáo nộp muộn (3)"]
    assert ["1", "Trần Thị Thu Hà", "Văn phòng", "11/05 - 13/05/2020", "23/05/2020", "28/05/2020",
            "Muộn 5 ngày"] in reports
    assert ["1", "Hoàng Thị Lan Anh", "Ban Tuyên giáo", "16/11 - 20/11/2020", "30/11/2020", "Chưa nộp",
            "Quá hạn 36 ngày"] in reports
    assert ["1", "Vũ Đức Thắng", "Ban Tuyên giáo", "28/12 - 30/12/2020", "09/01/2021", "Chưa nộp",
            "Chưa đến hạn"] in reports


def test_chart_embedded_and_properties_fixed(doc):
    assert len(doc.inline_shapes) == 1
    props = doc.core_properties
    stamp = datetime(2021, 1, 5)
    assert props.created.replace(tzinfo=None) == stamp and props.modified.replace(tzinfo=None) == stamp


def test_render_is_deterministic(tmp_path, office, year_docx):
    summary = load("summary_year.json")
    png = chart.days_chart(summary, tmp_path / "chart.png")
    again = tmp_path / "again.docx"
    render_docx.render_report(summary, office, YEAR_TPL, png, again, as_of=AS_OF)
    assert again.read_bytes() == year_docx.read_bytes()


def test_without_chart(tmp_path, office):
    out = tmp_path / "r.docx"
    render_docx.render_report(load("summary_year.json"), office, YEAR_TPL, None, out, as_of=AS_OF)
    document = Document(str(out))
    assert len(document.inline_shapes) == 0
    assert "Biểu đồ" not in text_of(document)


def test_everyone_met(tmp_path, office):
    summary = load("summary_year.json")
    for c in summary["cadres"]:
        c.update(met=True, days_needed=0)
    summary["totals"].update(reports_late=0, reports_overdue=0)
    out = tmp_path / "r.docx"
    render_docx.render_report(summary, office, YEAR_TPL, None, out, as_of=AS_OF)
    text = text_of(Document(str(out)))
    assert "- 100% cán bộ đạt chỉ tiêu số ngày đi cơ sở." in text
    assert "chưa đạt chỉ tiêu" not in text and "chưa nghiêm" not in text


# --- progress report ---------------------------------------------------------------------
def test_progress_report(tmp_path, office):
    summary = load("summary_quarter.json")
    out = tmp_path / "tien_do.docx"
    render_docx.render_report(summary, office, PROGRESS_TPL, None, out, as_of=date(2020, 10, 5))
    document = Document(str(out))
    text = text_of(document)
    assert "Tiến độ thực hiện chế độ đi công tác cơ sở của cán bộ Tỉnh đoàn Quý III/2020" in text
    assert "Vĩnh Phúc, ngày 05 tháng 10 năm 2020" in text
    assert "Có 4 đồng chí có số ngày đi cơ sở thấp hơn tiến độ cần đạt đến ngày 30/09/2020:" in text
    assert "III. HẠN CHẾ" not in text
    at_risk = next(t for t in document.tables if "Cần đạt đến nay" in t.rows[0]._tr.xml)
    assert rows(at_risk)[1] == ["1", "Trần Thị Thu Hà", "Văn phòng", "32", "42", "60", "28"]
    assert len(at_risk.rows) == 5
    assert "Chậm tiến độ" in text and "Đúng tiến độ" in text


# --- safety -------------------------------------------------------------------------
def test_values_are_never_evaluated(tmp_path, office):
    summary = load("summary_year.json")
    summary["cadres"][0]["name"] = "{{ 7*7 }}"
    summary["cadres"][1]["name"] = "<b>Trần & Co</b>"
    out = tmp_path / "r.docx"
    render_docx.render_report(summary, office, YEAR_TPL, None, out, as_of=AS_OF)
    document = Document(str(out))
    names = [r.cells[1].text for r in document.tables[2].rows]
    assert "{{ 7*7 }}" in names and "<b>Trần & Co</b>" in names
    assert "49" not in names


def test_sandbox_blocks_attribute_tricks(tmp_path, office):
    tpl = edit_template(YEAR_TPL, tmp_path / "evil.docx", "{{ t.trips }}", "{{ ''.__class__.__mro__ }}")
    with pytest.raises(RenderError) as err:
        render_docx.render_report(load("summary_year.json"), office, tpl, None, tmp_path / "r.docx", as_of=AS_OF)
    assert "{{ ''.__class__.__mro__ }}" in err.value.message
    assert "evil.docx" in err.value.message


def test_broken_tag_is_named(tmp_path, office):
    tpl = edit_template(YEAR_TPL, tmp_path / "broken.docx", "{{ t.met_share }}", "{{ t.met_share | }}")
    with pytest.raises(RenderError) as err:
        render_docx.render_report(load("summary_year.json"), office, tpl, None, tmp_path / "r.docx", as_of=AS_OF)
    assert "{{ t.met_share | }}" in err.value.message
    assert "cú pháp" in err.value.message


def test_unknown_variable_is_named(tmp_path, office):
    tpl = edit_template(YEAR_TPL, tmp_path / "typo.docx", "{{ t.average }}", "{{ t.averag }}")
    with pytest.raises(RenderError) as err:
        render_docx.render_report(load("summary_year.json"), office, tpl, None, tmp_path / "r.docx", as_of=AS_OF)
    assert "{{ t.averag }}" in err.value.message


def test_unclosed_block_is_named(tmp_path, office):
    tpl = edit_template(YEAR_TPL, tmp_path / "open.docx", "{%p endfor %}", "")
    with pytest.raises(RenderError) as err:
        render_docx.render_report(load("summary_year.json"), office, tpl, None, tmp_path / "r.docx", as_of=AS_OF)
    assert "for r in registration" in err.value.message


def test_not_a_template(tmp_path, office):
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip")
    with pytest.raises(RenderError, match="Không mở được mẫu báo cáo"):
        render_docx.render_report(load("summary_year.json"), office, bad, None, tmp_path / "r.docx", as_of=AS_OF)


# --- office config -------------------------------------------------------------------
def test_office_missing_key(tmp_path):
    src = (ROOT / "templates" / "office.yaml").read_text(encoding="utf-8")
    path = tmp_path / "office.yaml"
    path.write_text(src.replace('  name: "Nguyễn Minh Quang"\n', ""), encoding="utf-8")
    with pytest.raises(RenderError) as err:
        office_yaml.load_office(path)
    assert "thiếu mục “signer.name”" in err.value.message


def test_office_checks(office):
    broken = copy.deepcopy(office)
    broken["recipients"] = "Ban Thường vụ"
    with pytest.raises(RenderError, match="recipients"):
        office_yaml.check_office(broken)
    broken["recipients"] = ["Ban Thường vụ (b/c);", "Lưu VP."]
    with pytest.raises(RenderError, match="Lưu VP"):
        office_yaml.check_office(broken)


def test_office_bad_yaml(tmp_path):
    path = tmp_path / "office.yaml"
    path.write_text("issuing_body: [unclosed\n", encoding="utf-8")
    with pytest.raises(RenderError, match="cú pháp YAML"):
        office_yaml.load_office(path)


# --- PDF -----------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice/poppler not installed (CI installs them)")
def test_pdf_carries_header_and_figures(tmp_path, year_docx):
    pdf = lo_pdf.to_pdf(year_docx, tmp_path)
    assert pdf.exists()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    for expected in ["BCH ĐOÀN TỈNH VĨNH PHÚC", "ĐOÀN TNCS HỒ CHÍ MINH", "Số: -BC/TĐTN-VP",
                     "Vĩnh Phúc, ngày 05 tháng 01 năm 2021", "BÁO CÁO", "83,3%", "691 ngày",
                     "TM. BAN THƯỜNG VỤ", "- Lưu VP.", "Phụ lục III"]:
        assert expected in flat, expected
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d*", pages)  # A4 in points


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ({"kind": "year", "label": "2020", "start": "2020-03-01", "end": "2020-12-31"}, "năm 2020"),
        ({"kind": "quarter", "label": "2020-Q3", "start": "2020-07-01", "end": "2020-09-30"}, "Quý III/2020"),
        ({"kind": "month", "label": "2020-04", "start": "2020-04-01", "end": "2020-04-30"}, "tháng 4/2020"),
        ({"kind": "custom", "label": "", "start": "2020-03-01", "end": "2020-05-31"},
         "từ ngày 01/03/2020 đến ngày 31/05/2020"),
    ],
)
def test_period_name(period, expected):
    assert render_docx.period_name(period) == expected


def test_column_loops_and_listing_characters_still_get_docxtpl_fixes(tmp_path):
    """The fast template skips two docxtpl passes only when a document does not need them."""
    from docx import Document

    from dicoso.render.template import Template as _Template

    doc = Document()
    table = doc.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["{%tc for x in cols %}", "{{ x }}", "{%tc endfor %}"]):
        cell.text = text
    doc.add_paragraph("{{ note }}")
    src = tmp_path / "loop.docx"
    doc.save(src)
    tpl = _Template(str(src))
    tpl.render({"cols": ["a", "b", "c", "d", "e"], "note": "dòng 1\ndòng 2"})
    out = tmp_path / "out.docx"
    tpl.save(out)
    result = Document(out)
    assert [c.text for c in result.tables[0].rows[0].cells] == ["a", "b", "c", "d", "e"]
    grid = result.tables[0]._tbl.tblGrid
    assert len(grid.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridCol")) == 5
    assert "<w:br/>" in result.paragraphs[-1]._p.xml


def test_national_roll_up_lists_the_worst_and_points_to_the_workbook(tmp_path, office, monkeypatch):
    """Thousands of late reports or shortfalls: the Word report lists the most serious ones."""
    monkeypatch.setattr(render_docx, "REPORT_ROWS_MAX", 3)
    monkeypatch.setattr(render_docx, "SHORTFALLS_MAX", 1)
    summary = load("summary_year.json")
    late = summary["reports"]["late"][0]
    summary["reports"]["late"] = [dict(late, days_late=d) for d in (1, 9, 4, 7, 2)]
    out = tmp_path / "r.docx"
    render_docx.render_report(summary, office, YEAR_TPL, None, out, as_of=AS_OF)
    document = Document(str(out))
    reports = rows([t for t in document.tables if t.style is not None and t.style.name == "Table Grid"][2])
    group = reports[reports.index(next(r for r in reports if r[1].startswith("Báo cáo nộp muộn"))):][:6]
    assert group[0][1] == "Báo cáo nộp muộn (5)"
    assert [r[6] for r in group[1:4]] == ["Muộn 9 ngày", "Muộn 7 ngày", "Muộn 4 ngày"]
    assert group[4][1:] == ["Còn 2 báo cáo khác", "", "", "", "", "Xem sổ tổng hợp"]
    text = text_of(document)
    assert "- Còn 2 đồng chí chưa đạt chỉ tiêu số ngày đi cơ sở:" in text
    assert "+ Còn 1 đồng chí khác chưa đạt chỉ tiêu (chi tiết tại Phụ lục I)." in text
