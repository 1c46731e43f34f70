"""The admin opens round 2022-07 from the rounds page in a real browser, typing the deadline 15/08/2022.

Uses the browser, the live server and the demo accounts of test_browser.py. Screenshots of the form and of the
opened round, at 1366 px and 390 px wide, are kept in test-artifacts/ as the dashboard's is."""

from __future__ import annotations

import struct
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

import test_browser
from dxmonitor.catalogue.models import Round
from test_browser import ARTIFACTS, sign_in

# test_browser's fixtures, found by pytest under these names: the browser, the live server with the demo and its
# accounts, and the demo left in place for the tests that run after.
playwright = test_browser.playwright
browser = test_browser.browser
site = test_browser.site
demo_left_in_place = test_browser.demo_left_in_place

pytestmark = pytest.mark.slow

WIDTHS = {"wide": (1366, 900), "narrow": (390, 844)}


def shoot(page: Page, name: str) -> Path:
    """A full-page screenshot kept among the test artefacts; checked to be a PNG of the window's width."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=shot, full_page=True)
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">I", header[16:20])[0] == page.viewport_size["width"]  # type: ignore[index]
    print(f"screenshot: {shot}")
    return shot


@pytest.mark.parametrize("width", ["wide", "narrow"])
def test_the_admin_opens_round_2022_07_from_the_rounds_page_with_a_typed_deadline(
    browser: Browser, site: str, width: str
) -> None:
    w, h = WIDTHS[width]
    context = browser.new_context(base_url=site, locale="vi-VN", viewport={"width": w, "height": h})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, "quantri", then="/rounds")
        page.get_by_test_id("new-round").click()
        page.wait_for_url("/rounds/new/")
        expect(page.get_by_label("Mã kỳ (YYYY-MM)")).to_have_value("2022-07")
        expect(page.get_by_label("Tên kỳ")).to_have_value("tháng 7/2022")
        expect(page.get_by_label("So sánh với kỳ")).to_have_value("2022-06")
        deadline = page.get_by_label("Hạn nộp (dd/mm/yyyy)")
        deadline.click()
        calendar = page.locator(".day-picker-calendar").first
        expect(calendar).to_be_visible()  # the product's own month grid, served locally
        expect(calendar.locator(".day-picker-weekday").first).to_have_text("T2")  # Vietnamese weekdays, Monday first
        deadline.fill("15/08/2022")
        expect(calendar.locator(".day-picker-month")).to_have_text("Tháng 8/2022")  # the grid follows what is typed
        deadline.press("Enter")
        expect(calendar).to_be_hidden()  # Enter closes the grid and does not send the form
        report_date = page.get_by_label("Ngày ban hành báo cáo (dd/mm/yyyy)")
        report_date.fill("20/08/2022")
        report_date.press("ArrowDown")  # the keyboard opens the grid on the day typed and moves in it
        report_calendar = page.locator(".day-picker-calendar").nth(1)
        expect(report_calendar.locator(".day-picker-day:focus")).to_have_text("20")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        expect(report_calendar).to_be_hidden()
        expect(report_date).to_have_value("21/08/2022")
        page.get_by_label("Số báo cáo").fill("03/BC-STTTT")
        shoot(page, f"round-new-{w}")
        page.get_by_test_id("save").click()
        page.wait_for_url("/rounds/2022-07/edit/")
        expect(page.locator(".messages")).to_contain_text("Đã mở kỳ tháng 7/2022 (2022-07).")
        expect(page.get_by_label("Hạn nộp (dd/mm/yyyy)")).to_have_value("15/08/2022")
        expect(page.get_by_test_id("state")).to_have_text("Đang mở")
        shoot(page, f"round-opened-{w}")
        page.goto("/rounds")
        row = page.locator('tr[data-round="2022-07"] td')
        assert [t.strip() for t in row.all_inner_texts()[:5]] == [
            "tháng 7/2022",
            "2022-07",
            "Đang mở",
            "15/8/2022",
            "tháng 6/2022",
        ]
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0  # the table scrolls inside its box, the page does not
    finally:
        context.close()
    july = Round.objects.get(code="2022-07")
    local = timezone.localtime(july.deadline)
    saved = (
        local.date().isoformat(),
        july.report_number,
        july.report_date,
        july.baseline.code if july.baseline else None,
    )
    assert saved == ("2022-08-15", "03/BC-STTTT", date(2022, 8, 21), "2022-06")
