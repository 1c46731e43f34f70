"""A round's completeness: the same counts the dashboard and the submissions page show."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from dxmonitor.api.auth import principal_of
from dxmonitor.api.errors import READ_ERRORS
from dxmonitor.api.rounds import RoundCode, find_round
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.intake.completeness import as_data, completeness

router = Router(tags=["rounds"])


class Counts(Schema):
    expected: int = Field(description="units that must send the dataset: named by it, in force on the round's days")
    with_figures: int = Field(description="of those, units with at least one figure of the dataset")
    submitted: int = Field(description="units that submitted (approved ones included)")
    on_time: int = Field(description="units that submitted no later than the round's deadline (all, without one)")
    approved: int


class UnitRef(Schema):
    unit: str = Field(description="unit code")
    name: str = Field(description="short name")


class DatasetCompletenessOut(Counts):
    dataset: str
    name: str
    rate: float = Field(description="submitted / expected")
    complete: bool = Field(description="every expected unit has submitted")
    figures_text: str = Field(description='"28/30": units with figures of those expected')
    submitted_text: str = Field(description='"27/30": units that submitted of those expected')
    missing: list[UnitRef] = Field(description="expected units that have not submitted, in the dataset's order")
    without_figures: list[UnitRef] = Field(description="expected units without any figure of the dataset")


class CompletenessOut(Schema):
    round: str
    complete: bool = Field(description="every expected unit has submitted every dataset the round collects")
    datasets: list[DatasetCompletenessOut] = Field(description="the datasets the round collects (none computed)")
    totals: Counts = Field(description="sums over the datasets: (dataset, unit) pairs")


@router.get(
    "/rounds/{code}/completeness",
    response={200: CompletenessOut, **READ_ERRORS},
    operation_id="get_round_completeness",
)
def get_completeness(request: HttpRequest, code: RoundCode) -> Any:
    """Per dataset the round collects: the units expected (named by the dataset, in force on the round's days), those
    with figures, submitted, on time and approved, and the round's totals. A reporter or an API key counts its own
    units (on the round's tree) only; admins and viewers count all."""
    round_ = find_round(code)
    catalogue = get_catalogue()
    principal = principal_of(request).on(catalogue, round_days(round_.code))
    return as_data(completeness(round_, catalogue), catalogue, principal.can_read)
