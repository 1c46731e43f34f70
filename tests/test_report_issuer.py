"""The issuing agency belongs to the round: each round keeps the header it was issued under (agency, parent agency,
place, signer, number series), a new round takes the issuer in force on its days (issuers.yaml, or a deployment's
overrides), and an admin's edit of it changes that round's report and is recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from docx_text import docx_text

DATA = Path(__file__).parent / "data"


def report_text(code: str, folder: Path) -> str:
    """The text of `dxmonitor report --round CODE` as a DOCX (the demo rounds lack some units: a reason is given)."""
    call_command("report", round=code, format="docx", out=folder, incomplete_reason="kiểm thử / test")
    return docx_text(folder / f"bao-cao-{code}.docx")


@pytest.mark.parametrize("code", ["2022-05", "2022-06"])
def test_a_2022_report_is_the_same_text_as_before_issuers_were_per_round(db: None, tmp_path: Path, code: str) -> None:
    expected = (DATA / f"report-{code}.docx.txt").read_text(encoding="utf-8")

    assert report_text(code, tmp_path) == expected
