"""Is a round complete enough to issue its report without a reason? Asked of the one definition of completeness
(`intake/completeness.py`), the one the dashboard, the status page, the API and the report count with."""

from __future__ import annotations

from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.models import Round
from dxmonitor.intake.completeness import missing


def missing_units(round_: Round) -> list[str]:
    """The codes of the units that have not submitted every dataset they report this round, in catalogue order."""
    catalogue = get_catalogue()
    waiting = {unit for _, unit in missing(round_)}
    return [code for code in catalogue.units if code in waiting]


def first_names(codes: list[str], shown: int = 8) -> tuple[list[str], int]:
    """The names of the first `shown` units, and how many more there are."""
    units = get_catalogue().units
    names = [units[c].name if c in units else c for c in codes[:shown]]
    return names, len(codes) - len(names)
