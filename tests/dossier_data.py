"""Small dossier record sets written as real CSV files, and one computation of them on DuckDB."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from dxmonitor.analytics.compute import Outcome, Period, compute
from dxmonitor.analytics.engine import connect
from dxmonitor.analytics.figures import Figure
from dxmonitor.analytics.tree import round_tree
from dxmonitor.catalogue.loading import load_catalogue

PROCEDURE_HEADER = ["procedure_code", "unit_code", "name", "online_level", "has_fee"]
DOSSIER_HEADER = [
    "dossier_id",
    "procedure_code",
    "unit_code",
    "channel",
    "received_at",
    "due_at",
    "completed_at",
    "status",
    "digitized",
    "result_digitized",
    "paid_online",
    "complaint",
    "satisfaction",
]
JUNE = Period.of_month(date(2022, 6, 1))


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(
    tmp_path: Path,
    procedures: Sequence[Sequence[object]],
    dossiers: Sequence[Sequence[object]],
    procedure_header: Sequence[str] = PROCEDURE_HEADER,
    dossier_header: Sequence[str] = DOSSIER_HEADER,
    mapping: str | None = None,
) -> Outcome:
    """Write both files and compute June 2022 on the tree of 30/6/2022."""
    procs = write_csv(tmp_path / "thu-tuc.csv", procedure_header, procedures)
    doss = write_csv(tmp_path / "ho-so.csv", dossier_header, dossiers)
    mapping_path = None
    if mapping is not None:
        mapping_path = tmp_path / "mapping.yaml"
        mapping_path.write_text(mapping, encoding="utf-8")
    tree = round_tree(load_catalogue(), date(2022, 6, 30))
    return compute(connect("duckdb"), procs, [doss], tree, JUNE, tmp_path / "work", mapping_path)


def figures_of(figures: Sequence[Figure], unit: str) -> dict[str, str]:
    """One unit's figures as indicator → value written plainly (trailing zeros kept, as stored)."""
    return {f.indicator: f"{f.value}" for f in figures if f.unit == unit}
