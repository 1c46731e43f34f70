"""The submission workflow in the database: moves with their audit trail, locks, reporting status, reminders."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone

from dxmonitor.accounts.scope import Principal
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Dataset, Round, Unit
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
    wholly before or wholly after any write of the figures it approves; refused when it cannot get it in time."""
    try:
        return _act(round_, dataset, unit, action, who, reason)
    except Busy as exc:
        return Refusal(exc.vi, exc.en)


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
        after = move(before, action, who, unit.code, reason)
        if isinstance(after, Refusal):
            return after
        if action is Action.SUBMIT:
            present = set(Value.objects.filter(round=round_, unit=unit).values_list("indicator__code", flat=True))
            missing = missing_required(get_catalogue().datasets[dataset.code], unit.code, present)
            if missing:
                return Refusal(
                    f"chưa có chỉ tiêu bắt buộc: {', '.join(missing)}",
                    f"required indicators are missing: {', '.join(missing)}",
                )
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
            plan.problems.append(
                error(
                    v.at("unit"),
                    f"số liệu {locked[0]} của {catalogue.units[v.unit].name} kỳ {plan.round_code} đã được duyệt "
                    "và khóa; cần quản trị mở lại trước khi sửa",
                    f"{locked[0]} of {v.unit} for {plan.round_code} is approved and locked; an admin must reopen it",
                )
            )


DatasetStatus = DatasetCompleteness  # a dataset's reporting in a round, as the submissions page reads it


def reporting_status(round_: Round, catalogue: Catalogue) -> list[DatasetCompleteness]:
    """Per dataset the round collects: expected units, those with figures, submitted, on time, approved (the one
    definition: `intake.completeness`)."""
    return completeness(round_, catalogue).datasets


def remind(round_: Round, catalogue: Catalogue, base_url: str = "") -> list[tuple[str, str]]:
    """E-mail the reporters of every unit expected that has not submitted; returns (user, unit) for each e-mail
    sent."""
    waiting: dict[str, list[str]] = {}
    for row in reporting_status(round_, catalogue):
        for code in row.missing:
            waiting.setdefault(code, []).append(row.name)
    sent = []
    User = get_user_model()
    reporters = User.objects.filter(membership__role="reporter", membership__unit__code__in=waiting, is_active=True)
    for user in reporters.exclude(email="").select_related("membership__unit"):
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
        sent.append((user.get_username(), unit.code))
    return sent
