"""Every request gets a short id: in its log records, in the X-Request-ID response header, on its error page."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from dxmonitor.project.logs import RequestTrace, current_request

HEADER = "X-Request-ID"
# An id a reverse proxy already gave the request (nginx's $request_id) is kept so that its log and ours line up.
# It only correlates lines, it proves nothing; anything else than a short token is replaced, so a client cannot
# write spaces, newlines or pages of text into the log through it.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{5,63}")


def new_request_id() -> str:
    """A fresh id: 12 hexadecimal digits, short enough to read out over the phone."""
    return secrets.token_hex(6)


def request_id_of(request: HttpRequest) -> str:
    """The proxy's id of the request when it is a sane token, else a new one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _SANE.fullmatch(given) else new_request_id()


def forget_request(**kwargs: Any) -> None:
    """Once the response is sent, later records belong to no request."""
    current_request.set(None)


class RequestIdMiddleware:
    """Puts the request's trace (id, path, then user) in a context variable for the log and the error pages.

    The trace stays set until the response is sent (request_finished), not only while the middleware runs: Django
    logs a 4xx or 5xx response after every middleware has returned, and that record must carry the id too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        request_finished.connect(forget_request, dispatch_uid="dxmonitor.forget_request")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trace = RequestTrace(request_id=request_id_of(request), path=request.path[:300])
        request.request_id = trace.request_id  # type: ignore[attr-defined]
        current_request.set(trace)
        response = self.get_response(request)
        response[HEADER] = trace.request_id
        return response

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        """After authentication ran: the user's name goes on the trace."""
        trace = current_request.get()
        if trace is None:
            return
        try:
            user = request.user
            trace.user = user.get_username() if user.is_authenticated else "anonymous"
        except DatabaseError:
            # The session or the user cannot be read; the view meets the same failure and answers it (and logs it),
            # this only leaves the user unnamed in its records.
            trace.user = "?"
