"""Issuing over the API: an admin issues a round's report; every member lists its issued versions."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from dxmonitor.api.auth import principal_of
from dxmonitor.api.errors import READ_ERRORS, WRITE_ERRORS, ApiError, forbidden
from dxmonitor.api.rounds import RoundCode, find_round
from dxmonitor.intake.locks import Busy
from dxmonitor.issuing.models import IssuedReport
from dxmonitor.issuing.service import FORMATS, issue
from dxmonitor.issuing.signing import SigningError
from dxmonitor.reports.generate import ReportError

router = Router(tags=["issuing"])


class IssueIn(Schema):
    reason: str = Field("", description="why (a correction …), kept with the version")
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
        replaces=record.replaces.version if record.replaces else None,
        files=[IssuedFileOut(**entry) for entry in record.files],
    )


@router.get("/rounds/{code}/issued", response={200: list[IssuedOut], **READ_ERRORS}, operation_id="list_issued")
def list_issued(request: HttpRequest, code: RoundCode) -> list[IssuedOut]:
    """The round's issued versions, oldest first, with each file's sha256."""
    round_ = find_round(code)
    found = IssuedReport.objects.filter(round=round_, state=IssuedReport.State.ISSUED).select_related("replaces")
    return [issued_out(r) for r in found]


@router.post("/rounds/{code}/issue", response={201: IssuedOut, **WRITE_ERRORS}, operation_id="issue_report")
def issue_report(request: HttpRequest, code: RoundCode, body: IssueIn) -> tuple[int, IssuedOut]:
    """Issue the round's report now (admins only): the next number of its series and year, today's date, the
    files made, the PDF signed. It answers when the files are made (a PDF takes LibreOffice 30-60 s)."""
    principal = principal_of(request)
    if not principal.is_admin:
        raise forbidden("Chỉ quản trị ban hành báo cáo", "Only an admin issues a report")
    round_ = find_round(code)
    unknown = [f for f in body.formats if f not in FORMATS]
    if unknown or not body.formats:
        raise ApiError(
            422, "invalid_input", f"Định dạng không hỗ trợ: {', '.join(unknown)}", f"unsupported: {', '.join(unknown)}"
        )
    try:
        record = issue(round_, principal.name, body.reason, tuple(body.formats))
    except Busy as exc:
        raise ApiError(409, "busy", exc.vi, exc.en) from exc
    except (ReportError, SigningError) as exc:
        raise ApiError(422, "not_issued", exc.vi, exc.en) from exc
    return 201, issued_out(record)
