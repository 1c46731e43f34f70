from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.models import Round
from dxmonitor.evaluation.checks import run_checks
from dxmonitor.problems import SEVERITY_VI, Severity
from dxmonitor.reports.generate import round_context


class Command(BaseCommand):
    help = "Kiểm tra chất lượng số liệu của kỳ / data-quality checks of a round (exit 1 when any is an error)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", required=True)
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
        ctx = round_context(round_, baseline)
        findings = run_checks(ctx)
        for f in findings:
            where = " · ".join(
                x for x in (f.dataset, ctx.unit(f.unit).name if f.unit else "", f.indicator, f.category) if x
            )
            self.stdout.write(f"[{SEVERITY_VI[f.severity]}] {where}: {f.message_vi} — {f.figures} ({f.check})")
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        self.stdout.write(f"{len(findings)} phát hiện / findings, {errors} lỗi / errors")
        if errors:
            sys.exit(1)
