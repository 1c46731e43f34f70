"""Open a submission file (CSV or XLSX) as sheets of raw rows, remembering where each cell came from."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, PasswordError


class ReadError(Exception):
    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi = vi
        self.en = en


@dataclass
class Sheet:
    """Rows of one sheet; `rows` holds (row number as the user sees it, cells)."""

    file: str
    name: str
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    column_names: list[str] = field(default_factory=list)  # "A", "B"… for spreadsheets

    def column_label(self, index: int) -> str:
        return self.column_names[index] if index < len(self.column_names) else str(index + 1)


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
    reader = csv.reader(io.StringIO(text), dialect)
    sheet = Sheet(file=path.name, name="")
    try:
        for number, cells in enumerate(reader, start=1):
            sheet.rows.append((number, list(cells)))
    except csv.Error as exc:
        raise ReadError(f"tệp CSV hỏng: {exc}", f"malformed CSV: {exc}") from exc
    width = max((len(c) for _, c in sheet.rows), default=0)
    sheet.column_names = [column_letter(i) for i in range(width)]
    return sheet


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
        try:
            data = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (CalamineError, ValueError) as exc:
            raise ReadError(f"không đọc được sheet '{name}': {exc}", f"cannot read sheet '{name}': {exc}") from exc
        sheet = Sheet(file=path.name, name=name)
        for number, cells in enumerate(data, start=1):
            sheet.rows.append((number, [None if c == "" else c for c in cells]))
        width = max((len(c) for _, c in sheet.rows), default=0)
        sheet.column_names = [column_letter(i) for i in range(width)]
        sheets.append(sheet)
    return sheets
