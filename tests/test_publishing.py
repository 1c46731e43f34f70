"""The report from the web as a job: asked for on the round's page, the API or the command line, queued on the
database task queue, run by the queue's own worker code, recorded on a Job the page polls.

The worker here is django-tasks-db's own `Worker.run_task` over the queued row (its loop would close the test's
transaction); tests/test_publishing_worker.py runs `dxmonitor worker` as a separate process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from dxmonitor.accounts.models import ApiToken
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.models import Dataset, Round, Unit
from dxmonitor.intake.models import Submission
from dxmonitor.publishing.models import Job
from dxmonitor.publishing.readiness import missing_units
from dxmonitor.publishing.run import progress_at
from personas import signed_in

JUNE = "2022-06"
NO_SOFFICE = "Cần LibreOffice để xuất PDF: chạy scripts/system-deps"


@pytest.fixture
def out(settings: Settings, tmp_path: Path) -> Path:
    settings.REPORTS_DIR = tmp_path / "out"
    return settings.REPORTS_DIR  # type: ignore[no-any-return]


@pytest.fixture
def admin(personas: dict[str, User]) -> Client:
    return signed_in(personas["admin"])


def june() -> Round:
    return Round.objects.get(code=JUNE)


def submit_every_unit(round_: Round) -> None:
    """Every unit's submission of every dataset it reports, approved: a complete round."""
    catalogue = get_catalogue()
    datasets = {d.code: d for d in Dataset.objects.all()}
    units = {u.code: u for u in Unit.objects.all()}
    Submission.objects.bulk_create(
        Submission(round=round_, dataset=datasets[ds.code], unit=units[unit], status="approved")
        for ds in catalogue.datasets.values()
        if not ds.computed
        for unit in ds.units
    )


def work(job: Job) -> Job:
    """The queue's worker runs the job's queued task, as `dxmonitor worker` would."""
    row = DBTaskResult.objects.get(id=job.task_id)
    assert row.args_kwargs == {"args": [job.pk], "kwargs": {}}
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test",
        excluded_queue_names=[],
    )
    worker.run_task(row)
    job.refresh_from_db()
    return job


def latest_job() -> Job:
    return Job.objects.select_related("round").latest("created_at")


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- a complete round, from the page ---------------------------------------------------------------------------


@pytest.mark.slow
def test_the_admin_starts_the_report_of_a_complete_round_and_the_worker_writes_docx_html_and_pdf(
    admin: Client, out: Path
) -> None:
    submit_every_unit(june())
    assert missing_units(june()) == []

    response = admin.post(f"/rounds/{JUNE}/report", {"formats": ["docx", "html", "pdf"]})

    assert (response.status_code, response["Location"]) == (302, f"/rounds/{JUNE}#report")
    job = latest_job()
    assert (job.state, job.progress, job.step, job.via, job.requested_by) == ("queued", 0, "queued", "web", "alice")
    page = admin.get(f"/rounds/{JUNE}").content.decode()
    assert f'data-job-url="/jobs/{job.pk}.json"' in page and "Đang chờ đến lượt" in page
    assert "Lập báo cáo" not in page.split('data-testid="report-job"')[1]  # no second button while one is queued

    job = work(job)

    assert (job.state, job.progress, job.step, job.error_vi) == ("done", 100, "done", "")
    assert job.files == ["bao-cao-2022-06.docx", "bao-cao-2022-06.html", "bao-cao-2022-06.pdf"]
    assert (out / "bao-cao-2022-06.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "bao-cao-2022-06.docx").read_bytes().startswith(b"PK")
    assert "BÁO CÁO" in (out / "bao-cao-2022-06.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == [".staging", *job.files]
    assert list((out / ".staging").iterdir()) == []
    status = admin.get(f"/jobs/{job.pk}.json").json()
    assert {k: status[k] for k in ("state", "state_text", "progress", "step_text", "error", "files")} == {
        "state": "done",
        "state_text": "Đã xong",
        "progress": 100,
        "step_text": "Đã xong",
        "error": "",
        "files": [
            {"name": f"bao-cao-2022-06.{ext}", "format": ext.upper(), "url": f"/reports/bao-cao-2022-06.{ext}"}
            for ext in ("docx", "html", "pdf")
        ],
    }
    page = admin.get(f"/rounds/{JUNE}").content.decode()
    assert 'href="/reports/bao-cao-2022-06.pdf"' in page and "data-job-url" not in page


def test_progress_rises_with_each_step_and_the_pdf_is_the_longest() -> None:
    steps = ["build", "docx", "html", "pdf", "publish"]
    formats = ["docx", "html", "pdf"]

    assert [progress_at(s, formats) for s in steps] == [0, 30, 45, 55, 95]
    assert [progress_at(s, ["docx"]) for s in ["build", "docx", "publish"]] == [0, 60, 90]


def test_a_failing_generation_ends_failed_in_vietnamese_and_leaves_the_earlier_files(
    admin: Client, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit_every_unit(june())
    out.mkdir()
    (out / "bao-cao-2022-06.docx").write_bytes(b"PK the earlier report")
    monkeypatch.setenv("PATH", "/nowhere")  # no LibreOffice to be found: the PDF step fails

    admin.post(f"/rounds/{JUNE}/report", {"formats": ["docx", "pdf"]})
    job = work(latest_job())

    assert (job.state, job.step, job.files) == ("failed", "failed", [])
    assert (job.error_vi, job.error_en) == (NO_SOFFICE, "LibreOffice is needed for PDF: run scripts/system-deps")
    assert job.progress == progress_at("pdf", ["docx", "pdf"])  # where it stopped
    assert (out / "bao-cao-2022-06.docx").read_bytes() == b"PK the earlier report"  # not half replaced
    assert not (out / "bao-cao-2022-06.pdf").exists()
    page = admin.get(f"/rounds/{JUNE}").content.decode()
    assert NO_SOFFICE in page and "Thất bại" in page and "Lập báo cáo" in page  # it may be tried again
    english = admin.get(f"/jobs/{job.pk}.json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["error_vi"] == NO_SOFFICE


# --- an incomplete round asks for a confirmed reason, everywhere -----------------------------------------------


def test_the_page_of_an_incomplete_round_asks_the_admin_for_a_confirmation_and_a_reason(admin: Client) -> None:
    missing = missing_units(june())
    assert len(missing) > 10  # the seed round has no submission yet

    page = admin.get(f"/rounds/{JUNE}").content.decode()

    assert f"Kỳ này còn {len(missing)} đơn vị chưa nộp số liệu:" in page
    assert 'name="confirm_incomplete"' in page and 'name="incomplete_reason"' in page


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"incomplete_reason": "Cần gấp"},
        {"confirm_incomplete": "1"},
        {"confirm_incomplete": "1", "incomplete_reason": " "},
    ],
    ids=["nothing", "reason-without-confirmation", "confirmation-without-reason", "blank-reason"],
)
def test_an_incomplete_round_is_refused_without_a_confirmed_reason_on_the_page(
    admin: Client, out: Path, form: dict[str, str]
) -> None:
    response = admin.post(f"/rounds/{JUNE}/report", {"formats": ["docx"], **form}, follow=True)

    assert not Job.objects.exists() and not DBTaskResult.objects.exists()
    [message] = messages_of(response)
    assert message.startswith(f"Kỳ {JUNE} chưa đủ số liệu: {len(missing_units(june()))} đơn vị chưa nộp (")
    assert "Muốn vẫn lập báo cáo, hãy xác nhận và ghi lý do / Round 2022-06 is incomplete" in message


def test_a_confirmed_reason_is_recorded_on_the_job_and_shown_beside_the_report(
    admin: Client, personas: dict[str, User], out: Path
) -> None:
    missing = missing_units(june())

    admin.post(
        f"/rounds/{JUNE}/report",
        {"formats": ["docx"], "confirm_incomplete": "1", "incomplete_reason": "  Lãnh đạo cần số liệu sơ bộ  "},
    )
    job = work(latest_job())

    assert (job.state, job.incomplete_reason, job.missing_units) == ("done", "Lãnh đạo cần số liệu sơ bộ", missing)
    note = (
        f"Báo cáo được lập khi kỳ chưa đủ số liệu ({len(missing)} đơn vị chưa nộp); alice ghi lý do: "
        "“Lãnh đạo cần số liệu sơ bộ”"
    )
    for user in ("admin", "viewer", "dong_phu"):
        assert note in signed_in(personas[user]).get(f"/rounds/{JUNE}").content.decode(), user


def test_the_command_line_refuses_an_incomplete_round_without_a_reason_and_records_one_given(
    db: None, out: Path
) -> None:
    folder = out.parent / "cli"
    with pytest.raises(CommandError) as refused:
        call_command("report", round=JUNE, format="docx", out=folder)

    assert f"Kỳ {JUNE} chưa đủ số liệu" in str(refused.value) and '(--incomplete-reason "…")' in str(refused.value)
    assert not Job.objects.exists() and not folder.exists()

    call_command("report", round=JUNE, format="docx", out=folder, incomplete_reason="Họp giao ban")

    job = latest_job()
    assert (job.via, job.state, job.incomplete_reason, job.files) == (
        "cli",
        "done",
        "Họp giao ban",
        [f"bao-cao-{JUNE}.docx"],
    )
    assert job.requested_by.startswith("cli:")
    assert (folder / f"bao-cao-{JUNE}.docx").is_file()


def test_the_command_line_names_an_unknown_round(db: None) -> None:
    with pytest.raises(CommandError, match="Không có kỳ báo cáo '2031-01' / no round '2031-01'"):
        call_command("report", round="2031-01")


# --- the API ------------------------------------------------------------------------------------------------


def test_the_api_starts_a_job_for_a_signed_in_admin_and_says_where_it_is(admin: Client, out: Path) -> None:
    refused = admin.post(f"/api/rounds/{JUNE}/report", {"formats": ["docx"]}, content_type="application/json")

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "incomplete_reason"
    assert refused.json()["message_en"].startswith(f"Round {JUNE} is incomplete")

    started = admin.post(
        f"/api/rounds/{JUNE}/report",
        {"formats": ["html", "docx"], "incomplete_reason": "Báo cáo nhanh"},
        content_type="application/json",
    )

    assert started.status_code == 202
    body = started.json()
    assert (body["state"], body["progress"], body["formats"], body["files"]) == ("queued", 0, ["docx", "html"], [])
    assert body["incomplete_reason"] == "Báo cáo nhanh" and body["missing_units"] == missing_units(june())
    busy = admin.post(f"/api/rounds/{JUNE}/report", {"incomplete_reason": "lần nữa"}, content_type="application/json")
    assert (busy.status_code, busy.json()["detail"]) == (409, "busy")

    work(Job.objects.get(pk=body["id"]))
    done = admin.get(f"/api/jobs/{body['id']}").json()

    assert (done["state"], done["progress"], done["step"], done["error_vi"]) == ("done", 100, "done", "")
    assert [f["url"] for f in done["files"]] == [f"/reports/bao-cao-{JUNE}.docx", f"/reports/bao-cao-{JUNE}.html"]
    assert admin.get("/api/jobs/999999").status_code == 404


def test_reporters_keys_and_viewers_may_not_start_or_follow_jobs(personas: dict[str, User], out: Path) -> None:
    key = ApiToken.issue("portal", Unit.objects.get(code="BP"))[1]
    job = Job.objects.create(round=june(), requested_by="alice", via="web", formats=["docx"])
    callers = {
        "key": Client(HTTP_AUTHORIZATION=f"Bearer {key}"),
        "reporter": signed_in(personas["dong_phu"]),
        "viewer": signed_in(personas["viewer"]),
    }
    for name, client in callers.items():
        started = client.post(f"/api/rounds/{JUNE}/report", {"incomplete_reason": "x"}, content_type="application/json")
        followed = client.get(f"/api/jobs/{job.pk}")
        assert (started.status_code, followed.status_code) == (403, 403), name
        assert started.json()["message_vi"] == "Chỉ quản trị được lập báo cáo", name
    assert Job.objects.count() == 1


# --- roles on the pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["dong_phu", "viewer"])
def test_reporters_and_viewers_get_the_403_page_and_never_a_command_line(
    personas: dict[str, User], out: Path, user: str
) -> None:
    client = signed_in(personas[user])
    job = Job.objects.create(round=june(), requested_by="alice", via="web", formats=["docx"])

    posted = client.post(f"/rounds/{JUNE}/report", {"confirm_incomplete": "1", "incomplete_reason": "x"})
    polled = client.get(f"/jobs/{job.pk}.json")

    assert posted.status_code == 403
    html = posted.content.decode()
    assert "Không có quyền xem" in html and 'class="brand"' in html  # the product's layout
    assert "Chỉ quản trị được lập báo cáo và xem công việc lập báo cáo." in html
    assert polled.status_code == 403 and "error" in json.loads(polled.content)
    assert Job.objects.count() == 1
    for page in (f"/rounds/{JUNE}", "/rounds"):
        text = client.get(page).content.decode()
        assert "dxmonitor report" not in text and "Lập báo cáo" not in text and "data-job-url" not in text, page


def test_a_report_start_for_an_unknown_round_is_404_and_a_get_is_405(admin: Client) -> None:
    assert admin.post("/rounds/2031-01/report").status_code == 404
    assert admin.get(f"/rounds/{JUNE}/report").status_code == 405


def test_the_report_section_speaks_english_when_asked(admin: Client, out: Path) -> None:
    job = Job.objects.create(round=june(), requested_by="alice", via="web", formats=["docx"], step="pdf", progress=55)
    admin.cookies["django_language"] = "en"

    page = admin.get(f"/rounds/{JUNE}").content.decode()
    status = admin.get(f"/jobs/{job.pk}.json").json()

    assert f"Job {job.pk}" in page and "Converting to PDF (LibreOffice)" in page and "Lập báo cáo" not in page
    assert (status["state_text"], status["step_text"]) == ("Queued", "Converting to PDF (LibreOffice)")
    Job.objects.filter(pk=job.pk).update(state="failed", step="failed", error_vi="Lỗi", error_en="An error")
    page = admin.get(f"/rounds/{JUNE}").content.decode()
    assert "Generate report" in page and "I confirm generating the report before the round is complete" in page
    assert "An error" in page and "Failed" in page


def test_an_admin_s_key_starts_a_job_and_follows_it(personas: dict[str, User], out: Path) -> None:
    key = ApiToken.issue("office", user=personas["admin"])[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    started = client.post(
        f"/api/rounds/{JUNE}/report", {"incomplete_reason": "Báo cáo nhanh"}, content_type="application/json"
    )

    assert started.status_code == 202
    job = Job.objects.get(pk=started.json()["id"])
    assert (job.requested_by, job.via, job.incomplete_reason) == ("token:office", "api", "Báo cáo nhanh")
    assert client.get(f"/api/jobs/{job.pk}").json()["state"] == "queued"
