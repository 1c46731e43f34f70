"""A round's evaluated figures as chart data: an indicator's bars by unit or by category, its target, its dated
figures within the round."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

import altair as alt

from dxmonitor.charts.specs import Bar, DatedPoint, Target, by_category, dated_series, indicator_by_unit
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


def dated_points(ctx: RoundContext, indicator: str, unit: str | None = None, language: str = "vi") -> list[DatedPoint]:
    """The unit's (default: the province's) figures of the indicator up to each as-of day of the round, earliest
    first; one per day (the first entered, as the round's main figure keeps), figures of a period left out."""
    ind = ctx.indicator(indicator)
    by_day: dict[str, DatedPoint] = {}
    for fact in ctx.facts_of(indicator, unit or ctx.whole, ""):
        day = fact.window.end.isoformat()
        if fact.window.start is None and day not in by_day:
            when = f"{fact.window.end.day}/{fact.window.end.month}"
            by_day[day] = DatedPoint(day, when, float(fact.value), figure(fact.value, ind.kind, ind.decimals, language))
    return sorted(by_day.values(), key=lambda p: p.day)


def dated_chart(
    ctx: RoundContext, indicator: str, *, title: str = "", target_word: str = "Chỉ tiêu", language: str = "vi"
) -> alt.LayerChart | None:
    """The province's figure of the indicator on each day it was read within the round, against its target; None
    with fewer than two days (one figure is no series)."""
    points = dated_points(ctx, indicator, language=language)
    if len(points) < 2:
        return None
    ind = ctx.indicator(indicator)
    target = target_of(ctx, indicator, target_word, language)
    return dated_series(points, title=title, target=target, percent=ind.kind == "percent")


def category_bars(ctx: RoundContext, indicator: str, units: Sequence[str], language: str = "vi") -> list[Bar]:
    """One bar per category of the indicator (in the catalogue's order) with a province total over `units`,
    labelled with the category's name ("Nguy hiểm")."""
    ind = ctx.indicator(indicator)
    bars = []
    for dimension, members in ind.disaggregation.items():
        for member, label in members.items():
            total = ctx.province_total(indicator, f"{dimension}={member}", units)
            if total.value is not None:
                text = figure(total.value, ind.kind, ind.decimals, language)
                bars.append(Bar(label, float(total.value), text))
    return bars


def by_category_chart(
    ctx: RoundContext, indicator: str, units: Sequence[str], *, title: str = "", language: str = "vi"
) -> alt.LayerChart | None:
    """The province's figures of the indicator by category, or None when it has none."""
    bars = category_bars(ctx, indicator, units, language)
    return by_category(bars, title=title) if bars else None
