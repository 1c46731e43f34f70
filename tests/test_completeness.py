"""One definition of completeness: the dashboard, the submissions page and the API count the seed rounds alike,
units not in force are not expected, and a round with 1 of 12 units in never shows a partial sum as the
province's figure on a page, in the export or in the report."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from docx import Document as Docx

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Dataset, Round
from dxmonitor.catalogue.tree import dataset_units, on
from dxmonitor.evaluation.completeness import Sent, count, expected_units
from dxmonitor.intake.completeness import is_complete, missing
from dxmonitor.reports.generate import generate
from personas import signed_in
from writing import import_files

COLUMNS = ("expected", "with_figures", "submitted", "on_time", "approved")
# The seed rounds as imported: every expected unit with figures but the departments Số 01/02 have no row of;
# nothing submitted yet (the seeds were imported, not submitted through the workflow).
SEED_COUNTS = {
    "2022-05": {
        "portal": (1, 1, 0, 0, 0),
        "dvc_overview": (1, 1, 0, 0, 0),
        "dvc_rates": (30, 29, 0, 0, 0),
        "app_users": (12, 12, 0, 0, 0),
        "hotline": (1, 1, 0, 0, 0),
        "office_software": (33, 33, 0, 0, 0),
        "network": (1, 1, 0, 0, 0),
        "cnscd": (11, 11, 0, 0, 0),
        "tax_payments": (11, 11, 0, 0, 0),
        "e_auth": (1, 1, 0, 0, 0),
        "": (102, 101, 0, 0, 0),
    },
    "2022-06": {
        "portal": (1, 1, 0, 0, 0),
        "dvc_overview": (1, 1, 0, 0, 0),
        "dvc_rates": (30, 28, 0, 0, 0),
        "app_users": (12, 12, 0, 0, 0),
        "hotline": (1, 1, 0, 0, 0),
        "office_software": (33, 33, 0, 0, 0),
        "cnscd": (11, 11, 0, 0, 0),
        "online_payments": (38, 38, 0, 0, 0),
        "e_auth": (1, 1, 0, 0, 0),
        "security_scan": (36, 36, 0, 0, 0),
        "": (164, 162, 0, 0, 0),
    },
}


def table_of(data: dict) -> dict[str, tuple[int, ...]]:
    """The count table of a page's or the API's completeness: per dataset, then "" for the round's totals."""
    rows = {d["dataset"]: tuple(d[c] for c in COLUMNS) for d in data["datasets"]}
    return rows | {"": tuple(data["totals"][c] for c in COLUMNS)}


def html_table(html: str) -> dict[str, tuple[int, ...]]:
    """The same table as the page shows it: the first number of each counted cell ("28/30" → 28)."""
    table = html[html.index('data-testid="reporting"') :]
    table = table[: table.index("</table>")]
    out = {}
    for dataset, row in re.findall(r'<tr[^>]*data-dataset="([^"]*)"[^>]*>(.*?)</tr>', table, re.S):
        cells = dict(re.findall(r'data-count="(\w+)">\s*(\d+)', row))
        out[dataset] = tuple(int(cells[c]) for c in COLUMNS)
    return out


@pytest.mark.parametrize("code", ["2022-05", "2022-06"])
def test_the_dashboard_the_submissions_page_and_the_api_count_the_seed_rounds_alike(
    code: str, personas: dict[str, User]
) -> None:
    admin = signed_in(personas["admin"])

    dashboard = admin.get(f"/rounds/{code}.json").json()["reporting"]
    status = admin.get(f"/rounds/{code}/submissions.json").json()["completeness"]
    api = admin.get(f"/api/rounds/{code}/completeness").json()

    assert table_of(dashboard) == table_of(status) == table_of(api) == SEED_COUNTS[code]
    assert html_table(admin.get(f"/rounds/{code}").content.decode()) == SEED_COUNTS[code]
    assert html_table(admin.get(f"/rounds/{code}/submissions").content.decode()) == SEED_COUNTS[code]
    assert is_complete(Round.objects.get(code=code)) is False
    assert len(missing(Round.objects.get(code=code))) == SEED_COUNTS[code][""][0]  # nothing is submitted


def test_units_not_in_force_on_the_round_s_days_are_not_expected(catalogue: Catalogue) -> None:
    units = dict(catalogue.units)
    units["BP.SO_TC"] = units["BP.SO_TC"].model_copy(update={"valid_to": date(2022, 5, 31)})  # ended in May
    units["BP.SO_NGV"] = units["BP.SO_NGV"].model_copy(update={"valid_from": date(2022, 7, 1)})  # from July
    changed = Catalogue(catalogue.indicators, catalogue.datasets, units)
    dvc = dataset_units(catalogue.datasets["dvc_rates"].units, catalogue, on(date(2022, 6, 30)))  # the 2022 members

    june = expected_units(dvc, changed, (date(2022, 6, 1), date(2022, 6, 30)))
    may = expected_units(dvc, changed, (date(2022, 5, 1), date(2022, 5, 31)))

    assert len(dvc) == 30
    assert [u for u in dvc if u not in june] == ["BP.SO_TC", "BP.SO_NGV"]
    assert [u for u in dvc if u not in may] == ["BP.SO_NGV"]
    found = count("2022-06", changed, ["dvc_rates", "security_scan"], set(), {}, None)
    assert [(d.dataset, len(d.expected)) for d in found.datasets] == [("dvc_rates", 28), ("security_scan", 36)]


def test_computed_datasets_and_groups_are_never_expected(catalogue: Catalogue) -> None:
    computed = [code for code, ds in catalogue.datasets.items() if ds.computed]
    found = count("2022-06", catalogue, [*computed, "online_payments"], set(), {}, None)

    assert computed and [d.dataset for d in found.datasets] == ["online_payments"]
    assert not any(catalogue.units[u].kind == "group" for u in found.datasets[0].expected)


def test_on_time_is_submitted_no_later_than_the_deadline(catalogue: Catalogue) -> None:
    from datetime import UTC, datetime

    deadline = datetime(2022, 7, 15, 17, tzinfo=UTC)
    sent = {
        ("app_users", "BP.DONG_XOAI"): Sent("approved", datetime(2022, 7, 10, tzinfo=UTC)),
        ("app_users", "BP.DONG_PHU"): Sent("submitted", datetime(2022, 7, 16, tzinfo=UTC)),
        ("app_users", "BP.LOC_NINH"): Sent("draft", None),
    }
    row = count("2022-06", catalogue, ["app_users"], {("app.users", "BP.LOC_NINH")}, sent, deadline).datasets[0]

    assert (row.with_figures, row.submitted, row.on_time, row.approved) == (
        ["BP.LOC_NINH"],
        ["BP.DONG_XOAI", "BP.DONG_PHU"],
        ["BP.DONG_XOAI"],
        ["BP.DONG_XOAI"],
    )
    assert (len(row.missing), row.complete) == (10, False)


# --- a round with 1 of 12 units in ------------------------------------------------------------------------------
ROUND = "2023-07"


@pytest.fixture
def one_in(db: None, tmp_path: Path) -> Round:
    """July 2023 collects app users, the online-service rates and the community teams; one district sent its app
    users (1 of 12), one its rates (no province figure), two their teams (2 of 11). June 2022 is its baseline."""
    round_ = Round.objects.create(code=ROUND, name="tháng 7/2023")
    round_.datasets.set(Dataset.objects.filter(code__in=["app_users", "dvc_rates", "cnscd"]))
    rows = [
        "don_vi,chi_tieu,gia_tri",
        "Đồng Xoài,app.users,1024",
        "Đồng Phú,dvc.online_service_rate,85",
        "Đồng Phú,dvc.online_dossier_rate,60",
        "Đồng Phú,cnscd.commune_teams,7",
        "Lộc Ninh,cnscd.commune_teams,16",
    ]
    path = tmp_path / "thang7.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_files([path], ROUND)
    return round_


def test_with_1_of_12_units_the_dashboard_shows_no_province_total(one_in: Round, personas: dict[str, User]) -> None:
    viewer = signed_in(personas["viewer"])
    data = viewer.get(f"/rounds/{ROUND}.json").json()
    html = " ".join(re.sub(r"<[^>]+>", " ", viewer.get(f"/rounds/{ROUND}").content.decode()).split())
    app = next(t for t in data["tiles"] if t["indicator"] == "app.users")

    assert {k: app[k] for k in ("unit", "unit_name", "value_text", "change", "change_text", "verdict", "partial")} == {
        "unit": "",
        "unit_name": "Cộng 1/12 đơn vị đã báo cáo",
        "value_text": "1.024",
        "change": None,  # June's 9.630 was the whole province: no change against a sum of one district
        "change_text": "",
        "verdict": "",
        "partial": True,
    }
    assert "Cộng 1/12 đơn vị đã báo cáo 1.024" in html
    assert "Tỉnh Bình Phước 1.024" not in html and "Giảm 8.606" not in html
    teams = next(t for t in data["tiles"] if t["indicator"] == "cnscd.commune_team_rate")
    assert (teams["unit_name"], teams["change"], teams["verdict"]) == ("Cộng 2/11 đơn vị đã báo cáo", None, "")
    below = next(b for b in data["below_target"] if b["indicator"] == "dvc.online_service_rate")
    assert (below["count"], below["of"], below["coverage"]["text"]) == (0, 1, "1/29 đơn vị đã báo cáo")
    assert "Đơn vị duy nhất đã báo cáo đạt chỉ tiêu." in html
    assert "1/29 đơn vị đã báo cáo" in html


def test_with_1_of_12_units_the_pages_and_the_api_count_alike(one_in: Round, personas: dict[str, User]) -> None:
    admin = signed_in(personas["admin"])
    counts = {
        "dvc_rates": (30, 1, 0, 0, 0),
        "app_users": (12, 1, 0, 0, 0),
        "cnscd": (11, 2, 0, 0, 0),
        "": (53, 4, 0, 0, 0),
    }

    assert table_of(admin.get(f"/rounds/{ROUND}.json").json()["reporting"]) == counts
    assert table_of(admin.get(f"/rounds/{ROUND}/submissions.json").json()["completeness"]) == counts
    assert table_of(admin.get(f"/api/rounds/{ROUND}/completeness").json()) == counts


def test_with_2_of_11_units_the_dataset_page_marks_its_sum_as_partial(one_in: Round, personas: dict[str, User]) -> None:
    viewer = signed_in(personas["viewer"])
    data = viewer.get(f"/datasets/cnscd.json?round={ROUND}").json()
    html = viewer.get(f"/datasets/cnscd?round={ROUND}").content.decode()
    total = data["total"]
    teams = next(c for c in total["cells"] if c["indicator"] == "cnscd.commune_teams")

    assert (total["unit"], total["unit_name"], total["partial"]) == ("", "Cộng 2/11 đơn vị đã báo cáo", True)
    assert (teams["value_text"], teams["change"], teams["partial"]) == ("23", None, True)
    assert 'data-testid="coverage">Cộng 2/11 đơn vị đã báo cáo<' in html


def test_with_1_of_12_units_the_export_holds_no_province_total_and_says_so(one_in: Round) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("export", "--round", ROUND, stdout=out, stderr=err)
    rows = out.getvalue().splitlines()

    assert [r.split(",")[3] for r in rows[1:] if ",app.users," in r] == ["BP.DONG_XOAI"]
    assert not any(",BP," in r for r in rows[1:])  # no figure of the province: nobody sent one
    assert err.getvalue().splitlines() == [
        "dvc_rates: 1/30 đơn vị đã báo cáo / 1/30 units reported; chưa có / missing: "
        + ", ".join(n for n in _dvc_missing_names()),
        "app_users: 1/12 đơn vị đã báo cáo / 1/12 units reported; chưa có / missing: Phước Long, Bình Long, "
        "Bù Gia Mập, Lộc Ninh, Bù Đốp, Hớn Quản, Đồng Phú, Bù Đăng, Chơn Thành, Phú Riềng, Không xác định",
        "cnscd: 2/11 đơn vị đã báo cáo / 2/11 units reported; chưa có / missing: Đồng Xoài, Phước Long, Bù Đăng, "
        "Bù Đốp, Bình Long, Chơn Thành, Phú Riềng, Hớn Quản, Bù Gia Mập",
    ]


def _dvc_missing_names() -> list[str]:
    from dxmonitor.catalogue.current import get_catalogue
    from dxmonitor.catalogue.rounds import round_days
    from dxmonitor.evaluation.completeness import expected_units

    catalogue = get_catalogue()
    expected = expected_units(catalogue.datasets["dvc_rates"].units, catalogue, round_days(ROUND))
    return [catalogue.units[u].short_name for u in expected if u != "BP.DONG_PHU"]


def test_with_1_of_12_units_the_report_names_the_missing_and_no_province_total(one_in: Round, tmp_path: Path) -> None:
    docx_path, html_path = generate(ROUND, ["docx", "html"], tmp_path)
    docx_text = "\n".join(
        [p.text for p in Docx(str(docx_path)).paragraphs]
        + [c.text for t in Docx(str(docx_path)).tables for row in t.rows for c in row.cells]
    )
    html_text = " ".join(re.sub(r"<[^>]+>", " ", html_path.read_text(encoding="utf-8")).split())

    for text in (docx_text, html_text):
        assert "Số liệu của 1/12 đơn vị đã báo cáo; chưa có số liệu của: Phước Long, Bình Long" in text
        assert "Số liệu của 2/11 đơn vị đã báo cáo" in text
        assert "Cộng 2/11 đơn vị đã báo cáo" in text  # the teams' total row: a sum of two districts
        assert "Tất cả 01 đơn vị" not in text and "Tỉnh Bình Phước 1.024" not in text
        assert "Cả 01 đơn vị đã báo cáo đều đạt chỉ tiêu tỷ lệ DVCTT phát sinh hồ sơ trực tuyến (≥ 80%); " in text
        assert "mới có 1/29 đơn vị đã báo cáo" in text
        assert (
            "01 đơn vị có số người sử dụng ứng dụng Bình Phước Today cao nhất (trong số 1/12 đơn vị đã báo cáo)"
        ) in text
    teams_row = next(
        [c.text for c in row.cells]
        for t in Docx(str(docx_path)).tables
        for row in t.rows
        if row.cells[0].text.startswith("Cộng 2/11")
    )
    assert "Tăng" not in " ".join(teams_row) and "Giảm" not in " ".join(teams_row) and "Đạt" not in teams_row
