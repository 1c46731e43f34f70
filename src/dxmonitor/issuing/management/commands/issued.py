from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.rounds import round_argument
from dxmonitor.issuing.models import IssuedReport


class Command(BaseCommand):
    help = "Các phiên bản đã ban hành của một kỳ / a round's issued versions: number, date, signer, reason, hashes"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", required=True, type=round_argument)

    def handle(self, *args: Any, **options: Any) -> None:
        require_initialised()
        code = options["round"]
        round_ = Round.objects.filter(code=code).first()
        if round_ is None:
            raise CommandError(f"Không có kỳ báo cáo '{code}' / no round '{code}'")
        versions = IssuedReport.objects.filter(round=round_, state=IssuedReport.State.ISSUED).select_related("replaces")
        if not versions:
            self.stdout.write(f"Kỳ {code} chưa ban hành báo cáo / round {code} has no issued report")
            return
        for record in versions:
            at = timezone.localtime(record.issued_at).strftime("%d/%m/%Y %H:%M")
            replaced = f" thay thế / replaces v{record.replaces.version}" if record.replaces else ""
            self.stdout.write(
                f"v{record.version} {record.number} ngày / dated {record.date:%d/%m/%Y} "
                f"ký / signer: {record.signer or '-'}; ban hành lúc / issued at {at} "
                f"bởi / by {record.issued_by}{replaced}"
            )
            if record.reason:
                self.stdout.write(f"  lý do / reason: {record.reason}")
            for entry in record.files:
                self.stdout.write(f"  {entry['name']} sha256 {entry['sha256']}")
