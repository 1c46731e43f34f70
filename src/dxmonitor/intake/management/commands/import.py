from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.accounts.cli import command_line_principal
from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.rounds import round_name
from dxmonitor.intake.locks import Busy
from dxmonitor.intake.models import Source
from dxmonitor.intake.service import Writer, read_files, write


class Command(BaseCommand):
    help = (
        "Nhập tệp số liệu (CSV, XLSX) vào một kỳ báo cáo, tất cả hoặc không / import submission files, all or nothing"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--round", required=True, help="mã kỳ báo cáo, ví dụ 2022-06")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và cho biết sẽ thay đổi gì")
        parser.add_argument(
            "--user",
            default=None,
            help="nhập với tư cách người dùng này, trong phạm vi đơn vị của họ (mặc định: quản trị dòng lệnh)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        catalogue = require_initialised()
        writer = Writer(command_line_principal(options["user"]), Source.FILE)
        plan = read_files(options["paths"], options["round"], catalogue)
        try:
            # the operator at the console may open a round by importing into it; a named user may not, as on the web
            operator = not options["user"]
            result = write(plan, catalogue, writer, dry_run=options["dry_run"], create_round=operator)
        except Busy as exc:
            raise CommandError(f"{exc.vi} / {exc.en}") from exc
        for problem in plan.warnings:
            self.stderr.write(str(problem))
        if result.summary is None:
            for problem in plan.errors:
                self.stderr.write(str(problem))
            self.stderr.write(
                self.style.ERROR(
                    f"Không nhập gì: {len(plan.errors)} lỗi. / Nothing imported: {len(plan.errors)} error(s)."
                )
            )
            sys.exit(1)
        summary = result.summary
        created = " (kỳ mới / new round)" if summary.round_created else ""
        if summary.round_created:
            self.stdout.write(self._opened(plan.round_code, options["dry_run"]))
        if options["dry_run"]:
            self.stdout.write(f"Thử (không ghi) / dry run — kỳ {plan.round_code}{created}: {summary.line()}")
            for planned, old in summary.changed:
                self.stdout.write(
                    f"  {planned.indicator} {planned.unit} {planned.category} {planned.window}: "
                    f"{old.normalize():f} → {planned.value.normalize():f}"
                )
            return
        self.stdout.write(
            f"Đã nhập kỳ {plan.round_code}{created} ({writer.name}): {summary.line()}; "
            f"{len(plan.warnings)} cảnh báo / warning(s)"
        )

    def _opened(self, code: str, dry_run: bool) -> str:
        """What the operator's import opened: the round, its baseline and the datasets it collects."""
        if dry_run:  # rolled back: said as what the import would open
            return (
                f"Sẽ mở kỳ mới {round_name(code)} ({code}) / would open the new round {code} "
                "(quản trị dòng lệnh / the operator)"
            )
        round_ = Round.objects.get(code=code)
        baseline = round_.baseline.code if round_.baseline else "—"
        datasets = ", ".join(sorted(d.code for d in round_.datasets.all())) or "—"
        return (
            f"Đã mở kỳ mới {round_.name} ({code}), so sánh với {baseline}, thu thập: {datasets} / "
            f"opened the new round {code}, compared with {baseline}, collecting: {datasets}"
        )
