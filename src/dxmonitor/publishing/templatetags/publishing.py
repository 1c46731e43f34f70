"""`{% report_panel %}`: the round page's report section (files for everyone; the button and the job for admins)."""

from __future__ import annotations

from typing import Any

from django import template

from dxmonitor.accounts.scope import Principal
from dxmonitor.catalogue.models import Round
from dxmonitor.publishing.jobs import ORDER
from dxmonitor.publishing.models import Job
from dxmonitor.publishing.presenters import job_data
from dxmonitor.publishing.readiness import first_names, missing_units

register = template.Library()


@register.inclusion_tag("publishing/_report_panel.html", takes_context=True)
def report_panel(context: template.Context) -> dict[str, Any]:
    data = context.get("data") or {}
    code = (data.get("round") or {}).get("code", "")
    principal: Principal | None = context.get("principal")
    round_ = Round.objects.filter(code=code).first()
    jobs = Job.objects.filter(round=round_).select_related("round") if round_ else Job.objects.none()
    published = jobs.filter(kind=Job.Kind.REPORT, state=Job.State.DONE).first()
    panel: dict[str, Any] = {
        "code": code,
        "files": data.get("report_files", []),
        "published": job_data(published) if published else None,
        "csrf_token": context.get("csrf_token"),
        "is_admin": bool(principal and principal.is_admin),
    }
    if panel["is_admin"] and round_ is not None:
        latest = jobs.first()
        missing = missing_units(round_)
        names, more = first_names(missing)
        panel.update(
            job=job_data(latest) if latest else None,
            formats=ORDER,
            missing=len(missing),
            missing_names=names,
            missing_more=more,
        )
    return panel
