"""Reporting rounds: every member reads them; an admin (a signed-in admin or an admin's key) opens one."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import P, PathEx, Router
from ninja.pagination import paginate

from dxmonitor.api.auth import principal_of
from dxmonitor.api.errors import READ_ERRORS, WRITE_ERRORS, ApiError, ProblemOut, forbidden, not_found
from dxmonitor.api.pagination import Pages
from dxmonitor.api.schemas import RoundIn, RoundOut
from dxmonitor.catalogue.forms import RoundForm, defaults_for, split
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.round_store import record
from dxmonitor.catalogue.rounds import ROUND_CODE, RoundCodeError, check_round_code

router = Router(tags=["rounds"])

RoundCode = PathEx[str, P(description="round code, YYYY-MM", example="2022-06")]


def find_round(code: str) -> Round:
    """The round `code`, else a 404 that says why (no such round, or not a YYYY-MM code)."""
    try:
        check_round_code(code)
    except RoundCodeError as exc:
        raise not_found("round", exc.vi, exc.en) from exc
    round_ = Round.objects.select_related("baseline").prefetch_related("datasets").filter(code=code).first()
    if round_ is None:
        raise not_found("round", f"chưa có kỳ báo cáo '{code}'", f"no round '{code}'")
    return round_


@router.get("/rounds", response={200: list[RoundOut], **READ_ERRORS}, operation_id="list_rounds")
@paginate(Pages)
def list_rounds(request: HttpRequest) -> Any:
    """Every round, oldest first, with the round it is compared with and the report that covers it."""
    return Round.objects.select_related("baseline").prefetch_related("datasets").order_by("code")


@router.get("/rounds/{code}", response={200: RoundOut, **READ_ERRORS}, operation_id="get_round")
def get_round(request: HttpRequest, code: RoundCode) -> Round:
    return find_round(code)


@router.post("/rounds", response={201: RoundOut, **WRITE_ERRORS}, operation_id="open_round")
def open_round(request: HttpRequest, body: RoundIn) -> tuple[int, Round]:
    """Open a new round, as the rounds page does, with the same checks and messages (admins only: a signed-in
    admin or an admin's key, `dxmonitor token create NAME --user ADMIN`). Left out: the name is "tháng M/YYYY", the
    baseline the previous round, the datasets those of the previous round, the issuer the one in force on the
    round's days (issuers.yaml, with the deployment's overrides). 422 lists every field at fault."""
    principal = principal_of(request)
    if not principal.is_admin:
        raise forbidden("Chỉ quản trị mở kỳ báo cáo mới", "Only an admin opens a new round")
    given = body.model_dump(exclude_none=True)
    for part, value in given.pop("issuer", {}).items():  # the form's fields: issuer_agency, … (recipients a line each)
        given[f"issuer_{part}"] = "\n".join(value) if isinstance(value, list) else value
    # a wrong code has no previous round: the datasets default to the latest round's, so the code's is the one error
    defaults = defaults_for(body.code) if ROUND_CODE.match(body.code) else defaults_for(None)
    data: dict[str, Any] = {**defaults, **given}
    form = RoundForm(data)
    if not form.is_valid():
        errors = [
            ProblemOut(field=field, message_vi=vi, message_en=en)
            for field, messages in form.errors.items()
            for vi, en in (split(str(m)) for m in messages)
        ]
        raise ApiError(422, "invalid_input", "Không mở được kỳ báo cáo", "The round was not opened", errors)
    with transaction.atomic():
        round_ = form.save()
        record(round_, "opened", principal.name, "API")
    return 201, round_
