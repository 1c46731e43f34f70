"""Write a checked import plan into the database, all or nothing, keeping the history of every change."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from dxmonitor.catalogue.models import Indicator, Round, Unit
from dxmonitor.intake import revision
from dxmonitor.intake.models import PrintedFigure, Source, Value, ValueChange
from dxmonitor.intake.planning import ImportPlan, PlannedValue

ValueKey = tuple[str, str, str, str, str]


@dataclass
class ImportSummary:
    new: list[PlannedValue] = field(default_factory=list)
    changed: list[tuple[PlannedValue, Decimal]] = field(default_factory=list)
    unchanged: list[PlannedValue] = field(default_factory=list)
    round_created: bool = False

    def line(self) -> str:
        return (
            f"mới/new {len(self.new)}, thay đổi/changed {len(self.changed)}, không đổi/unchanged {len(self.unchanged)}"
        )


def round_name(code: str) -> str:
    year, month = code.split("-")
    return f"tháng {int(month)}/{year}"


def get_or_create_round(code: str) -> tuple[Round, bool]:
    return Round.objects.get_or_create(code=code, defaults={"name": round_name(code)})


def _existing(round_: Round | None) -> tuple[dict[ValueKey, Value], dict[ValueKey, PrintedFigure]]:
    if round_ is None:
        return {}, {}
    values = {
        (v.indicator.code, v.unit.code, v.category, v.window, ""): v
        for v in Value.objects.filter(round=round_).select_related("indicator", "unit")
    }
    printed = {
        (p.indicator.code, p.unit.code, p.category, p.window, p.measure): p
        for p in PrintedFigure.objects.filter(round=round_).select_related("indicator", "unit")
    }
    return values, printed


def compare(plan: ImportPlan) -> ImportSummary:
    """What the plan would change: new, changed and unchanged values (nothing is written)."""
    round_ = Round.objects.filter(code=plan.round_code).first()
    values, printed = _existing(round_)
    summary = ImportSummary(round_created=round_ is None)
    for planned in plan.values:
        current = (printed if planned.measure else values).get(planned.key)
        if current is None:
            summary.new.append(planned)
        elif current.value != planned.value:
            summary.changed.append((planned, current.value))
        else:
            summary.unchanged.append(planned)
    return summary


@transaction.atomic
@revision.changes_data
def apply_plan(plan: ImportPlan, *, user: str = "", source: str = Source.FILE) -> ImportSummary:
    """Write the plan; refuses a plan with errors. Replaced values keep their old figure in ValueChange."""
    if not plan.ok:
        raise ValueError("refusing to write a plan with errors")
    summary = compare(plan)
    round_, _ = get_or_create_round(plan.round_code)
    values, printed = _existing(round_)
    indicators = {i.code: i for i in Indicator.objects.all()}
    units = {u.code: u for u in Unit.objects.all()}
    new_values, new_printed, history = [], [], []
    for planned in plan.values:
        indicator, unit = indicators[planned.indicator], units[planned.unit]
        common = {
            "round": round_,
            "indicator": indicator,
            "unit": unit,
            "category": planned.category,
            "window": planned.window,
        }
        if planned.measure:
            current_p = printed.get(planned.key)
            if current_p is None:
                new_printed.append(
                    PrintedFigure(**common, measure=planned.measure, value=planned.value, source_ref=planned.source_ref)
                )
            elif current_p.value != planned.value:
                current_p.value, current_p.source_ref = planned.value, planned.source_ref
                current_p.save(update_fields=["value", "source_ref"])
            continue
        current = values.get(planned.key)
        if current is not None and current.value == planned.value:
            continue
        history.append(
            ValueChange(
                **common,
                old_value=None if current is None else current.value,
                new_value=planned.value,
                source=source,
                source_ref=planned.source_ref,
                changed_by=user,
                note=planned.note,
            )
        )
        if current is None:
            new_values.append(
                Value(
                    **common,
                    value=planned.value,
                    source=source,
                    source_ref=planned.source_ref,
                    note=planned.note,
                    updated_by=user,
                )
            )
        else:
            current.value, current.source, current.source_ref = planned.value, source, planned.source_ref
            current.note, current.updated_by = planned.note, user
            current.save()
    Value.objects.bulk_create(new_values, batch_size=1000)
    PrintedFigure.objects.bulk_create(new_printed, batch_size=1000)
    ValueChange.objects.bulk_create(history, batch_size=1000)
    return summary
