"""Render the report document model as a DOCX on the office's Word template, in the document's layout: the
administrative report of Nghị định 30/2020/NĐ-CP or the bulletin with its cover and contents."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from dxmonitor.reports import docx_xml
from dxmonitor.reports.docx_front import (
    CELL_PADDING,
    LAYOUTS,
    borderless,
    closing,
    heading_anchor,
    heading_text,
    line,
    number_pages,
    text_width,
)
from dxmonitor.reports.docx_template import LANG, open_template
from dxmonitor.reports.layout import column_shares
from dxmonitor.reports.model import (
    Block,
    Byline,
    Cell,
    Document,
    Figure,
    Heading,
    ItemList,
    Paragraph,
    Prose,
    Span,
    Table,
)

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
BOLD_ROWS = {"total", "group", "change"}
WIDE_TABLE_COLUMNS = 8  # more columns than this do not fit portrait A4 at 11 pt (VND amounts run to 15 digits)


def render_docx(doc: Document, path: Path) -> Path:
    """Write `doc` as a DOCX file at `path`, built on its Word template, and return the path."""
    out = open_template(doc.template)
    number_pages(out, doc)
    parts = LAYOUTS[doc.layout]
    parts.front(out, doc)
    previous_was_table = False
    landscape = _landscape_spans(doc.blocks)
    width = text_width(out)
    listed = {id(h): i for i, h in enumerate(doc.headings())}  # the headings the bulletin's contents link to
    first_heading = next((i for i, b in enumerate(doc.blocks) if isinstance(b, Heading)), len(doc.blocks))
    for index, block in enumerate(doc.blocks):
        if index == first_heading and parts.before_sections is not None:
            parts.before_sections(out, doc)
        if index in landscape.starts or index in landscape.ends:
            width = _new_section(out, landscape=index in landscape.starts)
            if index in landscape.ends and not isinstance(block, Heading):
                _end_section_in_last_paragraph(out)  # the closing sentence follows the figures with no empty line
        space_before = 6 if previous_was_table else 0
        if isinstance(block, Heading):
            starts_section = index in landscape.starts or index in landscape.ends  # on a new page already
            new_page = parts.chapters_on_new_pages and block.level <= 1 and not starts_section
            _heading(out, block, space_before, listed.get(id(block)), new_page)
        elif isinstance(block, Paragraph):
            _paragraph(out, block, space_before)
        elif isinstance(block, Table):
            _table(out, block, width)
        elif isinstance(block, Figure):
            _figure(out, block, width)
        elif isinstance(block, Prose):
            _prose(out, block.spans, space_before)
        elif isinstance(block, ItemList):
            _item_list(out, block)
        elif isinstance(block, Byline):
            line(out, block.text, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, after=6)
        previous_was_table = isinstance(block, Table | Figure)
    if out.sections[-1].orientation == WD_ORIENT.LANDSCAPE:
        _new_section(out, landscape=False)  # the signer signs on a portrait page, not beside a wide table
        _end_section_in_last_paragraph(out)
    closing(out, doc)
    props = out.core_properties
    props.title = f"{doc.title} - {doc.subtitle}" if doc.subtitle else doc.title
    props.subject = doc.subtitle
    props.author = props.last_modified_by = doc.issuer.agency
    props.identifier = doc.number
    props.language = LANG
    path.parent.mkdir(parents=True, exist_ok=True)
    out.save(str(path))
    return path


@dataclass
class _Spans:
    starts: set[int] = field(default_factory=set)
    ends: set[int] = field(default_factory=set)


def _belongs_to_table(block: Block) -> bool:
    """What follows a wide table on its landscape page: notes, findings, charts, further tables."""
    return isinstance(block, Table | Figure) or (isinstance(block, Paragraph) and block.style != "body")


def _landscape_spans(blocks: list[Block]) -> _Spans:
    """Tables too wide for portrait A4 go on landscape pages, from their section heading to what no longer belongs
    to the table (the next heading, or the closing sentence)."""
    spans = _Spans()
    for j, block in enumerate(blocks):
        if not isinstance(block, Table) or block.column_count <= WIDE_TABLE_COLUMNS:
            continue
        start = j
        while (
            start > 0
            and not isinstance(blocks[start - 1], Table)
            and (isinstance(blocks[start - 1], Heading) or getattr(blocks[start - 1], "style", "") == "note")
        ):
            start -= 1
        end = next((k for k in range(j + 1, len(blocks)) if not _belongs_to_table(blocks[k])), None)
        if start not in spans.ends:
            spans.starts.add(start)
        else:
            spans.ends.discard(start)
        if end is not None:
            spans.ends.add(end)
    return spans


def _new_section(out: DocxDocument, landscape: bool) -> Length:
    """Start a new page in the given orientation; return the text width there."""
    section = out.add_section(WD_SECTION.NEW_PAGE)
    long, short = max(section.page_width, section.page_height), min(section.page_width, section.page_height)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.different_first_page_header_footer = False
    return text_width(out)


def _end_section_in_last_paragraph(out: DocxDocument) -> None:
    """Move the section break python-docx wrote as an empty paragraph into the paragraph before it, when there is
    one: the same pages, without an empty line in the text."""
    body = out.element.body
    holder = body[-2]  # the empty paragraph holding the ended section's properties; body[-1] is the last section's
    before = holder.getprevious()
    if before is None or before.tag != qn("w:p") or before.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
        return
    if holder.find(qn("w:r")) is not None:
        return
    before.get_or_add_pPr().insert_element_before(holder.pPr.sectPr, "w:pPrChange")
    body.remove(holder)


def _heading(out: DocxDocument, block: Heading, space_before: float, listed: int | None, new_page: bool) -> None:
    level = min(max(block.level, 1), 3)
    paragraph = out.add_paragraph(heading_text(block), style=f"Heading {level}")
    paragraph.paragraph_format.space_before = Pt(space_before)
    if new_page:
        paragraph.paragraph_format.page_break_before = True
    if listed is not None:
        docx_xml.add_bookmark(paragraph, heading_anchor(listed), listed + 1)  # 0 is the signature's


def _paragraph(out: DocxDocument, block: Paragraph, space_before: float) -> None:
    paragraph = out.add_paragraph()
    run = paragraph.add_run(block.text)
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.space_before = Pt(space_before)
    fmt.first_line_indent = Cm(1)
    if block.style == "bullet":
        # The dash sits where body text starts; wrapped lines align after "- " (about 2.7 mm at 13 pt).
        fmt.left_indent, fmt.first_line_indent = Cm(1.27), Cm(-0.27)
    elif block.style == "note":
        run.font.italic, run.font.size = True, Pt(12)
    elif block.style == "lead":
        run.font.italic = True


def _runs(paragraph: DocxParagraph, spans: tuple[Span, ...]) -> None:
    """The office's runs: bold, italic, and links (underlined, pointing at their address)."""
    for span in spans:
        run = docx_xml.add_hyperlink(paragraph, span.href) if span.href else paragraph.add_run()
        for i, piece in enumerate(span.text.split("\n")):
            if i:
                run.add_break()
            run.add_text(piece)
        run.font.bold, run.font.italic = span.bold or None, span.italic or None


def _prose(out: DocxDocument, spans: tuple[Span, ...], space_before: float) -> None:
    paragraph = out.add_paragraph()
    _runs(paragraph, spans)
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.space_before = Pt(space_before)
    fmt.first_line_indent = Cm(1)


def _item_list(out: DocxDocument, block: ItemList, depth: int = 0) -> None:
    """Each item as a paragraph with its marker ("-", "1.") hanging before the text, as the bullets of the
    statistics hang their dash; nested lists step in by 0.75 cm."""
    for number, item in enumerate(block.items, start=block.start):
        paragraph = out.add_paragraph()
        paragraph.add_run(f"{number}." if block.ordered else "-")
        paragraph.add_run("\t")
        _runs(paragraph, item.spans)
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.left_indent = Cm(1.27 + 0.75 * depth + (0.63 if block.ordered else 0.4))
        fmt.first_line_indent = Cm(-(0.63 if block.ordered else 0.4))
        fmt.tab_stops.add_tab_stop(fmt.left_indent)
        for child in item.children:
            _item_list(out, child, depth + 1)


def place_cells(rows: list[list[Cell]]) -> list[tuple[int, int, Cell]]:
    """Grid position (row, column) of every cell, skipping slots taken by earlier row and column spans."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
    return placed


def _table(out: DocxDocument, block: Table, width: Length) -> None:
    if block.caption:
        line(out, block.caption, bold=True, after=6).paragraph_format.keep_with_next = True
    rows = [*block.header, *(row.cells for row in block.body)]
    styles = ["header"] * len(block.header) + [row.style for row in block.body]
    count = block.column_count
    size = Pt(12 if count <= 6 else 11)
    table = out.add_table(rows=len(rows), cols=count)
    table.style = out.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    docx_xml.set_table_borders(table, "single")
    docx_xml.set_column_widths(table, [Length(int(width * share)) for share in column_shares(block)])
    for r, row in enumerate(table.rows):
        docx_xml.set_row_flags(row, repeat_header=styles[r] == "header")
        for tc in row._tr.tc_lst:
            fmt = _Cell(tc, table).paragraphs[0].paragraph_format
            fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(3), Pt(3), 1.0
    grid = [row._tr.tc_lst for row in table.rows]  # read before merging, while the grid is plain
    for r, c, cell in place_cells(rows):
        if r >= len(grid) or c >= count:
            continue  # a span that overruns the declared grid: ignore the cell rather than fail
        target = _Cell(grid[r][c], table)
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if styles[r] == "header" else ALIGN[cell.align]
        run = paragraph.add_run(cell.text)
        run.font.size = size
        if cell.bold or styles[r] == "header" or styles[r] in BOLD_ROWS:
            run.font.bold = True  # only where bold: an explicit "not bold" on every cell was a tenth of the rendering
        if cell.rowspan > 1 or cell.colspan > 1:
            bottom = min(r + cell.rowspan, len(grid)) - 1
            right = min(c + cell.colspan, count) - 1
            target.merge(_Cell(grid[bottom][right], table))


def _figure(out: DocxDocument, block: Figure, width: Length) -> None:
    """The picture and its caption in one borderless cell, so that they stay together on one page."""
    table = borderless(out, 1, (width,), Length(0))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    docx_xml.set_row_flags(table.rows[0], repeat_header=False)
    cell = table.cell(0, 0)
    picture = line(cell, "", before=6)
    picture.add_run().add_picture(BytesIO(block.png), width=min(Mm(block.width_mm), Length(width - CELL_PADDING)))
    if block.caption:
        line(cell, block.caption, size=12, italic=True, before=3, after=6)
