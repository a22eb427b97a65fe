"""The report as the office signs and sends it without hand edits: the document number
left for the văn thư (or given with --so), title and recipients per report kind, rows
that never break across pages, dates that never break inside, names that wrap between
words only, and document properties like the office's own files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from dicoso.render import office as office_yaml
from dicoso.render import pdf as lo_pdf
from dicoso.render import report as render_docx
from dicoso.render.office import RenderError

from conftest import AS_OF, HERE, ROOT, SAMPLES, cli

YEAR_TPL = ROOT / "templates" / "bao_cao_nam.docx"
PROGRESS_TPL = ROOT / "templates" / "bao_cao_tien_do.docx"
OFFICE_YAML = ROOT / "templates" / "office.yaml"
NBSP = "\u00a0"
HAS_LO = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None


def load(name: str) -> dict:
    return json.loads((HERE / "fixtures" / name).read_text(encoding="utf-8"))


def office(**changes) -> dict:
    import yaml

    data = yaml.safe_load(OFFICE_YAML.read_text(encoding="utf-8"))
    data.update(changes)
    return data


def paragraphs(path: Path) -> list[str]:
    body = Document(str(path)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def render(tmp_path: Path, summary: dict, *, template: Path = YEAR_TPL, off: dict | None = None,
           number: str | None = None, name: str = "r.docx", as_of: date = AS_OF) -> Path:
    out = tmp_path / name
    render_docx.render_report(summary, off or office(), template, None, out, as_of=as_of, number=number)
    return out


# --- the document number ---------------------------------------------------------------
def test_number_is_left_blank_the_official_way_in_all_four_places(tmp_path):
    text = paragraphs(render(tmp_path, load("summary_year.json")))
    gap = NBSP * 6
    assert f"Số: {gap}-BC/TĐTN-VP" in text
    annexes = [p for p in text if p.startswith("(Kèm theo Báo cáo số")]
    assert len(annexes) == 3
    assert all(p.startswith(f"(Kèm theo Báo cáo số {gap}-BC/TĐTN-VP ngày{NBSP}05/01/2021 ") for p in annexes)
    assert not any("12-BC" in p for p in text)


def test_number_given_fills_every_place_and_codes_come_from_office_yaml(tmp_path):
    off = office(document_code={"issuer": "TĐTN", "unit": "BTC", "report": "BC"})
    text = paragraphs(render(tmp_path, load("summary_year.json"), off=off, number="15"))
    assert "Số: 15-BC/TĐTN-BTC" in text
    assert sum(p.startswith("(Kèm theo Báo cáo số 15-BC/TĐTN-BTC ngày") for p in text) == 3
    assert text[-1] != "- Lưu VP." and "- Lưu BTC." in text


def test_so_option_and_its_english_alias_reach_the_report_and_the_manifest(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli(capsys, "--help")
    assert "--so, --number SỐ" in capsys.readouterr().out
    for option in ("--so", "--number"):
        target = tmp_path / option.strip("-")
        code, _, err = cli(capsys, SAMPLES, "--month", "2020-05", "--as-of", "2020-06-12", option, "7",
                           "--out", target, "-q")
        assert code == 0, err
        assert "Số: 7-BC/TĐTN-VP" in paragraphs(target / "bao-cao-2020-05.docx")
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["options"]["number"] == "7"


def test_a_number_that_is_not_a_number_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        cli(capsys, SAMPLES, "--so", "15/BC", "--out", tmp_path)
    assert exc.value.code == 2 and 'số văn bản "15/BC" không hợp lệ' in capsys.readouterr().err


def test_the_old_fixed_number_in_office_yaml_is_refused_with_what_to_do():
    with pytest.raises(RenderError) as err:
        office_yaml.check_office(office(number="12-BC/TĐTN-VP"))
    assert "“number”" in err.value.message and "--so 15" in err.value.message
    assert "document_code" in err.value.message


def test_a_code_with_a_slash_is_refused():
    with pytest.raises(RenderError, match="document_code.unit"):
        office_yaml.check_office(office(document_code={"unit": "VP/BTC"}))


# --- title and recipients per report kind -------------------------------------------------
def test_each_report_kind_has_its_title_and_recipients_from_office_yaml(tmp_path):
    off = office(reports={
        "year": {"title": "Báo cáo tổng kết chủ trương 1+2 {kỳ}"},
        "quarter": {"title": "Tình hình đi cơ sở {kỳ}", "recipients": ["Thường trực Tỉnh đoàn (b/c);"]},
    })
    year = paragraphs(render(tmp_path, load("summary_year.json"), off=off, name="y.docx"))
    assert f"Báo cáo tổng kết chủ trương 1+2 năm{NBSP}2020" in year
    assert "- Ban Tổ chức Trung ương Đoàn (b/c);" in year  # the common list
    quarter = paragraphs(render(tmp_path, load("summary_quarter.json"), template=PROGRESS_TPL, off=off,
                                name="q.docx", as_of=date(2020, 10, 5)))
    assert f"Tình hình đi cơ sở Quý{NBSP}III/2020" in quarter
    recipients = quarter[quarter.index("Nơi nhận:") + 1:quarter.index("- Lưu VP.")]
    assert recipients == ["- Thường trực Tỉnh đoàn (b/c);"]


def test_the_shipped_office_yaml_sends_progress_reports_inside_the_province(tmp_path):
    text = paragraphs(render(tmp_path, load("summary_quarter.json"), template=PROGRESS_TPL, as_of=date(2020, 10, 5)))
    assert f"Tiến độ thực hiện chế độ đi công tác cơ sở của cán bộ Tỉnh đoàn Quý{NBSP}III/2020" in text
    assert "- Ban Tổ chức Trung ương Đoàn (b/c);" not in text
    assert "- Thường trực Tỉnh đoàn (b/c);" in text


def test_a_title_without_the_period_slot_is_refused():
    with pytest.raises(RenderError) as err:
        office_yaml.check_office(office(reports={"month": {"title": "Tiến độ đi cơ sở tháng 5"}}))
    assert "reports.month.title" in err.value.message and "{kỳ}" in err.value.message


# --- layout: rows, dates, names -------------------------------------------------------------
def test_no_table_row_breaks_across_pages(tmp_path):
    for template, fixture in ((YEAR_TPL, "summary_year.json"), (PROGRESS_TPL, "summary_quarter.json")):
        document = Document(str(render(tmp_path, load(fixture), template=template)))
        grids = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
        assert grids
        for table in grids:
            for tr in table._tbl.tr_lst:
                assert tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None, table.rows[0].cells[0].text
            # a Ban's heading row ("II | Ban Xây dựng Đoàn") stays on the page of its first cadre
            for row in table.rows[1:]:
                if re.fullmatch(r"[IVX]+", row.cells[0].text):
                    assert all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)


def test_dates_months_and_quarters_never_break_inside(tmp_path):
    text = "\n".join(paragraphs(render(tmp_path, load("summary_year.json"))))
    assert f"Quý{NBSP}II/2020: 100% (12/12);" in text
    assert f"tính từ ngày{NBSP}01/03/2020 đến ngày{NBSP}31/12/2020" in text  # the date is a tag's value
    assert f"Vĩnh Phúc, ngày{NBSP}05 tháng{NBSP}01 năm{NBSP}2021" in text
    assert not re.search(r"(?:[Nn]gày|[Tt]háng|[Nn]ăm|Quý) (?:\d|[IVX]+/)", text)
    month = dict(load("summary_quarter.json"), period={"kind": "month", "label": "2020-05", "start": "2020-05-01",
                                                       "end": "2020-05-31"})
    text = "\n".join(paragraphs(render(tmp_path, month, template=PROGRESS_TPL, name="m.docx")))
    assert f"tháng{NBSP}5/2020" in text


def pdf_words(docx: Path, out: Path) -> list[str]:
    pdf = lo_pdf.to_pdf(docx, out, timeout=180)
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()


@pytest.mark.skipif(not HAS_LO, reason="LibreOffice/poppler not installed (CI installs them)")
def test_names_and_headers_in_narrow_columns_wrap_between_words_only(tmp_path):
    summary = load("summary_quarter.json")
    long_name = "Nguyễn Thị Phương Thảo Nguyên"
    summary["cadres"][1]["name"] = summary["progress"]["at_risk"][0]["name"] = long_name
    summary["cadres"][1]["position"] = "Phó Chánh Văn phòng kiêm Trưởng ban Tuyên giáo"
    docx = render(tmp_path, summary, template=PROGRESS_TPL, as_of=date(2020, 10, 5))
    words = pdf_words(docx, tmp_path)
    year_words = pdf_words(render(tmp_path, load("summary_year.json"), name="y.docx"), tmp_path)
    # every syllable of what sits in a narrow column comes out whole, never cut inside a word
    for text in (long_name, "Phó Chánh Văn phòng kiêm Trưởng ban Tuyên giáo", "STT", "Chỉ tiêu (ngày)",
                 "Số ngày đã đi", "Cần đạt đến nay", "Chậm tiến độ", "Đúng tiến độ"):
        for word in text.split():
            assert word in words, (word, text)
    for text in ("STT", "Bình quân (ngày/ người)", "Tỷ lệ đạt", "Hạn nộp báo cáo", "Tình trạng", "28/05/2020",
                 "Quá hạn"):
        for word in text.split():
            assert word in year_words, (word, text)


# --- document properties --------------------------------------------------------------------
def test_properties_look_like_the_office_own_file(tmp_path):
    docx = render(tmp_path, load("summary_year.json"))
    with zipfile.ZipFile(docx) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode("utf-8")
        rels = z.read("_rels/.rels").decode("utf-8")
    assert not [n for n in names if "thumbnail" in n] and "thumbnail" not in rels  # no blank preview
    assert "Macintosh" not in app and "<Application>Microsoft Office Word</Application>" in app
    assert not re.search(r"<(Pages|Words|Characters|Lines|Paragraphs)>", app)  # nothing stale from the template
    assert "<Company>BCH ĐOÀN TỈNH VĨNH PHÚC</Company>" in app
    props = Document(str(docx)).core_properties
    assert props.title == "Báo cáo kết quả thực hiện chế độ đi công tác cơ sở của cán bộ Tỉnh đoàn năm 2020"
    assert props.subject == "Chế độ đi công tác cơ sở của cán bộ Đoàn (chủ trương 1+2)"
    assert props.comments == ""  # the template's "keep the tags" note stays in the template


def test_the_templates_themselves_carry_no_preview_nor_mac_word():
    for template in (YEAR_TPL, PROGRESS_TPL):
        with zipfile.ZipFile(template) as z:
            assert not [n for n in z.namelist() if "thumbnail" in n]
            assert "Macintosh" not in z.read("docProps/app.xml").decode("utf-8")
