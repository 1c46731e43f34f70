from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.accounts.cli import operator
from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.rounds import round_argument
from dxmonitor.publishing.jobs import Refusal, new_job
from dxmonitor.publishing.models import Job
from dxmonitor.publishing.run import run_report


class Command(BaseCommand):
    help = "Xuất báo cáo chuyên đề của một kỳ / write a round's thematic report (DOCX, HTML, PDF)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", required=True, type=round_argument)
        parser.add_argument("--format", default="docx,html,pdf", help="docx,html,pdf")
        parser.add_argument("--out", type=Path, default=None, help="thư mục ghi tệp (mặc định out/)")
        parser.add_argument("--baseline", type=round_argument, default=None, help="kỳ so sánh (mặc định: kỳ trước)")
        parser.add_argument("--number", default=None, help='số báo cáo, ví dụ "02/BC-STTTT"')
        parser.add_argument("--date", default=None, help="ngày ban hành, YYYY-MM-DD")
        parser.add_argument(
            "--sections",
            type=Path,
            default=None,
            help="thư mục các mục viết bằng Markdown (01-goc-chia-se.md, …) / a folder of the written sections",
        )
        parser.add_argument(
            "--layout",
            choices=["administrative", "bulletin"],
            default=None,
            help="administrative: báo cáo theo Nghị định 30/2020; bulletin: bản tin có bìa và mục lục "
            "(mặc định: theo mẫu báo cáo) / the Nghị định 30 report or the bulletin (default: as the outline says)",
        )
        parser.add_argument(
            "--incomplete-reason",
            default="",
            help="lý do lập báo cáo khi kỳ chưa đủ số liệu (được ghi lại) / why to issue an incomplete round's report",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        require_initialised()
        try:
            issued_on = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ / invalid date: {options['date']}") from exc
        formats = [f.strip().lower() for f in options["format"].split(",") if f.strip()]
        extra = {
            "baseline_code": options["baseline"],
            "number": options["number"],
            "issued_on": issued_on,
            "sections_dir": options["sections"],
            "layout": options["layout"],
        }
        code = options["round"]
        round_ = Round.objects.filter(code=code).first()
        if round_ is None:
            raise CommandError(f"Không có kỳ báo cáo '{code}' / no round '{code}'")
        if options["sections"] is not None:
            from dxmonitor.editorial.report import folder_problems

            problems = folder_problems(round_, options["sections"])
            if problems:
                raise CommandError("\n".join(str(p) for p in problems))
        # The same checks and record as a report asked for on the web, run here rather than by the worker.
        try:
            job = new_job(round_, formats, operator().name, Job.Via.CLI, options["incomplete_reason"])
        except Refusal as refusal:
            hint = ' (--incomplete-reason "…")' if refusal.field == "incomplete_reason" else ""
            raise CommandError(f"{refusal.vi}{hint} / {refusal.en}{hint}") from refusal
        job = run_report(job.pk, out_dir=options["out"], **extra)
        if job.state != Job.State.DONE:
            raise CommandError(f"{job.error_vi} / {job.error_en}")
        folder = (options["out"] or settings.REPORTS_DIR).resolve()
        for name in job.files:
            self.stdout.write(str(folder / name))
