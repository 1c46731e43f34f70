"""Write a checked import plan into the database, all or nothing, keeping the history of every change."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dxmonitor.catalogue.models import Indicator, Round, Unit
from dxmonitor.intake import revision
from dxmonitor.intake.bulk import insert_rows, update_rows
from dxmonitor.intake.models import PrintedFigure, Source, Value, ValueChange
from dxmonitor.intake.planning import ImportPlan, PlannedValue

ValueKey = tuple[str, str, str, str, str]
Stored = dict[ValueKey, tuple[int, Decimal]]  # key → (id, value) of what a round already holds

KEY_COLUMNS = ["round_id", "indicator_id", "unit_id", "category", "window"]
VALUE_COLUMNS = [*KEY_COLUMNS, "value", "source", "source_ref", "note", "updated_by", "updated_at"]
CHANGE_COLUMNS = [*KEY_COLUMNS, "old_value", "new_value", "source", "source_ref", "changed_by", "changed_at", "note"]
PRINTED_COLUMNS = [*KEY_COLUMNS, "measure", "value", "source_ref"]


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


def _existing(round_: Round | None) -> tuple[Stored, Stored]:
    """The round's values and printed figures by key, as (id, value): plain rows, no model objects."""
    if round_ is None:
        return {}, {}
    key = ("indicator__code", "unit__code", "category", "window")
    values = {
        (i, u, c, w, ""): (pk, v)
        for pk, i, u, c, w, v in Value.objects.filter(round=round_).values_list("id", *key, "value").iterator()
    }
    printed = {
        (i, u, c, w, m): (pk, v)
        for pk, i, u, c, w, m, v in PrintedFigure.objects.filter(round=round_)
        .values_list("id", *key, "measure", "value")
        .iterator()
    }
    return values, printed


def _summary(plan: ImportPlan, values: Stored, printed: Stored, round_created: bool) -> ImportSummary:
    summary = ImportSummary(round_created=round_created)
    for planned in plan.values:
        current = (printed if planned.measure else values).get(planned.key)
        if current is None:
            summary.new.append(planned)
        elif current[1] != planned.value:
            summary.changed.append((planned, current[1]))
        else:
            summary.unchanged.append(planned)
    return summary


def compare(plan: ImportPlan) -> ImportSummary:
    """What the plan would change: new, changed and unchanged values (nothing is written)."""
    round_ = Round.objects.filter(code=plan.round_code).first()
    return _summary(plan, *_existing(round_), round_created=round_ is None)


@transaction.atomic
@revision.changes_data
def apply_plan(plan: ImportPlan, *, user: str = "", source: str = Source.FILE) -> ImportSummary:
    """Write the plan; refuses a plan with errors. Replaced values keep their old figure in ValueChange."""
    if not plan.ok:
        raise ValueError("refusing to write a plan with errors")
    round_, created = get_or_create_round(plan.round_code)
    values, printed = _existing(None if created else round_)
    summary = _summary(plan, values, printed, round_created=created)
    indicators = dict(Indicator.objects.values_list("code", "id"))
    units = dict(Unit.objects.values_list("code", "id"))
    now = timezone.now()  # one moment for the whole import: its values and its history rows

    def key_of(planned: PlannedValue) -> list[object]:
        return [round_.pk, indicators[planned.indicator], units[planned.unit], planned.category, planned.window]

    history, new_values, new_printed, changed_values, changed_printed = [], [], [], [], []
    for planned in plan.values:  # in the plan's order, as ids and the history read it
        ref = planned.source_ref  # made from the origin on each use: once here
        if planned.measure:
            current_p = printed.get(planned.key)
            if current_p is None:
                new_printed.append([*key_of(planned), planned.measure, planned.value, ref])
            elif current_p[1] != planned.value:
                changed_printed.append([current_p[0], planned.value, ref])
            continue
        current = values.get(planned.key)
        if current is not None and current[1] == planned.value:
            continue
        key = key_of(planned)
        old = None if current is None else current[1]
        history.append([*key, old, planned.value, source, ref, user, now, planned.note])
        if current is None:
            new_values.append([*key, planned.value, source, ref, planned.note, user, now])
        else:
            changed_values.append([current[0], planned.value, source, ref, planned.note, user, now])
    insert_rows(Value, VALUE_COLUMNS, new_values, distinct={"source_ref"})
    update_rows(Value, VALUE_COLUMNS[5:], changed_values, distinct={"source_ref"})
    insert_rows(PrintedFigure, PRINTED_COLUMNS, new_printed, distinct={"source_ref"})
    update_rows(PrintedFigure, ["value", "source_ref"], changed_printed, distinct={"source_ref"})
    insert_rows(ValueChange, CHANGE_COLUMNS, history, distinct={"source_ref"})
    return summary
