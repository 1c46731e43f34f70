"""Report files, served to signed-in members."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest

from dxmonitor.web.access import member_required


@member_required
def report_file(request: HttpRequest, name: str) -> FileResponse:
    """A file of the reports folder, by its name; any other name (a path out of the folder, a NUL, a name longer
    than the file system allows) is a 404."""
    folder = settings.REPORTS_DIR.resolve()
    try:
        path = (folder / name).resolve()
        found = path.parent == folder and path.is_file()
    except (ValueError, OSError):  # "embedded null byte", "File name too long"
        found = False
    if not found:
        raise Http404("Không có tệp báo cáo này / no such report file")
    return FileResponse(path.open("rb"), as_attachment=path.suffix != ".html", filename=path.name)
