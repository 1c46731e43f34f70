"""The submission workflow: who may move a submission where, its audit trail, the lock, reporting, reminders."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dxmonitor.accounts.models import Membership
from dxmonitor.accounts.scope import Principal, Role
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Dataset, Round, Unit
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.catalogue.tree import dataset_units
from dxmonitor.intake.models import Submission, SubmissionEvent
from dxmonitor.intake.submissions import Recipient, act, remind, reporting_status
from dxmonitor.intake.workflow import Action, Refusal, Status, move
from writing import check_files, import_files

ALICE = Principal("alice", Role.ADMIN, None)
BOB = Principal("bob", Role.REPORTER, frozenset({"BP.DONG_PHU"}))
CHI = Principal("chi", Role.REPORTER, frozenset({"BP.LOC_NINH"}))
DUNG = Principal("dung", Role.VIEWER, None)


@pytest.mark.parametrize(
    ("status", "action", "who", "reason", "outcome"),
    [
        (Status.DRAFT, Action.SUBMIT, BOB, "", Status.SUBMITTED),
        (Status.REOPENED, Action.SUBMIT, BOB, "", Status.SUBMITTED),
        (Status.DRAFT, Action.SUBMIT, ALICE, "", Status.SUBMITTED),
        (Status.SUBMITTED, Action.APPROVE, ALICE, "", Status.APPROVED),
        (Status.SUBMITTED, Action.RETURN, ALICE, "thiếu số liệu", Status.RETURNED),
        (Status.RETURNED, Action.SUBMIT, BOB, "", Status.SUBMITTED),
        (Status.APPROVED, Action.REOPEN, ALICE, "sửa số người dùng", Status.REOPENED),
        (Status.DRAFT, Action.SUBMIT, CHI, "", "only the unit's reporter or an admin may submit"),
        (Status.DRAFT, Action.SUBMIT, DUNG, "", "only the unit's reporter or an admin may submit"),
        (Status.SUBMITTED, Action.APPROVE, BOB, "", "only an admin may approve, return or reopen"),
        (Status.APPROVED, Action.REOPEN, BOB, "lý do", "only an admin may approve, return or reopen"),
        (Status.DRAFT, Action.APPROVE, ALICE, "", "cannot approve a submission that is draft"),
        (Status.APPROVED, Action.SUBMIT, BOB, "", "cannot submit a submission that is approved"),
        (Status.APPROVED, Action.REOPEN, ALICE, " ", "a reason is required"),
        (Status.SUBMITTED, Action.RETURN, ALICE, "", "a reason is required"),
    ],
)
def test_who_may_move_a_submission_where(
    status: Status, action: Action, who: Principal, reason: str, outcome: Status | str
) -> None:
    result = move(status, action, who, "BP.DONG_PHU", reason)
    assert (result if isinstance(result, Status) else result.en) == outcome


def objects(dataset: str = "app_users", unit: str = "BP.DONG_PHU") -> tuple[Round, Dataset, Unit]:
    return Round.objects.get(code="2022-06"), Dataset.objects.get(code=dataset), Unit.objects.get(code=unit)


@pytest.mark.django_db
def test_every_move_is_kept_with_who_and_why() -> None:
    round_, dataset, unit = objects()
    for who, action, reason in [
        (BOB, Action.SUBMIT, ""),
        (ALICE, Action.APPROVE, ""),
        (ALICE, Action.REOPEN, "sửa số người dùng"),
        (BOB, Action.SUBMIT, ""),
    ]:
        assert not isinstance(act(round_, dataset, unit, action, who, reason), Refusal)
    submission = Submission.objects.get(round=round_, dataset=dataset, unit=unit)
    events = list(submission.events.values_list("action", "from_status", "to_status", "by", "reason"))
    assert events == [
        ("submit", "draft", "submitted", "bob", ""),
        ("approve", "submitted", "approved", "alice", ""),
        ("reopen", "approved", "reopened", "alice", "sửa số người dùng"),
        ("submit", "reopened", "submitted", "bob", ""),
    ]
    assert (submission.status, submission.submitted_by, submission.approved_by) == ("submitted", "bob", "")


@pytest.mark.django_db
def test_a_refused_move_changes_nothing() -> None:
    round_, dataset, unit = objects()
    refusal = act(round_, dataset, unit, Action.APPROVE, BOB)
    assert isinstance(refusal, Refusal) and refusal.en == "only an admin may approve, return or reopen"
    assert SubmissionEvent.objects.count() == 0
    assert not Submission.objects.filter(round=round_, dataset=dataset, unit=unit).exists()  # nothing created


@pytest.mark.django_db
def test_an_approved_submission_locks_its_figures_until_it_is_reopened(tmp_path: Path, catalogue: Catalogue) -> None:
    round_, dataset, unit = objects()
    act(round_, dataset, unit, Action.SUBMIT, BOB)
    act(round_, dataset, unit, Action.APPROVE, ALICE)
    path = tmp_path / "dp.csv"
    path.write_text(
        "don_vi,chi_tieu,gia_tri,ngay_so_lieu\nĐồng Phú,app.users,700,19/07/2022\nLộc Ninh,app.users,1200,19/07/2022\n",
        encoding="utf-8",
    )
    locked = check_files([path], "2022-06")
    assert [(p.location.row, p.message_en) for p in locked.errors] == [
        (
            2,
            "'Người sử dụng ứng dụng Bình Phước Today' of Huyện Đồng Phú for 2022-06 is approved and locked; "
            "an admin must reopen it",
        )
    ]
    act(round_, dataset, unit, Action.REOPEN, ALICE, "sửa số người dùng")
    assert check_files([path], "2022-06").ok


@pytest.mark.django_db
def test_reporting_status_counts_submitted_on_time_and_approved(catalogue: Catalogue) -> None:
    round_, dataset, _ = objects()
    deadline = timezone.now() - timedelta(days=1)
    round_.deadline = deadline
    round_.save()
    act(round_, dataset, Unit.objects.get(code="BP.DONG_PHU"), Action.SUBMIT, BOB)
    act(round_, dataset, Unit.objects.get(code="BP.LOC_NINH"), Action.SUBMIT, CHI)
    act(round_, dataset, Unit.objects.get(code="BP.LOC_NINH"), Action.APPROVE, ALICE)
    Submission.objects.filter(unit__code="BP.DONG_PHU").update(submitted_at=deadline - timedelta(hours=1))
    row = next(r for r in reporting_status(round_, catalogue) if r.dataset == "app_users")
    in_force = dataset_units(catalogue.datasets["app_users"].units, catalogue, round_days(round_.code))
    expected_missing = [u for u in in_force if u not in ("BP.DONG_PHU", "BP.LOC_NINH")]
    assert (row.submitted, row.on_time, row.approved, len(row.with_figures), row.missing) == (
        ["BP.LOC_NINH", "BP.DONG_PHU"],  # in the dataset's order
        ["BP.DONG_PHU"],  # Lộc Ninh submitted after the deadline
        ["BP.LOC_NINH"],
        12,
        expected_missing,
    )
    assert row.rate == 2 / 12


def reporters_of_four_districts() -> None:
    """bob and chi with an address; nomail without one; old, deactivated, with one."""
    for name, unit, email, active in [
        ("bob", "BP.DONG_PHU", "bob@dongphu.gov.vn", True),
        ("chi", "BP.LOC_NINH", "chi@locninh.gov.vn", True),
        ("nomail", "BP.BU_DOP", "", True),
        ("old", "BP.BU_DANG", "old@budang.gov.vn", False),
    ]:
        user = User.objects.create_user(name, email=email, is_active=active)
        Membership.objects.create(user=user, role="reporter", unit=Unit.objects.get(code=unit))


def waiting_units(round_: Round, catalogue: Catalogue) -> list[str]:
    missing = {u for row in reporting_status(round_, catalogue) for u in row.missing}
    return [u for u in catalogue.units if u in missing]


@pytest.mark.django_db
def test_reminders_go_to_the_reporters_of_units_that_have_not_submitted(
    catalogue: Catalogue, mailoutbox: list[EmailMessage]
) -> None:
    reporters_of_four_districts()
    round_, dataset, _ = objects()
    act(round_, dataset, Unit.objects.get(code="BP.DONG_PHU"), Action.SUBMIT, BOB)  # app_users only
    reminders = remind(round_, catalogue, "https://dxmonitor.binhphuoc.gov.vn")
    assert reminders.sent == [
        Recipient("bob", "bob@dongphu.gov.vn", "BP.DONG_PHU", "Huyện Đồng Phú"),
        Recipient("chi", "chi@locninh.gov.vn", "BP.LOC_NINH", "Huyện Lộc Ninh"),
    ]
    assert reminders.no_email == ["BP.BU_DOP"]
    # a deactivated reporter is no reporter: Bù Đăng got nothing, and says so
    expected = [u for u in waiting_units(round_, catalogue) if u not in ("BP.DONG_PHU", "BP.LOC_NINH", "BP.BU_DOP")]
    assert "BP.BU_DANG" in expected and reminders.no_reporter == expected
    assert sorted(m.to[0] for m in mailoutbox) == ["bob@dongphu.gov.vn", "chi@locninh.gov.vn"]
    bob_mail = next(m for m in mailoutbox if m.to == ["bob@dongphu.gov.vn"])
    assert bob_mail.subject == "[dxmonitor] Nhắc nộp số liệu tháng 6/2022 — Huyện Đồng Phú"
    assert "- Người sử dụng ứng dụng Bình Phước Today" not in bob_mail.body  # app users were submitted
    assert "- Tỷ lệ DVCTT phát sinh hồ sơ và tỷ lệ hồ sơ xử lý trực tuyến" in bob_mail.body


@pytest.mark.django_db
def test_the_remind_command_prints_each_recipient_and_each_unit_that_got_nothing(
    catalogue: Catalogue, mailoutbox: list[EmailMessage]
) -> None:
    reporters_of_four_districts()
    out = io.StringIO()
    call_command("submission", "remind", round="2022-06", stdout=out)
    lines = out.getvalue().splitlines()
    round_ = Round.objects.get(code="2022-06")
    unreached = [u for u in waiting_units(round_, catalogue) if u not in ("BP.DONG_PHU", "BP.LOC_NINH")]
    assert lines == [
        "đã gửi / sent: bob, bob@dongphu.gov.vn — Huyện Đồng Phú (BP.DONG_PHU)",
        "đã gửi / sent: chi, chi@locninh.gov.vn — Huyện Lộc Ninh (BP.LOC_NINH)",
        *(
            f"không gửi / not sent: {catalogue.units[u].name} ({u}) — chưa có cán bộ đơn vị / no active reporter"
            for u in unreached
            if u != "BP.BU_DOP"
        ),
        "không gửi / not sent: Huyện Bù Đốp (BP.BU_DOP) — cán bộ chưa có thư điện tử / its reporters have no e-mail",
        f"2 thư / e-mails; {len(unreached)} đơn vị không nhận / units not reached",
    ]
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_the_submission_command_moves_reports_and_sets_a_deadline() -> None:
    out = io.StringIO()
    call_command("submission", "submit", round="2022-06", dataset="app_users", unit="BP.DONG_PHU", stdout=out)
    call_command("submission", "deadline", round="2022-06", at="2022-07-15", stdout=out)
    call_command("submission", "status", round="2022-06", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "2022-06 app_users BP.DONG_PHU: submitted"
    assert lines[1] == "Hạn nộp kỳ 2022-06: 23:59 15/07/2022"
    assert any(line.startswith("app_users        nộp  1/12 đúng hạn  0 duyệt  0 có số liệu 12") for line in lines)
    with pytest.raises(CommandError, match="a reason is required"):
        call_command("submission", "return", round="2022-06", dataset="app_users", unit="BP.DONG_PHU")


@pytest.mark.django_db
def test_a_unit_cannot_submit_without_its_required_indicators(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "cnscd.csv"
    path.write_text(
        "don_vi,chi_tieu,gia_tri,ngay_so_lieu\nĐồng Phú,cnscd.commune_teams,11,31/01/2023\n", encoding="utf-8"
    )
    import_files([path], "2023-01")
    round_ = Round.objects.get(code="2023-01")
    dataset, unit = Dataset.objects.get(code="cnscd"), Unit.objects.get(code="BP.DONG_PHU")
    refusal = act(round_, dataset, unit, Action.SUBMIT, BOB)
    assert refusal == Refusal(
        "Huyện Đồng Phú chưa có chỉ tiêu bắt buộc của bộ 'Tổ công nghệ số cộng đồng': Số thành viên Tổ CNSCĐ cấp xã",
        "Huyện Đồng Phú lacks required figures of 'Tổ công nghệ số cộng đồng': Số thành viên Tổ CNSCĐ cấp xã",
    )
    assert not Submission.objects.filter(round=round_, dataset=dataset, unit=unit).exists()  # nothing created
