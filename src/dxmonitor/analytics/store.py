"""The one place computed figures are written: as values of the round with source "computed", through the same
plan, checks and history as an import (a recomputation replaces the figures and keeps the old ones in history)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from dxmonitor.analytics.compute import Period
from dxmonitor.analytics.figures import Figure
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.intake.long_format import LongRecord
from dxmonitor.intake.models import Source
from dxmonitor.intake.planning import ImportPlan, plan_records
from dxmonitor.intake.service import guard
from dxmonitor.intake.store import ImportSummary, apply_plan, compare
from dxmonitor.problems import Location

REF_LENGTH = 200  # Value.source_ref holds 255 characters, and ":row" follows


def store_figures(
    figures: Iterable[Figure],
    round_code: str,
    period: Period,
    catalogue: Catalogue,
    *,
    user: str,
    ref: str,
    dry_run: bool = False,
) -> tuple[ImportPlan, ImportSummary | None]:
    """Plan the figures as values of the round over `period` (every check of an import: units, locks, rules) and,
    when the plan is clean, write them with source "computed" (`dry_run`: only say what would change)."""
    last_day = (period.end - timedelta(days=1)).date()
    window = f"{period.start.date().isoformat()}/{last_day.isoformat()}"
    ref = ref[:REF_LENGTH]
    records = [
        LongRecord(Location(file=ref, row=number), {}, f.unit, f.indicator, f.value, "", window, f.note, "")
        for number, f in enumerate(figures, start=1)
    ]
    plan = guard(plan_records(records, round_code, catalogue), catalogue)
    if not plan.ok:
        return plan, None
    if dry_run:
        return plan, compare(plan)
    return plan, apply_plan(plan, user=user, source=Source.COMPUTED)
