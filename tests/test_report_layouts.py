"""The report's look: the bulletin layout (cover, contents, running footer) beside the administrative one, both from
one document model, chosen by the outline; the DOCX built on a Word template the office can replace."""

from __future__ import annotations

import dataclasses
import re
import struct
import zlib
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from docx_text import _block_lines
from dxmonitor.reports.docx_template import DEFAULT_TEMPLATE, TEMPLATE_VARIABLE, TemplateError
from dxmonitor.reports.generate import dressed
from dxmonitor.reports.model import Cover, Document, Heading, Paragraph
from dxmonitor.reports.outline import load_outline
from dxmonitor.reports.render_docx import render_docx
from dxmonitor.reports.render_html import render_html
from test_report_renderers import make_document

COVER = Cover("Tháng 6/2022", "Tài liệu tham khảo phục vụ Ban Chỉ đạo về chuyển đổi số tỉnh")


def bulletin() -> Document:
    return dataclasses.replace(make_document(), layout="bulletin", cover=COVER)


def png(width: int, height: int) -> bytes:
    """A real PNG of `width` × `height` blue pixels: the logo of a replacement template."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x10\x40\xa0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def body_text(document: DocxDocument) -> list[str]:
    return _block_lines(document.element.body, document)


# --- the outline chooses


def test_the_monthly_outlines_print_the_bulletin_and_a_report_may_ask_for_the_administrative_layout() -> None:
    monthly = load_outline("monthly")
    assert (monthly.layout, monthly.cover.tagline) == (
        "bulletin",
        "Tài liệu tham khảo phục vụ Ban Chỉ đạo về chuyển đổi số tỉnh",
    )
    assert load_outline("dong_nai_2025").layout == "bulletin"

    doc = dressed(make_document(), monthly, "tháng 6/2022")
    assert (doc.layout, doc.cover) == (
        "bulletin",
        Cover("Tháng 6/2022", "Tài liệu tham khảo phục vụ Ban Chỉ đạo về chuyển đổi số tỉnh"),
    )
    asked = dressed(make_document(), monthly, "tháng 6/2022", layout="administrative")
    assert (asked.layout, asked.cover) == ("administrative", None)


# --- the bulletin's DOCX


@pytest.fixture
def bulletin_docx(tmp_path: Path) -> DocxDocument:
    return docx.Document(str(render_docx(bulletin(), tmp_path / "bulletin.docx")))


def test_the_bulletin_opens_with_its_cover_then_the_contents_then_the_sections(bulletin_docx: DocxDocument) -> None:
    assert [text for text in body_text(bulletin_docx) if text] == [
        "UBND TỈNH BÌNH PHƯỚC",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "BÁO CÁO CHUYÊN ĐỀ",
        "Tháng 6/2022",
        "Tài liệu tham khảo phục vụ Ban Chỉ đạo về chuyển đổi số tỉnh",
        "Số: 02/BC-STTTT",
        "Ngày 20/7/2022",
        "LƯU HÀNH NỘI BỘ",
        "MỤC LỤC",
        "I. DỊCH VỤ CÔNG TRỰC TUYẾN\t",
        "1. Theo đơn vị\t",
        "I. DỊCH VỤ CÔNG TRỰC TUYẾN",
        "Tỷ lệ hồ sơ xử lý trực tuyến đạt 92,36% <cao> & ổn định.",
        "1. Theo đơn vị",
        "| STT | Đơn vị | Tỷ lệ hồ sơ xử lý trực tuyến |",
        "|  |  | Tháng 5/2022 | Tháng 6/2022 |",
        "| 1 | Đồng Xoài | 90,12% | 92,36% |",
        "| 2 | Bình Long | 85% | 88,5% |",
        "| Tổng | 87,56% | 90,43% |",
        "| Nơi nhận: ¶ - Ban Chỉ đạo về CĐS tỉnh; ¶ - Lưu: VT. | GIÁM ĐỐC ¶ \u200b ¶ Nguyễn Văn An |",
    ]
    paragraphs = {p.text: p for p in bulletin_docx.paragraphs}
    assert paragraphs["BÁO CÁO CHUYÊN ĐỀ"].style.name == "Title"
    assert paragraphs["Tháng 6/2022"].style.name == "Subtitle"
    breaks = [p.text for p in bulletin_docx.paragraphs if p.paragraph_format.page_break_before]
    assert breaks == ["MỤC LỤC", "I. DỊCH VỤ CÔNG TRỰC TUYẾN"]  # the contents, then each chapter, on a new page


def test_each_contents_entry_links_to_its_heading_and_shows_its_page(bulletin_docx: DocxDocument) -> None:
    entries = [p for p in bulletin_docx.paragraphs if p.style.name.startswith("TOC")]
    headings = [p for p in bulletin_docx.paragraphs if p.style.name.startswith("Heading")]
    marks = [[b.get(qn("w:name")) for b in h._p.iter(qn("w:bookmarkStart"))] for h in headings]
    assert marks == [["_Toc0001"], ["_Toc0002"]]
    assert [
        (
            e.style.name,
            [link.get(qn("w:anchor")) for link in e._p.iter(qn("w:hyperlink"))],
            [i.text for i in e._p.iter(qn("w:instrText"))],
        )
        for e in entries
    ] == [
        ("TOC 1", ["_Toc0001"], [" PAGEREF _Toc0001 \\h "]),
        ("TOC 2", ["_Toc0002"], [" PAGEREF _Toc0002 \\h "]),
    ]
    assert [t.leader for e in entries for t in e.paragraph_format.tab_stops] == [WD_TAB_LEADER.DOTS] * 2
    settings = bulletin_docx.settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"  # Word fills the pages in on opening


def test_the_bulletin_s_footer_reads_luu_hanh_noi_bo_and_the_page_from_page_two(bulletin_docx: DocxDocument) -> None:
    section = bulletin_docx.sections[0]
    assert section.different_first_page_header_footer is True
    assert [p.text for p in section.footer.paragraphs] == ["Lưu hành nội bộ | 2"]
    assert [i.text for i in section.footer._element.iter(qn("w:instrText"))] == [" PAGE "]
    assert section.header.is_linked_to_previous  # no number at the head of the page
    assert section.first_page_footer.is_linked_to_previous  # the cover has no footer


def test_the_bulletin_s_opening_stays_on_the_cover_as_the_seeds_print_it(tmp_path: Path) -> None:
    doc = bulletin()
    doc.blocks.insert(0, Paragraph("Văn phòng gửi bản tin tháng 6/2022 như sau."))
    texts = [p.text for p in docx.Document(str(render_docx(doc, tmp_path / "b.docx"))).paragraphs if p.text]

    assert texts[texts.index("LƯU HÀNH NỘI BỘ") + 1 :][:2] == ["Văn phòng gửi bản tin tháng 6/2022 như sau.", "MỤC LỤC"]


def test_both_layouts_print_the_same_sections(bulletin_docx: DocxDocument, tmp_path: Path) -> None:
    administrative = docx.Document(str(render_docx(make_document(), tmp_path / "administrative.docx")))
    ours, theirs = body_text(bulletin_docx), body_text(administrative)
    first = "I. DỊCH VỤ CÔNG TRỰC TUYẾN"  # after the cover and contents, or the masthead and title
    assert ours[ours.index(first) :] == theirs[theirs.index(first) :]


# --- the Word template


def other_template(path: Path) -> Path:
    """The shipped template with another office's look: Arial in a dark red, and a logo and a line in the header."""
    template = docx.Document(str(DEFAULT_TEMPLATE))
    normal = template.styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), "Arial")
    normal.font.color.rgb = RGBColor(0x80, 0x00, 0x00)
    template.styles["Heading 2"].font.size = Pt(15)
    header = template.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].add_run().add_picture(BytesIO(png(40, 20)))
    header.paragraphs[0].add_run(" SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    template.add_paragraph("Trang mẫu: văn bản này không vào báo cáo.")
    template.save(str(path))
    return path


def test_another_template_changes_the_look_and_header_but_not_the_content(tmp_path: Path) -> None:
    house = docx.Document(str(render_docx(bulletin(), tmp_path / "house.docx")))
    doc = dataclasses.replace(bulletin(), template=str(other_template(tmp_path / "so-khcn.docx")))
    theirs = docx.Document(str(render_docx(doc, tmp_path / "theirs.docx")))

    def look(document: DocxDocument) -> tuple[object, ...]:
        normal = document.styles["Normal"]
        return (
            normal.element.rPr.find(qn("w:rFonts")).get(qn("w:ascii")),
            normal.font.color.rgb,
            document.styles["Heading 2"].font.size.pt,
        )

    assert look(house) == ("Times New Roman", None, 13)
    assert look(theirs) == ("Arial", RGBColor(0x80, 0x00, 0x00), 15)
    header = theirs.sections[0].header
    assert [p.text for p in header.paragraphs] == [" SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert len(header._element.xpath(".//w:drawing")) == 1  # the logo
    assert body_text(theirs) == body_text(house)  # the template's own sample text is not the report's
    assert [p.text for p in theirs.sections[0].footer.paragraphs] == ["Lưu hành nội bộ | 2"]


def test_the_template_may_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEMPLATE_VARIABLE, str(other_template(tmp_path / "so-khcn.docx")))
    written = docx.Document(str(render_docx(make_document(), tmp_path / "r.docx")))

    assert written.styles["Normal"].element.rPr.find(qn("w:rFonts")).get(qn("w:ascii")) == "Arial"
    # The administrative layout numbers its pages at the head, after the template's own header line.
    header = written.sections[0].header
    assert [p.text for p in header.paragraphs] == [" SỞ KHOA HỌC VÀ CÔNG NGHỆ", "2"]


def test_a_missing_or_broken_template_is_named_in_both_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TEMPLATE_VARIABLE, str(tmp_path / "khong-co.docx"))
    with pytest.raises(TemplateError) as missing:
        render_docx(make_document(), tmp_path / "r.docx")
    where = f"{tmp_path / 'khong-co.docx'} ({TEMPLATE_VARIABLE})"
    assert (missing.value.vi, missing.value.en) == (
        f"Không tìm thấy mẫu Word {where}",
        f"Word template not found: {where}",
    )
    broken = tmp_path / "hong.docx"
    broken.write_text("không phải tệp Word", encoding="utf-8")
    with pytest.raises(TemplateError) as unreadable:
        render_docx(dataclasses.replace(make_document(), template=str(broken)), tmp_path / "r.docx")
    assert unreadable.value.vi.startswith(f"Mẫu Word {broken} không phải tệp .docx đọc được")
    assert not (tmp_path / "r.docx").exists()


def test_the_shipped_template_meets_nghi_dinh_30(tmp_path: Path) -> None:
    template = docx.Document(str(DEFAULT_TEMPLATE))
    section = template.sections[0]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in [section.page_width, section.page_height, *margins]] == [210, 297, 20, 20, 30, 15]
    normal = template.styles["Normal"]
    assert (normal.font.size.pt, normal.element.rPr.find(qn("w:rFonts")).get(qn("w:ascii"))) == (
        13,
        "Times New Roman",
    )
    assert body_text(template) == []


# --- the bulletin's HTML


def test_the_bulletin_s_html_has_the_cover_and_a_linked_contents(tmp_path: Path) -> None:
    html = render_html(bulletin(), tmp_path / "b.html").read_text(encoding="utf-8")

    cover = re.search(r'<header class="cover">(.*?)</header>', html, flags=re.S)
    assert cover is not None
    assert [re.sub(r"<[^>]+>", " ", line).split() for line in re.findall(r"<(?:p|h1)[^>]*>(.*?)</", cover[1])] == [
        ["UBND", "TỈNH", "BÌNH", "PHƯỚC"],
        ["SỞ", "THÔNG", "TIN", "VÀ", "TRUYỀN", "THÔNG"],
        ["BÁO", "CÁO", "CHUYÊN", "ĐỀ"],
        ["Tháng", "6/2022"],
        ["Tài", "liệu", "tham", "khảo", "phục", "vụ", "Ban", "Chỉ", "đạo", "về", "chuyển", "đổi", "số", "tỉnh"],
        ["Số:", "02/BC-STTTT", "Ngày", "20/7/2022"],
        ["LƯU", "HÀNH", "NỘI", "BỘ"],
    ]
    links = re.findall(r'<li class="level-(\d)"><a href="#([^"]+)">([^<]+)</a>', html)
    assert links == [("1", "muc-1", "I. DỊCH VỤ CÔNG TRỰC TUYẾN"), ("2", "muc-2", "1. Theo đơn vị")]
    assert re.findall(r'<h(\d) id="([^"]+)">([^<]+)</h\d>', html) == [
        ("2", "muc-1", "I. DỊCH VỤ CÔNG TRỰC TUYẾN"),
        ("3", "muc-2", "1. Theo đơn vị"),
    ]
    assert '@bottom-right { content: "Lưu hành nội bộ | " counter(page);' in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in html


def test_the_administrative_html_has_no_cover_and_no_contents(tmp_path: Path) -> None:
    html = render_html(make_document(), tmp_path / "a.html").read_text(encoding="utf-8")

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert 'class="cover"' not in html and "MỤC LỤC" not in html and "counter(page);" in html


def test_the_footer_text_cannot_break_out_of_the_style_sheet(tmp_path: Path) -> None:
    doc = dataclasses.replace(bulletin(), cover=Cover("Tháng 6/2022", footer='Nội bộ" } </style><b>'))
    html = render_html(doc, tmp_path / "b.html").read_text(encoding="utf-8")

    assert 'content: "Nội bộ\\22  } \\3c /style\\3e \\3c b\\3e  | " counter(page);' in html
    assert html.count("</style>") == 1


def test_headings_deeper_than_two_are_not_in_the_contents() -> None:
    doc = bulletin()
    doc.blocks.append(Heading("a) Chi tiết", 3))
    assert [h.text for h in doc.headings()] == ["I. Dịch vụ công trực tuyến", "1. Theo đơn vị"]
