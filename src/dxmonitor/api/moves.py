"""Submission moves through the API: submit, approve, return or reopen a unit's dataset of a round, refused for the
same reasons as on the page and the command line (`intake.submissions.act`)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, PathEx, Router, Schema
from ninja.params import P

from dxmonitor.api.auth import principal_of
from dxmonitor.api.errors import WRITE_ERRORS, ApiError, not_found
from dxmonitor.api.rounds import RoundCode, find_round
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.models import Dataset, Unit
from dxmonitor.intake.submissions import act
from dxmonitor.intake.workflow import STATUS_VI, Action, Refusal, Status

router = Router(tags=["submissions"])


class MoveIn(Schema):
    action: Action = Field(description="submit (the unit's reporter or an admin); approve, return, reopen (an admin)")
    reason: str = Field("", max_length=500, description="why: required to return or reopen")


class MoveOut(Schema):
    round: str
    dataset: str
    unit: str
    status: str
    status_text: str = Field(description="the status in Vietnamese")


@router.post(
    "/rounds/{code}/submissions/{dataset}/{unit}",
    response={200: MoveOut, **WRITE_ERRORS},
    operation_id="move_submission",
)
def move_submission(
    request: HttpRequest,
    code: RoundCode,
    dataset: PathEx[str, P(description="dataset code", example="app_users")],
    unit: PathEx[str, P(description="unit code", example="BP.DONG_PHU")],
    move: MoveIn,
) -> MoveOut:
    """Move the unit's submission of the dataset. A refused move (not allowed, wrong status, no reason, no figure of
    the dataset, required figures missing) is 422 with the reason and changes nothing."""
    principal = principal_of(request)
    round_ = find_round(code)
    spec = get_catalogue().datasets.get(dataset)
    if spec is None or spec.computed:
        raise not_found("dataset", f"không có bộ số liệu '{dataset}'", f"no dataset '{dataset}'")
    if unit not in spec.units:
        raise not_found(
            "unit", f"đơn vị '{unit}' không thuộc bộ số liệu '{spec.name}'", f"unit '{unit}' is not in '{spec.name}'"
        )
    result = act(
        round_, Dataset.objects.get(code=dataset), Unit.objects.get(code=unit), move.action, principal, move.reason
    )
    if isinstance(result, Refusal):
        raise ApiError(422, "refused", result.vi, result.en)
    status = Status(result.status)
    return MoveOut(round=round_.code, dataset=dataset, unit=unit, status=status.value, status_text=STATUS_VI[status])
