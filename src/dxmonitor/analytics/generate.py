"""Synthetic dossier records in the canonical schema, for tests and benchmarks: realistic, and written in chunks.

Units are those of the tree on a day; each unit's share of online dossiers and of online services in use follows
the demo's figures of June 2022 where it has them. Volumes follow the unit (districts receive more) and the season
(Tết in February, the year-end rush); some dossiers are late, some still open at the end, some unpaid. Chunks of
`CHUNK` rows are drawn with numpy and written with a ParquetWriter, so 100 million rows take the memory of one chunk.
"""

from __future__ import annotations

import calendar
import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dxmonitor.analytics.columns import DOSSIERS, PROCEDURES
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.demo.loading import DEMO_DIR
from dxmonitor.intake.kept import unit_index
from dxmonitor.intake.numbers import NumberError, parse_number

CHUNK = 1_000_000
SEASON = np.array([1.05, 0.7, 1.0, 0.95, 1.0, 1.05, 1.0, 1.0, 0.95, 1.0, 1.05, 1.2])  # Tết, then the year-end rush
DEFAULT_ONLINE_SHARE = 0.5
POPULAR = 5  # the first procedures of a unit, which receive most of its dossiers
CAPABLE_SHARE = 0.97  # about the share of dossiers that go to online-capable procedures
DAY = 86_400
KINDS = ("department", "district", "branch", "armed")  # the units that receive dossiers


@dataclass(frozen=True)
class Plan:
    """What to generate: rows, the first month, how many months, the day whose unit tree is used."""

    rows: int
    start: date = date(2022, 1, 1)
    months: int = 12
    tree_day: date = date(2022, 6, 30)
    seed: int = 2022


def demo_online_shares(catalogue: Catalogue) -> dict[str, float]:
    """Unit code → its online dossier rate in the demo round of June 2022 (the latest figure of each unit)."""
    index = unit_index(catalogue, (date(2022, 6, 1), date(2022, 6, 30)))
    latest: dict[str, tuple[str, float]] = {}
    with (DEMO_DIR / "rounds" / "2022-06.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["chi_tieu"] != "dvc.online_dossier_rate" or row["dai_luong"]:
                continue
            code = index.resolve(row["don_vi"]).code
            try:
                value = parse_number(row["gia_tri"], "percent").value
            except NumberError:
                continue
            day = "-".join(reversed(row["ngay_so_lieu"].split("/")))
            if code and value is not None and (code not in latest or latest[code][0] <= day):
                latest[code] = (day, float(value / Decimal(100)))
    return {code: share for code, (_, share) in latest.items()}


@dataclass
class _Units:
    codes: list[str]
    weights: np.ndarray
    online: np.ndarray  # chance that a dossier of an online-capable procedure is sent online
    late: np.ndarray  # chance that a dossier is late


@dataclass
class _Procedures:
    """The procedures as arrays, with where each unit's run of procedures starts and how long it is."""

    table: pa.Table
    first: np.ndarray
    count: np.ndarray
    level: np.ndarray
    fee: np.ndarray


def _units(catalogue: Catalogue, plan: Plan, rng: np.random.Generator) -> _Units:
    shares = demo_online_shares(catalogue)
    day = plan.tree_day
    units = [
        u
        for u in catalogue.units.values()
        if u.kind in KINDS and u.valid_from <= day and (u.valid_to is None or day <= u.valid_to)
    ]
    weights = np.array([(3.0 if u.kind == "district" else 1.0) * rng.uniform(0.4, 1.6) for u in units])
    online = np.array([min(0.99, shares.get(u.code, DEFAULT_ONLINE_SHARE) / CAPABLE_SHARE) for u in units])
    late = rng.uniform(0.005, 0.08, len(units))
    return _Units([u.code for u in units], weights / weights.sum(), online, late)


def _procedures(units: _Units, rng: np.random.Generator) -> _Procedures:
    """Each unit's procedures: a district offers the district-level list, a department its own."""
    codes, unit_codes, levels, fees = [], [], [], []
    counts = rng.integers(20, 100, len(units.codes))
    for i, unit in enumerate(units.codes):
        count = int(counts[i])
        for k in range(count):
            codes.append(f"{1 + i % 3}.{(i * 1000 + k):06d}")
            unit_codes.append(unit)
        drawn = list(rng.choice(["full", "partial", "none"], count, p=[0.75, 0.17, 0.08]))
        levels += ["full"] * POPULAR + drawn[POPULAR:]  # the procedures most dossiers go to are offered online
        fees += list(rng.random(count) < 0.4)
    n = len(codes)
    columns = {
        "procedure_code": codes,
        "unit_code": unit_codes,
        "name": [f"Thủ tục {c}" for c in codes],
        "online_level": levels,
        "has_fee": fees,
        "published_on_time": list(rng.random(n) < 0.95),
        "updated_on_time": list(rng.random(n) < 0.9),
        "content_complete": list(rng.random(n) < 0.97),
    }
    table = pa.table(columns, schema=pa.schema([pa.field(c.name, _arrow(c.type)) for c in PROCEDURES.columns]))
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return _Procedures(table, first, counts, np.array(levels), np.array(fees))


def _arrow(kind: str) -> pa.DataType:
    return {"bool": pa.bool_(), "timestamp": pa.timestamp("s"), "rating": pa.int8()}.get(kind, pa.string())


def _month_starts(plan: Plan) -> np.ndarray:
    firsts = []
    for m in range(plan.months + 1):
        year, month = plan.start.year + (plan.start.month - 1 + m) // 12, (plan.start.month - 1 + m) % 12 + 1
        firsts.append(calendar.timegm(date(year, month, 1).timetuple()))
    return np.array(firsts, dtype=np.int64)


def _chunk(
    size: int, first_id: int, units: _Units, procs: _Procedures, plan: Plan, rng: np.random.Generator
) -> pa.RecordBatch:
    """`size` dossiers drawn at once, as one batch in the canonical schema."""
    starts = _month_starts(plan)
    season = SEASON[(plan.start.month - 1 + np.arange(plan.months)) % 12]
    month = rng.choice(plan.months, size, p=season / season.sum())
    received = starts[month] + (rng.random(size) * (starts[month + 1] - starts[month])).astype(np.int64)
    received = received - received % DAY + DAY * 7 // 24 + rng.integers(0, 10 * 3600, size)  # office hours
    unit = rng.choice(len(units.codes), size, p=units.weights)
    # A procedure of the unit, the first ones more often than the last (a few procedures carry many dossiers).
    offset = (rng.random(size) ** 2 * procs.count[unit]).astype(np.int64)
    proc = procs.first[unit] + offset
    level, fee = procs.level[proc], procs.fee[proc]
    online = (level != "none") & (rng.random(size) < units.online[unit])
    channel = np.where(online, "online", np.where(rng.random(size) < 0.95, "in_person", "post"))
    limit = (rng.integers(1, 21, size) * 7 + 4) // 5 * DAY  # 1-20 working days, as calendar days
    due = received - received % DAY + limit + 17 * 3600  # the end of the office day
    allowed = due - received
    late = rng.random(size) < units.late[unit]
    spent = np.where(late, allowed * rng.uniform(1.02, 1.8, size), allowed * rng.uniform(0.1, 0.98, size))
    completed = received + spent.astype(np.int64)
    snapshot = starts[-1] + 5 * DAY  # the export is taken five days after the last month
    open_ = completed > snapshot
    withdrawn = rng.random(size) < 0.005
    status = np.where(withdrawn, "withdrawn", np.where(open_, "processing", "completed"))
    done = ~open_ & ~withdrawn
    rated = done & (rng.random(size) < 0.3)
    rating = np.where(late, rng.integers(1, 4, size), rng.integers(3, 6, size))
    ids = pc.binary_join_element_wise("HS", pc.cast(pa.array(np.arange(first_id, first_id + size)), pa.string()), "")
    arrays = {
        "dossier_id": ids,
        "procedure_code": pc.take(procs.table.column("procedure_code").combine_chunks(), pa.array(proc)),
        "unit_code": pa.array(np.array(units.codes)[unit]),
        "channel": pa.array(channel),
        "received_at": pa.array(received, pa.timestamp("s")),
        "due_at": pa.array(due, pa.timestamp("s"), mask=rng.random(size) < 0.02),
        "completed_at": pa.array(completed, pa.timestamp("s"), mask=~done),
        "status": pa.array(status),
        "digitized": pa.array(rng.random(size) < 0.8),
        "result_digitized": pa.array(done & (rng.random(size) < 0.65)),
        "paid_online": pa.array(fee & (rng.random(size) < np.where(online, 0.7, 0.1))),
        "complaint": pa.array(rng.random(size) < 0.003),
        "satisfaction": pa.array(rating.astype(np.int8), pa.int8(), mask=~rated),
        "synced": pa.array(rng.random(size) < 0.95),
        "data_reused": pa.array(rng.random(size) < 0.2),
        "citizen_data": pa.array(rng.random(size) < 0.5),
    }
    schema = pa.schema([pa.field(c.name, _arrow(c.type)) for c in DOSSIERS.columns])
    return pa.RecordBatch.from_arrays([arrays[c.name] for c in DOSSIERS.columns], schema=schema)


def generate(
    catalogue: Catalogue, plan: Plan, out: Path, progress: Callable[[int], None] | None = None
) -> tuple[Path, Path]:
    """Write procedures.parquet and dossiers.parquet into `out`, `plan.rows` dossiers in chunks."""
    rng = np.random.default_rng(plan.seed)
    units = _units(catalogue, plan, rng)
    procs = _procedures(units, rng)
    out.mkdir(parents=True, exist_ok=True)
    procedures_path, dossiers_path = out / "procedures.parquet", out / "dossiers.parquet"
    pq.write_table(procs.table, procedures_path)
    schema = pa.schema([pa.field(c.name, _arrow(c.type)) for c in DOSSIERS.columns])
    with pq.ParquetWriter(dossiers_path, schema) as writer:
        done = 0
        while done < plan.rows:
            size = min(CHUNK, plan.rows - done)
            writer.write_batch(_chunk(size, done + 1, units, procs, plan, rng), row_group_size=size)
            done += size
            if progress:
                progress(size)
    return procedures_path, dossiers_path
