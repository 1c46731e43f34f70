from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from dxmonitor.accounts.cli import operator
from dxmonitor.accounts.models import AccountEvent, Membership
from dxmonitor.accounts.people import record, standing
from dxmonitor.accounts.scope import Role
from dxmonitor.catalogue.models import Unit


class Command(BaseCommand):
    help = "Tạo hoặc cập nhật người dùng với vai trò / create or update a user with a role"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--unit", help="mã đơn vị, bắt buộc với reporter / unit code, required for a reporter")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        role = Role(options["role"])
        unit = None
        if role is Role.REPORTER and not options["unit"]:
            raise CommandError("Cán bộ đơn vị cần --unit MÃ / a reporter needs --unit CODE")
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị '{options['unit']}' / no unit '{options['unit']}'")
        password = os.environ.get("DXMONITOR_PASSWORD") or self._prompt()
        User = get_user_model()
        user = User(username=options["name"], email=options["email"])
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("Mật khẩu không đạt / weak password: " + " ".join(exc.messages)) from exc
        actor = operator().name
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=options["name"], defaults={"email": options["email"]})
            before = standing(user)
            user.set_password(password)
            if options["email"]:
                user.email = options["email"]
            user.is_staff = user.is_superuser = role is Role.ADMIN
            user.save()
            Membership.objects.update_or_create(user=user, defaults={"role": role.value, "unit": unit})
            # recorded as the web records its changes: the account's history shows what the console did
            user = User.objects.select_related("membership__unit").get(pk=user.pk)
            after = standing(user)
            if created:
                record(actor, user, AccountEvent.Action.CREATED, **after)
            else:
                if after != before:
                    record(actor, user, AccountEvent.Action.ROLE_CHANGED, before=before, after=after)
                record(actor, user, AccountEvent.Action.PASSWORD_SET)
        verb = "Đã tạo / created" if created else "Đã cập nhật / updated"
        self.stdout.write(f"{verb} {user.get_username()} ({role.value}{', ' + unit.code if unit else ''})")

    def _prompt(self) -> str:
        if not os.isatty(0):
            raise CommandError("Đặt mật khẩu qua DXMONITOR_PASSWORD / set the password in DXMONITOR_PASSWORD")
        first = getpass.getpass("Mật khẩu / password: ")
        if first != getpass.getpass("Nhập lại / again: "):
            raise CommandError("Hai lần nhập không khớp / the passwords differ")
        return first
