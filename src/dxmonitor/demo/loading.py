"""Load the demo rounds shipped with dxmonitor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

DEMO_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class DemoRound:
    code: str
    file: Path
    report_number: str
    report_date: date


def demo_rounds() -> list[DemoRound]:
    spec = yaml.safe_load((DEMO_DIR / "rounds.yaml").read_text(encoding="utf-8"))
    return [DemoRound(r["code"], DEMO_DIR / r["file"], r["report_number"], r["report_date"]) for r in spec["rounds"]]


def mark_issued(demo: DemoRound) -> None:
    """Give the imported round the number and date of the report issued for it (saved, so kept pages drop)."""
    from dxmonitor.catalogue.models import Round

    round_ = Round.objects.get(code=demo.code)
    round_.report_number, round_.report_date = demo.report_number, demo.report_date
    round_.save(update_fields=["report_number", "report_date"])
