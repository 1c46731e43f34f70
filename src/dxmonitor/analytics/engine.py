"""The engines the Ibis expressions run on: DuckDB in this process by default, Spark when asked."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal

import ibis
from ibis.backends import BaseBackend

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")

# Spark as dxmonitor runs it: one time zone for the timestamps of the records (they carry none), no console bars.
SPARK_DEFAULTS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.adaptive.enabled": "true",
}


class EngineError(Exception):
    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi = vi
        self.en = en


def connect(
    engine: Engine, spark_master: str | None = None, spark_conf: Mapping[str, str] | None = None
) -> BaseBackend:
    """An Ibis backend. Spark runs in local mode unless `spark_master` (or spark-defaults.conf) names a cluster."""
    if engine == "duckdb":
        return ibis.duckdb.connect()
    if engine != "spark":
        raise EngineError(f"không có máy tính toán '{engine}'", f"no engine '{engine}'")
    return ibis.pyspark.connect(spark_session(spark_master, spark_conf))


def spark_session(master: str | None = None, conf: Mapping[str, str] | None = None) -> Any:
    """The process's SparkSession (made once): `master`, else what the Spark configuration (SPARK_CONF_DIR,
    SPARK_HOME's spark-defaults.conf, PYSPARK_SUBMIT_ARGS) says, else local mode on all cores."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineError(
            "chưa cài Spark: cài gói mở rộng `dxmonitor[spark]` (uv sync --extra spark) và Java 17",
            "Spark is not installed: install the `dxmonitor[spark]` extra (uv sync --extra spark) and Java 17",
        ) from exc
    builder = SparkSession.builder.appName("dxmonitor-dossiers")
    settings = dict(SPARK_DEFAULTS)
    configured = any(os.environ.get(name) for name in ("SPARK_CONF_DIR", "SPARK_HOME", "PYSPARK_SUBMIT_ARGS"))
    if master is None and not configured:
        master = "local[*]"
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):  # a driver on this machine alone listens on loopback only
        settings |= {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"}
    for key, value in {**settings, **(conf or {})}.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: no Java, or a cluster that does not answer
        raise EngineError(f"không khởi động được Spark: {exc}", f"Spark did not start: {exc}") from exc
    session.sparkContext.setLogLevel("ERROR")
    return session
