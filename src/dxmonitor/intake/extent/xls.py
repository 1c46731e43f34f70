"""An XLS (BIFF) workbook's reach, from its records, read before calamine opens it.

calamine parses every sheet of an XLS workbook when it opens it: for each sheet it reserves room for the cells its
DIMENSIONS record declares, then builds the dense grid of the cells its records place. The Workbook stream is read
here with olefile and its records walked as calamine walks them (from the sheet offsets of the BOUNDSHEET records,
CONTINUE records joined to the record before, embedded charts passed over); a record's first four bytes are the
row and column of its cell."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import olefile

from dxmonitor.intake.extent import Reach, check_declared, check_reach
from dxmonitor.intake.limits import Deadline, Limits, ReadError, TooLarge, number_en, number_vi, too_many_sheets

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
STREAMS = ("Workbook", "Book")  # as calamine looks for them (olefile's look-up ignores case, as calamine's tries do)
BOF, EOF, CONTINUE, FILEPASS, BOUNDSHEET, SST, DIMENSIONS, MULRK = (
    0x0809,
    0x000A,
    0x003C,
    0x002F,
    0x0085,
    0x00FC,
    0x0200,
    0x00BD,
)
# NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA: the cell records calamine keeps, each starting row, column
CELLS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006})
U16, U32 = struct.Struct("<H"), struct.Struct("<I")


def records(stream: bytes, start: int) -> Iterator[tuple[int, bytes]]:
    """The records from `start`, each with the CONTINUE records after it joined to its data, as calamine reads them;
    ends where the stream does (calamine refuses a record cut short, so nothing after it matters)."""
    at = start
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        if at + 4 + length > len(stream):
            return
        data = stream[at + 4 : at + 4 + length]
        at += 4 + length
        if len(stream) - at > 4 and U16.unpack_from(stream, at)[0] == CONTINUE:
            while len(stream) - at > 4 and U16.unpack_from(stream, at)[0] == CONTINUE:
                (more,) = U16.unpack_from(stream, at + 2)
                if at + 4 + more > len(stream):
                    return
                data += stream[at + 4 : at + 4 + more]
                at += 4 + more
        yield kind, data


def read_stream(path: Path) -> bytes | None:
    """The workbook stream; None for a file that is no compound document, which calamine refuses in its own words."""
    with path.open("rb") as f:
        if f.read(len(OLE_SIGNATURE)) != OLE_SIGNATURE:
            return None
    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.minisectorcutoff != 4096:  # calamine reads a stream below 4,096 bytes from the mini stream
                raise ReadError("tệp XLS hỏng", "damaged XLS file")
            for name in STREAMS:
                if ole.exists(name):
                    return bytes(ole.openstream(name).read())
    except (OSError, ValueError, struct.error, IndexError) as exc:
        raise ReadError(f"tệp XLS hỏng: {exc}", f"damaged XLS file: {exc}") from exc
    return None  # calamine says the Workbook stream is missing


def declared_dimensions(data: bytes) -> Reach | None:
    """The room calamine reserves for a DIMENSIONS record: its rows and columns, counted as calamine counts them
    (in 32 bits, so a first row after the last one wraps round to billions)."""
    if len(data) == 10:
        first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", data)
    elif len(data) == 14:
        first_row, last_row, first_column, last_column = struct.unpack_from("<IIHH", data)
    else:
        return None
    if first_column > 0xFF or last_column < first_column:
        first_column = 0
    if last_row < 1 or last_column < 1:
        return Reach(1, 1)
    rows = (last_row - 1 - first_row + 1) & 0xFFFFFFFF
    columns = (last_column - 1 - first_column + 1) & 0xFFFFFFFF
    return Reach(rows, columns)


def sheet_reach(stream: bytes, start: int, limits: Limits, deadline: Deadline) -> Reach:
    rows = columns = 0
    depth = 0  # inside an embedded chart's records, which calamine passes over
    seen_bof = False
    for count, (kind, data) in enumerate(records(stream, start)):
        if not count % Deadline.EVERY:
            deadline.check()
        if depth:
            depth += 1 if kind == BOF else -1 if kind == EOF else 0
            continue
        if kind == BOF:
            depth, seen_bof = (1, True) if seen_bof else (0, True)
        elif kind == EOF:
            break
        elif kind == DIMENSIONS:
            declared = declared_dimensions(data)
            if declared is not None:
                check_declared(f"A1:{declared.ref()}", declared, limits, "")
        elif kind in CELLS and len(data) >= 4:
            row, column = struct.unpack_from("<HH", data)
            rows, columns = max(rows, row + 1), max(columns, column + 1)
        elif kind == MULRK and len(data) >= 6:
            (row,) = U16.unpack_from(data)
            (last,) = U16.unpack_from(data, len(data) - 2)
            rows, columns = max(rows, row + 1), max(columns, last + 1)
    return Reach(rows, columns)


def measure_xls(path: Path, limits: Limits, deadline: Deadline) -> None:
    """Refuse an XLS workbook that calamine could not open within the limits."""
    stream = read_stream(path)
    if stream is None:
        return
    sheets: list[tuple[int, str]] = []
    for kind, data in records(stream, 0):
        if kind == FILEPASS and len(data) >= 2 and U16.unpack_from(data)[0]:
            return  # encrypted: calamine asks for the password and reads nothing
        if kind == BOUNDSHEET and len(data) >= 4:
            sheets.append((U32.unpack_from(data)[0], _sheet_name(data)))
        elif kind == SST and len(data) // 3 > limits.cells:  # a string takes at least three bytes
            raise TooLarge(
                "cells",
                f"bảng tính có tới {number_vi(len(data) // 3)} chuỗi, vượt giới hạn {number_vi(limits.cells)} ô",
                f"the workbook holds up to {number_en(len(data) // 3)} strings, beyond the limit of "
                f"{number_en(limits.cells)} cells",
            )
        elif kind == EOF:
            break
    if len(sheets) > limits.sheets:
        raise too_many_sheets(len(sheets), limits)
    for start, name in sheets:
        if start >= len(stream):  # calamine would fail on it, and not with an error it can answer
            raise ReadError("tệp XLS hỏng: sheet nằm ngoài tệp", "damaged XLS file: the sheet is outside it", name)
        try:
            check_reach(sheet_reach(stream, start, limits, deadline), limits, "")
        except ReadError as exc:
            exc.sheet = name
            raise


def _sheet_name(data: bytes) -> str:
    """The name of a BIFF8 BOUNDSHEET record, for a message; best effort."""
    if len(data) < 8:
        return ""
    length, wide = data[6], data[7] & 1
    raw = data[8 : 8 + length * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")
