"""Who acts on the command line: a named user with that user's role and units, or the operator at the console."""

from __future__ import annotations

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from dxmonitor.accounts.principals import for_user
from dxmonitor.accounts.scope import Principal, Role


def operator() -> Principal:
    """The person at the server's console: an admin, recorded as "cli:<login name>"."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        login = "operator"
    return Principal(f"cli:{login}", Role.ADMIN, None)


def command_line_principal(username: str | None) -> Principal:
    """`--user NAME`: an existing active user with a role, scoped exactly as on the web; without it, the operator."""
    if not username:
        return operator()
    user = get_user_model().objects.filter(username=username).select_related("membership__unit").first()
    if user is None:
        raise CommandError(f"Không có người dùng '{username}' / no user '{username}'")
    if not user.is_active:
        raise CommandError(f"Người dùng '{username}' đã bị khóa / user '{username}' is deactivated")
    principal = for_user(user)
    if principal is None:
        raise CommandError(f"Người dùng '{username}' chưa được giao vai trò / user '{username}' has no role")
    return principal
