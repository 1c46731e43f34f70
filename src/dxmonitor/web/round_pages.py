"""The admin's round pages: open a new round, change one, close and reopen it; every step is a round event.

The list of rounds itself is `pages.rounds`; these pages are the admin's only (others get the 403 page)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from dxmonitor.accounts.scope import Principal
from dxmonitor.catalogue.forms import RoundForm
from dxmonitor.catalogue.models import Round, RoundEvent
from dxmonitor.catalogue.round_store import change_state, record
from dxmonitor.catalogue.rounds import ROUND_CODE
from dxmonitor.web.access import member_required
from dxmonitor.web.intake_pages import moment
from dxmonitor.web.pages import forbidden
from dxmonitor.web.presenters import Data

# gettext_noop: translated where they are shown.
ACTION_LABELS = {
    "opened": gettext_noop("Mở kỳ"),
    "edited": gettext_noop("Sửa kỳ"),
    "closed": gettext_noop("Đóng kỳ"),
    "reopened": gettext_noop("Mở lại kỳ"),
    "written": gettext_noop("Quản trị ghi số liệu khi kỳ đã đóng"),
}


def _admin_or_403(request: HttpRequest) -> HttpResponse | None:
    principal: Principal = request.principal  # type: ignore[attr-defined]
    if principal.is_admin:
        return None
    return forbidden(request, None, _("Chỉ quản trị mở, sửa, đóng hay mở lại kỳ báo cáo."))


def _round_or_404(code: str) -> Round:
    round_ = Round.objects.filter(code=code).first()
    if round_ is None:
        raise Http404(_("Không có kỳ báo cáo %(code)s") % {"code": code})
    return round_


def events_data(round_: Round) -> list[Data]:
    """The round's record, oldest first: what, who, when (local time, as the reports write dates) and why."""
    return [
        {
            "action": e.action,
            "label": _(ACTION_LABELS.get(e.action, e.action)),
            "by": e.by,
            "at": timezone.localtime(e.at).isoformat(),
            "at_text": moment(e.at),
            "reason": e.reason,
        }
        for e in RoundEvent.objects.filter(round=round_)
    ]


@member_required
def new(request: HttpRequest) -> HttpResponse:
    """Open a new round: code, name, baseline, deadline, datasets and issuing details, with a new round's defaults."""
    refused = _admin_or_403(request)
    if refused:
        return refused
    principal: Principal = request.principal  # type: ignore[attr-defined]
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            round_ = form.save()
            record(round_, "opened", principal.name)
        messages.success(request, _("Đã mở kỳ %(name)s (%(code)s).") % {"name": round_.name, "code": round_.code})
        return redirect("round-edit", code=round_.code)
    return render(request, "web/round_form.html", {"form": form, "round": None})


@member_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change a round's name, baseline, deadline, datasets and issuing details; its record and its state."""
    refused = _admin_or_403(request)
    if refused:
        return refused
    principal: Principal = request.principal  # type: ignore[attr-defined]
    round_ = _round_or_404(code)
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        changed = form.changes()
        with transaction.atomic():
            round_ = form.save()
            if changed:
                record(round_, "edited", principal.name, changed)
        messages.success(request, _("Đã lưu kỳ %(name)s.") % {"name": round_.name})
        return redirect("round-edit", code=round_.code)
    return render(request, "web/round_form.html", _edit_context(round_, form))


def _edit_context(round_: Round, form: RoundForm, state_error: str = "") -> dict[str, object]:
    return {
        "form": form,
        "round": round_,
        "valid_code": bool(ROUND_CODE.match(round_.code)),
        "closed_at_text": moment(round_.closed_at),
        "events": events_data(round_),
        "state_error": state_error,
    }


@require_POST
@member_required
def state(request: HttpRequest, code: str) -> HttpResponse:
    """Close an open round (no more writes but an admin's) or reopen a closed one; the reason is required."""
    refused = _admin_or_403(request)
    if refused:
        return refused
    principal: Principal = request.principal  # type: ignore[attr-defined]
    round_ = _round_or_404(code)
    wanted = "closed" if request.POST.get("state") == "closed" else "open"
    reason = request.POST.get("reason", "").strip()
    if wanted == round_.state:
        return redirect("round-edit", code=round_.code)
    if not reason:
        message = _("Cần ghi lý do đóng hoặc mở lại kỳ.")
        context = _edit_context(round_, RoundForm(instance=round_), message)
        return render(request, "web/round_form.html", context, status=400)
    change_state(round_, wanted, principal.name, reason)
    done = _("Đã đóng kỳ %(name)s.") if wanted == "closed" else _("Đã mở lại kỳ %(name)s.")
    messages.success(request, done % {"name": round_.name})
    return redirect("round-edit", code=round_.code)
