"""Importing submission files (long format, CSV or XLSX): all or nothing, every error located, history kept."""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from dxmonitor.accounts.cli import operator
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Round
from dxmonitor.intake.models import PrintedFigure, Value, ValueChange
from dxmonitor.intake.planning import plan_files
from writing import write_plan

pytestmark = pytest.mark.django_db

VI_HEADER = ["Đơn vị", "Chỉ tiêu", "Phân loại", "Giá trị", "Ngày số liệu", "Ghi chú"]
CODE_HEADER = ["don_vi", "chi_tieu", "phan_loai", "gia_tri", "ngay_so_lieu", "ghi_chu"]
EN_HEADER = ["unit", "indicator", "category", "value", "as_of", "note"]
NEW_ROUND = "2023-01"

Row = Sequence[object]


def write_csv(path: Path, rows: Sequence[Row]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, Sequence[Row]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


OPERATOR = operator().name  # who `dxmonitor import` records without --user: "cli:<login name>"


def run_import(*paths: Path, round_code: str = NEW_ROUND, dry_run: bool = False) -> tuple[int, str, str]:
    """Run `dxmonitor import`; returns the exit status, stdout and stderr."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import", *(str(p) for p in paths), round=round_code, dry_run=dry_run, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def stored(round_code: str = NEW_ROUND) -> set[tuple[str, str, str, str, Decimal]]:
    return {
        (v.indicator.code, v.unit.code, v.category, v.window, v.value)
        for v in Value.objects.filter(round__code=round_code).select_related("indicator", "unit")
    }


def counts() -> tuple[int, int, int, int]:
    return Value.objects.count(), ValueChange.objects.count(), Round.objects.count(), PrintedFigure.objects.count()


def error_places(plan_errors: Sequence[object]) -> list[tuple[str, str, int | None, str, str]]:
    return [
        (p.location.file, p.location.sheet, p.location.row, p.location.column, p.location.field)  # type: ignore[attr-defined]
        for p in plan_errors
    ]


CLEAN_ROWS: list[Row] = [
    ["Sở Tư pháp", "dvc.online_service_rate", "", "87,5%", "16/01/2023", "theo Cổng DVC tỉnh"],
    ["UBND H.Đồng Phú", "dvc.online_dossier_rate", "", "92.36", "", ""],
    ["Tỉnh Bình Phước", "dvc.procedures", "", "1.767", "16/01/2023", ""],
    ["BP.TU", "security.vulnerabilities", "severity=cao", "12", "", ""],
    ["Toàn tỉnh", "e_auth.dossiers", "Hoàn thành", "1.080", "01/01/2023-16/01/2023", ""],
    ["Huyện Lộc Ninh", "payment.tax_amount", "", "41.250.000", "2023-01-16", ""],
]
CLEAN_VALUES = {
    ("dvc.online_service_rate", "BP.SO_TP", "", "2023-01-16", Decimal("87.5")),
    ("dvc.online_dossier_rate", "BP.DONG_PHU", "", "2023-01-31", Decimal("92.36")),
    ("dvc.procedures", "BP", "", "2023-01-16", Decimal("1767")),
    ("security.vulnerabilities", "BP.TU", "severity=cao", "2023-01-31", Decimal("12")),
    ("e_auth.dossiers", "BP", "status=hoan_thanh", "2023-01-01/2023-01-16", Decimal("1080")),
    ("payment.tax_amount", "BP.LOC_NINH", "", "2023-01-16", Decimal("41250000")),
}


# What the demo's June round collects: the datasets its figures belong to, which a round the operator opens after it
# collects too.
JUNE_DATASETS = (
    "app_users, cnscd, dvc_overview, dvc_rates, e_auth, hotline, office_software, online_payments, portal, "
    "security_scan"
)


def test_a_clean_csv_with_vietnamese_headers_imports_every_value(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "so_lieu.csv", [VI_HEADER, *CLEAN_ROWS])
    status, out, err = run_import(path)
    assert (status, out.splitlines(), err) == (
        0,
        [
            f"Đã mở kỳ mới tháng 1/2023 (2023-01), so sánh với 2022-06, thu thập: {JUNE_DATASETS} / "
            f"opened the new round 2023-01, compared with 2022-06, collecting: {JUNE_DATASETS}",
            f"Đã nhập kỳ 2023-01 (kỳ mới / new round) ({OPERATOR}): mới/new 6, thay đổi/changed 0, "
            "không đổi/unchanged 0; 0 cảnh báo / warning(s)",
        ],
        "",
    )
    assert stored() == CLEAN_VALUES


def test_a_csv_saved_with_semicolons_by_a_vietnamese_excel_imports(tmp_path: Path) -> None:
    path = tmp_path / "excel_vn.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle, delimiter=";").writerows([VI_HEADER, *CLEAN_ROWS])
    assert run_import(path)[0] == 0
    assert stored() == CLEAN_VALUES


def test_an_imported_value_remembers_its_file_row_and_note(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "so_lieu.csv", [VI_HEADER, *CLEAN_ROWS])
    run_import(path)
    value = Value.objects.get(round__code=NEW_ROUND, unit__code="BP.SO_TP")
    assert (value.source, value.source_ref, value.note) == ("file", "so_lieu.csv:2", "theo Cổng DVC tỉnh")


def test_the_header_may_be_written_as_codes(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "so_lieu.csv", [CODE_HEADER, *CLEAN_ROWS])
    assert run_import(path)[0] == 0
    assert stored() == CLEAN_VALUES


def test_english_headers_work(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "submission.csv", [EN_HEADER, *CLEAN_ROWS])
    assert run_import(path)[0] == 0
    assert stored() == CLEAN_VALUES


def test_an_xlsx_with_an_instructions_sheet_and_a_data_sheet_imports(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "bieu_mau.xlsx",
        {
            "Hướng dẫn": [
                ["Biểu mẫu nhập số liệu chuyển đổi số"],
                ["Mỗi dòng một số liệu; ghi tên đơn vị, mã chỉ tiêu và giá trị."],
                [],
                ["Số liệu tỷ lệ ghi theo phần trăm, ví dụ 92,36%."],
            ],
            "Số liệu": [
                ["BÁO CÁO SỐ LIỆU THÁNG 1/2023"],
                [],
                VI_HEADER,
                ["Sở Tư pháp", "dvc.online_service_rate", None, 87.5, date(2023, 1, 16), "ghi chú"],
                ["UBND TP.Đồng Xoài", "app.users", None, 2140, date(2023, 1, 16), None],
                ["Tỉnh Bình Phước", "dvc.procedures", None, "1.767", "16/01/2023", None],
                ["BP.TU", "security.vulnerabilities", "severity=thap", 3, None, None],
            ],
        },
    )
    status, _, err = run_import(path)
    assert (status, err) == (0, "")
    assert stored() == {
        ("dvc.online_service_rate", "BP.SO_TP", "", "2023-01-16", Decimal("87.5")),
        ("app.users", "BP.DONG_XOAI", "", "2023-01-16", Decimal("2140")),
        ("dvc.procedures", "BP", "", "2023-01-16", Decimal("1767")),
        ("security.vulnerabilities", "BP.TU", "severity=thap", "2023-01-31", Decimal("3")),
    }
    assert Value.objects.get(round__code=NEW_ROUND, unit__code="BP.SO_TP").source_ref == "bieu_mau.xlsx!Số liệu:4"


def test_an_as_of_cell_holding_a_date_and_a_time_is_stored_under_its_day(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "bieu_mau.xlsx",
        {"Số liệu": [VI_HEADER, ["Sở Tư pháp", "dvc.online_service_rate", None, 87.5, datetime(2023, 1, 16, 10, 30)]]},
    )
    status, _, err = run_import(path)
    assert (status, err) == (0, "")
    assert stored() == {("dvc.online_service_rate", "BP.SO_TP", "", "2023-01-16", Decimal("87.5"))}


BAD_ROWS: list[Row] = [
    ["Sở Tư pháp", "dvc.online_service_rate", "", "87,5%", "16/01/2023", ""],  # 2: fine
    ["Sở Giao duc", "dvc.online_service_rate", "", "90%", "", ""],  # 3: unknown unit
    ["Sở Tư pháp", "dvc.khong_co", "", "5", "", ""],  # 4: unknown indicator
    ["Sở Y tế", "dvc.procedures", "", "12a", "", ""],  # 5: bad number
    ["Sở Y tế", "dvc.online_dossier_rate", "", "120%", "", ""],  # 6: rate above 100
    ["BP.TU", "security.vulnerabilities", "severity=rat_cao", "3", "", ""],  # 7: bad category
    ["Sở Y tế", "dvc.online_service_rate", "", "90%", "32/01/2023", ""],  # 8: bad date
    ["Sở Tư pháp", "dvc.online_service_rate", "", "87,5%", "16/01/2023", ""],  # 9: duplicates row 2
]
BAD_PLACES = [(3, "A", "unit"), (4, "B", "indicator"), (5, "D", "value"), (6, "D", "value"), (7, "C", "category"),
              (8, "E", "as_of"), (9, "", "")]  # fmt: skip


def write_bad_file(tmp_path: Path, suffix: str) -> tuple[Path, str]:
    if suffix == "csv":
        return write_csv(tmp_path / "loi.csv", [VI_HEADER, *BAD_ROWS]), ""
    sheets = {"Hướng dẫn": [["Mỗi dòng một số liệu."]], "Số liệu": [VI_HEADER, *BAD_ROWS]}
    return write_xlsx(tmp_path / "loi.xlsx", sheets), "Số liệu"


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_plan_lists_every_error_with_file_sheet_row_and_column(
    tmp_path: Path, catalogue: Catalogue, suffix: str
) -> None:
    path, sheet = write_bad_file(tmp_path, suffix)
    plan = plan_files([path], NEW_ROUND, catalogue)
    assert error_places(plan.errors) == [(path.name, sheet, row, column, field) for row, column, field in BAD_PLACES]
    assert plan.warnings == []


def test_each_error_says_what_is_wrong_in_vietnamese_and_english(tmp_path: Path, catalogue: Catalogue) -> None:
    path, _ = write_bad_file(tmp_path, "csv")
    plan = plan_files([path], NEW_ROUND, catalogue)
    messages = [(p.message_vi, p.message_en) for p in plan.errors]
    assert messages[0][0].startswith("không có đơn vị 'Sở Giao duc' trong danh mục; gần giống: Sở Giáo dục và Đào tạo")
    assert messages[0][1].startswith("no unit 'Sở Giao duc' in the catalogue; closest: Sở Giáo dục và Đào tạo")
    assert messages[1:] == [
        ("không có chỉ tiêu 'dvc.khong_co' trong danh mục", "no indicator 'dvc.khong_co' in the catalogue"),
        ("'12a' không phải là số", "'12a' is not a number"),
        ("tỷ lệ 120% vượt quá 100%", "percentage 120% is above 100"),
        (
            "phân loại 'severity=rat_cao' không hợp lệ; dùng một trong: "
            "severity=nguy_hiem, severity=cao, severity=trung_binh, severity=thap",
            "unknown category 'severity=rat_cao'; use one of: "
            "severity=nguy_hiem, severity=cao, severity=trung_binh, severity=thap",
        ),
        ("'32/01/2023' có ngày không tồn tại", "'32/01/2023' contains an impossible date"),
        ("trùng số liệu với dòng 2 (loi.csv)", "duplicates row 2 of loi.csv"),
    ]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_file_with_errors_writes_nothing_and_the_cli_lists_every_error(
    tmp_path: Path, catalogue: Catalogue, suffix: str
) -> None:
    path, _ = write_bad_file(tmp_path, suffix)
    before = counts()
    status, out, err = run_import(path)
    plan = plan_files([path], NEW_ROUND, catalogue)
    assert (status, out) == (1, "")
    assert err.splitlines() == [str(p) for p in plan.errors] + ["Không nhập gì: 7 lỗi. / Nothing imported: 7 error(s)."]
    assert counts() == before
    assert not Round.objects.filter(code=NEW_ROUND).exists()


def test_an_error_line_names_the_place_and_speaks_both_languages(tmp_path: Path) -> None:
    path, _ = write_bad_file(tmp_path, "xlsx")
    err = run_import(path)[2]
    assert err.splitlines()[4] == (
        "[Lỗi] loi.xlsx, sheet 'Số liệu', dòng/row 7, cột/column C, trường/field category: "
        "phân loại 'severity=rat_cao' không hợp lệ; dùng một trong: "
        "severity=nguy_hiem, severity=cao, severity=trung_binh, severity=thap / "
        "unknown category 'severity=rat_cao'; use one of: "
        "severity=nguy_hiem, severity=cao, severity=trung_binh, severity=thap"
    )


def test_an_error_in_one_file_blocks_the_other_files_too(tmp_path: Path) -> None:
    clean = write_csv(tmp_path / "sach.csv", [VI_HEADER, *CLEAN_ROWS])
    bad, _ = write_bad_file(tmp_path, "csv")
    before = counts()
    assert run_import(clean, bad)[0] == 1
    assert counts() == before


def test_a_dry_run_writes_nothing_and_tells_what_would_change(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "thu.csv",
        [
            VI_HEADER,
            ["Sở Giáo dục và Đào tạo", "dvc.online_service_rate", "", "100%", "16/07/2022", ""],  # unchanged
            ["Sở Công Thương", "dvc.online_service_rate", "", "90%", "16/07/2022", ""],  # changed from 100
            ["Sở Tư pháp", "dvc.overdue_rate", "", "2,5%", "16/07/2022", ""],  # new
        ],
    )
    before = counts()
    status, out, err = run_import(path, round_code="2022-06", dry_run=True)
    assert (status, out, err) == (
        0,
        "Thử (không ghi) / dry run — kỳ 2022-06: mới/new 1, thay đổi/changed 1, không đổi/unchanged 1\n"
        "  dvc.online_service_rate BP.SO_CT  2022-07-16: 100 → 90\n",
        "",
    )
    assert counts() == before
    value = Value.objects.get(round__code="2022-06", unit__code="BP.SO_CT", indicator__code="dvc.online_service_rate")
    assert value.value == Decimal("100")


def test_a_dry_run_of_a_new_round_does_not_create_it(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "so_lieu.csv", [VI_HEADER, *CLEAN_ROWS])
    before = counts()
    status, out, _ = run_import(path, dry_run=True)
    assert (status, out) == (
        0,
        "Sẽ mở kỳ mới tháng 1/2023 (2023-01) / would open the new round 2023-01 (quản trị dòng lệnh / the operator)\n"
        "Thử (không ghi) / dry run — kỳ 2023-01 (kỳ mới / new round): "
        "mới/new 6, thay đổi/changed 0, không đổi/unchanged 0\n",
    )
    assert counts() == before


def test_reimporting_a_changed_value_replaces_it_and_keeps_the_change(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "lan_1.csv", [VI_HEADER, CLEAN_ROWS[0], CLEAN_ROWS[2]])
    second = write_csv(
        tmp_path / "lan_2.csv",
        [VI_HEADER, ["Sở Tư pháp", "dvc.online_service_rate", "", "90%", "16/01/2023", "đã sửa"], CLEAN_ROWS[2]],
    )
    assert run_import(first)[0] == 0
    status, out, _ = run_import(second)
    assert (status, out) == (
        0,
        f"Đã nhập kỳ 2023-01 ({OPERATOR}): mới/new 0, thay đổi/changed 1, không đổi/unchanged 1; "
        "0 cảnh báo / warning(s)\n",
    )
    assert stored() == {
        ("dvc.online_service_rate", "BP.SO_TP", "", "2023-01-16", Decimal("90")),
        ("dvc.procedures", "BP", "", "2023-01-16", Decimal("1767")),
    }
    history = ValueChange.objects.filter(round__code=NEW_ROUND, unit__code="BP.SO_TP").order_by("changed_at", "id")
    assert [(c.old_value, c.new_value, c.source_ref, c.note) for c in history] == [
        (None, Decimal("87.5"), "lan_1.csv:2", "theo Cổng DVC tỉnh"),
        (Decimal("87.5"), Decimal("90"), "lan_2.csv:2", "đã sửa"),
    ]


def test_replacing_a_value_of_a_demo_round_keeps_the_old_figure(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "sua.csv", [VI_HEADER, ["Sở Công Thương", "dvc.online_service_rate", "", "90%", "16/07/2022"]]
    )
    values_before = Value.objects.count()
    assert run_import(path, round_code="2022-06")[0] == 0
    key = {"round__code": "2022-06", "unit__code": "BP.SO_CT", "indicator__code": "dvc.online_service_rate"}
    assert Value.objects.get(**key).value == Decimal("90")
    assert Value.objects.count() == values_before
    last = ValueChange.objects.filter(**key).order_by("changed_at", "id").last()
    assert last is not None and (last.old_value, last.new_value) == (Decimal("100"), Decimal("90"))


def test_warnings_do_not_block_the_import(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "canh_bao.csv", [VI_HEADER, ["Hơn Quản", "app.users", "", "29,762", "16/01/2023", ""]])
    status, out, err = run_import(path)
    assert status == 0
    assert err.splitlines() == [
        "[Cảnh báo] canh_bao.csv, dòng/row 2, cột/column A, trường/field unit: "
        "'Hơn Quản' được hiểu là 'Huyện Hớn Quản' (khớp không dấu) / "
        "'Hơn Quản' read as 'Huyện Hớn Quản' (matched ignoring diacritics)",
        "[Cảnh báo] canh_bao.csv, dòng/row 2, cột/column D, trường/field value: "
        "'29,762' có thể hiểu hai cách; vì chỉ tiêu là số đếm nên đã đọc là 29762 / "
        "'29,762' is ambiguous; read as 29762 because the indicator is a count",
    ]
    assert out.endswith("; 2 cảnh báo / warning(s)\n")
    assert stored() == {("app.users", "BP.HON_QUAN", "", "2023-01-16", Decimal("29762"))}


def test_a_new_round_code_creates_the_round_compared_with_the_previous_one(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "so_lieu.csv", [VI_HEADER, *CLEAN_ROWS])
    assert run_import(path)[0] == 0
    round_ = Round.objects.get(code=NEW_ROUND)
    baseline = round_.effective_baseline()
    assert (round_.name, baseline.code if baseline else None) == ("tháng 1/2023", "2022-06")


@pytest.mark.parametrize("code", ["2023-13", "06-2022", "2023-1", "2023-00"])
def test_an_invalid_round_code_is_an_error(tmp_path: Path, code: str) -> None:
    path = write_csv(tmp_path / "so_lieu.csv", [VI_HEADER, *CLEAN_ROWS])
    before = counts()
    status, out, err = run_import(path, round_code=code)
    assert (status, out, err.splitlines()) == (
        1,
        "",
        [
            f"[Lỗi] trường/field round: mã kỳ báo cáo '{code}' phải có dạng YYYY-MM, ví dụ 2022-07 / "
            f"round code '{code}' must look like YYYY-MM, e.g. 2022-07",
            "Không nhập gì: 1 lỗi. / Nothing imported: 1 error(s).",
        ],
    )
    assert counts() == before


@pytest.mark.parametrize("code", ["٢٠٢٣-٠١", "２０２３-０１", "2023-０1"])
def test_a_round_code_in_digits_other_than_0_to_9_is_an_error(tmp_path: Path, code: str) -> None:
    path = write_csv(tmp_path / "so_lieu.csv", [VI_HEADER, *CLEAN_ROWS])
    before = counts()
    assert run_import(path, round_code=code)[0] == 1
    assert counts() == before


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_figures_and_days_in_digits_other_than_0_to_9_are_errors_that_say_so(tmp_path: Path, suffix: str) -> None:
    rows = [
        VI_HEADER,
        ["Sở Tư pháp", "dvc.online_service_rate", "", "٨٧,٥%", "16/01/2023", ""],
        ["Tỉnh Bình Phước", "dvc.procedures", "", "1.７６７", "16/01/2023", ""],
        ["BP.TU", "security.vulnerabilities", "severity=cao", "12", "١٦/٠١/٢٠٢٣", ""],
    ]
    if suffix == "csv":
        path = write_csv(tmp_path / "so.csv", rows)
    else:
        path = write_xlsx(tmp_path / "so.xlsx", {"Số liệu": rows})
    before = counts()
    status, _, err = run_import(path)
    assert (status, [line.split(": ", 1)[1] for line in err.splitlines()[:-1]]) == (
        1,
        [
            "'٨٧,٥%': chỉ dùng chữ số 0–9, không dùng '٨' / '٨٧,٥%': only the digits 0–9 are read as numbers, not '٨'",
            "'1.７６７': chỉ dùng chữ số 0–9, không dùng '７' / '1.７６７': only the digits 0–9 are read as numbers, "
            "not '７'",
            "'١٦/٠١/٢٠٢٣': ngày chỉ dùng chữ số 0–9, không dùng '١' / "
            "'١٦/٠١/٢٠٢٣': dates are written with the digits 0–9 only, not '١'",
        ],
    )
    assert counts() == before


@pytest.mark.parametrize(
    "content",
    [random.Random(2023).randbytes(2048), b"", b"PK\x03\x04 not really a zip"],
    ids=["random", "empty", "zip"],
)
def test_a_damaged_workbook_gives_a_clear_error_not_a_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "hong.xlsx"
    path.write_bytes(content)
    before = counts()
    status, out, err = run_import(path)
    lines = err.splitlines()
    assert (status, out, len(lines)) == (1, "", 2)
    assert lines[0].startswith(f"[Lỗi] {path.name}: không mở được bảng tính (tệp hỏng hoặc không phải Excel): ")
    assert " / cannot open the workbook (damaged or not Excel): " in lines[0]
    assert lines[1] == "Không nhập gì: 1 lỗi. / Nothing imported: 1 error(s)."
    assert counts() == before


def test_a_missing_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "khong_co.xlsx"
    status, out, err = run_import(path)
    assert (status, out, err.splitlines()) == (
        1,
        "",
        [
            f"[Lỗi] {path.name}: không tìm thấy tệp / file not found",
            "Không nhập gì: 1 lỗi. / Nothing imported: 1 error(s).",
        ],
    )


def test_a_csv_with_only_a_header_row_says_there_are_no_data_rows(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_csv(tmp_path / "trong.csv", [VI_HEADER])
    plan = plan_files([path], NEW_ROUND, catalogue)
    assert [(p.message_vi, p.message_en) for p in plan.errors] == [
        ("không có dòng số liệu nào", "there are no data rows")
    ]
    status, _, err = run_import(path)
    assert status == 1
    assert "không có dòng số liệu nào / there are no data rows" in err


def test_a_file_without_the_long_header_says_which_columns_are_needed(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_csv(tmp_path / "sai_mau.csv", [["STT", "Tên đơn vị", "Số liệu A"], ["1", "Sở Tư pháp", "5"]])
    plan = plan_files([path], NEW_ROUND, catalogue)
    assert [(p.location.file, p.message_en) for p in plan.errors] == [
        ("sai_mau.csv", "no sheet is a dxmonitor template or a long table with the columns don_vi, chi_tieu, gia_tri")
    ]


DERIVED_ROW = ["Đồng Xoài", "cnscd.commune_team_rate", "", "100%", "16/01/2023", ""]


def test_a_derived_indicator_cannot_be_entered_as_a_value(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_csv(tmp_path / "tinh_toan.csv", [VI_HEADER, DERIVED_ROW])
    plan = plan_files([path], NEW_ROUND, catalogue)
    assert [(*place[2:], p.message_en) for place, p in zip(error_places(plan.errors), plan.errors, strict=True)] == [
        (2, "B", "indicator", "cnscd.commune_team_rate is derived and cannot be entered")
    ]
    before = counts()
    assert run_import(path)[0] == 1
    assert counts() == before


def test_a_derived_indicator_is_accepted_as_a_printed_figure(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "so_in.csv", [[*VI_HEADER, "dai_luong"], [*DERIVED_ROW, "printed"]])
    status, _, err = run_import(path)
    assert (status, err) == (0, "")
    printed = PrintedFigure.objects.filter(round__code=NEW_ROUND).select_related("indicator", "unit")
    assert [(p.indicator.code, p.unit.code, p.category, p.window, p.measure, p.value) for p in printed] == [
        ("cnscd.commune_team_rate", "BP.DONG_XOAI", "", "2023-01-16", "printed", Decimal("100"))
    ]
    assert stored() == set()


def test_an_import_writes_every_value_and_its_history_at_one_moment(tmp_path: Path, catalogue: Catalogue) -> None:
    plan = plan_files([write_csv(tmp_path / "so_lieu.csv", [VI_HEADER, *CLEAN_ROWS])], NEW_ROUND, catalogue)
    write_plan(plan, user="alice")
    values = Value.objects.filter(round__code=NEW_ROUND).order_by("id")
    history = ValueChange.objects.filter(round__code=NEW_ROUND).order_by("changed_at", "id")
    assert [(v.indicator.code, v.source, v.source_ref, v.note, v.updated_by) for v in values] == [
        (indicator, "file", f"so_lieu.csv:{row}", note, "alice")
        for row, (_, indicator, *_, note) in enumerate(CLEAN_ROWS, start=2)
    ]
    assert [
        (c.indicator.code, c.unit.code, c.category, c.window, c.old_value, c.new_value, c.source_ref, c.note)
        for c in history
    ] == [(v.indicator.code, v.unit.code, v.category, v.window, None, v.value, v.source_ref, v.note) for v in values]
    assert {v.updated_at for v in values} == {c.changed_at for c in history} and len(
        {v.updated_at for v in values}
    ) == 1


def test_reimporting_updates_changed_values_and_printed_figures_and_leaves_the_rest(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    header = [*VI_HEADER, "dai_luong"]
    rate, procedures = ["Sở Tư pháp", "dvc.online_service_rate", "", "87,5%", "16/01/2023", ""], CLEAN_ROWS[2]
    first = write_csv(tmp_path / "lan_1.csv", [header, [*rate, ""], [*procedures, ""], [*DERIVED_ROW, "printed"]])
    second = write_csv(
        tmp_path / "lan_2.csv",
        [
            header,
            [*rate[:3], "90%", rate[4], "đã sửa", ""],
            [*procedures, ""],
            [*DERIVED_ROW[:3], "95", *DERIVED_ROW[4:], "so in"],
        ],
    )
    write_plan(plan_files([first], NEW_ROUND, catalogue), user="alice")
    kept = Value.objects.get(round__code=NEW_ROUND, indicator__code="dvc.procedures")
    summary = write_plan(plan_files([second], NEW_ROUND, catalogue), user="bob")
    assert summary.line() == "mới/new 0, thay đổi/changed 2, không đổi/unchanged 1"
    changed = Value.objects.get(round__code=NEW_ROUND, indicator__code="dvc.online_service_rate")
    assert (changed.value, changed.source_ref, changed.note, changed.updated_by) == (
        Decimal("90"),
        "lan_2.csv:2",
        "đã sửa",
        "bob",
    )
    assert changed.updated_at > kept.updated_at
    assert Value.objects.get(pk=kept.pk).updated_at == kept.updated_at  # an unchanged value is not touched
    printed = PrintedFigure.objects.get(round__code=NEW_ROUND)
    assert (printed.value, printed.source_ref) == (Decimal("95"), "lan_2.csv:4")
    history = ValueChange.objects.filter(round__code=NEW_ROUND).order_by("changed_at", "id")
    assert [(c.indicator.code, c.old_value, c.new_value, c.changed_by) for c in history] == [
        ("dvc.online_service_rate", None, Decimal("87.5"), "alice"),
        ("dvc.procedures", None, Decimal("1767"), "alice"),
        ("dvc.online_service_rate", Decimal("87.5"), Decimal("90"), "bob"),
    ]
