from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.rounds import round_argument
from dxmonitor.intake.audit import Change, verify
from dxmonitor.intake.models import Value, ValueChange

KEY = ("indicator__code", "unit__code", "category", "window")


class Command(BaseCommand):
    help = (
        "Kiểm tra lịch sử từng số liệu của kỳ là một chuỗi liền mạch / verify that every figure's history is an "
        "unbroken chain (exit 1 naming each break)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", required=True, type=round_argument, help="mã kỳ báo cáo, ví dụ 2022-06")

    def handle(self, *args: Any, **options: Any) -> None:
        require_initialised()
        round_ = Round.objects.filter(code=options["round"]).first()
        if round_ is None:
            raise CommandError(f"Không có kỳ báo cáo '{options['round']}' / no round '{options['round']}'")
        values = Value.objects.filter(round=round_).values_list(*KEY, "value", "note")
        stored = {(i, u, c, w): (value, note) for i, u, c, w, value, note in values.iterator()}
        history = [
            Change(pk, (i, u, c, w), old, new, old_note, note, by, at)
            for pk, i, u, c, w, old, new, old_note, note, by, at in ValueChange.objects.filter(round=round_)
            .values_list("pk", *KEY, "old_value", "new_value", "old_note", "note", "changed_by", "changed_at")
            .iterator()
        ]
        breaks = verify(stored, history)
        for found in breaks:
            self.stdout.write(str(found))
        self.stdout.write(
            f"Kỳ {round_.code}: {len(stored)} số liệu, {len(history)} lần thay đổi, {len(breaks)} chỗ đứt / "
            f"{len(stored)} figures, {len(history)} changes, {len(breaks)} break(s)"
        )
        if breaks:
            sys.exit(1)
