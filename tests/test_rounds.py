"""Rounds from the web: only an admin opens one (page, API, Django admin), the code `YYYY-MM` is checked on every
path, a write naming a round that does not exist is refused and creates nothing (only the operator's `dxmonitor
import` opens one), a closed round takes only an admin's writes, and every step is recorded."""

from __future__ import annotations

import html
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from dxmonitor.accounts.models import ApiToken
from dxmonitor.accounts.principals import for_user
from dxmonitor.catalogue.models import Dataset, Round, RoundEvent, Unit
from dxmonitor.intake.models import Submission, Value, ValueChange
from dxmonitor.intake.submissions import act
from dxmonitor.intake.workflow import Action, Refusal
from personas import signed_in

BAD_CODE = "mã kỳ báo cáo '07/2022' phải có dạng YYYY-MM, ví dụ 2022-07"
BAD_CODE_EN = "round code '07/2022' must look like YYYY-MM, e.g. 2022-07"
UNKNOWN_VI = "chưa có kỳ báo cáo '2023-07'; các kỳ đang mở: 2022-05, 2022-06. Chỉ quản trị mở kỳ mới (trang Kỳ báo cáo)"
JUNE_DATASETS = [
    "app_users",
    "cnscd",
    "dvc_overview",
    "dvc_rates",
    "e_auth",
    "hotline",
    "office_software",
    "online_payments",
    "portal",
    "security_scan",
]
DONG_PHU_CSV = "don_vi,chi_tieu,gia_tri,ngay_so_lieu\nĐồng Phú,app.users,720,19/07/2022\n".encode()


@pytest.fixture
def alice(personas: dict[str, User]) -> Client:
    return signed_in(personas["admin"])


@pytest.fixture
def bob(personas: dict[str, User]) -> Client:
    return signed_in(personas["dong_phu"])


@pytest.fixture
def dung(personas: dict[str, User]) -> Client:
    return signed_in(personas["viewer"])


@pytest.fixture
def staging(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"


def rounds() -> list[str]:
    return list(Round.objects.order_by("code").values_list("code", flat=True))


def new_round_form(**changes: Any) -> dict[str, Any]:
    return {"code": "2022-07", "name": "", "baseline": "2022-06", "datasets": JUNE_DATASETS, **changes}


def api(client: Client, body: object, key: str | None = None) -> Any:
    extra = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post("/api/rounds", json.dumps(body), content_type="application/json", **extra)


# --- the form's defaults and the dd/mm/yyyy deadline ------------------------------------------------------------


def test_the_new_round_form_proposes_the_next_month_its_name_the_previous_round_and_its_datasets(
    alice: Client,
) -> None:
    form = alice.get("/rounds/new/").context["form"]
    assert {k: form.initial[k] for k in ("code", "name", "baseline", "datasets")} == {
        "code": "2022-07",
        "name": "tháng 7/2022",
        "baseline": "2022-06",
        "datasets": JUNE_DATASETS,
    }


def test_the_admin_opens_a_round_with_a_deadline_typed_dd_mm_yyyy_shown_the_vietnamese_way(alice: Client) -> None:
    response = alice.post(
        "/rounds/new/", new_round_form(deadline="15/08/2022", report_number="03/BC-STTTT", report_date="20/08/2022")
    )
    assert (response.status_code, response["Location"]) == (302, "/rounds/2022-07/edit/")
    july = Round.objects.get(code="2022-07")
    local = timezone.localtime(july.deadline)
    assert (july.name, july.baseline.code if july.baseline else None, july.state) == ("tháng 7/2022", "2022-06", "open")
    assert (local.date().isoformat(), local.hour, local.minute) == ("2022-08-15", 23, 59)
    assert sorted(d.code for d in july.datasets.all()) == JUNE_DATASETS
    assert (july.report_number, str(july.report_date)) == ("03/BC-STTTT", "2022-08-20")
    assert list(RoundEvent.objects.filter(round=july).values_list("action", "by")) == [("opened", "alice")]

    listed = alice.get("/rounds.json").json()["rounds"][0]
    assert (listed["code"], listed["deadline_text"], listed["state"]) == ("2022-07", "15/8/2022", "open")
    edit = alice.get("/rounds/2022-07/edit/").content.decode()
    assert 'value="15/08/2022"' in edit  # typed back as it was typed


def test_a_wrong_day_is_refused_saying_how_to_write_it(alice: Client) -> None:
    response = alice.post("/rounds/new/", new_round_form(deadline="2022/15/08"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "deadline": [
            "Hạn nộp phải là một ngày dạng dd/mm/yyyy, ví dụ 15/08/2022 / "
            "The deadline must be a day written dd/mm/yyyy, e.g. 15/08/2022"
        ]
    }
    assert rounds() == ["2022-05", "2022-06"]


# --- one check of the code on every path ------------------------------------------------------------------------


def test_the_rounds_page_refuses_07_2022(alice: Client) -> None:
    response = alice.post("/rounds/new/", new_round_form(code="07/2022"))
    assert response.context["form"].errors == {"code": [f"{BAD_CODE} / {BAD_CODE_EN}"]}
    assert f"{BAD_CODE} / {BAD_CODE_EN}" in html.unescape(response.content.decode())
    assert rounds() == ["2022-05", "2022-06"]


def test_the_django_admin_refuses_07_2022(alice: Client) -> None:
    response = alice.post(
        "/admin/catalogue/round/add/",
        {**new_round_form(code="07/2022"), "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert f"{BAD_CODE} / {BAD_CODE_EN}" in html.unescape(response.content.decode())
    assert rounds() == ["2022-05", "2022-06"]


def test_the_django_admin_opens_a_round_with_the_same_form_and_records_it(alice: Client) -> None:
    response = alice.post(
        "/admin/catalogue/round/add/",
        {**new_round_form(deadline="15/08/2022"), "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302
    july = Round.objects.get(code="2022-07")
    assert (july.name, timezone.localtime(july.deadline).date().isoformat()) == ("tháng 7/2022", "2022-08-15")
    assert list(july.events.values_list("action", "by", "reason")) == [("opened", "alice", "Django admin")]


def test_the_api_refuses_07_2022(alice: Client) -> None:
    response = api(alice, {"code": "07/2022"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"index": None, "field": "code", "message_vi": BAD_CODE, "message_en": BAD_CODE_EN}
    ]
    assert rounds() == ["2022-05", "2022-06"]


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--round", "07/2022"],
        ["report", "--round", "07/2022"],
        ["check", "--round", "07/2022"],
        ["audit", "--round", "07/2022"],
        ["submission", "status", "--round", "07/2022"],
    ],
)
@pytest.mark.django_db
def test_every_command_taking_a_round_refuses_07_2022(command: list[str]) -> None:
    with pytest.raises(CommandError) as refused:
        call_command(*command, stdout=io.StringIO(), stderr=io.StringIO())
    assert str(refused.value) == f"Error: argument --round: {BAD_CODE} / {BAD_CODE_EN}"


@pytest.mark.django_db
def test_the_import_command_refuses_07_2022_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "so-lieu.csv"
    path.write_bytes(DONG_PHU_CSV)
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("import", str(path), "--round", "07/2022", stdout=io.StringIO(), stderr=err)
    assert exited.value.code == 1
    assert err.getvalue().splitlines()[0] == f"[Lỗi] trường/field round: {BAD_CODE} / {BAD_CODE_EN}"
    assert rounds() == ["2022-05", "2022-06"]


def test_a_round_saved_with_a_wrong_code_before_codes_were_checked_breaks_no_page(alice: Client, dung: Client) -> None:
    Round.objects.create(code="07/2022", name="tháng 7/2022")
    for client in (alice, dung):
        page = client.get("/rounds")
        assert page.status_code == 200
        assert 'data-testid="bad-code"' in page.content.decode()
        assert client.get("/").status_code == 200
    fix = alice.get("/rounds/07/2022/edit/")
    assert fix.status_code == 200 and 'data-testid="bad-code"' in fix.content.decode()
    fixed = alice.post("/rounds/07/2022/edit/", new_round_form())
    assert fixed.status_code == 302
    assert rounds() == ["2022-05", "2022-06", "2022-07"]


# --- only an admin opens a round; a write naming an unknown round is refused -------------------------------------


def test_reporters_and_viewers_see_no_round_controls_nor_a_command_line(
    alice: Client, bob: Client, dung: Client
) -> None:
    for client in (bob, dung):
        page = client.get("/rounds").content.decode()
        main = page[page.index("<main>") : page.index("</main>")]
        assert "Mở kỳ mới" not in main and "/edit/" not in main and "dxmonitor" not in main
        assert client.get("/rounds/new/").status_code == 403
        assert client.post("/rounds/new/", new_round_form()).status_code == 403
        assert client.post("/rounds/2022-06/state/", {"state": "closed", "reason": "x"}).status_code == 403
    assert 'data-testid="new-round"' in alice.get("/rounds").content.decode()
    assert rounds() == ["2022-05", "2022-06"]
    assert Round.objects.get(code="2022-06").state == "open"


@pytest.mark.usefixtures("staging")
def test_a_reporter_s_upload_naming_2023_07_is_refused_naming_the_open_rounds_and_creates_nothing(bob: Client) -> None:
    values = Value.objects.count()
    upload = bob.post("/upload/", {"round": "2023-07", "uploads": SimpleUploadedFile("dong-phu.csv", DONG_PHU_CSV)})
    assert upload.status_code == 200
    assert [p.message_vi for p in upload.context["errors"]] == [UNKNOWN_VI]
    assert rounds() == ["2022-05", "2022-06"]
    assert Value.objects.count() == values


def test_the_entry_form_of_a_round_that_does_not_exist_is_404_and_creates_nothing(bob: Client) -> None:
    page = bob.post("/rounds/2023-07/entry/app_users/BP.DONG_PHU", {"app.users": "720"})
    assert page.status_code == 404
    assert rounds() == ["2022-05", "2022-06"]


def test_an_api_write_naming_2023_07_is_refused_and_creates_nothing(bob: Client) -> None:
    response = bob.post(
        "/api/rounds/2023-07/values",
        json.dumps([{"unit": "BP.DONG_PHU", "indicator": "app.users", "value": 720}]),
        content_type="application/json",
    )
    assert (response.status_code, [e["message_vi"] for e in response.json()["errors"]]) == (422, [UNKNOWN_VI])
    assert rounds() == ["2022-05", "2022-06"]


def test_a_named_user_s_import_of_a_new_round_is_refused_as_on_the_web(personas: dict[str, User], tmp_path: Path):
    path = tmp_path / "so-lieu.csv"
    path.write_bytes(DONG_PHU_CSV)
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import", str(path), "--round", "2023-07", "--user", "alice", stdout=io.StringIO(), stderr=err)
    assert UNKNOWN_VI in err.getvalue()
    assert rounds() == ["2022-05", "2022-06"]


@pytest.mark.django_db
def test_the_operator_s_import_opens_the_round_says_so_and_it_collects_the_previous_round_s_datasets(
    tmp_path: Path,
) -> None:
    path = tmp_path / "so-lieu.csv"
    path.write_text("don_vi,chi_tieu,gia_tri\nĐồng Phú,app.users,720\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import", str(path), "--round", "2022-07", stdout=out, stderr=io.StringIO())
    july = Round.objects.get(code="2022-07")
    assert out.getvalue().splitlines()[0].startswith("Đã mở kỳ mới tháng 7/2022 (2022-07), so sánh với 2022-06")
    assert (july.name, july.baseline.code if july.baseline else None) == ("tháng 7/2022", "2022-06")
    assert sorted(d.code for d in july.datasets.all()) == JUNE_DATASETS
    assert [(e.action, e.by.startswith("cli:"), e.reason) for e in july.events.all()] == [
        ("opened", True, "dxmonitor import")
    ]


# --- POST /api/rounds ----------------------------------------------------------------------------------------


def test_an_admin_s_key_opens_a_round_with_the_defaults_of_the_page(personas: dict[str, User]) -> None:
    out = io.StringIO()
    call_command("token", "create", "office", user="alice", stdout=out)
    key = out.getvalue().strip()
    response = api(Client(), {"code": "2022-07", "deadline": "15/08/2022"}, key)
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("code", "name", "baseline", "state", "datasets")} == {
        "code": "2022-07",
        "name": "tháng 7/2022",
        "baseline": "2022-06",
        "state": "open",
        "datasets": JUNE_DATASETS,
    }
    deadline = timezone.localtime(datetime.fromisoformat(body["deadline"]))
    assert (deadline.date().isoformat(), deadline.hour, deadline.minute) == ("2022-08-15", 23, 59)
    assert list(Round.objects.get(code="2022-07").events.values_list("action", "by")) == [("opened", "token:office")]
    again = api(Client(), {"code": "2022-07"}, key)
    assert (again.status_code, again.json()["errors"][0]["message_en"]) == (422, "Round 2022-07 already exists")


def test_a_unit_s_key_or_a_reporter_cannot_open_a_round(bob: Client) -> None:
    key = ApiToken.issue("dong-phu-portal", Unit.objects.get(code="BP.DONG_PHU"))[1]
    assert api(Client(), {"code": "2022-07"}, key).status_code == 403
    assert api(bob, {"code": "2022-07"}).status_code == 403
    assert rounds() == ["2022-05", "2022-06"]


def test_a_deactivated_admin_s_key_no_longer_works(personas: dict[str, User]) -> None:
    key = ApiToken.issue("office", user=personas["admin"])[1]
    personas["admin"].is_active = False
    personas["admin"].save()
    assert api(Client(), {"code": "2022-07"}, key).status_code == 401


# --- closed rounds --------------------------------------------------------------------------------------------


def test_a_closed_round_refuses_a_reporter_s_write_and_move_but_takes_an_admin_s_with_the_record(
    alice: Client, bob: Client
) -> None:
    refused = alice.post("/rounds/2022-06/state/", {"state": "closed", "reason": ""})
    assert (refused.status_code, Round.objects.get(code="2022-06").state) == (400, "open")
    closed = alice.post("/rounds/2022-06/state/", {"state": "closed", "reason": "Đã ban hành báo cáo Số 02"})
    assert closed.status_code == 302
    june = Round.objects.get(code="2022-06")
    assert (june.state, june.closed_by) == ("closed", "alice")

    figure = [{"unit": "BP.DONG_PHU", "indicator": "app.users", "value": 720, "as_of": "19/07/2022"}]
    by_bob = bob.post("/api/rounds/2022-06/values", json.dumps(figure), content_type="application/json")
    assert by_bob.status_code == 422
    assert by_bob.json()["errors"][0]["message_en"].startswith("round 2022-06 was closed on ")
    app_users, dong_phu = Dataset.objects.get(code="app_users"), Unit.objects.get(code="BP.DONG_PHU")
    bob_principal = for_user(User.objects.get(username="bob"))
    assert bob_principal is not None
    move = act(june, app_users, dong_phu, Action.SUBMIT, bob_principal)
    assert move == Refusal(
        "kỳ báo cáo 2022-06 đã đóng; chỉ quản trị còn thay đổi được bài nộp của kỳ này",
        "round 2022-06 is closed; only an admin may still move its submissions",
    )
    assert not Submission.objects.filter(round=june, unit=dong_phu, status="submitted").exists()

    by_alice = alice.post("/api/rounds/2022-06/values", json.dumps(figure), content_type="application/json")
    assert by_alice.status_code == 200
    assert ValueChange.objects.filter(round=june, changed_by="alice", new_value=720).exists()
    reopened = alice.post("/rounds/2022-06/state/", {"state": "open", "reason": "Sửa số liệu Đồng Phú"})
    assert reopened.status_code == 302
    assert [(e.action, e.by, e.reason) for e in june.events.exclude(action="opened")] == [
        ("closed", "alice", "Đã ban hành báo cáo Số 02"),
        ("written", "alice", "api: mới/new 0, thay đổi/changed 1, không đổi/unchanged 0"),
        ("reopened", "alice", "Sửa số liệu Đồng Phú"),
    ]
    page = alice.get("/rounds/2022-06/edit/").content.decode()
    assert "Đã ban hành báo cáo Số 02" in page and "Sửa số liệu Đồng Phú" in page
