"""The unit tree of a round: the units in force on its last day and their parent links.

Kept to one small function on purpose: another issue will formalise "the tree of a round", and this is the one
place to swap."""

from __future__ import annotations

from datetime import date

from dxmonitor.catalogue.loading import Catalogue


def round_tree(catalogue: Catalogue, day: date) -> dict[str, str | None]:
    """Unit code → its parent's code (None at a root), for every unit valid on `day`."""
    valid = {
        code: unit
        for code, unit in catalogue.units.items()
        if unit.valid_from <= day and (unit.valid_to is None or day <= unit.valid_to)
    }
    return {code: (unit.parent if unit.parent in valid else None) for code, unit in valid.items()}


def ancestors(tree: dict[str, str | None], code: str) -> list[str]:
    """`code` and every unit above it, nearest first (a cycle in the data stops the walk)."""
    chain: list[str] = []
    current: str | None = code
    while current is not None and current not in chain:
        chain.append(current)
        current = tree.get(current)
    return chain
