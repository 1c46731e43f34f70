"""Chart definitions from plain data: bars per unit against a target line, bars per category, a trend across rounds
and the dated figures within one round.

The same definition draws the dashboard's inline SVG and the report's PNG, so a figure looks alike in both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import altair as alt

FONT = "Liberation Sans, Arial, sans-serif"
PASS_COLOUR, FAIL_COLOUR, PLAIN_COLOUR, TARGET_COLOUR = "#1a7f37", "#c62828", "#0b4f9c", "#9a6700"
BAR_STEP = 20  # pixels per unit: 27 units make a chart about 600 px high
SERIES_COLOURS = ["#0b4f9c", "#c2410c", "#1a7f37", "#7c3aed", "#0e7490", "#a16207", "#be185d"]


@dataclass(frozen=True)
class Bar:
    """One unit's figure: `text` is its Vietnamese formatting ("77,3%"), `verdict` "Đạt", "Không đạt" or ""."""

    unit: str
    value: float
    text: str
    verdict: str = ""


@dataclass(frozen=True)
class Point:
    """One figure of a series in a round: `round` is the round's name ("tháng 6/2022"), `order` its place."""

    round: str
    order: int
    series: str
    value: float
    text: str


@dataclass(frozen=True)
class DatedPoint:
    """One dated figure within a round: `day` its as-of day in ISO form ("2022-06-16"), `day_text` as the axis
    writes it ("16/6"), `text` the figure's formatting ("94,5%")."""

    day: str
    day_text: str
    value: float
    text: str


@dataclass(frozen=True)
class Target:
    value: float
    text: str  # "Chỉ tiêu ≥ 80%"


def _inline(values: list[dict[str, object]]) -> alt.Data:
    """Data kept inside the layer that draws it (InlineData would be moved to the spec's top-level datasets)."""
    return alt.Data(values=values)  # type: ignore[no-untyped-call]  # Altair's Data has an untyped constructor


def _configured(chart: alt.LayerChart, title: str) -> alt.LayerChart:
    if title:
        chart = chart.properties(title=alt.TitleParams(title, anchor="start", fontSize=14, limit=0))
    configured: alt.LayerChart = (
        chart.configure(font=FONT, background="white")
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12, grid=True, gridColor="#e5e9ee")
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="top", labelLimit=0)
    )
    return configured


def _target_layers(target: Target | None, channel: str) -> list[alt.Chart]:
    """A dashed rule at the target with its label; `channel` is "x" (bars) or "y" (trend)."""
    if target is None:
        return []
    data = _inline([asdict(target)])
    position = {channel: alt.X("value:Q") if channel == "x" else alt.Y("value:Q")}
    rule = alt.Chart(data).mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], size=2).encode(**position)
    if channel == "x":
        label = (
            alt.Chart(data)
            .mark_text(color=TARGET_COLOUR, align="left", baseline="bottom", dx=4, y=-4, fontWeight="bold")
            .encode(x=alt.X("value:Q"), text=alt.Text("text:N"))
        )
    else:
        label = (
            alt.Chart(data)
            .mark_text(color=TARGET_COLOUR, align="right", baseline="bottom", dy=-3, x="width", fontWeight="bold")
            .encode(y=alt.Y("value:Q"), text=alt.Text("text:N"))
        )
    return [rule.properties(name="target"), label.properties(name="target_label")]


def indicator_by_unit(
    bars: Sequence[Bar],
    *,
    title: str,
    target: Target | None = None,
    percent: bool = False,
    axis_title: str = "",
    legend_title: str = "Đánh giá",
    width: int = 520,
    verdict_labels: tuple[str, str] = ("Đạt", "Không đạt"),
) -> alt.LayerChart:
    """Horizontal bars, one per unit in the order given, coloured by verdict (the bars' verdicts are among
    `verdict_labels`: met, not met), with the target as a dashed rule."""
    values = [asdict(b) for b in bars]
    highest = max([b.value for b in bars] + [target.value if target else 0] + [0])
    domain = [0, max(100.0, highest)] if percent else [0, highest * 1.15 or 1]
    verdicts = [v for v in verdict_labels if any(b.verdict == v for b in bars)]
    colour = (
        alt.Color(
            "verdict:N",
            title=legend_title,
            scale=alt.Scale(
                domain=verdicts, range=[PASS_COLOUR if v == verdict_labels[0] else FAIL_COLOUR for v in verdicts]
            ),
        )
        if verdicts
        else alt.value(PLAIN_COLOUR)
    )
    base = alt.Chart(_inline(values))
    y = alt.Y("unit:N", sort=None, title=None, axis=alt.Axis(labelLimit=220))
    x = alt.X("value:Q", title=axis_title or None, scale=alt.Scale(domain=domain, nice=False))
    bar = base.mark_bar(height=max(BAR_STEP - 6, 6)).encode(
        y=y, x=x, color=colour, tooltip=[alt.Tooltip("unit:N", title=" "), alt.Tooltip("text:N", title=" ")]
    )
    label = base.mark_text(align="left", baseline="middle", dx=3, fontSize=11, color="#1b1f24").encode(
        y=y, x=x, text=alt.Text("text:N")
    )
    layers = [bar.properties(name="bars"), label.properties(name="bar_labels"), *_target_layers(target, "x")]
    chart = alt.LayerChart(layer=layers).properties(width=width, height=alt.Step(BAR_STEP))
    return _configured(chart, title)


def trend(
    points: Sequence[Point],
    *,
    title: str,
    target: Target | None = None,
    percent: bool = False,
    axis_title: str = "",
    width: int = 520,
    height: int = 260,
) -> alt.LayerChart:
    """One line per series across rounds (in `order`), each point labelled with its figure."""
    values = [asdict(p) for p in points]
    rounds = [p.round for p in sorted(points, key=lambda p: p.order)]
    series = list(dict.fromkeys(p.series for p in points))
    highest = max([p.value for p in points] + [target.value if target else 0] + [0])
    domain = [0, max(100.0, highest)] if percent else [0, highest * 1.15 or 1]
    base = alt.Chart(_inline(values))
    x = alt.X("round:O", sort=list(dict.fromkeys(rounds)), title=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", title=axis_title or None, scale=alt.Scale(domain=domain, nice=False))
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=series, range=SERIES_COLOURS[: len(series)] or SERIES_COLOURS[:1]),
        legend=alt.Legend(orient="bottom", direction="vertical") if len(series) > 1 else None,
    )
    line = base.mark_line(point=alt.OverlayMarkDef(size=60, filled=True), strokeWidth=2).encode(
        x=x, y=y, color=colour, tooltip=[alt.Tooltip("series:N", title=" "), alt.Tooltip("text:N", title=" ")]
    )
    layers = [line.properties(name="lines")]
    if len(series) == 1:  # labels of several close lines would overprint each other
        label = base.mark_text(dy=-10, fontSize=11).encode(x=x, y=y, text=alt.Text("text:N"), color=colour)
        layers.append(label.properties(name="point_labels"))
    layers += _target_layers(target, "y")
    chart = alt.LayerChart(layer=layers).properties(width=width, height=height)
    return _configured(chart, title)


def by_category(bars: Sequence[Bar], *, title: str, axis_title: str = "", width: int = 520) -> alt.LayerChart:
    """One bar per category of an indicator (the severities of the vulnerabilities found), in the catalogue's order:
    the by-unit bars, each labelled with its category, without verdicts or target."""
    return indicator_by_unit(bars, title=title, axis_title=axis_title, width=width)


def dated_series(
    points: Sequence[DatedPoint],
    *,
    title: str,
    target: Target | None = None,
    percent: bool = False,
    axis_title: str = "",
    width: int = 520,
    height: int = 240,
) -> alt.LayerChart:
    """One line through a round's dated figures (the province's rate on each day it was read), one step per reading
    as a report lists them ("91% → 94,5% → 95,57%"), each point labelled with its figure and its day."""
    values = [asdict(p) for p in sorted(points, key=lambda p: p.day)]
    base = alt.Chart(_inline(values))
    days = list(dict.fromkeys(str(v["day_text"]) for v in values))
    x = alt.X("day_text:O", sort=days, title=None, axis=alt.Axis(labelAngle=0, grid=False))
    scale = alt.Scale(zero=False, nice=True, domainMax=100) if percent else alt.Scale(zero=False, nice=True)
    y = alt.Y("value:Q", title=axis_title or None, scale=scale)
    line = base.mark_line(point=alt.OverlayMarkDef(size=60, filled=True), strokeWidth=2, color=SERIES_COLOURS[0])
    label = base.mark_text(dy=-10, fontSize=11, color=SERIES_COLOURS[0]).encode(x=x, y=y, text=alt.Text("text:N"))
    layers = [
        line.encode(x=x, y=y, tooltip=alt.Tooltip("text:N", title=" ")).properties(name="line"),
        label.properties(name="point_labels"),
        *_target_layers(target, "y"),
    ]
    chart = alt.LayerChart(layer=layers).properties(width=width, height=height)
    return _configured(chart, title)
