from __future__ import annotations

import csv
import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.tree import tree_on

COLUMNS = ["code", "name", "kind", "parent", "valid_from", "valid_to", "successors"]


def day_argument(text: str) -> date:
    """YYYY-MM-DD or dd/mm/yyyy, as people write a day."""
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"ngày '{text}' không hợp lệ, hãy viết YYYY-MM-DD hoặc dd/mm/yyyy / invalid day '{text}': "
            "write YYYY-MM-DD or dd/mm/yyyy"
        ) from None


class Command(BaseCommand):
    help = "Cây đơn vị có hiệu lực vào một ngày / the unit tree in force on a day"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", default=None, help="ngày (YYYY-MM-DD hoặc dd/mm/yyyy; mặc định: hôm nay)")
        parser.add_argument("--format", default="table", choices=["table", "csv", "json"])

    def handle(self, *args: Any, **options: Any) -> None:
        day = day_argument(options["on"]) if options["on"] else date.today()
        rows = tree_on(get_catalogue(), day)
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        elif options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(COLUMNS)
            for row in rows:
                writer.writerow([_cell(row[c]) for c in COLUMNS])
        else:
            for row in rows:
                ended = f" → {', '.join(row['successors'])}" if row["successors"] else ""  # type: ignore[arg-type]
                until = f"–{row['valid_to']}" if row["valid_to"] else ""
                self.stdout.write(
                    f"{row['code']:<22} {row['kind']:<11} {row['name']}  ({row['valid_from']}{until}){ended}"
                )
        kinds: dict[str, int] = {}
        for row in rows:
            kinds[str(row["kind"])] = kinds.get(str(row["kind"]), 0) + 1
        summary = ", ".join(f"{n} {k}" for k, n in kinds.items())
        self.stderr.write(f"{len(rows)} đơn vị ngày {day:%d/%m/%Y} / units on {day.isoformat()}: {summary}")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)
