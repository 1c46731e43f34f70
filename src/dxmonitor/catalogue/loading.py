"""Read the catalogue's YAML files, check them against the schema and each other, keep file and line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from dxmonitor.catalogue.schema import Dataset, DatasetFile, Indicator, IndicatorFile, Issuer, Unit, UnitFile
from dxmonitor.intake.names import NamedUnit, UnitIndex
from dxmonitor.problems import Location, Problem, error

DATA_DIR = Path(__file__).parent / "data"

M = TypeVar("M", bound=BaseModel)
# libyaml's parser when PyYAML was built with it: the catalogue is read by every process, the pure-Python parser
# takes most of that time. Its error messages differ, so a file it refuses is parsed again by the pure one.
FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Catalogue:
    indicators: dict[str, Indicator] = field(default_factory=dict)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    issuers: list[Issuer] = field(default_factory=list)  # who issues the report, by days (issuers.yaml)


class CatalogueError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _plain(node: yaml.Node, lines: dict[tuple[Any, ...], int], path: tuple[Any, ...], scalars: yaml.SafeLoader) -> Any:
    """Turn a composed YAML node into plain data, remembering the line of every path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = scalars.construct_object(key_node, deep=True)
            out[key] = _plain(value_node, lines, (*path, key), scalars)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, lines, (*path, i), scalars) for i, item in enumerate(node.value)]
    return scalars.construct_object(node, deep=True)


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=FAST_LOADER)
    except yaml.MarkedYAMLError:
        if FAST_LOADER is yaml.SafeLoader:
            raise
        return yaml.compose(text, Loader=yaml.SafeLoader)  # raises again, in the words the messages use


def _line_of(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def load_file(path: Path, model: type[M]) -> tuple[M | None, list[Problem], dict[tuple[Any, ...], int]]:
    """Parse one YAML file into `model`; on failure return problems naming the file and line."""
    lines: dict[tuple[Any, ...], int] = {}
    try:
        node = _compose(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        row = mark.line + 1 if mark else None
        return (
            None,
            [
                error(
                    Location(file=str(path), row=row),
                    f"YAML không hợp lệ: {exc.problem}",
                    f"invalid YAML: {exc.problem}",
                )
            ],
            lines,
        )
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error(Location(file=str(path)), f"không đọc được tệp: {exc}", f"cannot read file: {exc}")], lines
    data = _plain(node, lines, (), yaml.SafeLoader("")) if node is not None else {}
    try:
        return model.model_validate(data), [], lines
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = ".".join(str(p) for p in loc)
            problems.append(
                error(
                    Location(file=str(path), row=_line_of(lines, loc), field=where),
                    f"sai cấu trúc danh mục: {err['msg']}",
                    f"catalogue schema violation: {err['msg']}",
                )
            )
        return None, problems, lines


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml"))


@dataclass(frozen=True)
class _Origin:
    """Where a catalogue entry was read: its file, the line of every path in that file, its index."""

    path: Path
    lines: dict[tuple[Any, ...], int]
    key: tuple[str, int]
    code: str

    def locate(self, *field_path: Any) -> Location:
        """The file, line and field of `field_path` inside this entry: field "portal › indicators[1]"."""
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in field_path).lstrip(".")
        field = f"{self.code} › {where}" if where else self.code
        return Location(file=str(self.path), row=_line_of(self.lines, (*self.key, *field_path)), field=field)


def load_catalogue(folder: Path = DATA_DIR) -> Catalogue:
    """Load indicators/*.yaml, datasets/*.yaml, units/*.yaml and issuers.yaml under `folder`; raise
    CatalogueError."""
    from dxmonitor.catalogue.issuers import load_issuers

    catalogue = Catalogue()
    problems: list[Problem] = []
    origins: dict[str, _Origin] = {}

    def collect(sub: str, model: type[M], items: Any, target: dict[str, Any]) -> None:
        for path in _yaml_files(folder / sub):
            parsed, found, lines = load_file(path, model)
            problems.extend(found)
            if parsed is None:
                continue
            for i, item in enumerate(items(parsed)):
                origin = _Origin(path, lines, (sub, i), item.code)
                if item.code in target:
                    first = origins[sub + item.code].locate()
                    problems.append(
                        error(
                            origin.locate("code"),
                            f"mã '{item.code}' bị trùng (đã có ở {first.file}, dòng {first.row})",
                            f"duplicate code '{item.code}' (first at {first.file}, line {first.row})",
                        )
                    )
                target[item.code] = item
                origins[sub + item.code] = origin

    collect("indicators", IndicatorFile, lambda f: f.indicators, catalogue.indicators)
    collect("datasets", DatasetFile, lambda f: f.datasets, catalogue.datasets)
    collect("units", UnitFile, lambda f: f.units, catalogue.units)
    catalogue.issuers, found = load_issuers(folder)
    problems.extend(found)
    if not problems:  # with a file unreadable, its codes would show up again here as "missing": noise
        problems.extend(_cross_references(catalogue, origins))
    if not problems:
        problems.extend(_name_clashes(catalogue, origins))
    if not problems:
        catalogue.datasets = {code: _with_members(ds, catalogue) for code, ds in catalogue.datasets.items()}
    if problems:
        raise CatalogueError(problems)
    return catalogue


def _with_members(ds: Dataset, cat: Catalogue) -> Dataset:
    """The dataset with the members of its `members` groups after its own units, in catalogue order: every reader of
    `units` then sees every unit that ever sends it, and takes those in force on its round's days."""
    if not ds.members:
        return ds
    wanted = set(ds.members)
    extra = [u.code for u in cat.units.values() if wanted & set(u.groups)]
    return ds.model_copy(update={"units": list(dict.fromkeys([*ds.units, *extra]))})


def _cross_references(cat: Catalogue, origins: dict[str, _Origin]) -> Iterable[Problem]:
    def missing(loc: Location, what_vi: str, what_en: str, code: str) -> Problem:
        return error(loc, f"{what_vi} '{code}' không có trong danh mục", f"{what_en} '{code}' is not in the catalogue")

    for ind in cat.indicators.values():
        origin = origins["indicators" + ind.code]
        if ind.cumulative_of is not None and ind.cumulative_of not in cat.indicators:
            yield missing(origin.locate("cumulative_of"), "chỉ tiêu", "indicator", ind.cumulative_of)
        if ind.derived:
            for part in ("numerator", "denominator"):
                ref = getattr(ind.derived, part)
                if ref is not None and ref not in cat.indicators:
                    yield missing(origin.locate("derived", part), "chỉ tiêu", "indicator", ref)
    for ds in cat.datasets.values():
        origin = origins["datasets" + ds.code]
        for k, code in enumerate(ds.indicators):
            if code not in cat.indicators:
                yield missing(origin.locate("indicators", k), "chỉ tiêu", "indicator", code)
        for field_name in ("units", "members", "groups"):
            for k, code in enumerate(getattr(ds, field_name)):
                if code not in cat.units:
                    yield missing(origin.locate(field_name, k), "đơn vị", "unit", code)
                elif field_name != "units" and cat.units[code].kind != "group":
                    yield error(
                        origin.locate(field_name, k),
                        f"'{code}' không phải một nhóm đơn vị (kind: group)",
                        f"'{code}' is not a group of units (kind: group)",
                    )
    for unit in cat.units.values():
        origin = origins["units" + unit.code]
        if unit.parent is not None and unit.parent not in cat.units:
            yield missing(origin.locate("parent"), "đơn vị", "unit", unit.parent)
        for field_name in ("groups", "successors"):
            for k, code in enumerate(getattr(unit, field_name)):
                if code not in cat.units:
                    yield missing(origin.locate(field_name, k), "đơn vị", "unit", code)


def _name_clashes(cat: Catalogue, origins: dict[str, _Origin]) -> Iterable[Problem]:
    """A name must say which unit it is among the units in force on one day (one tree): "Đồng Xoài" may be the city
    until 30/6/2025 and the ward after, never two units on the same day. Checked on every day the tree changes."""
    ends = {u.valid_to + timedelta(days=1) for u in cat.units.values() if u.valid_to is not None}
    days = sorted({u.valid_from for u in cat.units.values()} | ends)
    said: set[frozenset[str]] = set()
    for day in days:
        units = [u for u in cat.units.values() if u.valid_from <= day and (u.valid_to is None or day <= u.valid_to)]
        index = UnitIndex(NamedUnit(u.code, u.name, (u.name, u.short_name, *u.aliases)) for u in units)
        for key, codes in sorted(index.clashes().items()):
            if frozenset(codes) in said:
                continue
            said.add(frozenset(codes))
            ordered = [u.code for u in units if u.code in codes]
            names = ", ".join(f"{cat.units[c].name} ({c})" for c in ordered)
            yield error(
                origins["units" + ordered[-1]].locate(),
                f"tên '{key}' chỉ nhiều đơn vị cùng có hiệu lực ngày {day:%d/%m/%Y}: {names}",
                f"the name '{key}' names several units in force on {day.isoformat()}: {names}",
            )
