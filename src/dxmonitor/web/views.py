"""Report files, served to signed-in members."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest

from dxmonitor.web.access import member_required


@member_required
def report_file(request: HttpRequest, name: str) -> FileResponse:
    folder = settings.REPORTS_DIR.resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file():
        raise Http404(name)
    return FileResponse(path.open("rb"), as_attachment=path.suffix != ".html", filename=path.name)
