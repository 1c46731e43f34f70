"""Render the report document model as a DOCX laid out per Nghị định 30/2020/NĐ-CP."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from dxmonitor.evaluation.formats import long_date
from dxmonitor.reports import docx_xml
from dxmonitor.reports.layout import TEXT_WIDTH_MM, column_shares
from dxmonitor.reports.model import (
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

FONT = "Times New Roman"
LANG = "vi-VN"
TEXT_WIDTH = Mm(TEXT_WIDTH_MM)
CELL_PADDING = Mm(3.8)  # Word's default 0.19 cm left + right cell margins
# The masthead spans 180 mm centred on the paper, as wide as the right margin allows, so that
# "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and a typical agency name each fit on one line.
MASTHEAD_WIDTHS = (Mm(82), Mm(98))
MASTHEAD_INDENT = Mm(-15)
CLOSING_WIDTHS = (Mm(80), Mm(85))
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
BOLD_ROWS = {"total", "group", "change"}
WIDE_TABLE_COLUMNS = 8  # more columns than this do not fit portrait A4 at 11 pt (VND amounts run to 15 digits)
HEADING_LOOK = {1: (13, False), 2: (13, False), 3: (13, True)}  # level -> (size, italic); all bold
Container = DocxDocument | _Cell


def render_docx(doc: Document, path: Path) -> Path:
    """Write `doc` as a DOCX file at `path` and return the path."""
    out = docx.Document()
    _set_up_page(out)
    _set_up_styles(out)
    _masthead(out, doc)
    _title(out, doc)
    previous_was_table = False
    landscape = _landscape_spans(doc)
    width: Length = TEXT_WIDTH
    for index, block in enumerate(doc.blocks):
        if index in landscape.starts or index in landscape.ends:
            width = _new_section(out, landscape=index in landscape.starts)
        if isinstance(block, Heading):
            _heading(out, block, space_before=6 if previous_was_table else 0)
        elif isinstance(block, Paragraph):
            _paragraph(out, block, space_before=6 if previous_was_table else 0)
        elif isinstance(block, Table):
            _table(out, block, width)
        elif isinstance(block, Figure):
            _figure(out, block, width)
        elif isinstance(block, Prose):
            _prose(out, block.spans, space_before=6 if previous_was_table else 0)
        elif isinstance(block, ItemList):
            _item_list(out, block)
        elif isinstance(block, Byline):
            _line(out, block.text, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, after=6)
        previous_was_table = isinstance(block, Table | Figure)
    # A report whose last table is landscape closes on that page: the signature follows the figures.
    _closing(out, doc)
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


def _landscape_spans(doc: Document) -> _Spans:
    """Tables too wide for portrait A4 go on landscape pages, from their section heading to the next heading."""
    spans = _Spans()
    blocks = doc.blocks
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
        end = next((k for k in range(j + 1, len(blocks)) if isinstance(blocks[k], Heading)), None)
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
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Mm(297), Mm(210)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.different_first_page_header_footer = False
    return Length(section.page_width - section.left_margin - section.right_margin)


def _set_up_page(out: DocxDocument) -> None:
    section = out.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    # Nghị định 30: page numbers from page 2 on, so page 1 gets its own (empty) header.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.space_after = Pt(0)
    docx_xml.add_page_field(number)


def _set_up_styles(out: DocxDocument) -> None:
    defaults = out.styles.element.find(qn("w:docDefaults"))
    docx_xml.set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), FONT, LANG)
    normal = out.styles["Normal"]
    normal.font.size = Pt(13)
    docx_xml.set_fonts(normal.element.get_or_add_rPr(), FONT, LANG)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    fmt.line_spacing = 1.15
    for level, (size, italic) in HEADING_LOOK.items():
        style = out.styles[f"Heading {level}"]
        docx_xml.set_fonts(style.element.get_or_add_rPr(), FONT)
        docx_xml.drop_color(style.element.get_or_add_rPr())
        style.font.size, style.font.bold, style.font.italic = Pt(size), True, italic
        hfmt = style.paragraph_format
        hfmt.space_before, hfmt.space_after = Pt(0), Pt(6)
        hfmt.line_spacing = 1.15
        hfmt.first_line_indent = Cm(1)
        hfmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        hfmt.keep_with_next = True


def _line(
    box: Container,
    text: str,
    *,
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
    before: float = 0,
) -> DocxParagraph:
    """Add a one-look paragraph; a newline in `text` becomes a line break."""
    paragraph = box.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.0
    return paragraph


def _rule(box: Container, length: Length, room: Length, after: float = 0) -> None:
    docx_xml.add_rule(_line(box, "", after=after), length, room)


def _borderless(out: DocxDocument, rows: int, widths: tuple[Length, ...], indent: Length) -> DocxTable:
    table: DocxTable = out.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    docx_xml.set_table_indent(table, indent)
    docx_xml.set_table_borders(table, "nil")
    docx_xml.set_column_widths(table, list(widths))
    for cell in (c for row in table.rows for c in row.cells):
        _empty(cell)
    return table


def _empty(cell: _Cell) -> _Cell:
    """Remove the placeholder paragraph so `add_paragraph` starts at the top of the cell."""
    for p in cell._tc.p_lst:
        cell._tc.remove(p)
    return cell


def _masthead(out: DocxDocument, doc: Document) -> None:
    issuer = doc.issuer
    table = _borderless(out, 2, MASTHEAD_WIDTHS, MASTHEAD_INDENT)
    left, right = table.cell(0, 0), table.cell(0, 1)
    _line(left, issuer.parent_agency.upper(), size=12)
    _line(left, issuer.agency.upper(), size=12, bold=True, after=4)
    _rule(left, Mm(25), Length(MASTHEAD_WIDTHS[0] - CELL_PADDING))
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _line(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, after=4)
    _rule(right, Mm(60), Length(MASTHEAD_WIDTHS[1] - CELL_PADDING))
    _line(table.cell(1, 0), f"Số: {doc.number}", before=6)
    _line(table.cell(1, 1), f"{issuer.place}, {long_date(doc.issued_on)}", italic=True, before=6)


def _title(out: DocxDocument, doc: Document) -> None:
    _line(out, doc.title.upper(), size=14, bold=True, before=24)
    if doc.subtitle:
        _line(out, doc.subtitle, size=14, bold=True, after=4)
    _rule(out, Mm(35), TEXT_WIDTH, after=12)


def _heading(out: DocxDocument, block: Heading, space_before: float) -> None:
    level = min(max(block.level, 1), 3)
    text = block.text.upper() if level == 1 else block.text
    paragraph = out.add_paragraph(text, style=f"Heading {level}")
    paragraph.paragraph_format.space_before = Pt(space_before)


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


def _table(out: DocxDocument, block: Table, width: Length = TEXT_WIDTH) -> None:
    if block.caption:
        _line(out, block.caption, bold=True, after=6).paragraph_format.keep_with_next = True
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
        run.font.bold = cell.bold or styles[r] == "header" or styles[r] in BOLD_ROWS
        if cell.rowspan > 1 or cell.colspan > 1:
            bottom = min(r + cell.rowspan, len(grid)) - 1
            right = min(c + cell.colspan, count) - 1
            target.merge(_Cell(grid[bottom][right], table))


def _figure(out: DocxDocument, block: Figure, width: Length = TEXT_WIDTH) -> None:
    """The picture and its caption in one borderless cell, so that they stay together on one page."""
    table = _borderless(out, 1, (width,), Length(0))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    docx_xml.set_row_flags(table.rows[0], repeat_header=False)
    cell = table.cell(0, 0)
    picture = _line(cell, "", before=6)
    picture.add_run().add_picture(BytesIO(block.png), width=min(Mm(block.width_mm), Length(width - CELL_PADDING)))
    if block.caption:
        _line(cell, block.caption, size=12, italic=True, before=3, after=6)


def _closing(out: DocxDocument, doc: Document) -> None:
    issuer = doc.issuer
    table = _borderless(out, 1, CLOSING_WIDTHS, Length(0))
    docx_xml.set_row_flags(table.rows[0], repeat_header=False)
    left, right = table.cell(0, 0), table.cell(0, 1)
    _line(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=12)
    for i, recipient in enumerate(issuer.recipients):
        end = "." if i == len(issuer.recipients) - 1 else ";"
        _line(left, f"- {recipient}{end}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, issuer.signer_title.upper(), size=13, bold=True, before=12)
    _line(right, issuer.signer_name, size=13, bold=True, before=72)
    if not issuer.recipients:
        _line(left, "")  # Word rejects a cell without a paragraph
