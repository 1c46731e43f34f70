"""The rounds and their figures for a page: read in one query, derived and evaluated once per request."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.rounds import ROUND_CODE
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.derive import derive
from dxmonitor.evaluation.facts import Fact, PrintedFact, RoundFacts
from dxmonitor.intake.models import PrintedFigure, Value
from dxmonitor.intake.windows import Window

TREND_ROUNDS = 12  # how many rounds a trend chart goes back


@lru_cache(maxsize=4096)
def _window(key: str) -> Window:
    return Window.from_key(key)


def _trend_codes(rounds: list[Round], around: str) -> set[str]:
    until = next((i for i, r in enumerate(rounds) if r.code == around), len(rounds) - 1)
    chosen = rounds[max(0, until - TREND_ROUNDS) : until + 1]  # one more: the oldest one's baseline
    baselines = {r.baseline_id for r in chosen if r.baseline_id}
    return {r.code for r in chosen} | {r.code for r in rounds if r.pk in baselines}


@dataclass
class History:
    """Rounds in order (oldest first) with their derived figures; contexts are built when first asked for."""

    catalogue: Catalogue
    rounds: list[Round]
    facts: dict[str, RoundFacts]
    _derived: dict[str, RoundFacts] = field(default_factory=dict)
    _contexts: dict[str, RoundContext] = field(default_factory=dict)

    @classmethod
    def load(cls, units: Iterable[str] | None = None, around: str | None = None) -> History:
        """Every round, with the values of `units` (default: all); with `around` (a round code, "" for the latest),
        only the values a page of that round shows: its trend's rounds and their baselines."""
        # a round saved with a wrong code before codes were checked has no month: the rounds page lists it to be fixed
        rounds = [r for r in Round.objects.order_by("code") if ROUND_CODE.match(r.code)]
        values = Value.objects.order_by("pk")
        if units is not None:
            values = values.filter(unit__code__in=list(units))
        if around is not None:
            values = values.filter(round__code__in=_trend_codes(rounds, around))
        grouped: dict[str, list[Fact]] = defaultdict(list)
        for code, ind, unit, cat, win, value in values.values_list(
            "round__code", "indicator__code", "unit__code", "category", "window", "value"
        ):
            grouped[code].append(Fact(ind, unit, cat, _window(win), value))
        facts = {r.code: RoundFacts(r.code, r.name, grouped.get(r.code, [])) for r in rounds}
        return cls(get_catalogue(), rounds, facts)

    def earlier(self, round_: Round, rounds: int = 12) -> list[RoundFacts]:
        """Up to `rounds` rounds before this one, newest first: the unit's own past that `check` compares with."""
        before = [r for r in self.rounds if r.code < round_.code][-rounds:]
        return [self.facts[r.code] for r in reversed(before)]

    def with_printed(self, round_: Round) -> History:
        """Add the figures the round's issued report printed (its data-quality checks compare them)."""
        printed = PrintedFigure.objects.filter(round=round_).order_by("pk")
        self.facts[round_.code].printed = [
            PrintedFact(i, u, c, _window(w), m, v, ref)
            for i, u, c, w, m, v, ref in printed.values_list(
                "indicator__code", "unit__code", "category", "window", "measure", "value", "source_ref"
            )
        ]
        self._derived.pop(round_.code, None)
        self._contexts.clear()
        return self

    def find(self, code: str | None) -> Round | None:
        """The round of `code`, or the latest round when `code` is empty; None when there is no such round."""
        if not code:
            return self.rounds[-1] if self.rounds else None
        return next((r for r in self.rounds if r.code == code), None)

    def baseline_of(self, round_: Round) -> Round | None:
        """As Round.effective_baseline, without a query: the chosen baseline, else the round before."""
        if round_.baseline_id:
            return next((r for r in self.rounds if r.pk == round_.baseline_id), None)
        earlier = [r for r in self.rounds if r.code < round_.code]
        return earlier[-1] if earlier else None

    def derived(self, code: str) -> RoundFacts:
        if code not in self._derived:
            self._derived[code] = derive(self.facts[code], self.catalogue)
        return self._derived[code]

    def context(self, round_: Round) -> RoundContext:
        """The round evaluated against its baseline, as the report builds it."""
        if round_.code not in self._contexts:
            baseline = self.baseline_of(round_)
            current = self.derived(round_.code)
            before = self.derived(baseline.code) if baseline else None
            self._contexts[round_.code] = RoundContext(
                self.catalogue, current, before, current.main(), before.main() if before else {}
            )
        return self._contexts[round_.code]

    def trend_rounds(self, until: Round | None = None, count: int = TREND_ROUNDS) -> list[Round]:
        """The last `count` rounds up to `until` (default: the latest), oldest first."""
        rounds = [r for r in self.rounds if until is None or r.code <= until.code]
        return rounds[-count:]
