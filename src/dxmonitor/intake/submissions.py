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


@dataclass
class DatasetStatus:
    dataset: str
    name: str
    expected: list[str]
    with_figures: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    on_time: list[str] = field(default_factory=list)
    approved: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [u for u in self.expected if u not in self.submitted]

    @property
    def rate(self) -> float:
        return len(self.submitted) / len(self.expected) if self.expected else 0.0


def reporting_status(round_: Round, catalogue: Catalogue) -> list[DatasetStatus]:
    """Per dataset: expected units, those with figures, submitted, on time (by the round's deadline), approved."""
    submissions = {
        (s.dataset.code, s.unit.code): s
        for s in Submission.objects.filter(round=round_).select_related("dataset", "unit")
    }
    figures = set(Value.objects.filter(round=round_).values_list("indicator__code", "unit__code").distinct())
    out = []
    for ds in catalogue.datasets.values():
        if ds.computed:
            continue
        row = DatasetStatus(ds.code, ds.name, list(ds.units))
        for unit in ds.units:
            if any((i, unit) in figures for i in ds.indicators):
                row.with_figures.append(unit)
            sub = submissions.get((ds.code, unit))
            if sub is None or sub.status in (Status.DRAFT, Status.REOPENED):
                continue
            row.submitted.append(unit)
            if round_.deadline is None or (sub.submitted_at and sub.submitted_at <= round_.deadline):
                row.on_time.append(unit)
            if sub.status == Status.APPROVED:
                row.approved.append(unit)
        out.append(row)
    return out


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
