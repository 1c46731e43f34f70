"""Is a round complete enough to issue its report without a reason? One small function, so that the definition of
completeness it reads from can be switched in one place."""

from __future__ import annotations

from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.models import Round
from dxmonitor.intake.submissions import reporting_status


def missing_units(round_: Round) -> list[str]:
    """The codes of the units that have not submitted every dataset they report this round, in catalogue order."""
    catalogue = get_catalogue()
    missing = {code for row in reporting_status(round_, catalogue) for code in row.missing}
    return [code for code in catalogue.units if code in missing]


def first_names(codes: list[str], shown: int = 8) -> tuple[list[str], int]:
    """The names of the first `shown` units, and how many more there are."""
    units = get_catalogue().units
    names = [units[c].name if c in units else c for c in codes[:shown]]
    return names, len(codes) - len(names)
