"""Plain facts of a round, the input of every evaluation: no Django here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dxmonitor.intake.windows import Window

Key = tuple[str, str, str]  # indicator, unit, category


@dataclass(frozen=True)
class Fact:
    indicator: str
    unit: str
    category: str
    window: Window
    value: Decimal
    computed: bool = False

    @property
    def key(self) -> Key:
        return self.indicator, self.unit, self.category


@dataclass(frozen=True)
class PrintedFact:
    """A figure an issued report printed: `measure` is printed, printed_change or printed_change_pct."""

    indicator: str
    unit: str
    category: str
    window: Window
    measure: str
    value: Decimal
    source_ref: str = ""


@dataclass
class RoundFacts:
    code: str
    name: str
    facts: list[Fact] = field(default_factory=list)
    printed: list[PrintedFact] = field(default_factory=list)
    _main: dict[Key, Fact] | None = field(default=None, repr=False, compare=False)
    _main_of: tuple[int, int] = field(default=(0, -1), repr=False, compare=False)
    _grouped: dict[Key, list[Fact]] | None = field(default=None, repr=False, compare=False)
    _grouped_of: tuple[int, int] = field(default=(0, -1), repr=False, compare=False)

    def by_key(self) -> dict[Key, list[Fact]]:
        grouped: dict[Key, list[Fact]] = defaultdict(list)
        for fact in self.facts:
            grouped[fact.key].append(fact)
        return grouped

    def of(self, key: Key) -> list[Fact]:
        """The figures of one key, in the order they were entered. The grouping is kept until the facts change: a
        report's tables ask for thousands of keys, and scanning every figure for each was most of building one."""
        if self._grouped is None or self._grouped_of != (id(self.facts), len(self.facts)):
            self._grouped = self.by_key()
            self._grouped_of = (id(self.facts), len(self.facts))
        return list(self._grouped.get(key, ()))

    def main(self) -> dict[Key, Fact]:
        """The figure that stands for each key in this round: the latest as-of day, then the longest window.
        Kept until the facts change: evaluation, checks and pages all ask for it."""
        if self._main is None or self._main_of != (id(self.facts), len(self.facts)):
            main: dict[Key, Fact] = {}
            for fact in self.facts:  # one pass; most keys have one figure, and only the others are ranked
                key = (fact.indicator, fact.unit, fact.category)
                held = main.get(key)
                if held is None or _rank(fact) > _rank(held):  # ties keep the first, as max() does
                    main[key] = fact
            self._main = main
            self._main_of = (id(self.facts), len(self.facts))
        return dict(self._main)  # a copy: callers may not alter the kept one


def _rank(fact: Fact) -> tuple[date, bool, int]:
    """The latest as-of day first, then the longest window (a running total beats a period ending that day)."""
    window = fact.window
    return window.end, window.start is None, -(window.start or window.end).toordinal()


def pick_main(facts: Iterable[Fact]) -> Fact:
    return max(facts, key=_rank)
