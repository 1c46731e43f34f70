"""Values of a round: read them with their evaluation, write them all or nothing, read a value's history."""

from typing import Any

from django.http import HttpRequest
from ninja import BodyEx, Field, P, Query, QueryEx, Router, Schema
from ninja.pagination import paginate

from dxmonitor.accounts.scope import Principal, Role
from dxmonitor.api.auth import principal_of
from dxmonitor.api.errors import READ_ERRORS, WRITE_ERRORS, ApiError, forbidden, not_found, problem_out
from dxmonitor.api.pagination import Pages
from dxmonitor.api.rounds import RoundCode, find_round
from dxmonitor.api.schemas import MAX_ITEMS, ChangeOut, ValueIn, ValueOut, WriteOut
from dxmonitor.api.submission import item_changes, records_of
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.intake.limits import head, number_en, number_vi
from dxmonitor.intake.locks import Busy
from dxmonitor.intake.models import Source, ValueChange
from dxmonitor.intake.planning import plan_records
from dxmonitor.intake.service import Writer, current_limits, write
from dxmonitor.reports.export import NOTE_COLUMN, export_rows
from dxmonitor.reports.generate import round_context
from dxmonitor.web.kept import kept, page_key

router = Router(tags=["values"])

OPTIONAL_IN_EXPORT = ("dataset", "target", "verdict", "baseline_value", "change", NOTE_COLUMN)
EXAMPLE = [
    {"unit": "Huyện Đồng Phú", "indicator": "dvc.online_service_rate", "value": "77,3%", "as_of": "16/07/2022"},
    {"unit": "BP.DONG_PHU", "indicator": "cnscd.commune_teams", "value": 11, "note": "Tổ CNSCĐ cấp xã"},
    {
        "unit": "Ban Tổ chức Tỉnh ủy",
        "indicator": "security.vulnerabilities",
        "category": "severity=cao",
        "value": 1,
        "as_of": "2022-07-01/2022-07-20",
    },
]


class ValueFilters(Schema):
    dataset: str | None = Field(default=None, description="dataset code", json_schema_extra={"example": "dvc_rates"})
    indicator: str | None = Field(
        default=None, description="indicator code", json_schema_extra={"example": "dvc.online_service_rate"}
    )
    unit: str | None = Field(default=None, description="unit code", json_schema_extra={"example": "BP.DONG_PHU"})


class HistoryQuery(Schema):
    round: str = Field(description="round code, YYYY-MM", json_schema_extra={"example": "2022-06"})
    unit: str = Field(description="unit code", json_schema_extra={"example": "BP.DONG_PHU"})
    indicator: str = Field(description="indicator code", json_schema_extra={"example": "dvc.online_service_rate"})
    category: str | None = Field(
        default=None,
        description='e.g. "severity=cao"; "" for none; omitted: every category',
        json_schema_extra={"example": ""},
    )


def _readable_unit(code: str, catalogue: Catalogue, principal: Principal) -> None:
    if code not in catalogue.units:
        raise not_found("unit", f"không có đơn vị '{code}'", f"no unit '{code}'")
    if not principal.can_read(code):
        name = catalogue.units[code].name
        raise forbidden(
            f"không có quyền xem số liệu của đơn vị '{name}'", f"not allowed to read figures of unit '{name}'", "unit"
        )


def _known_indicator(code: str, catalogue: Catalogue) -> None:
    if code not in catalogue.indicators:
        raise not_found("indicator", f"không có chỉ tiêu '{code}'", f"no indicator '{code}'")


def value_out(row: dict[str, str]) -> dict[str, str | None]:
    """An export row with its empty cells as nulls (and the comparison note null where the export has no such column:
    a round on one tree)."""
    return {k: (v or None) if k in OPTIONAL_IN_EXPORT else v for k, v in {NOTE_COLUMN: "", **row}.items()}


@router.get("/rounds/{code}/values", response={200: list[ValueOut], **READ_ERRORS}, operation_id="list_round_values")
@paginate(Pages)
def list_values(request: HttpRequest, code: RoundCode, filters: Query[ValueFilters]) -> Any:
    """Every figure of the round (entered and derived) with its target, verdict and change against the baseline
    round, in report order. A reporter or an API key sees its own units on the round's tree only; admins and viewers
    see all."""
    round_ = find_round(code)
    catalogue = get_catalogue()
    principal = principal_of(request).on(catalogue, round_days(round_.code))
    if filters.dataset is not None and filters.dataset not in catalogue.datasets:
        raise not_found("dataset", f"không có bộ số liệu '{filters.dataset}'", f"no dataset '{filters.dataset}'")
    if filters.indicator is not None:
        _known_indicator(filters.indicator, catalogue)
    if filters.unit is not None:
        _readable_unit(filters.unit, catalogue, principal)
    wanted = {"dataset": filters.dataset, "indicator": filters.indicator, "unit_code": filters.unit}

    def rows() -> list[dict[str, str | None]]:
        return [
            value_out(row)
            for row in export_rows(round_context(round_, round_.effective_baseline()))
            if principal.can_read(row["unit_code"]) and all(v is None or row[k] == v for k, v in wanted.items())
        ]

    return kept(page_key("api-values", principal, round_.code, *wanted.values()), rows)


@router.post("/rounds/{code}/values", response={200: WriteOut, **WRITE_ERRORS}, operation_id="write_round_values")
def write_values(
    request: HttpRequest,
    code: RoundCode,
    items: BodyEx[list[ValueIn], P(min_length=1, max_length=MAX_ITEMS, examples=[EXAMPLE])],
    dry_run: QueryEx[bool, P(description="true: check and say what would change, write nothing")] = False,
) -> WriteOut:
    """Write figures of the round, all or nothing, checked like an imported file. Any error: nothing is written and
    every error is listed with the item's index and field (403 when an item is outside the caller's units, else 422).
    The round must exist (an admin opens it: `POST /api/rounds`); else 422 naming the open rounds, nothing created.
    A value already stored is replaced and its history kept.
    `dry_run=true` says what would change and writes nothing."""
    principal = principal_of(request)
    if principal.role is Role.VIEWER:
        raise forbidden("Thành viên Ban Chỉ đạo chỉ được xem số liệu", "Viewers may read figures but not write them")
    catalogue = get_catalogue()
    plan = plan_records(records_of(items), code, catalogue)
    try:
        result = write(plan, catalogue, Writer(principal, Source.API), dry_run=dry_run)
    except Busy as exc:
        raise ApiError(409, "busy", exc.vi, exc.en) from exc
    warnings = [problem_out(p) for p in plan.warnings]
    summary = result.summary
    if summary is None:
        count = len(plan.errors)
        limit = current_limits().errors_shown
        errors, more = head(plan.errors, limit)
        listed_vi = f"; liệt kê {number_vi(limit)} lỗi đầu, còn {number_vi(more)} lỗi khác" if more else ""
        listed_en = f"; the first {number_en(limit)} are listed, and {number_en(more)} more" if more else ""
        raise ApiError(
            403 if result.outside else 422,
            "forbidden" if result.outside else "invalid_input",
            f"Không ghi gì: {count} lỗi{listed_vi}",
            f"Nothing written: {count} error(s){listed_en}",
            [problem_out(p) for p in errors],
            head(warnings, limit)[0],
        )
    return WriteOut(
        round=plan.round_code,
        round_created=summary.round_created,
        dry_run=dry_run,
        new=len(summary.new),
        changed=len(summary.changed) + len(summary.noted),
        unchanged=len(summary.unchanged),
        items=item_changes(summary),
        warnings=warnings,
    )


@router.get("/values/history", response={200: list[ChangeOut], **READ_ERRORS}, operation_id="value_history")
@paginate(Pages)
def value_history(request: HttpRequest, query: Query[HistoryQuery]) -> Any:
    """Every change of a value (of every as-of window), oldest first: old and new figure, who, when, how."""
    catalogue = get_catalogue()
    principal = principal_of(request).on(catalogue, round_days(query.round))
    _readable_unit(query.unit, catalogue, principal)
    _known_indicator(query.indicator, catalogue)
    round_ = find_round(query.round)
    changes = ValueChange.objects.filter(round=round_, unit__code=query.unit, indicator__code=query.indicator)
    if query.category is not None:
        indicator = catalogue.indicators[query.indicator]
        categories = {""} | {f"{dim}={m}" for dim, members in indicator.disaggregation.items() for m in members}
        if query.category not in categories:
            raise not_found(
                "category",
                f"chỉ tiêu {query.indicator} không có phân loại '{query.category}'",
                f"indicator {query.indicator} has no category '{query.category}'",
            )
        changes = changes.filter(category=query.category)
    return changes.select_related("round", "unit", "indicator").order_by("changed_at", "id")
