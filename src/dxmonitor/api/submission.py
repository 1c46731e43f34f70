"""A JSON submission as rows of the long import format, and what happened to each item; touches no database."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from dxmonitor.api.schemas import ItemChange, ValueIn
from dxmonitor.intake.long_format import LongRecord
from dxmonitor.intake.planning import PlannedValue
from dxmonitor.intake.store import ImportSummary
from dxmonitor.problems import Location
from dxmonitor.reports.export import plain

SOURCE = "api"  # the "file" of every item: its value history reads "api:3" for the fourth item
FIELDS = ("unit", "indicator", "category", "value", "as_of", "note")
# An export's window "2022-06-01/2022-07-15" is read back as the window it names.
_ISO_WINDOW = re.compile(r"^\s*([0-9]{4}-[0-9]{2}-[0-9]{2})/([0-9]{4}-[0-9]{2}-[0-9]{2})\s*$")
# What a stored value holds (intake.models.Value.value: 24 digits, 6 of them decimals).
MAX_DIGITS, MAX_DECIMALS = 24, 6

Status = Literal["new", "changed", "unchanged"]


def records_of(items: Sequence[ValueIn]) -> list[LongRecord]:
    """Item i becomes row i of the file "api"; its fields' columns read "[i].value", so problems name the item."""
    return [
        LongRecord(
            location=Location(file=SOURCE, row=i),
            columns={f: f"[{i}].{f}" for f in FIELDS},
            unit=item.unit.strip(),
            indicator=item.indicator.strip(),
            value=item.value,
            category=item.category.strip(),
            as_of=_ISO_WINDOW.sub(r"\1 to \2", item.as_of) if item.as_of else None,
            note=item.note.strip(),
            measure="",
        )
        for i, item in enumerate(items)
    ]


def item_changes(summary: ImportSummary) -> list[ItemChange]:
    """What happened to each item, in request order."""

    def change(planned: PlannedValue, status: Status, old: Decimal | None) -> ItemChange:
        return ItemChange(
            index=planned.location.row or 0,
            unit=planned.unit,
            indicator=planned.indicator,
            category=planned.category,
            as_of=planned.window,
            status=status,
            old_value=plain(old) if old is not None else None,
            new_value=plain(planned.value),
        )

    changes = [change(p, "new", None) for p in summary.new]
    changes += [change(p, "changed", old) for p, old in summary.changed]
    changes += [change(p, "changed", p.value) for p, _ in summary.noted]
    changes += [change(p, "unchanged", p.value) for p in summary.unchanged]
    return sorted(changes, key=lambda c: c.index)
