"""Shared fixtures: the real catalogue, and a test database holding the two Bình Phước demo rounds."""

from __future__ import annotations

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
