"""The admin's approval view of one submission: the figures of a dataset × unit × round, by name, in Vietnamese
format, with their targets and verdicts, and the approve / return buttons (moves through `submissions.act`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from dxmonitor.catalogue import models as rows
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.schema import Dataset
from dxmonitor.charts.data import target_text
from dxmonitor.evaluation.formats import figure, window_text
from dxmonitor.evaluation.rules import verdict
from dxmonitor.intake.models import Source, Submission
from dxmonitor.intake.submissions import act, return_reason
from dxmonitor.intake.templates import figure_columns
from dxmonitor.intake.windows import Window
from dxmonitor.intake.workflow import ACTION_VI, NEEDS_REASON, STATUS_VI, Action, Refusal, Status, move
from dxmonitor.web.access import member_required
from dxmonitor.web.entry_form import Cell, stored_figures
from dxmonitor.web.intake_pages import dataset_or_404, denied, event_data, moment, principal_of, round_or_404, told
from dxmonitor.web.language import page_language
from dxmonitor.web.pages import respond
from dxmonitor.web.presenters import Data, num, round_data

MOVES_HERE = (Action.APPROVE, Action.RETURN, Action.REOPEN)


def figures_of(round_: rows.Round, ds: Dataset, unit: str) -> list[Data]:
    """Every figure the unit gives of the dataset, as the round shows it: name, value, as-of, target and verdict."""
    catalogue = get_catalogue()
    cells = [Cell(i, c) for i, c in figure_columns(ds, catalogue)]
    stored = stored_figures(round_, unit, cells)
    out: list[Data] = []
    for cell in cells:
        value = stored.get(cell.key)
        ind = cell.indicator
        window = Window.from_key(value.window) if value else None
        target = ind.target_on(window.end) if window else None
        out.append(
            {
                "indicator": ind.code,
                "category": cell.category,
                "label": cell.label,
                "value": num(value.value) if value else None,
                "value_text": figure(value.value, ind.kind, ind.decimals, page_language()) if value else "",
                "as_of": window_text(window, page_language()) if window else "",
                "target_text": target_text(target.op, target.value, ind.kind, ind.decimals, page_language())
                if target
                else "",
                "verdict": verdict(ind, value.value if value else None, window) or "",
                "source_text": Source(value.source).label if value else "",
                "by": value.updated_by if value else "",
                "at_text": moment(value.updated_at) if value else "",
            }
        )
    return out


def approval_data(round_: rows.Round, ds: Dataset, unit: str) -> Data:
    sub = Submission.objects.filter(round=round_, dataset__code=ds.code, unit__code=unit).first()
    status = Status(sub.status) if sub else Status.DRAFT
    figures = figures_of(round_, ds, unit)
    return {
        "round": round_data(round_),
        "dataset": {"code": ds.code, "name": ds.name, "window_note": ds.window_note},
        "unit": {"code": unit, "name": get_catalogue().units[unit].name},
        "status": status.value,
        "status_text": STATUS_VI[status],
        "return_reason": return_reason(sub) if sub and status is Status.RETURNED else "",
        "submitted_by": sub.submitted_by if sub else "",
        "submitted_at_text": moment(sub.submitted_at) if sub else "",
        "figures": figures,
        "filled": sum(1 for f in figures if f["value"] is not None),
        "events": [event_data(e) for e in sub.events.order_by("at", "id")] if sub else [],
        "submissions_url": reverse("submissions", args=[round_.code]) + f"?dataset={ds.code}",
    }


@member_required
def approval(request: HttpRequest, code: str, dataset: str, unit: str, fmt: str | None = None) -> HttpResponse:
    """GET: the submission's figures and the moves the admin may make; POST action (+ reason): make one."""
    round_, catalogue, principal = round_or_404(code), get_catalogue(), principal_of(request)
    ds = dataset_or_404(catalogue, dataset)
    if unit not in ds.units:
        raise Http404(_("Đơn vị %(unit)s không thuộc bộ số liệu %(dataset)s") % {"unit": unit, "dataset": ds.code})
    if not principal.is_admin:
        return denied(request, _("Chỉ quản trị được duyệt số liệu."), fmt)
    if request.method == "POST":
        choice = request.POST.get("action", "")
        if choice not in {a.value for a in MOVES_HERE}:
            raise Http404(_("Không có thao tác %(action)s") % {"action": choice})
        result = act(
            round_,
            rows.Dataset.objects.get(code=ds.code),
            rows.Unit.objects.get(code=unit),
            Action(choice),
            principal,
            request.POST.get("reason", "").strip(),
        )
        where = f"{catalogue.units[unit].name} — {ds.name}"
        if isinstance(result, Refusal):
            messages.error(request, told(result, where))
        else:
            status = _(STATUS_VI[Status(result.status)])
            messages.success(request, _("%(where)s: %(status)s.") % {"where": where, "status": status})
        return redirect(request.path)
    data = approval_data(round_, ds, unit)
    status = Status(str(data["status"]))
    data["actions"] = [
        {"action": a.value, "label": ACTION_VI[a], "needs_reason": a in NEEDS_REASON}
        for a in MOVES_HERE
        if not isinstance(move(status, a, principal, unit, reason="-"), Refusal)
    ]
    return respond(request, fmt, "web/approval.html", data)
