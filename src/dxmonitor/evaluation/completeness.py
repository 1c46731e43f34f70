"""What a round expects and what it got: the one definition of completeness, as plain functions over plain data.

Expected: the datasets the round collects (never a computed one: nobody sends those) × the units each dataset names
that are in force on some day of the round's month (groups stand for their members and send nothing themselves).
For each expected (dataset, unit): has figures, submitted (or approved), approved, on time against the deadline.
The dashboard, the submissions page, the API, the export and the report all count with `count`; a table's or a
total's coverage (`Coverage`, "27/30 đơn vị đã báo cáo") reads the same expected units."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.catalogue.tree import Days, in_force

SUBMITTED = ("submitted", "approved")  # the statuses of a submission that counts as sent
APPROVED = "approved"


def expected_units(units: Iterable[str], catalogue: Catalogue, days: Days | None) -> list[str]:
    """Of `units` (a dataset's, in its order), those that must send figures on `days`: in force, not a group."""
    out = []
    for code in dict.fromkeys(units):
        unit = catalogue.units.get(code)
        if unit is not None and unit.kind != "group" and in_force(unit, days):
            out.append(code)
    return out


@dataclass(frozen=True)
class Coverage:
    """How many of the units a figure or a table should be built from it was built from."""

    expected: tuple[str, ...]
    reported: tuple[str, ...]

    @property
    def missing(self) -> list[str]:
        return [u for u in self.expected if u not in self.reported]

    @property
    def partial(self) -> bool:
        return bool(self.missing)

    @property
    def text(self) -> str:
        """ "27/30 đơn vị đã báo cáo"."""
        return f"{len(self.reported)}/{len(self.expected)} đơn vị đã báo cáo"

    @property
    def text_en(self) -> str:
        return f"{len(self.reported)}/{len(self.expected)} units reported"


@dataclass(frozen=True)
class Sent:
    """A submission as completeness reads it: its status and when it was submitted."""

    status: str
    submitted_at: datetime | None = None


@dataclass
class DatasetCompleteness:
    """One dataset of a round: the units expected, and those with figures, submitted, on time and approved."""

    dataset: str
    name: str
    expected: list[str]
    with_figures: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    on_time: list[str] = field(default_factory=list)
    approved: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Expected units that have not submitted."""
        return [u for u in self.expected if u not in self.submitted]

    @property
    def without_figures(self) -> list[str]:
        return [u for u in self.expected if u not in self.with_figures]

    @property
    def rate(self) -> float:
        return len(self.submitted) / len(self.expected) if self.expected else 0.0

    @property
    def complete(self) -> bool:
        return not self.missing

    def only(self, units: Iterable[str]) -> DatasetCompleteness:
        """The same counts over `units` only (what one reader may see)."""
        keep = set(units)

        def mine(found: list[str]) -> list[str]:
            return [u for u in found if u in keep]

        return DatasetCompleteness(
            self.dataset,
            self.name,
            mine(self.expected),
            mine(self.with_figures),
            mine(self.submitted),
            mine(self.on_time),
            mine(self.approved),
        )

    def counts(self) -> dict[str, int]:
        return {
            "expected": len(self.expected),
            "with_figures": len(self.with_figures),
            "submitted": len(self.submitted),
            "on_time": len(self.on_time),
            "approved": len(self.approved),
        }


@dataclass
class Completeness:
    """A round's completeness: one row per dataset it collects, and the round's totals of (dataset, unit) pairs."""

    round: str
    datasets: list[DatasetCompleteness]

    def totals(self) -> dict[str, int]:
        out = dict.fromkeys(("expected", "with_figures", "submitted", "on_time", "approved"), 0)
        for row in self.datasets:
            for key, n in row.counts().items():
                out[key] += n
        return out

    @property
    def complete(self) -> bool:
        """Every expected unit has submitted every dataset the round collects."""
        return all(row.complete for row in self.datasets)

    @property
    def missing(self) -> list[tuple[str, str]]:
        """(dataset, unit) of every expected submission not yet made, in dataset and table order."""
        return [(row.dataset, u) for row in self.datasets for u in row.missing]

    def only(self, units: Iterable[str]) -> Completeness:
        keep = list(units)
        rows = [row.only(keep) for row in self.datasets]
        return Completeness(self.round, [r for r in rows if r.expected])


def count(
    round_code: str,
    catalogue: Catalogue,
    collected: Iterable[str],
    figures: set[tuple[str, str]],
    sent: Mapping[tuple[str, str], Sent],
    deadline: datetime | None,
) -> Completeness:
    """The round's completeness: `collected` are its datasets' codes, `figures` the (indicator, unit) pairs it holds,
    `sent` the submissions by (dataset, unit); on time is submitted no later than `deadline` (always, without one)."""
    days = round_days(round_code)
    chosen = set(collected)
    rows = []
    for ds in catalogue.datasets.values():
        if ds.code not in chosen or ds.computed:
            continue
        row = DatasetCompleteness(ds.code, ds.name, expected_units(ds.units, catalogue, days))
        for unit in row.expected:
            if any((i, unit) in figures for i in ds.indicators):
                row.with_figures.append(unit)
            sub = sent.get((ds.code, unit))
            if sub is None or sub.status not in SUBMITTED:
                continue
            row.submitted.append(unit)
            if deadline is None or (sub.submitted_at is not None and sub.submitted_at <= deadline):
                row.on_time.append(unit)
            if sub.status == APPROVED:
                row.approved.append(unit)
        rows.append(row)
    return Completeness(round_code, rows)
