"""The one place computed figures are written: as values of the round with source "computed", through the same
plan, checks and history as an import (a recomputation replaces the figures and keeps the old ones in history)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from dxmonitor.accounts.scope import Principal
from dxmonitor.analytics.compute import Period
from dxmonitor.analytics.figures import Figure
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.intake.long_format import LongRecord
from dxmonitor.intake.models import Source
from dxmonitor.intake.planning import ImportPlan, plan_records
from dxmonitor.intake.service import Writer, write
from dxmonitor.intake.store import ImportSummary
from dxmonitor.problems import Location

REF_LENGTH = 200  # Value.source_ref holds 255 characters, and ":row" follows


def store_figures(
    figures: Iterable[Figure],
    round_code: str,
    period: Period,
    catalogue: Catalogue,
    *,
    who: Principal,
    ref: str,
    dry_run: bool = False,
) -> tuple[ImportPlan, ImportSummary | None]:
    """Plan the figures as values of the round over `period` and write them with source "computed" through the one
    write path (the writer's scope, locks, days, rules, history; `dry_run`: only say what would change).
    Raises `intake.locks.Busy` when another write holds the same units too long."""
    last_day = (period.end - timedelta(days=1)).date()
    window = f"{period.start.date().isoformat()}/{last_day.isoformat()}"
    ref = ref[:REF_LENGTH]
    records = [
        LongRecord(Location(file=ref, row=number), {}, f.unit, f.indicator, f.value, "", window, f.note, "")
        for number, f in enumerate(figures, start=1)
    ]
    plan = plan_records(records, round_code, catalogue)
    result = write(plan, catalogue, Writer(who, Source.COMPUTED), dry_run=dry_run)
    return plan, result.summary
