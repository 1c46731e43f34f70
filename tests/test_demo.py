"""`dxmonitor demo --no-serve` end to end, and the first web page that lists the rounds and their report files."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.http import Http404
from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings

from dxmonitor.accounts.models import Membership
from dxmonitor.catalogue.models import Round
from dxmonitor.intake.models import Value
from dxmonitor.reports import render_pdf
from dxmonitor.web.views import report_file

pytestmark = pytest.mark.django_db

REPORT_FILES = ["bao-cao-2022-06.docx", "bao-cao-2022-06.html", "bao-cao-2022-06.pdf"]


@pytest.mark.slow
def test_the_demo_writes_the_june_report_in_three_formats(tmp_path: Path) -> None:
    values_before = Value.objects.count()

    call_command("demo", no_serve=True, out=tmp_path, stdout=StringIO())

    docx_file, html_file, pdf_file = (tmp_path / name for name in REPORT_FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == REPORT_FILES
    assert docx_file.read_bytes()[:2] == b"PK" and docx_file.stat().st_size > 20_000
    assert "Số: 02/BC-STTTT" in html_file.read_text(encoding="utf-8")
    assert pdf_file.read_bytes()[:5] == b"%PDF-" and pdf_file.stat().st_size > 20_000
    # The test database already holds both demo rounds: importing them again changes nothing.
    assert Value.objects.count() == values_before
    assert list(Round.objects.order_by("code").values_list("code", "report_number")) == [
        ("2022-05", "01/BC-STTTT"),
        ("2022-06", "02/BC-STTTT"),
    ]


def test_the_demo_still_writes_docx_and_html_when_libreoffice_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_pdf, "find_soffice", lambda: None)

    call_command("demo", no_serve=True, out=tmp_path, stdout=StringIO())

    assert sorted(p.name for p in tmp_path.iterdir()) == REPORT_FILES[:2]


# --- the web page -------------------------------------------------------------------------------------------


@pytest.fixture
def reports_dir(tmp_path: Path, settings: Settings) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    settings.REPORTS_DIR = folder
    (folder / "bao-cao-2022-06.docx").write_bytes(b"PK\x03\x04 a docx")
    (folder / "bao-cao-2022-06.html").write_text("<p>Số: 02/BC-STTTT</p>", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("not a report", encoding="utf-8")  # beside the folder, not in it
    return folder


@pytest.fixture
def viewer(db: None) -> Client:
    """dung, a Steering Committee member: reads everything."""
    user = User.objects.create_user("dung", password="Mật-khẩu-dài-2022")
    Membership.objects.create(user=user, role="viewer")
    client = Client()
    client.force_login(user)
    return client


def test_the_rounds_page_lists_both_rounds_with_their_report_numbers_and_files(
    reports_dir: Path, viewer: Client
) -> None:
    page = viewer.get("/rounds")
    html = page.content.decode()

    assert page.status_code == 200
    june, may = html.index("tháng 6/2022"), html.index("tháng 5/2022")
    assert june < may
    assert html.index("02/BC-STTTT") < html.index("01/BC-STTTT")
    assert "20/7/2022" in html and "20/6/2022" in html
    assert 'href="/reports/bao-cao-2022-06.docx"' in html and 'href="/reports/bao-cao-2022-06.html"' in html
    assert "/reports/bao-cao-2022-06.pdf" not in html
    assert "/reports/bao-cao-2022-05" not in html and "dxmonitor report" not in html  # no command line for members


def test_report_files_are_for_signed_in_members_only(reports_dir: Path) -> None:
    response = Client().get("/reports/bao-cao-2022-06.docx")

    assert (response.status_code, response["Location"]) == (302, "/login/?next=/reports/bao-cao-2022-06.docx")


def test_a_report_file_is_served_for_download(reports_dir: Path, viewer: Client) -> None:
    response = viewer.get("/reports/bao-cao-2022-06.docx")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\x03\x04 a docx"  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="bao-cao-2022-06.docx"' in response["Content-Disposition"]


def test_an_html_report_is_shown_in_the_browser(reports_dir: Path, viewer: Client) -> None:
    response = viewer.get("/reports/bao-cao-2022-06.html")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "<p>Số: 02/BC-STTTT</p>"  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("inline;")


@pytest.mark.parametrize(
    "name",
    [
        "../pyproject.toml",
        "..%2Fpyproject.toml",
        "..",
        "%2E%2E%2Fpyproject.toml",
        "..%5Cpyproject.toml",
        "bao-cao-2022-05.docx",
        "",
        "x%00",
        "bao-cao-2022-06.docx%00.html",
        "a" * 300,  # longer than a file name may be
        "b%C3%A1o-c%C3%A1o-%F0%9F%98%80.docx",
    ],
)
def test_anything_but_a_report_file_in_the_folder_is_not_found(reports_dir: Path, viewer: Client, name: str) -> None:
    response = viewer.get(f"/reports/{name}")

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["x\x00", "\x00", "a" * 5000])
def test_the_report_view_itself_refuses_a_name_no_file_can_have(
    reports_dir: Path, personas: dict[str, User], name: str
) -> None:
    # The NUL never reaches the view through the server (the address is refused before), but the view holds alone.
    request = RequestFactory().get("/reports/x")
    request.user = personas["viewer"]
    with pytest.raises(Http404):
        report_file(request, name)
