"""A unit's page across the 2025 reform: its validity, the units it took over from and those that took over from it,
and their figures before and after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dxmonitor.accounts.models import Membership
from writing import import_files

pytestmark = pytest.mark.django_db


def viewer() -> Client:
    user = User.objects.create_user("vy", password="not-used-here")
    Membership.objects.create(user=user, role="viewer", unit=None)
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, code: str) -> dict[str, Any]:
    response = client.get(f"/units/{code}.json")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def test_the_new_province_shows_when_it_began_and_the_figures_of_the_one_it_took_over() -> None:
    data = page(viewer(), "DN")

    unit = data["unit"]
    assert (unit["valid_from"], unit["valid_to"]) == ("2025-07-01", None) and "2025" in unit["valid_from_text"]
    assert unit["predecessors"] == [{"code": "BP", "name": "Tỉnh Bình Phước"}]
    assert unit["formerly"] == ["Tỉnh Đồng Nai (trước 1/7/2025)"]
    assert data["rows"] == []  # no figure of Đồng Nai yet
    [before] = data["before"]
    assert before["unit"]["code"] == "BP"
    assert [r["code"] for r in before["rounds"]] == ["2022-05", "2022-06"]
    rate = next(r for r in before["rows"] if r["indicator"] == "dvc.online_service_rate")
    assert [c["value_text"] for c in rate["cells"]] == ["94,5%", "97,87%"]  # the seeds: 94,5% in June, 97,87% in July


def test_an_ended_district_names_its_successors_and_shows_their_figures_after(tmp_path: Path) -> None:
    path = tmp_path / "so_lieu.csv"
    path.write_text("unit,indicator,value,as_of,note\nDN.25210,app.users,1234,31/08/2025,\n", encoding="utf-8")
    import_files([path], "2025-08")
    client = viewer()

    data = page(client, "BP.DONG_XOAI")

    unit = data["unit"]
    assert (unit["valid_from_text"], unit["valid_to"]) == ("", "2025-06-30")  # its beginning is not recorded
    assert [s["name"] for s in unit["successors"]] == ["Phường Bình Phước", "Phường Đồng Xoài"]
    assert data["rows"] and data["before"] == []
    [after] = data["after"]  # Phường Bình Phước has no figure: only Đồng Xoài's table
    assert after["unit"] == {"code": "DN.25210", "name": "Phường Đồng Xoài"}
    assert [r["code"] for r in after["rounds"]] == ["2025-08"]
    assert [c["value_text"] for c in after["rows"][0]["cells"]] == ["1.234"]
    html = client.get("/units/BP.DONG_XOAI").content.decode()
    assert "Số liệu của Phường Đồng Xoài (đơn vị kế tục)" in html and "Hiệu lực đến" in html
    assert "Tiếp nhận từ" in client.get("/units/DN.25210").content.decode()
