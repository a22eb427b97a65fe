"""The report as PDF, converted by LibreOffice (`--pdf`).

A PDF is an extra: when LibreOffice is missing, crashes, hangs or cannot work (no
usable temporary folder, a broken profile), the run still writes every other output
and says in one Vietnamese line why the PDF was not made (`PdfNotMade`), never with
LibreOffice's own messages.

On Windows LibreOffice's installer does not put `soffice` on PATH, so its standard
install folders (64-bit and 32-bit Program Files) and the install path it records in
the registry are looked at too; on macOS the application bundle.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path


class PdfNotMade(Exception):
    """The PDF could not be made; str(exc) is the short Vietnamese reason."""


def _registry_install_dirs() -> list[Path]:
    """The program folders LibreOffice's Windows installer records (HKLM, both registry views)."""
    if sys.platform != "win32":  # (also tells the type checker that winreg is Windows-only)
        return []
    import winreg

    found = []
    for view in (0x0100, 0x0200):  # KEY_WOW64_64KEY, KEY_WOW64_32KEY
        try:
            key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\LibreOffice\UNO\InstallPath", 0,
                                 winreg.KEY_READ | view)
            value, _ = winreg.QueryValueEx(key, "")
            found.append(Path(value))
        except OSError:
            continue
    return found


def soffice_candidates(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> list[Path]:
    """Where LibreOffice's `soffice` is when it is not on PATH, most likely first."""
    env = os.environ if environ is None else environ
    if platform == "win32":
        roots = [env.get(v) for v in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
        folders = [Path(r) / name / "program" for r in dict.fromkeys(r for r in roots if r)
                   for name in ("LibreOffice", "LibreOffice 7", "LibreOffice 24", "LibreOffice 25")]
        return [f / "soffice.exe" for f in folders + _registry_install_dirs()]
    if platform == "darwin":
        return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return [Path("/opt/libreoffice/program/soffice"), Path("/usr/lib/libreoffice/program/soffice")]


def soffice_path(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> str | None:
    env = os.environ if environ is None else environ
    on_path = shutil.which("soffice", path=env.get("PATH")) or shutil.which("libreoffice", path=env.get("PATH"))
    if on_path:
        return on_path
    return next((str(c) for c in soffice_candidates(env, platform) if c.is_file()), None)


def to_pdf(docx_path: Path, out_dir: Path, timeout: int = 120, soffice: str | None = None) -> Path:
    """Convert with LibreOffice (own throw-away profile, time limit); raises PdfNotMade."""
    soffice = soffice or soffice_path()
    if soffice is None:
        raise PdfNotMade("không tìm thấy LibreOffice trên máy (cài LibreOffice từ libreoffice.org rồi chạy lại)")
    docx_path, out_dir = Path(docx_path), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="dicoso-lo-") as profile:
            proc = _convert(soffice, Path(profile), docx_path, out_dir, timeout)
    except OSError as exc:  # no usable temporary folder, or soffice could not be started
        raise PdfNotMade(f"không chạy được LibreOffice ({exc.strerror or exc}); kiểm tra thư mục tạm (TEMP) "
                         "của máy còn chỗ trống và ghi được") from None
    pdf = out_dir / (docx_path.stem + ".pdf")
    if proc.returncode != 0 or not pdf.exists():
        how = f"LibreOffice dừng bất thường (mã {proc.returncode})" if proc.returncode else "LibreOffice không tạo ra tệp PDF"
        raise PdfNotMade(f"{how}; mở báo cáo .docx bằng Word và chọn Lưu thành PDF nếu cần")
    return pdf


def _convert(soffice: str, profile: Path, docx_path: Path, out_dir: Path, timeout: int) -> subprocess.CompletedProcess:
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)]
    # its own session, so that a hung soffice.bin can be killed with its launcher; its messages
    # (a crash prints a stack dump) are kept from the clerk's console
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                            start_new_session=sys.platform != "win32")
    try:
        proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if sys.platform != "win32":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.communicate()
        raise PdfNotMade(f"LibreOffice không chuyển xong sang PDF sau {timeout} giây") from None
    return subprocess.CompletedProcess(cmd, proc.returncode)
