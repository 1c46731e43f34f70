"""The long import format: one value a row, headers in Vietnamese or English (PRODUCT.md)."""

from __future__ import annotations

from dataclasses import dataclass

from dxmonitor.intake.names import fold_diacritics, normalise
from dxmonitor.intake.reading import Sheet
from dxmonitor.problems import Location

FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "unit": ("don_vi", "unit", "ten_don_vi"),
    "indicator": ("chi_tieu", "indicator", "ma_chi_tieu"),
    "value": ("gia_tri", "value", "so_lieu"),
    "category": ("phan_loai", "category"),
    "as_of": ("ngay_so_lieu", "as_of"),
    "note": ("ghi_chu", "note"),
    "measure": ("dai_luong", "measure"),
}
REQUIRED = ("unit", "indicator", "value")
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class LongRecord:
    """One row of a long file, cells still as written."""

    location: Location
    columns: dict[str, str]  # field → column label, for messages
    unit: str
    indicator: str
    value: object
    category: str
    as_of: object
    note: str
    measure: str

    def at(self, field: str) -> Location:
        loc = self.location
        return Location(loc.file, loc.sheet, loc.row, self.columns.get(field, ""), field)


def _field_of(header: object) -> str | None:
    if header is None:
        return None
    key = fold_diacritics(normalise(str(header))).replace(" ", "_")
    return next((f for f, names in FIELD_NAMES.items() if key in names), None)


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).replace("\x00", "").strip()  # a NUL cannot be stored (PostgreSQL) and means nothing here


def find_header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The header row's position in `sheet.rows` and the column index of each field, if the sheet has one."""
    for position, (_, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        fields: dict[str, int] = {}
        for index, cell in enumerate(cells):
            name = _field_of(cell)
            if name and name not in fields:
                fields[name] = index
        if all(f in fields for f in REQUIRED):
            return position, fields
    return None


def read_long_sheet(sheet: Sheet) -> list[LongRecord] | None:
    """The rows of a sheet that carries the long header, or None if it does not."""
    header = find_header(sheet)
    if header is None:
        return None
    position, fields = header
    columns = {f: sheet.column_label(i) for f, i in fields.items()}
    # One column index per field (-1: the file has no such column); rows are many, so no per-row lookups.
    unit, indicator, value, category, as_of, note, measure = (
        fields.get(f, -1) for f in ("unit", "indicator", "value", "category", "as_of", "note", "measure")
    )
    records = []
    for number, cells in sheet.rows[position + 1 :]:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        width = len(cells)

        def at(index: int, cells: list[object] = cells, width: int = width) -> object:
            return cells[index] if 0 <= index < width else None

        records.append(
            LongRecord(
                location=Location(file=sheet.file, sheet=sheet.name, row=number),
                columns=columns,
                unit=_text(at(unit)),
                indicator=_text(at(indicator)),
                value=at(value),
                category=_text(at(category)),
                as_of=at(as_of),
                note=_text(at(note)),
                measure=_text(at(measure)),
            )
        )
    return records
