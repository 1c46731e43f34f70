"""The one write path: the command line's scope, the days a round accepts, note-only changes, a read-only history,
rounds that keep their figures, and `dxmonitor audit` over every figure's chain."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import ProtectedError
from django.utils import timezone

from dxmonitor.accounts.cli import operator
from dxmonitor.catalogue.models import Round
from dxmonitor.intake.models import Value, ValueChange
from personas import signed_in
from writing import import_files

pytestmark = pytest.mark.django_db

JUNE = "2022-06"
HEADER = "don_vi,chi_tieu,gia_tri,ngay_so_lieu,ghi_chu\n"


def csv_file(tmp_path: Path, rows: str, name: str = "so_lieu.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    """A dxmonitor command: exit status, stdout, stderr."""
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def app_users(unit: str) -> Value:
    return Value.objects.get(round__code=JUNE, indicator__code="app.users", unit__code=unit)


# --- who writes on the command line ------------------------------------------------------------------------------


def test_import_as_a_reporter_refuses_another_units_figure_and_writes_nothing(
    personas: dict[str, User], tmp_path: Path
) -> None:
    path = csv_file(tmp_path, "Đồng Phú,app.users,700,19/07/2022,\nLộc Ninh,app.users,1300,19/07/2022,\n")

    status, out, err = run("import", str(path), "--round", JUNE, "--user", "bob")

    assert status == 1 and out == ""
    assert err.splitlines() == [
        "[Lỗi] so_lieu.csv, dòng/row 3, cột/column A, trường/field unit: không có quyền ghi số liệu của đơn vị "
        "'Huyện Lộc Ninh' / not allowed to write figures of unit 'Huyện Lộc Ninh'",
        "Không nhập gì: 1 lỗi. / Nothing imported: 1 error(s).",
    ]
    assert (app_users("BP.DONG_PHU").value, app_users("BP.LOC_NINH").value) == (611, 1125)


def test_import_as_a_reporter_writes_its_own_units_figures_in_its_name(
    personas: dict[str, User], tmp_path: Path
) -> None:
    path = csv_file(tmp_path, "Đồng Phú,app.users,700,19/07/2022,\n")

    status, out, _ = run("import", str(path), "--round", JUNE, "--user", "bob")

    assert status == 0 and "(bob)" in out
    assert (app_users("BP.DONG_PHU").value, app_users("BP.DONG_PHU").updated_by) == (700, "bob")


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("khong_co", "Không có người dùng 'khong_co' / no user 'khong_co'"),
        ("chi", "Người dùng 'chi' đã bị khóa / user 'chi' is deactivated"),
        ("norole", "Người dùng 'norole' chưa được giao vai trò / user 'norole' has no role"),
    ],
)
def test_import_refuses_a_user_that_is_unknown_deactivated_or_without_a_role(
    personas: dict[str, User], tmp_path: Path, user: str, message: str
) -> None:
    User.objects.filter(username="chi").update(is_active=False)
    User.objects.create_user("norole", password="x" * 12)
    path = csv_file(tmp_path, "Lộc Ninh,app.users,1300,19/07/2022,\n")

    with pytest.raises(CommandError) as refused:
        call_command("import", str(path), round=JUNE, user=user, stdout=StringIO(), stderr=StringIO())

    assert str(refused.value) == message
    assert app_users("BP.LOC_NINH").value == 1125


def test_import_without_a_user_acts_as_the_operator_and_records_it(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "Lộc Ninh,app.users,1300,19/07/2022,\n")

    assert run("import", str(path), "--round", JUNE)[0] == 0

    change = ValueChange.objects.filter(unit__code="BP.LOC_NINH", indicator__code="app.users").last()
    assert change is not None and (change.changed_by, change.old_value, change.new_value) == (
        operator().name,
        1125,
        1300,
    )
    assert operator().name.startswith("cli:")


# --- the days a round accepts ------------------------------------------------------------------------------------


def test_an_as_of_day_far_outside_the_round_is_refused_naming_the_days_it_accepts(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "Lộc Ninh,app.users,1300,31/12/2001,\n")

    status, _, err = run("import", str(path), "--round", JUNE)

    assert status == 1
    assert err.splitlines()[0] == (
        "[Lỗi] so_lieu.csv, dòng/row 2, cột/column D, trường/field as_of: ngày số liệu 31/12/2001 không "
        "thuộc kỳ 2022-06: kỳ này nhận số liệu từ 01/05/2022 đến 29/08/2022 (khoảng bắt đầu không trước 01/01/2000) "
        "/ as-of 31/12/2001 does not belong to round 2022-06: it takes figures as of days from 01/05/2022 to "
        "29/08/2022 (a window starting no earlier than 01/01/2000)"
    )
    assert not Value.objects.filter(window="2001-12-31").exists()


def test_the_last_day_there_is_is_refused_without_a_fault(tmp_path: Path) -> None:
    # Lộc Ninh ended on 30/06/2025: on 31/12/9999 the row is refused for its unit, which is said first (the round's
    # days are checked on rows that are otherwise whole). No overflow of the day's arithmetic, nothing written.
    status, _, err = run("import", str(csv_file(tmp_path, "Lộc Ninh,app.users,1300,31/12/9999,\n")), "--round", JUNE)

    assert status == 1
    assert "đã kết thúc ngày 30/06/2025" in err and "(ngày số liệu 31/12/9999)" in err
    assert not Value.objects.filter(window="9999-12-31").exists()


def test_the_round_accepts_the_month_before_it_and_its_deadline_plus_the_margin(tmp_path: Path) -> None:
    assert Round.objects.get(code=JUNE).deadline is None  # so the last day is 30/06/2022 + 60 days
    rows = "Lộc Ninh,app.users,1100,01/05/2022,\nLộc Ninh,app.users,1300,29/08/2022,\n"

    summary = import_files([csv_file(tmp_path, rows)], JUNE)

    assert len(summary.new) == 2
    for day in ("30/04/2022", "30/08/2022", "01/01/1999-19/07/2022"):
        path = csv_file(tmp_path, f"Lộc Ninh,app.users,1,{day},\n", "x.csv")
        status, _, err = run("import", str(path), "--round", JUNE)
        assert status == 1 and "không thuộc kỳ 2022-06" in err, day


def test_a_later_deadline_moves_the_last_day_a_round_accepts(tmp_path: Path) -> None:
    Round.objects.filter(code=JUNE).update(deadline=timezone.make_aware(datetime(2022, 8, 15, 17, 0)))
    path = csv_file(tmp_path, "Lộc Ninh,app.users,1300,14/10/2022,\n")

    assert run("import", str(path), "--round", JUNE)[0] == 0  # 15/08/2022 + 60 days = 14/10/2022


# --- notes -------------------------------------------------------------------------------------------------------


def test_a_change_of_the_note_alone_is_written_and_kept_in_the_history(tmp_path: Path) -> None:
    before = app_users("BP.LOC_NINH")
    path = csv_file(tmp_path, "Lộc Ninh,app.users,1125,19/07/2022,số liệu đã đối chiếu với Sở\n")

    summary = import_files([path], JUNE, user="alice")

    assert summary.line() == "mới/new 0, thay đổi/changed 0, ghi chú/note 1, không đổi/unchanged 0"
    after = app_users("BP.LOC_NINH")
    assert (after.value, after.note, after.updated_by) == (1125, "số liệu đã đối chiếu với Sở", "alice")
    change = ValueChange.objects.filter(unit__code="BP.LOC_NINH", indicator__code="app.users").last()
    assert change is not None
    assert (change.old_value, change.new_value, change.old_note, change.note, change.changed_by) == (
        1125,
        1125,
        before.note,
        "số liệu đã đối chiếu với Sở",
        "alice",
    )


def test_a_figure_written_again_without_a_note_keeps_its_note_and_writes_no_history(tmp_path: Path) -> None:
    before = app_users("BP.LOC_NINH")
    history = ValueChange.objects.count()

    summary = import_files([csv_file(tmp_path, "Lộc Ninh,app.users,1125,19/07/2022,\n")], JUNE)

    assert (summary.line(), app_users("BP.LOC_NINH").note, ValueChange.objects.count()) == (
        "mới/new 0, thay đổi/changed 0, không đổi/unchanged 1",
        before.note,
        history,
    )


# --- the record cannot be rewritten ------------------------------------------------------------------------------


def test_history_rows_cannot_be_changed_or_deleted_by_any_code() -> None:
    change = ValueChange.objects.filter(round__code=JUNE).first()
    assert change is not None
    before = list(ValueChange.objects.filter(round__code=JUNE).values_list("pk", "old_value", "new_value"))
    change.new_value = Decimal(-1)
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        change.delete()
    with pytest.raises(PermissionError):
        ValueChange.objects.filter(round__code=JUNE).update(new_value=-1)
    with pytest.raises(PermissionError):
        ValueChange.objects.filter(round__code=JUNE).delete()
    assert list(ValueChange.objects.filter(round__code=JUNE).values_list("pk", "old_value", "new_value")) == before


def test_a_round_holding_figures_cannot_be_deleted() -> None:
    with pytest.raises(ProtectedError):
        Round.objects.get(code=JUNE).delete()
    assert Value.objects.filter(round__code=JUNE).exists()


def test_the_admin_site_shows_figures_and_history_but_changes_none(personas: dict[str, User]) -> None:
    admin = signed_in(personas["admin"])
    value = app_users("BP.DONG_PHU")
    change = ValueChange.objects.filter(round__code=JUNE).first()
    assert change is not None

    assert admin.get(f"/admin/intake/value/{value.pk}/change/").status_code == 200  # viewed, read-only
    assert admin.post(f"/admin/intake/value/{value.pk}/change/", {"value": "9999"}).status_code == 403
    assert admin.post(f"/admin/intake/value/{value.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin.get("/admin/intake/value/add/").status_code == 403
    assert admin.post(f"/admin/intake/valuechange/{change.pk}/change/", {"new_value": "1"}).status_code == 403
    assert admin.post(f"/admin/intake/valuechange/{change.pk}/delete/", {"post": "yes"}).status_code == 403
    june = Round.objects.get(code=JUNE)
    refused = admin.post(f"/admin/catalogue/round/{june.pk}/delete/", {"post": "yes"})
    assert refused.status_code == 200 and refused.context["protected"]  # the page lists what protects the round
    assert app_users("BP.DONG_PHU").value == 611 and Round.objects.filter(code=JUNE).exists()


# --- dxmonitor audit ---------------------------------------------------------------------------------------------


def test_audit_finds_every_chain_of_the_demo_rounds_whole() -> None:
    for code in ("2022-05", JUNE):
        status, out, _ = run("audit", "--round", code)
        figures = Value.objects.filter(round__code=code).count()
        assert (status, out.splitlines()) == (
            0,
            [
                f"Kỳ {code}: {figures} số liệu, {figures} lần thay đổi, 0 chỗ đứt / "
                f"{figures} figures, {figures} changes, 0 break(s)"
            ],
        )


def test_audit_names_a_figure_changed_behind_the_write_path(tmp_path: Path) -> None:
    import_files([csv_file(tmp_path, "Lộc Ninh,app.users,1300,19/07/2022,\n")], JUNE)
    Value.objects.filter(round__code=JUNE, unit__code="BP.LOC_NINH", indicator__code="app.users").update(value=1)

    status, out, _ = run("audit", "--round", JUNE)

    assert status == 1
    assert out.splitlines()[0].startswith("app.users BP.LOC_NINH 2022-07-19 (lịch sử/history #")
    assert out.splitlines()[0].endswith(
        "số đang lưu 1 khác số mới của lần thay đổi cuối 1300 / the stored figure 1 differs from the last change's "
        "new figure 1300"
    )
    assert out.splitlines()[-1].endswith("1 break(s)")


def test_audit_names_a_history_row_that_does_not_start_where_the_one_before_ended(tmp_path: Path) -> None:
    import_files([csv_file(tmp_path, "Lộc Ninh,app.users,1300,19/07/2022,\n")], JUNE)
    last = ValueChange.objects.filter(unit__code="BP.LOC_NINH", indicator__code="app.users").last()
    assert last is not None
    forged = ValueChange.objects.create(
        round=last.round,
        indicator=last.indicator,
        unit=last.unit,
        window=last.window,
        old_value=1125,  # as if it had not seen the change to 1300
        new_value=1300,
        source="file",
        old_note=last.note,
        note=last.note,
    )

    status, out, _ = run("audit", "--round", JUNE)

    assert status == 1
    assert out.splitlines()[:-1] == [
        f"app.users BP.LOC_NINH 2022-07-19 (lịch sử/history #{forged.pk}): số cũ 1125 khác số mới của lần trước "
        f"1300 (#{last.pk}, test) / old figure 1125 differs from the previous change's new figure 1300 "
        f"(#{last.pk}, test)"
    ]
