"""The report templates as a clerk breaks them in Word: a brace missing or extra, a tag
half bold, an unknown variable, a loop row deleted. Every slip stops the run before the
old report moves (exit 1), and the message names the tag exactly as Word shows it
(with its p/tr prefix), the section or appendix, and the nearest sentence, in Vietnamese."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from dicoso.cli import main as cli_main
from dicoso.render import office as office_yaml
from dicoso.render import report as render_docx
from dicoso.render import template_check
from dicoso.render.office import RenderError

from builders import delete_rows, edit_template, half_bold
from conftest import AS_OF, AS_OF_ARGS, HERE, SAMPLES, TEMPLATES, cli, docx_text, files

YEAR_TPL = TEMPLATES / "bao_cao_nam.docx"
PROGRESS_TPL = TEMPLATES / "bao_cao_tien_do.docx"


def load(name: str) -> dict:
    return json.loads((HERE / "fixtures" / name).read_text(encoding="utf-8"))


def fails(template: Path, fixture: str = "summary_year.json") -> str:
    office = office_yaml.load_office(TEMPLATES / "office.yaml")
    with pytest.raises(RenderError) as err:
        render_docx.render_report(load(fixture), office, template, None, template.with_suffix(".out.docx"),
                                  as_of=AS_OF)
    message = err.value.message
    assert template.name in message
    for english in ("Encountered", "unknown tag", "undefined", "has no attribute", "Traceback", "expected"):
        assert english not in message, message
    return message


def edited(tmp_path: Path, old: str, new: str, template: Path = YEAR_TPL) -> Path:
    return edit_template(template, tmp_path / f"sua {template.name}", old, new)


def test_a_template_edited_between_two_renders_of_one_process_gives_the_edited_text(tmp_path):
    """Compiled template parts are reused within a process (`watch` runs for days): an edit
    in Word must show in the next report all the same."""
    office = office_yaml.load_office(TEMPLATES / "office.yaml")
    template = tmp_path / "mau.docx"
    shutil.copy(YEAR_TPL, template)
    render_docx.render_report(load("summary_year.json"), office, template, None, tmp_path / "a.docx", as_of=AS_OF)
    edit_template(YEAR_TPL, template, "cán bộ chuyên trách", "cán bộ chuyên trách (đã sửa mẫu)")
    render_docx.render_report(load("summary_year.json"), office, template, None, tmp_path / "b.docx", as_of=AS_OF)
    assert "(đã sửa mẫu)" not in docx_text(tmp_path / "a.docx") and "(đã sửa mẫu)" in docx_text(tmp_path / "b.docx")


# --- braces ---------------------------------------------------------------------------------
def test_missing_opening_brace_is_named_with_its_paragraph(tmp_path):
    message = fails(edited(tmp_path, "{{ office.signer_name }}", "{ office.signer_name }}"))
    assert "“{ office.signer_name }}”" in message and "thiếu một dấu “{” ở đầu" in message
    assert "phần chữ ký và nơi nhận" in message


def test_missing_closing_brace_is_named_not_a_later_tag(tmp_path):
    message = fails(edited(tmp_path, "{{ t.cadres }} cán bộ chuyên trách", "{{ t.cadres } cán bộ chuyên trách"))
    assert "“{{ t.cadres }”" in message and "thiếu một dấu “}” ở cuối" in message
    assert "{{ year }}”" not in message.split("trong đoạn")[0]
    assert "mục “1. Kết quả chung”" in message
    assert "trong đoạn “Năm {{ year }}, {{ t.cadres } cán bộ chuyên trách" in message


def test_extra_closing_brace_is_named(tmp_path):
    message = fails(edited(tmp_path, "tổng số {{ t.days }} ngày", "tổng số {{ t.days }}} ngày"))
    assert "“{{ t.days }}}”" in message and "thừa một dấu ngoặc nhọn" in message


def test_single_braces_are_named(tmp_path):
    message = fails(edited(tmp_path, "{{ place_date }}", "{ place_date }"))
    assert "“{ place_date }”" in message and "phần đầu văn bản" in message


def test_a_tag_half_bold_still_renders(tmp_path):
    template = half_bold(YEAR_TPL, tmp_path / "dam.docx", "{{ t.met_share }}", 7)
    out = tmp_path / "r.docx"
    office = office_yaml.load_office(TEMPLATES / "office.yaml")
    render_docx.render_report(load("summary_year.json"), office, template, None, out, as_of=AS_OF)
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "đạt chỉ tiêu số ngày đi cơ sở, chiếm 83,3%." in text


# --- variables --------------------------------------------------------------------------------
def test_unknown_variable_is_named_as_typed_with_a_suggestion(tmp_path):
    message = fails(edited(tmp_path, "{{ t.cadres }} cán bộ chuyên trách", "{{ t.cadre }} cán bộ chuyên trách"))
    assert message.startswith(f"Mẫu sua {YEAR_TPL.name}: thẻ “{{{{ t.cadre }}}}” ở mục “1. Kết quả chung”")
    assert "biến “t.cadre” không có" in message and "Có phải “t.cadres”" in message


def test_unknown_name_at_the_top(tmp_path):
    message = fails(edited(tmp_path, "{{ place_date }}", "{{ ngay_thang }}"))
    assert "thẻ “{{ ngay_thang }}” ở phần đầu văn bản" in message and "biến “ngay_thang”" in message


# --- loops ------------------------------------------------------------------------------------
def test_deleted_loop_row_says_which_appendix_lost_it(tmp_path):
    template = delete_rows(YEAR_TPL, tmp_path / "mat dong.docx", "{%tr for c in d.rows %}")
    message = fails(template)
    assert "Phụ lục I" in message and "“{%tr endfor %}”" in message
    assert "không có thẻ mở tương ứng" in message and "{%tr for … %}" in message


def test_deleted_data_row_is_an_error_not_an_empty_appendix(tmp_path):
    template = delete_rows(YEAR_TPL, tmp_path / "mat so lieu.docx", "{{ c.stt }}")
    message = fails(template)
    assert "vòng lặp “{%tr for c in d.rows %}” ở Phụ lục I" in message
    assert "không còn dòng số liệu" in message and "{{ c.… }}" in message


def test_deleted_end_row_names_the_loop_left_open(tmp_path):
    template = delete_rows(YEAR_TPL, tmp_path / "mat dong cuoi.docx", "{%tr endfor %}", after="{{ r.status }}")
    message = fails(template)
    assert "thẻ “{%tr for g in report_groups %}” ở Phụ lục III" in message
    assert "chưa có thẻ đóng “{%tr endfor %}”" in message


def test_unknown_field_of_a_loop_item_is_named_with_the_fields_it_has(tmp_path):
    message = fails(edited(tmp_path, "{{ c.name }}", "{{ c.nam }}"))
    assert "thẻ “{{ c.nam }}” ở Phụ lục I, bảng" in message and "Có phải “c.name”" in message


def test_a_whole_appendix_loop_deleted_is_an_error(tmp_path):
    # the three rows of Phụ lục II's loop: {%tr for %}, the data row, {%tr endfor %}
    start = delete_rows(YEAR_TPL, tmp_path / "a.docx", "{%tr for d in departments %}", "{%tr endfor %}",
                        after="KẾT QUẢ ĐI CÔNG TÁC CƠ SỞ THEO BAN")
    message = fails(delete_rows(start, tmp_path / "mat vong lap.docx", "{{ d.stt }}"))
    assert "bảng của Phụ lục II không còn dòng lặp {%tr for … %}" in message


def test_loop_left_open_is_named(tmp_path):
    message = fails(edited(tmp_path, "{%p endfor %}", ""))
    assert "“{%p for r in registration %}”" in message and "chưa có thẻ đóng “{%p endfor %}”" in message


def test_progress_template_lost_its_at_risk_row(tmp_path):
    template = delete_rows(PROGRESS_TPL, tmp_path / "tien do.docx", "{{ a.stt }}")
    message = fails(template, "summary_quarter.json")
    assert "vòng lặp “{%tr for a in at_risk %}”" in message and "mục “2. Cán bộ có nguy cơ" in message


# --- after rendering: nothing of a tag left in the text ------------------------------------
def test_any_brace_left_after_rendering_stops_the_run(tmp_path, monkeypatch):
    """The check on the rendered text catches what the template check would have missed."""
    monkeypatch.setattr(template_check, "lint", lambda body, name: template_check.tags(template_check.paragraphs(body)))
    message = fails(edited(tmp_path, "{{ office.signer_name }}", "{ office.signer_name }}"))
    assert "vẫn còn phần thẻ chưa được thay" in message and "“{ office.signer_name }}”" in message


def test_braces_typed_in_the_registers_are_not_taken_for_tags(tmp_path):
    summary = load("summary_year.json")
    summary["cadres"][0]["name"] = "Nguyễn {Văn} Hùng }}"
    out = tmp_path / "r.docx"
    render_docx.render_report(summary, office_yaml.load_office(TEMPLATES / "office.yaml"), YEAR_TPL, None, out,
                              as_of=AS_OF)
    assert "Nguyễn {Văn} Hùng }}" in [c.text for t in Document(str(out)).tables for r in t.rows for c in r.cells]


# --- the whole run, as the clerk meets it ----------------------------------------------------
def test_a_broken_template_stops_the_run_and_keeps_the_old_report(tmp_path, monkeypatch, capsys):
    out_dir = tmp_path / "ket qua"
    assert cli(capsys, SAMPLES, "--year", "2020", *AS_OF_ARGS, "--out", out_dir, "-q")[0] == 0
    before = files(out_dir)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    edit_template(TEMPLATES / "bao_cao_nam.docx", templates / "bao_cao_nam.docx", "{{ office.signer_name }}",
                  "{ office.signer_name }}")
    original = cli_main.options_from_args
    monkeypatch.setattr(cli_main, "options_from_args", lambda args, check_only: dataclasses.replace(
        original(args, check_only), templates_dir=templates))
    code, out, err = cli(capsys, SAMPLES, "--year", "2020", *AS_OF_ARGS, "--out", out_dir)
    assert code == 1
    assert "“{ office.signer_name }}”" in out + err and "Traceback" not in out + err
    assert files(out_dir) == before and not (out_dir / "lich-su").exists()


def test_the_shipped_templates_pass_the_check():
    for template in (YEAR_TPL, PROGRESS_TPL):
        tpl = render_docx.open_template(template)
        found = template_check.lint(tpl.docx.element.body, template.name)
        assert {t.text for t in found} >= {"{{ office.number }}", "{{ title }}"}
    assert date(2021, 1, 5) == AS_OF
