"""Read submission files of any supported shape (long or template): their figures, their long tables, problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dxmonitor.intake.limits import DEFAULT, Limits, ReadError
from dxmonitor.intake.long_format import LongSheet, read_long_sheet
from dxmonitor.intake.reading import read_sheets
from dxmonitor.intake.wide_format import WideTable, read_wide_sheet
from dxmonitor.problems import Location, Problem, error


@dataclass
class SubmissionFile:
    """A file's sheets in order, as a template's table or a long table (rows still to be read, once), and the
    file's own problems."""

    name: str
    parts: list[WideTable | LongSheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def unreadable(self, exc: ReadError) -> None:
        """The file turned out unreadable: it gives nothing but that problem."""
        self.parts, self.problems = [], [error(Location(file=self.name, sheet=exc.sheet), exc.vi, exc.en)]

    def empty(self) -> Problem:
        return error(Location(file=self.name), "không có dòng số liệu nào", "there are no data rows")


def read_file(path: Path, round_code: str, limits: Limits = DEFAULT) -> SubmissionFile:
    """Every sheet that is a template or a long table; sheets of notes are passed over.

    A template's figures are read here; a long table's rows are left to be read by whoever plans them, and if the
    file has no problem of its own and they turn out to be none, `empty()` is the problem to add."""
    found = SubmissionFile(path.name)
    try:
        sheets = read_sheets(path, limits)
        recognised = False
        for sheet in sheets:
            wide = read_wide_sheet(sheet)
            if wide is not None:
                recognised = True
                if wide.round_code and wide.round_code != round_code:
                    found.problems.append(
                        error(
                            wide.round_location,
                            f"biểu mẫu dành cho kỳ {wide.round_code}, không phải kỳ {round_code}",
                            f"the template is for round {wide.round_code}, not {round_code}",
                        )
                    )
                found.parts.append(wide.table)
                found.problems += wide.problems
                continue
            long = read_long_sheet(sheet)
            if long is not None:
                recognised = True
                found.parts.append(long)
    except ReadError as exc:
        found.unreadable(exc)
        return found
    if not recognised:
        names = ", ".join(s.name for s in sheets if s.name)
        found.problems.append(
            error(
                Location(file=path.name),
                "không có sheet nào là biểu mẫu dxmonitor hoặc bảng dạng dài có các cột don_vi, chi_tieu, gia_tri"
                + (f" (các sheet: {names})" if names else ""),
                "no sheet is a dxmonitor template or a long table with the columns don_vi, chi_tieu, gia_tri"
                + (f" (sheets: {names})" if names else ""),
            )
        )
    return found
