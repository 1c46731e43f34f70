from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.catalogue.current import get_catalogue, require_initialised
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.rounds import round_argument
from dxmonitor.evaluation.completeness import Coverage
from dxmonitor.intake.completeness import completeness
from dxmonitor.reports.export import FORMATS, export_rows, write_export
from dxmonitor.reports.generate import ReportError, round_and_baseline, round_context


class Command(BaseCommand):
    help = "Xuất mọi số liệu của kỳ kèm đánh giá / export every value of a round with its evaluation"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", required=True, type=round_argument)
        parser.add_argument("--format", default="csv", choices=FORMATS)
        parser.add_argument("--out", type=Path, default=None, help="tệp ghi ra (mặc định: màn hình)")
        parser.add_argument("--baseline", type=round_argument, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        require_initialised()
        try:
            round_, baseline = round_and_baseline(options["round"], options["baseline"])
        except ReportError as exc:
            raise CommandError(f"{exc.vi} / {exc.en}") from exc
        rows = export_rows(round_context(round_, baseline))
        if options["format"] == "xlsx" and options["out"] is None:
            raise CommandError("XLSX cần --out TỆP / XLSX needs --out FILE")
        write_export(rows, options["format"], options["out"] or self.stdout)
        if options["out"]:
            self.stderr.write(f"{len(rows)} dòng / rows → {options['out']}")
        for line in partial_lines(round_):  # the rows are each unit's own; say which units they lack
            self.stderr.write(line)


def partial_lines(round_: Round) -> list[str]:
    """A line for each dataset of the round that lacks some expected unit's figures: "app_users: 1/12 đơn vị đã báo
    cáo / 1/12 units reported; chưa có / missing: …"."""
    catalogue = get_catalogue()
    lines = []
    for row in completeness(round_, catalogue).datasets:
        if row.without_figures:
            covered = Coverage(tuple(row.expected), tuple(row.with_figures))
            names = ", ".join(catalogue.units[u].short_name for u in row.without_figures)
            lines.append(f"{row.dataset}: {covered.text} / {covered.text_en}; chưa có / missing: {names}")
    return lines
