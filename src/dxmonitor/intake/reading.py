"""Open a submission file (CSV or XLSX) as sheets of raw rows, remembering where each cell came from.

Rows are read as they are used, not copied: a sheet of 100,000 rows never sits in memory twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import chain, islice
from pathlib import Path

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, PasswordError


class ReadError(Exception):
    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi = vi
        self.en = en


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


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of the file; a CSV file is one sheet. Raise ReadError for a file that cannot be read."""
    if not path.is_file():
        raise ReadError("không tìm thấy tệp", "file not found")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return [_read_csv(path)]
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_workbook(path)
    raise ReadError(
        f"định dạng tệp '{suffix}' chưa được hỗ trợ (dùng .csv hoặc .xlsx)",
        f"file type '{suffix}' is not supported (use .csv or .xlsx)",
    )


def _read_csv(path: Path) -> Sheet:
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
    return Sheet(path.name, "", _csv_rows(csv.reader(io.StringIO(text), dialect)))


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[Row]:
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise ReadError(f"tệp CSV hỏng: {exc}", f"malformed CSV: {exc}") from exc


def _read_workbook(path: Path) -> list[Sheet]:
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
    sheets = []
    for name in workbook.sheet_names:
        try:  # calamine parses the whole sheet here: a damaged one is refused before any of its rows is used
            sheet = Sheet(path.name, name, _workbook_rows(workbook.get_sheet_by_name(name)))
        except (CalamineError, ValueError) as exc:
            raise _unreadable(name, exc) from exc
        sheets.append(sheet)
    return sheets


def _unreadable(name: str, exc: Exception) -> ReadError:
    return ReadError(f"không đọc được sheet '{name}': {exc}", f"cannot read sheet '{name}': {exc}")


def _workbook_rows(sheet: CalamineSheet) -> Iterator[Row]:
    """Every row from the first (A1), each cell in its own column, the cells turned into Python one row at a time."""
    start = sheet.start
    if start is None:  # an empty sheet
        return
    # calamine yields the rows from the first, but the columns only from the first one that is used
    lead: list[object] = [None] * start[1]
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            row: list[object] = cells  # type: ignore[assignment]  # calamine's cell types, as plain objects
            yield number, lead + row if lead else row
    except (CalamineError, ValueError) as exc:
        raise _unreadable(sheet.name, exc) from exc
