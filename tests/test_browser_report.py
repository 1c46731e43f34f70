"""The report from the round's page in a real browser: the admin presses "Lập báo cáo", the page follows the job
run by the queue's worker, and the PDF downloads. Screenshots at 1366 px and 390 px are kept in test-artifacts/."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import OperationalError, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Browser, Page, expect

from test_browser import (  # noqa: F401  (fixtures)
    ARTIFACTS,
    JUNE,
    browser,
    demo_left_in_place,
    playwright,
    sign_in,
    site,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def worker(site: str) -> Iterator[None]:  # noqa: F811
    """The database queue's worker, in a thread of this process (the live server's database is this one): it takes
    each ready task and runs it with django-tasks-db's own `run_task`. Its loop's exclusive transactions are left
    out: on the suite's in-memory SQLite they lock the schema the live server's thread shares."""
    loop = Worker(
        queue_names=["default"],
        interval=0.2,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test",
        excluded_queue_names=[],
    )
    stop = threading.Event()

    def run() -> None:
        try:
            while not stop.wait(0.2):
                try:
                    ready = DBTaskResult.objects.ready().first()
                    if ready is not None:
                        ready.claim(loop.worker_id)
                        loop.run_task(ready)
                except OperationalError:  # the live server is writing: look again
                    continue
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=60)


@pytest.fixture
def wide_page(browser: Browser, site: str) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(base_url=site, locale="vi-VN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def shoot(page: Page, name: str) -> None:
    """Full-page screenshots at 1366 px and at 390 px (a phone), kept as artefacts."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=ARTIFACTS / f"report-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_the_admin_generates_june_s_report_from_its_page_follows_the_job_and_downloads_the_pdf(
    wide_page: Page, worker: None, tmp_path: Path
) -> None:
    page = wide_page
    sign_in(page, "quantri")
    panel = page.locator("#report")
    expect(panel.get_by_role("button", name="Lập báo cáo")).to_be_visible()
    expect(panel.get_by_test_id("incomplete")).to_contain_text("đơn vị chưa nộp số liệu")  # the seed round
    shoot(page, "1-before")

    panel.get_by_role("button", name="Lập báo cáo").click()  # without the confirmation: refused, saying why
    expect(panel.get_by_role("button", name="Lập báo cáo")).to_be_visible()
    assert page.locator(".messages").count() == 0  # the browser itself asks for the box and the reason first

    panel.get_by_label("Tôi xác nhận lập báo cáo khi kỳ chưa đủ số liệu").check()
    panel.get_by_label("Lý do (được ghi lại và hiện cùng báo cáo)").fill("Họp giao ban tháng 7")
    panel.get_by_role("button", name="Lập báo cáo").click()

    page.wait_for_url(f"{JUNE}#report")
    expect(page.locator(".messages")).to_contain_text("Đã bắt đầu lập báo cáo")
    job = page.get_by_test_id("report-job")
    expect(job).to_be_visible()
    shoot(page, "2-running")
    expect(job).to_contain_text("Đã xong", timeout=180_000)  # the page polls, then shows itself again
    expect(panel.get_by_test_id("incomplete-note")).to_contain_text("quantri ghi lý do: “Họp giao ban tháng 7”")
    shoot(page, "3-done")

    with page.expect_download() as waiting:
        panel.get_by_role("link", name="bao-cao-2022-06.pdf").click()
    saved = tmp_path / "downloaded.pdf"
    waiting.value.save_as(saved)

    assert waiting.value.suggested_filename == "bao-cao-2022-06.pdf"
    assert saved.read_bytes().startswith(b"%PDF") and saved.stat().st_size > 20_000
