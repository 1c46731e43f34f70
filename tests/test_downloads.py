"""Every page with a table downloads it as CSV and XLSX: the page's own rows (its member's scope, its filter and
sort), plain numbers, local times, headers in the page's language; each file read back as a user's program would
(the csv module, python-calamine). Personas: alice the admin, bob the reporter of Đồng Phú, dung the viewer."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from python_calamine import CalamineWorkbook

from dxmonitor.intake.workflow import STATUS_VI
from personas import signed_in

pytestmark = pytest.mark.django_db

JUNE = "2022-06"
HISTORY = f"/values/history?round={JUNE}&unit=BP.DONG_PHU&indicator=dvc.online_service_rate"
# Each page with a table, the name of its file, and the first cells of its header row.
PAGES = {
    "/datasets": ("datasets", ["Mã", "Bộ số liệu", "Chỉ tiêu", "Số đơn vị"]),
    f"/datasets/dvc_rates?round={JUNE}": ("dataset-dvc_rates-2022-06", ["Mã đơn vị", "Đơn vị"]),
    "/units": ("units", ["Loại đơn vị", "Mã", "Đơn vị", "Tên ngắn"]),
    "/units/BP.DONG_PHU": ("unit-BP.DONG_PHU", ["Mã chỉ tiêu", "Phân loại", "Chỉ tiêu", "tháng 5/2022 — Kết quả"]),
    "/indicators": ("indicators", ["Mã", "Chỉ tiêu", "Tên ngắn", "Loại"]),
    f"/indicators/dvc.online_service_rate?round={JUNE}": (
        "indicator-dvc.online_service_rate-2022-06",
        ["Mã đơn vị", "Đơn vị"],
    ),
    "/rounds": ("rounds", ["Mã", "Kỳ", "So sánh với", "Số báo cáo", "Ngày ban hành", "Số liệu"]),
    f"/rounds/{JUNE}/submissions": ("submissions-2022-06", ["Mã bộ số liệu", "Bộ số liệu", "Mã đơn vị", "Đơn vị"]),
    f"/rounds/{JUNE}/checks": ("checks-2022-06", ["Mức độ", "Bộ số liệu", "Mã đơn vị", "Đơn vị", "Chỉ tiêu"]),
    HISTORY: ("value-history-2022-06-BP.DONG_PHU-dvc.online_service_rate", ["Lúc", "Người thay đổi", "Cách nhập"]),
}
SERVICE_RATE = "Tỷ lệ DVCTT phát sinh hồ sơ"  # dvc.online_service_rate, as the table heads its column


def with_format(url: str, fmt: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}format={fmt}"


def with_suffix(url: str, fmt: str) -> str:
    path, _sep, query = url.partition("?")
    return f"{path}.{fmt}" + (f"?{query}" if query else "")


def csv_rows(response: HttpResponse) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # Excel reads UTF-8 by its byte-order mark
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response: HttpResponse) -> list[list[object]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def filename(response: HttpResponse) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    return disposition.removeprefix("attachment; filename=").strip('"')


def row_of(rows: list[list[str]], first: str) -> list[str]:
    return next(r for r in rows if r[0] == first)


def column(rows: list[list[str]], name: str) -> list[str]:
    index = rows[0].index(name)
    return [r[index] for r in rows[1:]]


@pytest.mark.parametrize("url", PAGES)
def test_every_table_page_downloads_as_csv_and_xlsx_with_its_header_and_a_name_that_says_what_it_is(
    url: str, personas: dict[str, User]
) -> None:
    alice = signed_in(personas["admin"])
    name, header = PAGES[url]
    by_query = alice.get(with_format(url, "csv"))
    rows = csv_rows(by_query)
    assert filename(by_query) == f"{name}.csv"
    assert rows[0][: len(header)] == header
    assert len(rows) > 1 and all(len(r) == len(rows[0]) for r in rows)
    assert csv_rows(alice.get(with_suffix(url, "csv"))) == rows  # ".csv" says the same as "?format=csv"

    workbook = alice.get(with_suffix(url, "xlsx"))
    assert filename(workbook) == f"{name}.xlsx"
    sheet = xlsx_rows(workbook)
    assert sheet[0] == rows[0]
    assert len(sheet) == len(rows)


def test_the_dataset_s_file_holds_the_june_figures_as_plain_numbers_and_the_page_s_verdicts(
    personas: dict[str, User],
) -> None:
    alice = signed_in(personas["admin"])
    rows = csv_rows(alice.get(f"/datasets/dvc_rates.csv?round={JUNE}"))
    head = rows[0]
    value = head.index(f"{SERVICE_RATE} — Kết quả (%)")
    assert head[value + 1] == f"{SERVICE_RATE} — Thay đổi (%)"
    assert head[value + 2] == f"{SERVICE_RATE} — Chỉ tiêu ≥ 80%"
    dong_phu = row_of(rows, "BP.DONG_PHU")
    assert dong_phu[1] == "Huyện Đồng Phú"
    assert dong_phu[value : value + 3] == ["77.3", "-6.5", "Không đạt"]  # the page shows "77,3%", "Giảm 6,5%"
    assert rows[-1][1] == "Tổng"  # the total row closes the table, as on the page

    sheet = xlsx_rows(alice.get(f"/datasets/dvc_rates.xlsx?round={JUNE}"))
    in_sheet = next(r for r in sheet if r[0] == "BP.DONG_PHU")
    assert in_sheet[value : value + 3] == [77.3, -6.5, "Không đạt"]  # numbers, not texts
    assert [r[0] for r in sheet] == [r[0] for r in rows]


def test_the_xlsx_header_is_bold_its_columns_wide_enough_and_its_numbers_numbers(personas: dict[str, User]) -> None:
    from openpyxl import load_workbook

    alice = signed_in(personas["admin"])
    book = load_workbook(io.BytesIO(alice.get(f"/datasets/dvc_rates.xlsx?round={JUNE}").content))
    sheet = book.active
    assert sheet is not None
    assert all(c.font.bold for c in sheet[1]) and not sheet["B2"].font.bold
    assert sheet.column_dimensions["B"].width >= len("Huyện Đồng Phú")
    assert sheet.freeze_panes == "A2"
    assert {type(c.value) for c in sheet["C"][1:] if c.value is not None} <= {int, float}


def test_a_reporter_downloads_only_the_rows_the_page_shows_them(personas: dict[str, User]) -> None:
    bob = signed_in(personas["dong_phu"])
    rows = csv_rows(bob.get(f"/datasets/dvc_rates.csv?round={JUNE}"))
    assert [r[0] for r in rows[1:]] == ["BP.DONG_PHU"]  # no other unit, no province total
    rows = csv_rows(bob.get(f"/indicators/dvc.online_service_rate.csv?round={JUNE}"))
    assert [r[0] for r in rows[1:]] == ["BP.DONG_PHU"]
    submissions = csv_rows(bob.get(f"/rounds/{JUNE}/submissions.csv"))
    assert set(column(submissions, "Mã đơn vị")) == {"BP.DONG_PHU"}
    checks = csv_rows(bob.get(f"/rounds/{JUNE}/checks.csv"))
    assert set(column(checks, "Mã đơn vị")) <= {"BP.DONG_PHU", ""}

    assert bob.get("/units/BP.LOC_NINH.csv").status_code == 403
    assert bob.get("/units/BP.LOC_NINH.xlsx").status_code == 403
    other = f"/values/history?round={JUNE}&unit=BP.LOC_NINH&indicator=dvc.online_service_rate&format=csv"
    assert bob.get(other).status_code == 403


def test_the_admin_s_submissions_file_lists_every_unit_and_its_status(personas: dict[str, User]) -> None:
    alice, bob = signed_in(personas["admin"]), signed_in(personas["dong_phu"])
    page = alice.get(f"/rounds/{JUNE}/submissions.json").json()
    expected = sum(len(d["units"]) for d in page["datasets"])
    rows = csv_rows(alice.get(f"/rounds/{JUNE}/submissions.csv"))
    assert len(rows) - 1 == expected
    assert len(set(column(rows, "Mã đơn vị"))) > 10
    assert set(column(rows, "Trạng thái")) <= set(STATUS_VI.values())
    assert "Đang nhập" in column(rows, "Trạng thái")
    mine = csv_rows(bob.get(f"/rounds/{JUNE}/submissions.csv"))
    assert len(mine) < len(rows)


def test_the_filter_and_the_sort_of_the_page_are_those_of_its_file(personas: dict[str, User]) -> None:
    alice = signed_in(personas["admin"])
    rows = csv_rows(alice.get(f"/datasets/dvc_rates.csv?round={JUNE}&q={quote('đồng phú')}"))
    assert [r[0] for r in rows[1:]] == ["BP.DONG_PHU", "BP"]  # the filter keeps one unit; the total, as the page
    key = "dvc.online_service_rate"
    ascending = csv_rows(alice.get(f"/datasets/dvc_rates.csv?round={JUNE}&sort={key}"))
    value = ascending[0].index(f"{SERVICE_RATE} — Kết quả (%)")
    figures = [float(r[value]) for r in ascending[1:-1] if r[value]]  # the total row last, as on the page
    assert figures == sorted(figures) and len(figures) > 5


def test_the_english_interface_downloads_english_headers_and_words_with_the_same_figures(
    personas: dict[str, User],
) -> None:
    alice = signed_in(personas["admin"])
    alice.cookies["django_language"] = "en"
    rows = csv_rows(alice.get(f"/datasets/dvc_rates.csv?round={JUNE}"))
    assert rows[0][:2] == ["Unit code", "Unit"]
    assert f"{SERVICE_RATE} — Result (%)" in rows[0]
    assert "Not met" in row_of(rows, "BP.DONG_PHU") or "Not achieved" in row_of(rows, "BP.DONG_PHU")
    assert "77.3" in row_of(rows, "BP.DONG_PHU")
    checks = csv_rows(alice.get(f"/rounds/{JUNE}/checks.csv"))
    assert checks[0][:3] == ["Severity", "Dataset", "Unit code"]


def test_the_value_history_file_has_local_times_and_plain_numbers(personas: dict[str, User]) -> None:
    alice = signed_in(personas["admin"])
    page = alice.get(HISTORY + "&format=json").json()
    rows = csv_rows(alice.get(HISTORY + "&format=csv"))
    assert len(rows) - 1 == len(page["changes"]) > 0
    first = rows[1]
    assert float(first[6]) == page["changes"][0]["new_value"] == 77.3
    assert rows[0][5:7] == ["Số cũ (%)", "Số mới (%)"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", first[0])  # the page's "14:05 20/7/2022"
    sheet = xlsx_rows(alice.get(HISTORY + "&format=xlsx"))
    assert str(sheet[1][0])[:16].replace("T", " ") == first[0]


def test_each_table_page_links_its_files_and_a_page_without_a_table_has_none(personas: dict[str, User]) -> None:
    alice = signed_in(personas["admin"])
    html = alice.get(f"/datasets/dvc_rates?round={JUNE}&q=dong").content.decode()
    assert f'href="/datasets/dvc_rates?round={JUNE}&amp;q=dong&amp;format=csv"' in html
    assert f'href="/datasets/dvc_rates?round={JUNE}&amp;q=dong&amp;format=xlsx"' in html
    assert "Tải CSV" in html and "Tải Excel" in html
    for url in PAGES:
        assert 'data-testid="download-xlsx"' in alice.get(url).content.decode(), url
    dashboard = alice.get(f"/rounds/{JUNE}").content.decode()
    assert "Tải CSV" not in dashboard
    assert alice.get(f"/rounds/{JUNE}.csv").status_code == 404
    assert alice.get(f"/rounds/{JUNE}/entry/dvc_rates/BP.DONG_PHU.xlsx").status_code == 404


def test_anonymous_visitors_download_nothing(client: Client) -> None:
    response = client.get(f"/datasets/dvc_rates.csv?round={JUNE}")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
