"""From the counts of the records to the figures of each unit and of its parents: plain Python, exact decimals.

A parent's counts are the sums of the records of every unit below it (and its own): rates and points are then
computed from those sums, never averaged from its children's."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dxmonitor.analytics.index766 import TOTAL, group_scores
from dxmonitor.analytics.records import ONLINE_CAPABLE
from dxmonitor.analytics.tree import ancestors

RATE_STEP = Decimal("0.0001")
HUNDRED = Decimal(100)

# Indicator → (numerator, denominator): the rates of a unit, in percent.
RATES = {
    "dvc.online_service_rate": ("online_capable_used", "online_capable"),
    "dvc.online_dossier_rate": ("received_online", "received"),
    "dvc.overdue_rate": ("overdue", "handled"),
    "dvc.on_time_rate": ("on_time", "handled"),
    "dvc.digitization_rate": ("digitized", "received"),
    "dvc.electronic_result_rate": ("result_electronic", "completed"),
    "dvc.online_payment_rate": ("paid_online", "fee_received"),
}
DOSSIER_COUNTS = (
    "received",
    "received_online",
    "handled",
    "completed",
    "overdue",
    "result_electronic",
    "digitized",
    "fee_received",
    "paid_online",
    "dissatisfied",
    "synced",
    "data_reused",
    "citizen_data",
)
OPTIONAL = ("published_on_time", "updated_on_time", "content_complete", "synced", "data_reused", "citizen_data")
PROCEDURE_COUNTS = ("procedures", "online_capable", "with_fee", *OPTIONAL[:3])

COUNTS = (*DOSSIER_COUNTS, *PROCEDURE_COUNTS, "online_capable_used")


@dataclass(frozen=True)
class Figure:
    """One computed value: indicator, unit, number, and a note when it rests on part of what it should."""

    indicator: str
    unit: str
    value: Decimal
    note: str = ""


def unit_counts(
    dossier_rows: Iterable[Mapping[str, object]], procedure_rows: Iterable[Mapping[str, object]]
) -> dict[str, Counter[str]]:
    """Each unit's own counts, from the clean rows of `records.dossier_counts` and `records.procedure_counts`."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in procedure_rows:
        if row["_issue"] is None:
            unit = counts[str(row["unit_code"])]
            unit.update({k: int(row[k]) for k in PROCEDURE_COUNTS if row.get(k) is not None})  # type: ignore[call-overload]
    for row in dossier_rows:
        if row["_issue"] is not None:
            continue
        unit = counts[str(row["unit_code"])]
        unit.update({k: int(row[k]) for k in DOSSIER_COUNTS if row.get(k) is not None})  # type: ignore[call-overload]
        if row["online_level"] in ONLINE_CAPABLE and int(row["received_online"]) > 0:  # type: ignore[call-overload]
            unit["online_capable_used"] += 1
    return counts


def rolled_up(counts: Mapping[str, Counter[str]], tree: Mapping[str, str | None]) -> dict[str, Counter[str]]:
    """Every unit of the tree with the counts of its own records and of all the units below it."""
    totals: dict[str, Counter[str]] = {code: Counter() for code in tree}
    for code, own in counts.items():
        for above in ancestors(dict(tree), code):
            totals[above].update(own)
    return totals


def _with_derived(counts: Counter[str], present: set[str]) -> dict[str, int]:
    """The counts as the formulas name them: on time and satisfied from their complements; a count of a column the
    inputs lack is left out, so that the criteria resting on it are not measured (rather than measured as 0)."""
    named = {name: counts[name] for name in COUNTS if name not in OPTIONAL or name in present}
    named["on_time"] = counts["handled"] - counts["overdue"]
    named["satisfied"] = counts["completed"] - counts["dissatisfied"]
    return named


def unit_figures(unit: str, counts: Counter[str], present: set[str]) -> list[Figure]:
    """The rates and the 766 points of one unit; a rate with nothing to count (a zero denominator) is left out."""
    named = _with_derived(counts, present)
    figures = []
    for indicator, (numerator, denominator) in RATES.items():
        if named.get(denominator):
            rate = HUNDRED * named.get(numerator, 0) / named[denominator]
            figures.append(Figure(indicator, unit, rate.quantize(RATE_STEP, ROUND_HALF_UP)))
    scores = group_scores(named)
    figures += [Figure(s.group.code, unit, s.points, s.note) for s in scores]
    if len(scores) == 6:
        partial = [s.group.name for s in scores if s.note]
        note = (
            ("Các nhóm chấm trên phần đo được / groups scored on what was measured: " + ", ".join(partial))
            if (partial)
            else ""
        )
        figures.append(Figure(TOTAL, unit, sum((s.points for s in scores), Decimal(0)), note))
    return figures


def all_figures(counts: Mapping[str, Counter[str]], tree: Mapping[str, str | None], present: set[str]) -> list[Figure]:
    """The figures of every unit of the tree that has something to count, in the tree's order."""
    totals = rolled_up(counts, tree)
    return [f for code, unit_total in totals.items() for f in unit_figures(code, unit_total, present)]
