"""Every value of a round with its evaluation, as CSV, JSON or XLSX (columns fixed by PRODUCT.md)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from openpyxl import Workbook

from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.rules import change, verdict


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


COLUMNS = [
    "round",
    "dataset",
    "indicator",
    "unit_code",
    "unit_name",
    "category",
    "value",
    "as_of",
    "target",
    "verdict",
    "baseline_value",
    "change",
]
# Added after `change` only when the round compares across a change of the unit tree (its baseline lies on an older
# tree): why a figure has no change there. Rounds on one tree keep exactly the columns above.
NOTE_COLUMN = "comparison_note"
FORMATS = ("csv", "json", "xlsx")
PRECISION = Decimal("0.000001")


def plain(value: Decimal | None) -> str:
    """A plain number with a dot decimal and no trailing zeros: 92.36, 1767, -3.4."""
    if value is None:
        return ""
    text = f"{value.quantize(PRECISION).normalize():f}"  # derived rates: as many decimals as stored figures
    return text if text != "-0" else "0"


def export_rows(ctx: RoundContext) -> list[dict[str, str]]:
    """One row per figure of the round (entered and derived), in the catalogue's dataset order."""
    datasets: dict[tuple[str, str], str] = {}
    for ds in ctx.catalogue.datasets.values():
        for code in ds.indicators:
            for unit in [*ds.units, ctx.whole]:
                datasets.setdefault((code, unit), ds.code)
    rows = []
    noted = ctx.crosses_change
    for fact in ctx.current.facts:
        ind = ctx.indicator(fact.indicator)
        main = ctx.main.get(fact.key)
        is_main = main is not None and main.window == fact.window
        ev = ctx.evaluations.get(fact.key) if is_main else None
        target = ind.target_on(fact.window.end)
        base = ev.baseline if ev else None
        row = {
            "round": ctx.current.code,
            "dataset": datasets.get((fact.indicator, fact.unit), ""),
            "indicator": fact.indicator,
            "unit_code": fact.unit,
            "unit_name": ctx.unit(fact.unit).name,
            "category": fact.category,
            "value": plain(fact.value),
            "as_of": fact.window.key,
            "target": plain(target.value) if target else "",
            "verdict": verdict(ind, fact.value, fact.window) or "",
            "baseline_value": plain(base),
            "change": plain(change(fact.value, base)),
        }
        if noted:
            row[NOTE_COLUMN] = ev.note.text if ev and ev.note else ""
        rows.append(row)
    return rows


def columns_of(rows: list[dict[str, str]]) -> list[str]:
    """The export's columns: PRODUCT.md's, and the comparison note where the rows carry one."""
    return [*COLUMNS, NOTE_COLUMN] if rows and NOTE_COLUMN in rows[0] else list(COLUMNS)


def _safe(cell: str) -> str:
    """Neutralise spreadsheet formula injection: a cell may not start with = + - @ unless it is a number."""
    if cell and cell[0] in "=+-@\t\r":
        try:
            Decimal(cell)
        except ArithmeticError:
            return "'" + cell
    return cell


def write_export(rows: list[dict[str, str]], fmt: str, out: Path | Writable) -> None:
    if fmt == "json":
        text = json.dumps(rows, ensure_ascii=False, indent=1)
        _write_text(out, text + "\n")
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns_of(rows), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _safe(v) for k, v in row.items()} for row in rows)
        _write_text(out, buffer.getvalue())
    elif fmt == "xlsx":
        if not isinstance(out, Path):
            raise ValueError("xlsx needs a file")
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "so_lieu"
        columns = columns_of(rows)
        sheet.append(columns)
        numeric = {"value", "target", "baseline_value", "change"}
        for row in rows:
            cells: list[Any] = [float(row[c]) if c in numeric and row[c] else _safe(row[c]) for c in columns]
            sheet.append(cells)
        workbook.save(out)
    else:
        raise ValueError(fmt)


def _write_text(out: Path | Writable, text: str) -> None:
    if isinstance(out, Path):
        out.write_text(text, encoding="utf-8")
    else:
        out.write(text)
