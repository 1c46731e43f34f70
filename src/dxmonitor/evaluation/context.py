"""Everything a report builder needs about one round, as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Dataset, Indicator, Unit
from dxmonitor.evaluation.derive import derive
from dxmonitor.evaluation.facts import Fact, Key, RoundFacts
from dxmonitor.evaluation.rules import Evaluation, evaluate, total
from dxmonitor.intake.windows import Window


@dataclass
class RoundContext:
    """A round's figures with derived ones, its baseline's, and their evaluation."""

    catalogue: Catalogue
    current: RoundFacts
    baseline: RoundFacts | None
    main: dict[Key, Fact] = field(default_factory=dict)
    baseline_main: dict[Key, Fact] = field(default_factory=dict)

    @classmethod
    def build(cls, catalogue: Catalogue, current: RoundFacts, baseline: RoundFacts | None) -> RoundContext:
        cur = derive(current, catalogue)
        base = derive(baseline, catalogue) if baseline else None
        return cls(catalogue, cur, base, cur.main(), base.main() if base else {})

    @cached_property
    def evaluations(self) -> dict[Key, Evaluation]:
        """Every figure's verdict and change, evaluated when first asked for: a trend reads only the totals of
        its rounds, and evaluating each of them was most of a dashboard's first view."""
        return evaluate(self.current, self.baseline, self.catalogue)

    @property
    def whole(self) -> str:
        """The code of the unit that stands for the whole (the province)."""
        return next((u.code for u in self.catalogue.units.values() if u.kind == "province" and u.parent is None), "")

    def unit(self, code: str) -> Unit:
        return self.catalogue.units[code]

    def indicator(self, code: str) -> Indicator:
        return self.catalogue.indicators[code]

    def dataset(self, code: str) -> Dataset:
        return self.catalogue.datasets[code]

    @property
    def kinds(self) -> dict[str, str]:
        return {code: u.kind for code, u in self.catalogue.units.items()}

    def rows_of(self, dataset: Dataset, indicators: Iterable[tuple[str, str]]) -> list[str]:
        """The dataset's units that have a figure for any of the (indicator, category) pairs, in dataset order."""
        wanted = list(indicators)
        return [u for u in dataset.units if any((i, u, c) in self.main for i, c in wanted)]

    def total(self, indicator: str, category: str, units: list[str], baseline: bool = False) -> Decimal | None:
        main = self.baseline_main if baseline else self.main
        return total(self.indicator(indicator), category, units, main, self.catalogue, self.whole)

    def window_of(self, indicator: str) -> Window | None:
        """The as-of window of an indicator's figures in this round (the whole's own, else any unit's)."""
        fact = self.main.get((indicator, self.whole, "")) or next(
            (f for f in self.main.values() if f.indicator == indicator), None
        )
        return fact.window if fact else None

    def facts_of(self, indicator: str, unit: str, category: str) -> list[Fact]:
        return [f for f in self.current.facts if f.key == (indicator, unit, category)]

    def windows_of(self, indicators: Iterable[str], units: Iterable[str]) -> list[Window]:
        """Every window the figures use, in the order they were entered."""
        codes, members = set(indicators), set(units)
        seen: list[Window] = []
        for fact in self.current.facts:
            if fact.indicator in codes and fact.unit in members and fact.window not in seen:
                seen.append(fact.window)
        return seen
