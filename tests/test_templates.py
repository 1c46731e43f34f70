"""XLSX templates: what a unit receives, and that a filled template imports back without edits."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.intake.planning import plan_files
from dxmonitor.intake.templates import FIRST_DATA_ROW, write_template


def security_template(tmp_path: Path, catalogue: Catalogue, units: list[str] | None = None) -> Path:
    dataset = catalogue.datasets["security_scan"]
    return write_template(
        tmp_path / "mau.xlsx",
        dataset,
        catalogue,
        "2023-01",
        "tháng 1/2023",
        date(2023, 1, 31),
        units or ["BP.TU.BTC", "BP.CA"],
    )


def test_the_template_has_a_row_per_unit_and_a_column_per_figure(tmp_path: Path, catalogue: Catalogue) -> None:
    book = openpyxl.load_workbook(security_template(tmp_path, catalogue))
    sheet = book["Số liệu"]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, max_row=9, values_only=True)]
    assert rows == [
        ["Kỳ báo cáo:", None, "2023-01", "tháng 1/2023", None, None, None, None, None, None],
        ["Ngày số liệu:", None, datetime(2023, 1, 31), None, None, None, None, None, None, None],
        [None] * 10,
        [
            "STT",
            "Mã đơn vị",
            "Đơn vị",
            "Số lượng máy tính",
            "Số lượng máy tính có điểm yếu",
            "Số điểm yếu",
            None,
            None,
            None,
            "Ghi chú",
        ],
        [None, None, None, None, None, "Nguy hiểm", "Cao", "Trung bình", "Thấp", None],
        [
            "#codes",
            "unit_code",
            "unit_name",
            "security.computers",
            "security.vulnerable_computers",
            "security.vulnerabilities|severity=nguy_hiem",
            "security.vulnerabilities|severity=cao",
            "security.vulnerabilities|severity=trung_binh",
            "security.vulnerabilities|severity=thap",
            "note",
        ],
        [1, "BP.TU.BTC", "Ban Tổ chức Tỉnh ủy", None, None, None, None, None, None, None],
        [2, "BP.CA", "Công an tỉnh", None, None, None, None, None, None, None],
    ]
    assert sheet.row_dimensions[7].hidden is True
    assert "F5:I5" in {str(r) for r in sheet.merged_cells.ranges}  # one heading over the four severities
    assert book.sheetnames == ["Số liệu", "Hướng dẫn"]
    assert (
        book["Hướng dẫn"]["A1"].value
        == "BIỂU MẪU SỐ LIỆU: RÀ QUÉT AN TOÀN THÔNG TIN KHỐI ĐẢNG, ĐOÀN THỂ VÀ DOANH NGHIỆP"
    )


def test_the_template_validates_cells_by_the_indicators_kind(tmp_path: Path, catalogue: Catalogue) -> None:
    dataset = catalogue.datasets["dvc_rates"]
    path = write_template(
        tmp_path / "dvc.xlsx",
        dataset,
        catalogue,
        "2023-01",
        "tháng 1/2023",
        date(2023, 1, 31),
        ["BP.SO_TP", "BP.DONG_PHU"],
    )
    sheet = openpyxl.load_workbook(path)["Số liệu"]
    rules = {
        (str(v.sqref), v.type, v.operator, v.formula1, v.formula2, v.error)
        for v in sheet.data_validations.dataValidation
    }
    assert rules == {
        ("D8:D9", "decimal", "between", "0", "100", "Tỷ lệ phải từ 0 đến 100 (ví dụ 92,36)."),
        ("E8:E9", "decimal", "between", "0", "100", "Tỷ lệ phải từ 0 đến 100 (ví dụ 92,36)."),
    }
    assert [sheet.cell(row=7, column=c).value for c in range(4, 6)] == [
        "dvc.online_service_rate",
        "dvc.online_dossier_rate",
    ]  # derived indicators are computed, not asked for


def test_a_filled_template_imports_back_without_edits(tmp_path: Path, catalogue: Catalogue) -> None:
    path = security_template(tmp_path, catalogue)
    book = openpyxl.load_workbook(path)
    sheet = book["Số liệu"]
    row = FIRST_DATA_ROW
    for col, value in zip("DEFGHI", [55, 10, 3, 1, "35", 0], strict=True):
        sheet[f"{col}{row}"] = value
    sheet[f"D{row + 1}"] = "2"  # a number typed as text
    sheet[f"J{row + 1}"] = "chưa rà quét xong"
    book.save(path)
    plan = plan_files([path], "2023-01", catalogue)
    assert plan.problems == []
    assert [(v.indicator, v.unit, v.category, v.window, v.value, v.note, v.location.row) for v in plan.values] == [
        ("security.computers", "BP.TU.BTC", "", "2023-01-31", Decimal(55), "", 8),
        ("security.vulnerable_computers", "BP.TU.BTC", "", "2023-01-31", Decimal(10), "", 8),
        ("security.vulnerabilities", "BP.TU.BTC", "severity=nguy_hiem", "2023-01-31", Decimal(3), "", 8),
        ("security.vulnerabilities", "BP.TU.BTC", "severity=cao", "2023-01-31", Decimal(1), "", 8),
        ("security.vulnerabilities", "BP.TU.BTC", "severity=trung_binh", "2023-01-31", Decimal(35), "", 8),
        ("security.vulnerabilities", "BP.TU.BTC", "severity=thap", "2023-01-31", Decimal(0), "", 8),
        ("security.computers", "BP.CA", "", "2023-01-31", Decimal(2), "chưa rà quét xong", 9),
    ]


def test_an_error_in_a_template_names_its_cell(tmp_path: Path, catalogue: Catalogue) -> None:
    path = security_template(tmp_path, catalogue)
    book = openpyxl.load_workbook(path)
    book["Số liệu"]["E9"] = "mười"
    book["Số liệu"]["C3"] = "31/02/2023"
    book.save(path)
    plan = plan_files([path], "2023-01", catalogue)
    assert [(p.location.sheet, p.location.row, p.location.column, p.location.field) for p in plan.errors] == [
        ("Số liệu", 3, "C", "as_of"),
        ("Số liệu", 9, "E", "value"),
    ]
    assert plan.values == []


def test_a_template_of_another_round_is_refused(tmp_path: Path, catalogue: Catalogue) -> None:
    path = security_template(tmp_path, catalogue)
    book = openpyxl.load_workbook(path)
    book["Số liệu"]["D8"] = 5
    book.save(path)
    plan = plan_files([path], "2023-02", catalogue)
    assert [(p.location.row, p.location.column, p.message_en) for p in plan.errors] == [
        (2, "C", "the template is for round 2023-01, not 2023-02")
    ]


@pytest.mark.django_db
def test_the_template_command_writes_the_rows_of_one_unit(tmp_path: Path) -> None:
    out = tmp_path / "mau.xlsx"
    call_command("template", dataset="app_users", round="2022-07", unit="BP.DONG_PHU", out=out, stdout=io.StringIO())
    sheet = openpyxl.load_workbook(out)["Số liệu"]
    assert [c.value for c in sheet[FIRST_DATA_ROW]] == [1, "BP.DONG_PHU", "Huyện Đồng Phú", None, None]
    assert sheet[FIRST_DATA_ROW + 1][0].value is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"dataset": "khong_co", "round": "2022-07"}, "Không có bộ số liệu 'khong_co'"),
        ({"dataset": "app_users", "round": "2022-7"}, "mã kỳ báo cáo '2022-7' phải có dạng YYYY-MM"),
        ({"dataset": "app_users", "round": "2022-07", "unit": "BP.SO_TP"}, "không thuộc bộ số liệu này"),
    ],
)
def test_the_template_command_explains_a_wrong_argument(options: dict[str, str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("template", **options)
