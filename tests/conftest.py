"""Shared fixtures: the real catalogue, and a test database holding the two Bình Phước demo rounds."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from dxmonitor.catalogue.loading import Catalogue, load_catalogue
from dxmonitor.demo.loading import demo_rounds, mark_issued, open_demo_round
from dxmonitor.intake.planning import plan_files
from personas import make_personas
from writing import write_plan


@pytest.fixture
def personas(db: None) -> dict[str, User]:
    """alice the admin, bob the reporter of Đồng Phú, chi the reporter of Lộc Ninh, dung the viewer."""
    return make_personas()


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """Load the catalogue and both demo rounds once; each test's changes are rolled back."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command("init", verbosity=0)
        for demo in demo_rounds():
            plan = plan_files([demo.file], demo.code, load_catalogue())
            assert plan.ok, plan.errors
            open_demo_round(demo, plan)
            write_plan(plan, user="demo")
            mark_issued(demo)
    yield


# --- which tests reach a database --------------------------------------------------------------------------------
# `./dev test` runs the suite on SQLite, then again on PostgreSQL. A test that never reaches a database (the pure
# core, the file readers, the renderers, the Spark engine) would only repeat itself on the second pass, so with
# DXMONITOR_TESTS=database the suite keeps only the tests that do: those asking for pytest-django's database fixtures
# or the scratch database other processes share, those using a fixture of ours that opens the session's database,
# and those marked `database` by hand (a test whose subprocess reaches the database some other way).

DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "client",
    "admin_client",
    "admin_user",
    "django_user_model",
    "scratch",  # test_concurrency's database for other processes
}
OPENS_THE_DATABASE = {"django_db_blocker", "django_db_setup"}


def reaches_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") or item.get_closest_marker("database"):
        return True
    names = set(getattr(item, "fixturenames", ()))
    if names & DATABASE_FIXTURES:
        return True
    definitions = getattr(item, "_fixtureinfo").name2fixturedefs  # noqa: B009  (pytest keeps it there)
    return any(
        OPENS_THE_DATABASE & set(d.argnames) and not d.func.__module__.startswith("pytest_django")
        for name in names
        for d in definitions.get(name, ())
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("DXMONITOR_TESTS") != "database":
        return
    kept = [i for i in items if reaches_database(i)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if not reaches_database(i)])
        items[:] = kept
