"""A round's completeness from the database: what it collects, the figures it holds and its submissions, counted by
the one definition in `evaluation.completeness`. Every page, the API, the export and the report read it from here.

`is_complete(round_)` and `missing(round_)` are what issuing a report asks before it warns of an incomplete round."""

from __future__ import annotations

from collections.abc import Callable

from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Dataset, Round
from dxmonitor.evaluation.completeness import Completeness, DatasetCompleteness, Sent, count
from dxmonitor.intake.models import Submission, Value

Data = dict[str, object]


def collected(round_: Round) -> list[str]:
    """The codes of the datasets the round collects. A round made without naming them (by an import) collects those
    it holds figures of, else every dataset that units send: the rule existing rounds were given (intake 0005)."""
    named = list(round_.datasets.values_list("code", flat=True))
    if named:
        return named
    held = Dataset.objects.filter(indicators__values__round=round_).distinct().values_list("code", flat=True)
    return list(held) or list(Dataset.objects.exclude(spec__computed=True).values_list("code", flat=True))


def completeness(round_: Round, catalogue: Catalogue | None = None) -> Completeness:
    """The round's completeness: per dataset it collects, the units expected, with figures, submitted, on time,
    approved."""
    catalogue = catalogue or get_catalogue()
    figures = set(Value.objects.filter(round=round_).values_list("indicator__code", "unit__code").distinct())
    sent = {
        (ds, unit): Sent(status, at)
        for ds, unit, status, at in Submission.objects.filter(round=round_).values_list(
            "dataset__code", "unit__code", "status", "submitted_at"
        )
    }
    return count(round_.code, catalogue, collected(round_), figures, sent, round_.deadline)


def is_complete(round_: Round) -> bool:
    """Every unit expected has submitted every dataset the round collects."""
    return completeness(round_).complete


def missing(round_: Round) -> list[tuple[str, str]]:
    """(dataset code, unit code) of every expected submission not yet made."""
    return completeness(round_).missing


def missing_text(round_: Round, catalogue: Catalogue | None = None) -> list[str]:
    """Each dataset still incomplete as a line: "Tỷ lệ DVCTT…: 2/30 đơn vị chưa nộp (Sở Tài chính, …)"."""
    catalogue = catalogue or get_catalogue()
    lines = []
    for row in completeness(round_, catalogue).datasets:
        if row.missing:
            names = ", ".join(catalogue.units[u].short_name for u in row.missing)
            lines.append(f"{row.name}: {len(row.missing)}/{len(row.expected)} đơn vị chưa nộp ({names})")
    return lines


def dataset_data(row: DatasetCompleteness, catalogue: Catalogue) -> Data:
    """One dataset's counts as page and API data, with the units that have not submitted and those without figures."""

    def named(units: list[str]) -> list[Data]:
        return [{"unit": u, "name": catalogue.units[u].short_name} for u in units]

    expected = len(row.expected)
    return {
        "dataset": row.dataset,
        "name": row.name,
        **row.counts(),
        "rate": round(row.rate, 4),
        "complete": row.complete,
        "figures_text": f"{len(row.with_figures)}/{expected}",
        "submitted_text": f"{len(row.submitted)}/{expected}",
        "missing": named(row.missing),
        "without_figures": named(row.without_figures),
    }


def as_data(found: Completeness, catalogue: Catalogue, sees: Callable[[str], bool] = lambda _u: True) -> Data:
    """The round's completeness over the units a reader sees: its datasets and its totals."""
    visible = found.only(u for u in catalogue.units if sees(u))
    return {
        "round": found.round,
        "complete": visible.complete,
        "datasets": [dataset_data(row, catalogue) for row in visible.datasets],
        "totals": visible.totals(),
    }
