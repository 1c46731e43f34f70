"""A job as the page, its JSON twin and the API show it: plain data."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language, gettext

from dxmonitor.publishing.models import STEPS, Job
from dxmonitor.publishing.readiness import first_names


def file_data(name: str) -> dict[str, str]:
    return {"name": name, "format": name.rsplit(".", 1)[-1].upper(), "url": reverse("report-file", args=[name])}


def issued_file_data(job: Job) -> list[dict[str, str]]:
    """The files of the version an issue job issued, served from the version's own folder."""
    version = job.result.get("version")
    return [
        {
            "name": f["name"],
            "format": f["format"].upper(),
            "url": reverse("issued-file", kwargs={"code": job.round.code, "version": version, "name": f["name"]}),
        }
        for f in job.result.get("files", [])
    ]


def issued_data(job: Job) -> dict[str, Any] | None:
    """The version an issue job issued: its number and where its versions are listed."""
    if job.kind != Job.Kind.ISSUE or not job.result:
        return None
    return {
        "version": job.result["version"],
        "number": job.result["number"],
        "url": reverse("issued-list", kwargs={"code": job.round.code}),
    }


def job_data(job: Job) -> dict[str, Any]:
    """Where a job is: its state and step (in the page's language), progress, files and error."""
    english = (get_language() or "vi").startswith("en")
    names, more = first_names(list(job.missing_units))
    return {
        "id": job.pk,
        "kind": job.kind,
        "kind_text": gettext(Job.Kind(job.kind).label),
        "round": job.round.code,
        "state": job.state,
        "state_text": gettext(Job.State(job.state).label),
        "progress": job.progress,
        "step": job.step,
        "step_text": gettext(STEPS.get(job.step, job.step)),
        "formats": list(job.formats),
        "files": issued_file_data(job) if job.kind == Job.Kind.ISSUE else [file_data(name) for name in job.files],
        "issued": issued_data(job),
        "error": (job.error_en if english else job.error_vi) if job.error_vi else "",
        "error_vi": job.error_vi,
        "error_en": job.error_en,
        "requested_by": job.requested_by,
        "via": job.via,
        "incomplete_reason": job.incomplete_reason,
        "reason": job.reason,
        "missing_units": list(job.missing_units),
        "missing_names": names,
        "missing_more": more,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "finished": job.finished,
        "url": reverse("job-status", args=[job.pk]),
        "status_url": reverse("api:get_job", kwargs={"job_id": job.pk}),
    }
