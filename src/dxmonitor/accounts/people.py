"""Accounts managed from the product: invite a person for a unit, change a role, deactivate and reactivate, send a
link to set a password. Every change is recorded as an AccountEvent (who, when, what).

The links are Django's password-reset tokens (PasswordResetTokenGenerator): they sign the account's password hash
and last login, so a link works once (setting the password changes the hash) and expires after
PASSWORD_RESET_TIMEOUT."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dxmonitor.accounts.models import AccountEvent, Membership
from dxmonitor.accounts.roster import Person, Taken
from dxmonitor.accounts.scope import ROLE_LABELS, Role
from dxmonitor.catalogue.models import Unit

# (uidb64, token) → the absolute address of the page that sets the password; given by the view (it knows the host).
LinkMaker = Callable[[str, str], str]
Action = AccountEvent.Action


class Refused(Exception):
    """A change the product will not make, said in Vietnamese and English."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(f"{vi} / {en}")
        self.vi, self.en = vi, en


@dataclass(frozen=True)
class Invitation:
    username: str
    email: str
    full_name: str
    role: Role
    unit: Unit | None


def units_in_force(day: Any = None) -> Any:
    """The units that exist on `day` (default today), groups excluded: a person reports for a unit, not a group."""
    day = day or timezone.localdate()
    live = Unit.objects.filter(valid_from__lte=day).exclude(valid_to__lt=day).exclude(kind="group")
    return live.order_by("name")


def taken() -> Taken:
    """The user names and e-mail addresses the accounts use now: a roster must not repeat them."""
    names = User.objects.values_list("username", "email")
    return Taken(frozenset(n.casefold() for n, _ in names), frozenset(e.casefold() for _, e in names if e))


def invitations_of(people: list[Person]) -> list[Invitation]:
    """A checked roster's people as invitations, with their units' rows."""
    units = Unit.objects.in_bulk([p.unit for p in people if p.unit], field_name="code")
    return [Invitation(p.username, p.email, p.full_name, p.role, units[p.unit] if p.unit else None) for p in people]


def standing(user: User) -> dict[str, Any]:
    """What the audit keeps of an account: role, unit, e-mail, active."""
    membership: Membership | None = getattr(user, "membership", None)
    return {
        "role": membership.role if membership else None,
        "unit": membership.unit.code if membership and membership.unit else None,
        "email": user.email,
        "active": user.is_active,
    }


def record(actor: str, user: User, action: str, **detail: Any) -> AccountEvent:
    return AccountEvent.objects.create(
        actor=actor, user=user, username=user.get_username(), action=action, detail=detail
    )


def _give_role(user: User, role: Role, unit: Unit | None) -> None:
    # As `dxmonitor createuser` does: an admin is also staff and superuser (the Django admin's link, every permission).
    user.is_staff = user.is_superuser = role is Role.ADMIN
    user.save(update_fields=["is_staff", "is_superuser"])
    Membership.objects.update_or_create(user=user, defaults={"role": role.value, "unit": unit})


def invite(actor: str, invitation: Invitation, link: LinkMaker, connection: Any = None, **detail: Any) -> User:
    """Create the account without a password and e-mail its link to set one; all or nothing (a mail that cannot be
    sent leaves no account). `detail` adds to what the audit keeps (how it was invited)."""
    with transaction.atomic():
        user = User(username=invitation.username, email=invitation.email, first_name=invitation.full_name)
        user.set_unusable_password()
        user.save()
        _give_role(user, invitation.role, invitation.unit)
        user = User.objects.select_related("membership__unit").get(pk=user.pk)
        record(actor, user, Action.INVITED, **standing(user), **detail)
        _mail_link(user, link, inviter=actor, invitation=True, connection=connection)
    return user


def invite_all(
    actor: str,
    invitations: list[Invitation],
    link: LinkMaker,
    done: Callable[[Invitation], None] = lambda _: None,
    **detail: Any,
) -> list[User]:
    """Invite everyone over one mail connection, all or nothing: a mail that cannot be sent leaves no account (the
    links already sent then lead nowhere). `done` is told of each one invited (a progress bar)."""
    with get_connection() as connection, transaction.atomic():  # the mail server is reached before anything is made
        users = []
        for invitation in invitations:
            users.append(invite(actor, invitation, link, connection, **detail))
            done(invitation)
    return users


def change_role(actor: str, user: User, role: Role, unit: Unit | None) -> bool:
    """Give `user` another role or unit; False when nothing changes."""
    before = standing(user)
    if (before["role"], before["unit"]) == (role.value, unit.code if unit else None):
        return False
    if user.get_username() == actor and role is not Role.ADMIN:
        raise Refused("Bạn không thể tự bỏ quyền quản trị của mình", "you cannot take away your own admin role")
    with transaction.atomic():
        _give_role(user, role, unit)
        user = User.objects.select_related("membership__unit").get(pk=user.pk)
        after = standing(user)
        record(actor, user, Action.ROLE_CHANGED, before=before, after=after)
    return True


def set_active(actor: str, user: User, active: bool) -> bool:
    """Deactivate (the account can no longer sign in, its sessions end) or reactivate; False when already so."""
    if user.is_active == active:
        return False
    if not active and user.get_username() == actor:
        raise Refused("Bạn không thể tự khóa tài khoản của mình", "you cannot deactivate your own account")
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(actor, user, Action.REACTIVATED if active else Action.DEACTIVATED, **standing(user))
    return True


def send_password_link(actor: str, user: User, link: LinkMaker) -> None:
    """E-mail a link to set a new password (a new invitation for an account whose password was never set)."""
    if not user.is_active:
        raise Refused("Tài khoản đã bị khóa: hãy mở lại trước", "the account is deactivated: reactivate it first")
    if not user.email:
        raise Refused("Tài khoản chưa có thư điện tử", "the account has no e-mail address")
    with transaction.atomic():
        record(actor, user, Action.PASSWORD_LINK_SENT, email=user.email)
        _mail_link(user, link, inviter=actor, invitation=not user.has_usable_password())


def _mail_link(user: User, link: LinkMaker, inviter: str, invitation: bool, connection: Any = None) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    membership: Membership | None = getattr(user, "membership", None)
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "username": user.get_username(),
        "role": ROLE_LABELS[Role(membership.role)] if membership else "",
        "unit": membership.unit.name if membership and membership.unit else "",
        "inviter": inviter,
        "link": link(uid, default_token_generator.make_token(user)),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    kind = "invitation" if invitation else "reset"
    with translation.override("vi"):  # e-mails are documents: Vietnamese, whatever the admin's screen speaks
        subject = render_to_string(f"accounts/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{kind}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], connection=connection)
