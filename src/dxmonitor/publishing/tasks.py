"""The task queue's side: one task that runs a report job. Its worker is `dxmonitor worker` (or `dxmonitor serve`)."""

from __future__ import annotations

from django_tasks import task

from dxmonitor.publishing.run import run_report


@task()
def generate_report(job_id: int) -> None:
    """Run report job `job_id`; what happens is recorded on the Job, so the task itself always succeeds."""
    run_report(job_id)
