"""The Word template the DOCX report is built on: its styles, page set-up, header and footer (a logo, a line of
text) are the office's to replace.

The template in use is the outline's `template:`, else the file named by DXMONITOR_REPORT_TEMPLATE, else the one
shipped here (`word/mau-bao-cao.docx`, made by `scripts/report-template`). The renderer keeps what the template
defines and adds only the styles it lacks, with the house look below."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from dxmonitor.reports import docx_xml

TEMPLATE_VARIABLE = "DXMONITOR_REPORT_TEMPLATE"
DEFAULT_TEMPLATE = Path(__file__).parent / "word" / "mau-bao-cao.docx"
FONT = "Times New Roman"
LANG = "vi-VN"
HEADING_LOOK = {1: (13, False), 2: (13, False), 3: (13, True)}  # level -> (size, italic); all bold
CONTENTS_INDENT_CM = {1: 0.0, 2: 0.75}  # "TOC 1", "TOC 2"
COVER_LOOK = {"Title": 26, "Subtitle": 18}  # the bulletin's cover: its title and its month, bold and centred


class TemplateError(Exception):
    """The Word template cannot be used; says which file and why, in Vietnamese and in English."""

    def __init__(self, vi: str, en: str):
        super().__init__(f"{vi} / {en}")
        self.vi = vi
        self.en = en


def template_path(chosen: str = "") -> Path:
    """The template to build on: `chosen` (an outline's), else DXMONITOR_REPORT_TEMPLATE, else the shipped one."""
    named = chosen or os.environ.get(TEMPLATE_VARIABLE, "")
    return Path(named) if named else DEFAULT_TEMPLATE


def open_template(chosen: str = "") -> DocxDocument:
    """A new document on the template: the template's styles, page set-up, header and footer, an empty body."""
    path = template_path(chosen)
    where = f"{path}" + ("" if chosen else f" ({TEMPLATE_VARIABLE})" if os.environ.get(TEMPLATE_VARIABLE) else "")
    if not path.is_file():
        raise TemplateError(f"Không tìm thấy mẫu Word {where}", f"Word template not found: {where}")
    try:
        out = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(
            f"Mẫu Word {where} không phải tệp .docx đọc được ({exc})",
            f"the Word template {where} is not a readable .docx file ({exc})",
        ) from exc
    body = out.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # the text the template may hold (a sample page) is not the report's
            body.remove(child)
    ensure_styles(out)
    return out


def ensure_styles(out: DocxDocument) -> None:
    """Add the styles the report uses and the template lacks, with the house look; keep those it has."""
    names = {s.name for s in out.styles}
    for level, (size, italic) in HEADING_LOOK.items():
        if f"Heading {level}" not in names:
            style = out.styles.add_style(f"Heading {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = out.styles["Normal"]
            _heading_look(style, size, italic)
    for level, indent in CONTENTS_INDENT_CM.items():
        if f"TOC {level}" not in names:
            style = out.styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = out.styles["Normal"]
            _contents_look(style, level, indent)
    for name, size in COVER_LOOK.items():
        if name not in names:
            style = out.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = out.styles["Normal"]
            _cover_look(style, size)
    if "Table Grid" not in names:
        out.styles.add_style("Table Grid", WD_STYLE_TYPE.TABLE)


def _heading_look(style: docx.styles.style.ParagraphStyle, size: float, italic: bool) -> None:
    rpr = style.element.get_or_add_rPr()
    docx_xml.set_fonts(rpr, FONT)
    docx_xml.drop_color(rpr)
    style.font.size, style.font.bold, style.font.italic = Pt(size), True, italic
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    fmt.line_spacing = 1.15
    fmt.first_line_indent = Cm(1)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.keep_with_next = True


def _contents_look(style: docx.styles.style.ParagraphStyle, level: int, indent: float) -> None:
    style.font.bold = level == 1
    fmt = style.paragraph_format
    fmt.left_indent = Cm(indent)
    fmt.space_before, fmt.space_after = Pt(6 if level == 1 else 0), Pt(3)
    fmt.line_spacing = 1.15


def _cover_look(style: docx.styles.style.ParagraphStyle, size: float) -> None:
    """Black, bold, centred, no border: python-docx's own Title is blue, underlined and in the theme's font."""
    p_pr = style.element.get_or_add_pPr()
    for border in p_pr.findall(qn("w:pBdr")):
        p_pr.remove(border)
    rpr = style.element.get_or_add_rPr()
    docx_xml.set_fonts(rpr, FONT)
    docx_xml.drop_color(rpr)
    for tag in ("w:spacing", "w:kern"):
        for element in rpr.findall(qn(tag)):
            rpr.remove(element)
    style.font.size, style.font.bold, style.font.italic = Pt(size), True, False
    fmt = style.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.space_before, fmt.space_after = Pt(0), Pt(12)
    fmt.line_spacing = 1.0


def make_default_template(path: Path) -> Path:
    """Write the shipped template: python-docx's own with Times New Roman 13 pt for every script, black headings,
    the contents' styles, and A4 portrait with Nghị định 30/2020's margins (20 mm top and bottom, 30 mm left,
    15 mm right); no header or footer text (the renderer adds the page numbers)."""
    out = docx.Document()
    section = out.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
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
        _heading_look(out.styles[f"Heading {level}"], size, italic)
    for name, size in COVER_LOOK.items():
        _cover_look(out.styles[name], size)
    ensure_styles(out)  # the contents' styles
    for child in list(out.element.body):
        if child.tag != qn("w:sectPr"):
            out.element.body.remove(child)
    props = out.core_properties
    props.title, props.author, props.comments = "Mẫu báo cáo dxmonitor", "dxmonitor", ""
    path.parent.mkdir(parents=True, exist_ok=True)
    out.save(str(path))
    return path
