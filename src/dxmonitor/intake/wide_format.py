"""The wide (template) format: one row per unit, one column per indicator and category.

A template written by `templates.py` carries a row of codes (first cell "#codes") under its Vietnamese headers,
so that its columns are read by code whatever the headers say; the round and the as-of day stand above it.
"""

from __future__ import annotations

from dataclasses import dataclass

from dxmonitor.intake.long_format import LongRecord, cell_text
from dxmonitor.intake.names import fold_diacritics, normalise
from dxmonitor.intake.reading import HEAD_ROWS, Sheet
from dxmonitor.intake.windows import WindowError, parse_window
from dxmonitor.problems import Location, Problem, error

CODES_MARK = "#codes"
UNIT_CODE, UNIT_NAME, NOTE = "unit_code", "unit_name", "note"
ROUND_LABELS = {"ky bao cao", "round"}
AS_OF_LABELS = {"ngay so lieu", "as of", "as_of"}
SEARCH_ROWS = HEAD_ROWS


@dataclass
class WideSheet:
    records: list[LongRecord]
    round_code: str
    round_location: Location
    problems: list[Problem]


def _label(cell: object) -> str:
    return fold_diacritics(normalise(cell_text(cell))).rstrip(":")


def _metadata(sheet: Sheet, until: int) -> tuple[str, object, Location, Location]:
    """The round code and the as-of cell written above the code row ("Kỳ báo cáo: 2022-06"), and where."""
    round_code, as_of, where = "", None, Location(file=sheet.file, sheet=sheet.name)
    as_of_at = where
    for number, cells in sheet.head[:until]:
        for i, cell in enumerate(cells):
            label = _label(cell)
            if label not in ROUND_LABELS | AS_OF_LABELS:
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
    figure_columns = [(i, c) for i, c in enumerate(codes) if i and c and c not in (UNIT_CODE, UNIT_NAME, NOTE)]
    records = []
    for number, cells in sheet.rows_after(position):
        unit = next((cell_text(cells[i]) for i in unit_columns if i < len(cells) and cell_text(cells[i])), "")
        filled = [(i, code) for i, code in figure_columns if i < len(cells) and cell_text(cells[i])]
        if not filled:
            continue  # blank rows, and units that report nothing this round
        note = cell_text(cells[note_column]) if note_column is not None and note_column < len(cells) else ""
        unit_column = sheet.column_label(unit_columns[0]) if unit_columns else ""
        for i, code in filled:
            indicator, _, category = code.partition("|")
            records.append(
                LongRecord(
                    location=Location(file=sheet.file, sheet=sheet.name, row=number),
                    columns={
                        "unit": unit_column,
                        "indicator": sheet.column_label(i),
                        "value": sheet.column_label(i),
                        "category": sheet.column_label(i),
                        "as_of": as_of_at.column,
                        "note": "",
                    },
                    unit=unit,
                    indicator=indicator,
                    value=cells[i],
                    category=category,
                    as_of=as_of,
                    note=note,
                    measure="",
                )
            )
    return WideSheet(records, round_code, round_at, problems)
