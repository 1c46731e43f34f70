"""Read the catalogue's YAML files, check them against the schema and each other, keep file and line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from dxmonitor.catalogue.schema import Dataset, DatasetFile, Indicator, IndicatorFile, Unit, UnitFile
from dxmonitor.problems import Location, Problem, error

DATA_DIR = Path(__file__).parent / "data"

M = TypeVar("M", bound=BaseModel)


@dataclass
class Catalogue:
    indicators: dict[str, Indicator] = field(default_factory=dict)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)


class CatalogueError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _plain(node: yaml.Node, lines: dict[tuple[Any, ...], int], path: tuple[Any, ...]) -> Any:
    """Turn a composed YAML node into plain data, remembering the line of every path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            out[key] = _plain(value_node, lines, (*path, key))
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, lines, (*path, i)) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _line_of(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def load_file(path: Path, model: type[M]) -> tuple[M | None, list[Problem], dict[tuple[Any, ...], int]]:
    """Parse one YAML file into `model`; on failure return problems naming the file and line."""
    lines: dict[tuple[Any, ...], int] = {}
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
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
    data = _plain(node, lines, ()) if node is not None else {}
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


def load_catalogue(folder: Path = DATA_DIR) -> Catalogue:
    """Load indicators/*.yaml, datasets/*.yaml and units/*.yaml under `folder`; raise CatalogueError."""
    catalogue = Catalogue()
    problems: list[Problem] = []
    where: dict[str, Location] = {}

    def collect(sub: str, model: type[M], items: Any, target: dict[str, Any]) -> None:
        for path in _yaml_files(folder / sub):
            parsed, found, lines = load_file(path, model)
            problems.extend(found)
            if parsed is None:
                continue
            for i, item in enumerate(items(parsed)):
                loc = Location(file=str(path), row=_line_of(lines, (sub, i)), field=item.code)
                if item.code in target:
                    problems.append(
                        error(
                            loc,
                            f"mã '{item.code}' bị trùng (đã có ở {where[sub + item.code]})",
                            f"duplicate code '{item.code}'",
                        )
                    )
                target[item.code] = item
                where[sub + item.code] = loc

    collect("indicators", IndicatorFile, lambda f: f.indicators, catalogue.indicators)
    collect("datasets", DatasetFile, lambda f: f.datasets, catalogue.datasets)
    collect("units", UnitFile, lambda f: f.units, catalogue.units)
    problems.extend(_cross_references(catalogue, where))
    if problems:
        raise CatalogueError(problems)
    return catalogue


def _cross_references(cat: Catalogue, where: dict[str, Location]) -> Iterable[Problem]:
    def missing(loc: Location, what_vi: str, what_en: str, code: str) -> Problem:
        return error(loc, f"{what_vi} '{code}' không có trong danh mục", f"{what_en} '{code}' is not in the catalogue")

    for ind in cat.indicators.values():
        loc = where["indicators" + ind.code]
        refs = [ind.cumulative_of, *((ind.derived.numerator, ind.derived.denominator) if ind.derived else ())]
        for ref in refs:
            if ref is not None and ref not in cat.indicators:
                yield missing(loc, "chỉ tiêu", "indicator", ref)
    for ds in cat.datasets.values():
        loc = where["datasets" + ds.code]
        for code in ds.indicators:
            if code not in cat.indicators:
                yield missing(loc, "chỉ tiêu", "indicator", code)
        for code in ds.units:
            if code not in cat.units:
                yield missing(loc, "đơn vị", "unit", code)
    for unit in cat.units.values():
        loc = where["units" + unit.code]
        linked = [*([unit.parent] if unit.parent else []), *unit.groups, *unit.successors]
        for link in linked:
            if link not in cat.units:
                yield missing(loc, "đơn vị", "unit", link)
