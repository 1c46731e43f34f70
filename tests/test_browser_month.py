"""The whole month in a real browser, from the product's own pages only (no Django admin, no shell): the admin opens
round 2022-07 with the deadline typed 15/08/2022, Đồng Phú's reporter downloads the dataset's template, fills it,
uploads it, confirms the preview and submits, the admin approves from the approval view, then generates the round's
report from its page (the round is incomplete: a reason is given), follows the job and downloads the PDF.

The server, the demo and its accounts are test_browser's; the queue's worker is test_browser_report's. Full-page
screenshots of each step at 1366 px and 390 px are kept in test-artifacts/month/, named <nn>-<step>-<width>.png."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dxmonitor.catalogue.models import Round
from dxmonitor.intake.models import Submission
from dxmonitor.intake.templates import FIRST_DATA_ROW
from test_browser import ARTIFACTS, browser, demo_left_in_place, playwright, rows, sign_in, site  # noqa: F401
from test_browser_report import wide_page, worker  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

JULY = "2022-07"
SHOTS = ARTIFACTS / "month"
WIDTHS = (1366, 390)


def shoot(page: Page, name: str) -> None:
    """Full-page screenshots of the step at a desktop's 1366 px and a phone's 390 px, checked to be PNGs of that
    width; at 390 px the page must not be wider than the screen."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        shot = SHOTS / f"{name}-{width}.png"
        shot.unlink(missing_ok=True)
        page.screenshot(path=shot, full_page=True)
        header = shot.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">I", header[16:20])[0] == width
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name}: {scroll_width} px wide at {width} px"
    page.set_viewport_size({"width": 1366, "height": 900})


def switch_to(page: Page, username: str, then: str) -> None:
    """Sign out by forgetting the session, and sign in as another persona on the same browser."""
    page.context.clear_cookies()
    sign_in(page, username, then=then)


def test_the_office_runs_july_from_the_web_open_upload_submit_approve_report(
    wide_page: Page,  # noqa: F811
    worker: None,  # noqa: F811
    tmp_path: Path,
) -> None:
    page = wide_page
    # 1. The admin opens the round from the rounds page, typing the deadline.
    sign_in(page, "quantri", then="/rounds")
    page.get_by_test_id("new-round").click()
    page.wait_for_url("/rounds/new/")
    expect(page.get_by_label("Mã kỳ (YYYY-MM)")).to_have_value(JULY)
    deadline = page.get_by_label("Hạn nộp (dd/mm/yyyy)")
    deadline.fill("15/08/2022")
    deadline.press("Enter")
    shoot(page, "01-round-form")
    page.get_by_test_id("save").click()
    page.wait_for_url(f"/rounds/{JULY}/edit/")
    expect(page.locator(".messages")).to_contain_text("Đã mở kỳ tháng 7/2022 (2022-07).")
    expect(page.get_by_test_id("state")).to_have_text("Đang mở")
    shoot(page, "02-round-opened")
    july = Round.objects.get(code=JULY)
    assert timezone.localtime(july.deadline).date().isoformat() == "2022-08-15"

    # 2. Đồng Phú's reporter downloads the template of its app users, fills it in, uploads it, confirms and submits.
    switch_to(page, "dongphu", then=f"/rounds/{JULY}/submissions")
    shoot(page, "03-reporter-submissions")
    with page.expect_download() as waiting:
        page.get_by_test_id("template-app_users").click()
    assert waiting.value.suggested_filename == f"bieu-mau-app_users-{JULY}.xlsx"
    filled = tmp_path / "bieu-mau-dong-phu.xlsx"
    waiting.value.save_as(filled)
    book = openpyxl.load_workbook(filled)
    sheet = book["Số liệu"]
    assert (sheet["C2"].value, sheet.cell(row=FIRST_DATA_ROW, column=3).value) == (JULY, "Huyện Đồng Phú")
    assert sheet.cell(row=FIRST_DATA_ROW + 1, column=2).value is None  # the reporter's one unit, and only it
    sheet.cell(row=FIRST_DATA_ROW, column=4, value=652)
    book.save(filled)

    page.goto("/upload/")
    page.get_by_label("Kỳ báo cáo (YYYY-MM)").fill(JULY)
    page.get_by_label("Tệp số liệu (CSV, XLSX)").set_input_files(filled)
    page.get_by_test_id("check").click()
    expect(page.get_by_test_id("confirm")).to_be_visible()
    assert [r[:5] for r in rows(page, '[data-testid="new"]')] == [
        ["Huyện Đồng Phú", "Số người sử dụng ứng dụng Bình Phước Today", "đến ngày 31/7/2022", "652", "652"],
    ]
    shoot(page, "04-upload-preview")
    page.get_by_test_id("confirm").click()
    expect(page.locator(".messages")).to_contain_text("mới/new 1")
    shoot(page, "05-upload-written")

    page.goto(f"/rounds/{JULY}/submissions?dataset=app_users")
    page.get_by_test_id("submit-app_users-BP.DONG_PHU").click()
    expect(page.locator("#u-app_users-BP\\.DONG_PHU .status")).to_have_text("Đã nộp")
    shoot(page, "06-submitted")

    # 3. The admin approves from the approval view, which shows the figure.
    switch_to(page, "quantri", then=f"/rounds/{JULY}/submissions")
    page.goto(f"/rounds/{JULY}/submissions?dataset=app_users")
    page.get_by_test_id("review-app_users-BP.DONG_PHU").click()
    page.wait_for_url(f"/rounds/{JULY}/approval/app_users/BP.DONG_PHU")
    assert [r[:2] for r in rows(page, '[data-testid="figures"]')] == [
        ["Số người sử dụng ứng dụng Bình Phước Today", "652"],
    ]
    shoot(page, "07-approval")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("status")).to_have_text("Đã duyệt (khóa)")
    shoot(page, "08-approved")
    approved = Submission.objects.get(round__code=JULY, dataset__code="app_users", unit__code="BP.DONG_PHU")
    assert (approved.status, approved.approved_by) == ("approved", "quantri")

    # 4. The admin generates the report from the round's page: incomplete, so confirmed with a reason.
    page.goto(f"/rounds/{JULY}")
    panel = page.locator("#report")
    expect(panel.get_by_test_id("incomplete")).to_contain_text("đơn vị chưa nộp số liệu")
    shoot(page, "09-round-page")
    panel.get_by_label("Tôi xác nhận lập báo cáo khi kỳ chưa đủ số liệu").check()
    panel.get_by_label("Lý do (được ghi lại và hiện cùng báo cáo)").fill("Báo cáo nhanh tháng 7 cho giao ban")
    panel.get_by_role("button", name="Lập báo cáo").click()
    page.wait_for_url(f"/rounds/{JULY}#report")
    expect(page.locator(".messages")).to_contain_text("Đã bắt đầu lập báo cáo")
    job = page.get_by_test_id("report-job")
    expect(job).to_contain_text("Đã xong", timeout=180_000)  # the page follows the job run by the worker
    expect(panel.get_by_test_id("incomplete-note")).to_contain_text(
        "quantri ghi lý do: “Báo cáo nhanh tháng 7 cho giao ban”"
    )
    shoot(page, "10-report-done")

    with page.expect_download() as waiting:
        panel.get_by_role("link", name=f"bao-cao-{JULY}.pdf").click()
    assert waiting.value.suggested_filename == f"bao-cao-{JULY}.pdf"
    pdf = tmp_path / "bao-cao.pdf"
    waiting.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "tháng 7/2022" in flat and "652" in flat
