"""The report from the round's page: the admin starts a job; the page polls where it is."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dxmonitor.accounts.scope import Principal
from dxmonitor.catalogue.models import Round
from dxmonitor.publishing.jobs import ORDER, Refusal, request_report
from dxmonitor.publishing.models import Job
from dxmonitor.publishing.presenters import job_data
from dxmonitor.web.access import member_required
from dxmonitor.web.pages import forbidden


def admin_only(request: HttpRequest, fmt: str | None = None) -> HttpResponse | None:
    """The 403 page (or JSON) for anyone but an admin; None for an admin."""
    principal: Principal = request.principal  # type: ignore[attr-defined]
    if principal.is_admin:
        return None
    return forbidden(request, fmt, _("Chỉ quản trị được lập báo cáo và xem công việc lập báo cáo."))


@member_required
@require_POST
def start_report(request: HttpRequest, code: str) -> HttpResponse:
    """ "Lập báo cáo": queue the round's report; an incomplete round needs the box ticked and a reason."""
    refused = admin_only(request)
    if refused is not None:
        return refused
    round_ = Round.objects.filter(code=code).first()
    if round_ is None:
        raise Http404(_("Không có kỳ báo cáo %(code)s") % {"code": code})
    formats = [f for f in request.POST.getlist("formats") if f] or list(ORDER)
    reason = request.POST.get("incomplete_reason", "") if request.POST.get("confirm_incomplete") else ""
    principal: Principal = request.principal  # type: ignore[attr-defined]
    try:
        job = request_report(round_, formats, principal.name, Job.Via.WEB, reason)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Đã bắt đầu lập báo cáo (công việc số %(id)s).") % {"id": job.pk})
    return redirect(reverse("round", kwargs={"code": code}) + "#report")


@member_required
@require_GET
def job_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """Where a job is, as JSON (the round's page polls it)."""
    refused = admin_only(request, ".json")
    if refused is not None:
        return refused
    job = Job.objects.select_related("round").filter(pk=int(job_id)).first()
    if job is None:
        return JsonResponse({"error": _("Không có công việc này")}, status=404)
    return JsonResponse(job_data(job), json_dumps_params={"ensure_ascii": False})
