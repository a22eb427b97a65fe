"""The report as PDF, converted by LibreOffice (`--pdf`)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .office import RenderError


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_path: Path, out_dir: Path, timeout: int = 120) -> Path | None:
    """Convert with LibreOffice (own throw-away profile, time limit).

    Returns the PDF path, or None when LibreOffice is not installed; raises
    RenderError when the conversion fails or takes too long.
    """
    soffice = soffice_path()
    if soffice is None:
        return None
    docx_path, out_dir = Path(docx_path), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dicoso-lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)]
        # its own session, so that a hung soffice.bin can be killed with its launcher
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=sys.platform != "win32")
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if sys.platform != "win32":
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
            proc.communicate()
            raise RenderError(f"LibreOffice không chuyển xong {docx_path.name} sang PDF sau "
                              f"{timeout} giây.") from None
    pdf = out_dir / (docx_path.stem + ".pdf")
    if proc.returncode != 0 or not pdf.exists():
        detail = err.decode("utf-8", "replace").strip()[:300]
        raise RenderError(f"LibreOffice không chuyển được {docx_path.name} sang PDF: {detail}")
    return pdf
