"""A computer with a weakness has at least one: the catalogue's `not_below` rule of the security scan, on a whole
round (`dxmonitor check`) and on an upload (a filled template warns), never blocking."""

from __future__ import annotations

import contextlib
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.intake.templates import FIRST_DATA_ROW, write_template
from dxmonitor.problems import Severity
from writing import check_files

pytestmark = pytest.mark.django_db


def check(code: str) -> str:
    """`dxmonitor check --round CODE`'s output; it exits 1 for the seeds' other slips (errors), not for these."""
    out = io.StringIO()
    with contextlib.suppress(SystemExit):
        call_command("check", "--round", code, stdout=out)
    return out.getvalue()


def test_check_names_each_unit_with_fewer_weaknesses_than_computers_with_one_once() -> None:
    lines = [line for line in check("2022-06").splitlines() if line.endswith("(not_below)")]
    assert lines == [
        "[Cảnh báo] security_scan · Tỉnh ủy Bình Phước · security.vulnerabilities: Số điểm yếu an toàn thông tin "
        "(15, cộng mọi phân loại) ít hơn Số máy tính có điểm yếu (18) — 15 < 18 (not_below)",
        "[Cảnh báo] security_scan · Ủy ban Kiểm tra Tỉnh ủy · security.vulnerabilities: Số điểm yếu an toàn thông "
        "tin (11, cộng mọi phân loại) ít hơn Số máy tính có điểm yếu (15) — 11 < 15 (not_below)",
        "[Cảnh báo] security_scan · Trường Chính trị tỉnh · security.vulnerabilities: Số điểm yếu an toàn thông tin "
        "(15, cộng mọi phân loại) ít hơn Số máy tính có điểm yếu (23) — 15 < 23 (not_below)",
    ]


def test_the_may_round_breaks_no_such_rule() -> None:
    assert "(not_below)" not in check("2022-05")


def filled_template(tmp_path: Path, catalogue: Catalogue, figures: list[int]) -> Path:
    """The security scan's template of 2022-06 for the Party committee, filled as a unit fills it."""
    path = write_template(
        tmp_path / "ra-quet.xlsx",
        catalogue.datasets["security_scan"],
        catalogue,
        "2022-06",
        "tháng 6/2022",
        date(2022, 6, 30),
        ["BP.TU"],
    )
    book = openpyxl.load_workbook(path)
    sheet = book["Số liệu"]
    for offset, value in enumerate(figures):
        sheet.cell(row=FIRST_DATA_ROW, column=4 + offset, value=value)
    book.save(path)
    return path


def test_a_template_with_fewer_weaknesses_than_computers_with_one_warns_and_does_not_block(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    # computers, computers with a weakness, weaknesses by severity: dangerous, high, medium, low
    plan = check_files([filled_template(tmp_path, catalogue, [62, 18, 2, 1, 8, 4])], "2022-06")
    assert plan.ok, plan.errors
    shortfalls = [p for p in plan.problems if "ít hơn" in p.message_vi]
    assert [(p.severity, p.location.sheet, p.location.row, p.message_vi, p.message_en) for p in shortfalls] == [
        (
            Severity.WARNING,
            "Số liệu",
            FIRST_DATA_ROW,
            "Tỉnh ủy Bình Phước: Số điểm yếu an toàn thông tin (15, cộng mọi phân loại) ít hơn Số máy tính có điểm "
            "yếu (18)",
            "Tỉnh ủy Bình Phước: Số điểm yếu an toàn thông tin (15, all categories) is below Số máy tính có điểm "
            "yếu (18)",
        )
    ]


def test_a_template_with_as_many_weaknesses_as_computers_with_one_is_quiet(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    plan = check_files([filled_template(tmp_path, catalogue, [62, 18, 2, 1, 11, 4])], "2022-06")
    assert plan.ok, plan.errors
    assert [p for p in plan.problems if "ít hơn" in p.message_vi] == []
