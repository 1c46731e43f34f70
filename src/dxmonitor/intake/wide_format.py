"""The wide (template) format: one row per unit, one column per indicator and category.

A template written by `templates.py` carries a row of codes (first cell "#codes") under its Vietnamese headers,
so that its columns are read by code whatever the headers say; the round and the as-of day stand above it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dxmonitor.intake.long_format import LongRecord, Origin, cell_text
from dxmonitor.intake.names import folded
from dxmonitor.intake.reading import HEAD_ROWS, Sheet
from dxmonitor.intake.windows import WindowError, parse_window
from dxmonitor.problems import Location, Problem, error

CODES_MARK = "#codes"
UNIT_CODE, UNIT_NAME, NOTE = "unit_code", "unit_name", "note"
ROUND_LABELS = {"ky bao cao", "round"}
AS_OF_LABELS = {"ngay so lieu", "as of", "as_of"}
LABELS = ROUND_LABELS | AS_OF_LABELS
SEARCH_ROWS = HEAD_ROWS


@dataclass(frozen=True, slots=True)
class WideColumn:
    """A figure's column: where it is, and the indicator and category its code names."""

    index: int
    label: str
    indicator: str
    category: str


WideRow = tuple[int, str, str, list[tuple[int, object]]]  # row number, unit, note, (position in columns, cell) filled


@dataclass
class WideTable:
    """A template's figures, cells still as written: the filled cells of each unit's row, under their columns."""

    file: str
    sheet: str
    unit_column: str  # the label of the first unit column, for messages
    as_of: object  # None when missing, or wrong (said once, at the cell)
    as_of_column: str
    columns: list[WideColumn]
    rows: list[WideRow]

    def __len__(self) -> int:
        return sum(len(filled) for *_, filled in self.rows)

    def origin(self, column: WideColumn) -> Origin:
        """Where the figures of one column come from: the column of each field, as messages name it."""
        label = column.label
        fields = ("unit", self.unit_column), ("indicator", label), ("value", label), ("category", label)
        return Origin(self.file, self.sheet, (*fields, ("as_of", self.as_of_column), ("note", "")))

    def record(self, row: WideRow, position: int, cell: object) -> LongRecord:
        """One figure as a long row, for the full checks."""
        number, unit, note, _ = row
        column = self.columns[position]
        return LongRecord(
            location=Location(file=self.file, sheet=self.sheet, row=number),
            columns=dict(self.origin(column).columns),
            unit=unit,
            indicator=column.indicator,
            value=cell,
            category=column.category,
            as_of=self.as_of,
            note=note,
            measure="",
        )

    def records(self) -> Iterator[LongRecord]:
        """Every figure, in the order of the sheet, as a long row."""
        for row in self.rows:
            for position, cell in row[3]:
                yield self.record(row, position, cell)


@dataclass
class WideSheet:
    table: WideTable
    round_code: str
    round_location: Location
    problems: list[Problem]


def _label(cell: object) -> str:
    return folded(cell_text(cell)).rstrip(":")


def _metadata(sheet: Sheet, until: int) -> tuple[str, object, Location, Location]:
    """The round code and the as-of cell written above the code row ("Kỳ báo cáo: 2022-06"), and where."""
    round_code, as_of, where = "", None, Location(file=sheet.file, sheet=sheet.name)
    as_of_at = where
    for number, cells in sheet.head[:until]:
        for i, cell in enumerate(cells):
            if cell is None or cell == "":
                continue
            label = _label(cell)
            if label not in LABELS:
                continue
            at = next((j for j in range(i + 1, len(cells)) if cell_text(cells[j])), None)
            value = cells[at] if at is not None else None
            if label in ROUND_LABELS:
                round_code = cell_text(value)
                where = Location(
                    sheet.file, sheet.name, number, sheet.column_label(at if at is not None else i), "round"
                )
            else:
                as_of = value
                as_of_at = Location(
                    sheet.file, sheet.name, number, sheet.column_label(at if at is not None else i), "as_of"
                )
    return round_code, as_of, where, as_of_at


def read_wide_sheet(sheet: Sheet) -> WideSheet | None:
    """The figures of a template sheet, one record per filled cell; None if the sheet is not a template."""
    position = next(
        (i for i, (_, cells) in enumerate(sheet.head[:SEARCH_ROWS]) if cells and cell_text(cells[0]) == CODES_MARK),
        None,
    )
    if position is None:
        return None
    codes = [cell_text(c) for c in sheet.head[position][1]]
    round_code, as_of, round_at, as_of_at = _metadata(sheet, position)
    problems: list[Problem] = []
    try:
        parse_window(as_of)
    except WindowError as exc:  # said once, at the cell, rather than on every figure
        problems.append(error(as_of_at, exc.vi, exc.en))
        as_of = None
    unit_columns = [i for i, c in enumerate(codes) if c in (UNIT_CODE, UNIT_NAME)]
    note_column = codes.index(NOTE) if NOTE in codes else None
    columns = [
        WideColumn(i, sheet.column_label(i), *_split(code))
        for i, code in enumerate(codes)
        if i and code and code not in (UNIT_CODE, UNIT_NAME, NOTE)
    ]
    rows: list[WideRow] = []
    for number, cells in sheet.rows_after(position):
        width = len(cells)
        filled = []
        for place, column in enumerate(columns):
            cell = cells[column.index] if column.index < width else None
            if cell is not None and (cell.__class__ is float or cell.__class__ is int or cell_text(cell)):
                filled.append((place, cell))  # a number is never blank: only other cells need their text
        if not filled:
            continue  # blank rows, and units that report nothing this round
        unit = ""
        for i in unit_columns:
            unit = cell_text(cells[i]) if i < width else ""
            if unit:
                break
        note = cell_text(cells[note_column]) if note_column is not None and note_column < width else ""
        rows.append((number, unit, note, filled))
    unit_column = sheet.column_label(unit_columns[0]) if unit_columns else ""
    table = WideTable(sheet.file, sheet.name, unit_column, as_of, as_of_at.column, columns, rows)
    return WideSheet(table, round_code, round_at, problems)


def _split(code: str) -> tuple[str, str]:
    """ "portal.posts|channel=zalo" → the indicator and the category."""
    indicator, _, category = code.partition("|")
    return indicator, category
