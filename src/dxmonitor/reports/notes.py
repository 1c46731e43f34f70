"""Lines under a table of headline figures: the change of a monthly count against the month before."""

from __future__ import annotations

from calendar import monthrange

from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.formats import change_text, month_name, window_text
from dxmonitor.evaluation.rules import relative_change
from dxmonitor.intake.windows import Window
from dxmonitor.reports.outline import FiguresBlock
from dxmonitor.reports.tables import COMPARING, category_label, fmt


def _month(window: Window) -> tuple[int, int] | None:
    """(year, month) of a figure that covers one calendar month exactly, else None."""
    start, end = window.start, window.end
    if start is None or start.day != 1 or (start.year, start.month) != (end.year, end.month):
        return None
    return (start.year, start.month) if end.day == monthrange(end.year, end.month)[1] else None


def month_before_notes(block: FiguresBlock, ctx: RoundContext) -> list[str]:
    """For a monthly count or amount whose round also holds the month before (Số 01 gives April beside May), the
    change between the two months, unless the table already compares with that month (its baseline round)."""
    lines = []
    for code in block.rows:
        ind = ctx.indicator(code)
        if ind.kind == "percent":
            continue
        for cat in [""] + [f"{d}={m}" for d, ms in ind.disaggregation.items() for m in ms]:
            facts = {key: f for f in ctx.facts_of(code, ctx.whole, cat) if (key := _month(f.window))}
            compared = ctx.baseline_main.get((code, ctx.whole, cat)) if set(block.show) & set(COMPARING) else None
            for (year, month), fact in facts.items():
                previous = (year, month - 1) if month > 1 else (year - 1, 12)
                before = facts.get(previous)
                if before is None or (compared is not None and compared.window == before.window):
                    continue
                moved = change_text(relative_change(fact.value, before.value), "percent", 2)
                if not moved:
                    continue
                label = ind.name + (f" — {category_label(ind, cat)}" if cat else "")
                lines.append(
                    f"{label} ({window_text(fact.window)}): {fmt(ind, fact.value)}, {moved[0].lower() + moved[1:]}"
                    f" so với {month_name(*previous)} ({fmt(ind, before.value)})."
                )
    return lines
