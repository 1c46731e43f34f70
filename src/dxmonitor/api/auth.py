"""Who is calling: an API key (scoped like a reporter of its unit) or a signed-in user, as a Principal."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from dxmonitor.accounts.models import ApiToken
from dxmonitor.accounts.principals import for_token, for_user
from dxmonitor.accounts.scope import Principal
from dxmonitor.api.errors import ApiError, forbidden
from dxmonitor.project.logs import name_user

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class ApiKey(HttpBearer):
    """`Authorization: Bearer dxm_…`: a live key's principal, else None (and the request is a 401)."""

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        key = token.strip()
        found = ApiToken.find(key) if key else None
        if found is None:
            return None
        principal = for_token(found)
        if principal is None:  # the key of a user since deactivated or left without a role
            return None
        name_user(principal.name)  # the key's records in the log name it ("token:NAME")
        return principal


class SignedInUser(APIKeyCookie):
    """The browser's Django session; unsafe methods need the CSRF token, as a form would."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        # CSRF is checked below, once we know a user is signed in: a request without a session is a 401, not a 403.
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                "Thiếu hoặc sai mã CSRF (X-CSRFToken) cho phiên đăng nhập",
                "The signed-in session's CSRF token (X-CSRFToken) is missing or wrong",
            )
        principal = for_user(user)
        if principal is None:
            raise forbidden("Tài khoản chưa được giao vai trò", "This account has no role yet")
        return principal


def principal_of(request: HttpRequest) -> Principal:
    """The principal the authentication step put on the request."""
    principal = getattr(request, "auth", None)
    if not isinstance(principal, Principal):  # every operation is authenticated, so this is a server fault
        raise RuntimeError("request without a principal")
    return principal
