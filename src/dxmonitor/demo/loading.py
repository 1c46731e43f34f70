"""Load the demo rounds shipped with dxmonitor: each is opened (collecting the datasets it holds figures of), its
figures written through the one write path, and given the number and date of the report issued for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from dxmonitor.catalogue.models import Round
    from dxmonitor.intake.planning import ImportPlan
    from dxmonitor.problems import Problem

DEMO_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class DemoRound:
    code: str
    file: Path
    report_number: str
    report_date: date
    signer_name: str = ""  # the seeds print no signer's name: the demo's is made up, and says so


def demo_rounds() -> list[DemoRound]:
    spec = yaml.safe_load((DEMO_DIR / "rounds.yaml").read_text(encoding="utf-8"))
    return [
        DemoRound(r["code"], DEMO_DIR / r["file"], r["report_number"], r["report_date"], r.get("signer_name", ""))
        for r in spec["rounds"]
    ]


def open_demo_round(demo: DemoRound, plan: ImportPlan, by: str = "demo") -> Round:
    """The demo round, opened if new, collecting the datasets units send that hold its planned figures."""
    from dxmonitor.catalogue.models import Dataset, Round
    from dxmonitor.catalogue.round_store import open_round

    found = Round.objects.filter(code=demo.code).first()
    if found is not None:
        return found
    indicators = {v.indicator for v in plan.values}
    held = Dataset.objects.filter(indicators__code__in=indicators).exclude(spec__computed=True).distinct()
    return open_round(demo.code, by, datasets=held, reason="dxmonitor demo")


def mark_issued(demo: DemoRound) -> None:
    """Give the imported round the number and date of the report issued for it (saved, so kept pages drop)."""
    from dxmonitor.catalogue.models import Round

    round_ = Round.objects.get(code=demo.code)
    round_.report_number, round_.report_date = demo.report_number, demo.report_date
    round_.save(update_fields=["report_number", "report_date"])


def name_the_signer(demo: DemoRound) -> str:
    """Give the round the demo's signer's name unless one was set (an admin may have set it on the round's page);
    return the name it now has."""
    from dxmonitor.catalogue.models import Round

    round_ = Round.objects.get(code=demo.code)
    if not round_.issuer_signer_name and demo.signer_name:
        round_.issuer_signer_name = demo.signer_name
        round_.save(update_fields=["issuer_signer_name"])
    return round_.issuer_signer_name


def demo_sections(code: str) -> Path:
    """The folder of the written sections of demo round `code`: short texts of dxmonitor's own, not the seeds'."""
    return DEMO_DIR / "editorial" / code


def load_demo_sections(demo: DemoRound, by: str = "demo") -> list[Problem]:
    """Store the demo round's written sections (a version is added only when a text changed); their problems."""
    from dxmonitor.catalogue.models import Round
    from dxmonitor.editorial.store import import_folder

    folder = demo_sections(demo.code)
    if not folder.is_dir():
        return []
    return import_folder(Round.objects.get(code=demo.code), folder, by).problems
