"""What the person asking may read: every unit, or a reporter's own units (their unit and the units below it), on the
tree of a round's days when the page shows a round."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dxmonitor.accounts.scope import Principal
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.tree import Days


@dataclass(frozen=True)
class Reader:
    principal: Principal
    homes: tuple[str, ...]  # a reporter's own units, the tops of what they may read; empty for everyone else

    @classmethod
    def of(cls, principal: Principal, catalogue: Catalogue, days: Days | None = None) -> Reader:
        """The reader of `principal`; with `days` (a round's), a reporter's units are those of the tree then."""
        principal = principal.on(catalogue, days)
        units = principal.units
        if principal.reads_everything or units is None:
            return cls(principal, ())
        homes = tuple(c for c, u in catalogue.units.items() if c in units and u.parent not in units)
        return cls(principal, homes)

    @property
    def everything(self) -> bool:
        return self.principal.reads_everything

    def sees(self, unit: str) -> bool:
        return self.principal.can_read(unit)

    def only(self, units: Iterable[str]) -> list[str]:
        """The units among `units` this reader may see, in order."""
        return [u for u in units if self.sees(u)]

    def as_data(self) -> dict[str, object]:
        units = self.principal.units
        return {
            "role": self.principal.role.value,
            "units": None if self.everything or units is None else sorted(units),
        }
