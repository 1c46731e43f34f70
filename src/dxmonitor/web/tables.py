"""The pages' tables as plain data: units × indicators of a round, a unit across rounds; sorting and filtering."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypedDict

from django.utils.translation import gettext as _

from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.schema import Indicator
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.formats import window_text
from dxmonitor.evaluation.rules import Evaluation
from dxmonitor.intake.names import fold_diacritics, normalise
from dxmonitor.web.history import History
from dxmonitor.web.language import page_language
from dxmonitor.web.presenters import Data, figures, target_data, total_figures
from dxmonitor.web.reader import Reader

Column = tuple[Indicator, str]  # an indicator and one of its categories ("" for all of them)
SORT_FIELDS = ("value", "change", "verdict")


class Row(TypedDict):
    unit: str
    unit_name: str
    short_name: str
    cells: list[Data]


class Total(TypedDict):
    unit: str  # the whole; "" for a sum of fewer units than expected, which is not the whole's figure
    unit_name: str
    partial: bool
    cells: list[Data]


class HistoryRow(TypedDict):
    indicator: str
    category: str
    name: str
    kind: str
    cells: list[Data]


class UnitHistory(TypedDict):
    rows: list[HistoryRow]


class UnitTable(TypedDict):
    as_of: str
    columns: list[Data]
    rows: list[Row]
    total: Total | None


def column_key(ind: Indicator, category: str) -> str:
    """ "app.users", "security.vulnerabilities[severity=cao]"."""
    return f"{ind.code}[{category}]" if category else ind.code


def columns_with_figures(ctx: RoundContext, indicators: Iterable[str], units: Sequence[str]) -> list[Column]:
    """Each indicator, then each of its categories, that some unit of `units` has a figure for."""
    out: list[Column] = []
    for code in indicators:
        ind = ctx.indicator(code)
        categories = [""] + [f"{d}={m}" for d, members in ind.disaggregation.items() for m in members]
        out += [(ind, cat) for cat in categories if any((code, u, cat) in ctx.main for u in units)]
    return out


def column_data(ctx: RoundContext, ind: Indicator, category: str, units: Sequence[str]) -> Data:
    windows = {f.window for u in units if (f := ctx.main.get((ind.code, u, category)))}
    window = next(iter(windows)) if len(windows) == 1 else ctx.window_of(ind.code)
    return {
        "key": column_key(ind, category),
        "indicator": ind.code,
        "category": category,
        "label": ind.category_label(category) if category else ind.label,
        "name": ind.name,
        "kind": ind.kind,
        "target": target_data(ind, window),
        "as_of": window_text(window, page_language()) if len(windows) == 1 and window else "",
    }


def evaluated(ind: Indicator, ev: Evaluation | None) -> Data:
    """A figure's cells; where its baseline lies on an older tree it does not compare with, the change says so and
    `note` says why, in the page's language."""
    if ev is None:
        return figures(ind, None, None, None)
    data = figures(ind, ev.value, ev.baseline, ev.window)
    if ev.note is not None:
        data |= {"change_text": _("Không so sánh được"), "note": ev.note.en if page_language() == "en" else ev.note.vi}
    return data


def cell(ctx: RoundContext, ind: Indicator, unit: str, category: str) -> Data:
    return {
        "indicator": ind.code,
        "category": category,
        **evaluated(ind, ctx.evaluations.get((ind.code, unit, category))),
    }


def unit_table(ctx: RoundContext, indicators: Iterable[str], units: Iterable[str], reader: Reader) -> UnitTable:
    """One row per unit with a figure (in the order of `units`), one cell per indicator and category; a total
    row as the report's where the table has several rows (for readers of every unit only)."""
    order = list(dict.fromkeys(units))
    codes = list(indicators)
    columns = columns_with_figures(ctx, codes, order)
    rows = [u for u in order if any((ind.code, u, cat) in ctx.main for ind, cat in columns)]
    if len(rows) > 1 and ctx.whole in rows:  # the whole stands for the total row, not for a row of its own
        rows.remove(ctx.whole)
    totals: list[Data] = []
    if len(rows) > 1 and reader.everything:
        totals = [
            {"indicator": ind.code, "category": cat, **total_figures(ctx, ind.code, cat, order)} for ind, cat in columns
        ]
        if all(c["value"] is None for c in totals):
            totals = []
    # The row says how many units reported: a unit attribute (communes) is the catalogue's, not a report.
    partial = sorted(
        (c for c in totals if c["partial"]),
        key=lambda c: _is_unit_attribute(ctx.indicator(str(c["indicator"]))),
    )
    visible = reader.only(rows)
    grid = [[cell(ctx, ind, u, cat) for ind, cat in columns] for u in visible]
    heads = [column_data(ctx, ind, cat, rows) for ind, cat in columns]
    for i, head in enumerate(heads):  # a change column only where some figure has one (not in a first round)
        lines = [cells[i] for cells in grid] + totals[i : i + 1]
        head["has_change"] = any(line["change"] is not None for line in lines)
    common = {str(h["as_of"]) for h in heads}
    return {
        "as_of": common.pop() if len(common) == 1 else "",  # one as-of for the whole table: said once, above it
        "columns": heads,
        "rows": [
            {"unit": u, "unit_name": ctx.unit(u).name, "short_name": ctx.unit(u).short_name, "cells": cells}
            for u, cells in zip(visible, grid, strict=True)
        ],
        "total": {
            "unit": "" if partial else ctx.whole,
            "unit_name": _("Cộng %(coverage)s") % {"coverage": partial[0]["coverage_text"]} if partial else _("Tổng"),
            "partial": bool(partial),
            "cells": totals,
        }
        if totals
        else None,
    }


def _is_unit_attribute(ind: Indicator) -> bool:
    return ind.derived is not None and ind.derived.unit_attribute is not None


def _folded(text: str) -> str:
    return fold_diacritics(normalise(text))


def filter_rows(rows: list[Row], query: str) -> list[Row]:
    """The rows whose unit code, name or short name contains `query` (case and diacritics ignored)."""
    wanted = _folded(query)
    if not wanted:
        return rows
    return [r for r in rows if wanted in _folded(f"{r['unit']} {r['unit_name']} {r['short_name']}")]


def sort_rows(rows: list[Row], columns: list[Data], sort: str) -> list[Row]:
    """Sort by "unit" or by "<column key>[:value|change|verdict]"; a leading "-" sorts descending.
    Blank cells go last either way; an unknown key leaves the table's order."""
    descending = sort.startswith("-")
    key, _sep, field = sort.lstrip("-").partition(":")
    if key == "unit":
        return sorted(rows, key=lambda r: _folded(r["short_name"]), reverse=descending)
    index = next((i for i, c in enumerate(columns) if c["key"] == key), None)
    field = field or "value"
    if index is None or field not in SORT_FIELDS:
        return rows

    def value(row: Row) -> Any:  # numbers, or the verdict's text
        return row["cells"][index][field]

    present = [r for r in rows if value(r) not in (None, "")]
    blank = [r for r in rows if value(r) in (None, "")]
    return sorted(present, key=value, reverse=descending) + blank


def unit_history(history: History, unit: str, rounds: Sequence[Round]) -> UnitHistory:
    """Every indicator and category the unit has a figure for in any of `rounds`, one cell per round."""
    contexts = {r.code: history.context(r) for r in rounds}
    seen = {(i, c) for ctx in contexts.values() for i, u, c in ctx.main if u == unit}
    catalogue = history.catalogue
    keys = []
    for code, ind in catalogue.indicators.items():
        categories = [""] + [f"{d}={m}" for d, members in ind.disaggregation.items() for m in members]
        keys += [(ind, cat) for cat in categories if (code, cat) in seen]
    rows: list[HistoryRow] = []
    for ind, cat in keys:
        cells = []
        for r in rounds:
            ctx = contexts[r.code]
            ev = ctx.evaluations.get((ind.code, unit, cat))
            data = evaluated(ind, ev)
            cells.append(
                {"round": r.code, **data, "as_of": window_text(ev.window, page_language()) if ev and ev.window else ""}
            )
        rows.append(
            {
                "indicator": ind.code,
                "category": cat,
                "name": ind.name + (f" — {ind.category_label(cat)}" if cat else ""),
                "kind": ind.kind,
                "cells": cells,
            }
        )
    return {"rows": rows}
