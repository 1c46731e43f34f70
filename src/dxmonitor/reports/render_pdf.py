"""Convert a rendered DOCX report to PDF with LibreOffice running headless."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 180
# The DOCX's bookmarks become the PDF's named destinations: the visible signature is placed at the signer's one
# (issuing/signing.py). Fonts are embedded (subsets) by LibreOffice's PDF export as it is.
EXPORT_FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
MACOS_SOFFICE = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")


class PdfError(RuntimeError):
    """The PDF could not be made; carries the message in Vietnamese and in English."""

    def __init__(self, vi_message: str, en_message: str) -> None:
        super().__init__(f"{vi_message} / {en_message}")
        self.vi_message = vi_message
        self.en_message = en_message


def find_soffice() -> str | None:
    """Path of the LibreOffice executable, or None when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and MACOS_SOFFICE.is_file():
        found = str(MACOS_SOFFICE)
    return found


def render_pdf(docx_path: Path, pdf_path: Path, timeout: float = TIMEOUT_SECONDS) -> Path:
    """Convert `docx_path` to a PDF at `pdf_path` and return the PDF's path."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(
            "Cần LibreOffice để xuất PDF: chạy scripts/system-deps",
            "LibreOffice is needed for PDF: run scripts/system-deps",
        )
    if not docx_path.is_file():
        raise PdfError(f"Không tìm thấy tệp {docx_path}", f"File not found: {docx_path}")
    with tempfile.TemporaryDirectory(prefix="dxmonitor-pdf-") as scratch:
        # A private profile per run: two soffice processes sharing one profile block or fail.
        profile = Path(scratch, "profile").as_uri()
        outdir = Path(scratch, "out")
        command = [
            soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore",
            "--nolockcheck", "--nodefault", "--convert-to", EXPORT_FILTER,
            "--outdir", str(outdir), str(docx_path.resolve()),
        ]  # fmt: skip
        returncode, output = _run(command, timeout)
        produced = outdir / f"{docx_path.stem}.pdf"
        if returncode != 0 or not produced.is_file():
            detail = output.strip()[-500:] or f"exit status {returncode}"
            raise PdfError(
                f"LibreOffice không chuyển được {docx_path.name} sang PDF: {detail}",
                f"LibreOffice could not convert {docx_path.name} to PDF: {detail}",
            )
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(produced, pdf_path)
    return pdf_path


def _run(command: list[str], timeout: float) -> tuple[int, str]:
    """Run soffice in its own process group so a timeout also ends the soffice.bin it spawns."""
    env = {**os.environ, "HOME": os.environ.get("HOME") or tempfile.gettempdir()}
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfError(
                f"LibreOffice quá {timeout:g} giây mà chưa xuất xong PDF",
                f"LibreOffice did not finish the PDF within {timeout:g} seconds",
            ) from None
    return process.returncode, output or ""
