"""Open a submission file (CSV or XLSX) as sheets of raw rows, remembering where each cell came from.

Rows are read as they are used, not copied: a sheet of 100,000 rows never sits in memory twice. Reading stays
within `Limits`: a file past one is refused at once with a `TooLarge` that names it (a workbook's reach is measured
before calamine loads it: `intake/extent/`), and the clock is looked at as rows are taken.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import chain, islice
from pathlib import Path

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, PasswordError

from dxmonitor.intake.extent import measure_workbook
from dxmonitor.intake.limits import (
    DEFAULT,
    Deadline,
    Limits,
    ReadError,
    TooLarge,
    mebibytes,
    number_en,
    number_vi,
    too_many_cells,
    too_many_rows,
    too_many_sheets,
)

__all__ = ["HEAD_ROWS", "Limits", "ReadError", "Row", "Sheet", "column_letter", "read_sheets"]

Row = tuple[int, list[object]]  # (row number as the user sees it, cells); an empty cell is None or ""
HEAD_ROWS = 30  # the rows where a header, a template's codes, its round and its as-of day may stand


class Sheet:
    """The rows of one sheet, read once: `head` holds the first rows, `rows_after` gives the rest."""

    def __init__(self, file: str, name: str, rows: Iterable[Row]):
        self.file = file
        self.name = name
        self._rows = iter(rows)
        self.head: list[Row] = list(islice(self._rows, HEAD_ROWS))

    def rows_after(self, position: int) -> Iterator[Row]:
        """The rows after `head[position]`, then the rest of the sheet; can be taken only once."""
        return chain(self.head[position + 1 :], self._rows)

    def column_label(self, index: int) -> str:
        return column_letter(index)


@cache
def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_sheets(path: Path, limits: Limits = DEFAULT) -> list[Sheet]:
    """Every sheet of the file; a CSV file is one sheet. Raise ReadError for a file that cannot be read, TooLarge
    for one past the limits (at once, or when its rows are taken past the time allowed)."""
    if not path.is_file():
        raise ReadError("không tìm thấy tệp", "file not found")
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise TooLarge(
            "file_bytes",
            f"tệp nặng {mebibytes(size)}, vượt giới hạn {mebibytes(limits.file_bytes)} một tệp",
            f"the file is {mebibytes(size)}, beyond the limit of {mebibytes(limits.file_bytes)} a file",
        )
    deadline = limits.deadline()
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return [_read_csv(path, limits, deadline)]
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        measure_workbook(path, limits, deadline)
        return _read_workbook(path, limits, deadline)
    raise ReadError(
        f"định dạng tệp '{suffix}' chưa được hỗ trợ (dùng .csv hoặc .xlsx)",
        f"file type '{suffix}' is not supported (use .csv or .xlsx)",
    )


def _read_csv(path: Path, limits: Limits, deadline: Deadline) -> Sheet:
    raw = path.read_bytes()
    # Excel's "Unicode Text" is UTF-16 with a byte-order mark; the Windows Vietnamese code page is the fallback.
    encodings = ("utf-16",) if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1258")
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadError("tệp CSV không phải UTF-8", "the CSV file is not UTF-8")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # A row holds at most one cell more than its separators: bounded so, no line can make a row of millions of cells.
    separators = text.count(dialect.delimiter)
    if separators > limits.cells:
        raise TooLarge(
            "cells",
            f"tệp có {number_vi(separators)} dấu phân cách, tức hơn {number_vi(limits.cells)} ô, vượt giới hạn",
            f"the file has {number_en(separators)} separators, so over {number_en(limits.cells)} cells, "
            "beyond the limit",
        )
    return Sheet(path.name, "", _csv_rows(csv.reader(io.StringIO(text), dialect), limits, deadline))


def _csv_rows(reader: Iterator[list[str]], limits: Limits, deadline: Deadline) -> Iterator[Row]:
    try:
        for number, cells in enumerate(reader, start=1):
            if number > limits.rows:
                raise too_many_rows(number, limits)
            if not number % Deadline.EVERY:
                deadline.check()
            row: list[object] = cells  # type: ignore[assignment]  # text cells, as plain objects
            yield number, row
    except csv.Error as exc:
        raise ReadError(f"tệp CSV hỏng: {exc}", f"malformed CSV: {exc}") from exc


def _read_workbook(path: Path, limits: Limits, deadline: Deadline) -> list[Sheet]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except PasswordError as exc:
        raise ReadError(
            "bảng tính được đặt mật khẩu: hãy bỏ mật khẩu trong Excel rồi lưu lại",
            "the workbook is protected by a password: remove the password in Excel and save it again",
        ) from exc
    except (CalamineError, OSError, ValueError) as exc:
        raise ReadError(
            f"không mở được bảng tính (tệp hỏng hoặc không phải Excel): {exc}",
            f"cannot open the workbook (damaged or not Excel): {exc}",
        ) from exc
    if len(workbook.sheet_names) > limits.sheets:
        raise too_many_sheets(len(workbook.sheet_names), limits)
    sheets = []
    for name in workbook.sheet_names:
        try:  # calamine parses the whole sheet here: a damaged one is refused before any of its rows is used
            loaded = workbook.get_sheet_by_name(name)
            _check_loaded(loaded, limits)
            sheet = Sheet(path.name, name, _workbook_rows(loaded, deadline))
        except (CalamineError, ValueError) as exc:
            raise _unreadable(name, exc) from exc
        sheets.append(sheet)
    return sheets


def _unreadable(name: str, exc: Exception) -> ReadError:
    return ReadError(f"không đọc được sheet '{name}': {exc}", f"cannot read sheet '{name}': {exc}")


def _check_loaded(sheet: CalamineSheet, limits: Limits) -> None:
    """What calamine loaded is within the limits (it is, when the workbook's reach was measured right)."""
    if sheet.end is not None:
        rows, columns = sheet.end[0] + 1, sheet.end[1] + 1
        if rows > limits.rows:
            raise too_many_rows(rows, limits, sheet.name)
        if rows * columns > limits.cells:
            raise too_many_cells(rows, columns, column_letter(columns - 1) + str(rows), limits, sheet.name)


def _workbook_rows(sheet: CalamineSheet, deadline: Deadline) -> Iterator[Row]:
    """Every row from the first (A1), each cell in its own column, the cells turned into Python one row at a time."""
    start = sheet.start
    if start is None:  # an empty sheet
        return
    # calamine yields the rows from the first, but the columns only from the first one that is used
    lead: list[object] = [None] * start[1]
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if not number % Deadline.EVERY:
                deadline.check(sheet.name)
            row: list[object] = cells  # type: ignore[assignment]  # calamine's cell types, as plain objects
            yield number, lead + row if lead else row
    except (CalamineError, ValueError) as exc:
        raise _unreadable(sheet.name, exc) from exc
