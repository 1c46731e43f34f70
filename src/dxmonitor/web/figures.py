"""The pages' charts, drawn on the server as inline SVG with the same definitions as the report's figures."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dxmonitor.catalogue.models import Round
from dxmonitor.charts.data import by_category_chart, by_unit_chart, dated_chart, target_of
from dxmonitor.charts.render import svg
from dxmonitor.charts.specs import Point, trend
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.web.history import History
from dxmonitor.web.language import page_language, round_name
from dxmonitor.web.presenters import dataset_of, tile
from dxmonitor.web.reader import Reader
from dxmonitor.web.tables import UnitHistory

Drawing = dict[str, str]  # title and svg


def by_unit(ctx: RoundContext, code: str, units: Sequence[str], title: str | None = None) -> Drawing | None:
    """The indicator's figures of `units` as bars against its target line."""
    chart = by_unit_chart(
        ctx,
        code,
        units,
        title="",
        target_word=pgettext("target", "Chỉ tiêu"),
        legend_title=_("Đánh giá"),
        language=page_language(),
        verdict_labels=(_("Đạt"), _("Không đạt")),
    )
    if chart is None:
        return None
    return {"title": title or ctx.indicator(code).name, "svg": svg(chart)}


def dated(ctx: RoundContext, code: str, reader: Reader) -> Drawing | None:
    """The province's figure on each day it was read within the round, for a reader who sees the province."""
    if not reader.everything:
        return None
    chart = dated_chart(ctx, code, target_word=pgettext("target", "Chỉ tiêu"), language=page_language())
    return {"title": _("Toàn tỉnh qua các ngày có số liệu trong kỳ"), "svg": svg(chart)} if chart else None


def by_category(ctx: RoundContext, code: str, units: Sequence[str], reader: Reader) -> Drawing | None:
    """The province's totals by category (the severities of vulnerabilities), for a reader who sees the province."""
    if not reader.everything or not ctx.indicator(code).disaggregation:
        return None
    chart = by_category_chart(ctx, code, units, language=page_language())
    return {"title": _("Toàn tỉnh theo phân loại"), "svg": svg(chart)} if chart else None


def headline_charts(ctx: RoundContext, codes: Sequence[str], reader: Reader) -> list[Drawing]:
    """Each headline indicator with a target, by the units of its dataset the reader may see."""
    drawings = []
    for code in codes:
        dataset = dataset_of(ctx, code) if ctx.indicator(code).targets else None
        drawing = by_unit(ctx, code, reader.only(u for u in dataset.units if u != ctx.whole)) if dataset else None
        drawings += [drawing] if drawing else []
    return drawings


def trend_of(
    history: History, rounds: Sequence[Round], codes: Sequence[str], reader: Reader, title: str
) -> Drawing | None:
    """The headline figure of each indicator (the province's, or a reporter's unit's) across `rounds`."""
    points = []
    for order, round_ in enumerate(rounds):
        ctx = history.context(round_)
        for code in codes:
            figure = tile(ctx, code, reader)
            value = figure["value"]
            if isinstance(value, int | float) and not figure["partial"]:  # a sum of some units is no point of the whole
                name, text = ctx.indicator(code).name, str(figure["value_text"])
                points.append(Point(round_name(round_.name), order, name, float(value), text))
    if not points:
        return None
    last = history.context(rounds[-1])
    kinds = {last.indicator(c).kind for c in codes}
    target = target_of(last, codes[0], pgettext("target", "Chỉ tiêu"), page_language()) if len(codes) == 1 else None
    chart = trend(points, title="", target=target, percent=kinds == {"percent"})
    return {"title": title, "svg": svg(chart)}


def unit_trend(table: UnitHistory, rounds: Sequence[Round], title: str) -> Drawing | None:
    """A unit's rates across rounds, one line each, from its history table."""
    names = {r.code: (order, round_name(r.name)) for order, r in enumerate(rounds)}
    points = []
    for row in table["rows"]:
        if row["kind"] != "percent" or row["category"]:
            continue
        for cell in row["cells"]:
            if isinstance(cell["value"], int | float):
                order, name = names[str(cell["round"])]
                points.append(Point(name, order, row["name"], float(cell["value"]), str(cell["value_text"])))
    if not points:
        return None
    return {"title": title, "svg": svg(trend(points, title="", percent=True))}
