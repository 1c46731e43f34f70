"""Low-level WordprocessingML that python-docx has no API for: fonts per script, borders, fields."""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, RGBColor
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)  # Word's own link colour
THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
BORDER_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")
# Children of w:tblPr that must follow w:tblBorders (schema order matters to Word).
TBL_BORDERS_SUCCESSORS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
# Children of w:settings that follow w:updateFields in the schema.
SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip
PBDR_SUCCESSORS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr")


def set_fonts(rpr: BaseOxmlElement, name: str, lang: str | None = None) -> None:
    """Use one font for every script, dropping theme fonts that would otherwise win."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in FONT_ATTRS:
        fonts.set(qn(attr), name)
    if lang:
        element = rpr.find(qn("w:lang"))
        if element is None:
            element = OxmlElement("w:lang")
            rpr.append(element)
        element.set(qn("w:val"), lang)


def drop_color(rpr: BaseOxmlElement) -> None:
    """Remove a style's colour so headings print black."""
    for element in rpr.findall(qn("w:color")):
        rpr.remove(element)


def set_table_borders(table: Table, value: str) -> None:
    """Set every edge of a table to `single` lines or to `nil` (borderless)."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in BORDER_EDGES:
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.insert_element_before(borders, *TBL_BORDERS_SUCCESSORS)


def set_column_widths(table: Table, widths: list[Length]) -> None:
    """Fix the table's width, grid and cell widths; call before merging cells."""
    table.autofit = False
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        table._tbl.tblPr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(w.twips for w in widths)))
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = width
    for row in table.rows:
        for tc, width in zip(row._tr.tc_lst, widths, strict=True):
            tc.width = width


def set_row_flags(row: _Row, *, repeat_header: bool) -> None:
    """Keep the row on one page; mark it as a header row repeated on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert(0, OxmlElement("w:cantSplit"))  # cantSplit precedes trHeight and tblHeader
    if repeat_header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def add_rule(paragraph: Paragraph, length: Length, box_width: Length) -> None:
    """Draw a short centred horizontal line as the top border of an otherwise empty paragraph."""
    side = Length(max(0, (box_width - length) // 2))
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent, fmt.first_line_indent = side, side, Length(0)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "0"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    p_pr.insert_element_before(borders, *PBDR_SUCCESSORS)
    # A tiny paragraph mark keeps the line's own height small without "exact" spacing,
    # which LibreOffice draws through the text above.
    mark = OxmlElement("w:rPr")
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), "4")
        mark.append(size)
    p_pr.insert_element_before(mark, "w:sectPr", "w:pPrChange")


def set_table_indent(table: Table, indent: Length) -> None:
    """Shift a left-aligned table from the left margin (negative: into the margin)."""
    element = OxmlElement("w:tblInd")
    element.set(qn("w:w"), str(indent.twips))
    element.set(qn("w:type"), "dxa")
    table._tbl.tblPr.insert_element_before(element, "w:tblBorders", *TBL_BORDERS_SUCCESSORS)


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """Append a field (complex field form, which Word and LibreOffice both update), `shown` until it is."""
    for kind in ("begin", "instr", "separate", "text", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        elif kind == "text":
            run.text = shown
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def add_page_field(paragraph: Paragraph) -> None:
    """Append a PAGE field: the number of the page it is printed on."""
    add_field(paragraph, "PAGE", "2")


def has_field(part_element: BaseOxmlElement, name: str) -> bool:
    """Whether a header's or footer's XML already holds a field `name` (PAGE): a template may bring its own."""
    instructions = part_element.iter(qn("w:instrText"))
    simple = part_element.iter(qn("w:fldSimple"))
    return any(name in (i.text or "").split() for i in instructions) or any(
        name in (f.get(qn("w:instr")) or "").split() for f in simple
    )


def add_bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """Mark the whole paragraph as bookmark `name` (a link's anchor; LibreOffice exports it as a PDF destination)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    p_pr = paragraph._p.pPr
    paragraph._p.insert(0 if p_pr is None else 1, start)
    paragraph._p.append(end)


def add_internal_link(paragraph: Paragraph, anchor: str) -> Run:
    """Append an empty run inside a link to bookmark `anchor` and return it to be filled."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    paragraph._p.append(link)
    element = OxmlElement("w:r")
    link.append(element)
    return Run(element, paragraph)


def update_fields_on_open(settings_element: BaseOxmlElement) -> None:
    """Ask Word to update the fields (the contents' page numbers) when the file is opened."""
    if settings_element.find(qn("w:updateFields")) is not None:
        return
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    later = next((c for c in settings_element if c.tag in {qn(t) for t in SETTINGS_AFTER_UPDATE_FIELDS}), None)
    if later is None:
        settings_element.append(element)
    else:
        later.addprevious(element)


def add_hyperlink(paragraph: Paragraph, href: str) -> Run:
    """Append an empty run inside a link to `href` (underlined, blue) and return it to be filled."""
    rel_id = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    paragraph._p.append(link)
    element = OxmlElement("w:r")
    link.append(element)
    run = Run(element, paragraph)
    run.font.underline = True
    run.font.color.rgb = LINK_COLOUR
    return run


def set_first_page_border(section_properties: BaseOxmlElement) -> None:
    """A double frame around the first page only (the bulletin's cover), 24 pt in from the paper's edges."""
    old = section_properties.find(qn("w:pgBorders"))
    if old is not None:
        section_properties.remove(old)
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:display"), "firstPage")
    borders.set(qn("w:offsetFrom"), "page")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("val", "thinThickSmallGap"), ("sz", "24"), ("space", "24"), ("color", "000000")):
            element.set(qn(f"w:{key}"), value)
        borders.append(element)
    # w:pgBorders follows the page size, margins and paper source, and precedes line numbers and the rest.
    section_properties.insert_element_before(
        borders, "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
        "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
    )  # fmt: skip
