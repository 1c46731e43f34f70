"""The issued versions of a round on the web: the page listing them (where an admin issues a new one, as a job), what
changed between a version and the current figures or between two versions, and the versions' files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxmonitor.accounts.scope import Principal
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.models import Round
from dxmonitor.issuing.diff import COMPARED, diff_rows, diff_statements
from dxmonitor.issuing.jobs import request_issue
from dxmonitor.issuing.models import IssuedReport
from dxmonitor.issuing.service import FORMATS, folder_of
from dxmonitor.issuing.signing import SigningError
from dxmonitor.issuing.snapshot import figures_of, statements_of
from dxmonitor.publishing.jobs import Refusal
from dxmonitor.publishing.models import Job
from dxmonitor.publishing.presenters import job_data
from dxmonitor.publishing.readiness import first_names, missing_units
from dxmonitor.web.access import member_required
from dxmonitor.web.pages import forbidden, respond

Data = dict[str, Any]
NOW = "now"


def _round_data(round_: Round) -> Data:
    return {"code": round_.code, "name": round_.name}


def _version_data(record: IssuedReport) -> Data:
    code = record.round.code
    return {
        "version": record.version,
        "number": record.number,
        "state": record.state,
        "date": record.date.isoformat(),
        "date_text": record.date.strftime("%d/%m/%Y"),
        "issued_at": timezone.localtime(record.issued_at).isoformat(timespec="minutes"),
        "issued_at_text": timezone.localtime(record.issued_at).strftime("%d/%m/%Y %H:%M"),
        "signer": record.signer,
        "issued_by": record.issued_by,
        "reason": record.reason,
        "missing_units": list(record.missing_units),
        "missing_names": first_names(list(record.missing_units))[0],
        "missing_more": first_names(list(record.missing_units))[1],
        "replaces": record.replaces.version if record.replaces else None,
        "error": record.error,
        "files": [
            {
                **entry,
                "url": reverse("issued-file", kwargs={"code": code, "version": record.version, "name": entry["name"]}),
            }
            for entry in record.files
        ],
        "changes_url": f"{reverse('issued-changes', kwargs={'code': code})}?from={record.version}&to={NOW}",
    }


@member_required
def issued_list(request: HttpRequest, code: str, fmt: str | None = None) -> HttpResponse:
    """Every issued version of the round (and every number that failed), its files, and how many figures changed
    since it was issued; for an admin, the form that issues a new version and the latest issue job."""
    round_ = get_object_or_404(Round, code=code)
    principal: Principal = request.principal  # type: ignore[attr-defined]
    records = list(IssuedReport.objects.filter(round=round_).select_related("replaces", "round"))
    issued = [r for r in records if r.state == IssuedReport.State.ISSUED]
    current = figures_of(round_) if issued else []
    versions = []
    for record in reversed(records):
        row = _version_data(record)
        if record.state == IssuedReport.State.ISSUED:
            row["changed"] = len(diff_rows(record.snapshot, current))
        versions.append(row)
    data: Data = {"round": _round_data(round_), "versions": versions}
    if principal.is_admin:
        latest = Job.objects.filter(round=round_, kind=Job.Kind.ISSUE).select_related("round").first()
        missing = missing_units(round_)
        names, more = first_names(missing)
        data["issue"] = {
            "job": job_data(latest) if latest else None,
            "formats": list(FORMATS),
            "missing": len(missing),
            "missing_names": names,
            "missing_more": more,
        }
    if len(issued) > 1:
        data["compare_url"] = reverse("issued-changes", kwargs={"code": code})
    return respond(request, fmt, "issuing/list.html", data)


def _side(round_: Round, records: dict[str, IssuedReport], key: str) -> tuple[Data, list[Any], list[Any]]:
    """One side of a comparison: its label, figures and sentences ("now": the current figures)."""
    if key == NOW:
        return {"key": NOW, "version": None, "number": ""}, figures_of(round_), statements_of(round_)
    record = records.get(key.lstrip("v"))
    if record is None:
        raise Http404(_("Không có phiên bản đã ban hành %(v)s") % {"v": key})
    return {"key": key, "version": record.version, "number": record.number}, record.snapshot, record.statements


@member_required
def issued_changes(request: HttpRequest, code: str, fmt: str | None = None) -> HttpResponse:
    """What changed between an issued version (`from`, the latest by default) and the current figures or another
    version (`to`): each figure's value, target, verdict, baseline and change, and the sentences the report prints
    (its findings and lists of units)."""
    round_ = get_object_or_404(Round, code=code)
    found = IssuedReport.objects.filter(round=round_, state=IssuedReport.State.ISSUED).select_related("round")
    records = {str(r.version): r for r in found}
    if not records:
        nothing: Data = {"round": _round_data(round_), "versions": [], "figures": [], "statements": []}
        return respond(request, fmt, "issuing/changes.html", nothing)
    first = request.GET.get("from") or max(records, key=int)
    second = request.GET.get("to") or NOW
    before, old_rows, old_text = _side(round_, records, first)
    after, new_rows, new_text = _side(round_, records, second)
    indicators = get_catalogue().indicators
    names = {r["unit_code"]: r["unit_name"] for r in [*old_rows, *new_rows]}
    figures = []
    for change in diff_rows(old_rows, new_rows):
        indicator, unit, category, as_of = change.key
        fields = [
            {"name": name, "before": change.before.get(name, ""), "after": change.after.get(name, "")}
            for name in COMPARED
            if change.kind != "changed" or name in change.after
        ]
        figures.append(
            {
                "indicator": indicator,
                "indicator_name": indicators[indicator].name if indicator in indicators else indicator,
                "unit": unit,
                "unit_name": names.get(unit, unit),
                "category": category,
                "as_of": as_of,
                "kind": change.kind,
                "fields": [f for f in fields if f["before"] or f["after"]],
            }
        )
    statements = [
        {"section": c.section, "before": list(c.before), "after": list(c.after)}
        for c in diff_statements(old_text, new_text)
    ]
    data: Data = {
        "round": _round_data(round_),
        "from": before,
        "to": after,
        "versions": [{"version": r.version, "number": r.number} for r in records.values()],
        "figures": figures,
        "statements": statements,
        "verdicts": sum(1 for f in figures if any(x["name"] == "verdict" for x in f["fields"])),
    }
    return respond(request, fmt, "issuing/changes.html", data)


@member_required
@require_POST
def start_issue(request: HttpRequest, code: str) -> HttpResponse:
    """ "Ban hành": queue the round's issue (admins); an incomplete round needs a reason, kept with the version."""
    principal: Principal = request.principal  # type: ignore[attr-defined]
    target = reverse("issued-list", kwargs={"code": code}) + "#issue"
    if not principal.is_admin:
        return forbidden(request, None, _("Chỉ quản trị được ban hành báo cáo."))
    round_ = get_object_or_404(Round, code=code)
    formats = [f for f in request.POST.getlist("formats") if f] or list(FORMATS)
    try:
        job = request_issue(round_, formats, principal.name, Job.Via.WEB, request.POST.get("reason", ""))
    except (Refusal, SigningError) as refusal:
        messages.error(request, f"{refusal.vi} / {refusal.en}")
    else:
        messages.success(request, _("Đã bắt đầu ban hành báo cáo (công việc số %(id)s).") % {"id": job.pk})
    return redirect(target)


@member_required
def issued_file(request: HttpRequest, code: str, version: int, name: str) -> FileResponse:
    """A file of an issued version, from the version's own folder, only by a name its record lists."""
    record = IssuedReport.objects.filter(round__code=code, version=version, state=IssuedReport.State.ISSUED).first()
    if record is None or name not in {entry["name"] for entry in record.files}:
        raise Http404("Không có tệp đã ban hành này / no such issued file")
    path = folder_of(record) / name
    return FileResponse(path.open("rb"), as_attachment=path.suffix != ".html", filename=path.name)
