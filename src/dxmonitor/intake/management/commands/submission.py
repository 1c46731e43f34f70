from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dxmonitor.accounts.cli import command_line_principal
from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.models import Dataset, Round, Unit
from dxmonitor.catalogue.rounds import round_argument
from dxmonitor.intake.submissions import act, remind, reporting_status
from dxmonitor.intake.workflow import Action, Refusal


class Command(BaseCommand):
    help = (
        "Quy trình nộp số liệu / the submission workflow: submit|approve|return|reopen --round --dataset --unit; "
        "status --round; remind --round; deadline --round --at"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for action in Action:
            p = sub.add_parser(action.value)
            p.add_argument("--round", required=True, type=round_argument)
            p.add_argument("--dataset", required=True)
            p.add_argument("--unit", required=True)
            p.add_argument("--reason", default="")
            p.add_argument(
                "--user",
                default=None,
                help="người thực hiện, trong phạm vi của họ (mặc định: quản trị dòng lệnh)",
            )
        status = sub.add_parser("status", help="tình hình nộp của kỳ / reporting status of a round")
        status.add_argument("--round", required=True, type=round_argument)
        reminder = sub.add_parser("remind", help="gửi thư nhắc đơn vị chưa nộp / e-mail units not yet submitted")
        reminder.add_argument("--round", required=True, type=round_argument)
        reminder.add_argument("--url", default="", help="địa chỉ trang web để ghi vào thư")
        deadline = sub.add_parser("deadline", help="đặt hạn nộp / set the round's deadline")
        deadline.add_argument("--round", required=True, type=round_argument)
        deadline.add_argument("--at", required=True, help="YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM (giờ địa phương)")

    def handle(self, *args: Any, **options: Any) -> None:
        catalogue = require_initialised()
        round_ = Round.objects.filter(code=options["round"]).first()
        if round_ is None:
            raise CommandError(f"Không có kỳ báo cáo '{options['round']}' / no round '{options['round']}'")
        action = options["action"]
        if action == "status":
            for row in reporting_status(round_, catalogue):
                counts = (
                    f"nộp {len(row.submitted):>2}/{len(row.expected):<2} đúng hạn {len(row.on_time):>2} "
                    f"duyệt {len(row.approved):>2} có số liệu {len(row.with_figures):>2}"
                )
                self.stdout.write(f"{row.dataset:<16} {counts}  chưa nộp: {', '.join(row.missing) or '—'}")
        elif action == "remind":
            reminders = remind(round_, catalogue, options["url"])
            for r in reminders.sent:
                self.stdout.write(f"đã gửi / sent: {r.user}, {r.email} — {r.unit_name} ({r.unit})")
            for codes, why in (
                (reminders.no_reporter, "chưa có cán bộ đơn vị / no active reporter"),
                (reminders.no_email, "cán bộ chưa có thư điện tử / its reporters have no e-mail"),
            ):
                for code in codes:
                    self.stdout.write(f"không gửi / not sent: {catalogue.units[code].name} ({code}) — {why}")
            unreached = len(reminders.no_reporter) + len(reminders.no_email)
            self.stdout.write(f"{len(reminders.sent)} thư / e-mails; {unreached} đơn vị không nhận / units not reached")
        elif action == "deadline":
            try:
                moment = datetime.fromisoformat(options["at"])
            except ValueError as exc:
                raise CommandError(f"Thời điểm không hợp lệ / invalid time: {options['at']}") from exc
            if moment.hour == moment.minute == 0 and "T" not in options["at"]:
                moment = moment.replace(hour=23, minute=59)
            round_.deadline = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
            round_.save(update_fields=["deadline"])
            self.stdout.write(f"Hạn nộp kỳ {round_.code}: {timezone.localtime(round_.deadline):%H:%M %d/%m/%Y}")
        else:
            self._move(round_, Action(action), options)

    def _move(self, round_: Round, action: Action, options: dict[str, Any]) -> None:
        dataset = Dataset.objects.filter(code=options["dataset"]).first()
        unit = Unit.objects.filter(code=options["unit"]).first()
        if dataset is None or unit is None:
            raise CommandError("Không có bộ số liệu hoặc đơn vị đó / no such dataset or unit")
        who = command_line_principal(options["user"])
        result = act(round_, dataset, unit, action, who, options["reason"])
        if isinstance(result, Refusal):
            raise CommandError(f"{result.vi} / {result.en}")
        self.stdout.write(f"{round_.code} {dataset.code} {unit.code}: {result.status}")
