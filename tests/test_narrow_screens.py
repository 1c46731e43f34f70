"""Every page on a phone: at 390 px wide no page is wider than the screen (charts scale, tables scroll inside their
box, the navigation wraps), for each persona of the demo, in a real browser (Playwright + Debian's chromium).

A full-page screenshot of each page is kept at 390 px and at 1366 px in test-artifacts/narrow/, named
<persona>-<page>-<width>.png, to be looked at. The server, the demo data and the sign-in are test_browser's."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from dxmonitor.catalogue.models import Round
from dxmonitor.issuing.service import issue
from test_browser import ARTIFACTS, browser, demo_left_in_place, playwright, sign_in, site  # noqa: F401
from writing import import_files

pytestmark = pytest.mark.slow

PHONE, DESKTOP = 390, 1366
JUNE = "2022-06"
SHOTS = ARTIFACTS / "narrow"
# Every page a member opens, by a short name; the entry form and the upload page for those who write figures.
PAGES = {
    "dashboard": f"/rounds/{JUNE}",
    "rounds": "/rounds",
    "datasets": "/datasets",
    "dataset": f"/datasets/dvc_rates?round={JUNE}",
    "dataset-wide": f"/datasets/security_scan?round={JUNE}",
    "units": "/units",
    "unit": "/units/BP.DONG_PHU",
    "indicators": "/indicators",
    "indicator": f"/indicators/dvc.online_service_rate?round={JUNE}",
    "submissions": f"/rounds/{JUNE}/submissions",
    "checks": f"/rounds/{JUNE}/checks",
    "history": f"/values/history?round={JUNE}&unit=BP.DONG_PHU&indicator=dvc.online_service_rate",
    "issued": f"/rounds/{JUNE}/issued",
    "changes": f"/rounds/{JUNE}/issued/changes",
    "report": f"/rounds/{JUNE}/issued/v1/bao-cao-{JUNE}.html",  # the issued report itself, as a phone shows it
}
WRITERS = {
    "upload": "/upload/",
    "entry": f"/rounds/{JUNE}/entry/dvc_rates/BP.DONG_PHU",
}
OFFICE = {"sections": f"/rounds/{JUNE}/sections/"}  # the admin writes the report's sections
PERSONAS = {
    "quantri": {**PAGES, **WRITERS, **OFFICE},
    "dongphu": {**PAGES, **WRITERS},
    "locninh": {k: v for k, v in PAGES.items() if k not in ("unit", "history")},  # Đồng Phú's are closed to Lộc Ninh
    "bandieuhanh": PAGES,
}


@pytest.fixture
def issued_and_corrected(site: str, tmp_path: Path) -> None:  # noqa: F811
    """June issued (HTML), then a figure corrected through the write path: the issued pages have something to show."""
    issue(Round.objects.get(code=JUNE), "quantri", "thử / a try", ("html",))
    correction = tmp_path / "correction.csv"
    correction.write_text("don_vi,chi_tieu,gia_tri,ngay_so_lieu\nBP.LOC_NINH,app.users,4321,19/07/2022\n", "utf-8")
    import_files([correction], JUNE)


@pytest.fixture
def phone(browser: Browser, site: str, issued_and_corrected: None) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(base_url=site, locale="vi-VN", viewport={"width": PHONE, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def overflow(page: Page) -> list[str]:
    """What sticks out to the right of the screen: the elements (tag.class) that end beyond its width."""
    found: list[str] = page.evaluate(
        """width => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5
                         && !e.closest('.table-wrap, table.data, .chart, pre'))
            .slice(0, 8)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : ''))""",
        PHONE,
    )
    return found


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def shoot(page: Page, name: str, width: int) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{name}-{width}.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=shot, full_page=True)
    assert png_size(shot)[1] > 300 and shot.stat().st_size > 10_000
    return shot


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_is_wider_than_a_phone_and_each_is_kept_at_390_and_1366_px(phone: Page, persona: str) -> None:
    sign_in(phone, persona, then=PAGES["datasets"])
    wider: dict[str, object] = {}
    for name, url in PERSONAS[persona].items():
        phone.set_viewport_size({"width": PHONE, "height": 844})
        response = phone.goto(url)
        assert response is not None and response.status == 200, f"{persona} {url}: {response and response.status}"
        scroll_width = phone.evaluate("document.documentElement.scrollWidth")
        if scroll_width > PHONE:
            wider[name] = (scroll_width, overflow(phone))
        shoot(phone, f"{persona}-{name}", PHONE)
        phone.set_viewport_size({"width": DESKTOP, "height": 900})
        shoot(phone, f"{persona}-{name}", DESKTOP)
    assert wider == {}, f"wider than {PHONE} px for {persona}: {wider}"


def test_a_wide_table_scrolls_inside_its_box_and_a_chart_fits_the_screen(phone: Page) -> None:
    sign_in(phone, "quantri", then=PAGES["datasets"])
    phone.goto(PAGES["dataset-wide"])
    box = phone.locator(".table-wrap").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table is wider than the screen: it scrolls
    assert box.evaluate("e => e.getBoundingClientRect().right") <= PHONE
    phone.goto(PAGES["indicator"])
    charts = phone.locator(".chart svg")
    assert charts.count() >= 1
    for i in range(charts.count()):
        assert charts.nth(i).evaluate("e => e.getBoundingClientRect().right") <= PHONE
    nav = phone.locator("nav.main")
    assert nav.evaluate("e => e.getBoundingClientRect().height") > 30  # wrapped onto several lines
    assert nav.evaluate("e => e.scrollWidth <= e.clientWidth")


def test_the_download_links_are_on_the_phone_s_page_and_give_the_file(phone: Page) -> None:
    sign_in(phone, "dongphu", then=PAGES["datasets"])
    phone.goto(PAGES["dataset"])
    link = phone.get_by_test_id("download-xlsx")
    assert link.inner_text() == "Tải Excel"
    with phone.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"dataset-dvc_rates-{JUNE}.xlsx"
