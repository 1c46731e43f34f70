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

from docx_text import docx_text
from dxmonitor.accounts.models import Membership
from dxmonitor.catalogue.models import Round
from dxmonitor.intake.models import Value
from dxmonitor.issuing.hashing import sha256_of
from dxmonitor.issuing.models import IssuedReport
from dxmonitor.issuing.service import folder_of
from dxmonitor.issuing.signing import P12_VARIABLE, PASSWORD_VARIABLE, check_signature
from dxmonitor.reports import render_pdf
from dxmonitor.web.views import report_file

pytestmark = pytest.mark.django_db

REPORT_FILES = ["bao-cao-2022-06.docx", "bao-cao-2022-06.html", "bao-cao-2022-06.pdf"]


@pytest.fixture
def demo_home(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home of the demo's own: its demo certificate and issued versions there; no certificate configured (the
    demo sets the variables for itself: they are given back after the test)."""
    settings.BASE_DIR = tmp_path / "home"
    settings.REPORTS_DIR = tmp_path / "home" / "out"
    monkeypatch.setenv(P12_VARIABLE, "")
    monkeypatch.setenv(PASSWORD_VARIABLE, "")
    return settings.BASE_DIR  # type: ignore[no-any-return]


def demo(out: Path) -> list[str]:
    """What the demo says of its signing certificate and its issues: the lines from the certificate's on."""
    said = StringIO()
    call_command("demo", no_serve=True, out=out, stdout=said)
    lines = said.getvalue().splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("Chưa cấu hình chứng thư số")) :]


def issued() -> list[tuple[str, int, str, list[str]]]:
    found = IssuedReport.objects.filter(state=IssuedReport.State.ISSUED).order_by("round__code", "version")
    return [(r.round.code, r.version, r.number, [f["format"] for f in r.files]) for r in found]


@pytest.mark.slow
def test_the_demo_writes_the_june_report_in_three_formats_and_issues_both_rounds_signed(
    tmp_path: Path, demo_home: Path
) -> None:
    values_before = Value.objects.count()

    said = demo(tmp_path / "reports")

    docx_file, html_file, pdf_file = (tmp_path / "reports" / name for name in REPORT_FILES)
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == REPORT_FILES
    assert docx_file.read_bytes()[:2] == b"PK" and docx_file.stat().st_size > 20_000
    assert "Số: 02/BC-STTTT" in html_file.read_text(encoding="utf-8")
    assert pdf_file.read_bytes()[:5] == b"%PDF-" and pdf_file.stat().st_size > 20_000
    # The test database already holds both demo rounds: importing them again changes nothing.
    assert Value.objects.count() == values_before
    assert list(Round.objects.order_by("code").values_list("code", "report_number")) == [
        ("2022-05", "01/BC-STTTT"),
        ("2022-06", "02/BC-STTTT"),
    ]
    p12 = demo_home / "signing" / "demo-signing.p12"
    assert said[:2] == [
        f"Chưa cấu hình chứng thư số ({P12_VARIABLE}): đã tạo chứng thư TỰ KÝ để thử nghiệm, không có giá trị "
        f"pháp lý: {p12}",
        f"No signing certificate configured ({P12_VARIABLE}): made a SELF-SIGNED DEMO certificate, not a legal "
        f"digital signature: {p12}",
    ]
    assert said[4:6] == [
        "Kỳ 2022-05: đã ban hành số 01/BC-STTTT (PDF đã ký số / PDF signed) / round 2022-05 issued as 01/BC-STTTT",
        "Kỳ 2022-06: đã ban hành số 02/BC-STTTT (PDF đã ký số / PDF signed) / round 2022-06 issued as 02/BC-STTTT",
    ]
    # Issued on the days the real reports were: Số 01 and Số 02, as the seeds; each PDF signed with the demo's.
    assert issued() == [
        ("2022-05", 1, "01/BC-STTTT", ["docx", "html", "pdf"]),
        ("2022-06", 1, "02/BC-STTTT", ["docx", "html", "pdf"]),
    ]
    june = IssuedReport.objects.get(round__code="2022-06")
    pdf = folder_of(june) / "bao-cao-2022-06.pdf"
    check = check_signature(pdf, [june.certificate])
    assert (check.valid, check.signer.startswith("Common Name: ")) == (True, True), check
    assert "DEMO" in check.signer
    # The seeds print the signer's title and no name: the demo's made-up one is under the signature and in the
    # certificate that signs.
    assert "GIÁM ĐỐC ¶ \u200b ¶ Trần Văn Mẫu |" in docx_text(docx_file)
    assert "Trần Văn Mẫu" in check.signer and june.signer == "GIÁM ĐỐC Trần Văn Mẫu"
    assert sha256_of(pdf) == next(f["sha256"] for f in june.files if f["format"] == "pdf")


def test_the_demo_still_writes_docx_and_html_when_libreoffice_is_missing_and_issues_them_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_home: Path
) -> None:
    monkeypatch.setattr(render_pdf, "find_soffice", lambda: None)

    said = demo(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == REPORT_FILES[:2]
    # The PDF could not be made: its number was given back and taken again by the DOCX and the HTML.
    assert issued() == [
        ("2022-05", 1, "01/BC-STTTT", ["docx", "html"]),
        ("2022-06", 1, "02/BC-STTTT", ["docx", "html"]),
    ]
    assert said[4].startswith("Kỳ 2022-05: đã ban hành số 01/BC-STTTT, không có PDF (")
    assert IssuedReport.objects.filter(round__code="2022-06").get().reason.startswith("Bản trình diễn: ")

    monkeypatch.setenv(P12_VARIABLE, "")  # as in a new process
    again = demo(tmp_path)  # a second run reuses the certificate and issues nothing more

    p12 = demo_home / "signing" / "demo-signing.p12"
    assert again[0].endswith(f"dùng lại chứng thư TỰ KÝ để thử nghiệm, không có giá trị pháp lý: {p12}")
    assert again[4:6] == [
        "Kỳ 2022-05 đã ban hành số 01/BC-STTTT / round 2022-05 already issued as 01/BC-STTTT",
        "Kỳ 2022-06 đã ban hành số 02/BC-STTTT / round 2022-06 already issued as 02/BC-STTTT",
    ]
    assert len(issued()) == 2


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
    assert "/reports/bao-cao-2022-05" not in html and "chưa có" in html
    assert "dxmonitor" not in text_outside_brand(html)  # a viewer is never shown a command line
    assert "Mở kỳ mới" not in html  # nor the admin's controls


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


def text_outside_brand(html: str) -> str:
    """The page without its header's brand, its footer and its title (which name the product)."""
    body = html[html.index("<main>") : html.index("</main>")]
    return body
