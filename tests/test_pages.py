"""The dashboard and the data pages, as each persona sees them, in HTML and in JSON.

Personas: ana the admin, dung the reporter of Đồng Phú, linh the reporter of Lộc Ninh, vy the viewer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.fixtures import Settings

from dxmonitor.accounts.models import Membership
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.models import Unit
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.catalogue.tree import dataset_units

pytestmark = pytest.mark.django_db

DVC_TARGET = {
    "op": ">=",
    "value": 80,
    "text": "≥ 80%",
    "source": "Quyết định số 27/QĐ-UBQGCĐS ngày 15/3/2022 của Ủy ban Quốc gia về chuyển đổi số",
}
JUNE = {
    "code": "2022-06",
    "name": "tháng 6/2022",
    "report_number": "02/BC-STTTT",
    "report_date": "2022-07-20",
    "report_date_text": "20/7/2022",
    "baseline": {"code": "2022-05", "name": "tháng 5/2022"},
}
DONG_PHU_DVC_ROW = {
    "unit": "BP.DONG_PHU",
    "unit_name": "Huyện Đồng Phú",
    "short_name": "Đồng Phú",
    "cells": [
        {
            "indicator": "dvc.online_service_rate",
            "category": "",
            "value": 77.3,
            "value_text": "77,3%",
            "baseline": 83.8,
            "baseline_text": "83,8%",
            "change": -6.5,
            "change_text": "Giảm 6,5%",
            "trend": "worse",
            "verdict": "Không đạt",
        },
        {
            "indicator": "dvc.online_dossier_rate",
            "category": "",
            "value": 25.2,
            "value_text": "25,2%",
            "baseline": 19.55,
            "baseline_text": "19,55%",
            "change": 5.65,
            "change_text": "Tăng 5,65%",
            "trend": "better",
            "verdict": "Không đạt",
        },
    ],
}
PAGES = [
    "/",
    "/rounds/2022-05",
    "/rounds",
    "/datasets",
    "/datasets/dvc_rates",
    "/datasets/security_scan",
    "/units",
    "/indicators",
    "/indicators/dvc.online_service_rate",
    "/indicators/security.vulnerabilities",
    "/rounds/2022-06/issued",
    "/rounds/2022-06/issued/changes",
]


def persona(name: str, role: str, unit: str | None = None) -> Client:
    user = User.objects.create_user(name, password="not-used-here")
    Membership.objects.create(user=user, role=role, unit=Unit.objects.get(code=unit) if unit else None)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ana() -> Client:
    return persona("ana", "admin")


@pytest.fixture
def dung() -> Client:
    return persona("dung", "reporter", "BP.DONG_PHU")


@pytest.fixture
def linh() -> Client:
    return persona("linh", "reporter", "BP.LOC_NINH")


@pytest.fixture
def vy() -> Client:
    return persona("vy", "viewer")


@pytest.fixture
def everyone(ana: Client, dung: Client, linh: Client, vy: Client) -> dict[str, Client]:
    return {"ana": ana, "dung": dung, "linh": linh, "vy": vy}


@pytest.fixture(autouse=True)
def reports_dir(tmp_path: Path, settings: Settings) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    settings.REPORTS_DIR = folder
    (folder / "bao-cao-2022-06.docx").write_bytes(b"PK\x03\x04 a docx")
    (folder / "bao-cao-2022-06.html").write_text("<p>Số: 02/BC-STTTT</p>", encoding="utf-8")
    return folder


def text_of(html: str) -> str:
    """The page's visible text, tags dropped and spaces folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def tile(data: dict, indicator: str) -> dict:
    return next(t for t in data["tiles"] if t["indicator"] == indicator)


# --- access -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PAGES, "/index.json", "/units/BP.DONG_PHU", "/datasets/dvc_rates.json"])
def test_anonymous_visitors_are_sent_to_the_login_page(url: str) -> None:
    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_every_page_answers_every_persona_in_html_and_json(everyone: dict[str, Client]) -> None:
    for name, client in everyone.items():
        for url in PAGES:
            page = client.get(url)
            data = client.get(url, {"format": "json"})
            assert (name, url, page.status_code, data.status_code) == (name, url, 200, 200)
            assert page["Content-Type"].startswith("text/html") and data["Content-Type"] == "application/json"


def test_a_reporter_may_read_their_own_unit_only(dung: Client, linh: Client) -> None:
    assert dung.get("/units/BP.DONG_PHU").status_code == 200
    assert dung.get("/units/BP.LOC_NINH").status_code == 403
    assert dung.get("/units/BP.LOC_NINH.json").status_code == 403
    assert linh.get("/units/BP.DONG_PHU").status_code == 403
    assert linh.get("/units/BP.LOC_NINH").status_code == 200


def test_unknown_rounds_datasets_units_and_indicators_are_not_found(vy: Client) -> None:
    for url in ["/rounds/2021-01", "/datasets/nothing", "/units/BP.NOWHERE", "/indicators/no.such", "/?round=1999-01"]:
        assert (url, vy.get(url).status_code) == (url, 404)


# --- the dashboard ------------------------------------------------------------------------------------------


def test_the_viewer_sees_the_province_s_online_service_rate_tile_of_june(vy: Client) -> None:
    html = text_of(vy.get("/").content.decode())
    data = vy.get("/index.json").json()

    assert tile(data, "dvc.online_service_rate") == {
        "indicator": "dvc.online_service_rate",
        "name": "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến",
        "label": "Tỷ lệ DVCTT phát sinh hồ sơ",
        "kind": "percent",
        "unit": "BP",
        "unit_name": "Tỉnh Bình Phước",
        "value": 97.87,
        "value_text": "97,87%",
        "baseline": 94.5,
        "baseline_text": "94,5%",
        "change": 3.37,
        "change_text": "Tăng 3,37%",
        "trend": "better",
        "verdict": "Đạt",
        "partial": False,  # the province's own reported rate
        "coverage": None,
        "coverage_text": "",
        "target": DVC_TARGET,
        "as_of": "đến ngày 16/7/2022",
    }
    assert (
        "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến Tỉnh Bình Phước 97,87% Chỉ tiêu ≥ 80% Đạt "
        "Tăng 3,37% so với kỳ trước Số liệu đến ngày 16/7/2022"
    ) in html
    assert data["round"] == JUNE


def test_the_tiles_total_as_the_report_s_total_rows_do(vy: Client) -> None:
    data = vy.get("/index.json").json()

    assert [(t["indicator"], t["value_text"], t["change_text"], t["verdict"]) for t in data["tiles"]] == [
        ("dvc.online_service_rate", "97,87%", "Tăng 3,37%", "Đạt"),
        ("dvc.online_dossier_rate", "90,18%", "Bằng", "Đạt"),
        ("app.users", "9.630", "Tăng 7.254", ""),
        ("cnscd.commune_team_rate", "100%", "Tăng 14%", "Đạt"),
        ("office.signed_document_rate", "", "", ""),  # no province-wide figure was reported
        ("security.vulnerable_rate", "42%", "", ""),  # a first scan: nothing to compare with
    ]


def test_the_dong_phu_reporter_sees_tiles_of_dong_phu_only(dung: Client) -> None:
    data = dung.get("/index.json").json()
    html = text_of(dung.get("/").content.decode())

    assert data["scope"] == {"role": "reporter", "units": ["BP.DONG_PHU"]}
    assert {t["unit"] for t in data["tiles"]} == {"BP.DONG_PHU"}
    assert [(t["value_text"], t["change_text"], t["verdict"]) for t in data["tiles"][:2]] == [
        ("77,3%", "Giảm 6,5%", "Không đạt"),
        ("25,2%", "Tăng 5,65%", "Không đạt"),
    ]
    assert "97,87%" not in html and "Lộc Ninh" not in html


def test_the_dashboard_names_the_units_below_target_in_table_order(vy: Client, dung: Client) -> None:
    below = vy.get("/index.json").json()["below_target"]
    mine = dung.get("/index.json").json()["below_target"]

    assert below[0] == {
        "indicator": "dvc.online_service_rate",
        "name": "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến",
        "target": DVC_TARGET,
        "count": 6,
        "of": 27,
        "partial": True,  # Số 02 has no row of these two
        "coverage": {
            "reported": 27,
            "expected": 29,
            "text": "27/29 đơn vị đã báo cáo",
            "missing": [{"unit": "BP.SO_TC", "name": "Sở Tài chính"}, {"unit": "BP.SO_NGV", "name": "Sở Ngoại vụ"}],
        },
        "units": [
            {"unit": "BP.DONG_PHU", "name": "Đồng Phú", "value": 77.3, "value_text": "77,3%"},
            {"unit": "BP.CHON_THANH", "name": "Chơn Thành", "value": 72.2, "value_text": "72,2%"},
            {"unit": "BP.HON_QUAN", "name": "Hớn Quản", "value": 66.7, "value_text": "66,7%"},
            {"unit": "BP.BU_DOP", "name": "Bù Đốp", "value": 58.3, "value_text": "58,3%"},
            {"unit": "BP.BU_GIA_MAP", "name": "Bù Gia Mập", "value": 75, "value_text": "75%"},
            {"unit": "BP.LOC_NINH", "name": "Lộc Ninh", "value": 71.4, "value_text": "71,4%"},
        ],
    }
    assert [(b["indicator"], b["count"], b["of"]) for b in mine] == [
        ("dvc.online_service_rate", 1, 1),
        ("dvc.online_dossier_rate", 1, 1),
        ("cnscd.commune_team_rate", 0, 1),
    ]


def test_the_dashboard_counts_the_units_that_sent_figures(vy: Client, dung: Client) -> None:
    reporting = vy.get("/index.json").json()["reporting"]
    mine = dung.get("/index.json").json()["reporting"]
    catalogue = get_catalogue()
    units = catalogue.units
    in_june = dataset_units(catalogue.datasets["dvc_rates"].units, catalogue, round_days("2022-06"))

    assert next(r for r in reporting["datasets"] if r["dataset"] == "dvc_rates") == {
        "dataset": "dvc_rates",
        "name": "Tỷ lệ DVCTT phát sinh hồ sơ và tỷ lệ hồ sơ xử lý trực tuyến",
        "expected": 30,
        "with_figures": 28,
        "submitted": 0,
        "on_time": 0,
        "approved": 0,
        "rate": 0.0,
        "complete": False,
        "figures_text": "28/30",
        "submitted_text": "0/30",
        "missing": [{"unit": u, "name": units[u].short_name} for u in in_june],
        "without_figures": [{"unit": "BP.SO_TC", "name": "Sở Tài chính"}, {"unit": "BP.SO_NGV", "name": "Sở Ngoại vụ"}],
    }
    assert {r["dataset"]: (r["figures_text"], r["submitted_text"]) for r in mine["datasets"]} == {
        "dvc_rates": ("1/1", "0/1"),
        "app_users": ("1/1", "0/1"),
        "office_software": ("1/1", "0/1"),
        "cnscd": ("1/1", "0/1"),
        "online_payments": ("1/1", "0/1"),
    }
    assert mine["totals"] == {"expected": 5, "with_figures": 5, "submitted": 0, "on_time": 0, "approved": 0}


def test_the_dashboard_counts_data_quality_findings_with_errors_first(vy: Client, dung: Client) -> None:
    findings = vy.get("/index.json").json()["findings"]

    assert (findings["count"], findings["by_severity"]) == (19, {"error": 6, "warning": 13, "info": 0})
    assert findings["top"][0] == {
        "severity": "error",
        "severity_text": "Lỗi",
        "check": "printed_differs",
        "check_text": "Số đã in khác số tính lại",
        "dataset": "portal",
        "dataset_name": "Cổng Thông tin điện tử tỉnh",
        "unit": "BP",
        "unit_name": "Bình Phước",
        "indicator": "portal.visits",
        "indicator_name": "Tổng số lượt truy cập Cổng TTĐT tỉnh trong tháng",
        "category": "",
        "category_text": "",
        "subject": "Bình Phước · Tổng số lượt truy cập Cổng TTĐT tỉnh trong tháng",
        "figures": "in: Tăng 23,6%; tính lại: Tăng 23,66%",
        "message": "báo cáo đã in «Tăng 23,6%» (từ 01/6/2022 đến 30/6/2022), "
        "số tính lại từ số liệu gốc là «Tăng 23,66%»",
    }
    assert [f["severity"] for f in findings["top"]] == ["error"] * 5
    assert dung.get("/index.json").json()["findings"]["count"] == 0


def test_the_dashboard_links_the_round_s_report_files(vy: Client) -> None:
    data = vy.get("/index.json").json()
    html = vy.get("/").content.decode()

    assert data["report_files"] == [
        {"name": "bao-cao-2022-06.docx", "format": "DOCX", "url": "/reports/bao-cao-2022-06.docx"},
        {"name": "bao-cao-2022-06.html", "format": "HTML", "url": "/reports/bao-cao-2022-06.html"},
    ]
    assert 'href="/reports/bao-cao-2022-06.docx"' in html and 'href="/reports/bao-cao-2022-06.html"' in html
    assert vy.get("/rounds/2022-05.json").json()["report_files"] == []


def test_the_dashboard_draws_its_charts_inline_without_scripts(vy: Client) -> None:
    html = vy.get("/").content.decode()

    assert html.count("<svg") == 4  # three rates by unit against their targets, one trend
    assert "<script" not in html and "cdn" not in html.lower()
    assert "Chỉ tiêu ≥ 80%" in html and "tháng 5/2022" in html


def test_the_first_round_has_no_baseline_and_no_change(vy: Client) -> None:
    data = vy.get("/rounds/2022-05.json").json()

    assert data["round"]["baseline"] is None
    assert tile(data, "dvc.online_service_rate") | {"target": None} == {
        "indicator": "dvc.online_service_rate",
        "name": "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến",
        "label": "Tỷ lệ DVCTT phát sinh hồ sơ",
        "kind": "percent",
        "unit": "BP",
        "unit_name": "Tỉnh Bình Phước",
        "value": 94.5,
        "value_text": "94,5%",
        "baseline": None,
        "baseline_text": "",
        "change": None,
        "change_text": "",
        "trend": "",
        "verdict": "Đạt",
        "partial": False,
        "coverage": None,
        "coverage_text": "",
        "target": None,
        "as_of": "đến ngày 16/6/2022",
    }


def test_the_round_can_be_chosen_by_address_or_by_parameter(vy: Client) -> None:
    by_address = vy.get("/rounds/2022-05.json").json()
    by_parameter = vy.get("/", {"round": "2022-05", "format": "json"}).json()

    assert by_address == by_parameter
    assert by_address["rounds"] == [
        {"code": "2022-06", "name": "tháng 6/2022"},
        {"code": "2022-05", "name": "tháng 5/2022"},
    ]


# --- datasets -----------------------------------------------------------------------------------------------


def test_the_viewer_sees_every_row_of_the_dvc_table_and_its_total(vy: Client) -> None:
    data = vy.get("/datasets/dvc_rates.json").json()
    html = text_of(vy.get("/datasets/dvc_rates").content.decode())

    assert len(data["rows"]) == 27
    assert next(r for r in data["rows"] if r["unit"] == "BP.DONG_PHU") == DONG_PHU_DVC_ROW
    assert [c["value_text"] for c in data["total"]["cells"]] == ["97,87%", "90,18%"]
    assert "18 Huyện Đồng Phú 77,3% Giảm 6,5% Không đạt 25,2% Tăng 5,65% Không đạt" in html
    assert "Tổng 97,87% Tăng 3,37% Đạt 90,18% Bằng Đạt" in html


def test_the_dong_phu_reporter_sees_only_the_dong_phu_row(dung: Client) -> None:
    data = dung.get("/datasets/dvc_rates.json").json()
    html = text_of(dung.get("/datasets/dvc_rates").content.decode())

    assert data["rows"] == [DONG_PHU_DVC_ROW]
    assert data["total"] is None
    assert "Lộc Ninh" not in html and "97,87%" not in html


def test_the_dataset_table_filters_units_ignoring_case_and_diacritics(vy: Client) -> None:
    rows = vy.get("/datasets/dvc_rates.json", {"q": "DONG"}).json()["rows"]

    assert [r["short_name"] for r in rows] == ["Sở LĐ-TB&XH", "Đồng Xoài", "Đồng Phú"]


def test_the_dataset_table_sorts_by_a_column_blanks_last(vy: Client) -> None:
    def order(sort: str) -> list[tuple[str, str]]:
        rows = vy.get("/datasets/dvc_rates.json", {"sort": sort}).json()["rows"]
        return [(r["short_name"], r["cells"][0]["change_text"]) for r in rows]

    falling = order("-dvc.online_service_rate:change")
    rising = order("dvc.online_service_rate:change")

    assert falling[:2] == [("Chơn Thành", "Tăng 17,4%"), ("Sở TT&TT", "Tăng 14,3%")]
    assert falling[-2:] == [("Phước Long", "Giảm 20%"), ("Công an tỉnh", "")]  # no figure last month
    assert rising[:2] == [("Phước Long", "Giảm 20%"), ("Bù Gia Mập", "Giảm 10,7%")]
    assert [n for n, _ in order("unit")][:3] == ["Ban Quản lý KKT", "Bình Long", "Bù Đăng"]


def test_the_dataset_headers_sort_by_clicking(vy: Client) -> None:
    html = vy.get("/datasets/dvc_rates", {"sort": "dvc.online_service_rate"}).content.decode()

    assert 'href="?sort=-dvc.online_service_rate"' in html  # clicking again reverses
    assert 'href="?sort=dvc.online_dossier_rate%3Achange"' in html


def test_a_first_round_table_has_no_change_columns(vy: Client) -> None:
    data = vy.get("/datasets/dvc_rates.json", {"round": "2022-05"}).json()

    assert [c["has_change"] for c in data["columns"]] == [False, False]
    assert "Thay đổi" not in vy.get("/datasets/dvc_rates", {"round": "2022-05"}).content.decode()


def test_the_dataset_list_counts_the_units_each_persona_sees(vy: Client, dung: Client) -> None:
    everything = {d["code"]: d["units"] for d in vy.get("/datasets.json").json()["datasets"]}
    mine = {d["code"]: d["units"] for d in dung.get("/datasets.json").json()["datasets"]}

    assert (everything["dvc_rates"], everything["security_scan"]) == (30, 36)
    assert (mine["dvc_rates"], mine["security_scan"], mine["portal"]) == (1, 0, 0)


# --- units --------------------------------------------------------------------------------------------------


def test_the_unit_page_shows_every_indicator_across_rounds(vy: Client) -> None:
    data = vy.get("/units/BP.DONG_PHU.json").json()
    html = vy.get("/units/BP.DONG_PHU").content.decode()

    assert data["rounds"] == [{"code": "2022-05", "name": "tháng 5/2022"}, {"code": "2022-06", "name": "tháng 6/2022"}]
    assert data["rows"][0] == {
        "indicator": "dvc.online_service_rate",
        "category": "",
        "name": "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến",
        "kind": "percent",
        "cells": [
            {
                "round": "2022-05",
                "value": 83.8,
                "value_text": "83,8%",
                "baseline": None,
                "baseline_text": "",
                "change": None,
                "change_text": "",
                "trend": "",
                "verdict": "Đạt",
                "as_of": "đến ngày 16/6/2022",
            },
            {
                "round": "2022-06",
                "value": 77.3,
                "value_text": "77,3%",
                "baseline": 83.8,
                "baseline_text": "83,8%",
                "change": -6.5,
                "change_text": "Giảm 6,5%",
                "trend": "worse",
                "verdict": "Không đạt",
                "as_of": "đến ngày 16/7/2022",
            },
        ],
    }
    assert "cnscd.commune_team_rate" in [r["indicator"] for r in data["rows"]]  # derived figures too
    assert data["unit"]["parent"] == {"code": "BP", "name": "Tỉnh Bình Phước"}
    assert html.count("<svg") == 1


def test_the_units_list_groups_units_by_kind_within_scope(vy: Client, dung: Client) -> None:
    groups = vy.get("/units.json").json()["groups"]
    mine = dung.get("/units.json").json()["groups"]

    assert [g["label"] for g in groups][:3] == ["Tỉnh", "Sở, ban, ngành", "Huyện, thị xã, thành phố"]
    assert sum(len(g["units"]) for g in groups) == Unit.objects.count()
    assert [(g["kind"], [u["code"] for u in g["units"]]) for g in mine] == [("district", ["BP.DONG_PHU"])]


# --- indicators ---------------------------------------------------------------------------------------------


def test_the_indicator_page_gives_its_definition_target_and_legal_source(vy: Client) -> None:
    data = vy.get("/indicators/dvc.online_service_rate.json").json()
    html = text_of(vy.get("/indicators/dvc.online_service_rate").content.decode())

    assert data["indicator"] == {
        "code": "dvc.online_service_rate",
        "name": "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến",
        "label": "Tỷ lệ DVCTT phát sinh hồ sơ",
        "description": "Tỷ lệ dịch vụ công trực tuyến có phát sinh ít nhất một hồ sơ nộp trực tuyến, "
        "tính đến ngày số liệu.",
        "kind": "percent",
        "kind_label": "Tỷ lệ (%)",
        "direction": "higher",
        "direction_label": "Càng cao càng tốt",
        "decimals": 2,
        "cumulative": False,
        "derived": None,
        "disaggregation": [],
        "targets": [DVC_TARGET | {"valid_from": None, "valid_to": None, "valid_from_text": "", "valid_to_text": ""}],
        "datasets": [{"code": "dvc_rates", "name": "Tỷ lệ DVCTT phát sinh hồ sơ và tỷ lệ hồ sơ xử lý trực tuyến"}],
    }
    assert "≥ 80% Quyết định số 27/QĐ-UBQGCĐS ngày 15/3/2022" in html


def test_the_indicator_page_lists_every_unit_with_verdicts_and_draws_three_charts(vy: Client) -> None:
    data = vy.get("/indicators/dvc.online_service_rate.json").json()
    html = vy.get("/indicators/dvc.online_service_rate").content.decode()

    assert len(data["rows"]) == 27
    assert next(r for r in data["rows"] if r["unit"] == "BP.DONG_PHU")["cells"] == DONG_PHU_DVC_ROW["cells"][:1]
    assert data["total"]["cells"][0]["value_text"] == "97,87%"
    assert html.count("<svg") == 3 and "Tổng toàn tỉnh qua các kỳ" in html
    assert "Toàn tỉnh qua các ngày có số liệu trong kỳ" in html  # the report's chart of the month's readings
    assert ">22/6<" in html and ">95,57%<" in html


def test_the_indicator_page_shows_a_reporter_their_own_figures(dung: Client) -> None:
    data = dung.get("/indicators/dvc.online_service_rate.json").json()

    assert [r["unit"] for r in data["rows"]] == ["BP.DONG_PHU"]
    assert data["total"] is None


def test_a_disaggregated_indicator_has_a_column_per_category(vy: Client) -> None:
    data = vy.get("/indicators/security.vulnerabilities.json").json()

    assert [(c["key"], c["label"]) for c in data["columns"]] == [
        ("security.vulnerabilities", "Số điểm yếu"),
        ("security.vulnerabilities[severity=nguy_hiem]", "Nguy hiểm"),
        ("security.vulnerabilities[severity=cao]", "Cao"),
        ("security.vulnerabilities[severity=trung_binh]", "Trung bình"),
        ("security.vulnerabilities[severity=thap]", "Thấp"),
    ]
    assert [c["value_text"] for c in data["total"]["cells"]] == ["1.786", "202", "288", "976", "320"]


def test_a_disaggregated_indicator_s_page_draws_the_province_s_totals_by_category(vy: Client, dung: Client) -> None:
    html = vy.get("/indicators/security.vulnerabilities").content.decode()
    reporter = dung.get("/indicators/security.vulnerabilities").content.decode()

    assert "Toàn tỉnh theo phân loại" in html  # the report's chart of vulnerabilities by severity
    assert all(f">{label}<" in html for label in ("Nguy hiểm", "Cao", "Trung bình", "Thấp", "976"))
    assert "Toàn tỉnh theo phân loại" not in reporter  # a reporter does not see the province's totals


def test_the_indicator_list_gives_kinds_and_targets(vy: Client) -> None:
    listed = {i["code"]: i for i in vy.get("/indicators.json").json()["indicators"]}

    assert listed["dvc.online_service_rate"]["targets"] == [
        DVC_TARGET | {"valid_from": None, "valid_to": None, "valid_from_text": "", "valid_to_text": ""}
    ]
    assert (listed["security.vulnerable_rate"]["kind_label"], listed["security.vulnerable_rate"]["derived"]) == (
        "Tỷ lệ (%)",
        True,
    )


# --- rounds -------------------------------------------------------------------------------------------------


def test_the_rounds_list_gives_numbers_dates_baselines_and_files(vy: Client) -> None:
    data = vy.get("/rounds.json").json()
    html = text_of(vy.get("/rounds").content.decode())

    assert [(r["code"], r["report_number"], r["report_date_text"], r["baseline"]) for r in data["rounds"]] == [
        ("2022-06", "02/BC-STTTT", "20/7/2022", {"code": "2022-05", "name": "tháng 5/2022"}),
        ("2022-05", "01/BC-STTTT", "20/6/2022", None),
    ]
    assert [f["url"] for f in data["rounds"][0]["report_files"]] == [
        "/reports/bao-cao-2022-06.docx",
        "/reports/bao-cao-2022-06.html",
    ]
    assert data["rounds"][0]["report_date_text"] == "20/7/2022"
    assert "tháng 6/2022 2022-06 Đang mở — tháng 5/2022 02/BC-STTTT 20/7/2022" in html


def test_json_by_suffix_and_by_parameter_are_the_same(vy: Client) -> None:
    for url in ["/datasets/dvc_rates", "/units/BP.DONG_PHU", "/indicators/app.users", "/rounds", "/units"]:
        assert vy.get(url + ".json").json() == vy.get(url, {"format": "json"}).json()


def test_a_reporter_is_told_why_another_unit_is_closed(dung: Client) -> None:
    page = dung.get("/units/BP.LOC_NINH")
    data = dung.get("/units/BP.LOC_NINH.json")

    assert page.status_code == data.status_code == 403
    assert "Bạn chỉ được xem số liệu của đơn vị mình" in page.content.decode()
    assert data.json() == {"error": "Bạn chỉ được xem số liệu của đơn vị mình và các đơn vị trực thuộc."}
    assert "Lộc Ninh" not in page.content.decode()


def test_the_pages_answer_in_english_too_with_english_numbers(vy: Client) -> None:
    vy.cookies["django_language"] = "en"
    page = vy.get("/")

    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()
    assert "97.87%" in page.content.decode() and "97,87%" not in page.content.decode()
