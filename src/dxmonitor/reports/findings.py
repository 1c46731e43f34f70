"""The sentences under a table: trends of the whole, units below target, the best and the worst."""

from __future__ import annotations

from decimal import Decimal

from dxmonitor.catalogue.schema import Indicator
from dxmonitor.evaluation.completeness import Coverage
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.facts import Fact
from dxmonitor.evaluation.formats import change_text, figure, short_date, window_text
from dxmonitor.evaluation.rules import Evaluation, at_best, below_target, change, top
from dxmonitor.reports.outline import Finding
from dxmonitor.reports.tables import category_label, totals_of


def _name(ind: Indicator, category: str) -> str:
    text = ind.name[0].lower() + ind.name[1:]
    return text + (f" ({category_label(ind, category)})" if category else "")


def _listed(ctx: RoundContext, evaluations: list[Evaluation]) -> str:
    return ", ".join(
        f"{ctx.unit(e.unit).short_name} ({figure(e.value, e.indicator.kind, e.indicator.decimals)})"
        for e in evaluations
    )


def _coverage_words(coverage: Coverage) -> str:
    """ "mới có 1/12 đơn vị đã báo cáo" — said with any sentence about units when some have not reported."""
    return f"mới có {coverage.text}"


def _column(ctx: RoundContext, dataset: str, ind: Indicator, category: str) -> list[Evaluation]:
    units = ctx.dataset(dataset).units
    return [ev for u in units if (ev := ctx.evaluations.get((ind.code, u, category))) and ev.value is not None]


def _earliest(ctx: RoundContext, ind: Indicator, category: str, now: Fact | None) -> Fact | None:
    """The whole's first dated figure of the round's period when it is older than the one printed (`now`)."""
    series = ctx.series(ind.code, category) if now is not None else []
    return series[0] if series and now is not None and series[0].window.end < now.window.end else None


def _series_text(ctx: RoundContext, ind: Indicator, category: str, name: str) -> str | None:
    """The whole's figures on each day of the period and the last step, when there are more than a start and an
    end (a trend sentence says those two)."""
    series = ctx.series(ind.code, category)
    if len(series) < 3:
        return None
    steps = ", ".join(f"{figure(f.value, ind.kind, ind.decimals)} ({window_text(f.window)})" for f in series)
    last, before = series[-1], series[-2]
    moved = change_text(change(last.value, before.value), ind.kind, ind.decimals)
    last_step = f"mốc cuối {moved[0].lower() + moved[1:]} so với mốc trước ({short_date(before.window.end)})"
    return f"Diễn biến {name} toàn tỉnh trong kỳ: {steps}; {last_step}."


def finding_text(finding: Finding, dataset: str, ctx: RoundContext) -> str | None:
    """One finding as a sentence, or None when there is nothing to say."""
    ind = ctx.indicator(finding.indicator)
    column = _column(ctx, dataset, ind, finding.category)

    def fmt(value: Decimal | None) -> str:
        return figure(value, ind.kind, ind.decimals)

    if not finding.in_force(ctx.days()):
        return None
    name = _name(ind, finding.category)
    if finding.kind == "series":
        return _series_text(ctx, ind, finding.category, name)
    candidates = ctx.dataset(dataset).units
    coverage = ctx.coverage(ind.code, finding.category, candidates)
    if finding.kind == "trend":
        now = ctx.main.get((ind.code, ctx.whole, finding.category))
        total, before = totals_of(ctx, ind.code, finding.category, candidates)
        value = total.value
        if value is None:
            return None
        if total.partial:  # a sum of some units is not the province's figure: say what is missing instead
            return f"Chưa đủ số liệu để tính {name} toàn tỉnh: mới có {total.coverage.text}."
        when = f" ({window_text(now.window)})" if now else ""
        whole_note = ctx.whole_note(ind.code)
        if whole_note is not None and ctx.baseline is not None:  # no "tăng"/"giảm" against another province
            against = f"không so sánh được với {ctx.baseline.name}: {whole_note.vi}"
            return f"Toàn tỉnh, {name} đạt {fmt(value)}{when}; {against}."
        first = _earliest(ctx, ind, finding.category, now)
        if first is not None:  # the period's own first figure, not the baseline's last ("tăng từ 91% (đến 31/5)")
            before, then = first.value, f" ({window_text(first.window)})"
        else:
            was = ctx.baseline_main.get((ind.code, ctx.whole, finding.category))
            then = f" ({window_text(was.window)})" if was else ""
        if before is None:
            return f"Toàn tỉnh, {name} đạt {fmt(value)}{when}."
        if fmt(before) == fmt(value):
            return f"Toàn tỉnh, {name} giữ nguyên ở mức {fmt(value)}{when} so với kỳ trước."
        word = "tăng" if value > before else "giảm"
        return (
            f"Toàn tỉnh, {name} {word} từ {fmt(before)}{then} lên {fmt(value)}{when}."
            if word == "tăng"
            else f"Toàn tỉnh, {name} {word} từ {fmt(before)}{then} xuống {fmt(value)}{when}."
        )
    rows = [e for e in column if e.unit != ctx.whole]
    if finding.kind == "below_target":
        target = next((e.target for e in rows if e.target), None)
        if target is None:
            return None
        goal = f"{target.op.replace('>=', '≥').replace('<=', '≤')} {fmt(target.value)}"
        missing = below_target(rows)
        if coverage.partial:  # "all units" would be the few that reported: name them as such
            if not missing:
                return (
                    f"Cả {len(rows):02d} đơn vị đã báo cáo đều đạt chỉ tiêu {name} ({goal}); "
                    f"{_coverage_words(coverage)}."
                )
            return (
                f"{len(missing):02d}/{len(rows):02d} đơn vị đã báo cáo chưa đạt chỉ tiêu {name} ({goal}), "
                f"cần tập trung rà soát, khắc phục: {_listed(ctx, missing)}; {_coverage_words(coverage)}."
            )
        if not missing:
            return f"Tất cả {len(rows):02d} đơn vị đều đạt chỉ tiêu {name} ({goal})."
        return (
            f"{len(missing):02d}/{len(rows):02d} đơn vị chưa đạt chỉ tiêu {name} ({goal}), "
            f"cần tập trung rà soát, khắc phục: {_listed(ctx, missing)}."
        )
    if finding.kind in ("top", "bottom"):
        ranked = top(rows, len(rows), ctx.kinds)
        if finding.kind == "bottom":
            ranked = ranked[::-1]
        chosen = ranked[: finding.n]
        if not chosen:
            return None
        lower = ind.direction == "lower"
        word = "cao nhất" if (finding.kind == "top") != lower else "thấp nhất"
        tail = ", cần sớm khắc phục" if finding.kind == "bottom" else ""
        among = f" (trong số {coverage.text})" if coverage.partial else ""
        return f"{len(chosen):02d} đơn vị có {name} {word}{among}{tail}: {_listed(ctx, chosen)}."
    best, reached = at_best(rows, ctx.kinds)
    if best is None:
        return None
    ranked_rows = [e for e in rows if ctx.kinds.get(e.unit) not in ("other", "group", "province")]
    if len(reached) == len(ranked_rows):
        if coverage.partial:
            words = _coverage_words(coverage)
            return f"Cả {len(reached):02d} đơn vị đã báo cáo đều đạt {fmt(best)} về {name}; {words}."
        return f"Tất cả {len(reached):02d} đơn vị đều đạt {fmt(best)} về {name}."
    listed = ", ".join(ctx.unit(e.unit).short_name for e in reached)
    return f"Đơn vị đạt mức cao nhất về {name} ({fmt(best)}): {listed}."
