from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.core.management.commands import check as system_check

from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.rounds import round_argument
from dxmonitor.evaluation.checks import run_checks
from dxmonitor.problems import SEVERITY_VI, Severity
from dxmonitor.reports.generate import ReportError, history_of, round_and_baseline, round_context


class Command(system_check.Command):
    """`check --round CODE`: a round's data-quality findings. Without --round it is Django's own system check (this
    command has its name, so it takes its place): `dxmonitor check --deploy` checks the settings of a deployment."""

    help = (
        "Kiểm tra chất lượng số liệu của kỳ (--round; thoát với mã 1 khi có lỗi); không có --round: kiểm tra hệ thống "
        "của Django (--deploy cho cấu hình triển khai) / data-quality checks of a round (--round; exit 1 when any is "
        "an error); without --round: Django's system checks (--deploy for a deployment's settings)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--round", type=round_argument, help="kỳ báo cáo / round code, YYYY-MM")
        parser.add_argument(
            "--baseline",
            type=round_argument,
            default=None,
            help="kỳ so sánh / baseline round (default: the round's own)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["round"]:
            if options["baseline"]:
                raise CommandError("--baseline cần --round / --baseline needs --round")
            super().handle(*args, **options)
            return
        self.round_findings(options["round"], options["baseline"])

    def round_findings(self, code: str, baseline_code: str | None) -> None:
        """Print the round's findings and exit 1 when any is an error."""
        require_initialised()
        try:
            round_, baseline = round_and_baseline(code, baseline_code)
        except ReportError as exc:
            raise CommandError(f"{exc.vi} / {exc.en}") from exc
        ctx = round_context(round_, baseline)
        findings = run_checks(ctx, history_of(round_))
        for f in findings:
            where = " · ".join(
                x for x in (f.dataset, ctx.unit(f.unit).name if f.unit else "", f.indicator, f.category) if x
            )
            self.stdout.write(f"[{SEVERITY_VI[f.severity]}] {where}: {f.message} — {f.figures} ({f.check})")
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        self.stdout.write(f"{len(findings)} phát hiện / findings, {errors} lỗi / errors")
        if errors:
            sys.exit(1)
