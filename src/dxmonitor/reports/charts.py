"""The report's charts: each `kind: chart` block of the outline drawn as a PNG figure with its Vietnamese caption,
from the same definitions as the web pages (charts/data.py, charts/specs.py)."""

from __future__ import annotations

import struct
from datetime import date

import altair as alt

from dxmonitor.charts.data import by_category_chart, by_unit_chart, dated_chart, dated_points
from dxmonitor.charts.render import png
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.formats import window_text
from dxmonitor.intake.windows import Window
from dxmonitor.reports.model import Figure
from dxmonitor.reports.outline import ChartBlock

WIDTH_MM = 160.0  # the text width of an A4 portrait page
HIGHEST_MM = 210.0  # a chart of many units is printed narrower rather than taller than a page


def _drawn(block: ChartBlock, ctx: RoundContext) -> tuple[alt.LayerChart | None, str, Window | None]:
    """The chart, what its caption says it shows, and the days of its figures."""
    name = ctx.indicator(block.indicator).name
    units = [u for u in ctx.dataset(block.dataset).units if u != ctx.whole]
    if block.draws == "dated_series":
        days = [date.fromisoformat(p.day) for p in dated_points(ctx, block.indicator)]
        period = Window(days[-1], days[0]) if days else None
        return (
            dated_chart(ctx, block.indicator),
            block.caption or f"{name} của {ctx.unit(ctx.whole).name} qua các ngày có số liệu",
            period,
        )
    if block.draws == "by_category":
        shows = f"{block.caption or name + ' theo phân loại'}{_partial(ctx, block.indicator, units)}"
        return by_category_chart(ctx, block.indicator, units), shows, ctx.window_of(block.indicator)
    shows = block.caption or f"{name} theo đơn vị"
    return by_unit_chart(ctx, block.indicator, units, title=""), shows, ctx.window_of(block.indicator)


def _partial(ctx: RoundContext, indicator: str, units: list[str]) -> str:
    """ ", cộng từ 30/36 đơn vị đã báo cáo" when the province's totals add up fewer units than expected."""
    ind = ctx.indicator(indicator)
    for dimension, members in ind.disaggregation.items():
        for member in members:
            total = ctx.province_total(indicator, f"{dimension}={member}", units)
            if total.partial:
                covered = total.coverage
                return f", cộng từ {len(covered.reported)}/{len(covered.expected)} đơn vị đã báo cáo"
    return ""


def printed_width(image: bytes, width_mm: float = WIDTH_MM, highest_mm: float = HIGHEST_MM) -> float:
    """How wide to print a PNG so that it fits the text width and is at most `highest_mm` high."""
    width, height = (int(n) for n in struct.unpack(">II", image[16:24]))  # the IHDR chunk, first in every PNG
    return round(min(width_mm, highest_mm * width / height), 1)


def chart_figure(block: ChartBlock, ctx: RoundContext) -> Figure | None:
    """The block's chart as a figure ("Biểu đồ: … (đến ngày 16/7/2022)"), or None when the round has no figure to
    draw: a report leaves out a chart with nothing in it."""
    chart, shows, window = _drawn(block, ctx)
    if chart is None:
        return None
    when = f" ({window_text(window)})" if window else ""
    image = png(chart)
    return Figure(image, caption=f"Biểu đồ: {shows}{when}", width_mm=printed_width(image))
