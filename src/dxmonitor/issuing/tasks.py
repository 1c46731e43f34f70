"""The task queue's side of issuing: one task that runs an issue job (its worker is `dxmonitor worker`)."""

from __future__ import annotations

from django_tasks import task

from dxmonitor.issuing.jobs import run_issue


@task()
def issue_report(job_id: int) -> None:
    """Run issue job `job_id`; what happens is recorded on the Job, so the task itself always succeeds."""
    run_issue(job_id)
