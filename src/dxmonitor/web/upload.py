"""Upload a unit's files from the browser: the same checks as `dxmonitor import`, within the user's units.

The page lists at most `errors_shown` problems and changes of each kind, with the count of the rest; files checked
but never confirmed are deleted once older than `UPLOAD_KEEP_HOURS`, whenever new ones are staged."""

from __future__ import annotations

import shutil
import uuid
from decimal import Decimal
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
from dxmonitor.catalogue.forms import RoundCodeField
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.evaluation.formats import figure, number, window_text
from dxmonitor.intake.limits import head, mebibytes
from dxmonitor.intake.locks import Busy
from dxmonitor.intake.models import Source
from dxmonitor.intake.planning import ImportPlan, PlannedValue
from dxmonitor.intake.service import Writer, WriteResult, current_limits, read_files, write
from dxmonitor.intake.staging import remove_stale
from dxmonitor.intake.store import ImportSummary
from dxmonitor.intake.windows import Window
from dxmonitor.web.access import member_required
from dxmonitor.web.language import page_language

SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")
EXACT = 6  # decimals a stored value holds: the preview shows every one of them


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
    round = RoundCodeField(label=gettext_lazy("Kỳ báo cáo (YYYY-MM)"))
    uploads = MultipleFileField(label=gettext_lazy("Tệp số liệu (CSV, XLSX)"))

    def clean_uploads(self) -> list[UploadedFile[bytes]]:
        files: list[UploadedFile[bytes]] = self.cleaned_data["uploads"]
        for f in files:
            if not (f.name or "").lower().endswith(SUFFIXES):
                raise forms.ValidationError(_("Tệp %(name)s không phải CSV hoặc Excel.") % {"name": f.name})
            limit = current_limits().file_bytes
            if (f.size or 0) > limit:
                raise forms.ValidationError(
                    _("Tệp %(name)s lớn hơn %(limit)s (DXMONITOR_MAX_FILE_MB).")
                    % {"name": f.name, "limit": mebibytes(limit)}
                )
        return files


def _staging() -> Path:
    return Path(settings.VAR_DIR) / "uploads"


def _stage(files: list[UploadedFile[bytes]]) -> str:
    """Keep the checked files until the user confirms; the session holds only their folder's name. Stale tickets
    (checked, never confirmed) go first."""
    remove_stale(_staging(), settings.UPLOAD_KEEP_HOURS)
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


def as_written(cell: object) -> str:
    """A cell as the unit wrote it: text as typed, a spreadsheet's number in the Vietnamese way."""
    if cell is None:
        return ""
    if isinstance(cell, bool) or not isinstance(cell, int | float | Decimal):
        return str(cell).strip()
    return number(Decimal(str(cell)), EXACT, page_language())


def preview_row(planned: PlannedValue, catalogue: Catalogue, old: Decimal | None = None) -> dict[str, object]:
    """One figure the upload writes: by name, where it was written, as written and as read (and the old one)."""
    ind = catalogue.indicators[planned.indicator]
    window = Window.from_key(planned.window)
    return {
        "indicator": planned.indicator,
        "indicator_name": ind.name,
        "unit": planned.unit,
        "unit_name": catalogue.units[planned.unit].name,
        "category": planned.category,
        "category_label": ind.category_label(planned.category),
        "measure": planned.measure,
        "as_of": window_text(window, page_language()),
        "place": str(planned.at("value")),
        "written": as_written(planned.written),
        "read": figure(planned.value, ind.kind, EXACT, page_language()),
        "old": figure(old, ind.kind, EXACT, page_language()) if old is not None else "",
    }


def bounded(plan: ImportPlan, summary: ImportSummary | None = None) -> dict[str, object]:
    """The plan's problems and the figures it would write, each list cut to its first `errors_shown`, with the
    number left out: a file of 16,000 unknown names gives a page of 200 of them, not of 16,000. New and changed
    figures are listed (the changed ones old → new), the unchanged ones counted."""
    limit = current_limits().errors_shown
    errors, errors_more = head(plan.errors, limit)
    warnings, warnings_more = head(plan.warnings, limit)
    context: dict[str, object] = {
        "plan": plan,
        "errors": errors,
        "errors_more": errors_more,
        "warnings": warnings,
        "warnings_more": warnings_more,
    }
    if summary is not None:
        catalogue = get_catalogue()
        new, new_more = head(summary.new, limit)
        changed, changed_more = head(summary.changed, limit)
        noted, noted_more = head(summary.noted, limit)
        context |= {
            "summary": summary,
            "new": [preview_row(p, catalogue) for p in new],
            "new_more": new_more,
            "changed": [preview_row(p, catalogue, old) for p, old in changed],
            "changed_more": changed_more,
            "noted": [preview_row(p, catalogue) | {"old_note": old, "note": p.note} for p, old in noted],
            "noted_more": noted_more,
        }
    return context


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
            return render(request, "web/upload.html", {"form": UploadForm(), **bounded(result.plan)})
        form = UploadForm(request.POST or None, request.FILES or None)
        context: dict[str, object] = {"form": form}
        if request.method == "POST" and form.is_valid():
            ticket = _stage(form.cleaned_data["uploads"])
            result = _check(ticket, form.cleaned_data["round"], principal, dry_run=True)
            context |= bounded(result.plan, result.summary)
            if result.summary is not None:
                request.session["upload"] = {"ticket": ticket, "round": result.plan.round_code}
            else:
                shutil.rmtree(_staging() / ticket, ignore_errors=True)
        return render(request, "web/upload.html", context)
    except Busy as exc:
        messages.error(request, f"{exc.vi} / {exc.en}")
        return render(request, "web/upload.html", {"form": UploadForm()}, status=409)
