"""The unit tree in force on a day: which units exist, which one is the whole province, who succeeded whom.

Both trees (Bình Phước's before 1/7/2025, Đồng Nai's after) live in one catalogue; every question about "the
tree" is asked for a day or the days of a round, and answered from the units' validity and successors. Pure."""

from __future__ import annotations

from datetime import date

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Unit

Days = tuple[date, date]  # first and last day, both included


def in_force(unit: Unit, days: Days | None) -> bool:
    """The unit exists on some day of `days` (every unit does when the days are unknown)."""
    if days is None:
        return True
    first, last = days
    return unit.valid_from <= last and (unit.valid_to is None or unit.valid_to >= first)


def on(day: date) -> Days:
    return day, day


def units_on(catalogue: Catalogue, days: Days | None) -> list[Unit]:
    """The units in force on `days`, in catalogue order."""
    return [u for u in catalogue.units.values() if in_force(u, days)]


def whole_on(catalogue: Catalogue, days: Days | None) -> str:
    """The code of the province in force on `days` (the first province of the catalogue when the days are unknown).
    A month that saw two provinces (none today: the reform fell on the first of a month) takes the later one."""
    found = [u.code for u in units_on(catalogue, days) if u.kind == "province" and u.parent is None]
    if not found:
        return next((u.code for u in catalogue.units.values() if u.kind == "province" and u.parent is None), "")
    return found[-1] if days is not None else found[0]


def predecessors(catalogue: Catalogue, code: str) -> list[str]:
    """The units that named `code` among their successors, in catalogue order."""
    return [u.code for u in catalogue.units.values() if code in u.successors]


def parent_on(catalogue: Catalogue, code: str, days: Days | None) -> str | None:
    """The unit's parent on `days`: its own, or, when that one has ended, the successor it passed into (a company
    whose province merged belongs to the new province)."""
    parent = catalogue.units[code].parent
    seen: set[str] = set()
    while parent is not None and parent not in seen and not in_force(catalogue.units[parent], days):
        seen.add(parent)
        nxt = catalogue.units[parent].successors
        if len(nxt) != 1:
            return parent
        parent = nxt[0]
    return parent


def dataset_units(codes: list[str], catalogue: Catalogue, days: Days | None) -> list[str]:
    """Of a dataset's `units` (both trees' units, in report order), those in force on `days`."""
    return [c for c in codes if c in catalogue.units and in_force(catalogue.units[c], days)]


def tree_on(catalogue: Catalogue, day: date) -> list[dict[str, object]]:
    """The tree in force on `day`, a row a unit (groups included), as `dxmonitor units --on` and `GET /api/units?on=`
    give it: its parent on that day, its validity, its successors and its predecessors in the catalogue."""
    days = on(day)
    return [
        {
            "code": u.code,
            "name": u.name,
            "short_name": u.short_name,
            "kind": u.kind,
            "parent": parent_on(catalogue, u.code, days),
            "groups": sorted(u.groups),
            "aliases": list(u.aliases),
            "communes": u.communes,
            "valid_from": u.valid_from,
            "valid_to": u.valid_to,
            "successors": list(u.successors),
            "predecessors": predecessors(catalogue, u.code),
            "formerly": list(u.formerly),
        }
        for u in units_on(catalogue, days)
    ]
