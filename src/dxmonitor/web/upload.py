"""Upload a unit's files from the browser: the same checks as `dxmonitor import`, within the user's units."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxmonitor.accounts.scope import Principal, Role
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.intake.locks import Busy
from dxmonitor.intake.models import Source
from dxmonitor.intake.planning import ROUND_CODE
from dxmonitor.intake.service import Writer, WriteResult, read_files, write
from dxmonitor.web.access import member_required

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(SUFFIXES)}))
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[UploadedFile[bytes]]:
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class UploadForm(forms.Form):
    round = forms.RegexField(regex=ROUND_CODE, label=gettext_lazy("Kỳ báo cáo (YYYY-MM)"), max_length=7)
    uploads = MultipleFileField(label=gettext_lazy("Tệp số liệu (CSV, XLSX)"))

    def clean_uploads(self) -> list[UploadedFile[bytes]]:
        files: list[UploadedFile[bytes]] = self.cleaned_data["uploads"]
        for f in files:
            if not (f.name or "").lower().endswith(SUFFIXES):
                raise forms.ValidationError(_("Tệp %(name)s không phải CSV hoặc Excel.") % {"name": f.name})
            if (f.size or 0) > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("Tệp %(name)s lớn hơn 20 MB.") % {"name": f.name})
        return files


def _staging() -> Path:
    return Path(settings.VAR_DIR) / "uploads"


def _stage(files: list[UploadedFile[bytes]]) -> str:
    """Keep the checked files until the user confirms; the session holds only their folder's name."""
    ticket = uuid.uuid4().hex
    folder = _staging() / ticket
    folder.mkdir(parents=True)
    for upload in files:
        with (folder / Path(upload.name or "tep").name).open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return ticket


def _check(ticket: str, round_code: str, writer: Principal, *, dry_run: bool) -> WriteResult:
    """The staged files through the write path: checked and compared (`dry_run`), or written."""
    catalogue = get_catalogue()
    plan = read_files(sorted((_staging() / ticket).iterdir()), round_code, catalogue)
    return write(plan, catalogue, Writer(writer, Source.FILE), dry_run=dry_run)


@member_required
def upload(request: HttpRequest) -> HttpResponse:
    """Check the files and show what would change; write only when the user confirms a clean plan."""
    principal: Principal = request.principal  # type: ignore[attr-defined]
    if principal.role is Role.VIEWER:
        raise PermissionDenied(_("Thành viên Ban Chỉ đạo chỉ được xem số liệu."))
    pending = request.session.get("upload")
    try:
        if request.method == "POST" and request.POST.get("confirm") and pending:
            # checked again as it is written: figures, locks and rules may have moved since the preview
            result = _check(pending["ticket"], pending["round"], principal, dry_run=False)
            del request.session["upload"]
            if result.summary is not None:
                shutil.rmtree(_staging() / pending["ticket"], ignore_errors=True)
                messages.success(
                    request,
                    _("Đã nhập kỳ %(round)s: %(summary)s")
                    % {"round": result.plan.round_code, "summary": result.summary.line()},
                )
                return redirect("upload")
            return render(request, "web/upload.html", {"form": UploadForm(), "plan": result.plan})
        form = UploadForm(request.POST or None, request.FILES or None)
        context: dict[str, object] = {"form": form}
        if request.method == "POST" and form.is_valid():
            ticket = _stage(form.cleaned_data["uploads"])
            result = _check(ticket, form.cleaned_data["round"], principal, dry_run=True)
            context["plan"] = result.plan
            if result.summary is not None:
                request.session["upload"] = {"ticket": ticket, "round": result.plan.round_code}
                context["summary"] = result.summary
            else:
                shutil.rmtree(_staging() / ticket, ignore_errors=True)
        return render(request, "web/upload.html", context)
    except Busy as exc:
        messages.error(request, f"{exc.vi} / {exc.en}")
        return render(request, "web/upload.html", {"form": UploadForm()}, status=409)
