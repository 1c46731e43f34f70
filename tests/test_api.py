"""The REST API under /api/: who reads and writes what, all-or-nothing writes, errors, pages."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from dxmonitor.accounts.models import ApiToken
from dxmonitor.api.schemas import ValueIn
from dxmonitor.api.submission import records_of
from dxmonitor.catalogue.models import Round, Unit
from dxmonitor.intake.long_format import LongRecord
from dxmonitor.intake.models import Value, ValueChange
from dxmonitor.problems import Location
from personas import signed_in

pytestmark = pytest.mark.django_db

DONG_PHU_SERVICE_RATE = {
    "round": "2022-06",
    "dataset": "dvc_rates",
    "indicator": "dvc.online_service_rate",
    "unit_code": "BP.DONG_PHU",
    "unit_name": "Huyện Đồng Phú",
    "category": "",
    "value": "77.3",
    "as_of": "2022-07-16",
    "target": "80",
    "verdict": "Không đạt",
    "baseline_value": "83.8",
    "change": "-6.5",
    "comparison_note": None,
}
DONG_PHU_FIGURE = {"unit": "BP.DONG_PHU", "indicator": "dvc.procedures", "value": 1767}
LOC_NINH_FIGURE = {"unit": "BP.LOC_NINH", "indicator": "dvc.procedures", "value": 1500}
LOC_NINH_SERVICE_RATE = {
    "unit": "Lộc Ninh",
    "indicator": "dvc.online_service_rate",
    "value": "99%",
    "as_of": "16/07/2022",
}


# --- personas ----------------------------------------------------------------------------------------------


def issue(name: str, unit: str) -> str:
    return ApiToken.issue(name, Unit.objects.get(code=unit))[1]


@pytest.fixture
def dong_phu_key(db: None) -> str:
    return issue("dong-phu-portal", "BP.DONG_PHU")


class KeyClient:
    """A client that sends an API key on every request."""

    def __init__(self, key: str):
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    def get(self, path: str, data: dict[str, Any] | None = None, **params: Any) -> Any:
        return self.client.get(path, (data or {}) | params)

    def post(self, path: str, body: object) -> Any:
        return self.client.post(path, json.dumps(body), content_type="application/json")


def post(client: Client, path: str, body: object) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def snapshot() -> tuple[list[Any], list[Any], list[str]]:
    """Every stored value, every history row and every round, in full."""
    return (
        list(Value.objects.order_by("pk").values()),
        list(ValueChange.objects.order_by("pk").values()),
        list(Round.objects.order_by("code").values_list("code", flat=True)),
    )


# --- authentication --------------------------------------------------------------------------------------------


def test_a_request_without_credentials_is_401_with_a_message_in_both_languages() -> None:
    response = Client().get("/api/rounds/2022-06/values")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="dxmonitor"'
    assert response.json() == {
        "detail": "authentication_required",
        "message_vi": "Cần khóa API hợp lệ (Authorization: Bearer <khóa>) hoặc đăng nhập",
        "message_en": "A valid API key (Authorization: Bearer <key>) or a signed-in session is required",
        "errors": [],
        "warnings": [],
    }


def test_a_revoked_key_is_401(dong_phu_key: str) -> None:
    ApiToken.objects.filter(name="dong-phu-portal").update(revoked_at=timezone.now())
    assert KeyClient(dong_phu_key).get("/api/units").status_code == 401


def test_a_made_up_key_is_401() -> None:
    assert KeyClient("dxm_not-a-key").get("/api/units").status_code == 401


def test_a_signed_in_user_without_a_role_is_403() -> None:
    response = signed_in(User.objects.create_user("eve")).get("/api/units")
    assert (response.status_code, response.json()["message_en"]) == (403, "This account has no role yet")


def test_a_session_write_with_its_csrf_token_is_accepted(personas: dict[str, User]) -> None:
    client = signed_in(personas["dong_phu"], csrf=True)
    secret = "dxmonitorcsrfsecretfortests12345"
    client.cookies["csrftoken"] = secret
    response = client.post(
        "/api/rounds/2022-06/values",
        json.dumps([{"unit": "BP.DONG_PHU", "indicator": "dvc.procedures", "value": 12}]),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=secret,
    )
    assert (response.status_code, response.json()["new"]) == (200, 1)
    assert ValueChange.objects.get(source="api").changed_by == "bob"


def test_a_session_write_needs_the_csrf_token(personas: dict[str, User]) -> None:
    before = snapshot()
    response = post(
        signed_in(personas["dong_phu"], csrf=True),
        "/api/rounds/2022-06/values",
        [{"unit": "BP.DONG_PHU", "indicator": "dvc.procedures", "value": 12}],
    )
    assert (response.status_code, response.json()["detail"]) == (403, "csrf_failed")
    assert snapshot() == before


# --- reading ---------------------------------------------------------------------------------------------------


def values_of(client: Client | KeyClient, **params: Any) -> list[dict[str, Any]]:
    """Every value of round 2022-06 the client may read, following the pages' `next` links."""
    response = client.get("/api/rounds/2022-06/values", {"limit": 500} | params)
    items: list[dict[str, Any]] = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        if body["next"] is None:
            break
        response = client.get(body["next"])
    assert len(items) == body["count"]
    return items


def test_admins_and_viewers_read_every_units_values(personas: dict[str, User]) -> None:
    admin, viewer = values_of(signed_in(personas["admin"])), values_of(signed_in(personas["viewer"]))
    assert admin == viewer
    assert {"BP", "BP.DONG_PHU", "BP.LOC_NINH", "BP.TU.BTC"} <= {row["unit_code"] for row in admin}
    assert DONG_PHU_SERVICE_RATE in admin


def test_a_reporter_reads_only_its_own_units_values(personas: dict[str, User], dong_phu_key: str) -> None:
    by_session = values_of(signed_in(personas["dong_phu"]))
    by_key = values_of(KeyClient(dong_phu_key))
    assert by_session == by_key
    assert {row["unit_code"] for row in by_key} == {"BP.DONG_PHU"}
    assert DONG_PHU_SERVICE_RATE in by_key
    assert {row["unit_code"] for row in values_of(signed_in(personas["loc_ninh"]))} == {"BP.LOC_NINH"}


def test_values_filter_by_dataset_indicator_and_unit(personas: dict[str, User]) -> None:
    rows = values_of(
        signed_in(personas["viewer"]), dataset="dvc_rates", indicator="dvc.online_service_rate", unit="BP.DONG_PHU"
    )
    assert rows == [DONG_PHU_SERVICE_RATE]


def test_a_reporter_asking_for_another_units_values_is_403(dong_phu_key: str) -> None:
    response = KeyClient(dong_phu_key).get("/api/rounds/2022-06/values", unit="BP.LOC_NINH")
    assert response.status_code == 403
    assert response.json()["errors"] == [
        {
            "index": None,
            "field": "unit",
            "message_vi": "không có quyền xem số liệu của đơn vị 'Huyện Lộc Ninh'",
            "message_en": "not allowed to read figures of unit 'Huyện Lộc Ninh'",
        }
    ]


def test_a_unit_in_a_path_is_read_whole(dong_phu_key: str) -> None:
    response = KeyClient(dong_phu_key).get("/api/units/BP.DONG_PHU")
    assert response.json() == {
        "code": "BP.DONG_PHU",
        "name": "Huyện Đồng Phú",
        "short_name": "Đồng Phú",
        "kind": "district",
        "parent": "BP",
        "groups": ["BP.G.HUYEN"],
        "aliases": [],
        "communes": 11,
        "valid_from": "2000-01-01",
        "valid_to": "2025-06-30",  # districts ended with the reform of 1/7/2025
        "successors": ["DN.25363", "DN.25378", "DN.25387", "DN.25390"],  # the communes that cover Đồng Phú
        "predecessors": [],
    }


def test_the_units_of_a_day_are_the_tree_in_force_that_day(dong_phu_key: str) -> None:
    client = KeyClient(dong_phu_key)
    after = client.get("/api/units?on=2025-08-01&limit=500").json()["items"]
    kinds = Counter(u["kind"] for u in after)
    assert (kinds["province"], kinds["department"], kinds["commune"], kinds["district"]) == (1, 14, 95, 0)
    ward = next(u for u in after if u["name"] == "Phường Đồng Xoài")
    assert ward["parent"] == "DN" and "BP.DONG_XOAI" in ward["predecessors"]
    before = client.get("/api/units?on=2022-06-30&limit=500").json()["items"]
    assert Counter(u["kind"] for u in before)["district"] == 11
    assert {u["code"] for u in before if u["kind"] == "province"} == {"BP"}
    assert client.get("/api/units?on=30/06/2022").status_code == 422


def test_an_indicator_shows_its_target_and_its_legal_source(dong_phu_key: str) -> None:
    body = KeyClient(dong_phu_key).get("/api/indicators/dvc.online_service_rate").json()
    assert (body["kind"], body["direction"], body["derived"], body["datasets"]) == (
        "percent",
        "higher",
        None,
        ["dvc_rates"],
    )
    assert [(t["op"], t["value"]) for t in body["targets"]] == [(">=", "80")]
    assert "27/QĐ-UBQGCĐS" in body["targets"][0]["source"]
    severity = KeyClient(dong_phu_key).get("/api/indicators/security.vulnerabilities").json()["disaggregation"]
    assert list(severity["severity"]) == ["nguy_hiem", "cao", "trung_binh", "thap"]


# The datasets each demo round collects: those its figures belong to.
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
MAY_DATASETS = [
    "app_users",
    "cnscd",
    "dvc_overview",
    "dvc_rates",
    "e_auth",
    "hotline",
    "network",
    "office_software",
    "portal",
    "tax_payments",
]


BINH_PHUOC_ISSUER = {
    "parent_agency": "UBND TỈNH BÌNH PHƯỚC",
    "agency": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    "agency_name": "Sở Thông tin và Truyền thông",
    "place": "Bình Phước",
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "",
    "series": "BC-STTTT",
    "recipients": ["Ban Chỉ đạo về CĐS tỉnh", "Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố", "Lưu: VT"],
}


def test_rounds_list_their_baseline_and_report(dong_phu_key: str) -> None:
    body = KeyClient(dong_phu_key).get("/api/rounds").json()
    assert body == {
        "count": 2,
        "next": None,
        "previous": None,
        "items": [
            {
                "code": "2022-05",
                "name": "tháng 5/2022",
                "baseline": None,
                "report_number": "01/BC-STTTT",
                "report_date": "2022-06-20",
                "state": "open",
                "deadline": None,
                "datasets": MAY_DATASETS,
                "issuer": BINH_PHUOC_ISSUER,
            },
            {
                "code": "2022-06",
                "name": "tháng 6/2022",
                "baseline": "2022-05",
                "report_number": "02/BC-STTTT",
                "report_date": "2022-07-20",
                "state": "open",
                "deadline": None,
                "datasets": JUNE_DATASETS,
                "issuer": BINH_PHUOC_ISSUER,
            },
        ],
    }


def test_datasets_list_their_indicators_and_units(dong_phu_key: str) -> None:
    body = KeyClient(dong_phu_key).get("/api/datasets/dvc_rates").json()
    assert body["indicators"] == ["dvc.online_service_rate", "dvc.online_dossier_rate"]
    assert "BP.DONG_PHU" in body["units"]
    assert KeyClient(dong_phu_key).get("/api/datasets").json()["count"] >= 1


def test_pages_give_the_count_and_links_to_the_next_and_previous_pages(dong_phu_key: str) -> None:
    client = KeyClient(dong_phu_key)
    total = client.get("/api/units").json()["count"]
    first = client.get("/api/units", limit=10).json()
    second = client.get("/api/units", limit=10, offset=10).json()
    assert (first["count"], len(first["items"]), first["previous"]) == (total, 10, None)
    assert first["next"] == "http://testserver/api/units?limit=10&offset=10"
    assert second["previous"] == "http://testserver/api/units?limit=10&offset=0"
    assert second["next"] == "http://testserver/api/units?limit=10&offset=20"
    last = client.get("/api/units", limit=10, offset=total - 1).json()
    assert (len(last["items"]), last["next"]) == (1, None)
    assert {u["code"] for u in first["items"]}.isdisjoint(u["code"] for u in second["items"])


def test_a_page_larger_than_the_maximum_is_422(dong_phu_key: str) -> None:
    response = KeyClient(dong_phu_key).get("/api/units", limit=501)
    assert response.status_code == 422
    assert [(e["field"], e["index"]) for e in response.json()["errors"]] == [("limit", None)]


# --- clear 4xx ---------------------------------------------------------------------------------------------


def test_an_unknown_unit_in_a_path_is_404(dong_phu_key: str) -> None:
    response = KeyClient(dong_phu_key).get("/api/units/BP.NOWHERE")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "not_found",
        "message_vi": "không có đơn vị 'BP.NOWHERE'",
        "message_en": "no unit 'BP.NOWHERE'",
        "errors": [
            {
                "index": None,
                "field": "code",
                "message_vi": "không có đơn vị 'BP.NOWHERE'",
                "message_en": "no unit 'BP.NOWHERE'",
            }
        ],
        "warnings": [],
    }


@pytest.mark.parametrize("path", ["/api/rounds/2022-6", "/api/rounds/2022-6/values"])
def test_a_round_code_that_is_not_yyyy_mm_is_404_saying_so(dong_phu_key: str, path: str) -> None:
    response = KeyClient(dong_phu_key).get(path)
    assert response.status_code == 404
    assert response.json()["message_en"] == "round code '2022-6' must look like YYYY-MM, e.g. 2022-07"


def test_a_round_that_does_not_exist_is_404(dong_phu_key: str) -> None:
    response = KeyClient(dong_phu_key).get("/api/rounds/2031-01/values")
    assert (response.status_code, response.json()["message_en"]) == (404, "no round '2031-01'")


def test_a_body_that_is_not_json_is_400_and_writes_nothing(dong_phu_key: str) -> None:
    before = snapshot()
    response = KeyClient(dong_phu_key).client.post(
        "/api/rounds/2022-06/values", "[{unit: ", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "malformed_body"
    assert snapshot() == before


def test_a_body_too_large_is_413_and_writes_nothing(dong_phu_key: str) -> None:
    before = snapshot()
    items = [{"unit": "BP.DONG_PHU", "indicator": "dvc.procedures", "value": 1, "note": "x" * 1900}] * 2000
    response = KeyClient(dong_phu_key).post("/api/rounds/2022-06/values", items)
    assert (response.status_code, response.json()["detail"]) == (413, "body_too_large")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("2022-6", "round code '2022-6' must look like YYYY-MM, e.g. 2022-07"),
        ("0000-01", "round code '0000-01' must look like YYYY-MM, e.g. 2022-07"),
    ],
)
def test_writing_to_a_round_code_that_is_not_a_month_is_422(dong_phu_key: str, code: str, message: str) -> None:
    before = snapshot()
    response = KeyClient(dong_phu_key).post(f"/api/rounds/{code}/values", [DONG_PHU_FIGURE])
    assert response.status_code == 422
    assert [(e["index"], e["field"], e["message_en"]) for e in response.json()["errors"]] == [(None, "round", message)]
    assert snapshot() == before


def test_wrong_types_are_422_naming_each_item_and_field(dong_phu_key: str) -> None:
    before = snapshot()
    response = KeyClient(dong_phu_key).post(
        "/api/rounds/2022-06/values",
        [
            {"unit": "BP.DONG_PHU", "indicator": "dvc.procedures", "value": True},
            {"indicator": "dvc.procedures", "value": 3},
            {"unit": "BP.DONG_PHU", "indicator": "dvc.procedures", "value": 3, "colour": "red"},
        ],
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "index": 0,
            "field": "value",
            "message_vi": "value: giá trị phải là số hoặc chuỗi",
            "message_en": "value: value must be a number or a string",
        },
        {
            "index": 1,
            "field": "unit",
            "message_vi": "unit: thiếu trường bắt buộc",
            "message_en": "unit: Field required",
        },
        {
            "index": 2,
            "field": "colour",
            "message_vi": "colour: trường không được phép",
            "message_en": "colour: Extra inputs are not permitted",
        },
    ]
    assert snapshot() == before


@pytest.mark.parametrize("body", [{"unit": "BP.DONG_PHU"}, []])
def test_a_body_that_is_not_a_list_of_values_is_422(dong_phu_key: str, body: object) -> None:
    response = KeyClient(dong_phu_key).post("/api/rounds/2022-06/values", body)
    assert response.status_code == 422
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(None, "body")]


# --- writing ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db(databases=[])
def test_each_item_becomes_a_long_format_row_whose_problems_name_the_item_and_field() -> None:
    items = [
        ValueIn(unit=" Đồng Phú ", indicator="dvc.procedures", value=Decimal("1767")),
        ValueIn(
            unit="BP.TU.BTC",
            indicator="security.vulnerabilities",
            category="severity=cao",
            value="1",
            as_of="2022-07-01/2022-07-20",
            note="rà quét",
        ),
    ]
    records = records_of(items)
    assert records[1] == LongRecord(
        location=Location(file="api", row=1),
        columns={f: f"[1].{f}" for f in ("unit", "indicator", "category", "value", "as_of", "note")},
        unit="BP.TU.BTC",
        indicator="security.vulnerabilities",
        value="1",
        category="severity=cao",
        as_of="2022-07-01 to 2022-07-20",
        note="rà quét",
        measure="",
    )
    assert (records[0].unit, records[0].as_of) == ("Đồng Phú", None)
    assert records[0].at("value") == Location("api", "", 0, "[0].value", "value")


def test_the_dong_phu_key_writes_dong_phu_figures_with_their_history(dong_phu_key: str) -> None:
    response = KeyClient(dong_phu_key).post(
        "/api/rounds/2022-06/values",
        [
            {"unit": "Đồng Phú", "indicator": "dvc.online_service_rate", "value": "81,5%", "as_of": "16/07/2022"},
            {"unit": "BP.DONG_PHU", "indicator": "dvc.procedures", "value": 1767, "note": "từ Cổng DVC"},
        ],
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "round": "2022-06",
        "round_created": False,
        "dry_run": False,
        "new": 1,
        "changed": 1,
        "unchanged": 0,
        "items": [
            {
                "index": 0,
                "unit": "BP.DONG_PHU",
                "indicator": "dvc.online_service_rate",
                "category": "",
                "as_of": "2022-07-16",
                "status": "changed",
                "old_value": "77.3",
                "new_value": "81.5",
            },
            {
                "index": 1,
                "unit": "BP.DONG_PHU",
                "indicator": "dvc.procedures",
                "category": "",
                "as_of": "2022-06-30",
                "status": "new",
                "old_value": None,
                "new_value": "1767",
            },
        ],
        "warnings": [],
    }
    stored = Value.objects.filter(round__code="2022-06", unit__code="BP.DONG_PHU").values_list(
        "indicator__code", "window", "value", "source", "source_ref", "updated_by", "note"
    )
    assert {s for s in stored if s[0] in ("dvc.online_service_rate", "dvc.procedures")} == {
        # written without a note: the stored one stays
        (
            "dvc.online_service_rate",
            "2022-07-16",
            Decimal("81.5"),
            "api",
            "api:0",
            "token:dong-phu-portal",
            "Số 02, mục 2, bảng DVCTT theo đơn vị",
        ),
        ("dvc.procedures", "2022-06-30", Decimal(1767), "api", "api:1", "token:dong-phu-portal", "từ Cổng DVC"),
    }
    history = ValueChange.objects.filter(source="api").order_by("pk")
    assert [(h.indicator.code, h.old_value, h.new_value, h.changed_by, h.source_ref) for h in history] == [
        ("dvc.online_service_rate", Decimal("77.3"), Decimal("81.5"), "token:dong-phu-portal", "api:0"),
        ("dvc.procedures", None, Decimal(1767), "token:dong-phu-portal", "api:1"),
    ]


def test_a_value_history_lists_every_change(dong_phu_key: str) -> None:
    client = KeyClient(dong_phu_key)
    client.post(
        "/api/rounds/2022-06/values",
        [{"unit": "BP.DONG_PHU", "indicator": "dvc.online_service_rate", "value": 81.5, "as_of": "2022-07-16"}],
    )
    body = client.get(
        "/api/values/history", round="2022-06", unit="BP.DONG_PHU", indicator="dvc.online_service_rate"
    ).json()
    assert [
        (c["as_of"], c["old_value"], c["new_value"], c["source"], c["source_ref"], c["changed_by"])
        for c in body["items"]
    ] == [
        ("2022-07-16", None, "77.3", "file", "2022-06.csv:90", "demo"),  # the row of Số 02 after the rank
        ("2022-07-16", "77.3", "81.5", "api", "api:0", "token:dong-phu-portal"),
    ]
    refused = client.get("/api/values/history", round="2022-06", unit="BP.LOC_NINH", indicator="dvc.procedures")
    assert refused.status_code == 403


def test_a_dry_run_says_what_would_change_and_writes_nothing(dong_phu_key: str) -> None:
    before = snapshot()
    response = KeyClient(dong_phu_key).post(
        "/api/rounds/2022-06/values?dry_run=true",
        [{"unit": "BP.DONG_PHU", "indicator": "dvc.online_service_rate", "value": "77.3", "as_of": "16/07/2022"}],
    )
    body = response.json()
    assert (response.status_code, body["dry_run"], body["new"], body["changed"], body["unchanged"]) == (
        200,
        True,
        0,
        0,
        1,
    )
    assert snapshot() == before


def test_a_write_to_a_round_that_does_not_exist_is_refused_naming_the_open_rounds(dong_phu_key: str) -> None:
    before = snapshot()
    response = KeyClient(dong_phu_key).post(
        "/api/rounds/2022-07/values", [{"unit": "BP.DONG_PHU", "indicator": "dvc.procedures", "value": "1.770"}]
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "index": None,
            "field": "round",
            "message_vi": "chưa có kỳ báo cáo '2022-07'; các kỳ đang mở: 2022-05, 2022-06. "
            "Chỉ quản trị mở kỳ mới (trang Kỳ báo cáo)",
            "message_en": "there is no round '2022-07'; open rounds: 2022-05, 2022-06. "
            "Only an admin opens a new round (the Rounds page)",
        }
    ]
    assert not Round.objects.filter(code="2022-07").exists()
    assert snapshot() == before


def test_an_all_or_nothing_write_lists_every_error_and_writes_nothing(dong_phu_key: str) -> None:
    before = snapshot()
    response = KeyClient(dong_phu_key).post(
        "/api/rounds/2022-06/values",
        [
            {"unit": "BP.DONG_PHU", "indicator": "dvc.procedures", "value": 1767},
            {"unit": "Huyện Không Có", "indicator": "dvc.procedures", "value": 1},
            {"unit": "BP.DONG_PHU", "indicator": "dvc.no_such_thing", "value": 1},
            {"unit": "BP.DONG_PHU", "indicator": "dvc.online_dossier_rate", "value": "120%"},
            {"unit": "BP.DONG_PHU", "indicator": "dvc.procedures", "value": "12", "as_of": "31/02/2022"},
            {"unit": "BP.DONG_PHU", "indicator": "dvc.procedures", "value": 1767},
        ],
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["detail"], body["message_en"]) == ("invalid_input", "Nothing written: 5 error(s)")
    assert [(e["index"], e["field"]) for e in body["errors"]] == [
        (1, "unit"),
        (2, "indicator"),
        (3, "value"),
        (4, "as_of"),
        (5, ""),
    ]
    assert body["errors"][2]["message_en"] == "percentage 120% is above 100"
    assert body["errors"][4]["message_en"] == "duplicates row 0 of api"
    assert snapshot() == before


def test_a_figure_too_large_to_store_is_an_error_not_a_crash(dong_phu_key: str) -> None:
    response = KeyClient(dong_phu_key).post(
        "/api/rounds/2022-06/values",
        [
            {"unit": "BP.DONG_PHU", "indicator": "payment.fee_amount", "value": 10**19},
            {"unit": "BP.DONG_PHU", "indicator": "dvc.online_dossier_rate", "value": 12.3456789},
        ],
    )
    assert response.status_code == 422
    assert [(e["index"], e["field"], e["message_en"]) for e in response.json()["errors"]] == [
        (0, "value", "'10000000000000000000' is too large"),
        (1, "value", "'12.3456789' has more than 6 decimals"),
    ]


# --- scope: every write path refuses a figure outside the writer's units ----------------------------------------------


def test_the_dong_phu_key_cannot_slip_a_loc_ninh_figure_among_its_own(dong_phu_key: str) -> None:
    before = snapshot()
    response = KeyClient(dong_phu_key).post(
        "/api/rounds/2022-06/values",
        [DONG_PHU_FIGURE, LOC_NINH_SERVICE_RATE, DONG_PHU_FIGURE | {"indicator": "app.users"}],
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "forbidden",
        "message_vi": "Không ghi gì: 1 lỗi",
        "message_en": "Nothing written: 1 error(s)",
        "errors": [
            {
                "index": 1,
                "field": "unit",
                "message_vi": "không có quyền ghi số liệu của đơn vị 'Huyện Lộc Ninh'",
                "message_en": "not allowed to write figures of unit 'Huyện Lộc Ninh'",
            }
        ],
        "warnings": [],
    }
    assert snapshot() == before


@pytest.mark.parametrize(
    ("writer", "figure", "dry_run"),
    [
        ("dong_phu", LOC_NINH_FIGURE, False),
        ("dong_phu", LOC_NINH_FIGURE, True),
        ("loc_ninh", DONG_PHU_FIGURE, False),
        ("viewer", DONG_PHU_FIGURE, False),
        ("viewer", DONG_PHU_FIGURE, True),
    ],
)
def test_a_signed_in_writer_cannot_write_outside_its_units(
    personas: dict[str, User], writer: str, figure: dict[str, object], dry_run: bool
) -> None:
    before = snapshot()
    path = "/api/rounds/2022-06/values" + ("?dry_run=true" if dry_run else "")
    response = post(signed_in(personas[writer]), path, [figure])
    assert (response.status_code, response.json()["detail"]) == (403, "forbidden")
    assert snapshot() == before


def test_a_key_cannot_create_a_round_with_a_figure_outside_its_units(dong_phu_key: str) -> None:
    before = snapshot()
    response = KeyClient(dong_phu_key).post("/api/rounds/2022-07/values", [LOC_NINH_FIGURE])
    assert response.status_code == 422  # the round does not exist: refused before the units are looked at
    assert snapshot() == before
    assert not Round.objects.filter(code="2022-07").exists()


def test_the_admin_writes_any_units_figures(personas: dict[str, User]) -> None:
    response = post(signed_in(personas["admin"]), "/api/rounds/2022-06/values", [DONG_PHU_FIGURE, LOC_NINH_FIGURE])
    assert (response.status_code, response.json()["new"]) == (200, 2)
    assert set(ValueChange.objects.filter(source="api").values_list("changed_by", flat=True)) == {"alice"}
