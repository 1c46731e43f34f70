"""A round's evaluated figures as page data: plain dicts of plain numbers and their texts in the page's language
(Vietnamese 1.024,5 · 92,5% · "Tăng"; English 1,024.5 · 92.5% · "Up"), with codes kept beside the names they stand
for: a page shows names, the JSON and the downloads keep codes.

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
from dxmonitor.catalogue.tree import dataset_units
from dxmonitor.charts.data import target_text
from dxmonitor.evaluation.checks import QualityFinding
from dxmonitor.evaluation.completeness import Coverage
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.formats import change_text, figure, short_date, window_text
from dxmonitor.evaluation.rules import FAIL, change, verdict
from dxmonitor.intake.windows import Window
from dxmonitor.problems import SEVERITY_VI, Severity
from dxmonitor.web.language import page_language
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
# What each data-quality check looks for, said in place of its code on a page (the JSON and downloads keep the code).
CHECK_NAMES = {
    "printed_differs": gettext_noop("Số đã in khác số tính lại"),
    "printed_change_without_baseline": gettext_noop("Mức thay đổi đã in không có kỳ trước"),
    "parts_total": gettext_noop("Các phần không khớp tổng"),
    "parts_exceed_whole": gettext_noop("Các đơn vị cộng lại vượt toàn tỉnh"),
    "range": gettext_noop("Ngoài khoảng hợp lệ"),
    "cumulative_decrease": gettext_noop("Số lũy kế giảm"),
    "period_against_running_totals": gettext_noop("Số trong kỳ không khớp số lũy kế"),
    "running_total_dates": gettext_noop("Ngày của số lũy kế"),
    "unchanged": gettext_noop("Giống hệt kỳ trước"),
    "column_unchanged": gettext_noop("Cả cột giống hệt kỳ trước"),
    "outlier": gettext_noop("Khác xa các kỳ trước"),
    "identical_rows": gettext_noop("Số liệu trùng nhau"),
    "dataset_missing": gettext_noop("Thiếu bộ số liệu"),
    "missing_unit": gettext_noop("Thiếu đơn vị"),
    "succeeded_unit": gettext_noop("Đơn vị đã kết thúc"),
    "successor_missing": gettext_noop("Đơn vị kế tục chưa báo cáo"),
}
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
        "report_date_text": short_date(round_.report_date, page_language()) if round_.report_date else "",
        "baseline": {"code": baseline.code, "name": baseline.name} if baseline else None,
    }


def target_data(ind: Indicator, window: Window | None) -> Data | None:
    target = ind.target_on(window.end) if window else None
    if target is None:
        return None
    return {
        "op": target.op,
        "value": num(target.value),
        "text": target_text(target.op, target.value, ind.kind, ind.decimals, page_language()),
        "source": target.source,
    }


def direction_of(ind: Indicator, delta: Decimal | None) -> str:
    """ "better", "worse" or "same" — a fall is better where lower is better; "" without a change."""
    if delta is None:
        return ""
    shown = figure(abs(delta), ind.kind, ind.decimals)
    if shown in (figure(Decimal(0), ind.kind, ind.decimals), ""):  # the same in every language
        return "same"
    return "better" if (delta > 0) == (ind.direction == "higher") else "worse"


def figures(ind: Indicator, value: Decimal | None, base: Decimal | None, window: Window | None) -> Data:
    """One figure with its baseline, change and verdict, each as a number and as text in the page's language."""
    delta = change(value, base)
    language = page_language()
    return {
        "value": num(value),
        "value_text": figure(value, ind.kind, ind.decimals, language),
        "baseline": num(base),
        "baseline_text": figure(base, ind.kind, ind.decimals, language),
        "change": num(delta),
        "change_text": change_text(delta, ind.kind, ind.decimals, language),
        "trend": direction_of(ind, delta),
        "verdict": verdict(ind, value, window) or "",
    }


def dataset_of(ctx: RoundContext, indicator: str) -> Dataset | None:
    return next((d for d in ctx.catalogue.datasets.values() if indicator in d.indicators), None)


def coverage_data(coverage: Coverage, ctx: RoundContext) -> Data:
    """How many of the units expected a figure was built from, and which are missing ("27/30 đơn vị đã báo cáo")."""
    reported, expected = len(coverage.reported), len(coverage.expected)
    return {
        "reported": reported,
        "expected": expected,
        "text": _("%(reported)d/%(expected)d đơn vị đã báo cáo") % {"reported": reported, "expected": expected},
        "missing": [{"unit": u, "name": ctx.unit(u).short_name} for u in coverage.missing],
    }


def total_figures(ctx: RoundContext, code: str, category: str, units: Sequence[str]) -> Data:
    """A column's total for the whole province, as `figures` gives a unit's: the whole's own figure, or a sum of the
    units. A sum of fewer units than expected (`partial`) has no change and no verdict: it is not the province's
    figure, and comparing it with last month's whole or with the province's target would mislead."""
    ind = ctx.indicator(code)
    now = ctx.province_total(code, category, units)
    comparing = ctx.baseline is not None and ctx.whole_note(code) is None  # not another province's total
    before = ctx.province_total(code, category, units, baseline=True) if comparing else None
    comparable = before is not None and not now.partial and not before.partial
    window = ctx.window_of(code)
    data = figures(ind, now.value, before.value if comparable and before else None, window)
    if now.partial:
        data["verdict"] = ""
    if now.own:  # the whole's own figure: built from no unit, so from no fewer than expected
        return {**data, "partial": False, "coverage": None, "coverage_text": ""}
    coverage = coverage_data(now.coverage, ctx)
    return {**data, "partial": now.partial, "coverage": coverage, "coverage_text": coverage["text"]}


def tile(ctx: RoundContext, code: str, reader: Reader) -> Data:
    """A headline figure: the province total (as the report's total row) or, for a reporter, their unit's. A total
    of fewer units than expected says so in place of the province's name ("Cộng 1/12 đơn vị đã báo cáo")."""
    ind = ctx.indicator(code)
    window: Window | None
    if reader.everything:
        dataset = dataset_of(ctx, code)
        shown = total_figures(ctx, code, "", dataset.units if dataset else [])
        unit = "" if shown["partial"] else ctx.whole
        window = ctx.window_of(code)
        unit_name = (
            _("Cộng %(coverage)s") % {"coverage": shown["coverage_text"]}
            if shown["partial"]
            else ctx.unit(unit).name
            if unit in ctx.catalogue.units
            else ""
        )
    else:
        homes = [u for u in reader.homes if (code, u, "") in ctx.evaluations] or list(reader.homes[:1])
        unit = homes[0] if homes else ""
        ev = ctx.evaluations.get((code, unit, ""))
        value, base, window = (ev.value, ev.baseline, ev.window) if ev else (None, None, None)
        shown = {**figures(ind, value, base, window), "partial": False, "coverage": None}
        unit_name = ctx.unit(unit).name if unit in ctx.catalogue.units else ""
    return {
        "indicator": code,
        "name": ind.name,
        "label": ind.label,
        "kind": ind.kind,
        "unit": unit,
        "unit_name": unit_name,
        **shown,
        "target": target_data(ind, window),
        "as_of": window_text(window, page_language()) if window and shown["value"] is not None else "",
    }


def tiles(ctx: RoundContext, reader: Reader) -> list[Data]:
    return [tile(ctx, code, reader) for code in HEADLINES if code in ctx.catalogue.indicators]


def below_target(ctx: RoundContext, reader: Reader) -> list[Data]:
    """For each indicator with a target: the units that miss it, in the order of its dataset's table, out of how many
    reported and how many were expected."""
    out: list[Data] = []
    for code, ind in ctx.catalogue.indicators.items():
        if not ind.targets:
            continue
        units = [
            u
            for ds in ctx.catalogue.datasets.values()
            if code in ds.indicators
            for u in dataset_units(ds.units, ctx.catalogue, ctx.days())
            if u != ctx.whole and reader.sees(u)
        ]
        rows = [ev for u in dict.fromkeys(units) if (ev := ctx.evaluations.get((code, u, ""))) and ev.value is not None]
        if not rows:
            continue
        window = ctx.window_of(code)
        missing = [ev for ev in rows if ev.verdict == FAIL]
        coverage = ctx.coverage(code, "", units)
        out.append(
            {
                "indicator": code,
                "name": ind.name,
                "target": target_data(ind, window),
                "count": len(missing),
                "of": len(rows),
                "partial": coverage.partial,
                "coverage": coverage_data(coverage, ctx),
                "units": [
                    {
                        "unit": ev.unit,
                        "name": ctx.unit(ev.unit).short_name,
                        "value": num(ev.value),
                        "value_text": figure(ev.value, ind.kind, ind.decimals, page_language()),
                    }
                    for ev in missing
                ],
            }
        )
    return out


def finding_data(finding: QualityFinding, ctx: RoundContext) -> Data:
    """A finding with the names of what it is about beside their codes, and a subject that is never blank: the unit
    and indicator, else the dataset, else the whole round."""
    catalogue = ctx.catalogue
    unit = catalogue.units.get(finding.unit)
    ind = catalogue.indicators.get(finding.indicator)
    ds = catalogue.datasets.get(finding.dataset)
    category = ind.category_label(finding.category) if ind and finding.category else ""
    indicator_name = (ind.name + (f" ({category})" if category else "")) if ind else ""
    about = [x for x in (unit.short_name if unit else "", indicator_name) if x]
    subject = " · ".join(about) or (ds.name if ds else "") or _("Cả kỳ báo cáo")
    return {
        "severity": finding.severity.value,
        "severity_text": SEVERITY_VI[finding.severity],
        "check": finding.check,
        "check_text": _(CHECK_NAMES[finding.check]) if finding.check in CHECK_NAMES else _("Quy tắc của bộ số liệu"),
        "dataset": finding.dataset,
        "dataset_name": ds.name if ds else "",
        "unit": finding.unit,
        "unit_name": unit.short_name if unit else "",
        "indicator": finding.indicator,
        "indicator_name": ind.name if ind else "",
        "category": finding.category,
        "category_text": category,
        "subject": subject,
        "figures": finding.figures,
        "message": finding.message,
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
        "text": target_text(target.op, target.value, ind.kind, ind.decimals, page_language()),
        "source": target.source,
        "valid_from": day(target.valid_from),
        "valid_to": day(target.valid_to),
        "valid_from_text": short_date(target.valid_from, page_language()) if target.valid_from else "",
        "valid_to_text": short_date(target.valid_to, page_language()) if target.valid_to else "",
    }


def name_of(catalogue: Catalogue, indicator: str | None) -> str:
    found = catalogue.indicators.get(indicator or "")
    return found.name if found else ""


def indicator_data(ind: Indicator, catalogue: Catalogue) -> Data:
    """An indicator's definition as the catalogue gives it."""
    derived = ind.derived
    formula: Data | None = None
    if derived is not None:
        formula = {
            "numerator": derived.numerator,
            "numerator_name": name_of(catalogue, derived.numerator),
            "denominator": derived.denominator,
            "denominator_name": name_of(catalogue, derived.denominator),
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
