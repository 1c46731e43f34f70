"""Run a report job: generate its files beside the reports folder, then move them in, recording each step."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from dxmonitor.publishing.models import Job
from dxmonitor.reports.generate import ReportError, generate

log = logging.getLogger("dxmonitor.publishing")

# How much of the work each step is, for the progress bar: the PDF (LibreOffice) is the slow one.
WEIGHTS = {"build": 30, "docx": 15, "html": 10, "pdf": 40, "publish": 5}


def progress_at(step: str, formats: list[str]) -> int:
    """The percentage done when `step` starts: the share of the steps before it."""
    steps = ["build", *formats, "publish"]
    total = sum(WEIGHTS[s] for s in steps)
    done = sum(WEIGHTS[s] for s in steps[: steps.index(step)])
    return round(100 * done / total)


def record_job(job: Job, **fields: object) -> None:
    """Save these fields at once (the page polls them while the job runs)."""
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def run_report(job_id: int, out_dir: Path | None = None, **options: object) -> Job:
    """Generate job `job_id`'s files and record how it went; the files replace the round's earlier ones only when
    every format was written (a failure leaves the earlier report as it was)."""
    job = Job.objects.select_related("round").get(pk=job_id)
    if job.finished:  # a task run twice (a worker restarted mid-way) does not redo a finished job
        return job
    folder = (out_dir or settings.REPORTS_DIR).resolve()
    staging = folder / ".staging" / f"job-{job.pk}"
    formats = list(job.formats)
    record_job(job, state=Job.State.RUNNING, started_at=timezone.now(), step="build", progress=0)

    def on_step(step: str) -> None:
        record_job(job, step=step, progress=progress_at(step, formats))

    try:
        shutil.rmtree(staging, ignore_errors=True)
        written = generate(job.round.code, formats, staging, on_step=on_step, **options)
        on_step("publish")
        for path in written:
            os.replace(path, folder / path.name)  # same folder tree: each file appears whole
        record_job(
            job,
            state=Job.State.DONE,
            step="done",
            progress=100,
            files=[p.name for p in written],
            finished_at=timezone.now(),
        )
    except ReportError as exc:
        fail_job(job, exc.vi, exc.en)
    except Exception:
        log.exception("report job %s of round %s failed", job.pk, job.round.code)
        fail_job(
            job,
            f"Lỗi không mong đợi khi lập báo cáo (công việc số {job.pk}); quản trị xem nhật ký máy chủ",
            f"Unexpected error while generating the report (job {job.pk}); the administrator will find it in the log",
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return job


def fail_job(job: Job, vi: str, en: str) -> None:
    """The job ended failed, saying why in both languages."""
    record_job(job, state=Job.State.FAILED, step="failed", error_vi=vi, error_en=en, finished_at=timezone.now())
