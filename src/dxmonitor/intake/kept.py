"""What planning keeps from one plan to the next for the catalogue in use: the index of its unit names and the
answers to what files repeat (`Recurring`), one set a round. A server keeps its catalogue, so every upload finds them
ready; another catalogue, or one whose units or indicators have changed, gets its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Indicator, Unit
from dxmonitor.intake.names import NamedUnit, UnitIndex
from dxmonitor.intake.recurring import Recurring
from dxmonitor.intake.windows import Window

ROUNDS = 24  # the rounds whose answers are kept at once: a server plans the current round and a few before it


@dataclass
class Kept:
    catalogue: Catalogue  # the last one only: a catalogue replaced by another is let go at the next plan
    units: tuple[Unit, ...]  # frozen models: the same objects, or equal ones, give the same answers
    indicators: tuple[Indicator, ...]
    index: UnitIndex
    recurring: dict[Window, Recurring] = field(default_factory=dict)  # by the round's last day

    def holds(self, catalogue: Catalogue, units: tuple[Unit, ...], indicators: tuple[Indicator, ...]) -> bool:
        return self.catalogue is catalogue and self.units == units and self.indicators == indicators


_last: list[Kept] = []  # the last catalogue planned with


def kept_for(catalogue: Catalogue) -> Kept:
    """What is kept for the catalogue; made afresh for another catalogue, or when its units or indicators change."""
    units, indicators = tuple(catalogue.units.values()), tuple(catalogue.indicators.values())
    if _last and _last[0].holds(catalogue, units, indicators):
        return _last[0]
    index = UnitIndex(NamedUnit(u.code, u.name, (u.name, u.short_name, *u.aliases)) for u in units)
    kept = Kept(catalogue, units, indicators, index)
    _last[:] = [kept]
    return kept


def unit_index(catalogue: Catalogue) -> UnitIndex:
    """The index of the catalogue's unit names."""
    return kept_for(catalogue).index


def recurring_for(catalogue: Catalogue, default_window: Window) -> tuple[UnitIndex, Recurring]:
    """The index of unit names and the answers to what files repeat, for a round ending on `default_window`."""
    kept = kept_for(catalogue)
    recurring = kept.recurring.get(default_window)
    if recurring is None:
        if len(kept.recurring) >= ROUNDS:
            kept.recurring.clear()
        recurring = kept.recurring[default_window] = Recurring(catalogue, kept.index, default_window)
    return kept.index, recurring
