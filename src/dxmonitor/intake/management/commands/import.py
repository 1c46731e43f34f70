from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dxmonitor.catalogue.current import require_initialised
from dxmonitor.intake.service import prepare
from dxmonitor.intake.store import apply_plan, compare


class Command(BaseCommand):
    help = (
        "Nhập tệp số liệu (CSV, XLSX) vào một kỳ báo cáo, tất cả hoặc không / import submission files, all or nothing"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--round", required=True, help="mã kỳ báo cáo, ví dụ 2022-06")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và cho biết sẽ thay đổi gì")
        parser.add_argument("--user", default="", help="người nhập (ghi vào lịch sử)")

    def handle(self, *args: Any, **options: Any) -> None:
        catalogue = require_initialised()
        plan = prepare(options["paths"], options["round"], catalogue)
        for problem in plan.warnings:
            self.stderr.write(str(problem))
        if not plan.ok:
            for problem in plan.errors:
                self.stderr.write(str(problem))
            self.stderr.write(
                self.style.ERROR(
                    f"Không nhập gì: {len(plan.errors)} lỗi. / Nothing imported: {len(plan.errors)} error(s)."
                )
            )
            sys.exit(1)
        if options["dry_run"]:
            summary = compare(plan)
            self.stdout.write(f"Thử (không ghi) / dry run — kỳ {plan.round_code}: {summary.line()}")
            for planned, old in summary.changed:
                self.stdout.write(
                    f"  {planned.indicator} {planned.unit} {planned.category} {planned.window}: "
                    f"{old.normalize():f} → {planned.value.normalize():f}"
                )
            return
        summary = apply_plan(plan, user=options["user"])
        created = " (kỳ mới / new round)" if summary.round_created else ""
        self.stdout.write(
            f"Đã nhập kỳ {plan.round_code}{created}: {summary.line()}; {len(plan.warnings)} cảnh báo / warning(s)"
        )
