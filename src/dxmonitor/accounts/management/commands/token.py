from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dxmonitor.accounts.models import ApiToken
from dxmonitor.accounts.principals import for_user
from dxmonitor.catalogue.models import Unit


class Command(BaseCommand):
    help = (
        "Quản lý khóa API / manage API tokens: create NAME --unit CODE (khóa của đơn vị / a unit's key) "
        "hoặc / or create NAME --user USERNAME (khóa của người dùng, với vai trò của họ / a user's key) · "
        "revoke NAME · list"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="tạo khóa, in ra một lần / issue a key, printed once")
        create.add_argument("name")
        holder = create.add_mutually_exclusive_group()  # one of them, checked below (call_command skips a subparser's)
        holder.add_argument(
            "--unit", help="khóa của đơn vị, như cán bộ đơn vị / a unit's key, scoped like its reporter"
        )
        holder.add_argument(
            "--user",
            help="khóa hành động như người dùng này, ví dụ quản trị / a key acting as this user, e.g. an admin",
        )
        revoke = sub.add_parser("revoke", help="thu hồi khóa / revoke a key")
        revoke.add_argument("name")
        sub.add_parser("list", help="liệt kê khóa / list keys")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            if ApiToken.objects.filter(name=options["name"]).exists():
                raise CommandError(f"Đã có khóa tên '{options['name']}' / a token named '{options['name']}' exists")
            if not (options["unit"] or options["user"]):
                raise CommandError("Cần --unit hoặc --user / --unit or --user is needed")
            if options["user"]:
                _, key = ApiToken.issue(options["name"], user=_user_with_role(options["user"]))
            else:
                unit = Unit.objects.filter(code=options["unit"]).first()
                if unit is None:
                    raise CommandError(f"Không có đơn vị '{options['unit']}' / no unit '{options['unit']}'")
                _, key = ApiToken.issue(options["name"], unit)
            self.stdout.write(key)
        elif action == "revoke":
            changed = ApiToken.objects.filter(name=options["name"], revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            if not changed:
                raise CommandError(
                    f"Không có khóa đang dùng tên '{options['name']}' / no live token '{options['name']}'"
                )
            self.stdout.write(f"Đã thu hồi / revoked {options['name']}")
        else:
            for token in ApiToken.objects.select_related("unit", "user").order_by("name"):
                state = "thu hồi/revoked" if token.revoked_at else "đang dùng/live"
                self.stdout.write(f"{token.name}\t{token.prefix}…\t{token.holder}\t{state}")


def _user_with_role(username: str) -> AbstractBaseUser:
    """An active user with a role (an admin for a key that opens rounds), else a message saying which is missing."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Không có người dùng '{username}' / no user '{username}'")
    if not user.is_active or for_user(user) is None:
        raise CommandError(
            f"Người dùng '{username}' đã bị khóa hoặc chưa được giao vai trò / "
            f"user '{username}' is deactivated or has no role"
        )
    return user
