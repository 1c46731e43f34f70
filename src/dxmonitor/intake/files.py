"""Read submission files of any supported shape (long or template) into records, with every problem."""

from __future__ import annotations

from pathlib import Path

from dxmonitor.intake.long_format import LongRecord, read_long_sheet
from dxmonitor.intake.reading import ReadError, read_sheets
from dxmonitor.intake.wide_format import read_wide_sheet
from dxmonitor.problems import Location, Problem, error


def read_file(path: Path, round_code: str) -> tuple[list[LongRecord], list[Problem]]:
    """Every figure of every sheet that is a template or a long table; sheets of notes are passed over."""
    try:
        sheets = read_sheets(path)
    except ReadError as exc:
        return [], [error(Location(file=path.name), exc.vi, exc.en)]
    records: list[LongRecord] = []
    problems: list[Problem] = []
    recognised = False
    for sheet in sheets:
        wide = read_wide_sheet(sheet)
        if wide is not None:
            recognised = True
            if wide.round_code and wide.round_code != round_code:
                problems.append(
                    error(
                        wide.round_location,
                        f"biểu mẫu dành cho kỳ {wide.round_code}, không phải kỳ {round_code}",
                        f"the template is for round {wide.round_code}, not {round_code}",
                    )
                )
            records += wide.records
            problems += wide.problems
            continue
        long = read_long_sheet(sheet)
        if long is not None:
            recognised = True
            records += long
    if not recognised:
        names = ", ".join(s.name for s in sheets if s.name)
        problems.append(
            error(
                Location(file=path.name),
                "không có sheet nào là biểu mẫu dxmonitor hoặc bảng dạng dài có các cột don_vi, chi_tieu, gia_tri"
                + (f" (các sheet: {names})" if names else ""),
                "no sheet is a dxmonitor template or a long table with the columns don_vi, chi_tieu, gia_tri"
                + (f" (sheets: {names})" if names else ""),
            )
        )
    elif not records and not problems:
        problems.append(error(Location(file=path.name), "không có dòng số liệu nào", "there are no data rows"))
    return records, problems
