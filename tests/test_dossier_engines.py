"""The same Ibis expressions on DuckDB and on Spark (local mode) give the same figures, problems and rows.

One SparkSession serves the whole test session: starting the JVM is most of the cost."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import pytest
from ibis.backends import BaseBackend

from dossier_data import DOSSIER_HEADER, JUNE, PROCEDURE_HEADER, run, write_csv
from dxmonitor.analytics.compute import Outcome, compute
from dxmonitor.analytics.engine import EngineError, connect, spark_session
from dxmonitor.analytics.generate import Plan, generate
from dxmonitor.analytics.tree import round_tree
from dxmonitor.catalogue.loading import Catalogue
from test_dossier_indicators import DOSSIERS, PROCEDURES

OPTIONAL = ["synced", "data_reused", "citizen_data"]


@pytest.fixture(scope="session")
def spark() -> Iterator[BaseBackend]:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.fail("PySpark belongs to the test set-up: `uv sync --extra spark` (./dev test installs it)")
    session = spark_session("local[2]", {"spark.sql.shuffle.partitions": "4", "spark.driver.memory": "1g"})
    yield ibis.pyspark.connect(session)
    session.stop()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> tuple[Path, list[Path]]:
    """Twenty thousand generated dossiers over 2022, and a small CSV of broken ones beside them."""
    folder = tmp_path_factory.mktemp("generated")
    procedures, dossiers = generate(catalogue, Plan(rows=20_000, seed=7), folder)
    clean = ["HS-x", "1.000000", "BP.DONG_PHU", "online", "2022-06-02 08:00", "2022-06-09 17:00", "", "processing"]
    broken = [
        [*clean[:3], "fax", *clean[4:], "true", "false", "false", "false", "", "true", "true", "false"],
        ["HS1", *clean[1:], "true", "false", "false", "false", "", "true", "true", "false"],  # HS1 is generated too
        ["HS-y", clean[1], "BP.KHONG_CO", *clean[3:], "true", "false", "false", "false", "", "true", "true", "false"],
    ]
    extra = write_csv(folder / "them.csv", [*DOSSIER_HEADER, *OPTIONAL], broken)
    return procedures, [dossiers, extra]


def run_on(con: BaseBackend, data: tuple[Path, list[Path]], catalogue: Catalogue, work: Path) -> Outcome:
    procedures, dossiers = data
    return compute(con, procedures, dossiers, round_tree(catalogue, date(2022, 6, 30)), JUNE, work)


def comparable(outcome: Outcome) -> dict[str, Any]:
    return {
        "figures": outcome.figures,
        "problems": [str(p) for p in outcome.problems],
        "rows": outcome.rows,
    }


def test_duckdb_and_spark_give_identical_figures_and_problems_on_generated_records(
    spark: BaseBackend, generated: tuple[Path, list[Path]], catalogue: Catalogue, tmp_path: Path
) -> None:
    on_duckdb = run_on(connect("duckdb"), generated, catalogue, tmp_path / "duckdb")
    on_spark = run_on(spark, generated, catalogue, tmp_path / "spark")
    assert len(on_duckdb.figures) > 300  # every unit of the tree that received dossiers, with every figure
    assert [b.kind for b in on_duckdb.bad] == ["unreadable_value", "duplicated_dossier_id", "unknown_unit"]
    assert comparable(on_spark) == comparable(on_duckdb)


def test_spark_gives_the_hand_worked_answers_too(spark: BaseBackend, catalogue: Catalogue, tmp_path: Path) -> None:
    on_duckdb = run(tmp_path, PROCEDURES, DOSSIERS)
    procs = write_csv(tmp_path / "p.csv", PROCEDURE_HEADER, PROCEDURES)
    doss = write_csv(tmp_path / "d.csv", DOSSIER_HEADER, DOSSIERS)
    on_spark = compute(spark, procs, [doss], round_tree(catalogue, date(2022, 6, 30)), JUNE, tmp_path / "spark")
    assert on_spark.figures == on_duckdb.figures != []


def test_without_pyspark_the_spark_engine_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(EngineError) as raised:
        connect("spark")
    assert "dxmonitor[spark]" in raised.value.vi and "dxmonitor[spark]" in raised.value.en
