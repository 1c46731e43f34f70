"""Turn a Django user or an API token into a Principal."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from dxmonitor.accounts.models import ApiToken, Membership
from dxmonitor.accounts.scope import Principal, Role, principal
from dxmonitor.catalogue.models import Unit


def _parents() -> dict[str, str | None]:
    return {code: parent for code, parent in Unit.objects.values_list("code", "parent__code")}


def for_user(user: AbstractBaseUser | AnonymousUser) -> Principal | None:
    """The principal of a signed-in user; superusers are admins; a user without a role gets None."""
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return Principal(user.get_username(), Role.ADMIN, None)
    # Loaded with the user by MemberBackend; a user without one raises an AttributeError, hence the default.
    membership: Membership | None = getattr(user, "membership", None)
    if membership is None:
        return None
    role, unit = Role(membership.role), membership.unit.code if membership.unit else None
    return principal(user.get_username(), role, unit, _parents() if role is Role.REPORTER else {})


def for_token(token: ApiToken) -> Principal | None:
    """A unit's key is scoped like a reporter of the unit; a user's key acts as that user while active with a role."""
    if token.user is not None:
        user = token.user
        found = for_user(user) if user.is_active else None
        return None if found is None else Principal(f"token:{token.name}", found.role, found.units, found.home)
    assert token.unit is not None  # the table's constraint: a unit or a user
    return principal(f"token:{token.name}", Role.REPORTER, token.unit.code, _parents())
