"""`--pdf`: LibreOffice found where Windows installs it; when it is missing, crashes, hangs
or has no usable temporary folder, the run still writes the report and says in one
Vietnamese line why there is no PDF (never LibreOffice's own messages)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from dicoso.render import pdf

from conftest import AS_OF_ARGS, SAMPLES, cli

CRASH = "echo 'Application Error\nFatal exception: Signal 11\nStack:\n#0 /usr/lib/libreoffice/program/libuno' >&2; exit 139"


def fake_soffice(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("variable", ["ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"])
def test_libreoffice_is_found_in_its_windows_install_folder_without_path(tmp_path, variable):
    root = tmp_path / "Program Files"
    exe = root / "LibreOffice" / "program" / "soffice.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"")
    env = {"PATH": str(tmp_path / "empty"), variable: str(root)}
    assert pdf.soffice_path(env, platform="win32") == str(exe)
    assert pdf.soffice_path({"PATH": str(tmp_path / "empty")}, platform="win32") is None


def test_libreoffice_on_path_is_used_first(tmp_path):
    script = fake_soffice(tmp_path / "bin", "exit 0")
    assert pdf.soffice_path({"PATH": str(script.parent)}, platform="win32") == str(script)


def test_macos_looks_in_the_application_bundle():
    assert Path("/Applications/LibreOffice.app/Contents/MacOS/soffice") in pdf.soffice_candidates({}, "darwin")


def test_without_libreoffice_the_reason_says_where_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    with pytest.raises(pdf.PdfNotMade, match="không tìm thấy LibreOffice.*libreoffice.org"):
        pdf.to_pdf(tmp_path / "bao-cao.docx", tmp_path)


def test_a_crash_is_one_short_reason_without_libreoffices_messages(tmp_path):
    script = fake_soffice(tmp_path / "bin", CRASH)
    with pytest.raises(pdf.PdfNotMade) as why:
        pdf.to_pdf(tmp_path / "bao-cao.docx", tmp_path / "out", soffice=str(script))
    assert str(why.value) == ("LibreOffice dừng bất thường (mã 139); mở báo cáo .docx bằng Word và chọn Lưu thành "
                              "PDF nếu cần")


def test_a_hang_is_stopped_and_explained(tmp_path):
    script = fake_soffice(tmp_path / "bin", "sleep 30")
    with pytest.raises(pdf.PdfNotMade, match="không chuyển xong sang PDF sau 1 giây"):
        pdf.to_pdf(tmp_path / "bao-cao.docx", tmp_path / "out", timeout=1, soffice=str(script))


def test_an_unusable_temporary_folder_is_explained(tmp_path, monkeypatch):
    script = fake_soffice(tmp_path / "bin", "exit 0")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "TEMP đã bị xoá"))
    with pytest.raises(pdf.PdfNotMade, match=r"không chạy được LibreOffice \(.*\); kiểm tra thư mục tạm \(TEMP\)"):
        pdf.to_pdf(tmp_path / "bao-cao.docx", tmp_path / "out", soffice=str(script))


@pytest.fixture()
def small(tmp_path) -> Path:
    folder = tmp_path / "Sổ đi cơ sở 2020"
    folder.mkdir()
    shutil.copy2(SAMPLES / "Danh sach can bo chuyen trach 2020.xlsx", folder)
    shutil.copytree(SAMPLES / "Ban XDD", folder / "Ban XDD")
    return folder


def test_when_libreoffice_crashes_the_run_writes_the_report_and_says_why_there_is_no_pdf(
        small, tmp_path, capsys, monkeypatch):
    fake = fake_soffice(tmp_path / "bin", CRASH)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    out = tmp_path / "Kết quả"
    code, stdout, stderr = cli(capsys, small, "--year", "2020", *AS_OF_ARGS, "--out", out, "--pdf")
    assert code == 0
    assert (out / "bao-cao-2020.docx").is_file() and not (out / "bao-cao-2020.pdf").exists()
    assert ("Không xuất được bản PDF: LibreOffice dừng bất thường (mã 139); mở báo cáo .docx bằng Word và chọn "
            "Lưu thành PDF nếu cần. Báo cáo .docx vẫn được ghi.") in stdout
    assert "Stack" not in stdout + stderr and "Fatal" not in stdout + stderr
