"""Pages keep what they computed between requests, and every kind of write makes them compute again.

The shared personas, signed in: vy the viewer, dung the reporter of Đồng Phú, linh the reporter of Lộc Ninh."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from dxmonitor.accounts.models import ApiToken
from dxmonitor.catalogue.models import Round, Unit
from dxmonitor.intake import revision
from dxmonitor.intake.models import Value
from personas import signed_in
from writing import import_files

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/index.json",
    "/?round=2022-05",
    "/datasets/dvc_rates",
    "/datasets/dvc_rates.json?sort=-dvc.online_service_rate",
    "/indicators/app.users",
    "/units/BP.DONG_PHU",
]


@pytest.fixture
def vy(personas: dict[str, User]) -> Client:
    return signed_in(personas["viewer"])


@pytest.fixture
def dung(personas: dict[str, User]) -> Client:
    return signed_in(personas["dong_phu"])


@pytest.fixture
def linh(personas: dict[str, User]) -> Client:
    return signed_in(personas["loc_ninh"])


def figures_read(client: Client, url: str) -> int:
    """How many queries of stored values the page made."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum('"intake_value"' in q["sql"] for q in queries.captured_queries)


def app_users_tile(client: Client) -> object:
    tiles = client.get("/index.json").json()["tiles"]
    return next(t["value"] for t in tiles if t["indicator"] == "app.users")


@pytest.mark.parametrize("url", PAGES)
def test_a_page_seen_again_reads_no_figures(vy: Client, url: str) -> None:
    cache.clear()

    assert figures_read(vy, url) > 0
    assert figures_read(vy, url) == 0


def test_a_page_seen_again_is_the_same_page(vy: Client) -> None:
    cache.clear()
    first = vy.get("/index.json").json()

    assert vy.get("/index.json").json() == first


def test_an_import_shows_at_the_next_view(dung: Client, tmp_path: Path) -> None:
    assert app_users_tile(dung) == 611
    path = tmp_path / "app.csv"
    path.write_text("don_vi,chi_tieu,gia_tri,ngay_so_lieu\nĐồng Phú,app.users,720,19/07/2022\n", encoding="utf-8")

    import_files([path], "2022-06")

    assert app_users_tile(dung) == 720


def test_a_single_save_like_the_admin_s_shows_at_the_next_view(dung: Client) -> None:
    assert app_users_tile(dung) == 611
    value = Value.objects.get(round__code="2022-06", unit__code="BP.DONG_PHU", indicator__code="app.users")

    value.value = Decimal(700)
    value.save()

    assert app_users_tile(dung) == 700


def test_the_dashboard_s_kept_html_changes_with_its_figures(dung: Client) -> None:
    before = dung.get("/").content.decode()
    value = Value.objects.get(round__code="2022-06", unit__code="BP.DONG_PHU", indicator__code="app.users")

    value.value = Decimal(700)
    value.save()
    after = dung.get("/").content.decode()

    assert ('<div class="value">611</div>' in before, '<div class="value">611</div>' in after) == (True, False)
    assert '<div class="value">700</div>' in after


def test_a_deleted_value_is_gone_at_the_next_view(dung: Client) -> None:
    assert app_users_tile(dung) == 611

    Value.objects.get(round__code="2022-06", unit__code="BP.DONG_PHU", indicator__code="app.users").delete()

    assert app_users_tile(dung) is None


def test_a_round_s_new_report_number_shows_at_the_next_view(vy: Client) -> None:
    assert vy.get("/index.json").json()["round"]["report_number"] == "02/BC-STTTT"
    round_ = Round.objects.get(code="2022-06")

    round_.report_number = "03/BC-STTTT"
    round_.save()

    assert vy.get("/index.json").json()["round"]["report_number"] == "03/BC-STTTT"


def test_readers_of_different_units_do_not_share_pages(dung: Client, linh: Client, vy: Client) -> None:
    units = {
        name: {t["unit"] for t in client.get("/index.json").json()["tiles"]}
        for name, client in [("dung", dung), ("linh", linh), ("vy", vy)]
    }

    assert units == {"dung": {"BP.DONG_PHU"}, "linh": {"BP.LOC_NINH"}, "vy": {"BP"}}


def test_each_language_keeps_its_own_page(vy: Client) -> None:
    vietnamese = vy.get("/").content.decode()
    vy.cookies["django_language"] = "en"
    english = vy.get("/").content.decode()

    assert "Các tỷ lệ chính qua các kỳ" in vietnamese
    assert "Key rates across rounds" in english


def test_a_write_gives_the_data_a_new_token_and_a_rollback_brings_the_old_one_back() -> None:
    before = revision.current()
    revision.bump()
    after = revision.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        revision.bump()
        assert revision.current() != after
        raise RuntimeError("the write fails")

    assert after != before
    assert revision.current() == after


def test_a_bulk_write_changes_the_token_once(tmp_path: Path) -> None:
    path = tmp_path / "app.csv"
    path.write_text(
        "don_vi,chi_tieu,gia_tri,ngay_so_lieu\nĐồng Phú,app.users,720,19/07/2022\nLộc Ninh,app.users,1300,19/07/2022\n",
        encoding="utf-8",
    )
    with CaptureQueriesContext(connection) as queries:
        import_files([path], "2022-06")

    assert sum('UPDATE "intake_revision"' in q["sql"] for q in queries.captured_queries) == 1


def test_an_admin_and_a_viewer_each_get_a_page_of_their_own_role(personas: dict[str, User], vy: Client) -> None:
    ana = signed_in(personas["admin"])

    assert (vy.get("/index.json").json()["scope"], ana.get("/index.json").json()["scope"]) == (
        {"role": "viewer", "units": None},
        {"role": "admin", "units": None},
    )


def test_the_api_s_values_read_again_read_no_figures_and_a_write_shows_at_once() -> None:
    cache.clear()
    key = ApiToken.issue("dong-phu-portal", Unit.objects.get(code="BP.DONG_PHU"))[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = "/api/rounds/2022-06/values?indicator=app.users"

    def app_users() -> list[object]:
        return [v["value"] for v in client.get(url).json()["items"]]

    assert figures_read(client, url) > 0
    assert figures_read(client, url) == 0
    assert app_users() == ["611"]
    body = [{"unit": "BP.DONG_PHU", "indicator": "app.users", "value": 720, "as_of": "19/07/2022"}]
    answer = client.post("/api/rounds/2022-06/values", json.dumps(body), content_type="application/json")
    assert answer.status_code == 200
    assert app_users() == ["720"]


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings: Settings) -> Iterator[None]:
    """The shared cache of a real deployment, under a prefix of this test's own, removed afterwards."""
    import redis

    prefix = f"dxmonitor-test-{uuid.uuid4().hex}"
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}
    yield
    server = redis.Redis.from_url(REDIS_URL)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


@pytest.mark.skipif(not redis_answers(REDIS_URL), reason=f"no Redis answers at {REDIS_URL}")
def test_with_redis_every_server_process_shares_the_kept_pages(redis_cache: None, dung: Client) -> None:
    assert figures_read(dung, "/") > 0
    assert figures_read(dung, "/") == 0
    value = Value.objects.get(round__code="2022-06", unit__code="BP.DONG_PHU", indicator__code="app.users")
    value.value = Decimal(700)
    value.save()

    assert app_users_tile(dung) == 700
