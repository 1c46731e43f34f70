"""Schemathesis against /api/openapi.json, in process: no request makes a server error, every answer fits the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from dxmonitor.accounts.models import ApiToken
from dxmonitor.catalogue.models import Unit
from dxmonitor.project.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_transaction() -> Iterator[None]:
    """Django closes "old" connections around every request, which would end the test's transaction on PostgreSQL;
    django.test.Client switches that off for its requests, and so must a WSGI client."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def province_key(db: None) -> str:
    """A key for the province: its scope is every unit below BP, so writes get past the scope check."""
    return ApiToken.issue("schemathesis", Unit.objects.get(code="BP"))[1]


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], database=None)
def test_the_api_answers_every_request_without_a_server_error(case: schemathesis.Case[Any], province_key: str) -> None:
    # A well-formed figure can still name a unit or an indicator the catalogue lacks, so a schema-valid request may
    # rightly be refused with 422: that is the one check that does not apply.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {province_key}"}, excluded_checks=[positive_data_acceptance]
    )
