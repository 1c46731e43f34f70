"""What a long file repeats on thousands of rows, resolved once each: a unit's name, an indicator with its category
and measure, an as-of day, and the common ways a number is written.

Every answer here is what the full checks of a row (`checks.plan_record`) conclude when they find nothing to say;
anything they would speak of — an error, a warning, a doubt — is answered None, and the row then goes through
those full checks. A file's usual row is therefore read with a few dictionary look-ups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.intake.checks import LARGEST, MAX_DECIMALS, MEASURES, category_code, folded_key
from dxmonitor.intake.long_format import cell_text
from dxmonitor.intake.names import REMEMBERED, UnitIndex
from dxmonitor.intake.numbers import FRACTIONAL, Kind, quick_number
from dxmonitor.intake.windows import Window, WindowError, parse_window

K = TypeVar("K")
V = TypeVar("V")
SMALLEST_STEP = Decimal(1).scaleb(-MAX_DECIMALS)
LARGEST_FLOAT = float(LARGEST)  # 10**17 is a float exactly


class Memo(dict[K, V], Generic[K, V]):
    """A dictionary that computes, once, the value of a key it does not have yet."""

    def __init__(self, compute: Callable[[K], V]):
        super().__init__()
        self.compute = compute

    def __missing__(self, key: K) -> V:
        if len(self) >= REMEMBERED:  # kept from one upload to the next: its keys are cells as people write them
            self.clear()
        value = self[key] = self.compute(key)
        return value


@dataclass(frozen=True, slots=True)
class KnownUnit:
    code: str
    valid_from: date
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class Figure:
    """An indicator with its category and measure, as a row names them."""

    indicator: str
    category: str
    measure: str
    kind: Kind  # how its number is read
    at_least_zero: bool  # a value, not a printed change
    at_most_100: bool  # a percentage value

    def number(self, cell: object) -> Decimal | None:
        """The cell's number when it is written a usual way and raises none of the checks of `plan_record`."""
        if type(cell) is float:
            return self._number_cell(cell)
        value = quick_number(cell, self.kind)
        if value is None or not -LARGEST < value < LARGEST:
            return None
        if (self.at_least_zero and value < 0) or (self.at_most_100 and value > 100):
            return None
        if self.kind in FRACTIONAL and value != value.quantize(SMALLEST_STEP):  # counts are whole already
            return None
        return value

    def _number_cell(self, cell: float) -> Decimal | None:
        """`number` of a spreadsheet's number cell, checked on the float before it becomes a Decimal.

        Its Decimal is the shortest text that reads back as the float (as `parse_number` makes it), so it compares
        with 0, 100 and LARGEST (floats exactly) as the float does, and has the decimals of that text."""
        if not -LARGEST_FLOAT < cell < LARGEST_FLOAT:  # also NaN
            return None
        if (self.at_least_zero and cell < 0) or (self.at_most_100 and cell > 100):
            return None
        if self.kind not in FRACTIONAL:
            return Decimal(str(cell)) if cell.is_integer() else None
        text = str(cell)
        if "e" in text or len(text) - text.index(".") - 1 > MAX_DECIMALS:
            return None  # written with an exponent, or with too many decimals: left to the full checks
        return Decimal(text)


@dataclass(frozen=True, slots=True)
class KnownWindow:
    end: date
    key: str  # Window.key, made once
    dated: bool = True  # False: the cell was empty and the round's last day stands in for it


class Recurring:
    """The answers for a catalogue and a round: keys are cells as read (text or None; anything else is left to the
    full checks). They depend on nothing else, and are kept from one plan to the next (`kept.recurring_for`)."""

    def __init__(self, catalogue: Catalogue, index: UnitIndex, default_window: Window):
        self.catalogue = catalogue
        self.index = index
        self.default_window = default_window
        self.units: Memo[object, KnownUnit | None] = Memo(self._unit)
        self.figures: Memo[tuple[object, object, object], Figure | None] = Memo(self._figure)
        self.windows: Memo[object, KnownWindow | None] = Memo(self._window)

    def _unit(self, cell: object) -> KnownUnit | None:
        if cell.__class__ is not str:
            return None
        text = cell_text(cell)
        resolution = self.index.resolve(text) if text else None
        if resolution is None or resolution.how != "exact" or resolution.code is None:
            return None  # missing, unknown, ambiguous, or matched only without diacritics: said on every row
        unit = self.catalogue.units[resolution.code]
        return KnownUnit(unit.code, unit.valid_from, unit.valid_to)

    def _figure(self, cells: tuple[object, object, object]) -> Figure | None:
        if any(c is not None and c.__class__ is not str for c in cells):
            return None
        indicator_text, category_text, measure_text = (cell_text(c) for c in cells)
        indicator = self.catalogue.indicators.get(indicator_text)
        measure = MEASURES.get(folded_key(measure_text))
        if indicator is None or measure is None or (measure == "" and indicator.derived is not None):
            return None
        category = ""
        if category_text:
            dims = indicator.disaggregation
            categories = tuple((name, tuple(members.items())) for name, members in dims.items())
            category = category_code(category_text, categories) if dims else ""
            if not category:
                return None
        kind: Kind = "percent" if measure == "printed_change_pct" else indicator.kind
        return Figure(
            indicator.code, category, measure, kind, measure == "", measure == "" and indicator.kind == "percent"
        )

    def _window(self, cell: object) -> KnownWindow | None:
        if cell is not None and not isinstance(cell, str | date):
            return None  # a number or a time of day: the full checks word the error
        try:
            given = parse_window(cell)
        except WindowError:
            return None
        window = given or self.default_window
        return KnownWindow(window.end, window.key, given is not None)
