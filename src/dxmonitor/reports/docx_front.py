"""The parts of the DOCX report around its blocks, per layout: the administrative report's masthead and title or
the bulletin's cover and contents, the page numbers, and the closing with the recipients and the signer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Length, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from dxmonitor.evaluation.formats import long_date, short_date
from dxmonitor.reports import docx_xml
from dxmonitor.reports.layout import SIGNATURE_ANCHOR, SIGNATURE_BOX_MM
from dxmonitor.reports.model import Document, Heading, Layout

CELL_PADDING = Mm(3.8)  # Word's default 0.19 cm left + right cell margins
# The masthead spans 180 mm centred on the paper, as wide as the right margin allows, so that
# "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and a typical agency name each fit on one line.
MASTHEAD_WIDTHS = (Mm(82), Mm(98))
MASTHEAD_INDENT = Mm(-15)
CLOSING_WIDTHS = (Mm(80), Mm(85))
CONTENTS_TITLE = "MỤC LỤC"
Container = DocxDocument | _Cell


def line(
    box: Container,
    text: str,
    *,
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
    before: float = 0,
    style: str | None = None,
) -> DocxParagraph:
    """Add a one-look paragraph; a newline in `text` becomes a line break. With a `style`, the style's look."""
    paragraph = box.add_paragraph(style=style)
    if text and style:
        paragraph.add_run(text)
    elif text:
        run = paragraph.add_run(text)
        run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if not style:
        fmt.line_spacing = 1.0
    return paragraph


def rule(box: Container, length: Length, room: Length, after: float = 0) -> None:
    docx_xml.add_rule(line(box, "", after=after), length, room)


def borderless(out: DocxDocument, rows: int, widths: tuple[Length, ...], indent: Length) -> DocxTable:
    table: DocxTable = out.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    docx_xml.set_table_indent(table, indent)
    docx_xml.set_table_borders(table, "nil")
    docx_xml.set_column_widths(table, list(widths))
    for cell in (c for row in table.rows for c in row.cells):
        empty(cell)
    return table


def empty(cell: _Cell) -> _Cell:
    """Remove the placeholder paragraph so `add_paragraph` starts at the top of the cell."""
    for p in cell._tc.p_lst:
        cell._tc.remove(p)
    return cell


def text_width(out: DocxDocument) -> Length:
    section = out.sections[-1]
    return Length((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0))


def heading_text(block: Heading) -> str:
    """A heading as printed: level 1 in capitals."""
    return block.text.upper() if block.level <= 1 else block.text


def heading_anchor(index: int) -> str:
    """The bookmark of the report's `index`-th heading of levels 1 and 2, which its contents entry links to."""
    return f"_Toc{index + 1:04d}"


# --- the administrative report (Nghị định 30/2020)


def masthead(out: DocxDocument, doc: Document) -> None:
    issuer = doc.issuer
    table = borderless(out, 2, MASTHEAD_WIDTHS, MASTHEAD_INDENT)
    left, right = table.cell(0, 0), table.cell(0, 1)
    line(left, issuer.parent_agency.upper(), size=12)
    line(left, issuer.agency.upper(), size=12, bold=True, after=4)
    rule(left, Mm(25), Length(MASTHEAD_WIDTHS[0] - CELL_PADDING))
    line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    line(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, after=4)
    rule(right, Mm(60), Length(MASTHEAD_WIDTHS[1] - CELL_PADDING))
    line(table.cell(1, 0), f"Số: {doc.number}", before=6)
    line(table.cell(1, 1), f"{issuer.place}, {long_date(doc.issued_on)}", italic=True, before=6)


def administrative_front(out: DocxDocument, doc: Document) -> None:
    """The masthead, then the title and its short rule."""
    masthead(out, doc)
    line(out, doc.title.upper(), size=14, bold=True, before=24)
    if doc.subtitle:
        line(out, doc.subtitle, size=14, bold=True, after=4)
    rule(out, Mm(35), text_width(out), after=12)


# --- the bulletin


def cover(out: DocxDocument, doc: Document) -> None:
    """The cover page; the text before the first heading (the opening) follows on it, as the seeds print it."""
    issuer, texts = doc.issuer, doc.cover
    width = text_width(out)
    docx_xml.set_first_page_border(out.sections[0]._sectPr)
    line(out, issuer.parent_agency.upper(), size=13)
    line(out, issuer.agency.upper(), size=13, bold=True, after=4)
    rule(out, Mm(30), width)
    line(out, doc.title.upper(), style="Title", before=150, after=12)
    if texts is not None:
        line(out, texts.period, style="Subtitle", after=12)
        if texts.tagline:
            line(out, texts.tagline, size=14, italic=True)
    line(out, f"Số: {doc.number}", size=13, before=120)
    line(out, f"Ngày {short_date(doc.issued_on)}", size=13, before=4)
    if texts is not None and texts.circulation:
        line(out, texts.circulation, size=14, bold=True, before=72, after=36)


def contents(out: DocxDocument, doc: Document) -> None:
    """On a page of its own, each heading of levels 1 and 2, linked to its place, with its page (PAGEREF fields:
    LibreOffice computes them when it lays the pages out; Word updates them on opening)."""
    line(out, CONTENTS_TITLE, size=14, bold=True, after=18).paragraph_format.page_break_before = True
    width = text_width(out)
    for index, heading in enumerate(doc.headings()):
        entry = out.add_paragraph(style=f"TOC {min(heading.level, 2)}")
        entry.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        docx_xml.add_internal_link(entry, heading_anchor(index)).add_text(heading_text(heading))
        entry.add_run("\t")
        docx_xml.add_field(entry, f"PAGEREF {heading_anchor(index)} \\h", "")
    docx_xml.update_fields_on_open(out.settings.element)


@dataclass(frozen=True)
class Parts:
    """What a layout adds around the blocks: before them, before the first heading, and whether each heading of
    level 1 starts a page."""

    front: Callable[[DocxDocument, Document], None]
    before_sections: Callable[[DocxDocument, Document], None] | None = None
    chapters_on_new_pages: bool = False


LAYOUTS: dict[Layout, Parts] = {
    "administrative": Parts(administrative_front),
    "bulletin": Parts(cover, contents, chapters_on_new_pages=True),
}


# --- page numbers


def number_pages(out: DocxDocument, doc: Document) -> None:
    """Page numbers from page 2 on (Nghị định 30): at the head of the page in the administrative report, in the
    running footer "Lưu hành nội bộ | <page>" in the bulletin. A template that brings its own PAGE field keeps it."""
    section = out.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # page 1: the template's first-page header, or none
    header, footer = section.header, section.footer
    defined = [part for part in (header, footer) if not part.is_linked_to_previous]  # reading one would make it
    if any(docx_xml.has_field(part._element, "PAGE") for part in defined):
        return
    if doc.layout == "bulletin":
        paragraph = _free_paragraph(footer)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        label = doc.cover.footer if doc.cover is not None else ""
        run = paragraph.add_run(f"{label} | " if label else "")
        run.font.italic, run.font.size = True, Pt(12)
        docx_xml.add_page_field(paragraph)
        for part in paragraph.runs[1:]:
            part.font.size = Pt(12)
    else:
        paragraph = _free_paragraph(header)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        docx_xml.add_page_field(paragraph)
    paragraph.paragraph_format.space_after = Pt(0)


def _free_paragraph(part: object) -> DocxParagraph:
    """The header's or footer's paragraph to write in: its only paragraph when empty, else a new one after the
    template's (a logo, a line of text)."""
    paragraphs = part.paragraphs  # type: ignore[attr-defined]
    if len(paragraphs) == 1 and not paragraphs[0].text and not paragraphs[0]._p.xpath(".//w:drawing"):
        return paragraphs[0]  # type: ignore[no-any-return]
    return part.add_paragraph()  # type: ignore[attr-defined,no-any-return]


# --- the closing


def closing(out: DocxDocument, doc: Document) -> None:
    """Recipients (12 pt bold italic label, 11 pt list) beside the signer's title, room for the signature (marked
    for the visible digital signature) and the signer's name."""
    issuer = doc.issuer
    table = borderless(out, 1, CLOSING_WIDTHS, Length(0))
    docx_xml.set_row_flags(table.rows[0], repeat_header=False)
    left, right = table.cell(0, 0), table.cell(0, 1)
    line(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=12)
    for i, recipient in enumerate(issuer.recipients):
        end = "." if i == len(issuer.recipients) - 1 else ";"
        line(left, f"- {recipient}{end}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    line(right, issuer.signer_title.upper(), size=13, bold=True, before=12)
    room = line(right, "", align=WD_ALIGN_PARAGRAPH.LEFT, before=4)
    box_width, box_height = SIGNATURE_BOX_MM
    room.paragraph_format.left_indent = Length(max(0, (CLOSING_WIDTHS[1] - CELL_PADDING - Mm(box_width)) // 2))
    # The box's height as space after the marked line: LibreOffice does not give a line of only a zero-width space
    # its exact height (the box covered the signer's name), but keeps the space after a paragraph.
    room.paragraph_format.space_after = Mm(box_height)
    room.add_run("\u200b")  # LibreOffice drops the bookmark of a paragraph in a cell that holds only white space
    docx_xml.add_bookmark(room, SIGNATURE_ANCHOR, 0)
    line(right, issuer.signer_name, size=13, bold=True, before=8)
    if not issuer.recipients:
        line(left, "")  # Word rejects a cell without a paragraph
