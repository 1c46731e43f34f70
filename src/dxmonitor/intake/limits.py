"""How far reading a submission file may go, and the refusal that names the limit a file goes past.

A file past a limit is refused at once, before anything large is built from it: a workbook's extent is measured
before python-calamine loads it (`intake/extent/`), since calamine holds a sheet as a dense grid of every cell from
its first used cell to its last, and one far cell next to A1 would make it ask for hundreds of gigabytes."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

MIB = 1024 * 1024
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """The bounds of one file's reading; each is set by the environment variable named in `SETTINGS`."""

    file_bytes: int = 50 * MIB  # the file as uploaded
    unpacked_bytes: int = 200 * MIB  # an XLSX or ODS workbook's parts once unzipped (the measure holds one at a time)
    sheets: int = 50  # sheets in a workbook
    rows: int = 200_000  # the last row of a sheet (declared or reached by a cell), the rows of a CSV file
    cells: int = 4_000_000  # rows × columns of a sheet's extent, from A1 to its farthest cell
    errors_shown: int = 200  # problems listed on the upload page and by the API; the rest are counted
    seconds: float = 20.0  # reading and planning one file (below the server's 30-second worker timeout)

    def deadline(self) -> Deadline:
        return Deadline(self.seconds)


DEFAULT = Limits()

SETTINGS = {
    "file_bytes": "DXMONITOR_MAX_FILE_MB",
    "unpacked_bytes": "DXMONITOR_MAX_UNPACKED_MB",
    "sheets": "DXMONITOR_MAX_SHEETS",
    "rows": "DXMONITOR_MAX_ROWS",
    "cells": "DXMONITOR_MAX_CELLS",
    "errors_shown": "DXMONITOR_MAX_ERRORS_SHOWN",
    "seconds": "DXMONITOR_MAX_READ_SECONDS",
}


class ReadError(Exception):
    """A file that cannot be read, said in both languages; `sheet` names the sheet at fault, if one is."""

    def __init__(self, vi: str, en: str, sheet: str = ""):
        super().__init__(en)
        self.vi = vi
        self.en = en
        self.sheet = sheet


class TooLarge(ReadError):
    """A file past one of the limits: what it reaches, the limit, and the setting that raises it."""

    def __init__(self, field: str, vi: str, en: str, sheet: str = ""):
        setting = SETTINGS[field]
        super().__init__(f"{vi} ({setting})", f"{en} ({setting})", sheet)
        self.field = field


def number_vi(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def number_en(n: int) -> str:
    return f"{n:,}"


def mebibytes(n: int) -> str:
    """ "50 MB", "1.5 MB", "0.02 MB": at most two decimals, none that say nothing."""
    return f"{n / MIB:.2f}".rstrip("0").rstrip(".") + " MB"


class Deadline:
    """The moment reading a file must be over; checked every few thousand rows, where it costs nothing."""

    EVERY = 4096  # rows between two looks at the clock

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def check(self, sheet: str = "") -> None:
        if time.monotonic() > self.at:
            raise TooLarge(
                "seconds",
                f"đọc và kiểm tra tệp quá {self.seconds:g} giây, giới hạn thời gian cho một tệp",
                f"reading and checking the file took over {self.seconds:g} seconds, the time limit for one file",
                sheet,
            )


def too_many_rows(rows: int, limits: Limits, sheet: str = "") -> TooLarge:
    return TooLarge(
        "rows",
        f"có dữ liệu ở dòng {number_vi(rows)}, vượt giới hạn {number_vi(limits.rows)} dòng",
        f"has data in row {number_en(rows)}, beyond the limit of {number_en(limits.rows)} rows",
        sheet,
    )


def too_many_cells(rows: int, columns: int, reach: str, limits: Limits, sheet: str = "") -> TooLarge:
    area = rows * columns
    return TooLarge(
        "cells",
        f"trải từ A1 tới {reach}: {number_vi(rows)} dòng × {number_vi(columns)} cột = {number_vi(area)} ô, "
        f"vượt giới hạn {number_vi(limits.cells)} ô",
        f"spans A1 to {reach}: {number_en(rows)} rows × {number_en(columns)} columns = {number_en(area)} cells, "
        f"beyond the limit of {number_en(limits.cells)} cells",
        sheet,
    )


def too_many_sheets(count: int, limits: Limits) -> TooLarge:
    return TooLarge(
        "sheets",
        f"bảng tính có {number_vi(count)} sheet, vượt giới hạn {number_vi(limits.sheets)} sheet",
        f"the workbook has {number_en(count)} sheets, beyond the limit of {number_en(limits.sheets)}",
    )


def head(items: Sequence[T], limit: int) -> tuple[list[T], int]:
    """The first `limit` items, and how many are left out."""
    shown = list(items[:limit])
    return shown, len(items) - len(shown)
