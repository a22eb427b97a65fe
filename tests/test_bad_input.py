"""Bad input, safety and never losing data (issue 6).

Every case drops one bad file beside a good register and the roster, runs the real
command line in-process and asserts: the exit code, a Vietnamese message naming the
file (and sheet/row where there is one), that the good trip was still counted, and
that the accounting balances. The bad files are built by tests/corpus.py.
"""

from __future__ import annotations

import json
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import corpus
import pytest
from docx import Document

from dicoso.errors import RunFailed as RunError
from dicoso.errors import SettingsError
from dicoso.pipeline import Options, run
from dicoso.publish import staging as output
from dicoso.read.folder import read_folder
from dicoso.read.limits import Limits

from builders import edit_template
from conftest import RULES, TEMPLATES, cli, files

ARGS = ["--year", "2020", "--as-of", "2021-01-05"]


@dataclass(frozen=True)
class Case:
    build: Callable[[Path], str]
    code: str | None  # Issue code expected for the bad file (None: no Issue, e.g. a skipped lock file)
    severity: str | None
    words: str  # Vietnamese words the message must contain
    row: int | None = None  # Excel row named by the message, when the problem has one
    sheet: str | None = None
    counted: dict[str, int] | None = None  # extra cadres' counted days (default: only the good trip)


CASES: dict[str, Case] = {
    "corrupt_zip": Case(corpus.corrupt_zip, "file_corrupt", "error", "bị hỏng"),
    "truncated_zip": Case(corpus.truncated_zip, "file_corrupt", "error", "chưa được sao chép hết"),
    "zero_byte_file": Case(corpus.zero_byte, "file_empty", "error", "Tệp rỗng"),
    "password_protected": Case(corpus.password_protected, "file_encrypted", "error", "mật khẩu"),
    "html_saved_as_xls": Case(corpus.html_saved_as_xls, "file_html", "error", "trang web"),
    "csv_renamed_xlsx": Case(corpus.csv_renamed_xlsx, "file_text", "error", "tệp văn bản"),
    "xml_2003_spreadsheet": Case(corpus.xml_2003, "file_xml2003", "error", "XML 2003"),
    "word_document_renamed": Case(corpus.word_renamed_xlsx, "file_docx", "error", "văn bản Word"),
    "xlsb_binary_book": Case(corpus.xlsb_book, "file_xlsb", "error", ".xlsb"),
    "unknown_binary": Case(corpus.unknown_binary, "file_unknown", "error", "Không nhận ra định dạng"),
    "excel_lock_file_of_open_book": Case(corpus.excel_lock_file, None, None, "khoá tạm của Excel"),
    "other_office_export_no_header": Case(corpus.other_office_export, "sheet_unrecognised", "warning",
                                          "không có dòng tiêu đề", sheet="Dự toán"),
    "only_a_header": Case(corpus.only_header, "book_no_data", "warning", "chỉ có dòng tiêu đề", sheet="T4"),
    "header_missing_date_columns": Case(corpus.header_missing_required, "missing_columns", "error",
                                        "thiếu cột ngày", row=1, sheet="T4"),
    "duplicated_header_names": Case(corpus.duplicated_header_names, "duplicate_column", "warning",
                                    "nhiều cột cùng nghĩa", row=1, sheet="T4", counted={"Trần Thị Bình": 2}),
    "formula_without_cached_value": Case(corpus.formula_without_cached_value, "formula_without_value", "error",
                                         "chưa lưu kết quả của công thức", row=5, sheet="T4"),
    "days_column_of_text": Case(corpus.days_as_text, "bad_days", "warning", "không phải là số", row=5, sheet="T3",
                                counted={"Trần Thị Bình": 3}),
    "date_before_1900": Case(corpus.date_before_1900, "bad_date_start", "error", "1899", row=5, sheet="T3"),
    "date_far_in_the_future": Case(corpus.date_far_future, "bad_date_start", "error", "9999", row=5, sheet="T3"),
    "dimension_a1_xfd1048576_ten_rows": Case(corpus.dimension_lie, None, None, "", counted={"Trần Thị Bình": 6}),
    "stray_cell_at_xfd1048576": Case(corpus.stray_far_cell, "sheet_too_large", "error", "XFD1048576", sheet="Rác",
                                     counted={"Trần Thị Bình": 1}),
    "zip_bomb_ratio": Case(corpus.zip_bomb, "file_zip_bomb", "error", "từ chối đọc"),
    "zip_bomb_entry_count": Case(corpus.zip_many_entries, "file_zip_bomb", "error", "quá nhiều phần"),
    "xml_entity_bomb": Case(corpus.xml_entity_bomb, "file_xml_entities", "error", "DOCTYPE/ENTITY"),
    "formula_text_in_names": Case(corpus.formula_text_in_cells, "unknown_name", "error", "=HYPERLINK", row=5,
                                  sheet="T3", counted={"Trần Thị Bình": 1}),
    "jinja_syntax_in_cells": Case(corpus.jinja_in_cells, None, None, "", counted={"Lê {{ 7*7 }} Hòa": 3}),
    "tcvn3_garbled_name": Case(corpus.tcvn3_name, "legacy_encoding_converted", "info", "TCVN3", row=5, sheet="T3",
                               counted={"Trần Thị Bình": 3}),
}


def run_cli(argv: list[str], capsys) -> tuple[int, str]:
    """The command line's exit code and everything it printed, stdout and stderr together."""
    code, out, err = cli(capsys, *argv)
    return code, out + err


def balanced(acc: dict) -> bool:
    trips = acc["rows_read"] == acc["trips_counted"] + acc["duplicates_merged"] + acc["rows_rejected"] + acc["rows_skipped"]
    others = all(a["read"] == a["used"] + a["rejected"] + a["skipped"]
                 for a in (acc["roster_rows"], acc["registration_rows"]))
    return trips and others


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """One drop folder per case: the good register, the roster and the bad file."""
    base = tmp_path_factory.mktemp("corpus")
    out = {}
    for name, case in CASES.items():
        folder = base / name / "in"
        corpus.good_folder(folder)
        out[name] = (folder, case.build(folder))
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_explained_and_the_rest_is_counted(name, folders, tmp_path, capsys):
    case = CASES[name]
    folder, bad = folders[name]
    out_dir = tmp_path / "out"
    code, text = run_cli([str(folder), *ARGS, "--out", str(out_dir), "-v"], capsys)

    assert code == 0, text  # outputs written; data problems are listed, not fatal
    assert "Traceback" not in text
    assert bad in text and case.words in text
    summary = json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))
    mine = [i for i in summary["issues"] if i["file"] == bad]
    if case.code:
        found = [i for i in mine if i["code"] == case.code]
        assert found, mine
        first = found[0]
        assert first["severity"] == case.severity and case.words in first["message"] + first["file"]
        assert first["suggestion"], first
        assert (first["sheet"] or None) == case.sheet and first["row"] == case.row
    days = {c["name"]: c["counted_days"] for c in summary["cadres"] if c["counted_days"]}
    assert days == {corpus.GOOD_NAME: 3, **(case.counted or {})}
    assert balanced(summary["accounting"]), summary["accounting"]
    assert not [i for i in summary["issues"] if i["code"] == "accounting_mismatch"]

    # `check` exits 1 exactly when there are errors, and `--strict` likewise for a report run.
    errors = any(i["severity"] == "error" for i in summary["issues"])
    code, text = run_cli(["check", str(folder), *ARGS], capsys)
    assert code == (1 if errors else 0) and "Traceback" not in text


def test_formula_and_jinja_text_from_cells_never_runs(folders, tmp_path, capsys):
    """Input text is written as text into every .xlsx and shown literally in the .docx."""
    folder = tmp_path / "in"
    shutil.copytree(folders["formula_text_in_names"][0], folder)
    corpus.jinja_in_cells(folder)
    out_dir = tmp_path / "out"
    code, text = run_cli([str(folder), *ARGS, "--out", str(out_dir)], capsys)
    assert code == 0, text
    books = sorted(out_dir.glob("*.xlsx"))
    assert len(books) == 2
    for path in books:
        with zipfile.ZipFile(path) as z:
            for part in z.namelist():
                if part.startswith("xl/worksheets/"):
                    assert b"<f>" not in z.read(part) and b"<f " not in z.read(part), (path.name, part)
    import openpyxl

    texts = set()
    for path in books:
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (path.name, ws.title, c.coordinate, c.value)
                    if isinstance(c.value, str):
                        texts.add(c.value)
    assert '=HYPERLINK("http://evil.example","x")' in texts and "@SUM(A1:A9)" in texts and "+1+1" in texts
    assert "{{ 7*7 }}" in texts

    report = Document(str(next(out_dir.glob("*.docx"))))
    body = "\n".join(p.text for p in report.paragraphs) + "\n".join(
        c.text for t in report.tables for r in t.rows for c in r.cells)
    assert "Lê {{ 7*7 }} Hòa" in body and "Lê 49 Hòa" not in body


# --- the output side: never damage a previous report -------------------------------------


@pytest.fixture()
def published(tmp_path, capsys):
    """A good folder and a first run's outputs (bytes kept for comparison)."""
    folder = corpus.good_folder(tmp_path / "Sổ đi cơ sở 2020" / "Ban Tuyên giáo")
    out_dir = tmp_path / "Kết quả" / "2020"
    code, text = run_cli([str(folder), *ARGS, "--out", str(out_dir)], capsys)
    assert code == 0, text
    before = {p.name: p.read_bytes() for p in out_dir.iterdir() if p.is_file()}
    return folder, out_dir, before


def test_vietnamese_folder_path_with_spaces(published):
    folder, out_dir, before = published
    assert "Sổ đi cơ sở 2020" in str(folder)
    assert {"summary.json", "bao-cao-2020.docx", "tong-hop-2020.xlsx"} <= set(before)
    acc = json.loads(before["summary.json"])["accounting"]
    assert acc["trips_counted"] == 1 and balanced(acc)


def test_read_only_output_folder_is_refused_with_a_message(published, capsys, monkeypatch):
    folder, out_dir, before = published

    def refuse(*args, **kwargs):  # CI runs as root, which ignores chmod: say what the OS says to a clerk
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkdtemp", refuse)
    code, text = run_cli([str(folder), *ARGS, "--out", str(out_dir)], capsys)
    assert code == 1 and "Traceback" not in text
    assert "quyền ghi" in text and str(out_dir) in text
    assert files(out_dir) == before


def test_report_held_open_in_word_is_refused_and_previous_kept(published, capsys):
    folder, out_dir, before = published
    (out_dir / "~$o-cao-2020.docx").write_bytes(b"lock")  # what Word leaves beside an open document
    code, text = run_cli([str(folder), *ARGS, "--out", str(out_dir)], capsys)
    assert code == 1 and "Traceback" not in text
    assert "đang được mở" in text and "Đóng tệp đó" in text and "bao-cao-2020.docx" in text
    assert {k: v for k, v in files(out_dir).items() if not k.startswith("~$")} == before
    assert not (out_dir / "lich-su").exists()


def test_run_failing_midway_leaves_previous_outputs_byte_identical(published, capsys, monkeypatch):
    folder, out_dir, before = published
    from dicoso.render import workbook as render_xlsx

    def crash(*args, **kwargs):
        raise MemoryError("simulated crash half way through writing")

    monkeypatch.setattr(render_xlsx, "write_problems", crash)
    code, text = run_cli([str(folder), *ARGS, "--out", str(out_dir)], capsys)
    assert code == 1 and "Traceback" not in text
    assert files(out_dir) == before
    assert not [p for p in out_dir.iterdir() if p.name.startswith(".")]


def test_rules_file_with_a_wrong_type_names_file_and_key(published, tmp_path, capsys):
    folder, out_dir, before = published
    src = RULES / "vinh-phuc-2020.yaml"
    bad = tmp_path / "quy tac sai.yaml"
    text = src.read_text(encoding="utf-8")
    assert "quota_days: 60" in text
    bad.write_text(text.replace("quota_days: 60", "quota_days: sáu mươi"), encoding="utf-8")
    code, out = run_cli([str(folder), *ARGS, "--out", str(out_dir), "--rules", str(bad)], capsys)
    assert code == 1 and "Traceback" not in out
    assert "quy tac sai.yaml" in out and "quota_days" in out
    assert files(out_dir) == before


def edited_templates(tmp_path: Path, old: str, new: str) -> Path:
    src = TEMPLATES
    dst = tmp_path / "templates"
    shutil.copytree(src, dst)
    edit_template(src / "bao_cao_nam.docx", dst / "bao_cao_nam.docx", old, new)
    return dst


@pytest.mark.parametrize("old, new, words", [
    ("{{ t.met_share }}", "{{ t.met_share | }}", "cú pháp"),
    ("{{ t.trips }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "không được phép"),
], ids=["broken_tag", "reaches_for_python_internals"])
def test_edited_template_is_refused_with_a_message(published, tmp_path, old, new, words):
    folder, out_dir, before = published
    opts = Options(input_dir=folder, period_kind="year", period_value="2020",
                   as_of=__import__("datetime").date(2021, 1, 5), out=out_dir,
                   templates_dir=edited_templates(tmp_path, old, new), workers=1)
    with pytest.raises(RunError) as err:
        run(opts)
    assert new in str(err.value) and words in str(err.value) and "bao_cao_nam.docx" in str(err.value)
    assert files(out_dir) == before


def test_two_runs_give_identical_bytes(folders, tmp_path, capsys):
    folder = folders["formula_text_in_names"][0]
    runs = []
    for n in (1, 2):
        out_dir = tmp_path / f"run{n}"
        code, text = run_cli([str(folder), *ARGS, "--out", str(out_dir)], capsys)
        assert code == 0, text
        runs.append(files(out_dir))
    assert runs[0].keys() == runs[1].keys() and len(runs[0]) >= 6
    assert [k for k in runs[0] if runs[0][k] != runs[1][k]] == []


# --- size and time bounds --------------------------------------------------------------------


def test_100k_row_sheet_is_read_completely_and_quickly(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    corpus.sheet_100k_rows(folder)
    t = time.perf_counter()
    res = read_folder(folder, workers=1)
    elapsed = time.perf_counter() - t
    assert len(res.trips) == 100_000 and res.issues == []
    assert [(a.rows_read, a.rows_skipped, a.rows_rejected) for a in res.files] == [(100_000, 0, 0)]
    assert elapsed < 20, elapsed  # ~4 s on a CI machine; the bound catches a quadratic slip


def test_limits_are_configurable(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    register = corpus.good_folder(folder) / "BTG thang 03-2020.xlsx"
    assert read_folder(folder, workers=1).issues == []
    res = read_folder(folder, Limits(max_zip_entries=3), workers=1)
    assert {i.code for i in res.issues} == {"file_zip_bomb"} and register.name in {i.file for i in res.issues}
    monkeypatch.setenv("DICOSO_MAX_CELLS_PER_SHEET", "20")
    assert Limits().max_cells_per_sheet == 20
    res = read_folder(folder, workers=1)
    assert {i.code for i in res.issues} == {"sheet_too_large"}
    monkeypatch.setenv("DICOSO_MAX_CELLS_PER_SHEET", "nhiều")
    with pytest.raises(SettingsError, match="DICOSO_MAX_CELLS_PER_SHEET"):
        Limits()


def test_entity_bomb_is_refused_before_parsing_in_bounded_time(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    corpus.xml_entity_bomb(folder)
    t = time.perf_counter()
    res = read_folder(folder, workers=1)
    assert time.perf_counter() - t < 2
    assert [(i.file, i.code) for i in res.issues] == [("bom xml.xlsx", "file_xml_entities")]


def test_formula_cells_with_stored_values_are_not_flagged(tmp_path):
    """Excel stores results (and an empty text result as t="str" with an empty <v>)."""
    rows = corpus.register_rows([[1, "Trần Thị Bình", "Chuyên viên", "06/04/2020", "07/04/2020"]])
    xml = corpus.sheet_xml(rows).replace(
        b"</row></sheetData>",
        b'<c r="F5"><f>E5-D5+1</f><v>2</v></c><c r="L5" t="str"><f>IF(1,"","")</f><v></v></c></row></sheetData>')
    folder = tmp_path / "in"
    corpus.raw_xlsx(folder / "excel.xlsx", {"T3": xml})
    res = read_folder(folder, workers=1)
    assert res.issues == [] and len(res.trips) == 1
