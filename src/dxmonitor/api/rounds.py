"""Read reporting rounds. Every member may read them."""

from typing import Any

from django.http import HttpRequest
from ninja import P, PathEx, Router
from ninja.pagination import paginate

from dxmonitor.api.errors import READ_ERRORS, not_found
from dxmonitor.api.pagination import Pages
from dxmonitor.api.schemas import RoundOut
from dxmonitor.catalogue.models import Round
from dxmonitor.intake.planning import ROUND_CODE

router = Router(tags=["rounds"])

RoundCode = PathEx[str, P(description="round code, YYYY-MM", example="2022-06")]


def find_round(code: str) -> Round:
    """The round `code`, else a 404 that says why (no such round, or not a YYYY-MM code)."""
    if not ROUND_CODE.match(code):
        raise not_found(
            "round", f"mã kỳ báo cáo '{code}' phải có dạng YYYY-MM", f"round code '{code}' must look like YYYY-MM"
        )
    round_ = Round.objects.select_related("baseline").filter(code=code).first()
    if round_ is None:
        raise not_found("round", f"chưa có kỳ báo cáo '{code}'", f"no round '{code}'")
    return round_


@router.get("/rounds", response={200: list[RoundOut], **READ_ERRORS}, operation_id="list_rounds")
@paginate(Pages)
def list_rounds(request: HttpRequest) -> Any:
    """Every round, oldest first, with the round it is compared with and the report that covers it."""
    return Round.objects.select_related("baseline").order_by("code")


@router.get("/rounds/{code}", response={200: RoundOut, **READ_ERRORS}, operation_id="get_round")
def get_round(request: HttpRequest, code: RoundCode) -> Round:
    return find_round(code)
