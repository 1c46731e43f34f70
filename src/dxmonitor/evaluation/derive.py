"""Derived figures: rates from numerators and denominators, unit attributes, totals of categories."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Indicator
from dxmonitor.evaluation.facts import Fact, RoundFacts
from dxmonitor.intake.windows import Window


def _category_totals(facts: list[Fact], catalogue: Catalogue) -> list[Fact]:
    """The all-categories figure of a disaggregated indicator, where it was not entered: the sum of its parts,
    when every part is there (a total of some channels would read as a fall)."""
    present = {(f.indicator, f.unit, f.window) for f in facts if f.category == ""}
    sums: dict[tuple[str, str, Window], Decimal] = defaultdict(Decimal)
    parts: dict[tuple[str, str, Window], set[str]] = defaultdict(set)
    for fact in facts:
        ind = catalogue.indicators.get(fact.indicator)
        if fact.category and ind is not None and ind.derived is None:
            sums[(fact.indicator, fact.unit, fact.window)] += fact.value
            parts[(fact.indicator, fact.unit, fact.window)].add(fact.category)
    out = []
    for (code, unit, window), total in sums.items():
        dims = catalogue.indicators[code].disaggregation
        complete = any(parts[(code, unit, window)] == {f"{d}={m}" for m in members} for d, members in dims.items())
        if complete and (code, unit, window) not in present:
            out.append(Fact(code, unit, "", window, total, computed=True))
    return out


def _ratio(indicator: Indicator, facts: list[Fact], catalogue: Catalogue) -> list[Fact]:
    spec = indicator.derived
    assert spec is not None and spec.numerator and spec.denominator
    denominators = {(f.unit, f.category, f.window): f for f in facts if f.indicator == spec.denominator}
    by_unit: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.indicator == spec.denominator:
            by_unit[(f.unit, f.category)].append(f)
    out = []
    for num in (f for f in facts if f.indicator == spec.numerator):
        den = denominators.get((num.unit, num.category, num.window)) or denominators.get((num.unit, "", num.window))
        if den is None:  # a denominator that does not change with the window (e.g. the unit's communes)
            candidates = by_unit.get((num.unit, num.category)) or by_unit.get((num.unit, ""), [])
            den = max(candidates, key=lambda f: f.window.end) if candidates else None
        if den is None or den.value == 0:
            continue
        category = num.category if num.category.split("=")[0] in indicator.disaggregation or not num.category else ""
        if num.category and not category:
            continue
        out.append(
            Fact(indicator.code, num.unit, category, num.window, num.value / den.value * spec.scale, computed=True)
        )
    return out


def derive(round_facts: RoundFacts, catalogue: Catalogue) -> RoundFacts:
    """A copy of the round with every derived figure added (entered figures are never overwritten)."""
    facts = [f for f in round_facts.facts if not _is_derived(f, catalogue)]
    facts += _category_totals(facts, catalogue)
    latest: dict[str, Window] = {}  # a unit attribute holds on the unit's own latest as-of day
    for f in facts:
        if f.unit not in latest or f.window.end > latest[f.unit].end:
            latest[f.unit] = Window(f.window.end)
    for indicator in catalogue.indicators.values():
        spec = indicator.derived
        if spec is None or spec.unit_attribute is None:
            continue
        for unit in catalogue.units.values():
            number = getattr(unit, spec.unit_attribute)
            if number is not None and unit.code in latest:
                facts.append(Fact(indicator.code, unit.code, "", latest[unit.code], Decimal(number), computed=True))
    for indicator in _in_dependency_order(catalogue):
        facts += _ratio(indicator, facts, catalogue)
    return RoundFacts(round_facts.code, round_facts.name, facts, list(round_facts.printed))


def _is_derived(fact: Fact, catalogue: Catalogue) -> bool:
    ind = catalogue.indicators.get(fact.indicator)
    return ind is not None and ind.derived is not None


def _in_dependency_order(catalogue: Catalogue) -> list[Indicator]:
    """Ratios whose inputs are ratios themselves come after those inputs."""
    inputs = {
        i.code: {i.derived.numerator, i.derived.denominator}
        for i in catalogue.indicators.values()
        if i.derived is not None and i.derived.numerator is not None
    }
    ordered: list[Indicator] = []
    while inputs:
        ready = [code for code, needs in inputs.items() if not (needs & set(inputs))]
        if not ready:
            raise ValueError("derived indicators depend on each other in a circle")
        ordered += [catalogue.indicators[code] for code in ready]
        for code in ready:
            del inputs[code]
    return ordered
