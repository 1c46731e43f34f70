"""Damaged and untidy submission files, written for real: every problem located and said in both languages.

Each file goes through `plan_files` (no database) and through `dxmonitor import`: a refused file writes nothing,
exits with status 1 and lists every error in Vietnamese and English; an untidy but readable file imports.
"""

from __future__ import annotations

import random
import struct
import subprocess
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Round
from dxmonitor.intake.models import PrintedFigure, Value, ValueChange
from dxmonitor.intake.planning import ImportPlan, plan_files

ROUND = "2023-01"
HEADER = ["don_vi", "chi_tieu", "phan_loai", "gia_tri", "ngay_so_lieu"]
NO_TABLE = "no sheet is a dxmonitor template or a long table with the columns don_vi, chi_tieu, gia_tri"
NOT_A_WORKBOOK = "cannot open the workbook (damaged or not Excel): "

Row = Sequence[object]
ErrorPlace = tuple[str, str, int | None, str, str]
Planned = tuple[str, str, str, str, Decimal, int | None]


def write_xlsx(path: Path, rows: Sequence[Row], sheet: str = "Số liệu") -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    workbook.save(path)
    return path


def errors_of(plan: ImportPlan) -> list[ErrorPlace]:
    return [(p.location.file, p.location.sheet, p.location.row, p.location.column, p.message_en) for p in plan.errors]


def planned_of(plan: ImportPlan) -> list[Planned]:
    return [(v.indicator, v.unit, v.category, v.window, v.value, v.location.row) for v in plan.values]


def run_import(path: Path) -> tuple[int, str, str]:
    """`dxmonitor import PATH --round 2023-01`: the exit status, stdout and stderr."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import", str(path), round=ROUND, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def counts() -> tuple[int, int, int, int]:
    return Value.objects.count(), ValueChange.objects.count(), Round.objects.count(), PrintedFigure.objects.count()


def stored() -> list[tuple[str, str, str, str, Decimal]]:
    rows = Value.objects.filter(round__code=ROUND).select_related("indicator", "unit")
    return sorted((v.indicator.code, v.unit.code, v.category, v.window, v.value) for v in rows)


def assert_refused(path: Path, catalogue: Catalogue, expected: list[ErrorPlace]) -> None:
    """The plan lists exactly `expected`; the command writes nothing and says every error in both languages."""
    plan = plan_files([path], ROUND, catalogue)
    assert errors_of(plan) == expected
    before = counts()
    status, out, err = run_import(path)
    lines = err.splitlines()
    assert (status, out) == (1, "")
    assert "Traceback" not in err
    assert [line for line in lines if line.startswith("[Lỗi]")] == [
        f"[Lỗi] {p.location}: {p.message_vi} / {p.message_en}" for p in plan.errors
    ]
    assert lines[-1] == f"Không nhập gì: {len(expected)} lỗi. / Nothing imported: {len(expected)} error(s)."
    assert counts() == before


def assert_imported(path: Path, catalogue: Catalogue, expected: list[Planned]) -> None:
    """The plan holds exactly `expected` and no error; the command stores those values."""
    plan = plan_files([path], ROUND, catalogue)
    assert (errors_of(plan), planned_of(plan)) == ([], expected)
    status, _, err = run_import(path)
    assert (status, "[Lỗi]" in err) == (0, False)
    assert stored() == sorted(row[:5] for row in expected)


def password_protected_looking(size: int = 4096) -> bytes:
    """An OLE compound file holding the two streams Excel writes for a workbook saved with a password.

    Streams of 4 KiB or more live in ordinary 512-byte sectors, so the file needs no mini-stream: a header, one
    sector of allocation table, one of directory, then the two streams.
    """
    free, end, fat_mark = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    length = size // 512
    info_at, package_at = 2, 2 + length
    fat = [fat_mark, end]
    for start in (info_at, package_at):
        fat += [start + i + 1 for i in range(length - 1)] + [end]
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, left: int, start: int, stream_size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(encoded), kind, 1, left, free, child)
            + bytes(36)  # class id, state bits, creation and modification times
            + struct.pack("<IQ", start, stream_size)
        )

    directory = (
        entry("Root Entry", 5, 2, free, end, 0)
        + entry("EncryptionInfo", 2, free, free, info_at, size)
        + entry("EncryptedPackage", 2, free, 1, package_at, size)
        + entry("", 0, free, free, free, 0)
    )
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<10I", 0, 1, 1, 0, 4096, end, 0, end, 0, 0)
        + struct.pack("<I", free) * 108
    )
    encryption_info = struct.pack("<HHI", 4, 4, 0x40).ljust(size, b"\0")  # "agile encryption", version 4.4
    return header + struct.pack("<128I", *fat) + directory + encryption_info + bytes(size)


# --- files that cannot be read --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_workbook_cut_in_half_is_refused_as_damaged(tmp_path: Path, catalogue: Catalogue) -> None:
    whole = write_xlsx(
        tmp_path / "whole.xlsx",
        [
            HEADER,
            *(["Sở Tư pháp", "dvc.online_service_rate", "", 80 + n / 10, f"{n:02d}/01/2023"] for n in range(1, 29)),
        ],
    )
    path = tmp_path / "cat_doi.xlsx"
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert_refused(
        path, catalogue, [(path.name, "", None, "", NOT_A_WORKBOOK + "invalid Zip archive: Could not find EOCD")]
    )


@pytest.mark.django_db
def test_a_zero_byte_workbook_is_refused_as_damaged(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "rong.xlsx"
    path.write_bytes(b"")
    assert_refused(
        path, catalogue, [(path.name, "", None, "", NOT_A_WORKBOOK + "invalid Zip archive: Could not find EOCD")]
    )


@pytest.mark.django_db
def test_random_bytes_named_xlsx_are_refused_as_damaged(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "ngau_nhien.xlsx"
    path.write_bytes(random.Random(2023).randbytes(4096))
    assert_refused(
        path, catalogue, [(path.name, "", None, "", NOT_A_WORKBOOK + "invalid Zip archive: Could not find EOCD")]
    )


@pytest.mark.django_db
def test_a_password_protected_workbook_is_refused_with_the_reason(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "mat_khau.xlsx"
    path.write_bytes(password_protected_looking())
    message = "the workbook is protected by a password: remove the password in Excel and save it again"
    assert_refused(path, catalogue, [(path.name, "", None, "", message)])


@pytest.mark.django_db
def test_an_xls_that_is_really_a_csv_is_refused_as_not_excel(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "xuat_tu_phan_mem.xls"
    path.write_text("don_vi,chi_tieu,gia_tri\nSở Tư pháp,dvc.online_service_rate,87\n", encoding="utf-8")
    message = (
        NOT_A_WORKBOOK
        + r"Cfb error: Invalid OLE (66 bytes is too small, signature \x64\x6f\x6e\x5f\x76\x69\x2c\x63 invalid,"
        + " not an office document?)"
    )
    assert_refused(path, catalogue, [(path.name, "", None, "", message)])


@pytest.mark.django_db
def test_a_csv_saved_as_unicode_text_by_excel_imports(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "unicode.txt"  # Excel's "Unicode Text": UTF-16 with a byte-order mark, tab-separated
    path.write_text("don_vi\tchi_tieu\tgia_tri\nSở Tư pháp\tdvc.online_service_rate\t87\n", encoding="utf-16")
    plan = plan_files([path], ROUND, catalogue)
    assert (plan.errors, [(v.unit, v.indicator, v.value) for v in plan.values]) == (
        [],
        [("BP.SO_TP", "dvc.online_service_rate", Decimal(87))],
    )


# --- files that open but hold no table ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_workbook_whose_only_sheet_has_no_header_names_the_columns_needed(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write_xlsx(
        tmp_path / "khong_tieu_de.xlsx",
        [["Sở Tư pháp", "dvc.online_service_rate", "", 87.5, "16/01/2023"]],
    )
    assert_refused(path, catalogue, [(path.name, "", None, "", NO_TABLE + " (sheets: Số liệu)")])


@pytest.mark.django_db
def test_a_workbook_with_one_empty_sheet_names_the_columns_needed(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_xlsx(tmp_path / "trong.xlsx", [])
    assert_refused(path, catalogue, [(path.name, "", None, "", NO_TABLE + " (sheets: Số liệu)")])


# --- untidy files ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_title_row_and_merged_header_cells_above_the_long_table_are_passed_over(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Báo cáo"
    sheet["A1"] = "BÁO CÁO SỐ LIỆU CHUYỂN ĐỔI SỐ THÁNG 01/2023"
    sheet["A2"] = "(Kèm theo Công văn số 123/STTTT-CĐS ngày 20/01/2023)"
    sheet.merge_cells("A1:F1")
    sheet.merge_cells("A2:F2")
    for column, text in zip("ABCDF", ["Đơn vị", "Chỉ tiêu", "Phân loại", "Giá trị", "Ngày số liệu"], strict=True):
        sheet[f"{column}4"] = text
    for column in "ABCF":  # tall header cells over two rows, "Giá trị" also two columns wide
        sheet.merge_cells(f"{column}4:{column}5")
    sheet.merge_cells("D4:E5")
    rows = [
        ["Sở Tư pháp", "dvc.online_service_rate", None, 87.5, None, "16/01/2023"],
        ["UBND H.Đồng Phú", "dvc.online_dossier_rate", None, 92.36, None, "16/01/2023"],
    ]
    for number, row in enumerate(rows, start=6):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
        sheet.merge_cells(f"D{number}:E{number}")
    path = tmp_path / "tieu_de_gop_o.xlsx"
    workbook.save(path)
    assert_imported(
        path,
        catalogue,
        [
            ("dvc.online_service_rate", "BP.SO_TP", "", "2023-01-16", Decimal("87.5"), 6),
            ("dvc.online_dossier_rate", "BP.DONG_PHU", "", "2023-01-16", Decimal("92.36"), 7),
        ],
    )


@pytest.mark.django_db
def test_blank_rows_are_passed_over_and_a_notes_row_in_the_middle_is_named(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    note = "Ghi chú: số liệu các huyện tính đến ngày 15/01/2023"
    path = write_xlsx(
        tmp_path / "dong_ghi_chu.xlsx",
        [
            ["Đơn vị", "Chỉ tiêu", "Phân loại", "Giá trị", "Ngày số liệu"],
            ["Sở Tư pháp", "dvc.online_service_rate", None, 87.5, "16/01/2023"],
            [],
            [None, None, None, None, None],
            [note],
            [],
            ["Huyện Lộc Ninh", "dvc.online_dossier_rate", None, 92.36, "15/01/2023"],
        ],
    )
    closest = "Tỉnh Bình Phước, Khối sở, ban, ngành, Khối huyện, thị xã, thành phố"
    assert_refused(
        path,
        catalogue,
        [
            (path.name, "Số liệu", 5, "A", f"no unit '{note}' in the catalogue; closest: {closest}"),
            (path.name, "Số liệu", 5, "B", "the indicator is missing"),
        ],
    )


@pytest.mark.django_db
def test_numbers_stored_as_text_are_read_the_vietnamese_way(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_xlsx(
        tmp_path / "so_dang_chu.xlsx",
        [
            HEADER,
            ["Tỉnh Bình Phước", "portal.visits", "", "1.767", "16/01/2023"],
            ["Sở Tư pháp", "dvc.online_service_rate", "", "87,5%", "16/01/2023"],
            ["UBND H.Đồng Phú", "dvc.online_dossier_rate", "", " 92,36 ", "16/01/2023"],
            ["Tỉnh Bình Phước", "payment.tax_amount", "", "41\u00a0250\u00a0000", "16/01/2023"],
            ["Tỉnh Bình Phước", "dvc.online_services", "level=muc_3", "1767", "16/01/2023"],
        ],
    )
    assert_imported(
        path,
        catalogue,
        [
            ("portal.visits", "BP", "", "2023-01-16", Decimal(1767), 2),
            ("dvc.online_service_rate", "BP.SO_TP", "", "2023-01-16", Decimal("87.5"), 3),
            ("dvc.online_dossier_rate", "BP.DONG_PHU", "", "2023-01-16", Decimal("92.36"), 4),
            ("payment.tax_amount", "BP", "", "2023-01-16", Decimal(41_250_000), 5),
            ("dvc.online_services", "BP", "level=muc_3", "2023-01-16", Decimal(1767), 6),
        ],
    )


@pytest.mark.slow
@pytest.mark.django_db
def test_formulas_are_read_as_the_values_excel_last_computed(tmp_path: Path, catalogue: Catalogue) -> None:
    written = write_xlsx(
        tmp_path / "cong_thuc.xlsx",
        [
            [*HEADER, "so_lieu_goc_1", "so_lieu_goc_2"],
            ["Tỉnh Bình Phước", "portal.visits", "", "=F2+G2", "=DATE(2023,1,16)", 1500, 267],
            ['="Sở "&"Tư pháp"', "dvc.online_service_rate", "", "=ROUND(F3/G3*100,2)", "16/01/2023", 175, 200],
            ["UBND H.Đồng Phú", '="dvc."&"online_dossier_rate"', "", "=SUM(F4:G4)", "16/01/2023", 50, 42.36],
        ],
    )
    book = openpyxl.load_workbook(written)
    book["Số liệu"]["E2"].number_format = "dd/mm/yyyy"  # so that the computed date is read as a date
    book.save(written)
    # openpyxl writes formulas without results; LibreOffice computes them and saves the cached values, as Excel does.
    out = tmp_path / "saved"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(written),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    path = out / written.name
    assert path.is_file(), "LibreOffice Calc is needed (apt-get install libreoffice-calc-nogui)"
    assert_imported(
        path,
        catalogue,
        [
            ("portal.visits", "BP", "", "2023-01-16", Decimal(1767), 2),
            ("dvc.online_service_rate", "BP.SO_TP", "", "2023-01-16", Decimal("87.5"), 3),
            ("dvc.online_dossier_rate", "BP.DONG_PHU", "", "2023-01-16", Decimal("92.36"), 4),
        ],
    )


# --- whatever the bytes ---------------------------------------------------------------------------------------


def _valid_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for n in range(1, 11):
        sheet.append(["Sở Tư pháp", "dvc.online_service_rate", "", 80 + n, f"{n:02d}/01/2023"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALID_WORKBOOK = _valid_workbook()


def assert_only_problems(path: Path, content: bytes, catalogue: Catalogue) -> None:
    path.write_bytes(content)
    plan = plan_files([path], ROUND, catalogue)
    assert all(p.location.file and p.message_vi and p.message_en for p in plan.problems)


@settings(max_examples=50, deadline=None)
@given(content=st.binary(max_size=4096), suffix=st.sampled_from([".xlsx", ".csv"]))
def test_any_bytes_give_problems_never_an_exception(
    tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue, content: bytes, suffix: str
) -> None:
    assert_only_problems(tmp_path_factory.getbasetemp() / f"bytes{suffix}", content, catalogue)


@settings(max_examples=50, deadline=None)
@given(
    changes=st.lists(st.tuples(st.integers(0, len(VALID_WORKBOOK) - 1), st.integers(0, 255)), min_size=1, max_size=8),
    keep=st.integers(1, len(VALID_WORKBOOK)),
)
def test_a_workbook_with_bytes_changed_or_cut_gives_problems_never_an_exception(
    tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue, changes: list[tuple[int, int]], keep: int
) -> None:
    content = bytearray(VALID_WORKBOOK)
    for at, byte in changes:
        content[at] = byte
    assert_only_problems(tmp_path_factory.getbasetemp() / "changed.xlsx", bytes(content[:keep]), catalogue)


@settings(max_examples=50, deadline=None)
@given(body=st.text(max_size=2000))
def test_any_text_under_a_long_header_gives_problems_never_an_exception(
    tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue, body: str
) -> None:
    content = (",".join(HEADER) + "\n" + body).encode("utf-8", "surrogatepass")
    assert_only_problems(tmp_path_factory.getbasetemp() / "text.csv", content, catalogue)
