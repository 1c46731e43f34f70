"""The DOCX, HTML and PDF renderers of the report document model."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from dxmonitor.reports import render_pdf as render_pdf_module
from dxmonitor.reports.model import Cell, Document, Heading, Issuer, Paragraph, Row, Table
from dxmonitor.reports.render_docx import render_docx
from dxmonitor.reports.render_html import render_html
from dxmonitor.reports.render_pdf import PdfError, render_pdf


def make_document() -> Document:
    issuer = Issuer(
        parent_agency="UBND tỉnh Bình Phước",
        agency="Sở Thông tin và Truyền thông",
        series="BC-STTTT",
        place="Bình Phước",
        signer_title="Giám đốc",
        signer_name="Nguyễn Văn An",
        recipients=["Ban Chỉ đạo về CĐS tỉnh", "Lưu: VT"],
    )
    table = Table(
        header=[
            [Cell("STT", rowspan=2), Cell("Đơn vị", rowspan=2), Cell("Tỷ lệ hồ sơ xử lý trực tuyến", colspan=2)],
            [Cell("Tháng 5/2022"), Cell("Tháng 6/2022")],
        ],
        body=[
            Row([Cell("1"), Cell("Đồng Xoài", align="left"), Cell("90,12%"), Cell("92,36%")]),
            Row([Cell("2"), Cell("Bình Long", align="left"), Cell("85%"), Cell("88,5%")]),
            Row([Cell("Tổng", colspan=2), Cell("87,56%"), Cell("90,43%")], style="total"),
        ],
    )
    return Document(
        issuer=issuer,
        number="02/BC-STTTT",
        issued_on=date(2022, 7, 20),
        title="Báo cáo chuyên đề",
        subtitle="Tình hình chuyển đổi số tháng 6/2022",
        blocks=[
            Heading("I. Dịch vụ công trực tuyến", 1),
            Paragraph("Tỷ lệ hồ sơ xử lý trực tuyến đạt 92,36% <cao> & ổn định."),
            Heading("1. Theo đơn vị", 2),
            table,
        ],
    )


EXPECTED_GRID = [
    ["STT", "Đơn vị", "Tỷ lệ hồ sơ xử lý trực tuyến", "Tỷ lệ hồ sơ xử lý trực tuyến"],
    ["STT", "Đơn vị", "Tháng 5/2022", "Tháng 6/2022"],
    ["1", "Đồng Xoài", "90,12%", "92,36%"],
    ["2", "Bình Long", "85%", "88,5%"],
    ["Tổng", "Tổng", "87,56%", "90,43%"],
]


@pytest.fixture
def docx_file(tmp_path: Path) -> docx.document.Document:
    return docx.Document(str(render_docx(make_document(), tmp_path / "report.docx")))


def paragraph_texts(cell: docx.table._Cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def test_it_lays_out_an_a4_portrait_page_with_the_decree_margins(docx_file: docx.document.Document) -> None:
    section = docx_file.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin]  # fmt: skip
    assert [round(s.mm) for s in sizes] == [210, 297, 20, 20, 30, 15]


def test_it_writes_times_new_roman_13_pt_for_every_script(docx_file: docx.document.Document) -> None:
    normal = docx_file.styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    scripts = {attr: fonts.get(qn(f"w:{attr}")) for attr in ("ascii", "hAnsi", "eastAsia", "cs")}
    assert scripts == dict.fromkeys(("ascii", "hAnsi", "eastAsia", "cs"), "Times New Roman")
    assert normal.font.size.pt == 13


def test_it_opens_with_the_masthead_of_an_administrative_document(docx_file: docx.document.Document) -> None:
    masthead = docx_file.tables[0]
    assert [[paragraph_texts(c) for c in row.cells] for row in masthead.rows] == [
        [
            ["UBND TỈNH BÌNH PHƯỚC", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", ""],
            ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""],
        ],
        [["Số: 02/BC-STTTT"], ["Bình Phước, ngày 20 tháng 7 năm 2022"]],
    ]
    assert masthead.cell(1, 1).paragraphs[0].runs[0].italic is True
    assert masthead.cell(0, 1).paragraphs[0].runs[0].bold is True


def test_it_writes_title_headings_and_paragraphs_in_order(docx_file: docx.document.Document) -> None:
    paragraphs = [(p.style.name, p.text) for p in docx_file.paragraphs]
    assert paragraphs == [
        ("Normal", "BÁO CÁO CHUYÊN ĐỀ"),
        ("Normal", "Tình hình chuyển đổi số tháng 6/2022"),
        ("Normal", ""),  # the short line under the title
        ("Heading 1", "I. DỊCH VỤ CÔNG TRỰC TUYẾN"),
        ("Normal", "Tỷ lệ hồ sơ xử lý trực tuyến đạt 92,36% <cao> & ổn định."),
        ("Heading 2", "1. Theo đơn vị"),
    ]


def test_it_writes_the_table_as_a_real_word_table_with_merged_cells(docx_file: docx.document.Document) -> None:
    table = docx_file.tables[1]
    assert table.style.name == "Table Grid"
    assert [[c.text for c in row.cells] for row in table.rows] == EXPECTED_GRID
    assert table.cell(0, 0)._tc is table.cell(1, 0)._tc  # STT spans two header rows
    assert table.cell(0, 2)._tc is table.cell(0, 3)._tc  # the rate spans two columns
    assert table.cell(4, 0)._tc is table.cell(4, 1)._tc  # "Tổng" spans STT and unit name


def test_it_repeats_only_the_header_rows_on_each_page(docx_file: docx.document.Document) -> None:
    rows = docx_file.tables[1].rows
    assert [row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for row in rows] == [
        True, True, False, False, False,
    ]  # fmt: skip


def test_it_makes_the_header_and_total_rows_bold(docx_file: docx.document.Document) -> None:
    rows = docx_file.tables[1].rows
    bold = [all(r.bold for c in row.cells for p in c.paragraphs for r in p.runs) for row in rows]
    assert bold == [True, True, False, False, True]


def test_it_fits_the_table_to_the_text_width_with_a_narrow_number_column(
    docx_file: docx.document.Document,
) -> None:
    grid = docx_file.tables[1]._tbl.tblGrid.gridCol_lst
    widths = [round(col.w.mm) for col in grid]
    assert sum(widths) in (164, 165, 166)
    assert widths[0] == 13 and widths[1] > widths[2] == widths[3]


def test_it_numbers_pages_from_the_second_page_on(docx_file: docx.document.Document) -> None:
    section = docx_file.sections[0]
    assert section.different_first_page_header_footer is True
    assert [i.text for i in section.header._element.iter(qn("w:instrText"))] == [" PAGE "]
    assert section.first_page_header.is_linked_to_previous is False
    assert [p.text for p in section.first_page_header.paragraphs] == [""]


def test_it_closes_with_recipients_and_signature(docx_file: docx.document.Document) -> None:
    closing = docx_file.tables[-1]
    assert [paragraph_texts(c) for c in closing.rows[0].cells] == [
        ["Nơi nhận:", "- Ban Chỉ đạo về CĐS tỉnh;", "- Lưu: VT."],
        ["GIÁM ĐỐC", "\u200b", "Nguyễn Văn An"],  # the title, the room for the signature, the name
    ]
    assert len(docx_file.tables) == 3
    recipients, signer = closing.rows[0].cells
    looks = [[(r.font.size.pt, r.bold, r.italic) for r in p.runs] for p in recipients.paragraphs]
    assert looks == [[(12, True, True)], [(11, False, False)], [(11, False, False)]]  # Nghị định 30, Phụ lục I
    room = signer.paragraphs[1]
    assert [b.get(qn("w:name")) for b in room._p.iter(qn("w:bookmarkStart"))] == ["ChuKySo"]
    assert round(room.paragraph_format.space_after.mm) == 20  # room as high as the signature's box below the line


def test_the_signature_goes_on_a_portrait_page_after_a_wide_table(tmp_path: Path) -> None:
    wide = Table(header=[[Cell(f"Cột {i}") for i in range(10)]], body=[Row([Cell(str(i)) for i in range(10)])])
    doc = make_document()
    doc.blocks += [Heading("2. An toàn thông tin", 2), wide, Paragraph("- 03 đơn vị cần khắc phục.", "bullet")]
    doc.blocks.append(Paragraph("Sở Thông tin và Truyền thông kính báo cáo./."))
    written = docx.Document(str(render_docx(doc, tmp_path / "wide.docx")))

    assert [s.orientation for s in written.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    body = list(written.element.body.iterchildren())
    last_break = max(i for i, e in enumerate(body) if e.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)
    after = [
        DocxParagraph(e, written).text if e.tag == qn("w:p") else "<table>"
        for e in body[last_break + 1 :]
        if e.tag in (qn("w:p"), qn("w:tbl"))
    ]
    assert after == ["Sở Thông tin và Truyền thông kính báo cáo./.", "<table>"]  # the closing sentence and signer
    assert DocxParagraph(body[last_break], written).text == "- 03 đơn vị cần khắc phục."  # no empty line


def test_it_sets_title_and_author_properties(docx_file: docx.document.Document) -> None:
    props = docx_file.core_properties
    assert (props.title, props.author) == (
        "Báo cáo chuyên đề - Tình hình chuyển đổi số tháng 6/2022",
        "Sở Thông tin và Truyền thông",
    )


class GridTableReader(HTMLParser):
    """Collects the rows of `table.grid` as (section, [(text, colspan, rowspan)])."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, list[tuple[str, str, str]]]] = []
        self.section = ""
        self.cell: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr" and self.section:
            self.rows.append((self.section, []))
        elif tag in ("th", "td") and self.section:
            self.cell = {"text": "", **{k: v or "" for k, v in attrs}}

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self.cell is not None:
            self.rows[-1][1].append((self.cell["text"], self.cell.get("colspan", ""), self.cell.get("rowspan", "")))
            self.cell = None
        elif tag in ("thead", "tbody"):
            self.section = ""


@pytest.fixture
def html_text(tmp_path: Path) -> str:
    return render_html(make_document(), tmp_path / "report.html").read_text(encoding="utf-8")


def test_html_writes_the_table_with_spans_in_thead_and_tbody(html_text: str) -> None:
    reader = GridTableReader()
    reader.feed(html_text)
    assert reader.rows == [
        ("thead", [("STT", "", "2"), ("Đơn vị", "", "2"), ("Tỷ lệ hồ sơ xử lý trực tuyến", "2", "")]),
        ("thead", [("Tháng 5/2022", "", ""), ("Tháng 6/2022", "", "")]),
        ("tbody", [("1", "", ""), ("Đồng Xoài", "", ""), ("90,12%", "", ""), ("92,36%", "", "")]),
        ("tbody", [("2", "", ""), ("Bình Long", "", ""), ("85%", "", ""), ("88,5%", "", "")]),
        ("tbody", [("Tổng", "2", ""), ("87,56%", "", ""), ("90,43%", "", "")]),
    ]
    assert '<tr class="total">' in html_text


def test_html_escapes_text_and_stands_alone(html_text: str) -> None:
    assert "đạt 92,36% &lt;cao&gt; &amp; ổn định." in html_text
    assert "<cao>" not in html_text
    assert html_text.startswith('<!DOCTYPE html>\n<html lang="vi">')
    assert '<meta charset="utf-8">' in html_text
    assert not any(tag in html_text for tag in ("<script", "<link", "src=", "@import"))


def test_html_has_the_masthead_and_closing(html_text: str) -> None:
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 02/BC-STTTT",
        "Bình Phước, ngày 20 tháng 7 năm 2022",
        "<h1>BÁO CÁO CHUYÊN ĐỀ</h1>",
        "<h2>I. DỊCH VỤ CÔNG TRỰC TUYẾN</h2>",
        "- Ban Chỉ đạo về CĐS tỉnh;",
        "- Lưu: VT.",
    ):
        assert text in html_text


def test_pdf_says_libreoffice_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_pdf_module, "find_soffice", lambda: None)
    with pytest.raises(PdfError) as error:
        render_pdf(tmp_path / "report.docx", tmp_path / "report.pdf")
    assert (error.value.vi_message, error.value.en_message) == (
        "Cần LibreOffice để xuất PDF: chạy scripts/system-deps",
        "LibreOffice is needed for PDF: run scripts/system-deps",
    )


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    docx_path = render_docx(make_document(), folder / "report.docx")
    return render_pdf(docx_path, folder / "out" / "bao-cao.pdf")


@pytest.mark.slow
def test_pdf_is_written_where_asked(pdf_file: Path) -> None:
    assert pdf_file.name == "bao-cao.pdf"
    assert pdf_file.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_pdf_text_keeps_the_vietnamese_letters(pdf_file: Path) -> None:
    text = subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout
    text = unicodedata.normalize("NFC", text)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Đồng Xoài" in text
