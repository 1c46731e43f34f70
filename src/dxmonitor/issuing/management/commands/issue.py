from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.accounts.cli import command_line_principal
from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.rounds import round_argument
from dxmonitor.intake.locks import Busy
from dxmonitor.issuing.service import FORMATS, folder_of, issue
from dxmonitor.issuing.signing import SigningError
from dxmonitor.publishing.jobs import Refusal
from dxmonitor.reports.generate import ReportError


class Command(BaseCommand):
    help = "Ban hành báo cáo của một kỳ: số, ngày, ký số, lưu bất biến / issue a round's report: numbered, signed, kept"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", required=True, type=round_argument)
        parser.add_argument(
            "--reason",
            default="",
            help="lý do (đính chính …; bắt buộc khi kỳ chưa đủ số liệu) / why (a correction; required if incomplete)",
        )
        parser.add_argument("--user", default=None, help="người ban hành (quản trị) / issuing user (an admin)")
        parser.add_argument("--format", default=",".join(FORMATS), help="docx,html,pdf")
        parser.add_argument("--date", default=None, help="ngày ban hành YYYY-MM-DD (mặc định hôm nay) / issue date")

    def handle(self, *args: Any, **options: Any) -> None:
        require_initialised()
        code = options["round"]
        round_ = Round.objects.filter(code=code).first()
        if round_ is None:
            raise CommandError(f"Không có kỳ báo cáo '{code}' / no round '{code}'")
        principal = command_line_principal(options["user"])
        if not principal.is_admin:
            raise CommandError("Chỉ quản trị ban hành báo cáo / only an admin issues a report")
        formats = tuple(f.strip().lower() for f in options["format"].split(",") if f.strip())
        unknown = [f for f in formats if f not in FORMATS]
        if unknown or not formats:
            raise CommandError(f"Định dạng không hỗ trợ / unsupported format: {', '.join(unknown)} (docx, html, pdf)")
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ / invalid date: {options['date']}") from exc
        try:
            record = issue(round_, principal.name, options["reason"], formats, day)
        except Refusal as refusal:
            hint = ' (--reason "…")' if refusal.field == "reason" else ""
            raise CommandError(f"{refusal.vi}{hint} / {refusal.en}{hint}") from refusal
        except (ReportError, SigningError) as exc:
            raise CommandError(f"{exc.vi} / {exc.en}") from exc
        except Busy as exc:
            raise CommandError(f"{exc.vi} / {exc.en}") from exc
        replaced = f", thay thế / replaces v{record.replaces.version}" if record.replaces else ""
        self.stdout.write(
            f"Đã ban hành / issued {record.number} ngày / dated {record.date:%d/%m/%Y} v{record.version}{replaced}"
        )
        if record.missing_units:
            self.stdout.write(
                f"Ban hành khi {len(record.missing_units)} đơn vị chưa nộp, lý do / issued with "
                f"{len(record.missing_units)} unit(s) not reported, reason: {record.reason}"
            )
        folder = folder_of(record)
        for entry in record.files:
            self.stdout.write(f"{folder / entry['name']}  sha256 {entry['sha256']}")
