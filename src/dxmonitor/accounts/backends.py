"""Django's model backend, reading a signed-in user's role and unit in the same query as the user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User


class MemberBackend(ModelBackend):
    """Every signed-in request loads its user; with the membership joined, asking for the principal costs no
    second query."""

    def get_user(self, user_id: Any) -> User | None:
        users = User._default_manager.select_related("membership__unit")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
