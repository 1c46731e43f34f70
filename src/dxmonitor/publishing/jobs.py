"""Asking for a round's report: the checks every way in (page, API, command line) shares, then the queued job."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from dxmonitor.catalogue.models import Round
from dxmonitor.publishing.models import Job
from dxmonitor.publishing.readiness import first_names, missing_units
from dxmonitor.reports.files import FORMATS

log = logging.getLogger("dxmonitor.publishing")

REASON_MAX_LENGTH = 2000
ORDER = ("docx", "html", "pdf")  # the PDF last: it is the slow step, so the bar moves early


@dataclass(frozen=True)
class Refusal(Exception):
    """Why a report was not started, in Vietnamese and English, and the field at fault."""

    field: str
    vi: str
    en: str
    conflict: bool = False  # another job of the round is under way (the API answers 409)

    def __str__(self) -> str:
        return f"{self.vi} / {self.en}"


TO_REPORT = ("lập báo cáo, hãy xác nhận và ghi lý do", "issue the report anyway, confirm and give a reason")


def incomplete_refusal(
    round_: Round,
    missing: list[str],
    field: str = "incomplete_reason",
    to_do: tuple[str, str] = TO_REPORT,
) -> Refusal:
    """An incomplete round without a reason: the units missing (the first few), and what to do (`to_do`, vi and en)."""
    names, more = first_names(missing)
    listed = ", ".join(names)
    return Refusal(
        field,
        f"Kỳ {round_.code} chưa đủ số liệu: {len(missing)} đơn vị chưa nộp ({listed}"
        f"{f' và {more} đơn vị khác' if more else ''}). Muốn vẫn {to_do[0]}",
        f"Round {round_.code} is incomplete: {len(missing)} unit(s) have not submitted ({listed}"
        f"{f' and {more} more' if more else ''}). To {to_do[1]}",
    )


def check_formats_and_reason(formats: Sequence[str], reason: str, reason_field: str) -> None:
    """Refuse formats dxmonitor does not write, and a reason longer than a job keeps."""
    unknown = [f for f in formats if f not in FORMATS]
    if not formats or unknown:
        raise Refusal(
            "formats",
            f"Định dạng không hỗ trợ: {', '.join(unknown) or '(trống)'}; chọn trong docx, html, pdf",
            f"Unsupported format(s): {', '.join(unknown) or '(none)'}; choose among docx, html, pdf",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise Refusal(
            reason_field,
            f"Lý do dài quá {REASON_MAX_LENGTH} ký tự",
            f"The reason is longer than {REASON_MAX_LENGTH} characters",
        )


def running_job(round_: Round) -> Job | None:
    """A job of the round that is queued or running (and not forgotten: one older than the stale limit is ignored)."""
    since = timezone.now() - timedelta(minutes=settings.REPORT_JOB_STALE_MINUTES)
    return (
        Job.objects.filter(round=round_, state__in=[Job.State.QUEUED, Job.State.RUNNING], created_at__gte=since)
        .order_by("-created_at")
        .first()
    )


def check_request(round_: Round, formats: list[str], reason: str) -> list[str]:
    """Refuse a request that cannot start; return the units missing (empty for a complete round)."""
    check_formats_and_reason(formats, reason, "incomplete_reason")
    busy = running_job(round_)
    if busy is not None:
        raise Refusal(
            "round",
            f"Báo cáo kỳ {round_.code} đang được lập (công việc số {busy.pk}); hãy chờ xong",
            f"The report of {round_.code} is being generated (job {busy.pk}); wait for it to finish",
            conflict=True,
        )
    missing = missing_units(round_)
    if missing and not reason.strip():
        raise incomplete_refusal(round_, missing)
    return missing


def new_job(round_: Round, formats: list[str], requested_by: str, via: str, reason: str = "") -> Job:
    """Check the request and record its job (queued); raise Refusal."""
    missing = check_request(round_, formats, reason)
    return Job.objects.create(
        round=round_,
        requested_by=requested_by,
        via=via,
        formats=[f for f in ORDER if f in formats],
        missing_units=missing,
        incomplete_reason=reason.strip() if missing else "",
    )


def request_report(round_: Round, formats: list[str], requested_by: str, via: str, reason: str = "") -> Job:
    """Record a report job and put it on the task queue; the worker runs it. Raise Refusal."""
    from dxmonitor.publishing.tasks import generate_report

    job = new_job(round_, formats, requested_by, via, reason)
    try:
        result = generate_report.enqueue(job.pk)
    except Exception:  # the queue's store cannot be reached (Redis down): the job says so instead of a 500
        log.exception("report job %s could not be queued", job.pk)
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED,
            step="failed",
            error_vi="Không đưa được công việc vào hàng đợi; hãy báo quản trị kiểm tra hàng đợi (Redis)",
            error_en="The job could not be queued; ask the administrator to check the task queue (Redis)",
            finished_at=timezone.now(),
        )
    else:
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job
