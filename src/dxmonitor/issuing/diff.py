"""What changed between two snapshots of a round's figures (exported rows, reports/export.py) (pure)."""

from __future__ import annotations

from dataclasses import dataclass

# A figure is one (indicator, unit, category, as-of) of the round; its other columns are what may change.
KEY = ("indicator", "unit_code", "category", "as_of")
COMPARED = ("value", "target", "verdict", "baseline_value", "change")


@dataclass(frozen=True)
class Change:
    key: tuple[str, ...]
    kind: str  # "added", "removed" or "changed"
    before: dict[str, str]
    after: dict[str, str]


def _keyed(rows: list[dict[str, str]]) -> dict[tuple[str, ...], dict[str, str]]:
    return {tuple(row.get(k, "") for k in KEY): row for row in rows}


def diff_rows(before: list[dict[str, str]], after: list[dict[str, str]]) -> list[Change]:
    """Every figure added, removed, or changed in value, target, verdict, baseline or change, in key order."""
    old, new = _keyed(before), _keyed(after)
    changes = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            changes.append(Change(key, "removed", _compared(old[key]), {}))
        elif key not in old:
            changes.append(Change(key, "added", {}, _compared(new[key])))
        elif _compared(old[key]) != _compared(new[key]):
            a, b = _compared(old[key]), _compared(new[key])
            changes.append(
                Change(key, "changed", {k: a[k] for k in a if a[k] != b[k]}, {k: b[k] for k in b if a[k] != b[k]})
            )
    return changes


def _compared(row: dict[str, str]) -> dict[str, str]:
    return {k: row.get(k, "") for k in COMPARED}


@dataclass(frozen=True)
class StatementChange:
    """A sentence of the report (a finding, a list of units) that one side prints and the other does not."""

    section: str
    before: tuple[str, ...]  # printed before, no longer
    after: tuple[str, ...]  # printed now, not before


def diff_statements(before: list[dict[str, str]], after: list[dict[str, str]]) -> list[StatementChange]:
    """Per section (in the order the newer side prints them), the sentences only one side prints."""
    sections = list(dict.fromkeys([s["section"] for s in after] + [s["section"] for s in before]))
    changes = []
    for section in sections:
        old = [s["text"] for s in before if s["section"] == section]
        new = [s["text"] for s in after if s["section"] == section]
        gone, came = tuple(t for t in old if t not in new), tuple(t for t in new if t not in old)
        if gone or came:
            changes.append(StatementChange(section, gone, came))
    return changes
