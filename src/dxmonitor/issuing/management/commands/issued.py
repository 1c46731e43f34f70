from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.rounds import round_argument
from dxmonitor.issuing.diff import diff_rows
from dxmonitor.issuing.models import IssuedReport
from dxmonitor.issuing.snapshot import figures_of
from dxmonitor.publishing.readiness import first_names


class Command(BaseCommand):
    help = "Các phiên bản đã ban hành của một kỳ / a round's issued versions: number, date, signer, reason, hashes"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", required=True, type=round_argument)
        parser.add_argument(
            "--compare",
            nargs=2,
            metavar=("A", "B"),
            default=None,
            help="số liệu đổi giữa hai phiên bản (B: số hoặc now) / figures changed between versions A and B (or now)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        require_initialised()
        code = options["round"]
        round_ = Round.objects.filter(code=code).first()
        if round_ is None:
            raise CommandError(f"Không có kỳ báo cáo '{code}' / no round '{code}'")
        listed = IssuedReport.objects.filter(round=round_)
        versions = listed.filter(state=IssuedReport.State.ISSUED).select_related("replaces")
        if not listed:
            self.stdout.write(f"Kỳ {code} chưa ban hành báo cáo / round {code} has no issued report")
            return
        if options["compare"]:
            self._compare(round_, {str(r.version): r for r in versions}, *options["compare"])
            return
        for record in listed.select_related("replaces"):
            at = timezone.localtime(record.issued_at).strftime("%d/%m/%Y %H:%M")
            if record.state == IssuedReport.State.RESERVED:  # being made now, or its process died: never silent
                self.stdout.write(
                    f"v{record.version} {record.number} đang lập tệp / files being made (từ / since {at}, "
                    f"bởi / by {record.issued_by})"
                )
                continue
            if record.state == IssuedReport.State.FAILED:
                self.stdout.write(
                    f"v{record.version} {record.number} KHÔNG ban hành được / NOT issued (lúc / at {at}, "
                    f"bởi / by {record.issued_by}): {record.error}"
                )
                continue
            replaced = f" thay thế / replaces v{record.replaces.version}" if record.replaces else ""
            self.stdout.write(
                f"v{record.version} {record.number} ngày / dated {record.date:%d/%m/%Y} "
                f"ký / signer: {record.signer or '-'}; ban hành lúc / issued at {at} "
                f"bởi / by {record.issued_by}{replaced}"
            )
            if record.reason:
                self.stdout.write(f"  lý do / reason: {record.reason}")
            if record.missing_units:
                names, more = first_names(record.missing_units)
                listed_names = ", ".join(names) + (f" +{more}" if more else "")
                self.stdout.write(
                    f"  chưa đủ số liệu / incomplete: {len(record.missing_units)} đơn vị chưa nộp / unit(s) not "
                    f"reported ({listed_names})"
                )
            for entry in record.files:
                self.stdout.write(f"  {entry['name']} sha256 {entry['sha256']}")

    def _compare(self, round_: Round, versions: dict[str, IssuedReport], first: str, second: str) -> None:
        def rows_of(name: str) -> list[dict[str, str]]:
            if name == "now":
                return figures_of(round_)
            record = versions.get(name.lstrip("v"))
            if record is None:
                raise CommandError(
                    f"Không có phiên bản {name} / no issued version {name} (có / have: {', '.join(versions)})"
                )
            return record.snapshot  # type: ignore[no-any-return]

        changes = diff_rows(rows_of(first), rows_of(second))
        for change in changes:
            indicator, unit, category, as_of = change.key
            where = f"{indicator} {unit}{' ' + category if category else ''} {as_of}"
            before = ", ".join(f"{k}={v}" for k, v in change.before.items() if v) or "-"
            after = ", ".join(f"{k}={v}" for k, v in change.after.items() if v) or "-"
            self.stdout.write(f"{change.kind} {where}: {before} -> {after}")
        self.stdout.write(f"{len(changes)} số liệu khác nhau / figure(s) differ ({first} -> {second})")
