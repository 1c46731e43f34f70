"""Many rows written at once — COPY on PostgreSQL, one prepared INSERT run for every row on SQLite — read back as
the rows Django's own `save` writes. The suite runs on both engines, so each path is tested on its own."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dxmonitor.catalogue.models import Indicator, Round, Unit
from dxmonitor.intake.bulk import insert_rows, update_rows
from dxmonitor.intake.models import Value
from dxmonitor.intake.store import VALUE_COLUMNS

pytestmark = pytest.mark.django_db

FIGURES = [  # indicator, unit, category, window, value, source_ref, note
    ("dvc.procedures", "BP", "", "2023-01-31", Decimal("1767"), "a.xlsx!Số liệu:2", "theo Cổng DVC"),
    ("dvc.online_service_rate", "BP.SO_TP", "", "2023-01-16", Decimal("87.5"), "a.xlsx!Số liệu:3", ""),
    ("security.vulnerabilities", "BP.TU", "severity=cao", "2023-01-01/2023-01-16", Decimal("0.000001"), "b.csv:9", ""),
    ("payment.tax_amount", "BP.LOC_NINH", "", "2023-01-31", Decimal("41250000.5"), "b.csv:10", "tab\tand 'quote'"),
]


def read_back(round_: Round) -> list[dict[str, Any]]:
    fields = ["indicator__code", "unit__code", "category", "window", "value", "source", "source_ref", "note"]
    return list(Value.objects.filter(round=round_).order_by("id").values(*fields, "updated_by", "updated_at"))


def test_inserted_rows_read_back_as_the_rows_django_saves() -> None:
    by_orm, by_bulk = Round.objects.create(code="2030-01", name="a"), Round.objects.create(code="2030-02", name="b")
    indicators = dict(Indicator.objects.values_list("code", "id"))
    units = dict(Unit.objects.values_list("code", "id"))
    for indicator, unit, category, window, value, ref, note in FIGURES:
        Value.objects.create(
            round=by_orm,
            indicator_id=indicators[indicator],
            unit_id=units[unit],
            category=category,
            window=window,
            value=value,
            source="file",
            source_ref=ref,
            note=note,
            updated_by="alice",
        )
    now = timezone.now()
    rows = [
        [by_bulk.pk, indicators[i], units[u], c, w, v, "file", ref, note, "alice", now]
        for i, u, c, w, v, ref, note in FIGURES
    ]
    insert_rows(Value, VALUE_COLUMNS, rows, distinct={"source_ref"})
    saved, written = read_back(by_orm), read_back(by_bulk)
    assert [w.pop("updated_at") for w in written] == [now] * len(FIGURES)
    assert written == [{k: v for k, v in s.items() if k != "updated_at"} for s in saved]


def test_updated_rows_change_only_the_columns_named() -> None:
    round_ = Round.objects.get(code="2022-06")
    first = Value.objects.filter(round=round_).order_by("id").first()
    assert first is not None
    before = read_back(round_)
    now = timezone.now()
    update_rows(Value, ["value", "source_ref", "updated_at"], [[first.pk, Decimal("12.25"), "c.csv:2", now]])
    after = read_back(round_)
    expected = dict(before[0], value=Decimal("12.25"), source_ref="c.csv:2", updated_at=now)
    assert (after[0], after[1:]) == (expected, before[1:])


def test_the_rows_go_in_one_copy_on_postgresql_and_one_statement_elsewhere() -> None:
    round_ = Round.objects.create(code="2030-03", name="c")
    indicator, unit = Indicator.objects.get(code="dvc.procedures").pk, Unit.objects.get(code="BP").pk
    rows = [
        [round_.pk, indicator, unit, "", f"2030-03-{d:02d}", Decimal(d), "api", "", "", "", timezone.now()]
        for d in (1, 2)
    ]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(Value, VALUE_COLUMNS, rows)
    logged = [q["sql"] for q in queries.captured_queries]
    if connection.vendor == "postgresql":
        assert logged == []  # COPY goes to the driver directly, past Django's query log
    else:
        assert len(logged) == 1 and logged[0].startswith('? times: INSERT INTO "intake_value"')  # rows as made
    assert Value.objects.filter(round=round_).count() == 2
