"""Issuing as a job on the task queue (the API's and the round page's way in): checked at once, then queued; the
worker issues through service.py as the command does, and the job records its steps and the version it issued."""

from __future__ import annotations

import logging

from django.utils import timezone

from dxmonitor.catalogue.models import Round
from dxmonitor.intake.locks import Busy
from dxmonitor.issuing.models import IssuedReport
from dxmonitor.issuing.service import FORMATS, check_issue, issue
from dxmonitor.issuing.signing import SigningError
from dxmonitor.publishing.jobs import Refusal, running_job
from dxmonitor.publishing.models import Job
from dxmonitor.publishing.run import fail_job, record_job
from dxmonitor.reports.generate import ReportError

log = logging.getLogger("dxmonitor.issuing")

# How much of an issue each step is, for the progress bar: the PDF (LibreOffice) is the slow one.
WEIGHTS = {"build": 30, "docx": 15, "html": 10, "pdf": 40, "sign": 5}


def progress_at(step: str, formats: list[str]) -> int:
    """The percentage done when `step` starts: the share of the steps before it."""
    steps = ["build", *formats, "sign"]
    if step not in steps:
        return 0
    total = sum(WEIGHTS[s] for s in steps)
    return round(100 * sum(WEIGHTS[s] for s in steps[: steps.index(step)]) / total)


def request_issue(round_: Round, formats: list[str], requested_by: str, via: str, reason: str = "") -> Job:
    """Check the issue (Refusal, SigningError), record its job and put it on the task queue; the worker runs it."""
    from dxmonitor.issuing.tasks import issue_report

    missing = check_issue(round_, tuple(formats), reason)
    ordered = [f for f in FORMATS if f in formats]
    busy = running_job(round_)
    if busy is not None:
        raise Refusal(
            "round",
            f"Báo cáo kỳ {round_.code} đang được lập hoặc ban hành (công việc số {busy.pk}); hãy chờ xong",
            f"The report of {round_.code} is being generated or issued (job {busy.pk}); wait for it to finish",
            conflict=True,
        )
    job = Job.objects.create(
        kind=Job.Kind.ISSUE,
        round=round_,
        requested_by=requested_by,
        via=via,
        formats=ordered,
        missing_units=missing,
        incomplete_reason=reason.strip() if missing else "",
        reason=reason.strip(),
    )
    try:
        result = issue_report.enqueue(job.pk)
    except Exception:  # the queue's store cannot be reached (Redis down): the job says so instead of a 500
        log.exception("issue job %s could not be queued", job.pk)
        fail_job(
            job,
            "Không đưa được công việc vào hàng đợi; hãy báo quản trị kiểm tra hàng đợi (Redis)",
            "The job could not be queued; ask the administrator to check the task queue (Redis)",
        )
    else:
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def result_of(record: IssuedReport) -> dict[str, object]:
    """What a finished issue job shows of its version."""
    return {
        "version": record.version,
        "number": record.number,
        "date": record.date.isoformat(),
        "files": [{"name": f["name"], "format": f["format"], "sha256": f["sha256"]} for f in record.files],
    }


def run_issue(job_id: int) -> Job:
    """Issue job `job_id`'s round through the one write path, recording each step and the version issued."""
    job = Job.objects.select_related("round").get(pk=job_id)
    # Taken by one worker only: a task run twice (a worker restarted, two workers on a store without row locks)
    # finds the job no longer queued and does not issue twice.
    taken = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now(), step="build", progress=0
    )
    if not taken:
        return job
    job.refresh_from_db()
    formats = list(job.formats)

    def on_step(step: str) -> None:
        record_job(job, step=step, progress=progress_at(step, formats))

    try:
        issued = issue(job.round, job.requested_by, job.reason, tuple(formats), on_step=on_step)
    except (ReportError, SigningError) as exc:
        fail_job(job, exc.vi, exc.en)
    except Refusal as refusal:
        fail_job(job, refusal.vi, refusal.en)
    except Busy as exc:
        fail_job(job, exc.vi, exc.en)
    except Exception:
        log.exception("issue job %s of round %s failed", job.pk, job.round.code)
        fail_job(
            job,
            f"Lỗi không mong đợi khi ban hành báo cáo (công việc số {job.pk}); quản trị xem nhật ký máy chủ",
            f"Unexpected error while issuing the report (job {job.pk}); the administrator will find it in the log",
        )
    else:
        record_job(
            job,
            state=Job.State.DONE,
            step="done",
            progress=100,
            files=[f["name"] for f in issued.files],
            result=result_of(issued),
            finished_at=timezone.now(),
        )
    return job
