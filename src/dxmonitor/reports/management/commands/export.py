from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.models import Round
from dxmonitor.reports.export import FORMATS, export_rows, write_export
from dxmonitor.reports.generate import round_context


class Command(BaseCommand):
    help = "Xuất mọi số liệu của kỳ kèm đánh giá / export every value of a round with its evaluation"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", required=True)
        parser.add_argument("--format", default="csv", choices=FORMATS)
        parser.add_argument("--out", type=Path, default=None, help="tệp ghi ra (mặc định: màn hình)")
        parser.add_argument("--baseline", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        require_initialised()
        round_ = Round.objects.filter(code=options["round"]).first()
        if round_ is None:
            raise CommandError(f"Không có kỳ báo cáo '{options['round']}' / no round '{options['round']}'")
        baseline = (
            Round.objects.filter(code=options["baseline"]).first()
            if options["baseline"]
            else round_.effective_baseline()
        )
        rows = export_rows(round_context(round_, baseline))
        if options["format"] == "xlsx" and options["out"] is None:
            raise CommandError("XLSX cần --out TỆP / XLSX needs --out FILE")
        write_export(rows, options["format"], options["out"] or self.stdout)
        if options["out"]:
            self.stderr.write(f"{len(rows)} dòng / rows → {options['out']}")
