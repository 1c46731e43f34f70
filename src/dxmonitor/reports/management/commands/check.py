from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.catalogue.current import require_initialised
from dxmonitor.evaluation.checks import run_checks
from dxmonitor.problems import SEVERITY_VI, Severity
from dxmonitor.reports.generate import ReportError, history_of, round_and_baseline, round_context


class Command(BaseCommand):
    help = "Kiểm tra chất lượng số liệu của kỳ / data-quality checks of a round (exit 1 when any is an error)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", required=True)
        parser.add_argument("--baseline", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        require_initialised()
        try:
            round_, baseline = round_and_baseline(options["round"], options["baseline"])
        except ReportError as exc:
            raise CommandError(f"{exc.vi} / {exc.en}") from exc
        ctx = round_context(round_, baseline)
        findings = run_checks(ctx, history_of(round_))
        for f in findings:
            where = " · ".join(
                x for x in (f.dataset, ctx.unit(f.unit).name if f.unit else "", f.indicator, f.category) if x
            )
            self.stdout.write(f"[{SEVERITY_VI[f.severity]}] {where}: {f.message_vi} — {f.figures} ({f.check})")
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        self.stdout.write(f"{len(findings)} phát hiện / findings, {errors} lỗi / errors")
        if errors:
            sys.exit(1)
