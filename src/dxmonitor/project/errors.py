"""The error pages: 400, 403, 404 and 500 in the site's layout (or as JSON for a page's JSON twin), and in the API's
ErrorOut shape for any address under /api/ that the API itself did not answer (an unknown path, a middleware's fault).

Django calls these with DEBUG off; its own log records (django.request, with the traceback of a 500) are made by the
caller, carrying the request's id that the 500 page shows as its reference."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape

from dxmonitor.api.errors import DATABASE_OUTAGES, ErrorOut, server_error_body
from dxmonitor.project.logs import reference

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Said:
    """What an error page says, in Vietnamese and in English."""

    status: int
    detail: str  # the API's stable code
    title_vi: str
    title_en: str
    text_vi: str
    text_en: str


BAD_REQUEST = Said(
    400,
    "bad_request",
    "Yêu cầu không hợp lệ",
    "Bad request",
    "Máy chủ không hiểu yêu cầu này.",
    "The server could not understand this request.",
)
FORBIDDEN = Said(
    403,
    "forbidden",
    "Không có quyền",
    "Forbidden",
    "Tài khoản của bạn không được xem hoặc làm việc này.",
    "Your account may not see or do this.",
)
CSRF_FAILED = Said(
    403,
    "csrf_failed",
    "Biểu mẫu đã hết hạn",
    "The form has expired",
    "Hãy tải lại trang rồi gửi lại (mã bảo vệ CSRF của biểu mẫu không hợp lệ hoặc đã hết hạn).",
    "Reload the page and send it again (the form's CSRF token is missing, wrong or expired).",
)
NOT_FOUND = Said(
    404,
    "not_found",
    "Không tìm thấy trang",
    "Page not found",
    "Địa chỉ này không có trên hệ thống.",
    "There is nothing at this address.",
)
SERVER_ERROR = Said(
    500,
    "server_error",
    "Lỗi máy chủ",
    "Server error",
    "Đã có lỗi khi xử lý yêu cầu; lỗi đã được ghi lại. Khi báo quản trị viên, hãy gửi kèm mã tham chiếu dưới đây.",
    "Something went wrong while answering; the error has been logged. When you tell the administrator, quote the "
    "reference below.",
)
DATABASE_UNAVAILABLE = Said(
    503,
    "database_unavailable",
    "Tạm thời không truy cập được cơ sở dữ liệu",
    "The database cannot be reached",
    "Hãy thử lại sau ít phút. Nếu lỗi còn tiếp diễn, hãy báo quản trị viên kèm mã tham chiếu dưới đây.",
    "Try again in a few minutes. If it goes on, tell the administrator, quoting the reference below.",
)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _wants_json(request: HttpRequest) -> bool:
    """A page's JSON twin (".json" or "?format=json", as web.pages reads it) gets its error as JSON too."""
    return request.path_info.endswith(".json") or request.GET.get("format") == "json"


def _message_of(exception: BaseException | None) -> str:
    """The exception's own message when it is meant for the reader (Http404("Không có kỳ báo cáo …")), else ""."""
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) else ""  # the resolver's 404 carries a dict of the patterns tried


def _client_error(request: HttpRequest, said: Said, exception: BaseException | None) -> HttpResponse:
    detail = _message_of(exception)
    if _is_api(request):
        vi, _, en = detail.partition(" / ")  # the product's messages are written "tiếng Việt / English"
        body = ErrorOut(detail=said.detail, message_vi=vi or said.title_vi, message_en=en or vi or said.title_en)
        return JsonResponse(body.model_dump(), status=said.status, json_dumps_params={"ensure_ascii": False})
    if _wants_json(request):
        error = {"error": detail or said.title_vi, "error_en": said.title_en}
        return JsonResponse(error, status=said.status, json_dumps_params={"ensure_ascii": False})
    context = {**said.__dict__, "detail": detail}
    return render(request, "web/error.html", context, status=said.status)


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """handler400."""
    return _client_error(request, BAD_REQUEST, exception)


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """handler403."""
    return _client_error(request, FORBIDDEN, exception)


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """handler404."""
    return _client_error(request, NOT_FOUND, exception)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without its token, or with an old one."""
    return _client_error(request, CSRF_FAILED, None)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: called while the exception is being handled; a database that cannot be reached is a 503."""
    database = isinstance(sys.exc_info()[1], DATABASE_OUTAGES)
    said = DATABASE_UNAVAILABLE if database else SERVER_ERROR
    ref = reference()
    if _is_api(request):
        body = server_error_body(database)
        return JsonResponse(body.model_dump(), status=said.status, json_dumps_params={"ensure_ascii": False})
    if _wants_json(request):
        error = {"error": said.title_vi, "error_en": said.title_en, "reference": ref}
        return JsonResponse(error, status=said.status, json_dumps_params={"ensure_ascii": False})
    # No request in the template's context: its context processors read the session and the user, which is what may
    # have failed. The page is in both languages, so it needs nothing of the user.
    context = {**said.__dict__, "detail": "", "reference": ref, "bare": True}
    html: str
    try:
        html = loader.render_to_string("web/error.html", context)
    except Exception:  # the page of last resort answers even when its template cannot be rendered
        log.exception("the error page could not be rendered")
        html = (
            f"<!doctype html><h1>{said.title_vi} / {said.title_en}</h1><p>Mã tham chiếu / reference: {escape(ref)}</p>"
        )
    return HttpResponse(html, status=said.status)
