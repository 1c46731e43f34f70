"""Who issues a round's report: the issuers of issuers.yaml, each in force over days, checked on load (no overlap,
no gap), and what a new round takes from the one in force on its last day, with a deployment's overrides on top.

A round keeps what it took (catalogue.models.Round's `issuer_*` fields), so a report regenerated years later prints
the header it was issued under. Plain functions; no database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from dxmonitor.catalogue.schema import Issuer, IssuerFile
from dxmonitor.problems import Location, Problem, error

__all__ = [
    "ISSUER_FIELDS",
    "ROUND_ISSUER_FIELDS",
    "check_issuers",
    "issuer_on",
    "load_issuers",
    "round_issuer",
]

ISSUERS_FILE = "issuers.yaml"
# The issuer's parts a round keeps, each in a field `issuer_<part>` of the round (recipients one a line).
ISSUER_FIELDS = (
    "parent_agency",
    "agency",
    "agency_name",
    "place",
    "signer_title",
    "signer_name",
    "series",
    "recipients",
)
ROUND_ISSUER_FIELDS = tuple(f"issuer_{part}" for part in ISSUER_FIELDS)


def _day(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def check_issuers(issuers: list[Issuer], path: Path, lines: Mapping[tuple[object, ...], int]) -> list[Problem]:
    """Problems of the issuers taken in the order of their days: two in force on one day, days no issuer covers."""
    problems: list[Problem] = []
    ordered = sorted(enumerate(issuers), key=lambda pair: pair[1].valid_from or date.min)
    for (_, before), (index, after) in pairwise(ordered):
        row = lines.get(("issuers", index, "valid_from"), lines.get(("issuers", index)))
        where = Location(file=str(path), row=row, field=f"issuers[{index}].valid_from")
        span_vi = f"{before.agency} ({_day(before.valid_from)} – {_day(before.valid_to)})"
        if before.valid_to is None or after.valid_from is None or after.valid_from <= before.valid_to:
            problems.append(
                error(
                    where,
                    f"{after.agency} có hiệu lực từ {_day(after.valid_from)}, chồng lên {span_vi}: mỗi ngày chỉ "
                    "một cơ quan ban hành",
                    f"{after.agency} in force from {_day(after.valid_from)} overlaps {span_vi}: one issuer a day",
                )
            )
        elif after.valid_from > before.valid_to + timedelta(days=1):
            gap_from, gap_to = _day(before.valid_to + timedelta(days=1)), _day(after.valid_from - timedelta(days=1))
            problems.append(
                error(
                    where,
                    f"không có cơ quan ban hành nào từ {gap_from} đến {gap_to} (giữa {before.agency} và "
                    f"{after.agency})",
                    f"no issuer from {gap_from} to {gap_to} (between {before.agency} and {after.agency})",
                )
            )
    return problems


def load_issuers(folder: Path) -> tuple[list[Issuer], list[Problem]]:
    """The issuers of `folder`/issuers.yaml and the problems found (none when the file is absent: no issuer)."""
    from dxmonitor.catalogue.loading import load_file

    path = folder / ISSUERS_FILE
    if not path.exists():
        return [], []
    parsed, problems, lines = load_file(path, IssuerFile)
    if parsed is None:
        return [], problems
    return parsed.issuers, check_issuers(parsed.issuers, path, lines)


def issuer_on(issuers: Iterable[Issuer], day: date) -> Issuer | None:
    return next((i for i in issuers if i.applies_on(day)), None)


def round_issuer(issuers: Iterable[Issuer], day: date, overrides: Mapping[str, object]) -> dict[str, str]:
    """The `issuer_*` fields of a round whose last day is `day`: the issuer in force then, each part that
    `overrides` names replaced (recipients: a list, or a text split at ";"). Parts nobody gives are blank."""
    unknown = sorted(set(overrides) - set(ISSUER_FIELDS))
    if unknown:
        raise ValueError(f"REPORT_ISSUER_OVERRIDES: unknown part(s) {', '.join(unknown)}; known: {ISSUER_FIELDS}")
    found = issuer_on(issuers, day)
    parts: dict[str, object] = found.model_dump(include=set(ISSUER_FIELDS)) if found else {}
    parts.update(overrides)
    recipients = parts.get("recipients") or []
    if isinstance(recipients, str):
        recipients = recipients.split(";")
    if not isinstance(recipients, list):
        raise ValueError(f"REPORT_ISSUER_OVERRIDES: recipients must be a list or a ';'-separated text: {recipients!r}")
    parts["recipients"] = "\n".join(str(r).strip() for r in recipients if str(r).strip())
    return {f"issuer_{part}": str(parts.get(part) or "") for part in ISSUER_FIELDS}
