"""The validation rules a dataset declares in the catalogue, one rule a class, run on every import plan.

An error blocks the import (nothing is written); a warning is shown and does not block.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Dataset, Rule
from dxmonitor.intake.planning import ImportPlan, PlannedValue
from dxmonitor.intake.windows import Window
from dxmonitor.problems import Location, Problem, Severity

Key = tuple[str, str, str]  # indicator, unit, category


@dataclass
class RuleContext:
    """What the rules see: the plan's figures, the round's stored figures, last round's, the unit tree."""

    catalogue: Catalogue
    planned: dict[Key, PlannedValue]
    stored: Mapping[Key, Decimal] = field(default_factory=dict)
    previous: Mapping[Key, Decimal] = field(default_factory=dict)
    whole_round: bool = False  # True: the round's stored figures are checked too, not only the plan's (`check`)

    def figure(self, indicator: str, unit: str, category: str = "") -> Decimal | None:
        """This round's figure: the file's if it has one, else the one already stored."""
        if indicator == "unit.communes":
            communes = self.catalogue.units[unit].communes
            return None if communes is None else Decimal(communes)
        planned = self.planned.get((indicator, unit, category))
        return planned.value if planned else self.stored.get((indicator, unit, category))

    def name(self, unit: str) -> str:
        return self.catalogue.units[unit].name

    def label(self, indicator: str, language: str = "vi") -> str:
        """An indicator as people read it: its name, not its code (a unit's attribute by what it counts)."""
        found = self.catalogue.indicators.get(indicator)
        if found is not None:
            return found.name
        vi, en = UNIT_ATTRIBUTES.get(indicator, (indicator, indicator))
        return en if language == "en" else vi

    def whole(self, indicator: str, unit: str) -> Decimal | None:
        """The unit's figure over every category: the total when one is written, else its categories summed."""
        total = self.figure(indicator, unit)
        found = self.catalogue.indicators.get(indicator)
        if total is not None or found is None:
            return total
        parts = [
            part
            for dim, members in found.disaggregation.items()
            for member in members
            if (part := self.figure(indicator, unit, f"{dim}={member}")) is not None
        ]
        return sum(parts, Decimal(0)) if parts else None

    def units_with(self, indicators: tuple[str, ...]) -> list[str]:
        """The units with a figure of any of `indicators`: in the plan, and with `whole_round` in the round too."""
        keys = [*self.planned, *(self.stored if self.whole_round else ())]
        return list(dict.fromkeys(u for i, u, _ in keys if i in indicators))


def _main(values: list[PlannedValue]) -> dict[Key, PlannedValue]:
    """One figure per key: the latest as-of day, as the evaluation reads it."""
    out: dict[Key, PlannedValue] = {}
    ends: dict[str, date] = {}  # a file has a few dozen windows and many thousands of values

    def end(window: str) -> date:
        day = ends.get(window)
        if day is None:
            day = ends[window] = Window.from_key(window).end
        return day

    for v in values:
        key = (v.indicator, v.unit, v.category)
        if key not in out or end(v.window) > end(out[key].window):
            out[key] = v
    return out


# The unit's attributes a rule may compare with, as people say them.
UNIT_ATTRIBUTES = {"unit.communes": ("số xã của đơn vị", "the unit's number of communes")}


def _n(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _bound(value: Decimal | None) -> str:
    return "…" if value is None else _n(value)


class RuleCheck:
    at_import = True  # False: the rule is checked when a unit submits the dataset, not on every file

    def __init__(self, spec: Rule, dataset: Dataset):
        self.spec = spec
        self.dataset = dataset
        self.severity = Severity.ERROR if spec.severity == "error" else Severity.WARNING

    def problem(self, at: Location, vi: str, en: str) -> Problem:
        """A broken rule said with names only: the dataset's and the rule's codes are not for people."""
        return Problem(self.severity, at, vi, en)

    def mine(self, ctx: RuleContext) -> list[PlannedValue]:
        return [v for (i, _, _), v in ctx.planned.items() if i == self.spec.indicator]

    def check(self, ctx: RuleContext) -> Iterator[Problem]:
        raise NotImplementedError


class Range(RuleCheck):
    def check(self, ctx: RuleContext) -> Iterator[Problem]:
        low, high = self.spec.min, self.spec.max
        for v in self.mine(ctx):
            if (low is not None and v.value < low) or (high is not None and v.value > high):
                yield self.problem(
                    v.at("value"),
                    f"{ctx.label(v.indicator)} = {_n(v.value)} ngoài khoảng [{_bound(low)}; {_bound(high)}]",
                    f"{ctx.label(v.indicator)} = {_n(v.value)} outside [{_bound(low)}; {_bound(high)}]",
                )


class PartsTotal(RuleCheck):
    def check(self, ctx: RuleContext) -> Iterator[Problem]:
        ind = ctx.catalogue.indicators[self.spec.indicator or ""]
        for v in self.mine(ctx):
            if v.category:
                continue
            for dim, members in ind.disaggregation.items():
                parts = [p for m in members if (p := ctx.figure(ind.code, v.unit, f"{dim}={m}")) is not None]
                total = sum(parts, Decimal(0))
                if len(parts) == len(members) and total != v.value:
                    yield self.problem(
                        v.at("value"),
                        f"tổng {_n(v.value)} của {ind.name} ({ctx.name(v.unit)}) khác tổng các phân loại {_n(total)}",
                        f"total {_n(v.value)} of {ind.name} ({ctx.name(v.unit)}) differs from the sum of "
                        f"its categories {_n(total)}",
                    )


class NotAbove(RuleCheck):
    def check(self, ctx: RuleContext) -> Iterator[Problem]:
        limit = self.spec.limit or ""
        for v in self.mine(ctx):
            cap = ctx.figure(limit, v.unit, v.category if limit != "unit.communes" else "")
            if cap is not None and v.value > cap:
                yield self.problem(
                    v.at("value"),
                    f"{ctx.label(v.indicator)} = {_n(v.value)} lớn hơn {ctx.label(limit)} = {_n(cap)} "
                    f"({ctx.name(v.unit)})",
                    f"{ctx.label(v.indicator)} = {_n(v.value)} is above {ctx.label(limit, 'en')} = {_n(cap)}",
                )


class NotBelow(RuleCheck):
    """A figure over all its categories is never below another (a computer with a weakness has at least one)."""

    def shortfalls(self, ctx: RuleContext) -> Iterator[tuple[str, Decimal, Decimal]]:
        """(unit, its figure, the floor) of every unit whose figure is below its floor."""
        indicator, limit = self.spec.indicator or "", self.spec.limit or ""
        for unit in ctx.units_with((indicator, limit)):
            value, floor = ctx.whole(indicator, unit), ctx.whole(limit, unit)
            if value is not None and floor is not None and value < floor:
                yield unit, value, floor

    def message(self, ctx: RuleContext, unit: str, value: Decimal, floor: Decimal) -> tuple[str, str]:
        indicator, limit = self.spec.indicator or "", self.spec.limit or ""
        """What is wrong, without the unit (a round's finding names it apart)."""
        return (
            f"{ctx.label(indicator)} ({_n(value)}, cộng mọi phân loại) ít hơn {ctx.label(limit)} ({_n(floor)})",
            f"{ctx.label(indicator)} ({_n(value)}, all categories) is below {ctx.label(limit)} ({_n(floor)})",
        )

    def check(self, ctx: RuleContext) -> Iterator[Problem]:
        for unit, value, floor in self.shortfalls(ctx):
            written = [v for (i, u, _), v in ctx.planned.items() if u == unit and i == self.spec.indicator]
            at = written[0].at("value") if written else Location(field="value")
            vi, en = self.message(ctx, unit, value, floor)
            yield Problem(self.severity, at, f"{ctx.name(unit)}: {vi}", f"{ctx.name(unit)}: {en}")


class RateMatches(RuleCheck):
    def check(self, ctx: RuleContext) -> Iterator[Problem]:
        for v in self.mine(ctx):
            num = ctx.figure(self.spec.numerator or "", v.unit, v.category)
            den = ctx.figure(self.spec.denominator or "", v.unit, v.category)
            if num is None or not den:
                continue
            expected = num / den * self.spec.scale
            if abs(expected - v.value) > self.spec.tolerance:
                shown = f"{expected.quantize(Decimal('0.01')).normalize():f}"
                ratio = f"{ctx.label(self.spec.numerator or '')} / {ctx.label(self.spec.denominator or '')}"
                yield self.problem(
                    v.at("value"),
                    f"tỷ lệ {_n(v.value)} khác {ratio} = {shown}",
                    f"rate {_n(v.value)} differs from {ratio} = {shown}",
                )


class Cumulative(RuleCheck):
    def check(self, ctx: RuleContext) -> Iterator[Problem]:
        for v in self.mine(ctx):
            before = ctx.previous.get((v.indicator, v.unit, v.category))
            if before is not None and v.value < before:
                yield self.problem(
                    v.at("value"),
                    f"số lũy kế {ctx.label(v.indicator)} giảm từ {_n(before)} (kỳ trước) xuống {_n(v.value)}",
                    f"running total {ctx.label(v.indicator)} fell from {_n(before)} (last round) to {_n(v.value)}",
                )


class Required(RuleCheck):
    """Figures may come in several files: what a unit must have is checked when it submits the dataset."""

    at_import = False

    def check(self, ctx: RuleContext) -> Iterator[Problem]:
        for unit in self.dataset.units:
            missing = [i for i in self.spec.indicators if ctx.figure(i, unit) is None]
            if missing and any(ctx.figure(i, unit) is not None for i in self.dataset.indicators):
                yield self.problem(
                    Location(field="indicator"),
                    f"{ctx.name(unit)} chưa có chỉ tiêu bắt buộc: {'; '.join(ctx.label(i) for i in missing)}",
                    f"{ctx.name(unit)} lacks required indicators: {'; '.join(ctx.label(i) for i in missing)}",
                )


RULES: dict[str, type[RuleCheck]] = {
    "range": Range,
    "parts_total": PartsTotal,
    "not_above": NotAbove,
    "not_below": NotBelow,
    "rate": RateMatches,
    "cumulative": Cumulative,
    "required": Required,
}


def validate(
    plan: ImportPlan,
    catalogue: Catalogue,
    stored: Mapping[Key, Decimal] | None = None,
    previous: Mapping[Key, Decimal] | None = None,
) -> None:
    """Run every dataset's rules on the plan's figures; add their problems to the plan."""
    planned = _main([v for v in plan.values if not v.measure])
    ctx = RuleContext(catalogue, planned, stored or {}, previous or {})
    seen: set[tuple[str, str]] = set()
    by_dataset: dict[str, list[Problem]] = defaultdict(list)
    for dataset in catalogue.datasets.values():
        for spec in dataset.rules:
            rule = RULES[spec.rule](spec, dataset)
            if not rule.at_import:
                continue
            for problem in rule.check(ctx):
                key = (str(problem.location), problem.message_en)
                if key not in seen:  # an indicator in two datasets is reported once
                    seen.add(key)
                    by_dataset[dataset.code].append(problem)
    for problems in by_dataset.values():
        plan.problems.extend(problems)


def missing_required(dataset: Dataset, unit: str, present: set[str]) -> list[str]:
    """The indicators an error-level "required" rule asks of `unit` that are not in `present`."""
    needed = [i for r in dataset.rules if r.rule == "required" and r.severity == "error" for i in r.indicators]
    return [i for i in dict.fromkeys(needed) if i not in present]


@dataclass(frozen=True)
class RoundShortfall:
    """A declared rule broken by a round's stored figures, for the round's data-quality check."""

    severity: Severity
    dataset: str
    rule: str
    unit: str
    indicator: str
    figures: str
    message_vi: str
    message_en: str


ROUND_RULES = (NotBelow,)  # the rules no other data-quality check already covers on a whole round


def round_shortfalls(catalogue: Catalogue, figures: Mapping[Key, Decimal]) -> list[RoundShortfall]:
    """The declared rules in `ROUND_RULES` run on a round's figures (those it shows); each unit once a rule."""
    ctx = RuleContext(catalogue, {}, figures, whole_round=True)
    out: list[RoundShortfall] = []
    seen: set[tuple[str, str, str]] = set()
    for dataset in catalogue.datasets.values():
        for spec in dataset.rules:
            rule = RULES[spec.rule](spec, dataset)
            if not isinstance(rule, ROUND_RULES):
                continue
            for unit, value, floor in rule.shortfalls(ctx):
                if (spec.rule, spec.indicator or "", unit) in seen:  # an indicator in two datasets: said once
                    continue
                seen.add((spec.rule, spec.indicator or "", unit))
                vi, en = rule.message(ctx, unit, value, floor)
                shown = f"{_n(value)} < {_n(floor)}"
                indicator = spec.indicator or ""
                out.append(RoundShortfall(rule.severity, dataset.code, spec.rule, unit, indicator, shown, vi, en))
    return out
