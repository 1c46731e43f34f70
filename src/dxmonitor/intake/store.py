"""Write a checked import plan into the database keeping the history of every change, figure or note.

Only the write path (`intake.service.write`) calls `store_plan`, inside its transaction and holding its locks."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from dxmonitor.catalogue.models import Indicator, Round, Unit
from dxmonitor.evaluation.facts import Fact, pick_main
from dxmonitor.intake import revision
from dxmonitor.intake.bulk import insert_rows, update_rows
from dxmonitor.intake.models import PrintedFigure, Value, ValueChange
from dxmonitor.intake.planning import ImportPlan, PlannedValue
from dxmonitor.intake.windows import Window
from dxmonitor.problems import error

ValueKey = tuple[str, str, str, str, str]
Stored = dict[ValueKey, tuple[int, Decimal, str]]  # key → (id, value, note) of what a round already holds

KEY_COLUMNS = ["round_id", "indicator_id", "unit_id", "category", "window"]
VALUE_COLUMNS = [*KEY_COLUMNS, "value", "source", "source_ref", "note", "updated_by", "updated_at"]
CHANGE_COLUMNS = [
    *KEY_COLUMNS,
    *("old_value", "new_value", "source", "source_ref", "changed_by", "changed_at", "old_note", "note"),
]
PRINTED_COLUMNS = [*KEY_COLUMNS, "measure", "value", "source_ref"]


@dataclass
class ImportSummary:
    new: list[PlannedValue] = field(default_factory=list)
    changed: list[tuple[PlannedValue, Decimal]] = field(default_factory=list)  # with the old figure
    noted: list[tuple[PlannedValue, str]] = field(default_factory=list)  # the same figure, a new note: the old note
    unchanged: list[PlannedValue] = field(default_factory=list)
    round_created: bool = False

    def line(self) -> str:
        notes = f", ghi chú/note {len(self.noted)}" if self.noted else ""
        return (
            f"mới/new {len(self.new)}, thay đổi/changed {len(self.changed)}{notes}, "
            f"không đổi/unchanged {len(self.unchanged)}"
        )


def _existing(round_: Round | None) -> tuple[Stored, Stored]:
    """The round's values and printed figures by key, as (id, value, note): plain rows, no model objects."""
    if round_ is None:
        return {}, {}
    key = ("indicator__code", "unit__code", "category", "window")
    values = {
        (i, u, c, w, ""): (pk, v, n)
        for pk, i, u, c, w, v, n in Value.objects.filter(round=round_)
        .values_list("id", *key, "value", "note")
        .iterator()
    }
    printed = {
        (i, u, c, w, m): (pk, v, "")
        for pk, i, u, c, w, m, v in PrintedFigure.objects.filter(round=round_)
        .values_list("id", *key, "measure", "value")
        .iterator()
    }
    return values, printed


def _summary(plan: ImportPlan, values: Stored, printed: Stored, round_created: bool) -> ImportSummary:
    """What each planned figure does. A figure written without a note keeps the stored note; one with a note that
    differs from the stored one changes it, even when the number is the same."""
    summary = ImportSummary(round_created=round_created)
    for planned in plan.values:
        current = (printed if planned.measure else values).get(planned.key)
        if current is None:
            summary.new.append(planned)
        elif current[1] != planned.value:
            summary.changed.append((planned, current[1]))
        elif planned.note and planned.note != current[2] and not planned.measure:
            summary.noted.append((planned, current[2]))
        else:
            summary.unchanged.append(planned)
    return summary


def compare(plan: ImportPlan, round_: Round | None) -> ImportSummary:
    """What the plan would change in `round_` (None: a round still to be created); nothing is written."""
    return _summary(plan, *_existing(round_), round_created=round_ is None)


def shown_windows(round_: Round, keys: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], str]:
    """Of each (indicator, unit, category) in `keys`, the window of the figure the round shows (as the evaluation
    picks it among its dated figures: the latest as-of day, then the longest window)."""
    if not keys:
        return {}
    rows = Value.objects.filter(
        round=round_, unit__code__in={u for _, u, _ in keys}, indicator__code__in={i for i, _, _ in keys}
    ).values_list("indicator__code", "unit__code", "category", "window")
    found: dict[tuple[str, str, str], list[Fact]] = {}
    for indicator, unit, category, window in rows:
        if (indicator, unit, category) in keys:
            fact = Fact(indicator, unit, category, Window.from_key(window), Decimal(0))
            found.setdefault((indicator, unit, category), []).append(fact)
    return {key: pick_main(facts).window.key for key, facts in found.items()}


def settle_undated(plan: ImportPlan, round_: Round | None) -> None:
    """A figure written without an as-of day names the round's figure of its unit, indicator and category: it takes
    the window of the figure the round shows, so that it corrects that figure (its old value kept in the history)
    instead of adding a second one beside it. A figure the round does not hold yet keeps the round's last day."""
    undated = [i for i, v in enumerate(plan.values) if not v.dated and not v.measure]
    if round_ is None or not undated:
        return
    shown = shown_windows(round_, {plan.values[i].key[:3] for i in undated})
    taken = {v.key for v in plan.values if v.dated}
    for i in undated:
        planned = plan.values[i]
        window = shown.get((planned.indicator, planned.unit, planned.category))
        if window is None or window == planned.window:
            continue
        settled = planned._replace(window=window, dated=True)
        if settled.key in taken:  # the same figure written twice: once with the shown day, once without a day
            plan.problems.append(
                error(
                    planned.at("as_of"),
                    "số liệu không ghi ngày trùng với số liệu cùng ngày của kỳ đã có trong tệp",
                    "a figure without an as-of day repeats one given with the round's day",
                )
            )
            continue
        taken.add(settled.key)
        plan.values[i] = settled


@revision.changes_data
def store_plan(plan: ImportPlan, round_: Round, *, user: str, source: str, round_created: bool) -> ImportSummary:
    """Write a plan without errors into `round_`; every changed figure or note keeps its old one in ValueChange."""
    if not plan.ok:
        raise ValueError("refusing to write a plan with errors")
    values, printed = _existing(None if round_created else round_)
    summary = _summary(plan, values, printed, round_created=round_created)
    indicators = dict(Indicator.objects.values_list("code", "id"))
    units = dict(Unit.objects.values_list("code", "id"))
    now = timezone.now()  # one moment for the whole write, taken holding its locks: its values and its history

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
        key = key_of(planned)
        if current is None:
            history.append([*key, None, planned.value, source, ref, user, now, "", planned.note])
            new_values.append([*key, planned.value, source, ref, planned.note, user, now])
            continue
        pk, old, old_note = current
        note = planned.note or old_note  # no note written: the stored one stays
        if old == planned.value and note == old_note:
            continue
        history.append([*key, old, planned.value, source, ref, user, now, old_note, note])
        changed_values.append([pk, planned.value, source, ref, note, user, now])
    insert_rows(Value, VALUE_COLUMNS, new_values, distinct={"source_ref"})
    update_rows(Value, VALUE_COLUMNS[5:], changed_values, distinct={"source_ref"})
    insert_rows(PrintedFigure, PRINTED_COLUMNS, new_printed, distinct={"source_ref"})
    update_rows(PrintedFigure, ["value", "source_ref"], changed_printed, distinct={"source_ref"})
    insert_rows(ValueChange, CHANGE_COLUMNS, history, distinct={"source_ref"})
    return summary
