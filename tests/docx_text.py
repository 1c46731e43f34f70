"""A DOCX file's text in reading order, as one string a test can compare byte for byte with a fixture.

Body paragraphs one a line; a table one row a line, its cells between "|" (a merged cell once, its paragraphs joined
by " ¶ "); then each section's header and footer, and the properties a reader sees (title, subject, author, number).
Pictures have no text and leave none."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml.etree import _Element


def _cell_text(cell: _Cell) -> str:
    return " ¶ ".join(_block_lines(cell._tc, cell))


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        # the row's own cells, not python-docx's grid view, which repeats a cell merged across columns
        cells = [_Cell(tc, table) for tc in row._tr.tc_lst]
        lines.append("| " + " | ".join(_cell_text(c) for c in cells) + " |")
    return lines


def _block_lines(element: _Element, parent: object) -> list[str]:
    lines: list[str] = []
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(Paragraph(child, parent).text)  # type: ignore[arg-type]
        elif child.tag == qn("w:tbl"):
            lines += _table_lines(Table(child, parent))  # type: ignore[arg-type]
    return lines


def document_text(document: DocxDocument) -> str:
    """The text of an opened document, in order (see the module's docstring)."""
    lines = _block_lines(document.element.body, document)
    for number, section in enumerate(document.sections, start=1):
        for where, part in (("header", section.header), ("footer", section.footer)):
            if part.is_linked_to_previous:
                continue
            lines.append(f"[{where} of section {number}]")
            lines += _block_lines(part._element, part)
    props = document.core_properties
    lines += [
        "[properties]",
        f"title: {props.title}",
        f"subject: {props.subject}",
        f"author: {props.author}",
        f"identifier: {props.identifier}",
    ]
    return "\n".join(lines) + "\n"


def docx_text(path: Path) -> str:
    """The text of the DOCX file at `path`, in order."""
    return document_text(docx.Document(str(path)))
