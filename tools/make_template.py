"""Build the report templates in templates/ (run from the repository root).

    python tools/make_template.py
    python tools/make_template.py --out "D:/mau goc"     (the originals elsewhere, to copy a row back)

Writes `templates/bao_cao_nam.docx` (year-end report),
`templates/bao_cao_tien_do.docx` (month/quarter progress report) and
`templates/thong_bao_ban.docx` (the notice sent to each Ban). All are
ordinary Word documents with docxtpl (Jinja) tags; the office edits them in
Word afterwards, so this script is only needed to start over from the
defaults. The format follows shared/format.md; the variables are listed in
templates/README.md.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dicoso.render.ooxml import normalise_zip, word_properties  # noqa: E402 (after the sys.path line)

FONT = "Times New Roman"
TEXT_WIDTH_MM = 160  # A4 210 mm - left 30 - right 20
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
CENTER = WD_ALIGN_PARAGRAPH.CENTER


# --- styles ------------------------------------------------------------------
def _set_fonts(rpr) -> None:
    """Times New Roman in all four slots, no theme font that could override it."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), FONT)


def _black(rpr) -> None:
    color = rpr.find(qn("w:color"))
    if color is not None:
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(qn(attr), None)
        color.set(qn("w:val"), "000000")


def fix_fonts(doc) -> None:
    """Set the fonts in docDefaults and in every style of styles.xml."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    _set_fonts(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "en-US")
    for style in styles.findall(qn("w:style")):
        _set_fonts(style.get_or_add_rPr())
        _black(style.get_or_add_rPr())
    for rfonts in styles.iter(qn("w:rFonts")):  # table styles' conditional formats too
        _set_fonts(rfonts.getparent())


def setup_styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    pf = normal.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.first_line_indent = Cm(1.27)
    pf.space_before = Pt(0)
    pf.space_after = Pt(6)
    pf.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    pf.line_spacing = 1.15
    pf.widow_control = True

    for name, italic in (("Heading 1", False), ("Heading 2", False), ("Heading 3", True)):
        st = doc.styles[name]
        st.font.size = Pt(14)
        st.font.bold = not italic
        st.font.italic = italic
        st.font.color.rgb = RGBColor(0, 0, 0)
        hpf = st.paragraph_format
        hpf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        hpf.first_line_indent = Cm(1.27)
        hpf.space_before = Pt(6)
        hpf.space_after = Pt(6)
        hpf.line_spacing = 1.15
        hpf.keep_with_next = True

    cell = doc.styles.add_style("Ô bảng", 1)  # paragraph style for table cells
    cell.base_style = normal
    cell.font.size = Pt(12)
    cpf = cell.paragraph_format
    cpf.alignment = WD_ALIGN_PARAGRAPH.LEFT
    cpf.first_line_indent = Cm(0)
    cpf.space_before = Pt(2)
    cpf.space_after = Pt(2)
    cpf.line_spacing = 1.0

    block = doc.styles.add_style("Khối", 1)  # header/signature blocks, titles
    block.base_style = normal
    bpf = block.paragraph_format
    bpf.alignment = CENTER
    bpf.first_line_indent = Cm(0)
    bpf.space_after = Pt(0)
    bpf.line_spacing = 1.0

    for name in ("Header", "Footer"):
        doc.styles[name].paragraph_format.first_line_indent = Cm(0)
    fix_fonts(doc)


# --- small builders ----------------------------------------------------------
def para(container, text: str = "", style: str | None = None, *, bold=None, italic=None,
         size: float | None = None, align=None, underline=None, keep_next: bool = False):
    p = container.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.paragraph_format.alignment = align
    if keep_next:
        p.paragraph_format.keep_with_next = True
    return p


def tag(container, text: str, style: str | None = None):
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %})."""
    return para(container, text, style)


def page_break(doc) -> None:
    doc.add_paragraph(style="Khối").add_run().add_break(WD_BREAK.PAGE)


def page_field(paragraph) -> None:
    """Append a PAGE field (complex field, as Word writes it)."""
    def fld(kind):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
        return run

    fld("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    paragraph.add_run()._r.append(instr)
    fld("separate")
    paragraph.add_run("2")
    fld("end")


# Word rejects tblPr children out of schema order: successors of each element we add.
_AFTER_CELL_MAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", *_AFTER_CELL_MAR)


def no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.insert_element_before(borders, *_AFTER_BORDERS)


def cell_margins(table, left_right_mm: float) -> None:
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(left_right_mm * 56.7)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.insert_element_before(mar, *_AFTER_CELL_MAR)


def fixed_table(doc, rows: int, widths_mm: list[float], *, grid: bool, indent_mm: float = 0):
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.style = doc.styles["Table Grid"] if grid else None
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER if grid else None
    if indent_mm:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(round(indent_mm * 56.7)))
        ind.set(qn("w:type"), "dxa")
        table._tbl.tblPr.insert_element_before(ind, "w:tblBorders", *_AFTER_BORDERS)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)
    for col, width in zip(table.columns, widths_mm):
        col.width = Mm(width)
    if not grid:
        no_borders(table)
    else:
        cell_margins(table, 1.0)
    return table


def cell_text(cell, text: str, *, bold=False, italic=False, align=None, size=None):
    """Put one paragraph of text in an (empty) cell."""
    p = cell.paragraphs[0]
    p.style = "Ô bảng"
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.paragraph_format.alignment = align
    return p


def keep_row(row) -> None:
    """A row never breaks across pages (its last word alone on the next page)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))  # schema order: cantSplit before tblHeader
    trpr.append(OxmlElement("w:tblHeader"))


def data_table(doc, headers: list[str], widths: list[float], body: list[list[str]],
               bold_rows: tuple[int, ...] = (), merges: dict[int, tuple[int, int]] | None = None,
               center_cols: tuple[int, ...] = (), headings: tuple[int, ...] = ()):
    """A bordered table: bold centred repeated header row, then template rows.

    `body` rows are lists of cell texts (tags or literals); `merges` maps a body
    row index to the (first, last) column merged into one cell holding the text
    of the first; `headings` are group heading rows (a Ban), kept on the page of
    the row after them.
    """
    table = fixed_table(doc, 1 + len(body), widths, grid=True)
    header = table.rows[0]
    repeat_header(header)
    for cell, text in zip(header.cells, headers):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell_text(cell, text, bold=True, align=CENTER)
    for i, texts in enumerate(body):
        keep_row(table.rows[i + 1])
        cells = table.rows[i + 1].cells
        first, last = (merges or {}).get(i, (-1, -1))
        if first >= 0:
            cells[first].merge(cells[last])
            cells = table.rows[i + 1].cells
        for j, text in enumerate(texts):
            if first < j <= last:
                continue  # part of the merged cell
            is_tag = text.startswith("{%")
            cells[j].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            align = CENTER if j in center_cols and not is_tag else None
            p = cell_text(cells[j], text, bold=i in bold_rows and not is_tag, align=align)
            if i in headings:
                p.paragraph_format.keep_with_next = True
    return table


# --- shared parts ------------------------------------------------------------
def page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].style = "Header"
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = "Header"
    p.paragraph_format.alignment = CENTER
    page_field(p)
    for run in p.runs:
        run.font.size = Pt(14)


def header_block(doc) -> None:
    """Borderless two-column block: issuing body | ĐOÀN TNCS HỒ CHÍ MINH, then
    Số | place-date on one row so both lines stay level."""
    table = fixed_table(doc, 2, [85, 85], grid=False, indent_mm=-8)
    left, right = table.rows[0].cells
    tag(left, "{%p if office.parent_body %}")
    para(left, "{{ office.parent_body }}", "Khối", size=14)
    tag(left, "{%p endif %}")
    para(left, "{{ office.issuing_body }}", "Khối", bold=True, size=14)
    para(left, "***", "Khối", size=14)
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    p = right.paragraphs[0]
    p.style = "Khối"
    run = p.add_run("ĐOÀN TNCS HỒ CHÍ MINH")
    run.bold, run.underline = True, True
    run.font.size = Pt(15)
    left2, right2 = table.rows[1].cells
    p = left2.paragraphs[0]
    p.style = "Khối"
    p.add_run("Số: {{ office.number }}").font.size = Pt(14)
    p = right2.paragraphs[0]
    p.style = "Khối"
    run = p.add_run("{{ place_date }}")
    run.italic = True
    run.font.size = Pt(14)


def title(doc, kind: str = "BÁO CÁO") -> None:
    """The document type and its summary line (trích yếu, from office.yaml per report kind)."""
    para(doc, "", "Khối")
    para(doc, kind, "Khối", bold=True, size=16, keep_next=True)
    para(doc, "{{ title }}", "Khối", bold=True, size=14, keep_next=True)
    para(doc, "-----", "Khối", size=14)
    para(doc, "", "Khối")


def signature_block(doc, closing: str) -> None:
    para(doc, closing, keep_next=True)
    table = fixed_table(doc, 1, [80, 85], grid=False, indent_mm=-5)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # one block, one page
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.style = "Khối"
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = p.add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    run.font.size = Pt(12)
    tag(left, "{%p for r in office.recipients %}", "Khối")
    para(left, "- {{ r }}", "Khối", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    tag(left, "{%p endfor %}", "Khối")
    para(left, "- Lưu {{ office.unit }}.", "Khối", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    p = right.paragraphs[0]
    p.style = "Khối"
    run = p.add_run("{{ office.on_behalf }}")
    run.bold = True
    run.font.size = Pt(14)
    para(right, "{{ office.signer_role }}", "Khối", bold=True, size=14)
    for _ in range(4):
        para(right, "", "Khối")
    para(right, "{{ office.signer_name }}", "Khối", bold=True, size=14)


def appendix_title(doc, number: str, heading: str) -> None:
    page_break(doc)
    para(doc, f"Phụ lục {number}", "Khối", bold=True, size=14, keep_next=True)
    para(doc, heading, "Khối", bold=True, size=14, keep_next=True)
    para(doc, "(Kèm theo Báo cáo số {{ office.number }} ngày {{ as_of }} của Ban Thường vụ "
              "Tỉnh đoàn {{ office.province }})", "Khối", italic=True, size=13, keep_next=True)
    para(doc, "", "Khối", keep_next=True)


def cadre_table(doc) -> None:
    data_table(
        doc,
        ["STT", "Họ và tên", "Chức vụ", "Chỉ tiêu (ngày)", "Số ngày đã đi", "Kết quả", "Ghi chú"],
        [11, 36, 28, 15, 14, 18, 38],
        [
            ["{%tr for d in departments %}", "", "", "", "", "", ""],
            ["{{ d.roman }}", "{{ d.name }}", "", "", "", "", ""],
            ["{%tr for c in d.rows %}", "", "", "", "", "", ""],
            ["{{ c.stt }}", "{{ c.name }}", "{{ c.position }}", "{{ c.quota }}", "{{ c.days }}",
             "{{ c.result }}", "{{ c.note }}"],
            ["{%tr endfor %}", "", "", "", "", "", ""],
            ["{%tr endfor %}", "", "", "", "", "", ""],
            ["", "Cộng", "", "", "{{ t.days }}", "{{ t.met_fraction }} đạt", ""],
        ],
        bold_rows=(1, 6),
        merges={1: (1, 6), 6: (1, 3)},
        center_cols=(0, 3, 4, 5),
        headings=(1,),
    )


# --- the two documents --------------------------------------------------------
def new_document():
    doc = Document()
    setup_styles(doc)
    page_setup(doc)
    # python-docx's default template starts with an empty paragraph
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return doc


def finish(doc, path: Path, title_text: str) -> None:
    props = doc.core_properties
    props.title = title_text
    props.subject = "Chế độ đi công tác cơ sở của cán bộ Đoàn (chủ trương 1+2)"
    props.author = "Văn phòng Tỉnh đoàn"
    props.last_modified_by = "Văn phòng Tỉnh đoàn"
    props.comments = "Mẫu báo cáo: có thể sửa lời văn trong Word, giữ nguyên các thẻ trong ngoặc nhọn."
    props.revision = 1
    props.created = props.modified = datetime(2020, 1, 1)
    doc.save(path)
    normalise_zip(path, edit=lambda parts: word_properties(parts, ""))


def year_template(path: Path) -> None:
    doc = new_document()
    header_block(doc)
    title(doc)
    para(doc, "Thực hiện {{ basis }}, Ban Thường vụ Tỉnh đoàn báo cáo kết quả thực hiện "
              "chế độ đi công tác cơ sở của cán bộ Tỉnh đoàn năm {{ year }} (tính từ ngày "
              "{{ period_start }} đến ngày {{ period_end }}) như sau:")

    para(doc, "I. CÔNG TÁC TRIỂN KHAI", "Heading 1")
    para(doc, "Xác định thực hiện chế độ đi công tác cơ sở là nội dung hết sức quan trọng trong công "
              "tác cán bộ Đoàn, góp phần từng bước nâng cao chất lượng công tác Đoàn và phong trào "
              "thanh thiếu nhi của tỉnh, Ban Thường vụ Tỉnh đoàn đã chỉ đạo cán bộ các Ban chuyên môn "
              "xây dựng kế hoạch đi cơ sở phù hợp với nhiệm vụ chuyên môn được phân công.")
    para(doc, "Tổng thời gian đi cơ sở năm {{ year }} tối thiểu là {{ quota }} ngày/người (tính từ ngày "
              "{{ period_start }} đến ngày {{ period_end }}; cán bộ bắt đầu công tác hoặc được miễn "
              "trong năm tính theo thời gian thực tế). Sau mỗi đợt đi cơ sở, cán bộ có báo cáo kết "
              "quả trong thời hạn {{ deadline }} ngày.")
    tag(doc, "{%p if registration %}")  # a rule set without quarterly registration: no sentence
    para(doc, "Hằng quý, cán bộ chuyên trách cơ quan Tỉnh đoàn đăng ký đi công tác cơ sở; tỷ lệ "
              "cán bộ đăng ký theo quý như sau:")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for r in registration %}")
    para(doc, "- {{ r.label }}: {{ r.text }}{{ r.punct }}")
    tag(doc, "{%p endfor %}")

    para(doc, "II. KẾT QUẢ THỰC HIỆN", "Heading 1")
    para(doc, "1. Kết quả chung", "Heading 2")
    para(doc, "Năm {{ year }}, {{ t.cadres }} cán bộ chuyên trách đã thực hiện {{ t.trips }} chuyến đi "
              "công tác cơ sở với tổng số {{ t.days }} ngày, bình quân {{ t.average }} ngày/người. "
              "Có {{ t.met }}/{{ t.required }} đồng chí đạt chỉ tiêu số ngày đi cơ sở, chiếm "
              "{{ t.met_share }}{{ t.left_out }}.")
    tag(doc, "{%p if chart %}")
    para(doc, "{{ chart }}", "Khối", keep_next=True)
    para(doc, "{{ chart_caption }}", "Khối", italic=True,
         size=13)
    tag(doc, "{%p endif %}")
    para(doc, "2. Kết quả theo từng Ban", "Heading 2")
    tag(doc, "{%p for d in departments %}")
    para(doc, "- {{ d.name }}: {{ d.cadres }} cán bộ, {{ d.trips }} chuyến, {{ d.days }} ngày, "
              "bình quân {{ d.average }} ngày/người; {{ d.met }}/{{ d.required }} đồng chí đạt chỉ "
              "tiêu ({{ d.met_share }}{{ d.left_out }}).")
    tag(doc, "{%p endfor %}")
    para(doc, "(Chi tiết tại Phụ lục I và Phụ lục II kèm theo.)")
    para(doc, "3. Việc báo cáo kết quả sau mỗi đợt đi cơ sở", "Heading 2")
    para(doc, "Có {{ t.on_time }}/{{ t.reports_recorded }} chuyến đi được báo cáo kết quả đúng hạn "
              "({{ t.on_time_share }}); {{ t.late }} báo cáo nộp muộn; {{ t.overdue }} báo cáo quá "
              "hạn chưa nộp; {{ t.pending }} báo cáo chưa đến hạn nộp{{ t.not_recorded_text }} (chi tiết tại "
              "Phụ lục III).")
    para(doc, "4. Đánh giá chung", "Heading 2")
    para(doc, "Các đồng chí được phân công đi cơ sở đã thể hiện tinh thần trách nhiệm, tham gia tích "
              "cực các hoạt động của cơ sở được phân công phụ trách; nắm rõ hơn những khó khăn, "
              "vướng mắc của cơ sở trong công tác xây dựng tổ chức Đoàn, đội ngũ cán bộ Đoàn, qua "
              "đó kịp thời tham mưu cho Ban Thường vụ Tỉnh đoàn những giải pháp phù hợp với từng "
              "đơn vị, góp phần nâng cao chất lượng sinh hoạt chi đoàn, tổ chức Đoàn và quản lý "
              "đoàn viên.")

    para(doc, "III. HẠN CHẾ, NGUYÊN NHÂN", "Heading 1")
    para(doc, "1. Hạn chế", "Heading 2")
    tag(doc, "{%p if shortfalls %}")
    para(doc, "- Còn {{ t.not_met }} đồng chí chưa đạt chỉ tiêu số ngày đi cơ sở:")
    tag(doc, "{%p for s in shortfalls %}")
    para(doc, "+ Đồng chí {{ s.name }} ({{ s.department }}): {{ s.text }}{{ s.punct }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if shortfalls_more %}")
    para(doc, "+ {{ shortfalls_more }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    para(doc, "- 100% cán bộ đạt chỉ tiêu số ngày đi cơ sở.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if t.late_or_overdue %}")
    para(doc, "- Việc báo cáo kết quả sau đi cơ sở chưa nghiêm: còn {{ t.late }} báo cáo nộp muộn "
              "so với thời hạn {{ deadline }} ngày và {{ t.overdue }} báo cáo quá hạn chưa nộp.")
    tag(doc, "{%p endif %}")
    para(doc, "- Cán bộ Tỉnh đoàn đa số còn trẻ, chưa có nhiều kinh nghiệm thực tiễn, chưa nắm bắt "
              "được đặc điểm của cơ sở nên còn lúng túng trong việc phối hợp với Đoàn địa phương "
              "xây dựng nội dung chương trình công tác; cán bộ đi cơ sở về chưa có nhiều giải pháp "
              "đề xuất để nâng cao chất lượng tổ chức cơ sở.")
    para(doc, "2. Nguyên nhân", "Heading 2")
    para(doc, "- Do tình hình dịch bệnh diễn biến phức tạp, việc đi cơ sở bắt đầu muộn; một số "
              "đồng chí kiêm nhiệm nhiều nhiệm vụ chuyên môn nên việc bố trí thời gian đi cơ sở "
              "còn khó khăn.")
    para(doc, "- Việc theo dõi, đôn đốc báo cáo sau mỗi đợt đi cơ sở có lúc chưa thường xuyên.")

    para(doc, "IV. PHƯƠNG HƯỚNG, ĐỀ XUẤT", "Heading 1")
    para(doc, "- Tiếp tục quán triệt, thực hiện nghiêm chế độ đi công tác cơ sở; các Ban chủ động "
              "xây dựng kế hoạch đi cơ sở ngay từ đầu năm, đăng ký theo quý và bám sát nhiệm vụ "
              "chuyên môn được phân công.")
    para(doc, "- Văn phòng Tỉnh đoàn theo dõi, tổng hợp hằng tháng, kịp thời nhắc nhở cán bộ chưa "
              "đạt tiến độ và chưa nộp báo cáo kết quả sau đi cơ sở.")
    para(doc, "- Đưa kết quả thực hiện chế độ đi công tác cơ sở vào tiêu chí đánh giá, xếp loại cán "
              "bộ cuối năm.")
    signature_block(doc, "Trên đây là báo cáo kết quả thực hiện chế độ đi công tác cơ sở của cán bộ "
                         "Tỉnh đoàn năm {{ year }} của Ban Thường vụ Tỉnh đoàn {{ office.province }}./.")

    appendix_title(doc, "I", "KẾT QUẢ ĐI CÔNG TÁC CƠ SỞ CỦA TỪNG CÁN BỘ NĂM {{ year }}")
    cadre_table(doc)

    appendix_title(doc, "II", "KẾT QUẢ ĐI CÔNG TÁC CƠ SỞ THEO BAN NĂM {{ year }}")
    data_table(
        doc,
        ["STT", "Ban", "Số cán bộ", "Số chuyến", "Tổng số ngày", "Bình quân (ngày/ người)",
         "Số đạt / số phải đạt", "Tỷ lệ đạt"],
        [11, 41, 16, 16, 18, 20, 16, 22],
        [
            ["{%tr for d in departments %}", "", "", "", "", "", "", ""],
            ["{{ d.stt }}", "{{ d.name }}", "{{ d.cadres }}", "{{ d.trips }}", "{{ d.days }}",
             "{{ d.average }}", "{{ d.met_fraction }}", "{{ d.met_share }}"],
            ["{%tr endfor %}", "", "", "", "", "", "", ""],
            ["", "Toàn cơ quan", "{{ t.cadres }}", "{{ t.trips }}", "{{ t.days }}", "{{ t.average }}",
             "{{ t.met_fraction }}", "{{ t.met_share }}"],
        ],
        bold_rows=(3,),
        center_cols=(0, 2, 3, 4, 5, 6, 7),
    )

    appendix_title(doc, "III", "BÁO CÁO KẾT QUẢ ĐI CƠ SỞ NỘP MUỘN, QUÁ HẠN VÀ CHƯA ĐẾN HẠN")
    report_table(doc)
    finish(doc, path, "Mẫu báo cáo kết quả đi công tác cơ sở (báo cáo năm)")


def report_table(doc) -> None:
    data_table(
        doc,
        ["STT", "Họ và tên", "Ban", "Thời gian đi cơ sở", "Hạn nộp báo cáo", "Ngày nộp", "Tình trạng"],
        [11, 36, 24, 24, 22, 22, 21],
        [
            ["{%tr for g in report_groups %}", "", "", "", "", "", ""],
            ["{{ g.roman }}", "{{ g.title }} ({{ g.count }})", "", "", "", "", ""],
            ["{%tr for r in g.rows %}", "", "", "", "", "", ""],
            ["{{ r.stt }}", "{{ r.name }}", "{{ r.department }}", "{{ r.trip }}", "{{ r.due }}",
             "{{ r.submitted }}", "{{ r.status }}"],
            ["{%tr endfor %}", "", "", "", "", "", ""],
            ["{%tr endfor %}", "", "", "", "", "", ""],
        ],
        bold_rows=(1,),
        merges={1: (1, 6)},
        center_cols=(0, 3, 4, 5, 6),
        headings=(1,),
    )


def progress_template(path: Path) -> None:
    doc = new_document()
    header_block(doc)
    title(doc)
    para(doc, "Thực hiện {{ plan }}, Ban Thường vụ Tỉnh đoàn báo cáo tiến độ thực hiện chế độ "
              "đi công tác cơ sở của cán bộ Tỉnh đoàn {{ period_name }} (từ ngày {{ period_start }} "
              "đến ngày {{ period_end }}) như sau:")
    para(doc, "I. KẾT QUẢ THỰC HIỆN", "Heading 1")
    para(doc, "1. Kết quả chung", "Heading 2")
    para(doc, "Tính đến ngày {{ to_date }}, {{ t.cadres }} cán bộ chuyên trách đã thực hiện "
              "{{ t.trips }} chuyến đi công tác cơ sở với tổng số {{ t.days }} ngày, bình quân "
              "{{ t.average }} ngày/người; {{ t.met }}/{{ t.required }} đồng chí đã đạt chỉ tiêu năm "
              "({{ t.met_share }}){{ t.left_out }}. Chỉ tiêu năm {{ year }}: tối thiểu {{ quota }} ngày/người (từ ngày "
              "{{ year_start }} đến ngày {{ year_end }}).")
    tag(doc, "{%p for r in registration %}")
    para(doc, "- Đăng ký đi cơ sở {{ r.label }}: {{ r.text }}.")
    tag(doc, "{%p endfor %}")
    para(doc, "- Báo cáo kết quả sau đi cơ sở: {{ t.on_time }} đúng hạn; {{ t.late }} nộp muộn; "
              "{{ t.overdue }} quá hạn chưa nộp; {{ t.pending }} chưa đến hạn nộp{{ t.not_recorded_text }}.")
    para(doc, "2. Cán bộ có nguy cơ không đạt chỉ tiêu năm", "Heading 2")
    tag(doc, "{%p if at_risk %}")
    para(doc, "Có {{ at_risk_count }} đồng chí có số ngày đi cơ sở thấp hơn tiến độ cần đạt đến ngày "
              "{{ to_date }}:", keep_next=True)
    data_table(
        doc,
        ["STT", "Họ và tên", "Ban", "Số ngày đã đi", "Cần đạt đến nay", "Chỉ tiêu năm", "Còn thiếu"],
        [11, 40, 35, 18, 20, 18, 18],
        [
            ["{%tr for a in at_risk %}", "", "", "", "", "", ""],
            ["{{ a.stt }}", "{{ a.name }}", "{{ a.department }}", "{{ a.days }}", "{{ a.target }}",
             "{{ a.quota }}", "{{ a.needed }}"],
            ["{%tr endfor %}", "", "", "", "", "", ""],
        ],
        center_cols=(0, 3, 4, 5, 6),
    )
    tag(doc, "{%p else %}")
    para(doc, "Tất cả cán bộ đều đạt tiến độ đi cơ sở đến ngày {{ to_date }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if chart %}")
    para(doc, "{{ chart }}", "Khối", keep_next=True)
    para(doc, "{{ chart_caption }}", "Khối", italic=True,
         size=13)
    tag(doc, "{%p endif %}")
    para(doc, "II. ĐỀ XUẤT", "Heading 1")
    para(doc, "- Đề nghị các đồng chí có tên trên chủ động bố trí thời gian đi cơ sở để bảo đảm chỉ "
              "tiêu năm; các Ban đôn đốc cán bộ nộp báo cáo kết quả đúng thời hạn.")
    signature_block(doc, "Trên đây là báo cáo tiến độ thực hiện chế độ đi công tác cơ sở của cán bộ "
                         "Tỉnh đoàn {{ period_name }}./.")
    appendix_title(doc, "I", "KẾT QUẢ ĐI CÔNG TÁC CƠ SỞ CỦA TỪNG CÁN BỘ ĐẾN NGÀY {{ to_date }}")
    cadre_table(doc)
    finish(doc, path, "Mẫu báo cáo tiến độ đi công tác cơ sở (báo cáo tháng, quý)")



def notice_template(path: Path) -> None:
    """The notice sent to each Ban (THÔNG BÁO, document type TB): its figures, what it has to
    do (reminders), and the problems to fix in its registers (the workbook beside it)."""
    doc = new_document()
    header_block(doc)
    title(doc, "THÔNG BÁO")
    para(doc, "Thực hiện chế độ đi công tác cơ sở của cán bộ Tỉnh đoàn, Ban Thường vụ Tỉnh đoàn thông báo kết quả "
              "của {{ ban }} {{ period_name }} (số liệu đến ngày {{ to_date }}) và những việc cần làm như sau:")
    para(doc, "1. Kết quả", "Heading 2")
    para(doc, "{{ ban }} có {{ d.cadres }} cán bộ, đã thực hiện {{ d.trips }} chuyến đi công tác cơ sở với "
              "tổng số {{ d.days }} ngày; {{ d.met }}/{{ d.required }} đồng chí đã đạt chỉ tiêu năm.")
    para(doc, "2. Những việc cần làm", "Heading 2")
    tag(doc, "{%p if reminders %}")
    tag(doc, "{%p for r in reminders %}")
    para(doc, "- {{ r.text }}{{ r.punct }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "- Không có việc nào cần nhắc; đề nghị Ban tiếp tục duy trì.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if has_problems %}")
    para(doc, "- Sửa {{ problems }} lỗi, cảnh báo dữ liệu trong sổ theo dõi của Ban: danh sách kèm theo (tệp {{ workbook }}, "
              "trang “Lỗi cần sửa”) ghi rõ sổ, trang, dòng, cột và cách sửa; sửa xong gửi lại sổ cho Văn phòng "
              "Tỉnh đoàn.")
    tag(doc, "{%p endif %}")
    signature_block(doc, "Đề nghị {{ ban }} đôn đốc cán bộ thực hiện các nội dung trên./.")
    finish(doc, path, "Mẫu thông báo gửi từng Ban")


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Tạo lại các mẫu báo cáo gốc (ghi đè các mẫu trong templates/).")
    parser.add_argument("--out", type=Path, default=ROOT / "templates",
                        help="ghi các mẫu gốc vào thư mục này thay vì templates/ (để chép lại một dòng bị xoá)")
    out = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    year_template(out / "bao_cao_nam.docx")
    progress_template(out / "bao_cao_tien_do.docx")
    notice_template(out / "thong_bao_ban.docx")


if __name__ == "__main__":
    main()
