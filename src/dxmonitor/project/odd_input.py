"""Input no person types, refused before any view reads it."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse

NUL = "\x00"


def has_nul(request: HttpRequest) -> tuple[bool, bool]:
    """(in the path, in a query parameter's name or value)."""
    in_query = any(NUL in name or any(NUL in v for v in values) for name, values in request.GET.lists())
    return NUL in request.path_info, in_query


class RefuseNulMiddleware:
    """A NUL character cannot be typed, means nothing in a name or a code, and PostgreSQL refuses it in any text (a
    lookup with one fails with an error instead of finding nothing): an address carrying one is a 404 (no page has
    that name), a query parameter carrying one a 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        in_path, in_query = has_nul(request)
        if in_path:
            raise Http404("Địa chỉ chứa ký tự NUL / the address contains a NUL character")
        if in_query:
            raise BadRequest("Tham số chứa ký tự NUL / a query parameter contains a NUL character")
        return self.get_response(request)
