from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dxmonitor.accounts.models import ApiToken
from dxmonitor.catalogue.models import Unit


class Command(BaseCommand):
    help = "Quản lý khóa API / manage API tokens: create NAME --unit CODE · revoke NAME · list"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="tạo khóa, in ra một lần / issue a key, printed once")
        create.add_argument("name")
        create.add_argument("--unit", required=True)
        revoke = sub.add_parser("revoke", help="thu hồi khóa / revoke a key")
        revoke.add_argument("name")
        sub.add_parser("list", help="liệt kê khóa / list keys")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị '{options['unit']}' / no unit '{options['unit']}'")
            if ApiToken.objects.filter(name=options["name"]).exists():
                raise CommandError(f"Đã có khóa tên '{options['name']}' / a token named '{options['name']}' exists")
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
            for token in ApiToken.objects.select_related("unit").order_by("name"):
                state = "thu hồi/revoked" if token.revoked_at else "đang dùng/live"
                self.stdout.write(f"{token.name}\t{token.prefix}…\t{token.unit.code}\t{state}")
