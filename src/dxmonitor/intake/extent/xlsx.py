"""An XLSX workbook's reach, from its sheets' cell references, read before calamine loads a sheet.

calamine places a cell at its `r` reference (`<c r="XFD1048576">`), or, without one, next to the cell before it in
the row of the last `<row r=…>` plus the rows closed since; it keeps only cells with content. Almost every writer
gives each cell its reference first (`<c r="B7" …>`), so one regular-expression pass finds what could be far: a
cell whose reference has two or more letters, more row digits than the limits allow a near cell, or anything
unusual (no reference, other attributes first, a prefix). A typical file has none or few, and only those are
looked at; when they leave the answer open, every row and cell tag is walked as calamine walks them."""

from __future__ import annotations

import html
import re
import zipfile
from functools import cache
from itertools import chain
from pathlib import Path

from dxmonitor.intake.extent import Reach, check_declared, check_reach, fits
from dxmonitor.intake.extent.zipped import Unpacker, open_zip
from dxmonitor.intake.limits import Deadline, Limits, ReadError, TooLarge, number_en, number_vi

NEAR_COLUMNS = 26  # a one-letter column, A to Z
REF = re.compile(rb"([A-Za-z]*)([0-9]+)")
REST_OF_TAG = re.compile(rb"""(?:[^>"']|"[^"]*"|'[^']*')*>""")  # a quoted attribute value may hold ">"
R_ATTRIBUTE = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
EMPTY_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c\s*>")
TAG = re.compile(rb"""<(/?)(?:[\w.-]+:)?(row|c)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\s[^>]*?\bref\s*=\s*["']([^"']*)["']""")
SHARED_STRING = re.compile(rb"[<:]si[\s/>]")


UTF16 = {b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16", b"<\x00": "utf-16-le", b"\x00<": "utf-16-be"}


def as_utf8(data: bytes) -> bytes:
    """A part as the patterns here read it: calamine's XML reader also reads UTF-16 (by its byte-order mark or its
    first bytes), where no tag would match a pattern of ASCII bytes; every other encoding it knows keeps tags ASCII."""
    encoding = UTF16.get(data[:2])
    return data.decode(encoding, "replace").encode() if encoding else data


def position(ref: bytes, column_needed: bool = True) -> tuple[int, int] | None:
    """(row, column), 1-based, of a reference such as b"XFD1048576"; None where calamine would refuse the sheet."""
    match = REF.fullmatch(ref)
    if match is None or (column_needed and not match[1]):
        return None
    letters, digits = match[1].upper(), match[2].lstrip(b"0")
    if len(letters) > 8 or len(digits) > 12:  # past any limit (and past what int() reads of a long digit string)
        return (10**12, 10**12) if digits else None
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    row = int(digits or b"0")
    return (row, column) if row else None


@cache
def far_cells(digits: int) -> re.Pattern[bytes]:
    """Cell tags other than `<c r="A1"` with one capital and at most `digits` row digits. It starts with the literal
    `<c`, which the regular-expression engine looks for at C speed: a class such as `[<:]` would be tried at every
    byte, four times slower on a 32 MB sheet."""
    if digits == 0:
        return re.compile(rb"<c[>\s]")
    return re.compile(rb'<c(?:[>\t\n\r]| (?!r="[A-Z][0-9]{1,%d}"))' % digits)


PREFIXED_CELL = re.compile(rb":c[>\s]")  # `<x:c …>`: rare, and every one is looked at


def near_digits(limits: Limits) -> int:
    """The most row digits a one-letter cell may have without any chance of passing the limits."""
    digits = 0
    while (
        digits < 7 and (farthest := 10 ** (digits + 1) - 1) <= limits.rows and farthest * NEAR_COLUMNS <= limits.cells
    ):
        digits += 1
    return digits


class Unusual(Exception):
    """A cell tag the quick pass cannot place on its own: the whole sheet is walked instead."""


def quick_reach(data: bytes, digits: int) -> Reach:
    """The reach of the cells that could be far, with content; raise Unusual for a cell placed by its neighbours."""
    rows = columns = 0
    for match in chain(far_cells(digits).finditer(data), PREFIXED_CELL.finditer(data)):
        rest = REST_OF_TAG.match(data, match.end())
        if rest is None:
            raise Unusual
        attributes = data[match.end() : rest.end() - 1]
        if attributes.endswith(b"/"):
            continue  # an empty cell: calamine keeps none
        ref = R_ATTRIBUTE.search(attributes)
        if ref is None:
            raise Unusual
        if EMPTY_CELL_END.match(data, rest.end()):
            continue
        place = position(ref[1] if ref[1] is not None else ref[2])
        if place is not None:  # else calamine refuses the sheet when it comes to it
            rows, columns = max(rows, place[0]), max(columns, place[1])
    return Reach(rows, columns)


def walked_reach(data: bytes, deadline: Deadline) -> Reach:
    """Every row and cell tag, placed as calamine places them: the exact reach of the cells with content."""
    rows = columns = 0
    row = column = 1  # where a cell without a reference goes
    for count, match in enumerate(TAG.finditer(data)):
        if not count % Deadline.EVERY:
            deadline.check()
        closing, name, attributes = match.groups()
        closes_itself = attributes.endswith(b"/")
        if name == b"row":
            if not closing:
                ref = R_ATTRIBUTE.search(attributes)
                place = position(ref[1] if ref[1] is not None else ref[2], column_needed=False) if ref else None
                row = place[0] if place else row
            if closing or closes_itself:
                row, column = row + 1, 1
            continue
        if closing:
            continue
        ref = R_ATTRIBUTE.search(attributes)
        place = position(ref[1] if ref[1] is not None else ref[2]) if ref else (row, column)
        if place is None:
            continue
        column = place[1] + 1
        if not closes_itself and not EMPTY_CELL_END.match(data, match.end()):
            rows, columns = max(rows, place[0]), max(columns, place[1])
    return Reach(rows, columns)


def check_sheet(data: bytes, limits: Limits, deadline: Deadline) -> None:
    """Refuse a sheet whose declared dimension or whose cells reach past the limits."""
    head = data[: data.find(b"sheetData")]
    declared = DIMENSION.search(head)
    if declared is not None:
        corner = position(declared[1].split(b":")[-1])
        if corner is not None:
            check_declared(declared[1].decode("ascii", "replace"), Reach(*corner), limits, "")
    digits = near_digits(limits)
    try:
        far = quick_reach(data, digits)
    except Unusual:
        check_reach(walked_reach(data, deadline), limits, "")
        return
    check_reach(far, limits, "")  # cells that are really there
    unseen = 10**digits - 1  # the farthest a cell not looked at may be
    if not fits(Reach(max(far.rows, unseen), max(far.columns, NEAR_COLUMNS)), limits):
        check_reach(walked_reach(data, deadline), limits, "")


def check_shared_strings(data: bytes, limits: Limits) -> None:
    """calamine keeps every shared string when it opens the workbook: no more of them than cells allowed."""
    count = len(SHARED_STRING.findall(data))
    if count > limits.cells:
        raise TooLarge(
            "cells",
            f"bảng tính có {number_vi(count)} chuỗi dùng chung, vượt giới hạn {number_vi(limits.cells)} ô",
            f"the workbook holds {number_en(count)} shared strings, "
            f"beyond the limit of {number_en(limits.cells)} cells",
        )


def measure_xlsx(path: Path, limits: Limits, deadline: Deadline) -> None:
    """Refuse an XLSX workbook that calamine could not load within the limits; every part is looked at, since
    calamine finds a sheet by the workbook's relationships, whatever the part's name."""
    archive = open_zip(path)
    if archive is None:
        return
    with archive:
        unpacker = Unpacker(archive, limits)
        for info in archive.infolist():
            if info.is_dir():
                continue
            data = as_utf8(unpacker.unpack(info))
            try:
                if b"sheetData" in data:
                    check_sheet(data, limits, deadline)
                elif b"sst" in data[:1024]:
                    check_shared_strings(data, limits)
            except ReadError as exc:
                exc.sheet = sheet_names(archive).get(info.filename, info.filename)
                raise
            deadline.check()


SHEET = re.compile(rb"""<(?:[\w.-]+:)?sheet\s[^>]*>""")
ATTRIBUTE = re.compile(rb"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attributes(tag: bytes) -> dict[bytes, str]:
    found = ATTRIBUTE.findall(tag)
    return {key.split(b":")[-1]: html.unescape((v if v is not None else w).decode()) for key, v, w in found}


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's part and its name as the workbook gives it, for a message; empty when they cannot be read."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return {}
    targets = {}
    for tag in re.findall(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>", rels):
        found = _attributes(tag)
        target = found.get(b"Target", "")
        targets[found.get(b"Id", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    names = {}
    for tag in SHEET.findall(workbook):
        found = _attributes(tag)
        if b"id" in found and b"name" in found:
            names[targets.get(found[b"id"], "")] = found[b"name"]
    return names
