"""A round's evaluated figures as page data: plain dicts of plain numbers and their Vietnamese texts.

Every page renders these dicts as HTML and returns them unchanged as JSON, so both say the same."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.schema import Dataset, Indicator, Target
from dxmonitor.charts.data import target_text
from dxmonitor.evaluation.checks import QualityFinding
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.formats import change_text, figure, short_date, window_text
from dxmonitor.evaluation.rules import FAIL, change, verdict
from dxmonitor.intake.windows import Window
from dxmonitor.problems import SEVERITY_VI, Severity
from dxmonitor.web.reader import Reader

# The dashboard's tiles, in this order.
HEADLINES = [
    "dvc.online_service_rate",
    "dvc.online_dossier_rate",
    "app.users",
    "cnscd.commune_team_rate",
    "office.signed_document_rate",
    "security.vulnerable_rate",
]
TOP_FINDINGS = 5
# Verdicts stay Vietnamese in the data (as in the export); templates translate them for display.
VERDICT_LABELS = [gettext_noop("Đạt"), gettext_noop("Không đạt")]
Data = dict[str, object]


def num(value: Decimal | None) -> int | float | None:
    """A plain JSON number: 9630 rather than 9630.000000, 97.87 rather than Decimal("97.870000")."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def round_data(round_: Round, baseline: Round | None = None) -> Data:
    return {
        "code": round_.code,
        "name": round_.name,
        "report_number": round_.report_number,
        "report_date": day(round_.report_date),
        "report_date_text": short_date(round_.report_date) if round_.report_date else "",
        "baseline": {"code": baseline.code, "name": baseline.name} if baseline else None,
    }


def target_data(ind: Indicator, window: Window | None) -> Data | None:
    target = ind.target_on(window.end) if window else None
    if target is None:
        return None
    return {
        "op": target.op,
        "value": num(target.value),
        "text": target_text(target.op, target.value, ind.kind, ind.decimals),
        "source": target.source,
    }


def direction_of(ind: Indicator, delta: Decimal | None) -> str:
    """ "better", "worse" or "same" — a fall is better where lower is better; "" without a change."""
    if delta is None:
        return ""
    shown = figure(abs(delta), ind.kind, ind.decimals)
    if shown in (figure(Decimal(0), ind.kind, ind.decimals), ""):
        return "same"
    return "better" if (delta > 0) == (ind.direction == "higher") else "worse"


def figures(ind: Indicator, value: Decimal | None, base: Decimal | None, window: Window | None) -> Data:
    """One figure with its baseline, change and verdict, each as a number and as Vietnamese text."""
    delta = change(value, base)
    return {
        "value": num(value),
        "value_text": figure(value, ind.kind, ind.decimals),
        "baseline": num(base),
        "baseline_text": figure(base, ind.kind, ind.decimals),
        "change": num(delta),
        "change_text": change_text(delta, ind.kind, ind.decimals),
        "trend": direction_of(ind, delta),
        "verdict": verdict(ind, value, window) or "",
    }


def dataset_of(ctx: RoundContext, indicator: str) -> Dataset | None:
    return next((d for d in ctx.catalogue.datasets.values() if indicator in d.indicators), None)


def total_units(ctx: RoundContext, dataset: Dataset) -> list[str]:
    """The rows a report table of the dataset adds up into its total row (the whole stands for the total)."""
    rows = ctx.rows_of(dataset, [(i, "") for i in dataset.indicators])
    return [u for u in rows if u != ctx.whole]


def tile(ctx: RoundContext, code: str, reader: Reader) -> Data:
    """A headline figure: the province total (as the report's total row) or, for a reporter, their unit's."""
    ind = ctx.indicator(code)
    if reader.everything:
        dataset = dataset_of(ctx, code)
        units = total_units(ctx, dataset) if dataset else []
        unit = ctx.whole
        value = ctx.total(code, "", units) if units else None
        base = ctx.total(code, "", units, baseline=True) if units and ctx.baseline else None
        window = ctx.window_of(code)
    else:
        homes = [u for u in reader.homes if (code, u, "") in ctx.evaluations] or list(reader.homes[:1])
        unit = homes[0] if homes else ""
        ev = ctx.evaluations.get((code, unit, ""))
        value, base, window = (ev.value, ev.baseline, ev.window) if ev else (None, None, None)
    return {
        "indicator": code,
        "name": ind.name,
        "label": ind.label,
        "kind": ind.kind,
        "unit": unit,
        "unit_name": ctx.unit(unit).name if unit in ctx.catalogue.units else "",
        **figures(ind, value, base, window),
        "target": target_data(ind, window),
        "as_of": window_text(window) if window and value is not None else "",
    }


def tiles(ctx: RoundContext, reader: Reader) -> list[Data]:
    return [tile(ctx, code, reader) for code in HEADLINES if code in ctx.catalogue.indicators]


def below_target(ctx: RoundContext, reader: Reader) -> list[Data]:
    """For each indicator with a target: the units that miss it, in the order of its dataset's table."""
    out: list[Data] = []
    for code, ind in ctx.catalogue.indicators.items():
        if not ind.targets:
            continue
        units = [
            u
            for ds in ctx.catalogue.datasets.values()
            if code in ds.indicators
            for u in ds.units
            if u != ctx.whole and reader.sees(u)
        ]
        rows = [ev for u in dict.fromkeys(units) if (ev := ctx.evaluations.get((code, u, ""))) and ev.value is not None]
        if not rows:
            continue
        window = ctx.window_of(code)
        missing = [ev for ev in rows if ev.verdict == FAIL]
        out.append(
            {
                "indicator": code,
                "name": ind.name,
                "target": target_data(ind, window),
                "count": len(missing),
                "of": len(rows),
                "units": [
                    {
                        "unit": ev.unit,
                        "name": ctx.unit(ev.unit).short_name,
                        "value": num(ev.value),
                        "value_text": figure(ev.value, ind.kind, ind.decimals),
                    }
                    for ev in missing
                ],
            }
        )
    return out


def reporting(ctx: RoundContext, reader: Reader) -> list[Data]:
    """Per dataset: the units expected to send figures and those that did this round ("27/30")."""
    entered = {(f.indicator, f.unit) for f in ctx.current.facts if not f.computed}
    out: list[Data] = []
    for ds in ctx.catalogue.datasets.values():
        if ds.computed:  # computed from records: nobody sends it
            continue
        expected = [u for u in ds.units if ctx.unit(u).kind != "group" and reader.sees(u)]
        if not expected:
            continue
        sent = [u for u in expected if any((i, u) in entered for i in ds.indicators)]
        out.append(
            {
                "dataset": ds.code,
                "name": ds.name,
                "expected": len(expected),
                "reported": len(sent),
                "text": f"{len(sent)}/{len(expected)}",
                "missing": [{"unit": u, "name": ctx.unit(u).short_name} for u in expected if u not in sent],
            }
        )
    return out


def finding_data(finding: QualityFinding, ctx: RoundContext) -> Data:
    unit = ctx.catalogue.units.get(finding.unit)
    return {
        "severity": finding.severity.value,
        "severity_text": SEVERITY_VI[finding.severity],
        "check": finding.check,
        "dataset": finding.dataset,
        "unit": finding.unit,
        "unit_name": unit.short_name if unit else "",
        "indicator": finding.indicator,
        "category": finding.category,
        "figures": finding.figures,
        "message": finding.message_vi,
    }


def findings_summary(found: Sequence[QualityFinding], ctx: RoundContext, reader: Reader) -> Data:
    """How many data-quality findings the reader's units have, by severity, and the first few (errors first)."""
    mine = [f for f in found if reader.sees(f.unit)]  # a finding without a unit concerns the whole
    return {
        "count": len(mine),
        "by_severity": {s.value: sum(1 for f in mine if f.severity is s) for s in Severity},
        "top": [finding_data(f, ctx) for f in mine[:TOP_FINDINGS]],
    }


def kind_label(kind: str) -> str:
    labels = {"percent": _("Tỷ lệ (%)"), "count": _("Số lượng"), "amount": _("Số tiền (đồng)"), "points": _("Điểm")}
    return labels.get(kind, kind)


def direction_label(direction: str) -> str:
    return _("Càng thấp càng tốt") if direction == "lower" else _("Càng cao càng tốt")


def target_text_of(ind: Indicator, target: Target) -> Data:
    """A target with the text that sets it and when it holds."""
    return {
        "op": target.op,
        "value": num(target.value),
        "text": target_text(target.op, target.value, ind.kind, ind.decimals),
        "source": target.source,
        "valid_from": day(target.valid_from),
        "valid_to": day(target.valid_to),
    }


def indicator_data(ind: Indicator, catalogue: Catalogue) -> Data:
    """An indicator's definition as the catalogue gives it."""
    derived = ind.derived
    formula: Data | None = None
    if derived is not None:
        formula = {
            "numerator": derived.numerator,
            "denominator": derived.denominator,
            "scale": num(derived.scale),
            "unit_attribute": derived.unit_attribute,
        }
    return {
        "code": ind.code,
        "name": ind.name,
        "label": ind.label,
        "description": ind.description,
        "kind": ind.kind,
        "kind_label": kind_label(ind.kind),
        "direction": ind.direction,
        "direction_label": direction_label(ind.direction),
        "decimals": ind.decimals,
        "cumulative": ind.cumulative,
        "derived": formula,
        "disaggregation": [
            {"dimension": dim, "categories": [{"code": f"{dim}={m}", "label": label} for m, label in members.items()]}
            for dim, members in ind.disaggregation.items()
        ],
        "targets": [target_text_of(ind, t) for t in ind.targets],
        "datasets": [{"code": d.code, "name": d.name} for d in catalogue.datasets.values() if ind.code in d.indicators],
    }
