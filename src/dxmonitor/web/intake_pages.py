"""The intake pages: a round's submissions and their workflow, the web entry form, a value's history, the round's
data-quality findings and its templates to download.

Views only fetch and choose: the form's figures go through the import's own checks (`plan_records` and `guard`),
the moves through `act`, the findings through `run_checks`. Every page but the download also answers as JSON."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dxmonitor.accounts.scope import Principal, Role
from dxmonitor.catalogue import models as rows
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.rounds import round_days, round_name
from dxmonitor.catalogue.schema import Dataset, Indicator
from dxmonitor.catalogue.tree import dataset_units
from dxmonitor.evaluation.checks import run_checks
from dxmonitor.evaluation.formats import figure, number, short_date, window_text
from dxmonitor.intake.completeness import as_data, completeness, dataset_data
from dxmonitor.intake.models import Source, Submission, SubmissionEvent, Value, ValueChange
from dxmonitor.intake.planning import ROUND_CODE, round_end
from dxmonitor.intake.submissions import DatasetStatus, act, remind
from dxmonitor.intake.templates import write_template
from dxmonitor.intake.windows import Window
from dxmonitor.intake.workflow import ACTION_VI, NEEDS_REASON, STATUS_VI, Action, Refusal, Status, move
from dxmonitor.problems import SEVERITY_VI, Severity
from dxmonitor.reports.generate import history_of, round_context
from dxmonitor.web.access import member_required
from dxmonitor.web.language import page_language
from dxmonitor.web.pages import as_json, respond, wants_json
from dxmonitor.web.presenters import Data, finding_data, num, round_data
from dxmonitor.web.reader import Reader

FORM = "form"  # the "file" of the entry form's rows: a value's history reads "form!app_users:1"
EXACT = 6  # decimals a stored value holds: the form and the history show every one of them
MEASURE = {"percent": "%", "amount": "đồng", "count": "", "points": "điểm"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LONG_FIELDS = ("unit", "indicator", "category", "value", "as_of", "note", "measure")


# --- shared ------------------------------------------------------------------------------------------------------
def principal_of(request: HttpRequest) -> Principal:
    principal: Principal = request.principal  # type: ignore[attr-defined]  # put there by member_required
    return principal


def principal_on(request: HttpRequest, code: str, catalogue: Catalogue) -> Principal:
    """The member, a reporter with the units of the tree of the round `code`'s days (`Principal.on`)."""
    return principal_of(request).on(catalogue, round_days(code))


def unplaced_text(principal: Principal) -> str | None:
    """Why a reporter has no unit on the round's tree ("… ended on 30/06/2025; its successors: …"), or None."""
    return " / ".join(principal.unplaced) if principal.unplaced else None


def round_or_404(code: str) -> rows.Round:
    found = rows.Round.objects.filter(code=code).first()
    if found is None:
        raise Http404(_("Không có kỳ báo cáo %(code)s") % {"code": code})
    return found


def dataset_or_404(catalogue: Catalogue, code: str) -> Dataset:
    found = catalogue.datasets.get(code)
    if found is None:
        raise Http404(_("Không có bộ số liệu %(code)s") % {"code": code})
    return found


def denied(request: HttpRequest, message: str, fmt: str | None = None) -> HttpResponse:
    """403 in the site's layout (or as JSON), saying what the member may not do."""
    if wants_json(request, fmt):
        return as_json({"error": message}, status=403)
    return render(request, "web/intake_denied.html", {"message": message}, status=403)


def moment(value: datetime | None) -> str:
    """ "14:05 20/7/2022", local time, dates as the reports write them."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H:%M} {short_date(local.date(), page_language())}"


def count_text(n: int) -> str:
    return number(Decimal(n), language=page_language())


def told(refusal: Refusal, where: str) -> SafeString:
    """A refusal as a message: Vietnamese, the English below."""
    return format_html('{}: {}<br><span class="muted" lang="en">{}</span>', where, refusal.vi, refusal.en)


@member_required
def latest(request: HttpRequest, page: str) -> HttpResponse:
    """`/submissions/`, `/checks/`: the page of the round chosen with `?round=`, else of the latest round."""
    code = request.GET.get("round", "")
    found = round_or_404(code) if code else rows.Round.objects.order_by("-code").first()
    if found is None:
        messages.info(request, _("Chưa có kỳ báo cáo nào."))
        return redirect("rounds")
    return redirect(page, code=found.code)


# --- submissions -------------------------------------------------------------------------------------------------
def event_data(event: SubmissionEvent) -> Data:
    return {
        "action": event.action,
        "action_text": ACTION_VI[Action(event.action)],
        "from_status": event.from_status,
        "to_status": event.to_status,
        "to_status_text": STATUS_VI[Status(event.to_status)],
        "by": event.by,
        "at": event.at.isoformat(),
        "at_text": moment(event.at),
        "reason": event.reason,
    }


@dataclass(frozen=True)
class Desk:
    """What every row of the submissions page is read against: the round, who is asking, the catalogue."""

    round: rows.Round
    principal: Principal
    catalogue: Catalogue


def unit_row(desk: Desk, ds: DatasetStatus, unit: str, sub: Submission | None, events: list[Data]) -> Data:
    """A unit's submission of the dataset: status, who and when, the moves the member may make, its history."""
    status = Status(sub.status) if sub else Status.DRAFT
    submitted_at = sub.submitted_at if sub and status in (Status.SUBMITTED, Status.APPROVED) else None
    return {
        "unit": unit,
        "name": desk.catalogue.units[unit].name,
        "status": status.value,
        "status_text": STATUS_VI[status],
        "has_figures": unit in ds.with_figures,
        "submitted_at": submitted_at.isoformat() if submitted_at else None,
        "submitted_at_text": moment(submitted_at),
        "submitted_by": sub.submitted_by if submitted_at and sub else "",
        "on_time": (unit in ds.on_time) if submitted_at else None,
        "approved_by": sub.approved_by if sub else "",
        "return_reason": next((e["reason"] for e in reversed(events) if e["action"] == Action.RETURN), "")
        if status is Status.RETURNED
        else "",
        "approval_url": reverse("approval", args=[desk.round.code, ds.dataset, unit])
        if desk.principal.is_admin
        else None,
        "approved_at_text": moment(sub.approved_at) if sub else "",
        "actions": [
            {"action": a.value, "label": ACTION_VI[a], "needs_reason": a in NEEDS_REASON}
            for a in Action
            if not isinstance(move(status, a, desk.principal, unit, reason="-"), Refusal)
        ],
        "entry_url": reverse("entry", args=[desk.round.code, ds.dataset, unit])
        if desk.principal.can_write(unit)
        else None,
        "events": events,
    }


def dataset_status(
    desk: Desk,
    ds: DatasetStatus,
    units: list[str],
    subs: dict[tuple[str, str], Submission],
    events: dict[int, list[Data]],
) -> Data:
    """A dataset's reporting in the round, counted over the units the member may see (as the dashboard and the API
    count them: `intake.completeness`), and their rows."""
    mine = ds.only(units)
    return {
        **dataset_data(mine, desk.catalogue),
        "rate_text": f"{count_text(len(mine.submitted))}/{count_text(len(mine.expected))}",
        "on_time_text": count_text(len(mine.on_time)),
        "approved_text": count_text(len(mine.approved)),
        "template_url": reverse("template", args=[desk.round.code, ds.dataset])
        if desk.principal.role is not Role.VIEWER
        else None,
        "units": [
            unit_row(desk, ds, u, sub, events.get(sub.pk, []) if sub else [])
            for u in units
            for sub in [subs.get((ds.dataset, u))]
        ],
    }


def submissions_data(round_: rows.Round, catalogue: Catalogue, principal: Principal) -> Data:
    subs = {
        (s.dataset.code, s.unit.code): s
        for s in Submission.objects.filter(round=round_).select_related("dataset", "unit")
    }
    events: dict[int, list[Data]] = defaultdict(list)
    for event in SubmissionEvent.objects.filter(submission__round=round_).order_by("at", "id"):
        events[event.submission_id].append(event_data(event))
    desk = Desk(round_, principal, catalogue)
    datasets = []
    waiting: dict[str, list[str]] = defaultdict(list)
    found = completeness(round_, catalogue)
    for ds in found.datasets:
        units = [u for u in ds.expected if principal.can_read(u)]
        if units:
            datasets.append(dataset_status(desk, ds, units, subs, events))
            for u in units:
                if u not in ds.submitted:
                    waiting[u].append(ds.name)
    deadline = round_.deadline
    return {
        "round": {
            **round_data(round_, round_.effective_baseline()),
            "deadline": deadline.isoformat() if deadline else None,
            "deadline_text": moment(deadline),
            "deadline_passed": bool(deadline and deadline < timezone.now()),
        },
        "rounds": rounds_menu_of(),
        "scope": Reader.of(principal, catalogue).as_data(),
        "can_remind": principal.is_admin,
        "completeness": as_data(found, catalogue, principal.can_read),
        "datasets": datasets,
        "waiting": [
            {"unit": u, "name": catalogue.units[u].name, "datasets": names}
            for u in catalogue.units
            if (names := waiting.get(u))
        ],
    }


def rounds_menu_of() -> list[Data]:
    """The round picker's choices, latest first (as pages.rounds_menu gives them)."""
    return [{"code": r.code, "name": r.name} for r in rows.Round.objects.order_by("-code")]


def _act(request: HttpRequest, round_: rows.Round, principal: Principal, catalogue: Catalogue) -> HttpResponse:
    """One move (POST dataset, unit, action, reason) or the reminders (action=remind); back to the page."""
    page = reverse("submissions", args=[round_.code])
    choice = request.POST.get("action", "")
    if choice == "remind":
        if not principal.is_admin:
            return denied(request, _("Chỉ quản trị được gửi thư nhắc."))
        reminders = remind(round_, catalogue, request.build_absolute_uri(page))
        n = len(reminders.sent)
        messages.success(request, ngettext("Đã gửi %(n)d thư nhắc.", "Đã gửi %(n)d thư nhắc.", n) % {"n": n})
        for r in reminders.sent:
            said = {"user": r.user, "email": r.email, "unit": r.unit_name}
            messages.info(request, _("Đã gửi tới %(user)s, %(email)s — %(unit)s") % said)
        for codes, why in (
            (reminders.no_reporter, _("Không gửi được, đơn vị chưa có cán bộ: %(units)s")),
            (reminders.no_email, _("Không gửi được, cán bộ đơn vị chưa có thư điện tử: %(units)s")),
        ):
            if codes:
                messages.warning(request, why % {"units": ", ".join(catalogue.units[c].name for c in codes)})
        return redirect(f"{page}#")  # "#": the top, where the message is, whatever was scrolled to before
    if choice not in {a.value for a in Action}:
        raise Http404(_("Không có thao tác %(action)s") % {"action": choice})
    ds = dataset_or_404(catalogue, request.POST.get("dataset", ""))
    unit = request.POST.get("unit", "")
    if unit not in ds.units:
        raise Http404(_("Đơn vị %(unit)s không thuộc bộ số liệu %(dataset)s") % {"unit": unit, "dataset": ds.code})
    result = act(
        round_,
        rows.Dataset.objects.get(code=ds.code),
        rows.Unit.objects.get(code=unit),
        Action(choice),
        principal,
        request.POST.get("reason", "").strip(),
    )
    where = f"{catalogue.units[unit].name} — {ds.name}"
    back = f"{page}?{urlencode({'dataset': ds.code})}"
    if isinstance(result, Refusal):
        messages.error(request, told(result, where))
        return redirect(f"{back}#")  # the refusal is said at the top of the page
    status = _(STATUS_VI[Status(result.status)])
    messages.success(request, _("%(where)s: %(status)s.") % {"where": where, "status": status})
    return redirect(f"{back}#u-{ds.code}-{unit}")  # the row shows its new status and history


@member_required
def submissions(request: HttpRequest, code: str, fmt: str | None = None) -> HttpResponse:
    """The round's reporting per dataset and unit; admins and reporters act on submissions from here."""
    round_, catalogue = round_or_404(code), get_catalogue()
    principal = principal_on(request, code, catalogue)
    if request.method == "POST":
        if principal.role is Role.VIEWER:
            return denied(request, _("Thành viên Ban Chỉ đạo chỉ được xem số liệu."))
        return _act(request, round_, principal, catalogue)
    data = submissions_data(round_, catalogue, principal)
    return respond(request, fmt, "web/intake_submissions.html", data, chosen=request.GET.get("dataset", ""))


# --- entry form --------------------------------------------------------------------------------------------------
def change_data(change: ValueChange, ind: Indicator) -> Data:
    return {
        "at": change.changed_at.isoformat(),
        "at_text": moment(change.changed_at),
        "by": change.changed_by,
        "source": change.source,
        "source_text": Source(change.source).label,
        "source_ref": change.source_ref,
        "category": change.category,
        "category_text": ind.category_label(change.category),
        "as_of": window_text(Window.from_key(change.window), page_language()),
        "old_value": num(change.old_value),
        "old_text": figure(change.old_value, ind.kind, EXACT, page_language()),
        "new_value": num(change.new_value),
        "new_text": figure(change.new_value, ind.kind, EXACT, page_language()),
        "note": change.note,
    }


@member_required
def value_history(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """Every change of a value (`?round=&unit=&indicator=`, `&category=` to keep one), newest first."""
    catalogue, query = get_catalogue(), request.GET
    round_ = round_or_404(query.get("round", ""))
    principal = principal_on(request, round_.code, catalogue)
    unit, ind = query.get("unit", ""), catalogue.indicators.get(query.get("indicator", ""))
    if unit not in catalogue.units or ind is None:
        raise Http404(_("Không có đơn vị hoặc chỉ tiêu đó"))
    if not principal.can_read(unit):
        return denied(request, _("Bạn chỉ được xem số liệu của đơn vị mình và các đơn vị trực thuộc."), fmt)
    category = query.get("category")
    categories = {""} | {f"{d}={m}" for d, members in ind.disaggregation.items() for m in members}
    if category is not None and category not in categories:
        raise Http404(_("Chỉ tiêu %(code)s không có phân loại %(category)s") % {"code": ind.code, "category": category})
    changes = ValueChange.objects.filter(round=round_, unit__code=unit, indicator__code=ind.code)
    values = Value.objects.filter(round=round_, unit__code=unit, indicator__code=ind.code)
    if category is not None:
        changes, values = changes.filter(category=category), values.filter(category=category)
    data: Data = {
        "round": {"code": round_.code, "name": round_.name},
        "unit": {"code": unit, "name": catalogue.units[unit].name},
        "indicator": {"code": ind.code, "name": ind.name, "kind": ind.kind},
        "category": category,
        "category_text": ind.category_label(category) if category else "",
        "current": [
            {
                "category": v.category,
                "category_text": ind.category_label(v.category),
                "as_of": window_text(Window.from_key(v.window), page_language()),
                "value": num(v.value),
                "value_text": figure(v.value, ind.kind, EXACT, page_language()),
                "source_text": Source(v.source).label,
                "by": v.updated_by,
                "at_text": moment(v.updated_at),
                "note": v.note,
            }
            for v in values.order_by("category", "window")
        ],
        "changes": [change_data(c, ind) for c in changes.order_by("-changed_at", "-id")],
    }
    form = next((d for d in catalogue.datasets.values() if ind.code in d.indicators and unit in d.units), None)
    entry_url = reverse("entry", args=[round_.code, form.code, unit]) if form and principal.can_write(unit) else None
    return respond(request, fmt, "web/intake_history.html", data, entry_url=entry_url)


# --- data-quality findings ---------------------------------------------------------------------------------------
@member_required
def checks(request: HttpRequest, code: str, fmt: str | None = None) -> HttpResponse:
    """The round's data-quality findings (as `dxmonitor check`), grouped by severity; `?baseline=` to compare."""
    round_ = round_or_404(code)
    asked = request.GET.get("baseline", "")
    baseline = round_or_404(asked) if asked else round_.effective_baseline()
    ctx = round_context(round_, baseline)
    reader = Reader.of(principal_of(request), ctx.catalogue, round_days(round_.code))
    found = [f for f in run_checks(ctx, history_of(round_), page_language()) if reader.sees(f.unit)]
    groups = []
    for severity in Severity:
        mine = [f for f in found if f.severity is severity]
        if mine:
            groups.append(
                {
                    "severity": severity.value,
                    "severity_text": SEVERITY_VI[severity],
                    "findings": [
                        {
                            **finding_data(f, ctx),
                            "unit_full_name": ctx.unit(f.unit).name if f.unit else "",
                            "dataset_name": ctx.catalogue.datasets[f.dataset].name if f.dataset else "",
                        }
                        for f in mine
                    ],
                }
            )
    data: Data = {
        "round": round_data(round_, baseline),
        "rounds": rounds_menu_of(),
        "scope": reader.as_data(),
        "count": len(found),
        "by_severity": {s.value: sum(1 for f in found if f.severity is s) for s in Severity},
        "groups": groups,
    }
    return respond(request, fmt, "web/intake_checks.html", data)


# --- templates ---------------------------------------------------------------------------------------------------
@member_required
def template(request: HttpRequest, code: str, dataset: str) -> HttpResponse:
    """The dataset's XLSX template for the round, with a row for each unit the member enters figures for."""
    catalogue = get_catalogue()
    if not ROUND_CODE.match(code):
        raise Http404(_("Mã kỳ %(code)s phải có dạng YYYY-MM") % {"code": code})
    principal = principal_on(request, code, catalogue)
    ds = dataset_or_404(catalogue, dataset)
    if principal.role is Role.VIEWER:
        return denied(request, _("Thành viên Ban Chỉ đạo chỉ được xem số liệu."))
    units = [u for u in dataset_units(ds.units, catalogue, round_days(code)) if principal.can_write(u)]
    if not units:
        return denied(request, unplaced_text(principal) or _("Bộ số liệu này không có đơn vị của bạn."))
    found = rows.Round.objects.filter(code=code).first()
    name = found.name if found else round_name(code)
    with tempfile.TemporaryDirectory() as folder:
        path = write_template(Path(folder) / "template.xlsx", ds, catalogue, code, name, round_end(code), units)
        content = path.read_bytes()
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bieu-mau-{ds.code}-{code}.xlsx"'
    return response
