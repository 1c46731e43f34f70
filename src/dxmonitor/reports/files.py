"""Where a round's report files live: `<out>/bao-cao-<round>.<ext>`."""

from __future__ import annotations

from pathlib import Path

FORMATS = ("docx", "pdf", "html")


def report_path(folder: Path, round_code: str, fmt: str) -> Path:
    return folder / f"bao-cao-{round_code}.{fmt}"


def report_files(folder: Path, round_code: str) -> list[Path]:
    """The report files of a round that exist, DOCX first."""
    return [p for fmt in FORMATS if (p := report_path(folder, round_code, fmt)).is_file()]
