"""Who is asking: the request's principal, and the guard every page goes through."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext

from dxmonitor.accounts.principals import for_user
from dxmonitor.accounts.scope import ROLE_LABELS, Principal

View = Callable[..., HttpResponseBase]


def principal_of(request: HttpRequest) -> Principal | None:
    cached: Principal | None = getattr(request, "_principal", None)
    if cached is None and request.user.is_authenticated:
        cached = for_user(request.user)
        request._principal = cached  # type: ignore[attr-defined]
    return cached


def member_required(view: View) -> View:
    """Signed in and given a role (admin, reporter or viewer); the principal is passed as `request.principal`."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        principal = principal_of(request)
        if principal is None:
            raise PermissionDenied("Tài khoản chưa được giao vai trò / this account has no role yet")
        request.principal = principal  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return guarded


def principal_context(request: HttpRequest) -> dict[str, object]:
    """Template context: the principal and its role's label, for the header."""
    principal = principal_of(request) if hasattr(request, "user") else None
    return {"principal": principal, "principal_label": gettext(ROLE_LABELS[principal.role]) if principal else ""}
