"""The pages in a real browser: Playwright drives Debian's chromium against a live server of the test database.

Personas are the demo's accounts, signed in through the login form: quantri the admin, dongphu the reporter of
Đồng Phú, locninh the reporter of Lộc Ninh, bandieuhanh the viewer (a member of the Steering Committee).
A full-page screenshot of the viewer's dashboard is kept in test-artifacts/dashboard.png."""

from __future__ import annotations

import io
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import docx
import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from dxmonitor.accounts.models import Membership
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.models import Round, Unit
from dxmonitor.catalogue.sync import sync_catalogue
from dxmonitor.demo.loading import demo_rounds, mark_issued, open_demo_round
from dxmonitor.intake.service import read_files
from dxmonitor.intake.templates import FIRST_DATA_ROW
from dxmonitor.reports.generate import generate
from dxmonitor.reports.management.commands.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from writing import import_files, write_plan

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
JUNE = "/rounds/2022-06"
PROVINCE_DVC_TILE = [  # the lines of the tile, as the screen shows them
    "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến",
    "Tỉnh Bình Phước",
    "97,87%",
    "Chỉ tiêu ≥ 80%",
    "Đạt",
    "Tăng 3,37% so với kỳ trước",
    "Số liệu đến ngày 16/7/2022",
]


# --- the server, its data and the browser ------------------------------------------------------------------


def load_demo() -> None:
    """The catalogue and both demo rounds, as conftest loads them once a session.

    A live server needs committed data, so these tests are transactional, and Django empties the database after
    each of them: the first test finds the session's data, every later one loads it again."""
    if Round.objects.exists():
        return
    sync_catalogue(get_catalogue())
    for demo in demo_rounds():
        plan = read_files([demo.file], demo.code, get_catalogue())
        open_demo_round(demo, plan)
        write_plan(plan, user="demo")
        mark_issued(demo)


def create_demo_accounts() -> None:
    """The four accounts `dxmonitor demo` creates, with its password."""
    for name, role, unit in DEMO_ACCOUNTS:
        user = User.objects.create_user(
            name, password=DEMO_PASSWORD, is_staff=role == "admin", is_superuser=role == "admin"
        )
        Membership.objects.create(user=user, role=role, unit=Unit.objects.filter(code=unit or "").first())


@pytest.fixture(scope="module", autouse=True)
def demo_left_in_place(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """Leave the session's database as these tests found it. Tests without the `db` fixture run after the
    transactional ones, and some of them still read the demo rounds (test_charts does)."""
    yield
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        load_demo()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    # Playwright's synchronous API runs an event loop in this thread, and Django refuses database calls from a
    # thread with a running loop; the calls here are plain synchronous ones (fixtures, the flush after a test).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as p:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no chromium at {CHROMIUM}: run scripts/browser-deps (as root) to install Debian's chromium")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def site(live_server: LiveServer, settings: Settings, tmp_path: Path) -> str:
    """The live server's address, serving the demo rounds to the demo accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # a real hash costs 0.3 s
    settings.VAR_DIR = tmp_path / "var"  # uploads are staged there
    settings.REPORTS_DIR = tmp_path / "out"
    load_demo()
    create_demo_accounts()
    return live_server.url


@pytest.fixture
def june_report(site: str, settings: Settings) -> Path:
    """The June report in DOCX, where the dashboard finds it."""
    [written] = generate("2022-06", ["docx"], settings.REPORTS_DIR)
    return written


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    # An English-speaking browser, as many offices have: the pages stay Vietnamese until the switch is used.
    context = browser.new_context(base_url=site, locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Page, username: str, then: str = JUNE) -> None:
    """Open `then` (June's dashboard), be sent to the login form, sign in, and land on `then`."""
    page.goto(then)
    page.wait_for_url(f"/login/?next={then}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(then)


def tile(page: Page, indicator: str) -> list[str]:
    """The lines of text a dashboard tile shows."""
    text = page.locator(f'.tile[data-indicator="{indicator}"]').inner_text()
    return [line.strip() for line in text.splitlines() if line.strip()]


def rows(page: Page, table: str) -> list[list[str]]:
    """The body rows of a table, as the text of their cells."""
    return [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in page.locator(f"{table} tbody tr").all()
    ]


# --- the dashboard, persona by persona ----------------------------------------------------------------------


def test_the_viewer_sees_the_province_s_june_dashboard_and_a_screenshot_is_kept(page: Page) -> None:
    sign_in(page, "bandieuhanh")

    expect(page.get_by_test_id("who")).to_have_text("bandieuhanh · Thành viên Ban Chỉ đạo")
    expect(page.locator("h1")).to_have_text("Tổng quan tháng 6/2022")
    assert tile(page, "dvc.online_service_rate") == PROVINCE_DVC_TILE
    nav = page.locator("nav.main").get_by_role("link").all_inner_texts()
    assert nav[:5] == ["Tổng quan", "Bộ số liệu", "Đơn vị", "Chỉ tiêu", "Kỳ báo cáo"]
    assert "Nộp số liệu" not in nav and "Quản trị" not in nav  # a viewer reads, and only that
    assert page.locator(".charts svg").count() == 4

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "dashboard.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=shot, full_page=True)
    header = shot.read_bytes()[:24]
    width, height = struct.unpack(">II", header[16:24])  # the PNG's IHDR chunk
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert width == 1280 and height > 1500  # the whole page, not only the window
    assert 50_000 < shot.stat().st_size < 10_000_000


def test_the_admin_sees_the_province_dashboard_and_the_admin_s_links(page: Page) -> None:
    sign_in(page, "quantri")

    expect(page.get_by_test_id("who")).to_have_text("quantri · Quản trị")
    assert tile(page, "dvc.online_service_rate") == PROVINCE_DVC_TILE
    nav = page.locator("nav.main").get_by_role("link").all_inner_texts()
    assert "Nộp số liệu" in nav and nav[-1] == "Quản trị"


def test_the_dong_phu_reporter_sees_dong_phu_s_figures_and_not_the_province_s(page: Page) -> None:
    sign_in(page, "dongphu")

    expect(page.get_by_test_id("who")).to_have_text("dongphu · Cán bộ đơn vị")
    expect(page.locator(".page-head")).to_contain_text("Chỉ số liệu của đơn vị bạn")
    assert tile(page, "dvc.online_service_rate") == [
        "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến",
        "Huyện Đồng Phú",
        "77,3%",
        "Chỉ tiêu ≥ 80%",
        "Không đạt",
        "Giảm 6,5% so với kỳ trước",
        "Số liệu đến ngày 16/7/2022",
    ]
    shown = page.locator("main").inner_text()
    assert "97,87%" not in shown and "Tỉnh Bình Phước" not in shown and "Lộc Ninh" not in shown


def test_the_loc_ninh_reporter_sees_loc_ninh_and_gets_the_403_page_on_dong_phu(page: Page) -> None:
    sign_in(page, "locninh")

    expect(page.get_by_test_id("who")).to_have_text("locninh · Cán bộ đơn vị")
    assert tile(page, "dvc.online_service_rate")[1:3] == ["Huyện Lộc Ninh", "71,4%"]
    refused = page.goto("/units/BP.DONG_PHU")

    assert refused is not None and refused.status == 403
    expect(page.locator("h1")).to_have_text("Không có quyền xem")
    expect(page.locator("main")).to_contain_text("Bạn chỉ được xem số liệu của đơn vị mình và các đơn vị trực thuộc.")
    assert "77,3%" not in page.content()


# --- following links ----------------------------------------------------------------------------------------


def test_a_unit_named_below_target_links_to_its_page(page: Page) -> None:
    sign_in(page, "bandieuhanh")

    page.locator(".below").first.get_by_role("link", name="Đồng Phú", exact=True).click()

    page.wait_for_url("/units/BP.DONG_PHU")
    expect(page.locator("h1")).to_have_text("Huyện Đồng Phú")
    assert rows(page, "table.data")[0] == [
        "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến",
        "83,8%",
        "",
        "Đạt",
        "77,3%",
        "Giảm 6,5%",
        "Không đạt",
    ]


def test_the_dataset_table_sorts_by_a_header_and_filters_by_unit(page: Page) -> None:
    sign_in(page, "bandieuhanh")
    page.locator("table.reporting").get_by_role("link", name="Tỷ lệ DVCTT phát sinh hồ sơ và tỷ lệ").click()
    page.wait_for_url("/datasets/dvc_rates?round=2022-06")
    units = page.locator("#dataset-table tbody tr")
    expect(units).to_have_count(27)

    page.locator("#dataset-table thead").get_by_role("link", name="Thay đổi").first.click()  # rising
    page.locator("#dataset-table thead").get_by_role("link", name="Thay đổi ▲").click()  # falling
    first, last = rows(page, "#dataset-table")[0], rows(page, "#dataset-table")[-1]
    assert first[:5] == ["1", "Huyện Chơn Thành", "72,2%", "Tăng 17,4%", "Không đạt"]
    assert last[:5] == ["27", "Công an tỉnh", "100%", "", "Đạt"]  # no figure last month: last either way

    page.get_by_label("Lọc theo đơn vị").fill("dong")
    page.get_by_role("button", name="Lọc").click()
    expect(units).to_have_count(3)
    assert [r[1] for r in rows(page, "#dataset-table")] == [  # still falling by change
        "Sở Lao động - Thương binh và Xã hội",
        "Thành phố Đồng Xoài",
        "Huyện Đồng Phú",
    ]
    assert "sort=-dvc.online_service_rate%3Achange" in page.url and "q=dong" in page.url


def test_the_june_report_downloads_as_a_docx_that_opens(page: Page, june_report: Path, tmp_path: Path) -> None:
    sign_in(page, "bandieuhanh")

    with page.expect_download() as waiting:
        page.get_by_role("link", name="bao-cao-2022-06.docx").click()
    download = waiting.value
    saved = tmp_path / "downloaded.docx"
    download.save_as(saved)

    assert download.suggested_filename == "bao-cao-2022-06.docx"
    assert saved.read_bytes() == june_report.read_bytes()
    document = docx.Document(str(saved))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Số: 02/BC-STTTT" in [p.text for p in document.paragraphs]  # the bulletin's cover
    assert "97,87%" in cells  # the province's online service rate


def test_the_dashboard_counts_the_findings_that_dxmonitor_check_reports(page: Page, tmp_path: Path) -> None:
    # Three earlier rounds in which Đồng Phú had a dozen app users make its June figure (611) an outlier.
    for code, users in [("2022-02", 10), ("2022-03", 11), ("2022-04", 12)]:
        path = tmp_path / f"{code}.csv"
        path.write_text(f"don_vi,chi_tieu,gia_tri\nĐồng Phú,app.users,{users}\n", encoding="utf-8")
        import_files([path], code)
    printed = io.StringIO()
    with pytest.raises(SystemExit):  # the June round has errors: `check` exits with 1
        call_command("check", round="2022-06", stdout=printed)
    report = printed.getvalue().splitlines()
    assert any("Huyện Đồng Phú · app.users" in line and "(outlier)" in line for line in report)
    assert report[-1] == "20 phát hiện / findings, 6 lỗi / errors"  # with the three weakness rows of Số 02

    sign_in(page, "bandieuhanh")

    summary = page.locator("p", has=page.locator(".badge.error"))
    assert " ".join(summary.inner_text().split()) == "20 phát hiện: Lỗi 6 Cảnh báo 14 Lưu ý 0"


# --- signing out, language, uploading -----------------------------------------------------------------------


def test_signing_out_leads_to_the_login_page_and_closes_the_pages(page: Page) -> None:
    sign_in(page, "bandieuhanh")

    page.get_by_role("button", name="Đăng xuất").click()

    page.wait_for_url("/login/")
    expect(page.get_by_test_id("who")).to_have_count(0)
    page.goto(JUNE)
    page.wait_for_url("/login/?next=/rounds/2022-06")
    expect(page.locator("h1")).to_have_text("Đăng nhập")


def test_the_english_switch_changes_the_page_s_language_and_back(page: Page) -> None:
    sign_in(page, "bandieuhanh")
    assert page.locator("html").get_attribute("lang") == "vi"

    page.get_by_role("button", name="English").click()

    page.wait_for_url(JUNE)
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h1")).to_have_text("Overview: June 2022")  # a round's "tháng M/YYYY" is said in English
    assert tile(page, "dvc.online_service_rate") == [  # names are data (Vietnamese); numbers, changes, dates English
        "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến",
        "Tỉnh Bình Phước",
        "97.87%",
        "Target ≥ 80%",
        "Met",
        "Up 3.37% vs. previous round",
        "Figures: to 16 Jul 2022",
    ]
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_the_upload_page_lists_the_errors_of_a_file_with_another_unit_s_figure(page: Page, tmp_path: Path) -> None:
    upload = tmp_path / "so-lieu-dong-phu.csv"
    upload.write_text(
        "don_vi,chi_tieu,gia_tri,ngay_so_lieu\nĐồng Phú,app.users,650,19/07/2022\nLộc Ninh,app.users,9999,19/07/2022\n",
        encoding="utf-8",
    )
    sign_in(page, "dongphu", then="/")

    page.get_by_role("link", name="Nộp số liệu").click()
    page.get_by_label("Kỳ báo cáo (YYYY-MM)").fill("2022-06")
    page.get_by_label("Tệp số liệu (CSV, XLSX)").set_input_files(upload)
    page.get_by_test_id("check").click()

    expect(page.locator("h2.error")).to_have_text("1 lỗi — không ghi gì")
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    # The column is the unit's (A, don_vi), as for an unknown unit's error.
    assert rows(page, '[data-testid="errors"]') == [
        [
            "so-lieu-dong-phu.csv",
            "",
            "3",
            "A",
            "không có quyền ghi số liệu của đơn vị 'Huyện Lộc Ninh'\n"
            "not allowed to write figures of unit 'Huyện Lộc Ninh'",
        ]
    ]


# --- a unit's month: a filled template, the preview, submission, approval --------------------------------------


def filled_template(tmp_path: Path, dataset: str, figures: list[object]) -> Path:
    """`dxmonitor template` of June for Đồng Phú, its row filled in as a unit fills it (openpyxl)."""
    out = tmp_path / f"{dataset}.xlsx"
    call_command("template", dataset=dataset, round="2022-06", unit="BP.DONG_PHU", out=out, stdout=io.StringIO())
    book = openpyxl.load_workbook(out)
    sheet = book["Số liệu"]
    for offset, value in enumerate(figures):
        sheet.cell(row=FIRST_DATA_ROW, column=4 + offset, value=value)
    book.save(out)
    return out


def shoot(page: Page, name: str) -> None:
    """Full-page screenshots at a desktop's 1366 px and a phone's 390 px, kept as test artefacts."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_a_reporter_uploads_a_filled_template_submits_and_the_admin_approves_from_the_approval_view(
    page: Page, tmp_path: Path
) -> None:
    users = filled_template(tmp_path, "app_users", ["650"])  # stored: 611, as of 19/07/2022
    tax = filled_template(tmp_path, "tax_payments", [120, "41.250.000"])  # none stored yet
    sign_in(page, "dongphu", then="/upload/")
    page.get_by_label("Kỳ báo cáo (YYYY-MM)").fill("2022-06")
    page.get_by_label("Tệp số liệu (CSV, XLSX)").set_input_files([users, tax])
    page.get_by_test_id("check").click()

    expect(page.get_by_test_id("confirm")).to_be_visible()
    june = "đến ngày 30/6/2022"  # the template's day: no figure stored yet, so the round's last day
    assert [r[:5] for r in rows(page, '[data-testid="new"]')] == [
        ["Huyện Đồng Phú", "Số giao dịch nộp thuế trực tuyến trên Cổng DVC quốc gia", june, "120", "120"],
        ["Huyện Đồng Phú", "Số tiền nộp thuế trực tuyến trên Cổng DVC quốc gia", june, "41.250.000", "41.250.000"],
    ]
    assert [r[:6] for r in rows(page, '[data-testid="changed"]')] == [
        ["Huyện Đồng Phú", "Số người sử dụng ứng dụng Bình Phước Today", "đến ngày 19/7/2022", "611", "650", "→ 650"],
    ]
    shoot(page, "submit-1-preview")
    page.get_by_test_id("confirm").click()
    expect(page.locator(".messages")).to_contain_text("mới/new 2, thay đổi/changed 1")

    page.goto("/rounds/2022-06/submissions?dataset=app_users")
    page.get_by_test_id("submit-app_users-BP.DONG_PHU").click()
    expect(page.locator('#u-app_users-BP\\.DONG_PHU [data-testid="submit-app_users-BP.DONG_PHU"]')).to_have_count(0)
    expect(page.locator("#u-app_users-BP\\.DONG_PHU .status")).to_have_text("Đã nộp")
    shoot(page, "submit-2-submitted")
    page.context.clear_cookies()  # the next persona signs in on the same browser

    sign_in(page, "quantri", then="/rounds/2022-06/submissions")
    page.goto("/rounds/2022-06/submissions?dataset=app_users")  # the dataset's units opened
    page.get_by_test_id("review-app_users-BP.DONG_PHU").click()
    page.wait_for_url("/rounds/2022-06/approval/app_users/BP.DONG_PHU")
    assert [r[:5] for r in rows(page, '[data-testid="figures"]')] == [
        ["Số người sử dụng ứng dụng Bình Phước Today", "650", "đến ngày 19/7/2022", "", ""],
    ]
    shoot(page, "submit-3-approval")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã duyệt (khóa)")
    shoot(page, "submit-4-approved")
