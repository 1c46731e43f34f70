"""Dossier indicators on 10 million generated records: the Ibis computation on DuckDB beside one hand-written DuckDB
SQL query, pandas, and the same Ibis computation on Spark in local mode; time and peak memory, side by side.

    .venv/bin/python benchmarks/dossiers.py [--rows 10000000] [--data var/bench-dossiers] [--no-spark]

The records are generated once into `--data` (`dxmonitor dossiers generate`, kept for later runs), then read once
into canonical Parquet (the reading stage every engine shares: `analytics/reading.py`, measured on its own). Each
variant is a fresh process that reads that Parquet and counts June 2022 by unit, procedure and kind of problem;
the counts become the figures the same way for all (`figures.py`), and the run checks that every variant's figures
are identical. Time is the computation alone (imports and the SparkSession's start are given apart); peak memory
is the largest resident size of the process and all its children (the JVM for Spark), sampled every 20 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxmonitor.project.settings")

VARIANTS = {
    "prepare": "reading stage: CSV/Parquet → canonical Parquet (shared by every engine)",
    "ibis-duckdb": "Ibis on DuckDB (dxmonitor's default)",
    "sql-duckdb": "one hand-written DuckDB SQL query",
    "pandas": "pandas",
    "ibis-spark": "Ibis on PySpark, local mode (local[*])",
}
MONTH = date(2022, 6, 1)


# --- the children -------------------------------------------------------------------------------------------------
def _setup() -> tuple[Any, dict[str, str | None], Any]:
    from dxmonitor.analytics.compute import Period
    from dxmonitor.analytics.tree import round_tree
    from dxmonitor.catalogue.loading import load_catalogue

    catalogue = load_catalogue()
    return catalogue, round_tree(catalogue, date(2022, 6, 30)), Period.of_month(MONTH)


def _present(path: Path) -> set[str]:
    import pyarrow.parquet as pq

    return {n for n in pq.ParquetFile(path).schema_arrow.names if not n.startswith("_")}


def _digest(dossier_rows: list[dict[str, Any]], procedure_rows: list[dict[str, Any]], present: set[str]) -> str:
    from dxmonitor.analytics.figures import all_figures, unit_counts

    _, tree, _ = _setup()
    figures = all_figures(unit_counts(dossier_rows, procedure_rows), tree, present)
    text = "\n".join(f"{f.indicator} {f.unit} {f.value} {f.note}" for f in figures)
    return f"{len(figures)} figures, sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}"


def child_prepare(data: Path, work: Path) -> dict[str, Any]:
    from dxmonitor.analytics.columns import DOSSIERS, PROCEDURES
    from dxmonitor.analytics.mapping import TableMapping
    from dxmonitor.analytics.reading import prepare

    started = time.perf_counter()
    procs = prepare(PROCEDURES, [data / "procedures.parquet"], TableMapping(), work / "canonical-procedures.parquet")
    doss = prepare(DOSSIERS, [data / "dossiers.parquet"], TableMapping(), work / "canonical-dossiers.parquet")
    assert not procs.problems and not doss.problems
    return {"seconds": time.perf_counter() - started, "digest": f"{doss.rows} dossiers"}


def child_ibis(work: Path, engine: str) -> dict[str, Any]:
    from dxmonitor.analytics.compute import count
    from dxmonitor.analytics.engine import connect

    _, tree, period = _setup()
    started = time.perf_counter()
    conf = {"spark.driver.memory": "6g", "spark.sql.shuffle.partitions": "16"}
    con = connect(engine, spark_conf=conf)  # type: ignore[arg-type]
    ready = time.perf_counter()
    procs, doss = work / "canonical-procedures.parquet", work / "canonical-dossiers.parquet"
    present = _present(procs) | _present(doss)
    counted = count(con, procs, doss, list(tree), period, present)
    seconds = time.perf_counter() - ready
    return {
        "seconds": seconds,
        "start": ready - started,
        "digest": _digest(counted.dossiers, counted.procedures, present),
    }


SQL_PROCEDURES = """
WITH p AS (
  SELECT *, row_number() OVER (PARTITION BY procedure_code, unit_code ORDER BY _file, _row) - 1 AS copy
  FROM read_parquet($procs)
), c AS (
  SELECT *, CASE WHEN _issue IS NOT NULL THEN _issue WHEN copy > 0 THEN 'duplicated_procedure'
                 WHEN NOT list_contains($units, unit_code) THEN 'unknown_unit' END AS issue
  FROM p
)
SELECT unit_code, issue AS _issue, count(_row) AS records,
  count_if(issue IS NULL) AS procedures,
  count_if(issue IS NULL AND online_level IN ('full', 'partial')) AS online_capable,
  count_if(issue IS NULL AND has_fee) AS with_fee,
  count_if(issue IS NULL AND published_on_time) AS published_on_time,
  count_if(issue IS NULL AND updated_on_time) AS updated_on_time,
  count_if(issue IS NULL AND content_complete) AS content_complete
FROM c GROUP BY ALL
"""

SQL_DOSSIERS = """
WITH p AS (
  SELECT procedure_code, unit_code, online_level, has_fee,
         row_number() OVER (PARTITION BY procedure_code, unit_code ORDER BY _file, _row) - 1 AS copy, _issue
  FROM read_parquet($procs)
), known AS (
  SELECT procedure_code, unit_code, online_level, has_fee FROM p
  WHERE _issue IS NULL AND copy = 0 AND list_contains($units, unit_code)
), d AS (
  SELECT *, row_number() OVER (PARTITION BY dossier_id ORDER BY _file, _row) - 1 AS copy FROM read_parquet($doss)
), c AS (
  SELECT d.*, k.online_level, k.has_fee,
    CASE WHEN d._issue IS NOT NULL THEN d._issue
         WHEN d.copy > 0 THEN 'duplicated_dossier_id'
         WHEN NOT list_contains($units, d.unit_code) THEN 'unknown_unit'
         WHEN k.procedure_code IS NULL THEN 'unknown_procedure'
         WHEN d.completed_at < d.received_at THEN 'completed_before_received'
         WHEN d.due_at < d.received_at THEN 'due_before_received'
         WHEN (d.status = 'completed' AND d.completed_at IS NULL)
           OR (d.status = 'processing' AND d.completed_at IS NOT NULL) THEN 'status_mismatch'
    END AS issue
  FROM d LEFT JOIN known k ON d.procedure_code = k.procedure_code AND d.unit_code = k.unit_code
), f AS (
  SELECT *,
    ok AND received_at >= $start AND received_at < $end AS received,
    ok AND received_at < $end AND (completed_at IS NULL OR completed_at >= $start) AS handled,
    ok AND completed_at >= $start AND completed_at < $end AS completed
  FROM (SELECT *, issue IS NULL AND status <> 'withdrawn' AS ok FROM c)
), g AS (
  SELECT *,
    completed AND due_at IS NOT NULL AND completed_at > due_at AS late_done,
    handled AND (completed_at IS NULL OR completed_at >= $end) AND due_at IS NOT NULL AND due_at < $end AS late_open
  FROM f
)
SELECT unit_code, procedure_code, online_level, issue AS _issue, count(_row) AS records,
  count_if(received) AS received,
  count_if(received AND channel = 'online') AS received_online,
  count_if(handled) AS handled,
  count_if(completed) AS completed,
  count_if(late_done OR late_open) AS overdue,
  count_if(completed AND result_digitized) AS result_electronic,
  count_if(received AND digitized) AS digitized,
  count_if(received AND has_fee) AS fee_received,
  count_if(received AND has_fee AND paid_online) AS paid_online,
  count_if(completed AND (satisfaction <= 2 OR complaint OR late_done)) AS dissatisfied,
  count_if(handled AND synced) AS synced,
  count_if(received AND data_reused) AS data_reused,
  count_if(received AND citizen_data) AS citizen_data
FROM g GROUP BY ALL
"""


def child_sql(work: Path) -> dict[str, Any]:
    import duckdb

    _, tree, period = _setup()
    started = time.perf_counter()
    con = duckdb.connect()
    procs, doss = str(work / "canonical-procedures.parquet"), str(work / "canonical-dossiers.parquet")
    params = {"procs": procs, "doss": doss, "units": list(tree), "start": period.start, "end": period.end}
    dossier_rows = con.execute(SQL_DOSSIERS, params).to_arrow_table().to_pylist()
    procedure_rows = (
        con.execute(SQL_PROCEDURES, {k: params[k] for k in ("procs", "units")}).to_arrow_table().to_pylist()
    )
    seconds = time.perf_counter() - started
    present = _present(work / "canonical-procedures.parquet") | _present(work / "canonical-dossiers.parquet")
    return {"seconds": seconds, "digest": _digest(dossier_rows, procedure_rows, present)}


def child_pandas(work: Path) -> dict[str, Any]:
    import numpy as np
    import pandas as pd

    _, tree, period = _setup()
    units = list(tree)
    started = time.perf_counter()
    p = pd.read_parquet(work / "canonical-procedures.parquet").sort_values(["_file", "_row"])
    copy = p.duplicated(["procedure_code", "unit_code"])
    p["issue"] = np.select(
        [p["_issue"].notna(), copy, ~p["unit_code"].isin(units)],
        [p["_issue"], "duplicated_procedure", "unknown_unit"],
        default=None,
    )
    clean = p["issue"].isna()
    p_counts = p.assign(
        procedures=clean,
        online_capable=clean & p["online_level"].isin(["full", "partial"]),
        with_fee=clean & p["has_fee"].fillna(False).astype(bool),
        **{
            n: clean & p[n].fillna(False).astype(bool)
            for n in ("published_on_time", "updated_on_time", "content_complete")
        },
    )
    procedure_rows = (
        p_counts.groupby(["unit_code", "issue"], dropna=False)
        .agg(
            records=("_row", "size"),
            **{
                n: (n, "sum")
                for n in (
                    "procedures",
                    "online_capable",
                    "with_fee",
                    "published_on_time",
                    "updated_on_time",
                    "content_complete",
                )
            },
        )
        .reset_index()
        .rename(columns={"issue": "_issue"})
    )
    known = p.loc[clean, ["procedure_code", "unit_code", "online_level", "has_fee"]]
    d = pd.read_parquet(work / "canonical-dossiers.parquet").sort_values(["_file", "_row"])
    d = d.merge(known, on=["procedure_code", "unit_code"], how="left", indicator=True)
    status = d["status"]
    d["issue"] = np.select(
        [
            d["_issue"].notna(),
            d.duplicated("dossier_id"),
            ~d["unit_code"].isin(units),
            d["_merge"] == "left_only",
            d["completed_at"] < d["received_at"],
            d["due_at"] < d["received_at"],
            ((status == "completed") & d["completed_at"].isna())
            | ((status == "processing") & d["completed_at"].notna()),
        ],
        [
            d["_issue"],
            "duplicated_dossier_id",
            "unknown_unit",
            "unknown_procedure",
            "completed_before_received",
            "due_before_received",
            "status_mismatch",
        ],
        default=None,
    )
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    ok = d["issue"].isna() & (status != "withdrawn")
    received = ok & (d["received_at"] >= start) & (d["received_at"] < end)
    handled = ok & (d["received_at"] < end) & (d["completed_at"].isna() | (d["completed_at"] >= start))
    completed = ok & (d["completed_at"] >= start) & (d["completed_at"] < end)
    late_done = completed & d["due_at"].notna() & (d["completed_at"] > d["due_at"])
    late_open = (
        handled & (d["completed_at"].isna() | (d["completed_at"] >= end)) & d["due_at"].notna() & (d["due_at"] < end)
    )
    fee = d["has_fee"].fillna(False).astype(bool)
    flags = {
        "received": received,
        "received_online": received & (d["channel"] == "online"),
        "handled": handled,
        "completed": completed,
        "overdue": late_done | late_open,
        "result_electronic": completed & d["result_digitized"],
        "digitized": received & d["digitized"],
        "fee_received": received & fee,
        "paid_online": received & fee & d["paid_online"],
        "dissatisfied": completed & ((d["satisfaction"] <= 2) | d["complaint"] | late_done),
        "synced": handled & d["synced"],
        "data_reused": received & d["data_reused"],
        "citizen_data": received & d["citizen_data"],
    }
    counted = pd.DataFrame(
        {
            "unit_code": d["unit_code"],
            "procedure_code": d["procedure_code"],
            "online_level": d["online_level"],
            "_issue": d["issue"],
            "records": 1,
            **flags,
        }
    )
    dossier_rows = (
        counted.groupby(["unit_code", "procedure_code", "online_level", "_issue"], dropna=False).sum().reset_index()
    )
    seconds = time.perf_counter() - started

    def plain(frame: Any) -> list[dict[str, Any]]:
        return [
            {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
            for r in frame.to_dict("records")
        ]

    present = _present(work / "canonical-procedures.parquet") | _present(work / "canonical-dossiers.parquet")
    return {"seconds": seconds, "digest": _digest(plain(dossier_rows), plain(procedure_rows), present)}


def child(variant: str, data: Path, work: Path) -> dict[str, Any]:
    if variant == "prepare":
        return child_prepare(data, work)
    if variant == "sql-duckdb":
        return child_sql(work)
    if variant == "pandas":
        return child_pandas(work)
    return child_ibis(work, variant.removeprefix("ibis-"))


# --- the parent ---------------------------------------------------------------------------------------------------
def measure(variant: str, data: Path, work: Path) -> dict[str, Any]:
    """Run one variant in a fresh process, sampling the resident size of its process tree."""
    command = [sys.executable, __file__, "--child", variant, "--data", str(data), "--work", str(work)]
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.02)
    out = process.stdout.read() if process.stdout else ""
    if process.returncode:
        raise SystemExit(f"{variant} failed ({process.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result |= {"peak_mib": peak / 2**20, "wall": time.perf_counter() - started}
    return result


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    import duckdb
    import ibis

    return (
        f"{platform.node()}: {psutil.cpu_count()} cores, {memory:.0f} GiB, {platform.platform()}, Python "
        f"{platform.python_version()}, Ibis {ibis.__version__}, DuckDB {duckdb.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "bench-dossiers")
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--child", choices=VARIANTS)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.data, args.work)))
        return
    data = args.data / f"{args.rows}"
    if not (data / "dossiers.parquet").exists():
        print(f"generating {args.rows:,} dossiers into {data} …", flush=True)
        subprocess.run(
            [str(ROOT / ".venv/bin/dxmonitor"), "dossiers", "generate", "--rows", str(args.rows), "--out", str(data)],
            check=True,
        )
    work = data / "work"
    work.mkdir(exist_ok=True)
    print(machine(), date.today().isoformat(), flush=True)
    results = {}
    for variant in VARIANTS:
        if variant == "ibis-spark" and args.no_spark:
            continue
        results[variant] = measure(variant, data, work)
        print(f"… {variant}: {json.dumps(results[variant])}", flush=True)
    sql = results["sql-duckdb"]["seconds"]
    print(f"\n{args.rows:,} dossiers, June 2022 counted by unit, procedure and kind of problem\n")
    print("| variant | computation (s) | × SQL | start (s) | peak RSS (MiB) | result |")
    print("|---|---:|---:|---:|---:|---|")
    for variant, r in results.items():
        ratio = "" if variant == "prepare" else f"{r['seconds'] / sql:.2f}"
        start = f"{r['start']:.1f}" if "start" in r else ""
        print(f"| {VARIANTS[variant]} | {r['seconds']:.2f} | {ratio} | {start} | {r['peak_mib']:.0f} | {r['digest']} |")
    digests = {r["digest"] for v, r in results.items() if v != "prepare"}
    ibis_duckdb = results["ibis-duckdb"]["seconds"]
    print(f"\nsame figures in every variant: {len(digests) == 1}")
    print(f"Ibis/DuckDB ÷ SQL: {ibis_duckdb / sql:.2f} (goal ≤ 1.25)")
    print(f"pandas ÷ Ibis/DuckDB: {results['pandas']['seconds'] / ibis_duckdb:.2f} (goal ≥ 3)")


if __name__ == "__main__":
    main()
