"""The admin's editor of a round's written sections: the list, one section's text with a live preview (rendered
on the server, as the report prints it), its saved versions, and the pictures the texts name."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxmonitor.accounts.scope import Principal
from dxmonitor.catalogue.models import Round
from dxmonitor.editorial.markdown import to_blocks
from dxmonitor.editorial.models import SectionPicture
from dxmonitor.editorial.sections import Slot
from dxmonitor.editorial.store import current_texts, history, picture, save_picture, save_section, slots_of
from dxmonitor.reports.model import Heading
from dxmonitor.reports.render_html import render_fragment
from dxmonitor.web.access import member_required
from dxmonitor.web.intake_pages import moment
from dxmonitor.web.round_pages import admin_or_403, round_or_404

MAX_PICTURE_BYTES = 20_000_000


def _admin_or_403(request: HttpRequest) -> HttpResponse | None:
    return admin_or_403(request, _("Chỉ quản trị viết các mục của báo cáo."))


def _slot_or_404(round_: Round, key: str) -> Slot:
    slot = next((s for s in slots_of(round_) if s.key == key), None)
    if slot is None:
        raise Http404(_("Báo cáo của kỳ này không có mục %(key)s") % {"key": key})
    return slot


@member_required
def index(request: HttpRequest, code: str) -> HttpResponse:
    """The round's written sections in the report's order, each with its latest version."""
    refused = _admin_or_403(request)
    if refused:
        return refused
    round_ = round_or_404(code)
    latest = current_texts(round_)
    rows = [
        {
            "slot": slot,
            "version": latest.get(slot.key),
            "at": moment(latest[slot.key].saved_at) if slot.key in latest else "",
        }
        for slot in slots_of(round_)
    ]
    pictures = SectionPicture.objects.filter(round=round_).only("name", "saved_by", "saved_at")
    return render(request, "editorial/index.html", {"round": round_, "rows": rows, "pictures": pictures})


@member_required
def edit(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """One section's text: a save is a new version; `?version=N` loads an earlier one into the editor."""
    refused = _admin_or_403(request)
    if refused:
        return refused
    principal: Principal = request.principal  # type: ignore[attr-defined]
    round_ = round_or_404(code)
    slot = _slot_or_404(round_, key)
    versions = history(round_, key)
    if request.method == "POST":
        saved = save_section(round_, key, request.POST.get("text", ""), principal.name)
        if saved is None:
            messages.info(request, _("Nội dung không đổi: không lưu phiên bản mới."))
        else:
            messages.success(request, _("Đã lưu phiên bản %(n)s.") % {"n": saved.version})
        return redirect("editorial-edit", code=round_.code, key=key)
    shown = versions[0] if versions else None
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        shown = next((v for v in versions if v.version == int(wanted)), shown)
    text = shown.text if shown else ""
    shown_preview = _preview(round_, slot, text)
    context = {
        "round": round_,
        "slot": slot,
        "text": text,
        "shown": shown,
        "latest": versions[0] if versions else None,
        "versions": [{"v": v, "at": moment(v.saved_at)} for v in versions],
        "preview": shown_preview["html"],
        "problems": shown_preview["problems"],
    }
    return render(request, "editorial/edit.html", context)


@require_POST
@member_required
def preview(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """The text as the report would print it (a standalone HTML page for the editor's frame) and its problems."""
    refused = _admin_or_403(request)
    if refused:
        return refused
    round_ = round_or_404(code)
    slot = _slot_or_404(round_, key)
    return JsonResponse(_preview(round_, slot, request.POST.get("text", "")))


def _preview(round_: Round, slot: Slot, text: str) -> dict[str, object]:
    converted = to_blocks(text, slot.file, lambda name: picture(round_, name))
    blocks = converted.blocks if slot.statistics or slot.intro_of else [Heading(slot.title, 1), *converted.blocks]
    problems = [f"{p.location}: {p.message_vi if _is_vi() else p.message_en}" for p in converted.problems]
    return {"html": render_fragment(blocks), "problems": problems}


def _is_vi() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "vi").startswith("vi")


@require_POST
@member_required
def upload_picture(request: HttpRequest, code: str) -> HttpResponse:
    """Store a picture for the round's texts under its file name (one of the same name is replaced)."""
    refused = _admin_or_403(request)
    if refused:
        return refused
    principal: Principal = request.principal  # type: ignore[attr-defined]
    round_ = round_or_404(code)
    upload = request.FILES.get("picture")
    back = request.POST.get("next") or ""
    if upload is None or upload.size is None or upload.size > MAX_PICTURE_BYTES:
        messages.error(request, _("Hãy chọn một tệp ảnh (tối đa 20 MB)."))
    else:
        name = (upload.name or "anh").rsplit("/", 1)[-1]
        save_picture(round_, name, upload.read(), principal.name)
        messages.success(request, _("Đã lưu ảnh %(name)s: dùng ![chú thích](%(name)s) trong văn bản.") % {"name": name})
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("editorial", code=round_.code)
