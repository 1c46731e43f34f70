"""The long import format: one value a row, headers in Vietnamese or English (PRODUCT.md)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dxmonitor.intake.names import folded
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
FIELDS = tuple(FIELD_NAMES)
FIELD_OF: dict[str, str] = {}  # a header's folded name → its field
for _field, _names in FIELD_NAMES.items():
    for _name in _names:
        FIELD_OF.setdefault(_name, _field)
REQUIRED = ("unit", "indicator", "value")
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True, slots=True)
class Origin:
    """Where rows come from: file, sheet and the column of each field; a row number completes a location."""

    file: str
    sheet: str = ""
    columns: tuple[tuple[str, str], ...] = ()  # field → column label, for messages
    column: str = ""  # said of the whole row when no field is named

    def location(self, row: int | None) -> Location:
        return Location(self.file, self.sheet, row, self.column)

    def at(self, row: int | None, field: str) -> Location:
        """Where one field of row `row` was written."""
        return Location(self.file, self.sheet, row, dict(self.columns).get(field, self.column), field)

    def ref(self, row: int | None) -> str:
        """The row as a value's source reference: "file.xlsx!Sheet:12"."""
        return self.file + (f"!{self.sheet}" if self.sheet else "") + f":{row}"


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

    @property
    def origin(self) -> Origin:
        loc = self.location
        return Origin(loc.file, loc.sheet, tuple(self.columns.items()), loc.column)


@dataclass
class LongSheet:
    """A sheet with the long header: where each field's column is, and its data rows, read once."""

    origin: Origin
    fields: dict[str, int]  # field → column index
    rows: Iterator[tuple[int, list[object]]]

    def record(self, number: int, cells: list[object]) -> LongRecord:
        """One row as a record, cells still as written."""
        fields = self.fields

        def at(name: str) -> object:
            index = fields.get(name, -1)
            return cells[index] if 0 <= index < len(cells) else None

        return LongRecord(
            location=Location(file=self.origin.file, sheet=self.origin.sheet, row=number),
            columns=dict(self.origin.columns),
            unit=cell_text(at("unit")),
            indicator=cell_text(at("indicator")),
            value=at("value"),
            category=cell_text(at("category")),
            as_of=at("as_of"),
            note=cell_text(at("note")),
            measure=cell_text(at("measure")),
        )

    def records(self) -> Iterator[LongRecord]:
        """Every row that is not blank, as a record."""
        for number, cells in self.rows:
            if not is_blank(cells):
                yield self.record(number, cells)


def is_blank(cells: list[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _field_of(header: object) -> str | None:
    if header is None:
        return None
    return FIELD_OF.get(folded(str(header)).replace(" ", "_"))


def cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).replace("\x00", "").strip()  # a NUL cannot be stored (PostgreSQL) and means nothing here


def find_header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The header row's position in `sheet.head` and the column index of each field, if the sheet has one."""
    for position, (_, cells) in enumerate(sheet.head[:HEADER_SEARCH_ROWS]):
        fields: dict[str, int] = {}
        for index, cell in enumerate(cells):
            name = _field_of(cell)
            if name and name not in fields:
                fields[name] = index
        if all(f in fields for f in REQUIRED):
            return position, fields
    return None


def read_long_sheet(sheet: Sheet) -> LongSheet | None:
    """The sheet's long table (its rows still to be read), or None if it has no long header."""
    header = find_header(sheet)
    if header is None:
        return None
    position, fields = header
    columns = tuple((f, sheet.column_label(i)) for f, i in fields.items())
    return LongSheet(Origin(sheet.file, sheet.name, columns), fields, sheet.rows_after(position))
