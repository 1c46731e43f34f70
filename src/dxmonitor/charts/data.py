"""A round's evaluated figures as chart data: the bars of an indicator by unit, its target, a series of rounds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

import altair as alt

from dxmonitor.charts.specs import Bar, Target, indicator_by_unit
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.formats import figure


def target_text(op: str, value: Decimal, kind: str, decimals: int, language: str = "vi") -> str:
    """ "≥ 80%", "≤ 5"."""
    return f"{op.replace('>=', '≥').replace('<=', '≤')} {figure(value, kind, decimals, language)}"


def unit_bars(
    ctx: RoundContext, indicator: str, units: Sequence[str], category: str = "", language: str = "vi"
) -> list[Bar]:
    """One bar per unit with a figure, in the order of `units`, labelled with its short name."""
    ind = ctx.indicator(indicator)
    bars = []
    for unit in units:
        ev = ctx.evaluations.get((indicator, unit, category))
        if ev is None or ev.value is None:
            continue
        text = figure(ev.value, ind.kind, ind.decimals, language)
        bars.append(Bar(ctx.unit(unit).short_name, float(ev.value), text, ev.verdict or ""))
    return bars


def target_of(ctx: RoundContext, indicator: str, word: str = "Chỉ tiêu", language: str = "vi") -> Target | None:
    """The indicator's target on the round's as-of day, labelled "Chỉ tiêu ≥ 80%"."""
    ind = ctx.indicator(indicator)
    window = ctx.window_of(indicator)
    target = ind.target_on(window.end) if window else None
    if target is None:
        return None
    said = target_text(target.op, target.value, ind.kind, ind.decimals, language)
    return Target(float(target.value), f"{word} {said}")


def by_unit_chart(
    ctx: RoundContext,
    indicator: str,
    units: Sequence[str],
    *,
    title: str | None = None,
    target_word: str = "Chỉ tiêu",
    legend_title: str = "Đánh giá",
    width: int = 520,
    language: str = "vi",
    verdict_labels: tuple[str, str] = ("Đạt", "Không đạt"),
) -> alt.LayerChart | None:
    """The indicator's figures of `units` against its target, or None when no unit has a figure; figures, target and
    verdicts said in `language` (the report's: Vietnamese)."""
    said = dict(zip(("Đạt", "Không đạt"), verdict_labels, strict=True))
    bars = [replace(b, verdict=said.get(b.verdict, b.verdict)) for b in unit_bars(ctx, indicator, units, "", language)]
    if not bars:
        return None
    ind = ctx.indicator(indicator)
    return indicator_by_unit(
        bars,
        title=title if title is not None else ind.name,
        target=target_of(ctx, indicator, target_word, language),
        percent=ind.kind == "percent",
        legend_title=legend_title,
        width=width,
        verdict_labels=verdict_labels,
    )
