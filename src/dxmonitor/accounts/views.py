"""The accounts pages: the list of people, an invitation, one person's account and its history; setting a password
from an e-mailed link; the login page's forgotten password. Only an admin reaches the first three."""

from __future__ import annotations

import secrets
import smtplib
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from dxmonitor.accounts.forms import ForgottenPasswordForm, InviteForm, RoleForm, RosterForm
from dxmonitor.accounts.models import AccountEvent
from dxmonitor.accounts.people import (
    LinkMaker,
    Refused,
    change_role,
    invitations_of,
    invite,
    invite_all,
    record,
    send_password_link,
    set_active,
    taken,
)
from dxmonitor.accounts.roster import MAX_BYTES, Roster, read_roster, template_csv
from dxmonitor.accounts.scope import ROLE_LABELS, Role
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.models import Unit
from dxmonitor.evaluation.formats import short_date
from dxmonitor.web.access import member_required

View = Callable[..., HttpResponseBase]
MAIL_FAILURES = (smtplib.SMTPException, OSError)


def admin_required(view: View) -> View:
    """Signed in as an admin; anyone else gets the product's 403 page."""

    @member_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.principal.is_admin:  # type: ignore[attr-defined]
            raise PermissionDenied("Chỉ quản trị được quản lý tài khoản / only an admin manages accounts")
        return view(request, *args, **kwargs)

    return guarded


def moment(value: datetime | None) -> str:
    """ "14:05 20/7/2022" in local time; "" for never."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H:%M} {short_date(local.date())}"


def _link_maker(request: HttpRequest, name: str) -> LinkMaker:
    return lambda uid, token: request.build_absolute_uri(reverse(name, args=[uid, token]))


def _people() -> list[User]:
    """By unit code (those without a unit first), then user name: the same order on every database."""
    users = User.objects.select_related("membership__unit")

    def unit_code(user: User) -> str:
        membership = getattr(user, "membership", None)
        return membership.unit.code if membership and membership.unit else ""

    return sorted(users, key=lambda u: (unit_code(u), u.get_username()))


def _status(user: User) -> tuple[str, str]:
    if not user.is_active:
        return "inactive", _("Đã khóa")
    if not user.has_usable_password():
        return "invited", _("Chờ đặt mật khẩu")
    return "active", _("Đang hoạt động")


def person_row(user: User) -> dict[str, Any]:
    membership = getattr(user, "membership", None)
    state, state_text = _status(user)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "email": user.email,
        "role": membership.role if membership else None,
        "role_text": _(ROLE_LABELS[Role(membership.role)]) if membership else _("Chưa có vai trò"),
        "unit": membership.unit.code if membership and membership.unit else None,
        "unit_name": membership.unit.name if membership and membership.unit else "",
        "active": user.is_active,
        "state": state,
        "state_text": state_text,
        "last_login": moment(user.last_login),
    }


def _unit_name(code: str | None, names: dict[str, str]) -> str:
    return names.get(code, code) if code else ""


def _standing_text(standing: dict[str, Any], names: dict[str, str]) -> str:
    role = _(ROLE_LABELS[Role(standing["role"])]) if standing.get("role") else _("Chưa có vai trò")
    unit = _unit_name(standing.get("unit"), names)
    return f"{role}, {unit}" if unit else role


def event_text(event: AccountEvent, names: dict[str, str]) -> str:
    """What was done, in the reader's language."""
    d = event.detail
    if event.action == AccountEvent.Action.INVITED:
        said = {"email": d.get("email", ""), "standing": _standing_text(d, names)}
        if d.get("via") == "csv":
            return _("Mời %(email)s theo danh sách %(file)s: %(standing)s") % {**said, "file": d.get("file", "")}
        return _("Mời %(email)s: %(standing)s") % said
    if event.action == AccountEvent.Action.CREATED:
        return _("Tạo tài khoản có mật khẩu: %(standing)s") % {"standing": _standing_text(d, names)}
    if event.action == AccountEvent.Action.ROLE_CHANGED:
        before, after = _standing_text(d["before"], names), _standing_text(d["after"], names)
        return _("Đổi vai trò: %(before)s → %(after)s") % {"before": before, "after": after}
    if event.action == AccountEvent.Action.DEACTIVATED:
        return _("Khóa tài khoản")
    if event.action == AccountEvent.Action.REACTIVATED:
        return _("Mở lại tài khoản")
    if event.action == AccountEvent.Action.PASSWORD_LINK_SENT:
        if d.get("via") == "login":
            return _("Gửi liên kết đặt lại mật khẩu tới %(email)s (Quên mật khẩu)") % {"email": d.get("email", "")}
        return _("Gửi liên kết đặt mật khẩu tới %(email)s") % {"email": d.get("email", "")}
    return _("Đặt mật khẩu")


def events_data(events: QuerySet[AccountEvent]) -> list[dict[str, Any]]:
    names = dict(Unit.objects.values_list("code", "name"))
    return [
        {
            "at": moment(e.at),
            "actor": e.actor or _("(trang đăng nhập)"),
            "username": e.username,
            "user_id": e.user_id,
            "action": e.action,
            "text": event_text(e, names),
        }
        for e in events
    ]


@admin_required
def people(request: HttpRequest) -> HttpResponse:
    """Everyone with an account: role, unit, e-mail, active, last login; and the latest changes."""
    context = {
        "people": [person_row(u) for u in _people()],
        "events": events_data(AccountEvent.objects.all()[:50]),
    }
    return render(request, "accounts/people.html", context)


@admin_required
def invite_page(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = form.invitation()
        try:
            user = invite(request.principal.name, invitation, _link_maker(request, "password-set"))  # type: ignore[attr-defined]
        except MAIL_FAILURES as exc:
            form.add_error(None, f"Không gửi được thư: {exc} / the e-mail could not be sent")
        else:
            messages.success(request, _("Đã gửi lời mời tới %(email)s.") % {"email": invitation.email})
            return redirect("account", pk=user.pk)
    return render(request, "accounts/invite.html", {"form": form})


PENDING = "accounts_roster"  # the session's checked roster, waiting for the admin's confirmation


def roster_data(roster: Roster) -> dict[str, Any]:
    """What the import page shows of a checked roster: its problems and the people it would create."""
    names = get_catalogue().units
    return {
        "file": roster.file,
        "errors": roster.errors,
        "warnings": roster.warnings,
        "people": [
            {
                "row": p.row,
                "username": p.username,
                "full_name": p.full_name,
                "email": p.email,
                "role_text": _(ROLE_LABELS[p.role]),
                "unit": p.unit,
                "unit_name": names[p.unit].name if p.unit else "",
            }
            for p in roster.people
        ],
    }


def _check_roster(data: bytes, file: str) -> Roster:
    return read_roster(data, file, get_catalogue(), timezone.localdate(), taken())


@admin_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Accounts from a CSV file: upload → the people who will be created, or every problem by row and column →
    confirm (checked again: someone may have taken an address meanwhile) → created and invited, all or nothing."""
    if request.method == "POST" and "ticket" in request.POST:
        return _confirm_import(request)
    form = RosterForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_BYTES + 1)
        roster = _check_roster(data, upload.name)
        context["roster"] = roster_data(roster)
        if roster.ok:
            ticket = secrets.token_urlsafe(12)
            request.session[PENDING] = {"ticket": ticket, "file": upload.name, "text": data.decode("utf-8-sig")}
            context["ticket"] = ticket
        else:
            status = 422
    return render(request, "accounts/import.html", context, status=status)


def _confirm_import(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    if not pending or pending["ticket"] != request.POST["ticket"]:
        messages.error(
            request, "Bản xem trước đã hết hạn: hãy tải tệp lên lại / the preview has expired: upload the file again"
        )
        return redirect("account-import")
    roster = _check_roster(pending["text"].encode(), pending["file"])
    context: dict[str, Any] = {"form": RosterForm(), "roster": roster_data(roster)}
    if not roster.ok:
        del request.session[PENDING]
        return render(request, "accounts/import.html", context, status=422)
    actor: str = request.principal.name  # type: ignore[attr-defined]
    link = _link_maker(request, "password-set")
    try:
        users = invite_all(actor, invitations_of(roster.people), link, via="csv", file=roster.file)
    except MAIL_FAILURES as exc:
        context["ticket"] = pending["ticket"]
        context["mail_error"] = f"Không gửi được thư: {exc} — chưa tạo tài khoản nào / the e-mail could not be sent"
        return render(request, "accounts/import.html", context)
    del request.session[PENDING]
    messages.success(request, _("Đã tạo và gửi lời mời tới %(n)d tài khoản.") % {"n": len(users)})
    return redirect("accounts")


@admin_required
def roster_template(request: HttpRequest) -> HttpResponse:
    """A CSV to fill in: every reporting unit in force today (code and name), name and e-mail blank."""
    today = timezone.localdate()
    # the byte-order mark makes Excel read it as UTF-8; the import reads it either way
    response = HttpResponse("\ufeff" + template_csv(get_catalogue(), today), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tai-khoan-{today:%Y-%m-%d}.csv"'
    return response


@admin_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: its role, unit and state, the changes to it; POST changes it."""
    user = get_object_or_404(User.objects.select_related("membership__unit"), pk=pk)
    membership = getattr(user, "membership", None)
    initial = {"role": membership.role, "unit": membership.unit} if membership else {}
    form = RoleForm(initial=initial)
    if request.method == "POST":
        response = _change(request, user, request.POST.get("action", ""))
        if response is not None:
            return response
        form = RoleForm(request.POST)  # the role form, sent back with its errors
    context = {
        "person": person_row(user),
        "form": form,
        "is_self": user.pk == request.user.pk,
        "events": events_data(user.account_events.all()),
    }
    return render(request, "accounts/person.html", context, status=400 if request.method == "POST" else 200)


def _change(request: HttpRequest, user: User, action: str) -> HttpResponse | None:
    """Make the change; back to the page with a message, or None for a role form with errors."""
    actor: str = request.principal.name  # type: ignore[attr-defined]
    try:
        if action == "deactivate" and set_active(actor, user, False):
            messages.success(request, _("Đã khóa tài khoản %(name)s.") % {"name": user.get_username()})
        elif action == "reactivate" and set_active(actor, user, True):
            messages.success(request, _("Đã mở lại tài khoản %(name)s.") % {"name": user.get_username()})
        elif action == "send_link":
            send_password_link(actor, user, _link_maker(request, "password-set"))
            messages.success(request, _("Đã gửi liên kết đặt mật khẩu tới %(email)s.") % {"email": user.email})
        elif action == "change":
            form = RoleForm(request.POST)
            if not form.is_valid():
                return None
            if change_role(actor, user, *form.chosen):
                messages.success(request, _("Đã đổi vai trò của %(name)s.") % {"name": user.get_username()})
        elif action not in ("deactivate", "reactivate"):
            raise PermissionDenied(f"Không có thao tác '{action}' / no action '{action}'")
    except Refused as refused:
        messages.error(request, f"{refused.vi} / {refused.en}")
    except MAIL_FAILURES as exc:
        messages.error(request, f"Không gửi được thư: {exc} / the e-mail could not be sent")
    return redirect("account", pk=user.pk)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The page an e-mailed link opens (an invitation or a reset): choose a password; recorded in the audit."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("password-set-done")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        record(form.user.get_username(), form.user, AccountEvent.Action.PASSWORD_SET)
        return response


class ForgottenPasswordView(auth_views.PasswordResetView):
    """The login page's "forgotten password": the same link, whether or not the address belongs to an account."""

    template_name = "accounts/forgotten.html"
    form_class = ForgottenPasswordForm
    email_template_name = "accounts/email/reset.txt"
    subject_template_name = "accounts/email/reset_subject.txt"
    success_url = reverse_lazy("password-forgotten-sent")

    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        return {"days": settings.PASSWORD_RESET_TIMEOUT // 86400}
