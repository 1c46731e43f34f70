"""Who may read and write which units: plain rules over the unit tree, no database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_noop


class Role(StrEnum):
    ADMIN = "admin"
    REPORTER = "reporter"
    VIEWER = "viewer"


# gettext_noop: stored and compared in Vietnamese, translated where they are shown.
ROLE_LABELS = {
    Role.ADMIN: gettext_noop("Quản trị"),
    Role.REPORTER: gettext_noop("Cán bộ đơn vị"),
    Role.VIEWER: gettext_noop("Thành viên Ban Chỉ đạo"),
}


def subtree(unit: str, parents: Mapping[str, str | None]) -> frozenset[str]:
    """The unit and every unit below it (communes of a district, hamlets of a commune…)."""
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found, todo = {unit}, [unit]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return frozenset(found)


@dataclass(frozen=True)
class Principal:
    """A signed-in user or an API client, with the units it may touch (None: all units)."""

    name: str
    role: Role
    units: frozenset[str] | None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def can_read(self, unit: str) -> bool:
        return self.role in (Role.ADMIN, Role.VIEWER) or (self.units is not None and unit in self.units)

    def can_write(self, unit: str) -> bool:
        if self.role is Role.ADMIN:
            return True
        return self.role is Role.REPORTER and self.units is not None and unit in self.units

    def outside(self, units: Iterable[str]) -> list[str]:
        """The units among `units` this principal may not write, in order, without repeats."""
        return list(dict.fromkeys(u for u in units if not self.can_write(u)))

    @property
    def reads_everything(self) -> bool:
        return self.role in (Role.ADMIN, Role.VIEWER)


def principal(name: str, role: Role, unit: str | None, parents: Mapping[str, str | None]) -> Principal:
    if role is Role.REPORTER:
        return Principal(name, role, subtree(unit, parents) if unit else frozenset())
    return Principal(name, role, None)
