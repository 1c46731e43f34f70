"""Evaluation as the seeds do it by hand: verdicts, changes against a baseline, totals, rankings, lists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Indicator, Target
from dxmonitor.catalogue.tree import Days
from dxmonitor.evaluation.facts import Fact, Key, RoundFacts
from dxmonitor.evaluation.succession import Note, compare_across, crosses_change
from dxmonitor.intake.windows import Window

Verdict = Literal["Đạt", "Không đạt"]
PASS: Verdict = "Đạt"
FAIL: Verdict = "Không đạt"


@dataclass(frozen=True)
class Evaluation:
    """One figure of a round with its target, verdict and change against the baseline round."""

    indicator: Indicator
    unit: str
    category: str
    value: Decimal | None
    window: Window | None
    baseline: Decimal | None = None
    baseline_window: Window | None = None
    note: Note | None = None  # why there is no change where the baseline lies on an older tree of units

    @property
    def target(self) -> Target | None:
        if self.window is None:
            return None
        return self.indicator.target_on(self.window.end)

    @property
    def verdict(self) -> Verdict | None:
        return verdict(self.indicator, self.value, self.window)

    @property
    def change(self) -> Decimal | None:
        """Percentage points for percents, absolute for counts and amounts."""
        return change(self.value, self.baseline)

    @property
    def change_pct(self) -> Decimal | None:
        return relative_change(self.value, self.baseline)


def verdict(indicator: Indicator, value: Decimal | None, window: Window | None) -> Verdict | None:
    if value is None or window is None:
        return None
    target = indicator.target_on(window.end)
    if target is None:
        return None
    result: Verdict = PASS if target.is_met(value) else FAIL
    return result


def change(value: Decimal | None, baseline: Decimal | None) -> Decimal | None:
    if value is None or baseline is None:
        return None
    return value - baseline


def relative_change(value: Decimal | None, baseline: Decimal | None) -> Decimal | None:
    if value is None or baseline is None or baseline == 0:
        return None
    return (value - baseline) / baseline * 100


def evaluate(
    current: RoundFacts, baseline: RoundFacts | None, catalogue: Catalogue, baseline_days: Days | None = None
) -> dict[Key, Evaluation]:
    """Every key of the round (derived figures included beforehand) evaluated against `baseline`; a unit that did
    not exist on the baseline's days (`baseline_days`) is compared through its predecessors (succession.py)."""
    base = baseline.main() if baseline else {}
    out: dict[Key, Evaluation] = {}
    for key, fact in current.main().items():
        indicator = catalogue.indicators.get(fact.indicator)
        if indicator is None:
            continue
        if baseline is not None and crosses_change(catalogue, fact.unit, baseline_days):
            across = compare_across(catalogue, indicator, fact.unit, fact.category, base, baseline_days)
            out[key] = Evaluation(
                indicator,
                fact.unit,
                fact.category,
                fact.value,
                fact.window,
                across.baseline,
                across.window,
                across.note,
            )
            continue
        previous = base.get(key)
        out[key] = Evaluation(
            indicator,
            fact.unit,
            fact.category,
            fact.value,
            fact.window,
            previous.value if previous else None,
            previous.window if previous else None,
        )
    return out


def is_rankable(unit_kind: str) -> bool:
    """Buckets such as "unknown district", groups and the province itself take no place in rankings."""
    return unit_kind not in ("other", "group", "province")


def top(evaluations: Sequence[Evaluation], n: int, kinds: dict[str, str]) -> list[Evaluation]:
    """The n best units by value (direction-aware); ties keep the table's order."""
    ranked = [e for e in evaluations if e.value is not None and is_rankable(kinds.get(e.unit, ""))]
    lower_better = bool(ranked) and ranked[0].indicator.direction == "lower"
    ranked.sort(key=lambda e: _value(e) if lower_better else -_value(e))
    return ranked[:n]


def _value(evaluation: Evaluation) -> Decimal:
    assert evaluation.value is not None
    return evaluation.value


def below_target(evaluations: Iterable[Evaluation]) -> list[Evaluation]:
    """Units that miss their target, in the table's order."""
    return [e for e in evaluations if e.verdict == FAIL]


def at_best(evaluations: Sequence[Evaluation], kinds: dict[str, str]) -> tuple[Decimal | None, list[Evaluation]]:
    """The best value reached and every unit that reached it (e.g. everyone at 100%)."""
    ranked = top(evaluations, len(evaluations), kinds)
    if not ranked:
        return None, []
    best = ranked[0].value
    return best, [e for e in ranked if e.value == best]


def total(
    indicator: Indicator, category: str, units: Sequence[str], main: dict[Key, Fact], catalogue: Catalogue, whole: str
) -> Decimal | None:
    """The total row of a column: a sum for counts and amounts, the ratio of sums for a derived rate,
    and the whole's own reported figure for any other rate (a rate cannot be summed)."""
    spec = indicator.derived
    if spec is not None and spec.numerator and spec.denominator:
        num_ind = catalogue.indicators[spec.numerator]
        den_ind = catalogue.indicators[spec.denominator]
        den_category = category if den_ind.disaggregation else ""
        num = total(num_ind, category, units, main, catalogue, whole)
        den = total(den_ind, den_category, units, main, catalogue, whole)
        return None if num is None or not den else num / den * spec.scale
    if indicator.kind == "percent":
        fact = main.get((indicator.code, whole, category))
        return fact.value if fact else None
    present = [main[(indicator.code, u, category)].value for u in units if (indicator.code, u, category) in main]
    return sum(present, Decimal(0)) if present else None
