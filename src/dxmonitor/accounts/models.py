"""Roles of users and API tokens. Who may do what is decided in scope.py."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.utils import timezone

from dxmonitor.accounts.scope import ROLE_LABELS, Role
from dxmonitor.catalogue.models import Unit

TOKEN_PREFIX = "dxm_"


class Membership(models.Model):
    """A user's role and, for a reporter, the unit whose figures (and its sub-units') they handle."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(max_length=16, choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="members_users")

    class Meta:
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"

    def __str__(self) -> str:
        return f"{self.user} — {ROLE_LABELS[Role(self.role)]}" + (f" ({self.unit.code})" if self.unit else "")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A client's key: scoped like a reporter of `unit`, or acting as `user` (an admin's key opens rounds). Only its
    SHA-256 is stored; the key is shown once."""

    name = models.CharField(max_length=100, unique=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="api_tokens")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="the key acts as this user, with the user's role; a deactivated user's key no longer works",
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) ^ models.Q(user__isnull=True), name="api_token_unit_or_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.holder})"

    @property
    def holder(self) -> str:
        """Whose key it is: the unit's code, or "user:NAME"."""
        return f"user:{self.user.get_username()}" if self.user else self.unit.code if self.unit else ""

    @classmethod
    def issue(cls, name: str, unit: Unit | None = None, user: AbstractBaseUser | None = None) -> tuple[ApiToken, str]:
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(name=name, unit=unit, user=user, key_hash=_digest(key), prefix=key[:12])
        return token, key

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        """The live token for `key`, or None; marks it used."""
        live = cls.objects.filter(key_hash=_digest(key), revoked_at__isnull=True)
        token = live.select_related("unit", "user__membership__unit").first()
        if token is not None:
            cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token


class AccountEvent(models.Model):
    """One change to an account made from the product (who, when, what), kept for the audit and shown on its page."""

    class Action(models.TextChoices):
        # stored as codes, labelled in the reader's language where shown (accounts/people.py)
        INVITED = "invited"
        CREATED = "created"  # at the console, with a password (`dxmonitor createuser`)
        ROLE_CHANGED = "role_changed"
        DEACTIVATED = "deactivated"
        REACTIVATED = "reactivated"
        PASSWORD_LINK_SENT = "password_link_sent"
        PASSWORD_SET = "password_set"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.CharField(
        max_length=150, help_text="the principal's name: a user name, or cli:<login> for the console"
    )
    # SET_NULL with the name kept: deleting a user in the Django admin must not erase what was done to the account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="account_events"
    )
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=32, choices=Action.choices)
    detail = models.JSONField(default=dict, blank=True, help_text="role, unit, e-mail; before and after for a change")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "thay đổi tài khoản"
        verbose_name_plural = "thay đổi tài khoản"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.username}"
