"""What a row's unit name comes to on the figure's day: the unit it names, or the problem, worded so that the person
who wrote it knows what to write instead (the units that took over an ended one, the unit an old commune is part of
now, the units a new one was carved from)."""

from __future__ import annotations

from datetime import date

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Unit
from dxmonitor.catalogue.tree import predecessors
from dxmonitor.intake.long_format import LongRecord
from dxmonitor.intake.names import Resolution, UnitIndex, normalise
from dxmonitor.problems import Problem, error, warning


def valid_on(unit: Unit, day: date) -> bool:
    return unit.valid_from <= day and (unit.valid_to is None or day <= unit.valid_to)


def successors_on(catalogue: Catalogue, code: str, day: date) -> list[str]:
    """The units that took over `code`, followed on to those in force on `day` (a unit that ended in turn passes on to
    its own successors), in the order the catalogue names them."""
    found: list[str] = []
    todo, seen = list(catalogue.units[code].successors), {code}
    while todo:
        successor = todo.pop(0)
        if successor in seen:
            continue
        seen.add(successor)
        unit = catalogue.units[successor]
        if valid_on(unit, day) or not unit.successors:
            found.append(successor)
        else:
            todo.extend(unit.successors)
    return found


def _names(catalogue: Catalogue, codes: list[str]) -> str:
    return ", ".join(catalogue.units[c].name for c in codes)


def not_on_day(text: str, unit: Unit, catalogue: Catalogue, day: date) -> tuple[str, str]:
    """Why `unit` (named `text`) takes no figure of `day`, Vietnamese and English: it ended (and who took over), or it
    did not exist yet (and what it was part of then)."""
    label = unit.name if normalise(text) == normalise(unit.name) else f"'{text}' ({unit.name})"
    if unit.valid_to is not None and unit.valid_to < day:
        now = successors_on(catalogue, unit.code, day)
        if not now:
            return (
                f"{label} đã kết thúc ngày {unit.valid_to:%d/%m/%Y}, không có đơn vị kế tiếp",
                f"{label} ended on {unit.valid_to.isoformat()}, with no successor",
            )
        return (
            f"{label} đã kết thúc ngày {unit.valid_to:%d/%m/%Y}; nay là: {_names(catalogue, now)}",
            f"{label} ended on {unit.valid_to.isoformat()}; now: {_names(catalogue, now)}",
        )
    before = [c for c in predecessors(catalogue, unit.code) if valid_on(catalogue.units[c], day)]
    vi = f"{label} chỉ có từ ngày {unit.valid_from:%d/%m/%Y}"
    en = f"{label} exists only from {unit.valid_from.isoformat()}"
    if before:
        names = _names(catalogue, before)
        vi, en = f"{vi}; trước đó thuộc: {names}", f"{en}; before, part of: {names}"
    return vi, en


def _former(text: str, resolution: Resolution, catalogue: Catalogue) -> tuple[str, str]:
    """An old name (an old commune, a former body): the unit each old unit of that name belongs to now."""
    now: dict[str, list[str]] = {}
    for old, code in zip(resolution.candidates, resolution.codes, strict=True):
        now.setdefault(old, []).append(code)
    vi = "; ".join(f"{old} nay thuộc {_names(catalogue, codes)}" for old, codes in now.items())
    en = "; ".join(f"{old} is now part of {_names(catalogue, codes)}" for old, codes in now.items())
    return (
        f"'{text}' là tên đơn vị cũ, không còn trong danh mục: {vi}",
        f"'{text}' names a former unit, no longer in the catalogue: {en}",
    )


def unit_of(
    record: LongRecord, index: UnitIndex, catalogue: Catalogue, day: date, problems: list[Problem]
) -> str | None:
    """The code of the unit the row names among the units of `index` (the round's tree), or, written as another
    tree's unit, the one of those in force on the figure's `day`; None with the problem added to `problems`."""
    text = record.unit
    resolution = index.resolve(text) if text else None
    at = record.at("unit")
    if resolution is None:
        problems.append(error(at, "thiếu tên đơn vị", "the unit is missing"))
        return None
    if resolution.how == "diacritics":
        unit_name = catalogue.units[resolution.code or ""].name
        problems.append(
            warning(
                at,
                f"'{text}' được hiểu là '{unit_name}' (khớp không dấu)",
                f"'{text}' read as '{unit_name}' (matched ignoring diacritics)",
            )
        )
    elif resolution.how == "ambiguous":
        names = "; ".join(resolution.candidates)
        problems.append(
            error(at, f"'{text}' có thể là nhiều đơn vị: {names}", f"'{text}' could be several units: {names}")
        )
    elif resolution.how == "elsewhere":
        units = [catalogue.units[c] for c in resolution.codes]
        valid = [u.code for u in units if valid_on(u, day)]
        if len(valid) == 1:  # a figure dated on the other tree's day (30/6/2025 in the round of July 2025)
            return valid[0]
        said = [not_on_day(text, u, catalogue, day) for u in units]
        problems.append(error(at, "; ".join(vi for vi, _ in said), "; ".join(en for _, en in said)))
    elif resolution.how == "former":
        problems.append(error(at, *_former(text, resolution, catalogue)))
    elif not resolution.resolved:
        hint = ("; gần giống: " + ", ".join(resolution.candidates)) if resolution.candidates else ""
        hint_en = ("; closest: " + ", ".join(resolution.candidates)) if resolution.candidates else ""
        problems.append(
            error(at, f"không có đơn vị '{text}' trong danh mục{hint}", f"no unit '{text}' in the catalogue{hint_en}")
        )
    return resolution.code
