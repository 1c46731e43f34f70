"""Who may read and write which units: plain rules over the unit tree, no database.

A reporter's units are read on the tree of a round's days (`Principal.on`): the reporter of a district that ended on
30/6/2025 writes nothing of a round after it, the reporter of a commune formed on 1/7/2025 nothing of a 2022 round."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from django.utils.translation import gettext_noop

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.tree import Days, in_force, parent_on, units_on


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
    """A signed-in user or an API client, with the units it may touch (None: all units).

    `home` is a reporter's own unit; `days`, when set, the days of the round its `units` were read on, and
    `unplaced` why its unit is not on that tree (vi, en)."""

    name: str
    role: Role
    units: frozenset[str] | None
    home: str | None = None
    days: Days | None = None
    unplaced: tuple[str, str] | None = None

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

    def on(self, catalogue: Catalogue, days: Days | None) -> Principal:
        """The same principal with a reporter's units read on the tree in force on `days` (a round's month): its
        unit and the units below it then; none, and `unplaced` saying why, when its unit was not in force."""
        if self.role is not Role.REPORTER or days is None or self.home is None:
            return self
        home = catalogue.units.get(self.home)
        if home is None or not in_force(home, days):
            return replace(self, units=frozenset(), days=days, unplaced=_why_not_on(catalogue, self.home, days))
        parents = {u.code: parent_on(catalogue, u.code, days) for u in units_on(catalogue, days)}
        return replace(self, units=subtree(self.home, parents), days=days, unplaced=None)


def _why_not_on(catalogue: Catalogue, code: str, days: Days) -> tuple[str, str]:
    """Why a reporter of `code` writes nothing on the tree of `days`: its unit had ended (naming its successors) or
    did not exist yet; in Vietnamese and English."""
    unit = catalogue.units.get(code)
    if unit is None:
        return f"đơn vị {code} của bạn không có trong danh mục", f"your unit {code} is not in the catalogue"
    first, last = days
    if unit.valid_to is not None and unit.valid_to < first:
        ended = f"{unit.valid_to:%d/%m/%Y}"
        heirs = ", ".join(catalogue.units[c].name for c in unit.successors if c in catalogue.units)
        vi, en = f"đơn vị của bạn, {unit.name}, đã kết thúc ngày {ended}", f"your unit, {unit.name}, ended on {ended}"
        if heirs:
            vi, en = f"{vi}; đơn vị kế thừa: {heirs}", f"{en}; its successors: {heirs}"
        return f"{vi}; hãy đề nghị quản trị giao đơn vị mới", f"{en}; ask an admin for the new unit"
    began = f"{unit.valid_from:%d/%m/%Y}"
    return (
        f"đơn vị của bạn, {unit.name}, chỉ có từ ngày {began}, sau kỳ báo cáo này (đến {last:%d/%m/%Y})",
        f"your unit, {unit.name}, exists only from {began}, after this round (to {last:%d/%m/%Y})",
    )


def principal(name: str, role: Role, unit: str | None, parents: Mapping[str, str | None]) -> Principal:
    if role is Role.REPORTER:
        return Principal(name, role, subtree(unit, parents) if unit else frozenset(), home=unit)
    return Principal(name, role, None)
