"""The report as a job through the API: start it, then ask where it is. Admins only (a signed-in admin's session
today: API keys are scoped like a unit's reporter)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, P, PathEx, Router, Schema, Status

from dxmonitor.api.auth import principal_of
from dxmonitor.api.errors import READ_ERRORS, WRITE_ERRORS, ApiError, ProblemOut, forbidden, not_found
from dxmonitor.api.rounds import RoundCode, find_round
from dxmonitor.publishing.jobs import REASON_MAX_LENGTH, Refusal, request_report
from dxmonitor.publishing.models import Job
from dxmonitor.publishing.presenters import job_data

router = Router(tags=["reports"])

JobId = PathEx[int, P(description="the job's id", ge=1, le=2**63 - 1, example=1)]


class ReportIn(Schema):
    """What to generate; a round with units that have not submitted needs `incomplete_reason` (recorded)."""

    formats: list[Literal["docx", "html", "pdf"]] = Field(default=["docx", "html", "pdf"], min_length=1, max_length=3)
    incomplete_reason: str = Field(default="", max_length=REASON_MAX_LENGTH)


class FileOut(Schema):
    name: str
    format: str
    url: str


class IssuedRef(Schema):
    version: int
    number: str = Field(description='e.g. "03/BC-STTTT"')
    url: str = Field(description="the page of the round's issued versions")


class JobOut(Schema):
    """Where a report job is."""

    id: int
    kind: Literal["report", "issue"]
    round: str
    state: Literal["queued", "running", "done", "failed"]
    progress: int = Field(ge=0, le=100)
    step: str = Field(description="queued, build, docx, html, pdf, publish (a report) or sign (an issue), done, failed")
    step_text: str = Field(description="the step in the language asked for (Vietnamese by default)")
    formats: list[str]
    files: list[FileOut] = Field(description="the files written (an issue: the issued version's), once done")
    issued: IssuedRef | None = Field(description="an issue job's version, once issued")
    error_vi: str
    error_en: str
    requested_by: str
    incomplete_reason: str = Field(description="the reason given for issuing the report of an incomplete round")
    reason: str = Field(description="an issue job's reason (a correction …), kept with the version")
    missing_units: list[str] = Field(description="the units that had not submitted when the report was asked for")
    status_url: str = Field(description="the job's own address in the API: GET it to see where the job is")
    created_at: str
    started_at: str | None
    finished_at: str | None


def admin_required(request: HttpRequest) -> None:
    if not principal_of(request).is_admin:
        raise forbidden("Chỉ quản trị được lập báo cáo", "Only an admin may generate reports")


@router.post("/rounds/{code}/report", response={202: JobOut, **WRITE_ERRORS}, operation_id="start_round_report")
def start_report(request: HttpRequest, code: RoundCode, body: ReportIn) -> Status[dict[str, Any]]:
    """Start generating the round's report (DOCX, HTML, PDF) on the task queue; answer the job, to follow at
    `GET /api/jobs/{id}`. 409 while another report job of the round is under way; 422 for an incomplete round
    without `incomplete_reason`."""
    admin_required(request)
    round_ = find_round(code)
    try:
        who = principal_of(request).name
        job = request_report(round_, list(body.formats), who, Job.Via.API, body.incomplete_reason)
    except Refusal as refusal:
        problem = ProblemOut(field=refusal.field, message_vi=refusal.vi, message_en=refusal.en)
        if refusal.conflict:
            raise ApiError(409, "busy", refusal.vi, refusal.en, [problem]) from refusal
        raise ApiError(422, "invalid_input", refusal.vi, refusal.en, [problem]) from refusal
    return Status(202, job_data(job))


@router.get("/jobs/{job_id}", response={200: JobOut, **READ_ERRORS}, operation_id="get_job")
def get_job(request: HttpRequest, job_id: JobId) -> dict[str, Any]:
    """Where a job is: its state, progress and step, the URLs of its files, its error."""
    admin_required(request)
    job = Job.objects.select_related("round").filter(pk=job_id).first()
    if job is None:
        raise not_found("job", f"không có công việc số {job_id}", f"no job {job_id}")
    return job_data(job)
