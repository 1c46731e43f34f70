"""`dxmonitor export`: every value of a round with its evaluation, as CSV, JSON and XLSX."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from dxmonitor.reports.export import COLUMNS, _safe, write_export

HEADER = "round,dataset,indicator,unit_code,unit_name,category,value,as_of,target,verdict,baseline_value,change"
NUMERIC = ("value", "target", "baseline_value", "change")

DONG_PHU_SERVICE_RATE = {
    "round": "2022-06",
    "dataset": "dvc_rates",
    "indicator": "dvc.online_service_rate",
    "unit_code": "BP.DONG_PHU",
    "unit_name": "Huyện Đồng Phú",
    "category": "",
    "value": "77.3",
    "as_of": "2022-07-16",
    "target": "80",
    "verdict": "Không đạt",
    "baseline_value": "83.8",
    "change": "-6.5",
}
DONG_XOAI_USERS = {
    "round": "2022-06",
    "dataset": "app_users",
    "indicator": "app.users",
    "unit_code": "BP.DONG_XOAI",
    "unit_name": "Thành phố Đồng Xoài",
    "category": "",
    "value": "2140",
    "as_of": "2022-07-19",
    "target": "",
    "verdict": "",
    "baseline_value": "885",
    "change": "1255",
}
PARTY_OFFICE_HIGH_SEVERITY = {
    "round": "2022-06",
    "dataset": "security_scan",
    "indicator": "security.vulnerabilities",
    "unit_code": "BP.TU.BTC",
    "unit_name": "Ban Tổ chức Tỉnh ủy",
    "category": "severity=cao",
    "value": "1",
    "as_of": "2022-07-01/2022-07-20",
    "target": "",
    "verdict": "",
    "baseline_value": "",
    "change": "",
}
LOC_NINH_TEAM_RATE = {
    "round": "2022-06",
    "dataset": "cnscd",
    "indicator": "cnscd.commune_team_rate",
    "unit_code": "BP.LOC_NINH",
    "unit_name": "Huyện Lộc Ninh",
    "category": "",
    "value": "100",
    "as_of": "2022-07-16",
    "target": "100",
    "verdict": "Đạt",
    "baseline_value": "62.5",
    "change": "37.5",
}

pytestmark = pytest.mark.django_db


def export(*args: str) -> str:
    out = StringIO()
    call_command("export", "--round", "2022-06", *args, stdout=out)
    return out.getvalue()


def the_row(rows: list[dict[str, str]], indicator: str, unit: str, category: str = "") -> dict[str, str]:
    found = [r for r in rows if (r["indicator"], r["unit_code"], r["category"]) == (indicator, unit, category)]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def csv_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(StringIO(export("--format", "csv"))))


def test_the_csv_header_is_the_one_in_the_brief() -> None:
    assert export("--format", "csv").splitlines()[0] == HEADER == ",".join(COLUMNS)


def test_csv_is_the_default_format() -> None:
    assert export() == export("--format", "csv")


def test_a_rate_below_target_is_exported_with_its_verdict_baseline_and_change(csv_rows: list[dict[str, str]]) -> None:
    assert the_row(csv_rows, "dvc.online_service_rate", "BP.DONG_PHU") == DONG_PHU_SERVICE_RATE


def test_a_count_is_exported_with_its_absolute_change(csv_rows: list[dict[str, str]]) -> None:
    assert the_row(csv_rows, "app.users", "BP.DONG_XOAI") == DONG_XOAI_USERS


def test_a_category_is_exported_as_its_own_row(csv_rows: list[dict[str, str]]) -> None:
    assert the_row(csv_rows, "security.vulnerabilities", "BP.TU.BTC", "severity=cao") == PARTY_OFFICE_HIGH_SEVERITY


def test_a_derived_figure_is_exported_with_its_evaluation(csv_rows: list[dict[str, str]]) -> None:
    assert the_row(csv_rows, "cnscd.commune_team_rate", "BP.LOC_NINH") == LOC_NINH_TEAM_RATE


def test_every_row_belongs_to_the_round_and_has_a_value(csv_rows: list[dict[str, str]]) -> None:
    assert {r["round"] for r in csv_rows} == {"2022-06"}
    assert [r for r in csv_rows if not r["value"] or not r["dataset"] or not r["unit_name"]] == []


def test_json_holds_the_same_rows_as_csv(csv_rows: list[dict[str, str]]) -> None:
    rows = json.loads(export("--format", "json"))

    assert rows == csv_rows
    assert the_row(rows, "dvc.online_service_rate", "BP.DONG_PHU") == DONG_PHU_SERVICE_RATE


def test_xlsx_holds_the_same_rows_with_numeric_cells(csv_rows: list[dict[str, str]], tmp_path: Path) -> None:
    path = tmp_path / "so-lieu-2022-06.xlsx"

    call_command("export", "--round", "2022-06", "--format", "xlsx", "--out", str(path), stderr=StringIO())

    sheet = load_workbook(path).active
    assert sheet is not None
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0] == COLUMNS
    as_cells = [
        # Excel keeps 15 significant digits; a derived rate such as 10/55 has 28 in the CSV.
        [(pytest.approx(float(r[c]), rel=1e-14) if r[c] else None) if c in NUMERIC else (r[c] or None) for c in COLUMNS]
        for r in csv_rows
    ]
    assert table[1:] == as_cells
    dong_phu = next(row for row in table if row[2:4] == ["dvc.online_service_rate", "BP.DONG_PHU"])
    assert dong_phu == [
        "2022-06",
        "dvc_rates",
        "dvc.online_service_rate",
        "BP.DONG_PHU",
        "Huyện Đồng Phú",
        None,
        77.3,
        "2022-07-16",
        80,
        "Không đạt",
        83.8,
        -6.5,
    ]


def test_xlsx_needs_a_file() -> None:
    with pytest.raises(CommandError, match="XLSX cần --out"):
        export("--format", "xlsx")


def test_an_unknown_round_is_refused_in_vietnamese() -> None:
    with pytest.raises(CommandError) as refused:
        call_command("export", "--round", "2030-01", stdout=StringIO())

    assert str(refused.value) == "Không có kỳ báo cáo '2030-01' / no round '2030-01'"


# --- spreadsheet formula injection ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("-6.5", "-6.5"),
        ("+3", "+3"),
        ("Huyện Đồng Phú", "Huyện Đồng Phú"),
        ("", ""),
    ],
)
def test_a_cell_that_would_run_as_a_formula_is_neutralised(cell: str, safe: str) -> None:
    assert _safe(cell) == safe


def crafted_row() -> dict[str, str]:
    return {
        **DONG_PHU_SERVICE_RATE,
        "unit_name": '=HYPERLINK("http://evil.example","Huyện Đồng Phú")',
        "category": "@cmd",
    }


def test_csv_export_neutralises_a_unit_name_starting_with_equals() -> None:
    out = StringIO()

    write_export([crafted_row()], "csv", out)

    assert list(csv.DictReader(StringIO(out.getvalue()))) == [
        {
            **DONG_PHU_SERVICE_RATE,
            "unit_name": '\'=HYPERLINK("http://evil.example","Huyện Đồng Phú")',
            "category": "'@cmd",
        }
    ]


def test_xlsx_export_stores_such_a_name_as_text_not_as_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "crafted.xlsx"

    write_export([crafted_row()], "xlsx", path)

    sheet = load_workbook(path).active
    assert sheet is not None
    row = [cell for cell in sheet[2]]
    assert [c.value for c in row] == [
        "2022-06",
        "dvc_rates",
        "dvc.online_service_rate",
        "BP.DONG_PHU",
        '\'=HYPERLINK("http://evil.example","Huyện Đồng Phú")',
        "'@cmd",
        77.3,
        "2022-07-16",
        80,
        "Không đạt",
        83.8,
        -6.5,
    ]
    assert [c.data_type for c in row][4:6] == ["s", "s"]
