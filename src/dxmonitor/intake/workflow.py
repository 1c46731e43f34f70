"""The submission workflow of a dataset, unit and round: who may move it where. Plain rules, no database."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_noop

from dxmonitor.accounts.scope import Principal, Role


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REOPENED = "reopened"
    RETURNED = "returned"  # sent back by an admin with a reason: to correct and submit again


# The statuses of a submission the unit still has to (re)submit: it is not in.
WAITING = frozenset({Status.DRAFT, Status.REOPENED, Status.RETURNED})


# gettext_noop: the labels stay Vietnamese here and are translated where they are shown.
STATUS_VI = {
    Status.DRAFT: gettext_noop("Đang nhập"),
    Status.SUBMITTED: gettext_noop("Đã nộp"),
    Status.APPROVED: gettext_noop("Đã duyệt (khóa)"),
    Status.REOPENED: gettext_noop("Mở lại"),
    Status.RETURNED: gettext_noop("Bị trả lại"),
}


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"  # an admin sends a submission back for corrections
    REOPEN = "reopen"  # an admin unlocks an approved submission


ACTION_VI = {
    Action.SUBMIT: gettext_noop("Nộp"),
    Action.APPROVE: gettext_noop("Duyệt"),
    Action.RETURN: gettext_noop("Trả lại"),
    Action.REOPEN: gettext_noop("Mở lại"),
}

MOVES: dict[Action, tuple[set[Status], Status]] = {
    Action.SUBMIT: (set(WAITING), Status.SUBMITTED),
    Action.APPROVE: ({Status.SUBMITTED}, Status.APPROVED),
    Action.RETURN: ({Status.SUBMITTED}, Status.RETURNED),
    Action.REOPEN: ({Status.APPROVED}, Status.REOPENED),
}
NEEDS_REASON = {Action.RETURN, Action.REOPEN}


@dataclass(frozen=True)
class Refusal:
    vi: str
    en: str


def move(status: Status, action: Action, who: Principal, unit: str, reason: str = "") -> Status | Refusal:
    """The status after `action`, or why it is refused; `who` is read on the round's tree (`Principal.on`)."""
    allowed_from, to = MOVES[action]
    if action is Action.SUBMIT:
        if not who.can_write(unit) and who.unplaced is not None:
            return Refusal(*who.unplaced)  # a reporter whose unit is not on the round's tree: say why
        if not who.can_write(unit):
            return Refusal(
                "chỉ cán bộ của đơn vị (hoặc quản trị) được nộp", "only the unit's reporter or an admin may submit"
            )
    elif who.role is not Role.ADMIN:
        return Refusal("chỉ quản trị được duyệt, trả lại hoặc mở lại", "only an admin may approve, return or reopen")
    if status not in allowed_from:
        return Refusal(
            f"không thể {ACTION_VI[action].lower()} khi đang ở trạng thái '{STATUS_VI[status]}'",
            f"cannot {action.value} a submission that is {status.value}",
        )
    if action in NEEDS_REASON and not reason.strip():
        return Refusal("cần ghi lý do", "a reason is required")
    return to


def editable(status: Status) -> bool:
    """Figures may change while a submission is a draft, submitted (before approval) or reopened."""
    return status is not Status.APPROVED
