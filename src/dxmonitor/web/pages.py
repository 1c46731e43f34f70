"""The dashboard and the pages of rounds, datasets, units and indicators; each also answers as JSON, and a page
with a table gives it as CSV and XLSX too (downloads).

Views only fetch and choose: the figures come from History (one query), the page data from presenters and
tables (plain dicts), the charts from figures (SVG). The JSON is the same dict the HTML page shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dxmonitor.accounts.scope import Principal
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.rounds import ROUND_CODE, round_days
from dxmonitor.catalogue.tree import dataset_units, predecessors
from dxmonitor.evaluation.checks import run_checks
from dxmonitor.evaluation.completeness import expected_units
from dxmonitor.evaluation.formats import number, short_date
from dxmonitor.intake.completeness import as_data as completeness_data
from dxmonitor.intake.completeness import completeness
from dxmonitor.intake.models import Value
from dxmonitor.intake.submissions import return_reason, returned_to
from dxmonitor.intake.workflow import STATUS_VI, Status
from dxmonitor.reports.files import report_files
from dxmonitor.web import downloads, presenters, tables
from dxmonitor.web.access import member_required
from dxmonitor.web.figures import by_category, by_unit, dated, headline_charts, trend_of, unit_trend
from dxmonitor.web.history import History
from dxmonitor.web.kept import KEEP_SECONDS, kept, page_key
from dxmonitor.web.language import page_language
from dxmonitor.web.presenters import Data, round_data
from dxmonitor.web.reader import Reader
from dxmonitor.web.units import KIND_ORDER, kind_label, unit_data


def wants_json(request: HttpRequest, fmt: str | None) -> bool:
    return fmt == ".json" or request.GET.get("format") == "json" or request.path.endswith(".json")


def wants_file(request: HttpRequest, fmt: str | None) -> str | None:
    """ "csv" or "xlsx" when the address asks for the page's table as a file (`.csv`, `?format=xlsx`…)."""
    asked = (fmt or "").lstrip(".") or request.GET.get("format", "")
    return asked if asked in downloads.FORMATS else None


def as_json(data: Data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def respond(request: HttpRequest, fmt: str | None, template: str, data: Data, **page: object) -> HttpResponse:
    """The page's data as JSON, its table as CSV or XLSX, or the HTML page that shows it (with its charts)."""
    if wants_json(request, fmt):
        return as_json(data)
    file_format = wants_file(request, fmt)
    if file_format:
        table = downloads.table_of(template, data)
        if table is None:
            raise Http404(_("Trang này không có bảng để tải về"))
        return downloads.download(table, file_format)
    query = request.GET.copy()
    query["format"] = "json"
    files = downloads.links(request.path, request.GET) if template in downloads.TABLES else []
    context = {"data": data, "json_url": f"{request.path}?{query.urlencode()}", "download_links": files, **page}
    return render(request, template, context)


def forbidden(request: HttpRequest, fmt: str | None, message: str) -> HttpResponse:
    """403, said in the page's own layout (or as JSON) rather than Django's bare error page."""
    if wants_json(request, fmt):
        return as_json({"error": message}, status=403)
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def sort_links(request: HttpRequest, columns: list[Data], current: str) -> Data:
    """The addresses that sort the table by each header (ascending first, descending when it already is
    ascending), with the arrow to show beside the header of the current order."""

    def link(key: str) -> Data:
        query = request.GET.copy()
        query["sort"] = f"-{key}" if current == key else key
        arrow = "▲" if current == key else "▼" if current == f"-{key}" else ""
        return {"url": f"?{query.urlencode()}", "arrow": arrow}

    return {
        "unit": link("unit"),
        "columns": [
            {"column": c, **{f: link(str(c["key"]) + ("" if f == "value" else f":{f}")) for f in tables.SORT_FIELDS}}
            for c in columns
        ],
    }


def table_page(request: HttpRequest, table: tables.UnitTable, sort: str = "") -> Data:
    """What a table's template needs beside its data: each row's cells beside their columns, the sort links."""
    columns, total = table["columns"], table["total"]
    return {
        "body": [(row, list(zip(columns, row["cells"], strict=True))) for row in table["rows"]],
        "total": list(zip(columns, total["cells"], strict=True)) if total else [],
        "sorting": sort_links(request, columns, sort),
    }


def reader_of(request: HttpRequest, catalogue: Catalogue, round_code: str | None = None) -> Reader:
    """What the signed-in member may read (member_required has put their principal on the request); with a round
    (`""`: the latest), a reporter's units on the tree of its days."""
    principal: Principal = request.principal  # type: ignore[attr-defined]
    if round_code is None:
        return Reader.of(principal, catalogue)
    code = round_code or Round.objects.order_by("-code").values_list("code", flat=True).first() or ""
    return Reader.of(principal, catalogue, round_days(code))


def chosen_round(history: History, code: str | None) -> Round:
    round_ = history.find(code)
    if round_ is None and code:
        raise Http404(_("Không có kỳ báo cáo %(code)s") % {"code": code})
    if round_ is None:
        raise Http404(_("Chưa có kỳ báo cáo nào"))
    return round_


def rounds_menu(history: History) -> list[Data]:
    return [{"code": r.code, "name": r.name} for r in reversed(history.rounds)]


def files_of(round_code: str) -> list[Data]:
    return [
        {"name": p.name, "format": p.suffix.lstrip(".").upper(), "url": reverse("report-file", args=[p.name])}
        for p in report_files(settings.REPORTS_DIR, round_code)
    ]


@dataclass(frozen=True)
class Computed:
    """What a page computes from the figures, kept between requests; the view adds what is its own (files, sort)."""

    data: Data
    drawings: Data = field(default_factory=dict)
    round_code: str = ""


@dataclass(frozen=True)
class TablePage:
    """A page around one table of units: its data beside the table (the view filters and sorts the rows)."""

    data: Data
    table: tables.UnitTable
    drawings: Data = field(default_factory=dict)


def dashboard_page(code: str, reader: Reader) -> Computed | None:
    """The dashboard's data and its drawings (None when there is no round yet); report files are added per view."""
    history = History.load(around=code)
    if not history.rounds:
        return None
    round_ = chosen_round(history, code)
    ctx = history.with_printed(round_).context(round_)
    data: Data = {
        "round": round_data(round_, history.baseline_of(round_)),
        "rounds": rounds_menu(history),
        "scope": reader.as_data(),
        "tiles": presenters.tiles(ctx, reader),
        "below_target": presenters.below_target(ctx, reader),
        "reporting": completeness_data(completeness(round_, ctx.catalogue), ctx.catalogue, reader.sees),
        "findings": presenters.findings_summary(run_checks(ctx, history.earlier(round_), page_language()), ctx, reader),
    }
    headlines = [c for c in presenters.HEADLINES if c in ctx.catalogue.indicators]
    rates = [c for c in headlines if ctx.indicator(c).kind == "percent"]
    title = _("Các tỷ lệ chính qua các kỳ") if reader.everything else _("Các tỷ lệ chính của đơn vị qua các kỳ")
    drawings: Data = {
        "charts": headline_charts(ctx, headlines, reader),
        "trend": trend_of(history, history.trend_rounds(round_), rates, reader, title),
    }
    return Computed(data, drawings, round_.code)


def returned_data(principal: Principal) -> list[Data]:
    """The reporter's submissions returned by the office, with the reason and where to correct them."""
    return [
        {
            "round": s.round.code,
            "round_name": s.round.name,
            "dataset": s.dataset.code,
            "dataset_name": get_catalogue().datasets[s.dataset.code].name,
            "unit": s.unit.code,
            "unit_name": s.unit.name,
            "status_text": STATUS_VI[Status.RETURNED],
            "reason": return_reason(s),
            "entry_url": reverse("entry", args=[s.round.code, s.dataset.code, s.unit.code]),
        }
        for s in returned_to(principal)
    ]


@member_required
def dashboard(request: HttpRequest, code: str | None = None, fmt: str | None = None) -> HttpResponse:
    """A round (default: the latest): headline tiles, units below target, reporting, findings, files, charts."""
    code = code or request.GET.get("round", "")
    reader = reader_of(request, get_catalogue(), code)
    key = page_key("dashboard", reader.principal, code)
    page = kept(key, lambda: dashboard_page(code, reader))
    if page is None:
        return respond(request, fmt, "web/dashboard.html", {"round": None, "rounds": []})
    data: Data = {
        **page.data,
        "report_files": files_of(page.round_code),
        "returned": returned_data(request.principal),  # type: ignore[attr-defined]  # every round's, on every view
    }
    if wants_json(request, fmt):  # charts are for the HTML page only
        return as_json(data)
    kept_html = {"key": key, "seconds": KEEP_SECONDS}  # the template keeps its figures' HTML under the same key
    return respond(request, fmt, "web/dashboard.html", data, **page.drawings, kept=kept_html)


@member_required
def rounds(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """Every round, latest first: its baseline, state, deadline, report number and date, and its report files.

    A round saved with a wrong code (before codes were checked) is listed, marked, and links nowhere but its edit
    page: it never breaks the page."""
    principal: Principal = request.principal  # type: ignore[attr-defined]
    all_rounds = list(Round.objects.order_by("code"))
    history = History(get_catalogue(), all_rounds, {})
    counts = dict(Value.objects.values_list("round__code").annotate(n=Count("id")).values_list("round__code", "n"))
    data: Data = {
        "rounds": [
            {
                **round_data(r, history.baseline_of(r)),
                "valid": bool(ROUND_CODE.match(r.code)),
                "state": r.state,
                "deadline": timezone.localtime(r.deadline).date().isoformat() if r.deadline else None,
                "deadline_text": short_date(timezone.localtime(r.deadline).date(), page_language())
                if r.deadline
                else "",
                "values": counts.get(r.code, 0),
                "values_text": number(Decimal(counts.get(r.code, 0)), language=page_language()),
                "report_files": files_of(r.code) if ROUND_CODE.match(r.code) else [],
            }
            for r in reversed(history.rounds)
        ]
    }
    return respond(request, fmt, "web/rounds.html", data, can_manage=principal.is_admin)


@member_required
def datasets(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The catalogue's datasets: their indicators, their units on the tree of the latest round (or `?round=`; those
    the reader may see) and their window."""
    catalogue = get_catalogue()
    code = request.GET.get("round") or Round.objects.order_by("-code").values_list("code", flat=True).first() or ""
    reader, days = reader_of(request, catalogue, code), round_days(code)
    data: Data = {
        "datasets": [
            {
                "code": ds.code,
                "name": ds.name,
                "window": ds.window,
                "window_note": ds.window_note,
                "indicators": [{"code": i, "name": catalogue.indicators[i].name} for i in ds.indicators],
                "units": len(reader.only(expected_units(ds.units, catalogue, days))),
            }
            for ds in catalogue.datasets.values()
        ]
    }
    return respond(request, fmt, "web/datasets.html", data)


def dataset_page(code: str, round_code: str, reader: Reader) -> TablePage:
    """A dataset's whole table in a round, before the view filters and sorts its rows."""
    history = History.load(around=round_code)
    ds = history.catalogue.datasets[code]
    round_ = chosen_round(history, round_code)
    ctx = history.context(round_)
    table = tables.unit_table(ctx, ds.indicators, dataset_units(ds.units, ctx.catalogue, ctx.days()), reader)
    data: Data = {
        "dataset": {"code": ds.code, "name": ds.name, "window": ds.window, "window_note": ds.window_note},
        "round": round_data(round_, history.baseline_of(round_)),
        "rounds": rounds_menu(history),
        "scope": reader.as_data(),
    }
    return TablePage(data, table)


@member_required
def dataset(request: HttpRequest, code: str, fmt: str | None = None) -> HttpResponse:
    """A dataset's table in a round: every unit × indicator with its change and verdict; `?q=` filters the
    units, `?sort=` orders the rows (a column key, `unit`, `-` for descending)."""
    catalogue = get_catalogue()
    if code not in catalogue.datasets:
        raise Http404(_("Không có bộ số liệu %(code)s") % {"code": code})
    round_code = request.GET.get("round", "")
    reader = reader_of(request, catalogue, round_code)
    page = kept(page_key("dataset", reader.principal, code, round_code), lambda: dataset_page(code, round_code, reader))
    table = page.table
    query, sort = request.GET.get("q", "").strip(), request.GET.get("sort", "")
    rows = tables.sort_rows(tables.filter_rows(table["rows"], query), table["columns"], sort)
    data: Data = {**page.data, "query": query, "sort": sort, **table, "rows": rows}
    return respond(request, fmt, "web/dataset.html", data, **table_page(request, {**table, "rows": rows}, sort))


@member_required
def units(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The units the reader may see, grouped by kind (province, departments, districts…)."""
    catalogue = get_catalogue()
    reader = reader_of(request, catalogue)
    visible = [u for u in catalogue.units.values() if reader.sees(u.code)]
    kinds = Counter(u.kind for u in visible)
    data: Data = {
        "groups": [
            {
                "kind": kind,
                "label": kind_label(kind),
                "units": [unit_data(u, catalogue) for u in visible if u.kind == kind],
            }
            for kind in sorted(kinds, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER))
        ]
    }
    return respond(request, fmt, "web/units.html", data)


def unit_page(code: str, reader: Reader) -> Computed:
    """A unit's every indicator across every round, and the trend of its rates."""
    catalogue = get_catalogue()
    before = [c for c in predecessors(catalogue, code) if reader.sees(c)]
    after = [c for c in catalogue.units[code].successors if reader.sees(c)]
    history = History.load(units=[code, *before, *after])
    rounds_ = history.rounds
    history_table = tables.unit_history(history, code, rounds_)
    data: Data = {
        "unit": unit_data(history.catalogue.units[code], history.catalogue, children=reader.only),
        "rounds": [{"code": r.code, "name": r.name} for r in rounds_],
        **history_table,
        # across a change of the tree: the figures of the units it took over from, and of those that took over
        "before": [t for t in (_lineage(history, c) for c in before) if t["rows"]],
        "after": [t for t in (_lineage(history, c) for c in after) if t["rows"]],
    }
    return Computed(data, {"trend": unit_trend(history_table, rounds_, _("Các tỷ lệ của đơn vị qua các kỳ"))})


def _lineage(history: History, code: str) -> Data:
    """A predecessor's or successor's figures, in the rounds it has any."""
    had = [r for r in history.rounds if any(f.unit == code for f in history.facts[r.code].facts)]
    return {
        "unit": {"code": code, "name": history.catalogue.units[code].name},
        "rounds": [{"code": r.code, "name": r.name} for r in had],
        **tables.unit_history(history, code, had),
    }


@member_required
def unit(request: HttpRequest, code: str, fmt: str | None = None) -> HttpResponse:
    """A unit: what it is, and every indicator it has a figure for, across every round."""
    catalogue = get_catalogue()
    if code not in catalogue.units:
        raise Http404(_("Không có đơn vị %(code)s") % {"code": code})
    reader = reader_of(request, catalogue)
    if not reader.sees(code):
        return forbidden(request, fmt, _("Bạn chỉ được xem số liệu của đơn vị mình và các đơn vị trực thuộc."))
    page = kept(page_key("unit", reader.principal, code), lambda: unit_page(code, reader))
    return respond(request, fmt, "web/unit.html", page.data, **page.drawings)


@member_required
def indicators(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The catalogue's indicators with their kind, direction, targets and datasets."""
    catalogue = get_catalogue()
    data: Data = {
        "indicators": [
            {
                "code": ind.code,
                "name": ind.name,
                "label": ind.label,
                "kind": ind.kind,
                "kind_label": presenters.kind_label(ind.kind),
                "direction": ind.direction,
                "derived": ind.derived is not None,
                "targets": [presenters.target_text_of(ind, t) for t in ind.targets],
                "datasets": [d.code for d in catalogue.datasets.values() if ind.code in d.indicators],
                "dataset_names": [
                    {"code": d.code, "name": d.name} for d in catalogue.datasets.values() if ind.code in d.indicators
                ],
            }
            for ind in catalogue.indicators.values()
        ]
    }
    return respond(request, fmt, "web/indicators.html", data)


def indicator_page(code: str, round_code: str, reader: Reader) -> TablePage:
    """An indicator's definition, every unit's figure in a round, its charts (by unit, by category, its readings
    within the round) and the trend of its total."""
    history = History.load(around=round_code)
    round_ = chosen_round(history, round_code)
    ctx = history.context(round_)
    in_datasets = [d for d in history.catalogue.datasets.values() if code in d.indicators]
    listed = [u for d in in_datasets for u in dataset_units(d.units, ctx.catalogue, ctx.days())]
    others = sorted({u for i, u, _c in ctx.main if i == code} - set(listed))
    table = tables.unit_table(ctx, [code], listed + others, reader)
    data: Data = {
        "indicator": presenters.indicator_data(history.catalogue.indicators[code], history.catalogue),
        "round": round_data(round_, history.baseline_of(round_)),
        "rounds": rounds_menu(history),
        "scope": reader.as_data(),
    }
    title = _("Tổng toàn tỉnh qua các kỳ") if reader.everything else _("Số liệu của đơn vị qua các kỳ")
    drawings: Data = {
        "chart": by_unit(ctx, code, [r["unit"] for r in table["rows"]]),
        "trend": trend_of(history, history.trend_rounds(round_), [code], reader, title),
        "dated": dated(ctx, code, reader),
        "by_category": by_category(ctx, code, listed, reader),
    }
    return TablePage(data, table, drawings)


@member_required
def indicator(request: HttpRequest, code: str, fmt: str | None = None) -> HttpResponse:
    """An indicator: its definition and targets, every unit's figure in a round, and the trend of its total."""
    catalogue = get_catalogue()
    if code not in catalogue.indicators:
        raise Http404(_("Không có chỉ tiêu %(code)s") % {"code": code})
    round_code = request.GET.get("round", "")
    reader = reader_of(request, catalogue, round_code)
    key = page_key("indicator", reader.principal, code, round_code)
    page = kept(key, lambda: indicator_page(code, round_code, reader))
    data: Data = {**page.data, **page.table}
    if wants_json(request, fmt):
        return as_json(data)
    return respond(request, fmt, "web/indicator.html", data, **page.drawings, **table_page(request, page.table))
