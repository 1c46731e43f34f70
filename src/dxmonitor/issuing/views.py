"""The issued versions of a round on the web: a page listing them (with what changed since), and their files."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from dxmonitor.catalogue.models import Round
from dxmonitor.issuing.diff import diff_rows
from dxmonitor.issuing.models import IssuedReport
from dxmonitor.issuing.service import folder_of
from dxmonitor.reports.export import export_rows
from dxmonitor.reports.generate import round_context
from dxmonitor.web.access import member_required

SHOWN_CHANGES = 50


@member_required
def issued_list(request: HttpRequest, code: str) -> HttpResponse:
    """Every issued version of the round, its files, and the figures that changed since it was issued."""
    round_ = get_object_or_404(Round, code=code)
    versions = list(
        IssuedReport.objects.filter(round=round_, state=IssuedReport.State.ISSUED).select_related("replaces")
    )
    current = export_rows(round_context(round_, round_.effective_baseline())) if versions else []
    rows = []
    for record in reversed(versions):
        changes = diff_rows(record.snapshot, current)
        rows.append({"record": record, "changes": changes[:SHOWN_CHANGES], "changed": len(changes)})
    return render(request, "issuing/list.html", {"round": round_, "rows": rows})


@member_required
def issued_file(request: HttpRequest, code: str, version: int, name: str) -> FileResponse:
    """A file of an issued version, from the version's own folder, only by a name its record lists."""
    record = IssuedReport.objects.filter(round__code=code, version=version, state=IssuedReport.State.ISSUED).first()
    if record is None or name not in {entry["name"] for entry in record.files}:
        raise Http404("Không có tệp đã ban hành này / no such issued file")
    path = folder_of(record) / name
    return FileResponse(path.open("rb"), as_attachment=path.suffix != ".html", filename=path.name)
