"""How far a workbook reaches, measured before python-calamine loads it, and the limits checked against it.

calamine builds each sheet as a dense grid from its first used cell to its last (an XLS or ODS workbook: every sheet
at once, when it is opened), so the grid's size is known only once it is too late. The parts of the file that say
where cells are — an XLSX sheet's cell references, an ODS table's repeated rows and cells, an XLS sheet's cell
records — are read here first, cheaply, and a file past a limit is refused before calamine sees it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dxmonitor.intake.limits import (
    Deadline,
    Limits,
    ReadError,
    TooLarge,
    number_en,
    number_vi,
    too_many_cells,
    too_many_rows,
)


@dataclass(frozen=True)
class Reach:
    """A sheet's extent from A1: its last row and last column (1-based; 0 for an empty sheet)."""

    rows: int
    columns: int

    def ref(self) -> str:
        return cell_ref(self.rows, self.columns)


def cell_ref(row: int, column: int) -> str:
    """ "XFD1048576" for row 1,048,576 and column 16,384."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def fits(reach: Reach, limits: Limits) -> bool:
    return reach.rows <= limits.rows and reach.rows * reach.columns <= limits.cells


def check_reach(reach: Reach, limits: Limits, sheet: str) -> None:
    """Refuse a sheet whose cells reach past the rows or the cells allowed."""
    if reach.rows > limits.rows:
        raise too_many_rows(reach.rows, limits, sheet)
    if reach.rows * reach.columns > limits.cells:
        raise too_many_cells(reach.rows, reach.columns, reach.ref(), limits, sheet)


def check_declared(ref: str, reach: Reach, limits: Limits, sheet: str) -> None:
    """Refuse a sheet whose declared dimension (`<dimension ref="A1:XFD1048576">`) is past the limits."""
    if not fits(reach, limits):
        area = reach.rows * reach.columns
        field = "rows" if reach.rows > limits.rows else "cells"
        raise TooLarge(
            field,
            f"khai báo vùng dữ liệu {ref} ({number_vi(reach.rows)} dòng × {number_vi(reach.columns)} cột = "
            f"{number_vi(area)} ô), vượt giới hạn {number_vi(limits.rows)} dòng, {number_vi(limits.cells)} ô",
            f"declares its data as {ref} ({number_en(reach.rows)} rows × {number_en(reach.columns)} columns = "
            f"{number_en(area)} cells), beyond the limits of {number_en(limits.rows)} rows, "
            f"{number_en(limits.cells)} cells",
            sheet,
        )


def measure_workbook(path: Path, limits: Limits, deadline: Deadline) -> None:
    """Refuse, with the limit it goes past, a workbook that calamine could not load within the limits."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from dxmonitor.intake.extent.xlsx import measure_xlsx

        measure_xlsx(path, limits, deadline)
    elif suffix == ".ods":
        from dxmonitor.intake.extent.ods import measure_ods

        measure_ods(path, limits, deadline)
    elif suffix == ".xls":
        from dxmonitor.intake.extent.xls import measure_xls

        measure_xls(path, limits, deadline)
    else:  # calamine opens by the name's suffix: no other reaches it (reading.py refuses the rest)
        raise ReadError(f"định dạng tệp '{suffix}' chưa được hỗ trợ", f"file type '{suffix}' is not supported")
