"""An ODS workbook's reach, from its content.xml, read before calamine opens it.

calamine reads every table of an ODS workbook when it opens it, repeating a row `table:number-rows-repeated` times
and a cell with content `table:number-columns-repeated` times, so a few bytes can ask for billions of cells. The
tables are read here with expat (each element once, nothing kept), counting rows and cells as calamine does: a run of
empty cells or rows counts only if content comes after it in its row or table."""

from __future__ import annotations

from pathlib import Path
from xml.parsers import expat

from dxmonitor.intake.extent import Reach, check_reach
from dxmonitor.intake.extent.zipped import Unpacker, damaged, open_zip
from dxmonitor.intake.limits import Deadline, Limits

TABLE, ROW = "table:table", "table:table-row"
CELLS = ("table:table-cell", "table:covered-table-cell")
CONTENT = (  # a cell with any of these holds a value or a formula for calamine
    "office:value",
    "office:string-value",
    "office:date-value",
    "office:time-value",
    "office:boolean-value",
    "office:value-type",
    "table:formula",
)


class Tables:
    """The reach of each table, counted as expat reports its elements."""

    def __init__(self, limits: Limits, deadline: Deadline):
        self.limits, self.deadline = limits, deadline
        self.name = ""
        self.rows = self.reach_rows = self.reach_columns = 0
        self.row_repeats = 1
        self.column = self.row_columns = 0  # cells so far in this row; up to its last with content
        self.cell: tuple[int, bool] | None = None  # the open cell: its repeats, whether it has content
        self.elements = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.elements += 1
        if not self.elements % Deadline.EVERY:
            self.deadline.check(self.name)
        if self.cell is not None:  # anything inside a cell (text:p) is content
            self.cell = (self.cell[0], True)
        if name == TABLE:
            self.name, self.rows, self.reach_rows, self.reach_columns = attributes.get("table:name", ""), 0, 0, 0
        elif name == ROW:
            self.row_repeats = self.count(attributes.get("table:number-rows-repeated", "1"))
            self.column = self.row_columns = 0
        elif name in CELLS:
            repeats = self.count(attributes.get("table:number-columns-repeated", "1"))
            self.cell = (repeats, any(key in attributes for key in CONTENT))

    def end(self, name: str) -> None:
        if name in CELLS and self.cell is not None:
            repeats, content = self.cell
            self.column += repeats
            if content:
                self.row_columns = self.column
            self.cell = None
        elif name == ROW:
            self.rows += self.row_repeats
            if self.row_columns:
                self.reach_rows = self.rows
                self.reach_columns = max(self.reach_columns, self.row_columns)
                check_reach(Reach(self.reach_rows, self.reach_columns), self.limits, self.name)
        elif name == TABLE:
            check_reach(Reach(self.reach_rows, self.reach_columns), self.limits, self.name)

    def count(self, text: str) -> int:
        try:
            return max(int(text), 1)
        except ValueError:
            return 1  # calamine refuses the file when it reads it


def measure_ods(path: Path, limits: Limits, deadline: Deadline) -> None:
    """Refuse an ODS workbook that calamine could not open within the limits."""
    archive = open_zip(path)
    if archive is None:
        return
    with archive:
        try:
            info = archive.getinfo("content.xml")
        except KeyError:
            return  # calamine says content.xml is missing
        data = Unpacker(archive, limits).unpack(info)
    tables = Tables(limits, deadline)
    parser = expat.ParserCreate()
    parser.StartElementHandler = tables.start
    parser.EndElementHandler = tables.end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise damaged(f"content.xml: {exc}") from exc
