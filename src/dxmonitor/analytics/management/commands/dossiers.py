"""`dxmonitor dossiers generate|compute`: synthetic dossier records, and a round's indicators computed from records."""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dxmonitor.accounts.cli import command_line_principal
from dxmonitor.analytics.compute import Outcome, Period, compute
from dxmonitor.analytics.engine import ENGINES, EngineError, connect
from dxmonitor.analytics.generate import Plan, generate
from dxmonitor.analytics.store import store_figures
from dxmonitor.analytics.tree import round_tree
from dxmonitor.catalogue.current import get_catalogue, require_initialised
from dxmonitor.catalogue.rounds import RoundCodeError, check_round_code, round_end
from dxmonitor.intake.locks import Busy

STAGES = {
    "procedures": "Đọc thủ tục / reading procedures",
    "dossiers": "Đọc hồ sơ / reading dossiers",
    "compute": "Tính chỉ tiêu / computing",
}


def _month(text: str) -> date:
    try:
        year, month = check_round_code(text)
    except RoundCodeError as exc:
        raise CommandError(str(exc)) from exc
    return date(year, month, 1)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"'{text}' phải có dạng YYYY-MM-DD / must look like YYYY-MM-DD") from exc


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=False
    )


class Command(BaseCommand):
    help = "Chỉ tiêu dịch vụ công tính từ hồ sơ TTHC / public-service indicators computed from dossier records"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        gen = actions.add_parser("generate", help="tạo dữ liệu hồ sơ giả lập / write synthetic dossier records")
        gen.add_argument("--rows", type=int, required=True, help="số hồ sơ / number of dossiers")
        gen.add_argument("--out", type=Path, required=True, help="thư mục ghi procedures.parquet, dossiers.parquet")
        gen.add_argument("--start", type=_month, default=date(2022, 1, 1), help="tháng đầu / first month, YYYY-MM")
        gen.add_argument("--months", type=int, default=12, help="số tháng / number of months (12)")
        gen.add_argument("--tree", type=_day, default=date(2022, 6, 30), help="cây đơn vị ngày / unit tree of the day")
        gen.add_argument("--seed", type=int, default=2022)
        run = actions.add_parser("compute", help="tính chỉ tiêu một kỳ từ hồ sơ / compute a round from the records")
        run.add_argument("--procedures", type=Path, required=True, help="tệp thủ tục (CSV, Parquet)")
        run.add_argument("--dossiers", type=Path, nargs="+", required=True, help="tệp hồ sơ (CSV, Parquet)")
        run.add_argument("--round", required=True, help="mã kỳ, ví dụ 2022-06 / round code")
        run.add_argument("--engine", choices=ENGINES, default="duckdb")
        run.add_argument("--spark-master", default=None, help="URL của cụm Spark (mặc định local[*])")
        run.add_argument("--mapping", type=Path, default=None, help="tệp ánh xạ cột (YAML) / column-mapping file")
        run.add_argument("--work-dir", type=Path, default=None, help="thư mục tạm (trên cụm: thư mục dùng chung)")
        run.add_argument("--dry-run", action="store_true", help="chỉ cho biết sẽ thay đổi gì / only show changes")
        run.add_argument(
            "--user", default=None, help="ghi với tư cách người dùng này (mặc định: quản trị dòng lệnh) / write as"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "generate":
            self._generate(options)
        else:
            self._compute(options)

    def _generate(self, options: dict[str, Any]) -> None:
        if options["rows"] < 1 or options["months"] < 1:
            raise CommandError("--rows và --months phải lớn hơn 0 / --rows and --months must be above 0")
        plan = Plan(options["rows"], options["start"], options["months"], options["tree"], options["seed"])
        with _progress() as progress:
            task = progress.add_task("Ghi hồ sơ / writing dossiers", total=plan.rows)
            paths = generate(get_catalogue(), plan, options["out"], lambda n: progress.advance(task, n))
        for path in paths:
            self.stdout.write(f"  {path}")

    def _compute(self, options: dict[str, Any]) -> None:
        catalogue = require_initialised()
        who = command_line_principal(options["user"])  # before the long computation: an unknown user fails at once
        code = options["round"]
        period = Period.of_month(_month(code))
        missing = [p for p in [options["procedures"], *options["dossiers"]] if not p.is_file()]
        if missing:
            raise CommandError("Không có tệp / no such file: " + ", ".join(str(p) for p in missing))
        tree = round_tree(catalogue, round_end(code))
        try:
            con = connect(options["engine"], options["spark_master"])
        except EngineError as exc:
            raise CommandError(f"{exc.vi} / {exc.en}") from exc
        with tempfile.TemporaryDirectory(prefix="dxmonitor-dossiers-", dir=options["work_dir"]) as work:
            outcome = self._run(con, options, tree, period, Path(work))
        for problem in outcome.problems:
            self.stderr.write(str(problem))
        if not outcome.ok:
            self.stderr.write(self.style.ERROR("Không ghi gì / nothing written."))
            sys.exit(1)
        names = ", ".join(p.name for p in options["dossiers"])
        ref = f"dossiers {options['engine']}: {names}"
        try:
            plan, summary = store_figures(
                outcome.figures, code, period, catalogue, who=who, ref=ref, dry_run=options["dry_run"]
            )
        except Busy as exc:
            raise CommandError(f"{exc.vi} / {exc.en}") from exc
        if summary is None:
            for problem in plan.errors:
                self.stderr.write(str(problem))
            self.stderr.write(self.style.ERROR("Không ghi gì / nothing written."))
            sys.exit(1)
        rows = ", ".join(f"{table} {count:,}".replace(",", ".") for table, count in outcome.rows.items())
        verb = "Thử (không ghi) / dry run" if options["dry_run"] else "Đã ghi / stored"
        self.stdout.write(f"Đã đọc / read: {rows}; {len(outcome.figures)} số liệu / figures")
        self.stdout.write(f"{verb} — kỳ {code}: {summary.line()}")

    def _run(
        self, con: Any, options: dict[str, Any], tree: dict[str, str | None], period: Period, work: Path
    ) -> Outcome:
        """The computation under a progress display: rows read of each table, then the computation itself."""
        files = options["dossiers"]
        known_total = sum(pq.ParquetFile(p).metadata.num_rows for p in files) if all(map(_parquet, files)) else None
        with _progress() as progress:
            tasks: dict[str, Any] = {}
            done: dict[str, int] = {}

            def finish(stage: str) -> None:
                progress.update(tasks[stage], total=max(done[stage], 1), completed=max(done[stage], 1))

            def advance(stage: str, rows: int) -> None:
                if stage not in tasks:
                    for earlier in tasks:
                        finish(earlier)
                    tasks[stage] = progress.add_task(STAGES[stage], total=known_total if stage == "dossiers" else None)
                    done[stage] = 0
                done[stage] += rows
                progress.advance(tasks[stage], rows)

            outcome = compute(con, options["procedures"], files, tree, period, work, options["mapping"], advance)
            for stage in tasks:
                finish(stage)
        return outcome


def _parquet(path: Path) -> bool:
    return path.suffix.lower() in (".parquet", ".pq")
