from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.rounds import round_argument
from dxmonitor.reports.generate import ReportError, generate


class Command(BaseCommand):
    help = "Xuất báo cáo chuyên đề của một kỳ / write a round's thematic report (DOCX, HTML, PDF)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", required=True, type=round_argument)
        parser.add_argument("--format", default="docx,html,pdf", help="docx,html,pdf")
        parser.add_argument("--out", type=Path, default=None, help="thư mục ghi tệp (mặc định out/)")
        parser.add_argument("--baseline", type=round_argument, default=None, help="kỳ so sánh (mặc định: kỳ trước)")
        parser.add_argument("--number", default=None, help='số báo cáo, ví dụ "02/BC-STTTT"')
        parser.add_argument("--date", default=None, help="ngày ban hành, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        require_initialised()
        try:
            issued_on = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ / invalid date: {options['date']}") from exc
        formats = [f.strip().lower() for f in options["format"].split(",") if f.strip()]
        try:
            paths = generate(
                options["round"],
                formats,
                options["out"] or settings.REPORTS_DIR,
                baseline_code=options["baseline"],
                number=options["number"],
                issued_on=issued_on,
            )
        except ReportError as exc:
            raise CommandError(f"{exc.vi} / {exc.en}") from exc
        for path in paths:
            self.stdout.write(str(path))
