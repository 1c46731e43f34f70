"""What planning keeps from one plan to the next for the catalogue in use: the index of unit names of each tree
(the units in force on a round's days: "Đồng Xoài" is the city in 2022 and the ward in 2025) and the answers to what
files repeat (`Recurring`), one set a round. A server keeps its catalogue, so every upload finds them ready; another
catalogue, or one whose units or indicators have changed, gets its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Indicator, Unit
from dxmonitor.catalogue.tree import Days, in_force
from dxmonitor.intake.names import NamedUnit, UnitIndex
from dxmonitor.intake.recurring import Recurring
from dxmonitor.intake.windows import Window

ROUNDS = 24  # the rounds whose answers are kept at once: a server plans the current round and a few before it


def named(unit: Unit) -> NamedUnit:
    """The names a unit is found by: its official name, its short name and its aliases."""
    return NamedUnit(unit.code, unit.name, (unit.name, unit.short_name, *unit.aliases))


def former_names(units: tuple[Unit, ...]) -> list[tuple[str, str]]:
    """(old name, the unit it belongs to now): a unit's old communes, named with their district, or else what it was
    formerly (the former Đồng Nai's bodies)."""
    return [(old, u.code) for u in units for old in u.old_communes or u.formerly]


@dataclass
class Kept:
    catalogue: Catalogue  # the last one only: a catalogue replaced by another is let go at the next plan
    units: tuple[Unit, ...]  # frozen models: the same objects, or equal ones, give the same answers
    indicators: tuple[Indicator, ...]
    indexes: dict[tuple[str, ...], UnitIndex] = field(default_factory=dict)  # by the codes of a tree
    recurring: dict[Window, Recurring] = field(default_factory=dict)  # by the round's last day

    def index(self, days: Days | None) -> UnitIndex:
        """The index of the names of the units in force on `days` (of every unit, without days); the other units'
        names and the old names (old communes, former bodies) are known to it, to say what became of them."""
        units = [u for u in self.units if in_force(u, days)]
        key = tuple(u.code for u in units)
        found = self.indexes.get(key)
        if found is None:
            found = self.indexes[key] = UnitIndex(
                map(named, units),
                (named(u) for u in self.units if not in_force(u, days)),
                former_names(self.units),
            )
        return found

    def holds(self, catalogue: Catalogue, units: tuple[Unit, ...], indicators: tuple[Indicator, ...]) -> bool:
        return self.catalogue is catalogue and self.units == units and self.indicators == indicators


_last: list[Kept] = []  # the last catalogue planned with


def kept_for(catalogue: Catalogue) -> Kept:
    """What is kept for the catalogue; made afresh for another catalogue, or when its units or indicators change."""
    units, indicators = tuple(catalogue.units.values()), tuple(catalogue.indicators.values())
    if _last and _last[0].holds(catalogue, units, indicators):
        return _last[0]
    kept = Kept(catalogue, units, indicators)
    _last[:] = [kept]
    return kept


def unit_index(catalogue: Catalogue, days: Days | None = None) -> UnitIndex:
    """The index of the names of the catalogue's units in force on `days` (of all of them, without days)."""
    return kept_for(catalogue).index(days)


def recurring_for(catalogue: Catalogue, default_window: Window, days: Days | None) -> tuple[UnitIndex, Recurring]:
    """The index of unit names of the tree in force on the round's `days` and the answers to what files repeat, for a
    round ending on `default_window`."""
    kept = kept_for(catalogue)
    index = kept.index(days)
    recurring = kept.recurring.get(default_window)
    if recurring is None:
        if len(kept.recurring) >= ROUNDS:
            kept.recurring.clear()
        recurring = kept.recurring[default_window] = Recurring(catalogue, index, default_window)
    return index, recurring
