"""Bounded reading: a file past a limit (size, unpacked size, sheets, rows, a sheet's declared or real extent, cells,
time) is refused at once, naming the limit, before python-calamine builds anything large from it; the upload page and
the API list a bounded number of problems; unconfirmed uploads are deleted once stale (`dxmonitor cleanup`).

Workbooks are written for real: openpyxl for XLSX, raw XML where openpyxl cannot write what a hostile or odd writer
does (no declared dimension, cells without references, ODS repeats), LibreOffice for XLS, whose records are then
patched. A far cell that slipped past the measure would abort the test process itself (calamine asks for hundreds of
gigabytes), so every test here is also a test that it does not."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from functools import cache
from io import StringIO
from pathlib import Path

import olefile
import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dxmonitor.accounts.models import ApiToken
from dxmonitor.catalogue.loading import Catalogue, load_catalogue
from dxmonitor.catalogue.models import Unit
from dxmonitor.intake.extent.xls import BOUNDSHEET, read_stream, records
from dxmonitor.intake.extent.xlsx import near_digits
from dxmonitor.intake.limits import Limits
from dxmonitor.intake.planning import plan_files
from personas import signed_in

ROUND = "2023-01"
HEADER = ["don_vi", "chi_tieu", "gia_tri"]
GOOD_ROW = ["Sở Tư pháp", "dvc.online_service_rate", 87]
SMALL = Limits(rows=5_000, cells=100_000)  # what the property test reads within: a near cell costs little
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # Excel's last cell, XFD1048576
Fault = tuple[str, str, str]  # file, sheet, English message


def write_xlsx(path: Path, cells: Sequence[tuple[int, int]], sheet: str = "Số liệu") -> Path:
    """A long table (header and one good row) with a number 1 at each (row, column), 1-based."""
    book = openpyxl.Workbook()
    page = book.active
    assert page is not None
    page.title = sheet
    page.append(HEADER)
    page.append(GOOD_ROW)
    for row, column in cells:
        page.cell(row=row, column=column, value=1)
    book.save(path)
    return path


def rewrite_sheets(path: Path, change: Callable[[bytes], bytes]) -> Path:
    """The workbook with each sheet's XML changed as a writer other than openpyxl would have written it."""
    source = path.with_name("source-" + path.name)
    path.rename(source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, change(data) if info.filename.startswith("xl/worksheets/") else data)
    source.unlink()
    return path


def without_dimension(xml: bytes) -> bytes:
    return re.sub(rb"<dimension [^>]*/>", b"", xml)


def reference_last(xml: bytes) -> bytes:
    """Each cell's reference after its other attributes (`<c t="n" r="B2">`), which some writers do."""
    return re.sub(rb'<c r="([A-Z]+[0-9]+)"([^>]*?)(/?)>', rb'<c\2 r="\1"\3>', xml)


def faults(path: Path, limits: Limits, catalogue: Catalogue) -> list[Fault]:
    """The file's own problems (unreadable, past a limit), as `plan_files` reports them."""
    plan = plan_files([path], ROUND, catalogue, limits)
    return [(p.location.file, p.location.sheet, p.message_en) for p in plan.errors if p.location.row is None]


def n(value: int) -> str:
    return f"{value:,}"


def reach_message(rows: int, columns: int, ref: str, limits: Limits) -> str:
    if rows > limits.rows:
        return f"has data in row {n(rows)}, beyond the limit of {n(limits.rows)} rows (DXMONITOR_MAX_ROWS)"
    return (
        f"spans A1 to {ref}: {n(rows)} rows × {n(columns)} columns = {n(rows * columns)} cells, "
        f"beyond the limit of {n(limits.cells)} cells (DXMONITOR_MAX_CELLS)"
    )


def declared_message(rows: int, columns: int, ref: str, limits: Limits) -> str:
    setting = "DXMONITOR_MAX_ROWS" if rows > limits.rows else "DXMONITOR_MAX_CELLS"
    return (
        f"declares its data as A1:{ref} ({n(rows)} rows × {n(columns)} columns = {n(rows * columns)} cells), "
        f"beyond the limits of {n(limits.rows)} rows, {n(limits.cells)} cells ({setting})"
    )


def column_label(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- the property: any far cell is read within the limits or refused, naming the limit ---------------------------


@cache
def shared_catalogue() -> Catalogue:
    return load_catalogue()


far_rows = st.one_of(st.integers(1, 60), st.integers(1, 6_000), st.integers(1, MAX_ROW))
far_columns = st.one_of(st.integers(1, 30), st.integers(1, 200), st.integers(1, MAX_COLUMN))


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(
        st.tuples(far_rows, far_columns).filter(lambda cell: cell[0] > 2 or cell[1] > 3),  # not on the table itself
        min_size=1,
        max_size=5,
    ),
    writer=st.sampled_from(["openpyxl", "no dimension", "reference last"]),
)
@example(cells=[(44, 2273), (45, 1)], writer="no dimension")  # a near cell past the far one's row: quick refusal
def test_a_workbook_with_cells_anywhere_is_read_or_refused_naming_the_limit(
    tmp_path_factory: pytest.TempPathFactory, cells: list[tuple[int, int]], writer: str
) -> None:
    catalogue = shared_catalogue()
    path = write_xlsx(tmp_path_factory.mktemp("far") / "xa.xlsx", cells)
    if writer == "no dimension":
        rewrite_sheets(path, without_dimension)
    elif writer == "reference last":
        rewrite_sheets(path, reference_last)
    rows = max([2, *(r for r, _ in cells)])
    columns = max([3, *(c for _, c in cells)])
    ref = f"{column_label(columns)}{rows}"
    within = rows <= SMALL.rows and rows * columns <= SMALL.cells
    if within:
        expected = []
    elif writer == "no dimension":
        # Without a declared dimension the sheet is refused as soon as the cells looked at first (those that could be
        # far) reach past a limit: the reach named is then the part of the real reach that already does.
        expected = [(path.name, "Số liệu", reach_message(*refused_reach(cells, SMALL), SMALL))]
    else:
        expected = [(path.name, "Số liệu", declared_message(rows, columns, ref, SMALL))]
    assert faults(path, SMALL, catalogue) == expected


def refused_reach(cells: list[tuple[int, int]], limits: Limits) -> tuple[int, int, str]:
    """The reach a refusal names: that of the cells the quick pass sees (far ones), if it is already past a limit,
    else the whole reach. Either way within the real reach and beyond a limit."""
    digits = near_digits(limits)
    far = [(r, c) for r, c in cells if r >= 10**digits or c > 26]
    whole = (max([2, *(r for r, _ in cells)]), max([3, *(c for _, c in cells)]))
    seen = (max((r for r, _ in far), default=0), max((c for _, c in far), default=0))
    rows, columns = seen if seen[0] > limits.rows or seen[0] * seen[1] > limits.cells else whole
    assert rows <= whole[0] and columns <= whole[1]
    return rows, columns, f"{column_label(columns)}{rows}"


# --- the two workbooks of the issue, through `dxmonitor import` in its own process -------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a `dxmonitor` process on its own initialised SQLite database."""
    folder = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"DXMONITOR_HOME": str(folder)}
    subprocess.run([dxmonitor(), "init"], env=env, check=True, capture_output=True, timeout=300)
    return env


def dxmonitor() -> str:
    return str(Path(sys.executable).with_name("dxmonitor"))


# Started from a small launcher rather than from the test process: a child's peak memory counts the pages it shared
# with its parent before exec, and after the suite's Spark and Parquet tests that parent holds hundreds of MiB.
LAUNCHER = """
import os, subprocess, sys
process = subprocess.Popen(sys.argv[1:], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
err = process.stderr.read()
_, status, usage = os.wait4(process.pid, 0)
sys.stderr.write(err)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def run_measured(command: list[str], env: dict[str, str]) -> tuple[int, str, float]:
    """Exit status, standard error and peak resident memory (MiB) of one process (its output is a few lines)."""
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *command], env=env, capture_output=True, text=True)
    status, peak_kib = (int(part) for part in done.stdout.split())
    return status, done.stderr, peak_kib / 1024


def far_cells(count: int) -> list[tuple[int, int]]:
    rng = random.Random(count)
    return [(rng.randint(1, MAX_ROW), rng.randint(1, MAX_COLUMN)) for _ in range(count)]


@pytest.mark.parametrize("cells", [[(MAX_ROW, MAX_COLUMN)], far_cells(2_000)], ids=["XFD1048576", "2000 far cells"])
@pytest.mark.parametrize("writer", ["openpyxl", "no dimension"])
def test_the_far_cell_workbooks_are_refused_by_the_import_command_with_little_memory(
    tmp_path: Path, home: dict[str, str], cells: list[tuple[int, int]], writer: str
) -> None:
    path = write_xlsx(tmp_path / "xa.xlsx", cells)
    if writer == "no dimension":
        rewrite_sheets(path, without_dimension)
    assert path.stat().st_size < 30_000  # a small file: the danger is in what it asks for, not in what it holds
    rows, columns = max(r for r, _ in cells), max(c for _, c in cells)
    ref = f"{column_label(columns)}{rows}"
    message = (declared_message if writer == "openpyxl" else reach_message)(rows, columns, ref, Limits())
    status, err, peak = run_measured([dxmonitor(), "import", str(path), "--round", ROUND], home)
    assert (status, err.splitlines()[0].split(" / ")[-1]) == (1, message)
    assert peak < 500, f"the refused import peaked at {peak:.0f} MiB"


def test_the_issues_four_kilobyte_workbook_is_refused_on_its_declared_dimension(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write_xlsx(tmp_path / "xa.xlsx", [(MAX_ROW, MAX_COLUMN)])
    assert path.stat().st_size < 6_000
    message = declared_message(MAX_ROW, MAX_COLUMN, "XFD1048576", Limits())
    assert faults(path, Limits(), catalogue) == [(path.name, "Số liệu", message)]


# --- cells placed by their neighbours, and empty far cells ---------------------------------------------------------


def implicit_rows(count: int) -> Callable[[bytes], bytes]:
    """A sheet whose last cell has no reference, after `count` empty rows without references either."""

    def change(xml: bytes) -> bytes:
        body = b'<row r="1"><c r="A1" t="inlineStr"><is><t>don_vi</t></is></c></row>'
        body += b"<row/>" * count + b"<row><c><v>1</v></c></row>"
        return re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData>" + body + b"</sheetData>", without_dimension(xml))

    return change


def test_a_cell_without_a_reference_is_placed_as_calamine_places_it(tmp_path: Path, catalogue: Catalogue) -> None:
    path = rewrite_sheets(write_xlsx(tmp_path / "ngam.xlsx", []), implicit_rows(300_000))
    assert faults(path, Limits(), catalogue) == [(path.name, "Số liệu", reach_message(300_002, 1, "A300002", Limits()))]


def test_a_sheet_written_in_utf16_is_measured_as_well(tmp_path: Path, catalogue: Catalogue) -> None:
    def utf16(xml: bytes) -> bytes:
        return without_dimension(xml).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")

    path = rewrite_sheets(write_xlsx(tmp_path / "utf16.xlsx", [(MAX_ROW, MAX_COLUMN)]), utf16)
    assert faults(path, Limits(), catalogue) == [
        (path.name, "Số liệu", reach_message(MAX_ROW, MAX_COLUMN, "XFD1048576", Limits()))
    ]


def test_a_reference_of_five_thousand_digits_is_refused_not_a_traceback(tmp_path: Path, catalogue: Catalogue) -> None:
    def endless(xml: bytes) -> bytes:
        far = b'<row r="3"><c r="A' + b"9" * 5_000 + b'"><v>1</v></c></row>'
        return without_dimension(xml).replace(b"</sheetData>", far + b"</sheetData>")

    path = rewrite_sheets(write_xlsx(tmp_path / "dai.xlsx", []), endless)
    assert faults(path, Limits(), catalogue) == [(path.name, "Số liệu", reach_message(10**12, 0, "", Limits()))]


def test_an_empty_far_cell_is_no_reason_to_refuse(tmp_path: Path, catalogue: Catalogue) -> None:
    """calamine keeps only cells with content: a formatted empty cell at XFD1048576 costs nothing."""

    def styled_empty(xml: bytes) -> bytes:
        far = b'<row r="1048576"><c r="XFD1048576" s="0"/></row>'
        return without_dimension(xml).replace(b"</sheetData>", far + b"</sheetData>")

    path = rewrite_sheets(write_xlsx(tmp_path / "trong.xlsx", []), styled_empty)
    plan = plan_files([path], ROUND, catalogue)
    assert (plan.errors, [(v.unit, v.value) for v in plan.values]) == ([], [("BP.SO_TP", 87)])


# --- the other limits --------------------------------------------------------------------------------------------


def test_a_file_larger_than_the_limit_is_refused_before_it_is_opened(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "lon.csv"
    path.write_bytes(b"x" * (3 * 1024 * 1024 // 2))
    limits = Limits(file_bytes=1024 * 1024)
    message = "the file is 1.5 MB, beyond the limit of 1 MB a file (DXMONITOR_MAX_FILE_MB)"
    assert faults(path, limits, catalogue) == [(path.name, "", message)]


def test_a_workbook_that_unpacks_past_the_limit_is_refused(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_xlsx(tmp_path / "bom.xlsx", [])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/media/padding.bin", bytes(3 * 1024 * 1024))  # 3 MiB of zeros packs into a few KB
    assert path.stat().st_size < 20_000
    limits = Limits(unpacked_bytes=2 * 1024 * 1024)
    message = "the workbook unpacks to more than 2 MB, beyond the limit (DXMONITOR_MAX_UNPACKED_MB)"
    assert faults(path, limits, catalogue) == [(path.name, "", message)]


def test_a_workbook_with_too_many_sheets_is_refused(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_xlsx(tmp_path / "nhieu.xlsx", [])
    book = openpyxl.load_workbook(path)
    for number in range(5):
        book.create_sheet(f"Ghi chú {number}")
    book.save(path)
    message = "the workbook has 6 sheets, beyond the limit of 5 (DXMONITOR_MAX_SHEETS)"
    assert faults(path, Limits(sheets=5), catalogue) == [(path.name, "", message)]


def test_a_csv_file_with_more_rows_than_allowed_is_refused_naming_the_row(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "dai.csv"
    path.write_text("don_vi,chi_tieu,gia_tri\n" + "Sở Tư pháp,dvc.online_service_rate,87\n" * 1_000)
    message = "has data in row 501, beyond the limit of 500 rows (DXMONITOR_MAX_ROWS)"
    assert faults(path, Limits(rows=500), catalogue) == [(path.name, "", message)]


def test_a_csv_line_of_a_million_separators_is_refused_before_it_is_split(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "rong.csv"
    path.write_text("don_vi,chi_tieu,gia_tri\nSở Tư pháp,dvc.online_service_rate,87" + "," * 1_000_000 + "\n")
    message = "the file has 1,000,004 separators, so over 100,000 cells, beyond the limit (DXMONITOR_MAX_CELLS)"
    assert faults(path, Limits(cells=100_000), catalogue) == [(path.name, "", message)]


def test_reading_that_takes_longer_than_allowed_is_stopped(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "cham.csv"
    path.write_text("don_vi,chi_tieu,gia_tri\n" + "Sở Tư pháp,dvc.online_service_rate,87\n" * 5_000)
    message = (
        "reading and checking the file took over 0 seconds, the time limit for one file (DXMONITOR_MAX_READ_SECONDS)"
    )
    plan = plan_files([path], ROUND, catalogue, Limits(seconds=0))
    assert ([(p.location.file, p.message_en) for p in plan.errors], plan.values) == ([(path.name, message)], [])


# --- ODS: repeated rows and cells ---------------------------------------------------------------------------------

ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)

ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def write_ods(path: Path, rows: str) -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NAMESPACES} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Số liệu">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        book.writestr("content.xml", content)
    return path


def ods_cell(value: object, repeat: int = 1) -> str:
    kind = "string" if isinstance(value, str) else "float"
    number = f' office:value="{value}"' if kind == "float" else ""
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="{kind}"{number}{repeated}><text:p>{value}</text:p></table:table-cell>'


def ods_row(cells: str, repeat: int = 1) -> str:
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{repeated}>{cells}</table:table-row>"


ODS_TABLE = ods_row("".join(ods_cell(v) for v in HEADER)) + ods_row("".join(ods_cell(v) for v in GOOD_ROW))
EMPTY_TAIL = ods_row('<table:table-cell table:number-columns-repeated="16381"/>', repeat=1_048_574)


def test_an_ods_with_libreoffices_empty_repeated_tail_imports(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_ods(tmp_path / "libreoffice.ods", ODS_TABLE + EMPTY_TAIL)
    plan = plan_files([path], ROUND, catalogue)
    assert (plan.errors, [(v.unit, v.value) for v in plan.values]) == ([], [("BP.SO_TP", 87)])


def test_an_ods_whose_repeats_ask_for_billions_of_cells_is_refused(tmp_path: Path, catalogue: Catalogue) -> None:
    bomb = ods_row(ods_cell(1, repeat=MAX_COLUMN), repeat=MAX_ROW)
    path = write_ods(tmp_path / "bom.ods", ODS_TABLE + bomb)
    assert path.stat().st_size < 2_000
    assert faults(path, Limits(), catalogue) == [
        (path.name, "Số liệu", reach_message(2 + MAX_ROW, MAX_COLUMN, "", Limits()))
    ]


def test_an_ods_cell_after_a_long_empty_run_is_counted_where_it_is(tmp_path: Path, catalogue: Catalogue) -> None:
    far = ods_row('<table:table-cell table:number-columns-repeated="300"/>' + ods_cell(1))
    path = write_ods(tmp_path / "xa.ods", ODS_TABLE + ods_row("", repeat=20_000) + far)
    assert faults(path, Limits(), catalogue) == [
        (path.name, "Số liệu", reach_message(20_003, 301, "KO20003", Limits()))
    ]


# --- XLS: records patched into a workbook LibreOffice wrote --------------------------------------------------------


@pytest.fixture(scope="module")
def plain_xls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xls")
    source = write_xlsx(folder / "goc.xlsx", [])
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder}/lo",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    path = folder / "goc.xls"
    assert path.is_file(), "LibreOffice Calc is needed (apt-get install libreoffice-calc-nogui)"
    return path


def patched_xls(plain: Path, path: Path, cell: tuple[int, int] | None = None, dimensions: bytes | None = None) -> Path:
    """The workbook with its first number cell moved to `cell` (0-based), or its DIMENSIONS record replaced."""
    shutil.copy(plain, path)
    stream = bytearray(read_stream(path) or b"")
    start = next(struct.unpack_from("<I", data)[0] for kind, data in records(bytes(stream), 0) if kind == BOUNDSHEET)
    at = start
    while True:
        kind, length = struct.unpack_from("<HH", stream, at)
        if kind in (0x027E, 0x0203) and cell is not None:
            struct.pack_into("<HH", stream, at + 4, *cell)
            cell = None
        if kind == 0x0200 and dimensions is not None:
            stream[at + 4 : at + 4 + length] = dimensions
        if kind == 0x000A:
            break
        at += 4 + length
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        ole.write_stream("Workbook", bytes(stream))
    return path


@pytest.mark.slow
def test_an_xls_reads_as_libreoffice_wrote_it(plain_xls: Path, catalogue: Catalogue) -> None:
    plan = plan_files([plain_xls], ROUND, catalogue)
    assert (plan.errors, [(v.unit, v.value) for v in plan.values]) == ([], [("BP.SO_TP", 87)])


@pytest.mark.slow
def test_an_xls_cell_at_its_farthest_record_position_is_refused(
    plain_xls: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    path = patched_xls(plain_xls, tmp_path / "xa.xls", cell=(65_535, 65_535))
    message = reach_message(65_536, 65_536, "CRXP65536", Limits())
    assert faults(path, Limits(), catalogue) == [(path.name, "Số liệu", message)]


@pytest.mark.slow
def test_an_xls_whose_dimensions_record_wraps_round_is_refused(
    plain_xls: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    """First row 5, last row 2: calamine's 32-bit count of rows wraps to four billion and it reserves them all."""
    path = patched_xls(plain_xls, tmp_path / "ngoac.xls", dimensions=struct.pack("<IIHHH", 5, 2, 0, 3, 0))
    rows = 2**32 - 3
    message = declared_message(rows, 3, f"C{rows}", Limits())
    assert faults(path, Limits(), catalogue) == [(path.name, "Số liệu", message)]


# --- the upload page and the API list a bounded number of problems ------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("cells", [[(MAX_ROW, MAX_COLUMN)], far_cells(2_000)], ids=["XFD1048576", "2000 far cells"])
def test_the_upload_page_refuses_the_far_cell_workbooks_and_keeps_nothing(
    personas: dict[str, User], tmp_path: Path, settings: object, cells: list[tuple[int, int]]
) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    path = rewrite_sheets(write_xlsx(tmp_path / "xa.xlsx", cells), without_dimension)
    with path.open("rb") as f:
        page = signed_in(personas["admin"]).post("/upload/", {"round": ROUND, "uploads": f})
    rows, columns = max(r for r, _ in cells), max(c for _, c in cells)
    message = reach_message(rows, columns, f"{column_label(columns)}{rows}", Limits())
    assert page.status_code == 200 and message in page.content.decode()
    assert list((tmp_path / "uploads").iterdir()) == []


@pytest.mark.django_db
def test_a_file_of_sixteen_thousand_unknown_units_gives_a_short_page(
    personas: dict[str, User], tmp_path: Path, settings: object
) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    path = tmp_path / "la.csv"
    path.write_text("don_vi,chi_tieu,gia_tri\n" + "".join(f"Đơn vị lạ {i},app.users,1\n" for i in range(16_000)))
    with path.open("rb") as f:
        page = signed_in(personas["admin"]).post("/upload/", {"round": ROUND, "uploads": f})
    text = page.content.decode()
    assert page.status_code == 200 and "16000 lỗi — không ghi gì" in text
    assert text.count("không có đơn vị &#x27;Đơn vị lạ") == 200
    assert "… và 15800 lỗi khác" in text
    assert len(page.content) < 300_000


def test_the_api_lists_the_first_errors_and_counts_the_rest(db: None, settings: object) -> None:
    settings.INTAKE_LIMITS = {**settings.INTAKE_LIMITS, "errors_shown": 50}  # type: ignore[attr-defined]
    key = ApiToken.issue("dong-phu-portal", Unit.objects.get(code="BP.DONG_PHU"))[1]
    items = [{"unit": "BP.DONG_PHU", "indicator": "app.users", "value": "nhiều"} for _ in range(120)]
    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").post(
        f"/api/rounds/{ROUND}/values", json.dumps(items), content_type="application/json"
    )
    body = response.json()
    assert (response.status_code, body["message_en"], len(body["errors"]), body["errors"][-1]["index"]) == (
        422,
        "Nothing written: 120 error(s); the first 50 are listed, and 70 more",
        50,
        49,
    )


# --- stale uploads --------------------------------------------------------------------------------------------------


def staged(folder: Path, name: str, hours_old: float) -> Path:
    ticket = folder / "uploads" / name
    ticket.mkdir(parents=True)
    (ticket / "so-lieu.xlsx").write_bytes(b"x")
    then = time.time() - hours_old * 3600
    os.utime(ticket, (then, then))
    return ticket


def test_cleanup_deletes_unconfirmed_uploads_older_than_a_day_and_says_which(tmp_path: Path, settings: object) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    old = staged(tmp_path, "a" * 32, hours_old=30)
    fresh = staged(tmp_path, "b" * 32, hours_old=2)
    out = StringIO()
    call_command("cleanup", stdout=out)
    assert out.getvalue().splitlines() == [
        f"  {'a' * 32}: so-lieu.xlsx (30 h)",
        f"Đã xóa 1 lượt nộp chưa xác nhận cũ hơn 24 giờ trong {tmp_path / 'uploads'} / "
        f"removed 1 unconfirmed upload(s) older than 24 h from {tmp_path / 'uploads'}",
    ]
    assert (old.exists(), fresh.exists()) == (False, True)


@pytest.mark.django_db
def test_staging_a_new_upload_removes_the_stale_ones(
    personas: dict[str, User], tmp_path: Path, settings: object
) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    old = staged(tmp_path, "c" * 32, hours_old=25)
    fresh = staged(tmp_path, "d" * 32, hours_old=23)
    path = tmp_path / "so-lieu.csv"
    path.write_text("don_vi,chi_tieu,gia_tri,ngay_so_lieu\nUBND H.Đồng Phú,app.users,650,19/07/2022\n")
    with path.open("rb") as f:
        page = signed_in(personas["dong_phu"]).post("/upload/", {"round": "2022-06", "uploads": f})
    assert page.status_code == 200 and "sẽ ghi: 0 mới, 1 thay đổi" in page.content.decode()
    kept = sorted(p.name for p in (tmp_path / "uploads").iterdir())
    assert (old.exists(), fresh.exists(), len(kept)) == (False, True, 2)
