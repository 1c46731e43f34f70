"""The submission workflow in the database: moves with their audit trail, locks, reporting status, reminders."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone

from dxmonitor.accounts.scope import Principal
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Dataset, Round, Unit
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.evaluation.completeness import DatasetCompleteness
from dxmonitor.intake.completeness import completeness
from dxmonitor.intake.locks import Busy, hold_units, write_transaction
from dxmonitor.intake.models import Submission, SubmissionEvent, Value
from dxmonitor.intake.planning import ImportPlan
from dxmonitor.intake.validation import missing_required
from dxmonitor.intake.workflow import Action, Refusal, Status, move
from dxmonitor.problems import error


def act(
    round_: Round, dataset: Dataset, unit: Unit, action: Action, who: Principal, reason: str = ""
) -> Submission | Refusal:
    """Move a submission, recording who did it, when and why; a refused move changes and creates nothing.

    Holds the unit's write lock of the round first (as a write of its figures does), so that an approval comes
    wholly before or wholly after any write of the figures it approves; refused when it cannot get it in time.
    A submission returned to its unit is said to the unit's reporters by e-mail, with the reason."""
    try:
        done = _act(round_, dataset, unit, action, who, reason)
    except Busy as exc:
        return Refusal(exc.vi, exc.en)
    if action is Action.RETURN and not isinstance(done, Refusal):
        tell_returned(done, reason)
    return done


def unfit_to_submit(round_: Round, dataset: Dataset, unit: Unit) -> Refusal | None:
    """Why the unit's dataset cannot be submitted yet: no figure of it at all in the round, or not the figures its
    `required` rule asks for (named by their names); None when it may be."""
    catalogue = get_catalogue()
    spec = catalogue.datasets[dataset.code]
    present = set(
        Value.objects.filter(round=round_, unit=unit, indicator__code__in=spec.indicators).values_list(
            "indicator__code", flat=True
        )
    )
    if not present:
        return Refusal(
            f"{unit.name} chưa có số liệu nào của bộ '{spec.name}' trong kỳ {round_.name}: "
            "hãy nhập hoặc tải tệp số liệu trước khi nộp",
            f"{unit.name} has no figure of '{spec.name}' in {round_.name}: enter or upload its figures first",
        )
    missing = missing_required(spec, unit.code, present)
    if missing:
        names = "; ".join(catalogue.indicators[code].name for code in missing)
        return Refusal(
            f"{unit.name} chưa có chỉ tiêu bắt buộc của bộ '{spec.name}': {names}",
            f"{unit.name} lacks required figures of '{spec.name}': {names}",
        )
    return None


def _act(
    round_: Round, dataset: Dataset, unit: Unit, action: Action, who: Principal, reason: str
) -> Submission | Refusal:
    with write_transaction():
        hold_units(round_.pk, [unit.pk])
        if not who.is_admin and Round.objects.filter(pk=round_.pk, state="closed").exists():
            return Refusal(
                f"kỳ báo cáo {round_.code} đã đóng; chỉ quản trị còn thay đổi được bài nộp của kỳ này",
                f"round {round_.code} is closed; only an admin may still move its submissions",
            )
        found = Submission.objects.filter(round=round_, dataset=dataset, unit=unit).first()
        submission = found or Submission(round=round_, dataset=dataset, unit=unit, status=Status.DRAFT.value)
        before = Status(submission.status)
        after = move(before, action, who.on(get_catalogue(), round_days(round_.code)), unit.code, reason)
        if isinstance(after, Refusal):
            return after
        if action is Action.SUBMIT and (unfit := unfit_to_submit(round_, dataset, unit)) is not None:
            return unfit
        now = timezone.now()
        submission.status = after.value
        if action is Action.SUBMIT:
            submission.submitted_at, submission.submitted_by = now, who.name
        if action is Action.APPROVE:
            submission.approved_at, submission.approved_by = now, who.name
        if action is Action.REOPEN:
            submission.approved_at, submission.approved_by = None, ""
        submission.save()
        SubmissionEvent.objects.create(
            submission=submission,
            action=action.value,
            from_status=before.value,
            to_status=after.value,
            by=who.name,
            reason=reason,
        )
    return submission


def return_reason(submission: Submission) -> str:
    """Why a returned submission was sent back: the reason of its last move, a return."""
    last = submission.events.order_by("-at", "-id").first()
    return last.reason if last is not None and last.action == Action.RETURN else ""


def returned_to(who: Principal) -> list[Submission]:
    """The submissions of the units `who` writes that were returned and wait to be submitted again, latest first."""
    if who.units is None:
        return []  # an admin returns them; a viewer has none
    found = Submission.objects.filter(status=Status.RETURNED, unit__code__in=who.units)
    return list(
        found.select_related("round", "dataset", "unit").order_by("-round__code", "dataset__code", "unit__code")
    )


def tell_returned(submission: Submission, reason: str) -> list[str]:
    """E-mail the active reporters of the submission's unit that it was returned, and why; their addresses."""
    User = get_user_model()
    unit, round_ = submission.unit, submission.round
    name = get_catalogue().datasets[submission.dataset.code].name
    reporters = User.objects.filter(membership__role="reporter", membership__unit=unit, is_active=True)
    sent = []
    for user in reporters.exclude(email=""):
        send_mail(
            subject=f"[dxmonitor] Bị trả lại: {name} — {unit.name}, {round_.name}",
            message=(
                f"Kính gửi {user.get_full_name() or user.get_username()},\n\n"
                f"Bộ số liệu «{name}» kỳ {round_.name} của {unit.name} đã bị quản trị trả lại.\n"
                f"Lý do: {reason}\n\n"
                "Vui lòng sửa số liệu theo lý do trên và bấm Nộp lại.\n\n"
                "Thư này được gửi tự động từ dxmonitor."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        sent.append(user.email)
    return sent


def check_locks(plan: ImportPlan, catalogue: Catalogue) -> None:
    """An approved submission is locked: any figure of its dataset and unit is refused until it is reopened."""
    approved = set(
        Submission.objects.filter(round__code=plan.round_code, status=Status.APPROVED).values_list(
            "dataset__code", "unit__code"
        )
    )
    if not approved:
        return
    for v in plan.values:
        locked = [ds for ds, unit in approved if unit == v.unit and v.indicator in catalogue.datasets[ds].indicators]
        if locked:
            dataset, unit = catalogue.datasets[locked[0]].name, catalogue.units[v.unit].name
            plan.problems.append(
                error(
                    v.at("unit"),
                    f"bộ số liệu '{dataset}' của {unit} kỳ {plan.round_code} đã được duyệt "
                    "và khóa; cần quản trị mở lại trước khi sửa",
                    f"'{dataset}' of {unit} for {plan.round_code} is approved and locked; an admin must reopen it",
                )
            )


DatasetStatus = DatasetCompleteness  # a dataset's reporting in a round, as the submissions page reads it


def reporting_status(round_: Round, catalogue: Catalogue) -> list[DatasetCompleteness]:
    """Per dataset the round collects: expected units, those with figures, submitted, on time, approved (the one
    definition: `intake.completeness`)."""
    return completeness(round_, catalogue).datasets


@dataclass(frozen=True)
class Recipient:
    user: str
    email: str
    unit: str
    unit_name: str


@dataclass
class Reminders:
    """To whom the reminders went, and the waiting units that got none: no active reporter, or none with an e-mail."""

    sent: list[Recipient] = field(default_factory=list)
    no_reporter: list[str] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)


def remind(round_: Round, catalogue: Catalogue, base_url: str = "") -> Reminders:
    """E-mail the active reporters of every unit that has not submitted; say to whom, and which units got nothing."""
    waiting: dict[str, list[str]] = {}
    for row in reporting_status(round_, catalogue):
        for code in row.missing:
            waiting.setdefault(code, []).append(row.name)
    out = Reminders()
    User = get_user_model()
    reporters = User.objects.filter(membership__role="reporter", membership__unit__code__in=waiting, is_active=True)
    for user in reporters.exclude(email="").select_related("membership__unit").order_by("username"):
        unit = user.membership.unit
        assert unit is not None  # filtered on above
        datasets = "\n".join(f"- {name}" for name in waiting[unit.code])
        deadline = f" (hạn nộp: {timezone.localtime(round_.deadline):%H:%M ngày %d/%m/%Y})" if round_.deadline else ""
        send_mail(
            subject=f"[dxmonitor] Nhắc nộp số liệu {round_.name} — {unit.name}",
            message=(
                f"Kính gửi {user.get_full_name() or user.get_username()},\n\n"
                f"{unit.name} chưa nộp các bộ số liệu sau của kỳ {round_.name}{deadline}:\n{datasets}\n\n"
                f"Vui lòng nhập hoặc tải tệp số liệu và bấm Nộp{(' tại ' + base_url) if base_url else ''}.\n\n"
                "Thư này được gửi tự động từ dxmonitor."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        out.sent.append(Recipient(user.get_username(), user.email, unit.code, unit.name))
    emailed = {r.unit for r in out.sent}
    with_reporter = set(reporters.values_list("membership__unit__code", flat=True))
    for code in (c for c in catalogue.units if c in waiting and c not in emailed):  # the catalogue's order
        (out.no_email if code in with_reporter else out.no_reporter).append(code)
    return out
