"""Issuing over the API: an admin issues a round's report; every member lists its issued versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from dxmonitor.api.auth import principal_of
from dxmonitor.api.errors import READ_ERRORS, WRITE_ERRORS, ApiError, ProblemOut, forbidden
from dxmonitor.api.rounds import RoundCode, find_round
from dxmonitor.issuing.jobs import request_issue
from dxmonitor.issuing.models import IssuedReport
from dxmonitor.issuing.service import FORMATS
from dxmonitor.issuing.signing import SigningError
from dxmonitor.publishing.api import JobOut
from dxmonitor.publishing.jobs import REASON_MAX_LENGTH, Refusal
from dxmonitor.publishing.models import Job
from dxmonitor.publishing.presenters import job_data

router = Router(tags=["issuing"])


class IssueIn(Schema):
    reason: str = Field(
        "",
        max_length=REASON_MAX_LENGTH,
        description="why (a correction …), kept with the version; required when units have not reported",
    )
    formats: list[str] = Field(default_factory=lambda: list(FORMATS), description="docx, html, pdf")


class IssuedFileOut(Schema):
    name: str
    format: str
    sha256: str
    bytes: int


class IssuedOut(Schema):
    round: str
    version: int
    number: str = Field(description='e.g. "03/BC-STTTT"')
    date: dt.date
    signer: str
    issued_by: str
    reason: str
    missing_units: list[str] = Field(description="the units that had not reported when it was issued")
    replaces: int | None = Field(description="the version this one corrects")
    files: list[IssuedFileOut]


def issued_out(record: IssuedReport) -> IssuedOut:
    return IssuedOut(
        round=record.round.code,
        version=record.version,
        number=record.number,
        date=record.date,
        signer=record.signer,
        issued_by=record.issued_by,
        reason=record.reason,
        missing_units=record.missing_units,
        replaces=record.replaces.version if record.replaces else None,
        files=[IssuedFileOut(**entry) for entry in record.files],
    )


@router.get("/rounds/{code}/issued", response={200: list[IssuedOut], **READ_ERRORS}, operation_id="list_issued")
def list_issued(request: HttpRequest, code: RoundCode) -> list[IssuedOut]:
    """The round's issued versions, oldest first, with each file's sha256."""
    round_ = find_round(code)
    found = IssuedReport.objects.filter(round=round_, state=IssuedReport.State.ISSUED).select_related("replaces")
    return [issued_out(r) for r in found]


@router.post("/rounds/{code}/issue", response={202: JobOut, **WRITE_ERRORS}, operation_id="issue_report")
def issue_report(request: HttpRequest, code: RoundCode, body: IssueIn) -> Status[dict[str, Any]]:
    """Issue the round's report (admins only) as a job on the task queue: the next number of its series and year,
    today's date, the files made, the PDF signed. Answers 202 with the job, to follow at `GET /api/jobs/{id}`
    (its `issued` names the version once done). 422 for an incomplete round without `reason`, or no signing
    certificate; 409 while another report job of the round is under way."""
    principal = principal_of(request)
    if not principal.is_admin:
        raise forbidden("Chỉ quản trị ban hành báo cáo", "Only an admin issues a report")
    round_ = find_round(code)
    try:
        job = request_issue(round_, body.formats, principal.name, Job.Via.API, body.reason)
    except Refusal as refusal:
        problem = ProblemOut(field=refusal.field, message_vi=refusal.vi, message_en=refusal.en)
        status = 409 if refusal.conflict else 422
        raise ApiError(
            status, "busy" if refusal.conflict else "invalid_input", refusal.vi, refusal.en, [problem]
        ) from refusal
    except SigningError as exc:
        problem = ProblemOut(field="formats", message_vi=exc.vi, message_en=exc.en)
        raise ApiError(422, "not_issued", exc.vi, exc.en, [problem]) from exc
    return Status(202, job_data(job))
