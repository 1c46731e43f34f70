"""One computation of a round: read the files, classify the records, count, turn the counts into figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ibis.backends import BaseBackend

from dxmonitor.analytics import records
from dxmonitor.analytics.columns import DOSSIERS, PROCEDURES
from dxmonitor.analytics.figures import Figure, all_figures, unit_counts
from dxmonitor.analytics.mapping import MappingFile, load_mapping
from dxmonitor.analytics.quality import BadKind, bad_kinds
from dxmonitor.analytics.reading import Prepared, prepare
from dxmonitor.problems import Problem, has_errors

Rows = list[dict[str, Any]]
Progress = Callable[[str, int], None]  # (stage, rows done since the last call)


@dataclass(frozen=True)
class Period:
    """The days a round's figures count: [start, end) as timestamps."""

    start: datetime
    end: datetime

    @classmethod
    def of_month(cls, first: date) -> Period:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return cls(datetime(first.year, first.month, 1), datetime(following.year, following.month, 1))


@dataclass
class Outcome:
    """What a computation found: the figures (empty when it stopped), the bad records, every problem."""

    figures: list[Figure] = field(default_factory=list)
    bad: list[BadKind] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


@dataclass(frozen=True)
class Counted:
    """The small tables one pass over the records yields, before they become figures."""

    dossiers: Rows
    procedures: Rows
    dossier_examples: Rows
    procedure_examples: Rows


def count(
    con: BaseBackend, procedures: Path, dossiers: Path, units: list[str], period: Period, present: set[str]
) -> Counted:
    """Run the Ibis expressions on `con` over two canonical Parquet files; examples only of kinds that occur."""
    p = records.classify_procedures(con.read_parquet(procedures), units)
    d = records.classify_dossiers(con.read_parquet(dossiers), p, units)
    dossier_rows = con.to_pyarrow(records.dossier_counts(d, period.start, period.end, present)).to_pylist()
    procedure_rows = con.to_pyarrow(records.procedure_counts(p, present)).to_pylist()

    def examples(table: Any, rows: Rows) -> Rows:
        has_bad = any(r["_issue"] is not None for r in rows)
        return con.to_pyarrow(records.examples(table)).to_pylist() if has_bad else []

    return Counted(dossier_rows, procedure_rows, examples(d, dossier_rows), examples(p, procedure_rows))


def compute(
    con: BaseBackend,
    procedures: Path,
    dossiers: list[Path],
    tree: Mapping[str, str | None],
    period: Period,
    work_dir: Path,
    mapping_path: Path | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Every figure of every unit of `tree` for `period`; nothing when a file, a column or a "stop" rule says no."""
    outcome = Outcome()
    mapping, outcome.problems = load_mapping(mapping_path)
    if not outcome.ok:
        return outcome
    prepared = _prepare_all(mapping, procedures, dossiers, work_dir, outcome, progress)
    if prepared is None:
        return outcome
    procs, doss = prepared
    if progress:
        progress("compute", 0)
    counted = count(con, procs.path, doss.path, list(tree), period, outcome.present)
    outcome.bad = bad_kinds(
        "procedures", counted.procedures, counted.procedure_examples, procs.files, mapping.rules
    ) + bad_kinds("dossiers", counted.dossiers, counted.dossier_examples, doss.files, mapping.rules)
    outcome.problems += [b.problem() for b in outcome.bad]
    if outcome.ok:
        outcome.figures = all_figures(unit_counts(counted.dossiers, counted.procedures), tree, outcome.present)
    return outcome


def _prepare_all(
    mapping: MappingFile,
    procedures: Path,
    dossiers: list[Path],
    work_dir: Path,
    outcome: Outcome,
    progress: Progress | None,
) -> tuple[Prepared, Prepared] | None:
    """Both tables in canonical Parquet under `work_dir`, or None (with the reasons in `outcome`)."""

    def step(stage: str) -> Callable[[int], None] | None:
        return (lambda rows: progress(stage, rows)) if progress else None

    work_dir.mkdir(parents=True, exist_ok=True)
    procs_out = work_dir / "canonical-procedures.parquet"
    procs = prepare(PROCEDURES, [procedures], mapping.procedures, procs_out, step("procedures"))
    outcome.problems += procs.problems
    if not outcome.ok:
        return None
    doss = prepare(DOSSIERS, dossiers, mapping.dossiers, work_dir / "canonical-dossiers.parquet", step("dossiers"))
    outcome.problems += doss.problems
    if not outcome.ok:
        return None
    outcome.rows = {"procedures": procs.rows, "dossiers": doss.rows}
    outcome.present = set(procs.present) | set(doss.present)
    return procs, doss
