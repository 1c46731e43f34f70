"""Build the report's tables from a round's evaluated figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from dxmonitor.catalogue.schema import Indicator
from dxmonitor.evaluation.completeness import Coverage
from dxmonitor.evaluation.context import RoundContext, Total
from dxmonitor.evaluation.formats import change_text, figure, rank, window_heading, window_text
from dxmonitor.evaluation.rules import Evaluation, change, relative_change, verdict
from dxmonitor.evaluation.succession import Note
from dxmonitor.intake.windows import Window
from dxmonitor.reports.model import Cell, Row, Table
from dxmonitor.reports.outline import Column, FiguresBlock, Show, UnitTableBlock, WindowTableBlock

NOT_COMPARABLE = "Không so sánh được"
NO_FIGURE = "-"  # a cell of a unit that sent no figure there, where other units did
COMPARING: tuple[Show, ...] = ("baseline", "change", "change_pct")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def expand(columns: list[Column], ctx: RoundContext) -> list[tuple[Column, Indicator, str]]:
    """Each outline column as (column, indicator, category), one per category where asked."""
    out = []
    for col in columns:
        ind = ctx.indicator(col.indicator)
        if col.categories == "all":
            for dim, members in ind.disaggregation.items():
                out += [(col, ind, f"{dim}={m}") for m in members]
        else:
            out.append((col, ind, col.category))
    return out


def category_label(ind: Indicator, category: str) -> str:
    return ind.category_label(category)


def column_label(ind: Indicator, category: str, with_total_word: bool = False) -> str:
    if category:
        return category_label(ind, category)
    return ("Tổng " + ind.label[0].lower() + ind.label[1:]) if with_total_word else ind.label


def fmt(ind: Indicator, value: Decimal | None, when: Window | None = None) -> str:
    """A figure as the report prints it; a rank with what it is out of on the figure's day ("01/63 …")."""
    peers = ind.peers_on(when.end) if when is not None else None
    if peers is not None:
        return rank(value, peers.count, peers.label)
    return figure(value, ind.kind, ind.decimals)


def _target_text(ind: Indicator, ctx: RoundContext) -> str:
    window = next((f.window for f in ctx.main.values() if f.indicator == ind.code), None)
    target = ind.target_on(window.end) if window else None
    return "" if target is None else f"{target.op.replace('>=', '≥').replace('<=', '≤')} {fmt(ind, target.value)}"


def sub_headings(show: Sequence[str], ind: Indicator, ctx: RoundContext) -> list[str]:
    base = ctx.baseline.name if ctx.baseline else "kỳ trước"
    names = {
        "value": "Kết quả",
        "baseline": f"Kỳ trước ({base})",
        "change": f"So với {base}",
        "change_pct": f"Tỷ lệ thay đổi so với {base}",
        "verdict": f"So với chỉ tiêu ({_target_text(ind, ctx)})",
    }
    return [names[s] for s in show]


def cell_text(
    show: str,
    ind: Indicator,
    value: Decimal | None,
    base: Decimal | None,
    when: Window | None,
    note: Note | None = None,
) -> str:
    """One cell: the value, the baseline, the change, or the verdict on the figure's day (`when`); a comparison
    across a change of the unit tree that is not sound (`note`) shows no baseline and says so in the change."""
    if note is not None and show in COMPARING:
        return "" if show == "baseline" else NOT_COMPARABLE
    if show == "value":
        return fmt(ind, value, when)
    if show == "baseline":
        return fmt(ind, base, when)
    if show == "change":
        return change_text(change(value, base), ind.kind, ind.decimals)
    if show == "change_pct":
        return change_text(relative_change(value, base), "percent", 2)
    return (verdict(ind, value, when) or "") if when else ""


def cells_for(
    show: Sequence[str],
    ind: Indicator,
    value: Decimal | None,
    base: Decimal | None,
    when: Window | None,
    note: Note | None = None,
) -> list[Cell]:
    return [
        Cell(
            cell_text(s, ind, value, base, when, note),
            align="right" if s in ("value", "baseline") and ind.kind != "percent" else "center",
        )
        for s in show
    ]


def visible(show: Sequence[Show], ctx: RoundContext) -> list[Show]:
    """Without a baseline round there is nothing to compare with: drop those columns."""
    return list(show) if ctx.baseline else [s for s in show if s not in ("baseline", "change", "change_pct")]


def unit_table(block: UnitTableBlock, ctx: RoundContext) -> Table | None:
    dataset = ctx.dataset(block.dataset)
    columns = [
        (col.model_copy(update={"show": visible(col.show, ctx)}), ind, cat)
        for col, ind, cat in expand(block.columns, ctx)
        if ctx.rows_of(dataset, [(ind.code, cat)])
    ]
    units = ctx.rows_of(dataset, [(i.code, c) for _, i, c in columns])
    if block.total:  # the total row stands for the whole; it is not also a row of its own
        units = [u for u in units if u != ctx.whole]
    if not units:
        return None
    grouped = any(len(col.show) > 1 for col, _, _ in columns)
    per_category = Counter(i.code for col, i, _ in columns if col.categories == "all")
    span = 2 if grouped or per_category else 1
    top: list[Cell] = [Cell("STT", rowspan=span), Cell("Đơn vị", rowspan=span)]
    second: list[Cell] = []
    for col, ind, cat in columns:
        if col.categories == "all":
            if not any(c.text == ind.label for c in top):
                top.append(Cell(ind.label, colspan=per_category[ind.code] * len(col.show)))
            second.append(Cell(category_label(ind, cat)))
        elif len(col.show) > 1:
            fact = ctx.main.get((ind.code, units[0], cat)) or ctx.main.get((ind.code, ctx.whole, cat))
            when = f" ({window_text(fact.window)})" if fact else ""
            top.append(Cell(column_label(ind, cat) + when, colspan=len(col.show)))
            second += [Cell(t) for t in sub_headings(col.show, ind, ctx)]
        else:
            top.append(Cell(column_label(ind, cat, with_total_word=per_category[ind.code] > 0), rowspan=span))
    header = [top, second] if second else [top]

    body = []
    for n, unit in enumerate(units, start=1):
        row = [Cell(str(n)), Cell(ctx.unit(unit).name, align="left")]
        for col, ind, cat in columns:
            ev = ctx.evaluations.get((ind.code, unit, cat))
            if ev is None or ev.value is None:  # a unit of the table with no figure in this column, as the seeds
                row += [Cell(NO_FIGURE) for _ in col.show]
                continue
            row += cells_for(
                col.show,
                ind,
                ev.value if ev else None,
                ev.baseline if ev else None,
                ev.window if ev else None,
                ev.note if ev else None,
            )
        body.append(Row(row))
    totals = [totals_of(ctx, ind.code, cat, dataset.units) for _, ind, cat in columns]
    partial = next((now.coverage for now, _ in totals if now.partial), None)
    if block.total and len(units) > 1:
        label = f"Cộng {partial.text}" if partial else block.total_label
        row = [Cell(label, colspan=2, bold=True)]
        for (col, ind, _), (now, base) in zip(columns, totals, strict=True):
            judged = None if now.partial else ctx.window_of(ind.code)  # a sum of some units meets no province target
            row += cells_for(col.show, ind, now.value, base, judged, ctx.whole_note(ind.code))
        body.append(Row(row, style="total"))
    if block.change_row and ctx.baseline:
        row = [Cell(f"So với {ctx.baseline.name}", colspan=2, bold=True)]
        for (_, ind, _), (now, base) in zip(columns, totals, strict=True):
            whole_note = ctx.whole_note(ind.code)
            text = NOT_COMPARABLE if whole_note else change_text(change(now.value, base), ind.kind, ind.decimals)
            row.append(Cell(text))
        body.append(Row(row, style="change"))
    return Table(header, body)


def totals_of(ctx: RoundContext, indicator: str, category: str, units: Sequence[str]) -> tuple[Total, Decimal | None]:
    """A column's total and the baseline's to compare it with: none when either is a sum of fewer units than
    expected (a partial sum against a whole, or the other way round, is no change), or when the whole of the
    baseline's tree is not the whole of the round's (a province merged with one outside the catalogue)."""
    now = ctx.province_total(indicator, category, units)
    comparing = ctx.baseline is not None and ctx.whole_note(indicator) is None
    before = ctx.province_total(indicator, category, units, baseline=True) if comparing else None
    comparable = before is not None and not now.partial and not before.partial
    return now, before.value if comparable and before else None


def table_coverage(ctx: RoundContext, dataset: str, indicators: Sequence[tuple[str, str]]) -> Coverage:
    """How many of the units a table of the dataset expects have a figure in any of its (indicator, category)."""
    expected = ctx.expected_of(ctx.dataset(dataset).units)
    reported = [u for u in expected if any((i, u, c) in ctx.main for i, c in indicators)]
    return Coverage(tuple(expected), tuple(reported))


def coverage_note(coverage: Coverage, ctx: RoundContext) -> str:
    """The line under a table built from fewer units than expected, naming those missing."""
    names = ", ".join(ctx.unit(u).short_name for u in coverage.missing)
    return f"Số liệu của {coverage.text}; chưa có số liệu của: {names}."


def comparison_notes(block: UnitTableBlock | FiguresBlock, ctx: RoundContext) -> list[str]:
    """The lines under a table whose change columns say "Không so sánh được": for each reason, the units it holds
    for (the whole as "Toàn tỉnh"), so a reader sees why a figure after a reform has no change."""
    if ctx.baseline is None:
        return []
    if isinstance(block, FiguresBlock):
        if not set(block.show) & set(COMPARING):
            return []
        found = [ev for ev in ctx.evaluations.values() if ev.unit == ctx.whole and ev.indicator.code in block.rows]
    else:
        columns = [(ind, cat) for col, ind, cat in expand(block.columns, ctx) if set(col.show) & set(COMPARING)]
        units = ctx.rows_of(ctx.dataset(block.dataset), [(i.code, c) for i, c in columns])
        found = [ev for u in units for i, c in columns if (ev := ctx.evaluations.get((i.code, u, c))) is not None]
        if block.total or block.change_row:
            found += [_whole(ctx, ind, cat) for ind, cat in columns if ctx.whole_note(ind.code)]
    reasons: dict[str, list[str]] = {}
    for ev in found:
        if ev.note is not None:
            name = "Toàn tỉnh" if ev.unit == ctx.whole else ctx.unit(ev.unit).short_name
            names = reasons.setdefault(ev.note.vi, [])
            if name not in names:
                names.append(name)
    return [f"{NOT_COMPARABLE} với {ctx.baseline.name} ({', '.join(n)}): {why}." for why, n in reasons.items()]


def _whole(ctx: RoundContext, ind: Indicator, category: str) -> Evaluation:
    return Evaluation(ind, ctx.whole, category, None, None, note=ctx.whole_note(ind.code))


def figures_table(block: FiguresBlock, ctx: RoundContext) -> Table | None:
    unit = ctx.whole
    block = block.model_copy(update={"show": visible(block.show, ctx)})
    header = [
        [
            Cell("Chỉ tiêu"),
            *(
                Cell(t)
                for t in [
                    "Số liệu" if s == "value" else sub_headings([s], ctx.indicator(block.rows[0]), ctx)[0]
                    for s in block.show
                ]
            ),
        ]
    ]
    body = []
    for code in block.rows:
        ind = ctx.indicator(code)
        categories = [""] + [f"{d}={m}" for d, ms in ind.disaggregation.items() for m in ms]
        for cat in categories:
            facts = ctx.facts_of(code, unit, cat)
            main = ctx.main.get((code, unit, cat))
            for fact in facts or ([main] if main else []):
                label = ind.name + (f" — {category_label(ind, cat)}" if cat else "") + f" ({window_text(fact.window)})"
                ev = ctx.evaluations[(code, unit, cat)] if fact == main else None
                body.append(
                    Row(
                        [
                            Cell(label, align="left"),
                            *cells_for(
                                block.show,
                                ind,
                                fact.value,
                                ev.baseline if ev else None,
                                fact.window if ev else None,
                                ev.note if ev else None,
                            ),
                        ]
                    )
                )
    return Table(header, body, widths=[5.0] + [2.0] * len(block.show)) if body else None


def window_table(block: WindowTableBlock, ctx: RoundContext) -> Table | None:
    columns = expand(block.columns, ctx)
    dataset = ctx.dataset(block.dataset)
    units = ctx.rows_of(dataset, [(i.code, c) for _, i, c in columns])
    windows = ctx.windows_of([i.code for _, i, _ in columns], units)
    if not units or not windows:
        return None
    has_groups = any(col.group for col, _, _ in columns)
    depth = 3 if has_groups else 2
    header: list[list[Cell]] = [[Cell("STT", rowspan=depth), Cell("Đơn vị", rowspan=depth)], [], []]
    for window in windows:
        header[0].append(Cell(window_heading(window), colspan=len(columns)))
        previous = None
        for col, ind, cat in columns:
            if has_groups and col.group != previous:
                header[1].append(Cell(col.group, colspan=sum(1 for c, _, _ in columns if c.group == col.group)))
                previous = col.group
            header[depth - 1].append(Cell(column_label(ind, cat)))
    header = header[:depth]

    def found(members: list[str], window: Window, ind: Indicator, cat: str) -> list[Decimal]:
        return [f.value for u in members for f in ctx.facts_of(ind.code, u, cat) if f.window == window]

    def reports(members: list[str], group: str) -> bool:
        """Whether `members` have a figure under the column group `group` in any window (fees, not obligations)."""
        return any(found(members, w, i, c) for w in windows for col, i, c in columns if col.group == group)

    def values(members: list[str], peers: list[str] | None = None) -> list[Cell]:
        """The cells of `members` added up; "-" where they have none but do report the column's group in another
        cell, or one of their `peers` has a figure there; blank where the column is none of theirs."""
        cells = []
        for window in windows:
            for col, ind, cat in columns:
                figures = found(members, window, ind, cat)
                if figures:
                    cells.append(Cell(fmt(ind, sum(figures, Decimal(0))), align="right"))
                    continue
                theirs = bool(peers and found(peers, window, ind, cat)) or reports(members, col.group)
                cells.append(Cell(NO_FIGURE if theirs else "", align="right"))
        return cells

    body: list[Row] = []
    groups = (ctx.groups_of(dataset) if block.grouped else []) or [""]
    for g, group in enumerate(groups):
        members = [u for u in units if not group or group in ctx.unit(u).groups]
        if not members:
            continue
        if group:
            body.append(
                Row(
                    [Cell(ROMAN[g]), Cell(ctx.unit(group).name, align="left", bold=True), *values(members)],
                    style="group",
                )
            )
        body += [
            Row([Cell(str(n)), Cell(ctx.unit(u).name, align="left"), *values([u], members)])
            for n, u in enumerate(members, start=1)
        ]
    if block.total:
        covered = table_coverage(ctx, block.dataset, [(i.code, c) for _, i, c in columns])
        label = f"Cộng {covered.text}" if covered.partial else "Tổng"
        body.append(Row([Cell(label, colspan=2, bold=True), *values(units)], style="total"))
    # Amounts in VND run to 15 characters; give them room, the unit name less than usual.
    widths = [0.5, 2.6] + [2.0 if ind.kind == "amount" else 0.9 for _ in windows for _, ind, _ in columns]
    return Table(header, body, widths=widths)
