"""Read a round's stored figures as plain facts for the evaluation core."""

from __future__ import annotations

from dxmonitor.catalogue.models import Round
from dxmonitor.evaluation.facts import Fact, PrintedFact, RoundFacts
from dxmonitor.intake.models import PrintedFigure, Value
from dxmonitor.intake.windows import Window


def round_facts(round_: Round) -> RoundFacts:
    """Every value and printed figure of the round, in the order they were entered."""
    values = (
        Value.objects.filter(round=round_)
        .order_by("pk")
        .values_list("indicator__code", "unit__code", "category", "window", "value")
    )
    printed = (
        PrintedFigure.objects.filter(round=round_)
        .order_by("pk")
        .values_list("indicator__code", "unit__code", "category", "window", "measure", "value", "source_ref")
    )
    windows: dict[str, Window] = {}

    def window(key: str) -> Window:
        if key not in windows:
            windows[key] = Window.from_key(key)
        return windows[key]

    return RoundFacts(
        round_.code,
        round_.name,
        [Fact(i, u, c, window(w), v) for i, u, c, w, v in values],
        [PrintedFact(i, u, c, window(w), m, v, ref) for i, u, c, w, m, v, ref in printed],
    )
