"""Rounds in the database: the defaults of a new one, opening, closing and reopening it, each recorded as an event.

Only an admin opens a round (the rounds page, the API, the Django admin), or the operator's `dxmonitor import`;
a write naming a round that does not exist is refused with `unknown_round`, naming the open rounds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.issuers import round_issuer
from dxmonitor.catalogue.models import Dataset, Round, RoundEvent
from dxmonitor.catalogue.rounds import ROUND_CODE, open_rounds_text, round_days, round_name
from dxmonitor.problems import Location, Problem, error

__all__ = [
    "change_state",
    "default_datasets",
    "issuer_defaults",
    "open_round",
    "open_round_codes",
    "previous_round",
    "record",
    "unknown_round",
]


def previous_round(code: str) -> Round | None:
    """The latest round before `code` (a new round's baseline and the source of its datasets)."""
    return Round.objects.filter(code__lt=code).order_by("-code").first()


def default_datasets(previous: Round | None) -> QuerySet[Dataset]:
    """What a new round collects unless told: the previous round's datasets, else every dataset units send."""
    if previous is not None and previous.datasets.exists():
        return previous.datasets.all()
    return Dataset.objects.exclude(spec__computed=True)


def issuer_defaults(code: str) -> dict[str, str]:
    """Who issues the report of a new round `code`, as its `issuer_*` fields: the issuer in force on the round's last
    day (today for a code that is no month), with the deployment's REPORT_ISSUER_OVERRIDES on top."""
    days = round_days(code)
    day = days[1] if days else date.today()
    return round_issuer(get_catalogue().issuers, day, settings.REPORT_ISSUER_OVERRIDES)


def record(round_: Round, action: str, by: str, reason: str = "") -> RoundEvent:
    return RoundEvent.objects.create(round=round_, action=action, by=by, reason=reason)


def open_round(
    code: str,
    by: str,
    *,
    name: str = "",
    baseline: Round | None = None,
    datasets: Iterable[Dataset] | None = None,
    deadline: datetime | None = None,
    report_number: str = "",
    reason: str = "",
) -> Round:
    """Create round `code` (already checked), recording who opened it; blanks take the defaults of a new round."""
    previous = previous_round(code)
    with transaction.atomic():
        round_ = Round.objects.create(
            code=code,
            name=name or round_name(code),
            baseline=baseline or previous,
            deadline=deadline,
            report_number=report_number,
            **issuer_defaults(code),
        )
        round_.datasets.set(list(datasets) if datasets is not None else default_datasets(previous))
        record(round_, "opened", by, reason)
    return round_


def change_state(round_: Round, state: str, by: str, reason: str) -> Round:
    """Close or reopen a round, recording who, when and why."""
    closing = state == "closed"
    with transaction.atomic():
        round_.state = state
        round_.closed_at = timezone.now() if closing else None
        round_.closed_by = by if closing else ""
        round_.save(update_fields=["state", "closed_at", "closed_by"])
        record(round_, "closed" if closing else "reopened", by, reason)
    return round_


def open_round_codes() -> list[str]:
    return [c for c in Round.objects.filter(state="open").order_by("code").values_list("code", flat=True)]


def unknown_round(code: str) -> Problem:
    """The refusal of a write naming a round that does not exist: which rounds are open, and who opens one."""
    vi, en = open_rounds_text(c for c in open_round_codes() if ROUND_CODE.match(c))
    return error(
        Location(field="round"),
        f"chưa có kỳ báo cáo '{code}'; các kỳ đang mở: {vi}. Chỉ quản trị mở kỳ mới (trang Kỳ báo cáo)",
        f"there is no round '{code}'; open rounds: {en}. Only an admin opens a new round (the Rounds page)",
    )
