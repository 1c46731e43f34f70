"""The web data-entry form of a unit's dataset: the same checks as a file, messages at the input."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dxmonitor.accounts.scope import Principal, Role
from dxmonitor.catalogue import models as rows
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.schema import Dataset, Indicator
from dxmonitor.evaluation.facts import Fact, pick_main
from dxmonitor.evaluation.formats import figure, number, window_text
from dxmonitor.intake.locks import Busy
from dxmonitor.intake.long_format import LongRecord, cell_text
from dxmonitor.intake.models import Source, Submission, Value
from dxmonitor.intake.planning import ImportPlan, plan_records, round_end
from dxmonitor.intake.service import Writer, write
from dxmonitor.intake.submissions import act, return_reason
from dxmonitor.intake.templates import figure_columns
from dxmonitor.intake.windows import Window
from dxmonitor.intake.workflow import STATUS_VI, Action, Refusal, Status, move
from dxmonitor.problems import SEVERITY_VI, Location, Problem, warning
from dxmonitor.web.access import member_required
from dxmonitor.web.intake_pages import (
    EXACT,
    FORM,
    LONG_FIELDS,
    MEASURE,
    dataset_or_404,
    denied,
    moment,
    principal_on,
    round_or_404,
    told,
    unplaced_text,
)
from dxmonitor.web.language import page_language
from dxmonitor.web.pages import respond
from dxmonitor.web.presenters import Data, num, round_data


@dataclass(frozen=True)
class Cell:
    """One input of the entry form: an (indicator, category) the unit fills in."""

    indicator: Indicator
    category: str

    @property
    def key(self) -> str:  # as the template's hidden code row writes it
        return f"{self.indicator.code}|{self.category}" if self.category else self.indicator.code

    @property
    def label(self) -> str:
        name = self.indicator.name
        return f"{name} — {self.indicator.category_label(self.category)}" if self.category else name


def as_of_text(window: Window) -> str:
    """A window as the form's as-of input takes it back: "16/07/2022" or "01/06/2022 - 15/07/2022"."""
    end = f"{window.end:%d/%m/%Y}"
    return end if window.start is None else f"{window.start:%d/%m/%Y} - {end}"


def stored_figures(round_: rows.Round, unit: str, cells: list[Cell]) -> dict[str, Value]:
    """The stored value each input shows: of a figure's as-of windows, the one the evaluation reads."""
    found: dict[str, list[Value]] = defaultdict(list)
    values = Value.objects.filter(round=round_, unit__code=unit, indicator__code__in={c.indicator.code for c in cells})
    for value in values.select_related("indicator").order_by("pk"):
        found[f"{value.indicator.code}|{value.category}" if value.category else value.indicator.code].append(value)
    out = {}
    for key, candidates in found.items():
        facts = {Fact(v.indicator.code, unit, v.category, Window.from_key(v.window), v.value): v for v in candidates}
        out[key] = facts[pick_main(facts)]
    return out


def default_window(round_: rows.Round, unit: str, dataset: Dataset) -> Window:
    """The as-of of a figure not stored yet: the unit's other figures' of the dataset, else the other units',
    else the round's last day."""
    values = Value.objects.filter(round=round_, indicator__code__in=dataset.indicators)
    for scope in (values.filter(unit__code=unit), values):
        common = scope.values("window").annotate(n=Count("id")).order_by("-n", "window").first()
        if common:
            return Window.from_key(common["window"])
    return Window(round_end(round_.code))


def shown_windows(round_: rows.Round, unit: str, dataset: Dataset, stored: dict[str, Value]) -> dict[str, Window]:
    """The as-of each input offers: its stored figure's, else the one the dataset's figures usually have."""
    usual = default_window(round_, unit, dataset)
    return {key: Window.from_key(value.window) for key, value in stored.items()} | {"": usual}


def form_records(
    form: QueryDict, cells: list[Cell], unit: str, dataset: str, windows: dict[str, Window]
) -> list[LongRecord]:
    """The filled inputs as rows of the long import format; row n is the n-th input, its fields the inputs' names,
    so every problem comes back to its input. An as-of left empty is the one the form offered."""
    # The inputs read as a file's cells are: a NUL (which no keyboard types and PostgreSQL cannot store) is dropped.
    note = cell_text(form.get("note"))
    records = []
    for row, cell in enumerate(cells, start=1):
        raw = cell_text(form.get(f"value:{cell.key}"))
        if not raw:
            continue
        names = {"value": f"value:{cell.key}", "as_of": f"as_of:{cell.key}"}
        records.append(
            LongRecord(
                location=Location(file=FORM, sheet=dataset, row=row),
                columns={f: names.get(f, names["value"]) for f in LONG_FIELDS},
                unit=unit,
                indicator=cell.indicator.code,
                value=raw,
                category=cell.category,
                as_of=cell_text(form.get(f"as_of:{cell.key}")) or as_of_text(windows.get(cell.key, windows[""])),
                note=note,
                measure="",
            )
        )
    return records


def left_blank(form: QueryDict, cells: list[Cell], stored: dict[str, Value]) -> list[Problem]:
    """A stored figure whose input was emptied stays as it is: say so at the input rather than let it look deleted."""
    out = []
    for row, cell in enumerate(cells, start=1):
        value = stored.get(cell.key)
        if value is not None and not form.get(f"value:{cell.key}", "").strip():
            shown = figure(value.value, cell.indicator.kind, EXACT)
            out.append(
                warning(
                    Location(file=FORM, row=row, field="value"),
                    f"ô để trống: số đã lưu ({shown}) được giữ nguyên; biểu mẫu không xóa số liệu",
                    f"left blank: the stored figure ({shown}) is kept; the form does not delete figures",
                )
            )
    return out


def problem_data(problem: Problem) -> Data:
    return {
        "severity": problem.severity.value,
        "severity_text": SEVERITY_VI[problem.severity],
        "field": problem.location.field or "value",
        "message": problem.message_vi,
        "message_en": problem.message_en,
    }


def entry_data(
    round_: rows.Round,
    ds: Dataset,
    unit: str,
    principal: Principal,
    form: QueryDict | None = None,
    problems: Iterable[Problem] = (),
) -> Data:
    """The form of a unit's dataset: each input with its stored figure, what was typed, and its problems."""
    catalogue = get_catalogue()
    cells = [Cell(i, c) for i, c in figure_columns(ds, catalogue)]
    stored = stored_figures(round_, unit, cells)
    windows = shown_windows(round_, unit, ds, stored)
    at_input: dict[int, list[Data]] = defaultdict(list)
    general = []
    for p in problems:
        row = p.location.row
        if p.location.file == FORM and row is not None and 1 <= row <= len(cells):
            at_input[row].append(problem_data(p))
        else:
            general.append(problem_data(p))
    sub = Submission.objects.filter(round=round_, dataset__code=ds.code, unit__code=unit).first()
    status = Status(sub.status) if sub else Status.DRAFT
    inputs = []
    for row, cell in enumerate(cells, start=1):
        value = stored.get(cell.key)
        window = windows.get(cell.key, windows[""])
        ind = cell.indicator
        query = {"round": round_.code, "unit": unit, "indicator": ind.code, "category": cell.category}
        typed = (form.get(f"value:{cell.key}", ""), form.get(f"as_of:{cell.key}", "")) if form is not None else None
        inputs.append(
            {
                "key": cell.key,
                "indicator": ind.code,
                "category": cell.category,
                "label": cell.label,
                "kind": ind.kind,
                "measure": MEASURE[ind.kind],
                "value_text": typed[0] if typed else (number(value.value, EXACT) if value else ""),
                "as_of_text": typed[1] if typed else as_of_text(window),
                "stored": None
                if value is None
                else {
                    "value": num(value.value),
                    "value_text": figure(value.value, ind.kind, EXACT, page_language()),
                    "as_of": window_text(window, page_language()),
                    "source": value.source,
                    "source_text": Source(value.source).label,
                    "by": value.updated_by,
                    "at_text": moment(value.updated_at),
                },
                "history_url": f"{reverse('value-history')}?{urlencode(query)}",
                "problems": at_input.get(row, []),
                "invalid": sorted(
                    {
                        "as_of" if p["field"] == "as_of" else "value"
                        for p in at_input.get(row, [])
                        if p["severity"] == "error"
                    }
                ),
            }
        )
    return {
        "round": round_data(round_),
        "dataset": {"code": ds.code, "name": ds.name, "window_note": ds.window_note},
        "unit": {"code": unit, "name": catalogue.units[unit].name},
        "status": status.value,
        "status_text": STATUS_VI[status],
        "locked": status is Status.APPROVED,
        "return_reason": return_reason(sub) if sub and status is Status.RETURNED else "",
        "can_submit": not isinstance(move(status, Action.SUBMIT, principal, unit), Refusal),
        "note": form.get("note", "") if form is not None else "",
        "problems": general,
        "inputs": inputs,
    }


@member_required
def entry(request: HttpRequest, code: str, dataset: str, unit: str, fmt: str | None = None) -> HttpResponse:
    """A unit's figures of a dataset for the round: save a draft (checked as a file is), or save and submit."""
    round_, catalogue = round_or_404(code), get_catalogue()
    principal = principal_on(request, code, catalogue)
    ds = dataset_or_404(catalogue, dataset)
    if unit not in ds.units:
        raise Http404(_("Đơn vị %(unit)s không thuộc bộ số liệu %(dataset)s") % {"unit": unit, "dataset": ds.code})
    if principal.role is Role.VIEWER:
        return denied(request, _("Thành viên Ban Chỉ đạo chỉ được xem số liệu."), fmt)
    if not principal.can_write(unit):
        mine = _("Bạn chỉ được nhập số liệu của đơn vị mình và các đơn vị trực thuộc.")
        return denied(request, unplaced_text(principal) or mine, fmt)
    template = "web/intake_entry.html"
    if request.method != "POST":
        return respond(request, fmt, template, entry_data(round_, ds, unit, principal))
    cells = [Cell(i, c) for i, c in figure_columns(ds, catalogue)]
    stored = stored_figures(round_, unit, cells)
    records = form_records(request.POST, cells, unit, ds.code, shown_windows(round_, unit, ds, stored))
    plan: ImportPlan = plan_records(records, round_.code, catalogue)
    blanks = left_blank(request.POST, cells, stored)
    try:
        summary = write(plan, catalogue, Writer(principal, Source.FORM)).summary
    except Busy as exc:
        messages.error(request, f"{exc.vi} / {exc.en}")
        data = entry_data(round_, ds, unit, principal, request.POST, blanks)
        return render(request, template, {"data": data}, status=409)
    if summary is None:
        count = len(plan.errors)
        messages.error(request, ngettext("%(n)d lỗi — chưa lưu gì.", "%(n)d lỗi — chưa lưu gì.", count) % {"n": count})
        data = entry_data(round_, ds, unit, principal, request.POST, [*plan.problems, *blanks])
        return render(request, template, {"data": data}, status=422)
    changed = len(summary.new) + len(summary.changed) + len(summary.noted)
    messages.success(
        request,
        ngettext("Đã lưu %(n)d số liệu.", "Đã lưu %(n)d số liệu.", changed) % {"n": changed}
        if changed
        else _("Không có số liệu nào thay đổi."),
    )
    if request.POST.get("do") == "submit":
        result = act(
            round_, rows.Dataset.objects.get(code=ds.code), rows.Unit.objects.get(code=unit), Action.SUBMIT, principal
        )
        if isinstance(result, Refusal):
            messages.error(request, told(result, _("Chưa nộp")))
        else:
            messages.success(request, _("Đã nộp bộ số liệu; chờ quản trị duyệt."))
    if plan.warnings or blanks:  # shown at their inputs, so the page is answered here rather than redirected
        return render(
            request, template, {"data": entry_data(round_, ds, unit, principal, None, plan.warnings + blanks)}
        )
    return redirect(request.path)


# --- a value's history -------------------------------------------------------------------------------------------
