"""A write names a figure, not a row: without an as-of day it corrects the figure the round shows, with the old one
kept in the history; a dated figure is added only when the writer gives a day that differs."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from dxmonitor.accounts.models import ApiToken
from dxmonitor.catalogue.models import Unit
from dxmonitor.intake.models import Value, ValueChange
from dxmonitor.reports.generate import generate
from personas import signed_in
from writing import import_files

pytestmark = pytest.mark.django_db

KEY = ("dvc.online_dossier_rate", "BP.DONG_PHU")


def post_values(body: object, query: str = "") -> Any:
    key = ApiToken.issue("dong-phu-portal", Unit.objects.get(code="BP.DONG_PHU"))[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client.post(f"/api/rounds/2022-06/values{query}", json.dumps(body), content_type="application/json")


def stored() -> list[tuple[str, Decimal, str]]:
    rows = Value.objects.filter(round__code="2022-06", indicator__code=KEY[0], unit__code=KEY[1])
    return sorted(rows.values_list("window", "value", "source"))


def export_row() -> dict[str, str]:
    out = StringIO()
    call_command("export", "--round", "2022-06", "--format", "csv", stdout=out)
    rows = [r for r in csv.DictReader(StringIO(out.getvalue())) if (r["indicator"], r["unit_code"]) == KEY]
    assert len(rows) == 1, rows
    return rows[0]


def test_an_api_write_without_as_of_corrects_the_figure_the_round_shows(
    personas: dict[str, User], tmp_path: Path
) -> None:
    assert stored() == [("2022-07-16", Decimal("25.2"), "file")]
    response = post_values([{"unit": "BP.DONG_PHU", "indicator": KEY[0], "value": "31,4%"}])
    assert response.status_code == 200, response.content
    assert [(i["as_of"], i["status"], i["old_value"], i["new_value"]) for i in response.json()["items"]] == [
        ("2022-07-16", "changed", "25.2", "31.4")
    ]
    # one figure, corrected in place: no second one beside it
    assert stored() == [("2022-07-16", Decimal("31.4"), "api")]
    history = ValueChange.objects.filter(round__code="2022-06", indicator__code=KEY[0], unit__code=KEY[1])
    assert list(history.order_by("pk").values_list("window", "old_value", "new_value", "source")) == [
        ("2022-07-16", None, Decimal("25.2"), "file"),
        ("2022-07-16", Decimal("25.2"), Decimal("31.4"), "api"),
    ]
    # the export, the page and the report show the corrected figure
    row = export_row()
    shown = (row["value"], row["as_of"], row["baseline_value"], row["change"])
    assert shown == ("31.4", "2022-07-16", "19.55", "11.85")
    page = signed_in(personas["admin"]).get("/datasets/dvc_rates.json").json()
    cells = [c for r in page["rows"] if r["unit"] == KEY[1] for c in r["cells"] if c["indicator"] == KEY[0]]
    assert [(c["value_text"], c["change_text"]) for c in cells] == [("31,4%", "Tăng 11,85%")]
    (html,) = generate("2022-06", ["html"], tmp_path)
    text = html.read_text(encoding="utf-8")
    assert "31,4%" in text and "25,2%" not in text


def test_a_write_that_gives_another_day_adds_a_dated_figure() -> None:
    response = post_values([{"unit": "BP.DONG_PHU", "indicator": KEY[0], "value": "30", "as_of": "10/07/2022"}])
    assert response.status_code == 200, response.content
    assert stored() == [("2022-07-10", Decimal(30), "api"), ("2022-07-16", Decimal("25.2"), "file")]


def test_a_write_that_gives_the_shown_day_corrects_the_figure() -> None:
    response = post_values([{"unit": "BP.DONG_PHU", "indicator": KEY[0], "value": "30", "as_of": "16/07/2022"}])
    assert response.status_code == 200, response.content
    assert stored() == [("2022-07-16", Decimal(30), "api")]


def test_a_figure_the_round_does_not_hold_yet_takes_the_rounds_last_day() -> None:
    response = post_values([{"unit": "BP.DONG_PHU", "indicator": "dvc.procedures", "value": 1767}])
    assert [(i["as_of"], i["status"]) for i in response.json()["items"]] == [("2022-06-30", "new")]


def test_a_file_row_without_as_of_corrects_the_shown_figure(tmp_path: Path) -> None:
    path = tmp_path / "dong-phu.csv"
    path.write_text('don_vi,chi_tieu,gia_tri,ngay_so_lieu\nĐồng Phú,dvc.online_dossier_rate,"27,5%",\n')
    summary = import_files([path], "2022-06")
    assert (len(summary.new), len(summary.changed)) == (0, 1)
    assert stored() == [("2022-07-16", Decimal("27.5"), "file")]


def test_a_dry_run_without_as_of_says_which_figure_it_would_change() -> None:
    response = post_values([{"unit": "BP.DONG_PHU", "indicator": KEY[0], "value": "25,2"}], "?dry_run=true")
    body = response.json()
    assert (body["new"], body["changed"], body["unchanged"]) == (0, 0, 1)
    assert stored() == [("2022-07-16", Decimal("25.2"), "file")]
