"""Read the catalogue: units, indicators, datasets. Every member may read it.

Units and datasets are read as `dxmonitor init` stored them; indicators from the catalogue in force (the one
evaluation uses), because their categories have an order that a JSON column does not keep on PostgreSQL."""

import re
from datetime import date
from typing import Annotated, Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import P, PathEx, Router
from ninja.pagination import paginate
from pydantic import BeforeValidator

from dxmonitor.api.errors import READ_ERRORS, not_found
from dxmonitor.api.pagination import Pages
from dxmonitor.api.schemas import DatasetOut, IndicatorOut, UnitOut
from dxmonitor.catalogue import schema
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.models import Dataset, Unit
from dxmonitor.catalogue.tree import tree_on
from dxmonitor.reports.export import plain

router = Router(tags=["catalogue"])


def _iso_day(value: object) -> object:
    """A day written YYYY-MM-DD, nothing else (pydantic would read "0" as 1/1/1970)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("ngày phải viết YYYY-MM-DD / a day is written YYYY-MM-DD")
    return value


IsoDay = Annotated[date, BeforeValidator(_iso_day)]

M = TypeVar("M", bound=Model)


def by_code(queryset: QuerySet[M], code: str) -> M | None:
    """The row with `code`, or None; a code no row can have never reaches the database."""
    if "\x00" in code or len(code) > 64:
        return None
    return queryset.filter(code=code).first()


def _units() -> QuerySet[Unit]:
    return Unit.objects.select_related("parent").prefetch_related("groups").order_by("code")


def indicator_out(indicator: schema.Indicator) -> dict[str, Any]:
    """An indicator as the API shows it: its YAML definition, numbers as plain decimals, and its datasets."""
    derived = indicator.derived
    return {
        **indicator.model_dump(include={"code", "name", "label", "description", "kind", "direction", "decimals"}),
        "cumulative": indicator.cumulative,
        "disaggregation": indicator.disaggregation,
        "derived": {**derived.model_dump(), "scale": plain(derived.scale)} if derived else None,
        "targets": [{**t.model_dump(), "value": plain(t.value)} for t in indicator.targets],
        "datasets": sorted(d.code for d in get_catalogue().datasets.values() if indicator.code in d.indicators),
    }


def _datasets() -> QuerySet[Dataset]:
    return Dataset.objects.order_by("code")


@router.get("/units", response={200: list[UnitOut], **READ_ERRORS}, operation_id="list_units")
@paginate(Pages)
def list_units(request: HttpRequest, on: IsoDay | None = None) -> Any:
    """Every unit of both trees and every group, by code; with `on`, the tree in force that day, each unit with its
    parent on that day, in catalogue order."""
    if on is not None:
        return tree_on(get_catalogue(), on)
    return _units()


@router.get("/units/{code}", response={200: UnitOut, **READ_ERRORS}, operation_id="get_unit")
def get_unit(request: HttpRequest, code: PathEx[str, P(example="BP.DONG_PHU")]) -> Unit:
    unit = by_code(_units(), code)
    if unit is None:
        raise not_found("code", f"không có đơn vị '{code}'", f"no unit '{code}'")
    return unit


@router.get("/indicators", response={200: list[IndicatorOut], **READ_ERRORS}, operation_id="list_indicators")
@paginate(Pages)
def list_indicators(request: HttpRequest) -> Any:
    """Every indicator with its categories and its targets with their legal source."""
    indicators = get_catalogue().indicators
    return [indicator_out(indicators[code]) for code in sorted(indicators)]


@router.get("/indicators/{code}", response={200: IndicatorOut, **READ_ERRORS}, operation_id="get_indicator")
def get_indicator(request: HttpRequest, code: PathEx[str, P(example="dvc.online_service_rate")]) -> dict[str, Any]:
    indicator = get_catalogue().indicators.get(code)
    if indicator is None:
        raise not_found("code", f"không có chỉ tiêu '{code}'", f"no indicator '{code}'")
    return indicator_out(indicator)


@router.get("/datasets", response={200: list[DatasetOut], **READ_ERRORS}, operation_id="list_datasets")
@paginate(Pages)
def list_datasets(request: HttpRequest) -> Any:
    """Indicators collected together from a set of units in each round."""
    return _datasets()


@router.get("/datasets/{code}", response={200: DatasetOut, **READ_ERRORS}, operation_id="get_dataset")
def get_dataset(request: HttpRequest, code: PathEx[str, P(example="dvc_rates")]) -> Dataset:
    dataset = by_code(_datasets(), code)
    if dataset is None:
        raise not_found("code", f"không có bộ số liệu '{code}'", f"no dataset '{code}'")
    return dataset
