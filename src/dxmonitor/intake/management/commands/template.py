from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.accounts.scope import subtree
from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.rounds import RoundCodeError, check_round_code, round_days, round_end, round_name
from dxmonitor.catalogue.tree import dataset_units
from dxmonitor.intake.templates import write_template


class Command(BaseCommand):
    help = "Xuất biểu mẫu Excel của một bộ số liệu cho một kỳ / write a dataset's XLSX template for a round"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dataset", required=True)
        parser.add_argument("--round", required=True)
        parser.add_argument("--unit", default=None, help="chỉ các dòng của đơn vị này và đơn vị trực thuộc")
        parser.add_argument("--out", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        catalogue = require_initialised()
        dataset = catalogue.datasets.get(options["dataset"])
        if dataset is None:
            known = ", ".join(catalogue.datasets)
            raise CommandError(f"Không có bộ số liệu '{options['dataset']}' (có: {known}) / no such dataset")
        code = options["round"]
        try:
            check_round_code(code)
        except RoundCodeError as exc:
            raise CommandError(str(exc)) from exc
        units = dataset_units(dataset.units, catalogue, round_days(code))
        if options["unit"]:
            if options["unit"] not in catalogue.units:
                raise CommandError(f"Không có đơn vị '{options['unit']}' / no unit '{options['unit']}'")
            scope = subtree(options["unit"], {u.code: u.parent for u in catalogue.units.values()})
            units = [u for u in units if u in scope]
            if not units:
                raise CommandError(f"Đơn vị '{options['unit']}' không thuộc bộ số liệu này / not in this dataset")
        suffix = f"-{options['unit']}" if options["unit"] else ""
        out = options["out"] or Path(f"bieu-mau-{dataset.code}-{code}{suffix}.xlsx")
        write_template(out, dataset, catalogue, code, round_name(code), round_end(code), units)
        self.stdout.write(str(out))
