"""Everything a report builder needs about one round, as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.catalogue.schema import Dataset, Indicator, Unit
from dxmonitor.catalogue.tree import Days, in_force, whole_on
from dxmonitor.evaluation.completeness import Coverage, expected_units
from dxmonitor.evaluation.derive import derive
from dxmonitor.evaluation.facts import Fact, Key, RoundFacts
from dxmonitor.evaluation.rules import Evaluation, evaluate, total
from dxmonitor.evaluation.succession import Note, crosses_change, lineage, structural_note
from dxmonitor.intake.windows import Window


@dataclass(frozen=True)
class Total:
    """A column's total for the whole province, and what it was built from: the whole's own reported figure
    (`own`), or the sum (or ratio of sums) of the units that reported, out of those expected (`coverage`)."""

    value: Decimal | None
    coverage: Coverage
    own: bool = False

    @property
    def partial(self) -> bool:
        """A sum of fewer units than expected: never to be shown as the province's figure."""
        return not self.own and self.value is not None and self.coverage.partial


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
        return evaluate(self.current, self.baseline, self.catalogue, self.days(baseline=True))

    @cached_property
    def whole(self) -> str:
        """The code of the unit that stands for the whole: the province in force on the round's days."""
        return whole_on(self.catalogue, self.days())

    @cached_property
    def baseline_whole(self) -> str:
        """The province in force on the baseline's days (another one when the baseline lies before a merger)."""
        return whole_on(self.catalogue, self.days(baseline=True)) if self.baseline is not None else self.whole

    @property
    def crosses_change(self) -> bool:
        """The baseline lies on an older tree: some unit of the round did not exist on its days."""
        days = self.days(baseline=True)
        return self.baseline is not None and any(crosses_change(self.catalogue, u, days) for _, u, _ in self.main)

    def whole_note(self, indicator: str) -> Note | None:
        """Why the whole's total of `indicator` does not compare with the baseline's whole (a province that merged
        with one outside the catalogue), or None when it does."""
        days = self.days(baseline=True)
        if self.baseline is None or not crosses_change(self.catalogue, self.whole, days):
            return None
        preds = lineage(self.catalogue, self.whole, days)
        return structural_note(self.catalogue, self.indicator(indicator), self.whole, preds)

    def whole_of(self, baseline: bool = False) -> str:
        return self.baseline_whole if baseline else self.whole

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
        return total(self.indicator(indicator), category, units, main, self.catalogue, self.whole_of(baseline))

    def days(self, baseline: bool = False) -> Days | None:
        """The days of the round's month (of the baseline's, with `baseline`)."""
        facts = self.baseline if baseline else self.current
        return round_days(facts.code) if facts is not None else None

    def expected_of(self, units: Iterable[str], baseline: bool = False) -> list[str]:
        """Of `units`, those a total adds up on the round's days: in force, not a group, not the whole itself."""
        whole = self.whole_of(baseline)
        return [u for u in expected_units(units, self.catalogue, self.days(baseline)) if u != whole]

    def groups_of(self, dataset: Dataset) -> list[str]:
        """The groups a grouped table of the dataset puts its rows under: those in force on the round's days."""
        return [g for g in dataset.groups if in_force(self.catalogue.units[g], self.days())]

    def coverage(self, indicator: str, category: str, units: Iterable[str], baseline: bool = False) -> Coverage:
        """How many of the expected units among `units` have a figure of the indicator and category."""
        main = self.baseline_main if baseline else self.main
        expected = self.expected_of(units, baseline)
        return Coverage(tuple(expected), tuple(u for u in expected if (indicator, u, category) in main))

    def province_total(self, indicator: str, category: str, units: Iterable[str], baseline: bool = False) -> Total:
        """The total row of a column over `units` (a table's candidates, in order), saying what it stands on:
        a rate that cannot be summed is the whole's own figure; a sum of fewer units than expected (or of none) gives
        way to the whole's own figure where it sent one, else it is kept and marked partial."""
        whole = self.whole_of(baseline)
        candidates = [u for u in dict.fromkeys(units) if u != whole]
        main = self.baseline_main if baseline else self.main
        covered = self.coverage(indicator, category, candidates, baseline)
        ind = self.indicator(indicator)
        own = main.get((indicator, whole, category))
        if ind.kind == "percent" and ind.derived is None:
            return Total(own.value if own else None, covered, own=True)
        if own is not None and (covered.partial or not covered.reported):
            return Total(own.value, covered, own=True)
        return Total(self.total(indicator, category, candidates, baseline), covered)

    def window_of(self, indicator: str) -> Window | None:
        """The as-of window of an indicator's figures in this round (the whole's own, else any unit's)."""
        fact = self.main.get((indicator, self.whole, "")) or next(
            (f for f in self.main.values() if f.indicator == indicator), None
        )
        return fact.window if fact else None

    def series(self, indicator: str, category: str = "") -> list[Fact]:
        """The whole's dated figures of `indicator` within the round's period, in day order: every "to date" figure
        from the last day before the round's month onward, of this round and of its baseline (a figure both hold once,
        this round's), a value repeated on a later day kept at its first day. Empty for a round that is no month."""
        days = self.days()
        if days is None:
            return []
        since = days[0] - timedelta(days=1)
        wholes = [(self.current, self.whole)] + ([(self.baseline, self.baseline_whole)] if self.baseline else [])
        by_day: dict[date, Fact] = {}
        for facts, whole in wholes:
            for fact in facts.facts:
                dated = fact.window.start is None and fact.window.end >= since
                if dated and (fact.indicator, fact.unit, fact.category) == (indicator, whole, category):
                    by_day.setdefault(fact.window.end, fact)
        out: list[Fact] = []
        for fact in sorted(by_day.values(), key=lambda f: f.window.end):
            if not out or out[-1].value != fact.value:
                out.append(fact)
        return out

    def facts_of(self, indicator: str, unit: str, category: str) -> list[Fact]:
        return self.current.of((indicator, unit, category))

    def windows_of(self, indicators: Iterable[str], units: Iterable[str]) -> list[Window]:
        """Every window the figures use, in the order they were entered."""
        codes, members = set(indicators), set(units)
        seen: list[Window] = []
        for fact in self.current.facts:
            if fact.indicator in codes and fact.unit in members and fact.window not in seen:
                seen.append(fact.window)
        return seen
