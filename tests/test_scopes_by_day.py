"""A reporter's scope follows the tree of the round: the reporter of Huyện Đồng Phú (ended 30/6/2025) writes and
reads the 2022 rounds and nothing of a round after the reform, told which units succeeded theirs; the reporter of
Xã Đồng Phú (formed 1/7/2025) the other way round. The write path, submissions, the pages and the API agree."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from dxmonitor.accounts.models import ApiToken
from dxmonitor.accounts.principals import for_user
from dxmonitor.accounts.scope import Principal, Role, principal
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Dataset, Round, Unit
from dxmonitor.catalogue.round_store import open_round
from dxmonitor.catalogue.tree import Days
from dxmonitor.intake.models import Value
from dxmonitor.intake.submissions import act
from dxmonitor.intake.workflow import Action, Refusal
from personas import make_user, signed_in
from writing import import_files

pytestmark = pytest.mark.django_db

JUNE_2022: Days = (date(2022, 6, 1), date(2022, 6, 30))
AUGUST_2025: Days = (date(2025, 8, 1), date(2025, 8, 31))
ENDED = (
    "đơn vị của bạn, Huyện Đồng Phú, đã kết thúc ngày 30/06/2025; đơn vị kế thừa: Xã Đồng Phú, Xã Tân Lợi, "
    "Xã Thuận Lợi, Xã Đồng Tâm; hãy đề nghị quản trị giao đơn vị mới",
    "your unit, Huyện Đồng Phú, ended on 30/06/2025; its successors: Xã Đồng Phú, Xã Tân Lợi, Xã Thuận Lợi, "
    "Xã Đồng Tâm; ask an admin for the new unit",
)
NOT_YET = (
    "đơn vị của bạn, Xã Đồng Phú, chỉ có từ ngày 01/07/2025, sau kỳ báo cáo này (đến 30/06/2022)",
    "your unit, Xã Đồng Phú, exists only from 01/07/2025, after this round (to 30/06/2022)",
)
XA_DONG_PHU, XA_TAN_LOI = "DN.25363", "DN.25378"


def parents(catalogue: Catalogue) -> dict[str, str | None]:
    return {u.code: u.parent for u in catalogue.units.values()}


def reporter(catalogue: Catalogue, unit: str) -> Principal:
    return principal("someone", Role.REPORTER, unit, parents(catalogue))


# --- the rule ------------------------------------------------------------------------------------------------------


def test_a_reporter_s_units_are_those_of_the_tree_of_the_round_s_days(catalogue: Catalogue) -> None:
    old, new = reporter(catalogue, "BP.DONG_PHU"), reporter(catalogue, XA_DONG_PHU)

    assert (old.on(catalogue, JUNE_2022).units, old.on(catalogue, JUNE_2022).unplaced) == ({"BP.DONG_PHU"}, None)
    assert (old.on(catalogue, AUGUST_2025).units, old.on(catalogue, AUGUST_2025).unplaced) == (frozenset(), ENDED)
    assert (new.on(catalogue, AUGUST_2025).units, new.on(catalogue, AUGUST_2025).unplaced) == ({XA_DONG_PHU}, None)
    assert (new.on(catalogue, JUNE_2022).units, new.on(catalogue, JUNE_2022).unplaced) == (frozenset(), NOT_YET)
    assert old.on(catalogue, None) == old  # no round, no day: the unit and its sub-units of every tree


def test_a_province_s_reporter_reads_the_units_below_it_on_that_day_s_tree(catalogue: Catalogue) -> None:
    bp, dn = reporter(catalogue, "BP"), reporter(catalogue, "DN")
    company = "BP.CTY_CS.DONG_PHU"  # a company of Bình Phước that goes on under Đồng Nai

    bp_2022, dn_2025 = bp.on(catalogue, JUNE_2022).units or set(), dn.on(catalogue, AUGUST_2025).units or set()
    assert {"BP.DONG_PHU", company} <= bp_2022 and XA_DONG_PHU not in bp_2022
    assert {XA_DONG_PHU, "DN.SO_KHCN", company} <= dn_2025 and "BP.DONG_PHU" not in dn_2025
    assert len([c for c in dn_2025 if catalogue.units[c].kind == "commune"]) == 95
    assert dn.on(catalogue, JUNE_2022).units == frozenset()
    assert bp.on(catalogue, AUGUST_2025).unplaced is not None
    assert (
        bp.on(catalogue, AUGUST_2025)
        .unplaced[1]
        .startswith("your unit, Tỉnh Bình Phước, ended on 30/06/2025; its successors: Tỉnh Đồng Nai")
    )  # type: ignore[index]


def test_admins_and_viewers_read_and_write_every_round_alike(catalogue: Catalogue) -> None:
    for role in (Role.ADMIN, Role.VIEWER):
        who = principal("x", role, None, {})
        assert who.on(catalogue, AUGUST_2025) == who == who.on(catalogue, JUNE_2022)


# --- the database --------------------------------------------------------------------------------------------------


@pytest.fixture
def august(personas: dict[str, User], tmp_path: Path) -> dict[str, User]:
    """Round 2025-08 with figures of two communes; bob reports for Huyện Đồng Phú, hanh for Xã Đồng Phú."""
    round_ = open_round("2025-08", "test", reason="test")
    round_.datasets.set(Dataset.objects.filter(code="app_users"))
    path = tmp_path / "thang8.csv"
    rows = "Xã Đồng Phú,app.users,410,31/08/2025\nXã Tân Lợi,app.users,220,31/08/2025\n"
    path.write_text("don_vi,chi_tieu,gia_tri,ngay_so_lieu\n" + rows, encoding="utf-8")
    import_files([path], "2025-08")
    return {**personas, "hanh": make_user("hanh", Role.REPORTER, XA_DONG_PHU)}


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def figure(round_code: str, unit: str) -> Any:
    found = Value.objects.filter(round__code=round_code, unit__code=unit, indicator__code="app.users").first()
    return found.value if found else None


def test_the_reporter_of_an_ended_district_cannot_write_a_round_after_the_reform_and_is_told_the_successors(
    august: dict[str, User], tmp_path: Path
) -> None:
    path = tmp_path / "bob.csv"
    path.write_text("don_vi,chi_tieu,gia_tri,ngay_so_lieu\nXã Đồng Phú,app.users,999,31/08/2025\n", encoding="utf-8")

    status, _, err = run("import", str(path), "--round", "2025-08", "--user", "bob")

    assert status == 1
    assert (
        err.splitlines()[0]
        == f"[Lỗi] trường/field round: không ghi được kỳ 2025-08: {ENDED[0]} / cannot write round 2025-08: {ENDED[1]}"
    )
    assert figure("2025-08", XA_DONG_PHU) == 410


def test_the_reporter_of_a_new_commune_writes_its_round_and_not_a_2022_round(
    august: dict[str, User], tmp_path: Path
) -> None:
    now = tmp_path / "hanh8.csv"
    now.write_text("don_vi,chi_tieu,gia_tri,ngay_so_lieu\nXã Đồng Phú,app.users,415,31/08/2025\n", encoding="utf-8")
    then = tmp_path / "hanh6.csv"
    then.write_text("don_vi,chi_tieu,gia_tri,ngay_so_lieu\nĐồng Phú,app.users,700,19/07/2022\n", encoding="utf-8")

    assert run("import", str(now), "--round", "2025-08", "--user", "hanh")[0] == 0
    status, _, err = run("import", str(then), "--round", "2022-06", "--user", "hanh")

    assert figure("2025-08", XA_DONG_PHU) == 415
    assert status == 1
    assert (
        err.splitlines()[0]
        == f"[Lỗi] trường/field round: không ghi được kỳ 2022-06: {NOT_YET[0]} / cannot write round 2022-06: "
        + NOT_YET[1]
    )
    assert figure("2022-06", "BP.DONG_PHU") == 611


def test_the_reporter_of_an_ended_district_still_writes_the_2022_rounds(
    august: dict[str, User], tmp_path: Path
) -> None:
    path = tmp_path / "bob6.csv"
    path.write_text("don_vi,chi_tieu,gia_tri,ngay_so_lieu\nĐồng Phú,app.users,700,19/07/2022\n", encoding="utf-8")
    assert run("import", str(path), "--round", "2022-06", "--user", "bob")[0] == 0
    assert figure("2022-06", "BP.DONG_PHU") == 700


def test_a_submission_of_the_new_tree_is_refused_to_the_old_unit_s_reporter_naming_the_successors(
    august: dict[str, User],
) -> None:
    round_, dataset = Round.objects.get(code="2025-08"), Dataset.objects.get(code="app_users")
    unit = Unit.objects.get(code=XA_DONG_PHU)
    bob, hanh = for_user(august["dong_phu"]), for_user(august["hanh"])
    assert bob is not None and hanh is not None

    assert act(round_, dataset, unit, Action.SUBMIT, bob) == Refusal(*ENDED)
    submitted = act(round_, dataset, unit, Action.SUBMIT, hanh)
    assert not isinstance(submitted, Refusal) and submitted.status == "submitted"


def test_the_pages_show_each_reporter_the_units_of_the_round_s_tree(august: dict[str, User]) -> None:
    bob, hanh = signed_in(august["dong_phu"]), signed_in(august["hanh"])

    def scope(client: Client, url: str) -> Any:
        response = client.get(url)
        assert response.status_code == 200, url
        return response.json()["scope"]["units"]

    for url in ("/datasets/app_users.json?round={}", "/rounds/{}.json", "/indicators/app.users.json?round={}"):
        assert scope(hanh, url.format("2025-08")) == [XA_DONG_PHU], url
        assert scope(hanh, url.format("2022-06")) == [], url
        assert scope(bob, url.format("2022-06")) == ["BP.DONG_PHU"], url
        assert scope(bob, url.format("2025-08")) == [], url
    rows = hanh.get("/datasets/app_users.json?round=2025-08").json()["rows"]
    assert [r["unit"] for r in rows] == [XA_DONG_PHU]
    assert scope(hanh, "/rounds/2025-08/submissions.json") == [XA_DONG_PHU]
    assert scope(bob, "/rounds/2025-08/submissions.json") == []


def test_the_entry_form_of_another_tree_s_round_says_why(august: dict[str, User]) -> None:
    bob, hanh = signed_in(august["dong_phu"]), signed_in(august["hanh"])

    refused = bob.get(f"/rounds/2025-08/entry/app_users/{XA_DONG_PHU}")
    assert refused.status_code == 403 and " / ".join(ENDED) in refused.content.decode()
    refused = hanh.get("/rounds/2022-06/entry/app_users/BP.DONG_PHU")
    assert refused.status_code == 403 and " / ".join(NOT_YET) in refused.content.decode()
    assert hanh.get(f"/rounds/2025-08/entry/app_users/{XA_DONG_PHU}").status_code == 200
    assert bob.get("/rounds/2022-06/entry/app_users/BP.DONG_PHU").status_code == 200


def test_the_api_reads_each_reporter_s_units_on_the_round_s_tree(august: dict[str, User]) -> None:
    _, bob_key = ApiToken.issue("bob-key", user=august["dong_phu"])
    _, hanh_key = ApiToken.issue("hanh-key", user=august["hanh"])
    bob, hanh = Client(HTTP_AUTHORIZATION=f"Bearer {bob_key}"), Client(HTTP_AUTHORIZATION=f"Bearer {hanh_key}")

    def units(client: Client, round_code: str) -> list[str]:
        response = client.get(f"/api/rounds/{round_code}/values?indicator=app.users")
        assert response.status_code == 200
        return sorted({row["unit_code"] for row in response.json()["items"]})

    assert (units(hanh, "2025-08"), units(hanh, "2022-06")) == ([XA_DONG_PHU], [])
    assert (units(bob, "2022-06"), units(bob, "2025-08")) == (["BP.DONG_PHU"], [])
    history = "/api/values/history?round={}&unit={}&indicator=app.users"
    assert hanh.get(history.format("2025-08", XA_DONG_PHU)).status_code == 200
    assert bob.get(history.format("2025-08", XA_DONG_PHU)).status_code == 403

    def expected(client: Client, round_code: str) -> int:
        datasets = client.get(f"/api/rounds/{round_code}/completeness").json()["datasets"]
        return sum(d["expected"] for d in datasets if d["dataset"] == "app_users")  # absent: none of the reader's

    assert (expected(hanh, "2025-08"), expected(bob, "2025-08")) == (1, 0)
