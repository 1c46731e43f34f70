"""The issuing agency belongs to the round: each round keeps the header it was issued under (agency, parent agency,
place, signer, number series), a new round takes the issuer in force on its days (issuers.yaml, or a deployment's
overrides), and an admin's edit of it changes that round's report and is recorded."""

from __future__ import annotations

import importlib
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from docx_text import docx_text
from dxmonitor.catalogue.issuers import ROUND_ISSUER_FIELDS, load_issuers
from dxmonitor.catalogue.loading import CatalogueError, load_catalogue
from dxmonitor.catalogue.models import Round, RoundEvent
from dxmonitor.evaluation.formats import long_date
from personas import signed_in

DATA = Path(__file__).parent / "data"
BINH_PHUOC = {
    "issuer_parent_agency": "UBND TỈNH BÌNH PHƯỚC",
    "issuer_agency": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    "issuer_agency_name": "Sở Thông tin và Truyền thông",
    "issuer_place": "Bình Phước",
    "issuer_signer_title": "GIÁM ĐỐC",
    "issuer_signer_name": "",
    "issuer_series": "BC-STTTT",
    "issuer_recipients": "Ban Chỉ đạo về CĐS tỉnh\nCác sở, ban, ngành\nUBND các huyện, thị xã, thành phố\nLưu: VT",
}
DONG_NAI = {
    "issuer_parent_agency": "UBND TỈNH ĐỒNG NAI",
    "issuer_agency": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "issuer_agency_name": "Sở Khoa học và Công nghệ",
    "issuer_place": "Đồng Nai",
    "issuer_signer_title": "GIÁM ĐỐC",
    "issuer_signer_name": "",
    "issuer_series": "BC-SKHCN",
    "issuer_recipients": "Ban Chỉ đạo về CĐS tỉnh\nCác sở, ban, ngành\nUBND các xã, phường\nLưu: VT",
}


@pytest.fixture
def alice(personas: dict[str, User]) -> Client:
    return signed_in(personas["admin"])


def issuer_fields(round_: Round) -> dict[str, str]:
    return {name: getattr(round_, name) for name in ROUND_ISSUER_FIELDS}


def as_api(fields: dict[str, str]) -> dict[str, object]:
    """The issuer as RoundOut shows it."""
    parts: dict[str, object] = {name.removeprefix("issuer_"): value for name, value in fields.items()}
    parts["recipients"] = fields["issuer_recipients"].splitlines()
    return parts


def api(client: Client, body: object) -> Any:
    return client.post("/api/rounds", json.dumps(body), content_type="application/json")


def edit_form(client: Client, code: str) -> dict[str, Any]:
    """What the round's page posts back when nothing is changed."""
    initial = client.get(f"/rounds/{code}/edit/").context["form"].initial
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in initial.items() if v is not None}


ROOM = "\u200b"  # the room for the visible signature between the signer's title and name (a zero-width space)


def masthead(text: str) -> list[str]:
    """The agency and national-motto row, and the number and place-and-date row."""
    return text.splitlines()[:2]


def closing(text: str) -> list[str]:
    """The closing sentence and the recipients-and-signature row."""
    lines = text.splitlines()
    end = lines.index("[properties]")
    signature = next(i for i in range(end - 1, -1, -1) if lines[i].startswith("| Nơi nhận:"))
    return lines[signature - 1 : signature + 1]


def report_text(code: str, folder: Path) -> str:
    """The text of `dxmonitor report --round CODE` as a DOCX in the administrative layout, whose masthead holds the
    issuer (the demo rounds lack some units: a reason is given)."""
    call_command(
        "report", round=code, format="docx", out=folder, incomplete_reason="kiểm thử / test", layout="administrative"
    )
    return docx_text(folder / f"bao-cao-{code}.docx")


@pytest.mark.parametrize("code", ["2022-05", "2022-06"])
def test_a_2022_report_is_the_same_text_as_before_issuers_were_per_round(db: None, tmp_path: Path, code: str) -> None:
    expected = (DATA / f"report-{code}.docx.txt").read_text(encoding="utf-8")

    assert report_text(code, tmp_path) == expected


# --- a new round takes the issuer in force on its days ------------------------------------------------------------


def test_a_round_after_the_reform_opened_on_the_rounds_page_is_issued_by_dong_nai_s_so_kh_cn(
    alice: Client, tmp_path: Path
) -> None:
    response = alice.post("/rounds/new/", {"code": "2025-08", "baseline": "2022-06", "datasets": ["app_users"]})
    assert response.status_code == 302

    assert issuer_fields(Round.objects.get(code="2025-08")) == DONG_NAI
    text = report_text("2025-08", tmp_path)
    assert masthead(text) == [
        "| UBND TỈNH ĐỒNG NAI ¶ SỞ KHOA HỌC VÀ CÔNG NGHỆ ¶  "
        "| CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ¶ Độc lập - Tự do - Hạnh phúc ¶  |",
        f"| Số:       /BC-SKHCN | Đồng Nai, {long_date(date.today())} |",
    ]
    assert closing(text) == [
        "Sở Khoa học và Công nghệ kính báo cáo./.",
        "| Nơi nhận: ¶ - Ban Chỉ đạo về CĐS tỉnh; ¶ - Các sở, ban, ngành; ¶ - UBND các xã, phường; ¶ - Lưu: VT. "
        f"| GIÁM ĐỐC ¶ {ROOM} ¶  |",
    ]


def test_a_round_before_the_reform_opened_today_by_the_operator_s_import_keeps_binh_phuoc_s_issuer(
    db: None, tmp_path: Path
) -> None:
    path = tmp_path / "so-lieu.csv"
    path.write_text("don_vi,chi_tieu,gia_tri\nĐồng Phú,app.users,720\n", encoding="utf-8")
    call_command("import", str(path), "--round", "2025-06", stdout=io.StringIO(), stderr=io.StringIO())

    assert issuer_fields(Round.objects.get(code="2025-06")) == BINH_PHUOC


def test_a_round_opened_in_the_django_admin_takes_the_issuer_of_its_days(alice: Client) -> None:
    form = {"code": "2025-07", "baseline": "2022-06", "datasets": ["app_users"]}
    response = alice.post(
        "/admin/catalogue/round/add/", {**form, "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}
    )
    assert response.status_code == 302

    assert issuer_fields(Round.objects.get(code="2025-07")) == DONG_NAI


def test_the_api_opens_a_round_with_the_issuer_of_its_days_or_the_parts_given_and_shows_it(alice: Client) -> None:
    after = api(alice, {"code": "2025-09", "datasets": ["app_users"]})
    given = api(
        alice,
        {"code": "2025-10", "datasets": ["app_users"], "issuer": {"signer_name": "Nguyễn Văn A", "recipients": ["X"]}},
    )

    assert (after.status_code, after.json()["issuer"]) == (201, as_api(DONG_NAI))
    assert (given.status_code, given.json()["issuer"]) == (
        201,
        {**as_api(DONG_NAI), "signer_name": "Nguyễn Văn A", "recipients": ["X"]},
    )
    assert alice.get("/api/rounds/2022-06").json()["issuer"] == as_api(BINH_PHUOC)
    listed = alice.get("/api/rounds").json()
    assert [r["issuer"]["agency"] for r in listed["items"]] == [
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    ]


def test_a_deployment_s_overrides_replace_those_parts_for_the_rounds_it_opens(
    settings: Settings, alice: Client
) -> None:
    settings.REPORT_ISSUER_OVERRIDES = {"signer_name": "Trần Thị B", "recipients": "Ban Chỉ đạo;Lưu: VT"}

    alice.post("/rounds/new/", {"code": "2025-08", "baseline": "2022-06", "datasets": ["app_users"]})

    assert issuer_fields(Round.objects.get(code="2025-08")) == {
        **DONG_NAI,
        "issuer_signer_name": "Trần Thị B",
        "issuer_recipients": "Ban Chỉ đạo\nLưu: VT",
    }
    assert issuer_fields(Round.objects.get(code="2022-06")) == BINH_PHUOC  # a round keeps what it was issued under


# --- the admin edits it on the round's page -------------------------------------------------------------------


def test_editing_a_round_s_issuer_changes_its_report_and_is_recorded_old_to_new(alice: Client, tmp_path: Path) -> None:
    form = edit_form(alice, "2022-06")

    response = alice.post(
        "/rounds/2022-06/edit/", {**form, "issuer_signer_name": "Nguyễn Văn A", "issuer_place": "Đồng Xoài"}
    )

    assert response.status_code == 302
    june = Round.objects.get(code="2022-06")
    assert (june.issuer_signer_name, june.issuer_place) == ("Nguyễn Văn A", "Đồng Xoài")
    assert list(june.events.filter(action="edited").values_list("by", "reason")) == [
        ("alice", "issuer_place: “Bình Phước” → “Đồng Xoài”, issuer_signer_name: “” → “Nguyễn Văn A”")
    ]
    text = report_text("2022-06", tmp_path)
    assert masthead(text)[1] == "| Số: 02/BC-STTTT | Đồng Xoài, ngày 20 tháng 7 năm 2022 |"
    assert closing(text)[1].endswith(f"| GIÁM ĐỐC ¶ {ROOM} ¶ Nguyễn Văn A |")
    assert "Nguyễn Văn A" in alice.get("/rounds/2022-06/edit/").content.decode()


def test_a_part_left_blank_on_the_round_s_page_takes_the_issuer_in_force_and_records_nothing(alice: Client) -> None:
    form = edit_form(alice, "2022-06")

    response = alice.post("/rounds/2022-06/edit/", {**form, "issuer_agency": "  ", "issuer_recipients": ""})

    assert response.status_code == 302
    assert issuer_fields(Round.objects.get(code="2022-06")) == BINH_PHUOC
    assert not RoundEvent.objects.filter(round__code="2022-06", action="edited").exists()


# --- rounds made before: the migration ------------------------------------------------------------------------


def test_the_migration_gives_each_earlier_round_the_issuer_in_force_on_its_days(db: None) -> None:
    Round.objects.filter(code="2022-06").update(**dict.fromkeys(ROUND_ISSUER_FIELDS, ""))
    Round.objects.create(code="2025-08", name="tháng 8/2025")  # as a round made before this migration: no issuer
    migration = importlib.import_module("dxmonitor.catalogue.migrations.0005_round_issuer")

    migration.fill_issuers(apps, None)

    assert issuer_fields(Round.objects.get(code="2022-06")) == BINH_PHUOC
    assert issuer_fields(Round.objects.get(code="2025-08")) == DONG_NAI


# --- issuers.yaml is checked when the catalogue loads ---------------------------------------------------------

ISSUER = """  - parent_agency: UBND TỈNH A
    agency: SỞ {name}
    agency_name: Sở {name}
    place: Tỉnh A
    series: BC-{name}
"""


def write_issuers(folder: Path, *spans: str) -> Path:
    folder.mkdir(exist_ok=True)
    text = "issuers:\n" + "".join(ISSUER.format(name=f"S{i}") + span for i, span in enumerate(spans))
    (folder / "issuers.yaml").write_text(text, encoding="utf-8")
    return folder


def messages(folder: Path) -> list[str]:
    return [f"{p.location.row}: {p.message_vi} / {p.message_en}" for p in load_issuers(folder)[1]]


def test_the_shipped_issuers_cover_every_day_with_one_issuer(catalogue: Any) -> None:
    assert [(i.agency, i.valid_from, i.valid_to) for i in catalogue.issuers] == [
        ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", None, date(2025, 6, 30)),
        ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", date(2025, 7, 1), None),
    ]


def test_two_issuers_in_force_on_one_day_are_refused_naming_both(tmp_path: Path) -> None:
    folder = write_issuers(tmp_path, "    valid_to: 2025-06-30\n", "    valid_from: 2025-06-15\n")

    assert messages(folder) == [
        "13: SỞ S1 có hiệu lực từ 15/06/2025, chồng lên SỞ S0 (… – 30/06/2025): mỗi ngày chỉ một cơ quan ban hành / "
        "SỞ S1 in force from 15/06/2025 overlaps SỞ S0 (… – 30/06/2025): one issuer a day"
    ]


def test_days_no_issuer_covers_are_refused_naming_them(tmp_path: Path) -> None:
    folder = write_issuers(tmp_path, "    valid_to: 2025-06-30\n", "    valid_from: 2025-08-01\n")

    assert messages(folder) == [
        "13: không có cơ quan ban hành nào từ 01/07/2025 đến 31/07/2025 (giữa SỞ S0 và SỞ S1) / "
        "no issuer from 01/07/2025 to 31/07/2025 (between SỞ S0 and SỞ S1)"
    ]


def test_the_catalogue_refuses_to_load_with_issuers_at_fault(tmp_path: Path) -> None:
    folder = write_issuers(tmp_path, "    valid_to: 2025-06-30\n", "")

    with pytest.raises(CatalogueError, match="chồng lên SỞ S0"):
        load_catalogue(folder)
