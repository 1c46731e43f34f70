"""How the API answers a mistake: a status, a stable code, a message in Vietnamese and English, every problem."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.log import log_response
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import Field

from dxmonitor.problems import Problem
from dxmonitor.project.logs import reference


class ProblemOut(Schema):
    """One problem with one item of the request (or with the request as a whole when `index` is null)."""

    index: int | None = Field(default=None, description="position of the item in the request body's list, from 0")
    field: str = Field(description="the field at fault: unit, indicator, category, value, as_of, note, round, …")
    message_vi: str
    message_en: str


class ErrorOut(Schema):
    """Every 4xx answer has this shape."""

    detail: str = Field(
        description="a stable code: authentication_required, forbidden, csrf_failed, not_found, malformed_body, "
        "bad_request, body_too_large, invalid_input, busy (another write holds the same figures: try again); "
        "server_error and database_unavailable for a fault of the server"
    )
    message_vi: str
    message_en: str
    errors: list[ProblemOut] = Field(default_factory=list, description="every problem found, in request order")
    warnings: list[ProblemOut] = Field(default_factory=list, description="what would not have blocked the request")


class ServerErrorOut(ErrorOut):
    """A 500 or 503: the server's fault, with the reference under which the administrator finds it in the log."""

    reference: str = Field(description="the request's id, also in the X-Request-ID header; quote it when reporting")


def problem_out(problem: Problem) -> ProblemOut:
    """A planning problem as the API reports it: the item's index is the location's row."""
    loc = problem.location
    return ProblemOut(index=loc.row, field=loc.field, message_vi=problem.message_vi, message_en=problem.message_en)


class ApiError(Exception):
    """A client's mistake, answered with `status` and an ErrorOut body."""

    def __init__(
        self,
        status: int,
        detail: str,
        vi: str,
        en: str,
        errors: Iterable[ProblemOut] = (),
        warnings: Iterable[ProblemOut] = (),
    ):
        super().__init__(en)
        self.status = status
        self.body = ErrorOut(detail=detail, message_vi=vi, message_en=en, errors=list(errors), warnings=list(warnings))


def not_found(field: str, vi: str, en: str) -> ApiError:
    return ApiError(404, "not_found", vi, en, [ProblemOut(field=field, message_vi=vi, message_en=en)])


def forbidden(vi: str, en: str, field: str = "") -> ApiError:
    problems = [ProblemOut(field=field, message_vi=vi, message_en=en)] if field else []
    return ApiError(403, "forbidden", vi, en, problems)


def server_error_body(database: bool) -> ServerErrorOut:
    """What a 500 (or, for a database that cannot be reached, a 503) says, with the request's reference."""
    ref = reference()
    if database:
        return ServerErrorOut(
            detail="database_unavailable",
            message_vi=f"Tạm thời không truy cập được cơ sở dữ liệu; hãy thử lại sau ít phút (mã tham chiếu {ref})",
            message_en=f"The database cannot be reached just now; try again in a few minutes (reference {ref})",
            reference=ref,
        )
    return ServerErrorOut(
        detail="server_error",
        message_vi=f"Lỗi máy chủ; hãy báo quản trị viên kèm mã tham chiếu {ref}",
        message_en=f"Server error; tell the administrator, quoting the reference {ref}",
        reference=ref,
    )


# A lost or refused connection, a lock wait that timed out, "database is locked": the database may answer again in a
# moment, so the client is told to retry (503). Any other database error is a fault of the server (500).
DATABASE_OUTAGES = (OperationalError, InterfaceError)

# Error responses every operation documents (400: a query no person types, such as one carrying a NUL); writes add
# 409 (busy: another write holds the same units longer than the server waits) and 413 (a body too large).
READ_ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    500: ServerErrorOut,
    503: ServerErrorOut,
}
WRITE_ERRORS: dict[int, type[ErrorOut]] = {409: ErrorOut, 413: ErrorOut, **READ_ERRORS}

_TYPE_VI = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được phép",
    "string_type": "phải là chuỗi",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "list_type": "phải là một danh sách JSON",
    "model_type": "phải là một đối tượng JSON",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "too_short": "quá ngắn hoặc danh sách rỗng",
    "too_long": "quá dài",
    "string_too_long": "chuỗi quá dài",
    "greater_than_equal": "nhỏ hơn mức tối thiểu",
    "less_than_equal": "lớn hơn mức tối đa",
    "string_pattern_mismatch": "không đúng định dạng",
    "literal_error": "không thuộc các giá trị cho phép",
    "enum": "không thuộc các giá trị cho phép",
}


def _where(loc: Sequence[Any]) -> tuple[int | None, str]:
    """(item index, field) of a pydantic error location such as ("body", "items", 3, "value", "str")."""
    source, *rest = loc or ("",)
    if source == "body":
        rest = rest[1:]  # the body parameter's name
    index = rest[0] if rest and isinstance(rest[0], int) else None
    if index is not None:
        rest = rest[1:]
    field = next((str(part) for part in rest if isinstance(part, str)), "")
    return index, field or str(source)


def _is_type_error(err: dict[str, Any]) -> bool:
    kind = str(err.get("type", ""))
    return kind.endswith("_type") or kind == "is_instance_of"


def translate(errors: Iterable[dict[str, Any]]) -> list[ProblemOut]:
    """Pydantic's errors as ProblemOut, one per (item, field): each member of a union complains about the same value,
    so the most telling complaint is kept (a length or a range before "wrong type")."""
    grouped: dict[tuple[int | None, str], list[dict[str, Any]]] = {}
    for err in errors:
        grouped.setdefault(_where(err.get("loc", ())), []).append(err)
    problems = []
    for (index, field), found in grouped.items():
        err = next((e for e in found if not _is_type_error(e)), found[0])
        if _is_type_error(err) and field == "value":
            vi, en = "giá trị phải là số hoặc chuỗi", "value must be a number or a string"
        else:
            vi, en = (
                _TYPE_VI.get(str(err.get("type", "")), "giá trị không hợp lệ"),
                str(err.get("msg", "invalid value")),
            )
        problems.append(ProblemOut(index=index, field=field, message_vi=f"{field}: {vi}", message_en=f"{field}: {en}"))
    return problems


def install_handlers(api: NinjaAPI) -> None:
    """Answer every error in the ErrorOut shape: a client's mistake with its 4xx, a fault of the server with a 500 (a
    503 when the database cannot be reached) and its reference, logged with its traceback."""

    def answer(request: HttpRequest, error: ApiError) -> HttpResponse:
        response = api.create_response(request, error.body.model_dump(), status=error.status)
        if error.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="dxmonitor"'
        return response

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return answer(request, exc)

    @api.exception_handler(AuthenticationError)
    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return answer(
            request,
            ApiError(
                401,
                "authentication_required",
                "Cần khóa API hợp lệ (Authorization: Bearer <khóa>) hoặc đăng nhập",
                "A valid API key (Authorization: Bearer <key>) or a signed-in session is required",
            ),
        )

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            error = ApiError(
                400,
                "malformed_body",
                "Nội dung yêu cầu không phải JSON hợp lệ",
                "The request body is not valid JSON",
                [ProblemOut(field="body", message_vi="JSON không hợp lệ", message_en="invalid JSON")],
            )
        else:
            error = ApiError(exc.status_code, "http_error", str(exc), str(exc))
        return answer(request, error)

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        problems = translate(exc.errors)
        return answer(
            request,
            ApiError(
                422,
                "invalid_input",
                f"Yêu cầu không hợp lệ: {len(problems)} lỗi; không có gì được ghi",
                f"The request is invalid: {len(problems)} error(s); nothing was written",
                problems,
            ),
        )

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return answer(
            request,
            ApiError(
                413,
                "body_too_large",
                "Nội dung yêu cầu quá lớn; hãy chia thành nhiều lần gửi",
                "The request body is too large; send it in several parts",
            ),
        )

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return answer(request, ApiError(404, "not_found", "Không tìm thấy", "Not found"))

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return answer(request, forbidden("Không có quyền", "Forbidden"))

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return answer(request, ApiError(400, "bad_request", "Yêu cầu không hợp lệ", "Bad request"))

    def fault(request: HttpRequest, exc: Exception, database: bool) -> HttpResponse:
        body = server_error_body(database)
        response = api.create_response(request, body.model_dump(), status=503 if database else 500)
        # As Django logs an uncaught exception: the django.request logger, with the traceback; marked as logged so
        # that the response is not logged a second time without it.
        log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request, exception=exc)
        return response

    @api.exception_handler(OperationalError)
    def on_database_operational_error(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        return fault(request, exc, database=True)

    @api.exception_handler(InterfaceError)
    def on_database_interface_error(request: HttpRequest, exc: InterfaceError) -> HttpResponse:
        return fault(request, exc, database=True)

    @api.exception_handler(Exception)
    def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        return fault(request, exc, database=False)
