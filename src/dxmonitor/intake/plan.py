"""An import plan: the values a set of rows would write, and every problem found in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from dxmonitor.intake.long_format import Origin
from dxmonitor.problems import Checked, Location, Problem

ValueKey = tuple[str, str, str, str, str]  # indicator, unit, category, window, measure


class PlannedValue(NamedTuple):
    """A figure to write, and the row it came from (its location is made only when a message needs it).

    A named tuple rather than a frozen dataclass: a file makes one per row, and it is built five times faster."""

    indicator: str
    unit: str
    category: str
    window: str
    value: Decimal
    measure: str  # "" for a value, else the kind of printed figure
    note: str
    origin: Origin
    row: int | None
    written: object = None  # the value as the writer wrote it ("92,5"), shown beside what it was read as
    dated: bool = True  # False: no as-of day given, so it corrects the figure the round shows (`store.settle_undated`)

    @property
    def location(self) -> Location:
        return self.origin.location(self.row)

    @property
    def source_ref(self) -> str:
        return self.origin.ref(self.row)

    def at(self, field: str) -> Location:
        """Where one field of this figure was written: file, sheet, row, column."""
        return self.origin.at(self.row, field)

    @property
    def key(self) -> ValueKey:
        return self.indicator, self.unit, self.category, self.window, self.measure


@dataclass
class ImportPlan(Checked):
    round_code: str
    values: list[PlannedValue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
