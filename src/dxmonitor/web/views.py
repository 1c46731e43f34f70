"""First page: the rounds and their report files. The full web app comes later."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dxmonitor.catalogue.models import Round
from dxmonitor.reports.files import report_files


def home(request: HttpRequest) -> HttpResponse:
    rounds = [(r, report_files(settings.REPORTS_DIR, r.code)) for r in Round.objects.order_by("-code")]
    return render(request, "web/home.html", {"rounds": rounds})


def report_file(request: HttpRequest, name: str) -> FileResponse:
    folder = settings.REPORTS_DIR.resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file():
        raise Http404(name)
    return FileResponse(path.open("rb"), as_attachment=path.suffix != ".html", filename=path.name)
