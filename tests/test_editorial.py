"""The report's written sections: the office's Markdown in the document model, in DOCX and HTML, stored with its
history, read from a folder by `dxmonitor editorial import` and `dxmonitor report --sections`, and edited on the
admin's page with a live preview."""

from __future__ import annotations

import re
import struct
import zlib
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import docx
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from docx.enum.text import WD_ALIGN_PARAGRAPH

from dxmonitor.catalogue.models import Round
from dxmonitor.demo.loading import DEMO_DIR, demo_rounds, demo_sections, load_demo_sections
from dxmonitor.editorial.markdown import to_blocks
from dxmonitor.editorial.models import SectionPicture, SectionVersion
from dxmonitor.editorial.store import history, import_folder, save_section
from dxmonitor.reports.generate import build_document
from dxmonitor.reports.model import (
    Byline,
    Cell,
    Figure,
    Heading,
    ItemList,
    ListItem,
    Paragraph,
    Prose,
    Row,
    Span,
    Table,
)
from dxmonitor.reports.render_docx import render_docx
from dxmonitor.reports.render_html import render_html
from personas import signed_in
from test_post_reform_round import GOLDEN, docx_statistics
from test_report_renderers import make_document


def png(width: int, height: int) -> bytes:
    """A real PNG of `width` × `height` grey pixels (no pHYs: 72 dpi, as Word reads it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")

EVERY_ELEMENT = """\
# Bài thứ nhất

Tác giả: Trần Thị B, Phòng Chuyển đổi số

Đoạn có **chữ đậm**, *chữ nghiêng* và [một liên kết](https://example.org/a).
Dòng nối tiếp.

- ý một
- ý hai
  1. ý con

3. mục ba
4. mục bốn

| Đơn vị | Số lượng |
|:--|--:|
| Đồng Phú | **12** |

![Ảnh lớp tập huấn](anh/lop.png)

## Mục nhỏ
"""


def pictures(name: str) -> bytes | None:
    return {"anh/lop.png": png(40, 20), "anh/gif.gif": GIF, "anh/hong.png": b"not a picture"}.get(name)


# --- Markdown → document model (pure) -------------------------------------------------------------------------


def test_every_markdown_element_becomes_a_block_of_the_document_model() -> None:
    converted = to_blocks(EVERY_ELEMENT, "01-goc-chia-se.md", pictures)

    assert converted.problems == []
    assert converted.pictures == ["anh/lop.png"]
    figure = converted.blocks[6]
    assert isinstance(figure, Figure) and figure.png == png(40, 20)
    assert converted.blocks == [
        Heading("Bài thứ nhất", level=2),
        Byline("Trần Thị B, Phòng Chuyển đổi số"),
        Prose(
            (
                Span("Đoạn có "),
                Span("chữ đậm", bold=True),
                Span(", "),
                Span("chữ nghiêng", italic=True),
                Span(" và "),
                Span("một liên kết", href="https://example.org/a"),
                Span(". Dòng nối tiếp."),
            )
        ),
        ItemList(
            (
                ListItem((Span("ý một"),)),
                ListItem((Span("ý hai"),), (ItemList((ListItem((Span("ý con"),)),), ordered=True),)),
            )
        ),
        ItemList((ListItem((Span("mục ba"),)), ListItem((Span("mục bốn"),))), ordered=True, start=3),
        Table(
            header=[[Cell("Đơn vị", align="left"), Cell("Số lượng", align="right")]],
            body=[Row([Cell("Đồng Phú", align="left"), Cell("12", align="right", bold=True)])],
        ),
        Figure(png(40, 20), caption="Ảnh lớp tập huấn", width_mm=14.1, media_type="image/png"),
        Heading("Mục nhỏ", level=3),
    ]


def test_raw_html_is_printed_as_text_never_interpreted() -> None:
    converted = to_blocks("<script>alert(1)</script> và <b>đậm</b>", "x.md", pictures)

    assert converted.blocks == [Prose((Span("<script>alert(1)</script> và <b>đậm</b>"),))]


def test_a_missing_an_unreadable_and_an_internet_picture_are_named_with_their_line() -> None:
    text = "Đoạn một.\n\n![a](anh/khong-co.png)\n\n![b](anh/hong.png)\n\n![c](https://example.org/x.png)\n"

    converted = to_blocks(text, "02-hoat-dong-chuyen-doi-so.md", pictures)

    assert [str(p) for p in converted.problems] == [
        "[Lỗi] 02-hoat-dong-chuyen-doi-so.md, dòng/row 3: không tìm thấy ảnh 'anh/khong-co.png' / "
        "picture 'anh/khong-co.png' not found",
        "[Lỗi] 02-hoat-dong-chuyen-doi-so.md, dòng/row 5: không đọc được ảnh 'anh/hong.png': cần tệp PNG, JPEG "
        "hoặc GIF / cannot read picture 'anh/hong.png': a PNG, JPEG or GIF file is needed",
        "[Lỗi] 02-hoat-dong-chuyen-doi-so.md, dòng/row 7: ảnh 'https://example.org/x.png' phải là một tệp gửi kèm "
        "(báo cáo không tải ảnh từ Internet) / picture 'https://example.org/x.png' must be a file sent with the "
        "text (the report fetches nothing from the internet)",
    ]
    assert converted.blocks == [Prose((Span("Đoạn một."),))]


# --- the renderers --------------------------------------------------------------------------------------------


def written_document() -> docx.document.Document:
    doc = make_document()
    doc.blocks += to_blocks(EVERY_ELEMENT + "\n![Một GIF](anh/gif.gif)\n", "01.md", pictures).blocks
    return doc


def test_every_element_reaches_the_docx(tmp_path: Path) -> None:
    out = docx.Document(str(render_docx(written_document(), tmp_path / "r.docx")))
    paragraphs = {p.text: p for p in out.paragraphs if p.text}

    assert paragraphs["Bài thứ nhất"].style.name == "Heading 2"
    assert paragraphs["Mục nhỏ"].style.name == "Heading 3"
    byline = paragraphs["Trần Thị B, Phòng Chuyển đổi số"]
    assert byline.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert [(r.bold, r.italic) for r in byline.runs] == [(True, True)]
    prose = paragraphs["Đoạn có chữ đậm, chữ nghiêng và một liên kết. Dòng nối tiếp."]
    assert [(r.text, r.bold, r.italic) for r in prose.runs] == [
        ("Đoạn có ", None, None),
        ("chữ đậm", True, None),
        (", ", None, None),
        ("chữ nghiêng", None, True),
        (" và ", None, None),
        (". Dòng nối tiếp.", None, None),
    ]
    assert [(h.text, h.address) for h in prose.hyperlinks] == [("một liên kết", "https://example.org/a")]
    lists = [t for t in paragraphs if "\t" in t]
    assert lists == ["-\tý một", "-\tý hai", "1.\tý con", "3.\tmục ba", "4.\tmục bốn"]
    assert paragraphs["1.\tý con"].paragraph_format.left_indent > paragraphs["-\tý hai"].paragraph_format.left_indent
    grids = [[[c.text for c in row.cells] for row in t.rows] for t in out.tables]
    assert [["Đơn vị", "Số lượng"], ["Đồng Phú", "12"]] in grids
    # Each picture with its caption in one borderless cell, as the charts are.
    pictures_ = [t for t in out.tables if t._tbl.xpath(".//pic:pic")]
    assert [[p.text for p in t.cell(0, 0).paragraphs] for t in pictures_] == [
        ["", "Ảnh lớp tập huấn"],
        ["", "Một GIF"],
    ]
    assert sorted(part.content_type for part in out.part.package.parts if "media" in str(part.partname)) == [
        "image/gif",
        "image/png",
    ]


class Elements(HTMLParser):
    """The HTML's elements with their attributes, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())


def test_every_element_reaches_the_html(tmp_path: Path) -> None:
    html = render_html(written_document(), tmp_path / "r.html").read_text(encoding="utf-8")
    parsed = Elements()
    parsed.feed(html)

    assert "<h3>Bài thứ nhất</h3>" in html and "<h4>Mục nhỏ</h4>" in html
    assert '<p class="byline">Trần Thị B, Phòng Chuyển đổi số</p>' in html
    assert (
        '<p class="body">Đoạn có <strong>chữ đậm</strong>, <em>chữ nghiêng</em> và '
        '<a href="https://example.org/a">một liên kết</a>. Dòng nối tiếp.</p>'
    ) in html
    assert '<ul class="written"><li>ý một</li><li>ý hai<ol class="written"><li>ý con</li></ol></li></ul>' in html
    assert '<ol class="written" start="3"><li>mục ba</li><li>mục bốn</li></ol>' in html
    assert '<td class="right b">12</td>' in html
    images = [a for tag, a in parsed.tags if tag == "img"]
    assert [(a["alt"], (a["src"] or "")[:22]) for a in images] == [
        ("Ảnh lớp tập huấn", "data:image/png;base64,"),
        ("Một GIF", "data:image/gif;base64,"),
    ]
    assert "<figcaption>Ảnh lớp tập huấn</figcaption>" in html
    assert "p.byline" in html  # the written sections' own styles come with them


def test_a_document_without_written_blocks_renders_exactly_as_before(tmp_path: Path) -> None:
    """The round's HTML without written sections has no trace of them (not even their styles)."""
    html = render_html(make_document(), tmp_path / "r.html").read_text(encoding="utf-8")

    assert "written" not in html and "byline" not in html


# --- storage and history --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_save_is_a_new_version_with_who_and_when() -> None:
    june = Round.objects.get(code="2022-06")

    first = save_section(june, "goc-chia-se", "# Bản nháp\r\n", "alice")
    same = save_section(june, "goc-chia-se", "# Bản nháp\n", "bob")
    second = save_section(june, "goc-chia-se", "# Bản sửa\n", "bob")

    assert same is None  # the same text again keeps no new version
    assert first is not None and second is not None
    assert [(v.version, v.text, v.saved_by, v.via) for v in history(june, "goc-chia-se")] == [
        (2, "# Bản sửa\n", "bob", "web"),
        (1, "# Bản nháp\n", "alice", "web"),
    ]
    assert second.saved_at >= first.saved_at
    with pytest.raises(ValueError, match="no section 'khong-co'"):
        save_section(june, "khong-co", "x", "alice")


@pytest.mark.django_db
def test_a_round_without_written_sections_is_exactly_today_s_report(tmp_path: Path) -> None:
    path = render_docx(build_document("2022-06"), tmp_path / "r.docx")
    headings = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Heading 1"]

    assert headings == ["SỐ LIỆU THỐNG KÊ"]
    assert docx_statistics(path) == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_the_stored_sections_go_around_the_statistics_in_the_configured_order(tmp_path: Path) -> None:
    june = Round.objects.get(code="2022-06")
    save_section(june, "van-ban", "Văn bản **mới** trong tháng.", "alice")
    save_section(june, "goc-chia-se", "# Một bài\n\nTác giả: Lê C\n\nNội dung.", "alice")
    save_section(june, "so-lieu", "Lời dẫn phần số liệu.", "alice")
    save_section(june, "so-lieu-an-toan-thong-tin", "Rà quét tại *các* cơ quan.", "alice")

    doc = build_document("2022-06")

    texts = [(type(b).__name__, getattr(b, "text", "")) for b in doc.blocks]
    start = texts.index(("Heading", "Góc chia sẻ kinh nghiệm, giải pháp"))
    assert texts[start : start + 8] == [
        ("Heading", "Góc chia sẻ kinh nghiệm, giải pháp"),
        ("Heading", "Một bài"),
        ("Byline", "Lê C"),
        ("Prose", "Nội dung."),
        ("Heading", "Văn bản chỉ đạo, điều hành"),
        ("Prose", "Văn bản mới trong tháng."),
        ("Heading", "Số liệu thống kê"),
        ("Prose", "Lời dẫn phần số liệu."),
    ]
    security = next(i for i, t in enumerate(texts) if t[1].endswith(". An toàn thông tin"))
    assert texts[security + 1] == ("Prose", "Rà quét tại các cơ quan.")
    assert isinstance(doc.blocks[0], Paragraph)  # the opening still comes first


# --- a folder of sections: import and report ------------------------------------------------------------------


def write_folder(folder: Path, files: dict[str, bytes | str]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return folder


@pytest.mark.django_db
def test_the_import_command_stores_a_folder_with_its_pictures(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path / "muc",
        {
            "01-goc-chia-se.md": "# Bài\n\n![Ảnh](anh/lop.png)\n",
            "03-van-ban-chi-dao-dieu-hanh.md": "Một văn bản.\n",
            "anh/lop.png": png(40, 20),
        },
    )
    out = StringIO()

    call_command("editorial", "import", "--round", "2022-06", str(folder), stdout=out)
    call_command("editorial", "import", "--round", "2022-06", str(folder), stdout=out)

    assert out.getvalue().splitlines() == [
        "Đã lưu / saved goc-chia-se v1",
        "Đã lưu / saved van-ban v1",
        "Không đổi / unchanged goc-chia-se",
        "Không đổi / unchanged van-ban",
    ]
    versions = SectionVersion.objects.filter(round__code="2022-06").order_by("key")
    assert [(v.key, v.version, v.via, v.saved_by.startswith("cli:")) for v in versions] == [
        ("goc-chia-se", 1, "import", True),
        ("van-ban", 1, "import", True),
    ]
    assert [(p.name, bytes(p.data)) for p in SectionPicture.objects.filter(round__code="2022-06")] == [
        ("anh/lop.png", png(40, 20))
    ]


@pytest.mark.django_db
def test_bad_input_is_named_by_file_and_line_and_nothing_is_stored(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path / "muc",
        {
            "01-goc-chia-se.md": "Đoạn một.\n\n![Ảnh](anh/hong.png)\n",
            "02-hoat-dong-chuyen-doi-so.md": "Dòng một\nDòng hai ".encode() + "Lôc Ninh".encode("cp1252") + b"\n",
            "05-tin-khac.md": "Không có mục này.\n",
            "anh/hong.png": b"not a picture",
        },
    )
    err = StringIO()

    with pytest.raises(CommandError, match="Không lưu gì: 3 lỗi / nothing stored: 3 error"):
        call_command("editorial", "import", "--round", "2022-06", str(folder), stderr=err)

    files = "01-goc-chia-se.md, 02-hoat-dong-chuyen-doi-so.md, 03-van-ban-chi-dao-dieu-hanh.md, 04-so-lieu.md, "
    files += "04-so-lieu-an-toan-thong-tin.md"
    assert err.getvalue().splitlines() == [
        "[Lỗi] 02-hoat-dong-chuyen-doi-so.md, dòng/row 2: tệp không phải văn bản UTF-8 (hãy lưu lại với bảng mã "
        "UTF-8) / the file is not UTF-8 text (save it again as UTF-8)",
        f"[Lỗi] 05-tin-khac.md: tệp không thuộc mục nào của báo cáo; tên tệp cần là một trong: {files} / the file "
        f"is no section of the report; file names are: {files}",
        "[Lỗi] 01-goc-chia-se.md, dòng/row 3: không đọc được ảnh 'anh/hong.png': cần tệp PNG, JPEG hoặc GIF / "
        "cannot read picture 'anh/hong.png': a PNG, JPEG or GIF file is needed",
    ]
    assert not SectionVersion.objects.exists() and not SectionPicture.objects.exists()


@pytest.mark.django_db
def test_a_picture_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(png(4, 4))
    folder = write_folder(tmp_path / "muc", {"01-goc-chia-se.md": "![x](../secret.png)\n"})

    result = import_folder(Round.objects.get(code="2022-06"), folder, "alice")

    assert [p.message_en for p in result.problems] == ["picture '../secret.png' not found"]


@pytest.mark.django_db
def test_the_report_command_takes_its_sections_from_a_folder(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path / "muc", {"02-hoat-dong-chuyen-doi-so.md": "# Tin trong tháng\n\nHuyện **A** tập huấn.\n"}
    )
    out = StringIO()

    call_command(
        "report", "--round", "2022-06", "--format", "docx,html", "--out", str(tmp_path / "out"),
        "--sections", str(folder), "--incomplete-reason", "thử", stdout=out,
    )  # fmt: skip

    document = docx.Document(str(tmp_path / "out" / "bao-cao-2022-06.docx"))
    texts = [p.text for p in document.paragraphs]
    at = texts.index("HOẠT ĐỘNG CHUYỂN ĐỔI SỐ")
    assert texts[at : at + 4] == ["HOẠT ĐỘNG CHUYỂN ĐỔI SỐ", "Tin trong tháng", "Huyện A tập huấn.", "SỐ LIỆU THỐNG KÊ"]
    html = (tmp_path / "out" / "bao-cao-2022-06.html").read_text(encoding="utf-8")
    assert "Huyện <strong>A</strong> tập huấn." in html
    assert not SectionVersion.objects.exists()  # a folder given to `report` is read, not stored


@pytest.mark.django_db
def test_the_report_command_refuses_a_bad_folder_naming_the_file_and_line(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "muc", {"03-van-ban-chi-dao-dieu-hanh.md": "Đoạn.\n\n\n![x](anh/khong-co.png)\n"})

    with pytest.raises(CommandError) as raised:
        call_command("report", "--round", "2022-06", "--format", "html", "--out", str(tmp_path / "out"),
                     "--sections", str(folder))  # fmt: skip

    assert str(raised.value) == (
        "[Lỗi] 03-van-ban-chi-dao-dieu-hanh.md, dòng/row 4: không tìm thấy ảnh 'anh/khong-co.png' / "
        "picture 'anh/khong-co.png' not found"
    )
    assert not (tmp_path / "out").exists()


# --- the demo's own texts -------------------------------------------------------------------------------------

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.replace("ƣ", "ư").replace("Ƣ", "Ư").lower())


def test_the_demo_texts_copy_no_sentence_of_the_seeds() -> None:
    seeds = [" ".join(words(p.read_text(encoding="utf-8"))) for p in sorted(SEEDS.glob("*.txt"))]
    demo_files = sorted((DEMO_DIR / "editorial").glob("*/*.md"))
    copied = []
    for path in demo_files:
        found = words(path.read_text(encoding="utf-8"))
        for i in range(len(found) - 7):
            run = " ".join(found[i : i + 8])
            if any(run in seed for seed in seeds):
                copied.append(f"{path.parent.name}/{path.name}: {run}")

    assert len(seeds) == 2 and {p.parent.name for p in demo_files} == {"2022-05", "2022-06"}
    assert copied == []


@pytest.mark.django_db
def test_the_demo_texts_load_and_leave_june_s_statistics_as_the_golden_text(tmp_path: Path) -> None:
    for demo in demo_rounds():
        assert load_demo_sections(demo) == []

    path = render_docx(build_document("2022-06"), tmp_path / "r.docx")
    headings = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Heading 1"]

    assert headings == [
        "GÓC CHIA SẺ KINH NGHIỆM, GIẢI PHÁP",
        "HOẠT ĐỘNG CHUYỂN ĐỔI SỐ",
        "VĂN BẢN CHỈ ĐẠO, ĐIỀU HÀNH",
        "SỐ LIỆU THỐNG KÊ",
    ]
    assert docx_statistics(path) == GOLDEN.read_text(encoding="utf-8")
    assert sorted(p.name for p in demo_sections("2022-06").iterdir()) == [
        "01-goc-chia-se.md",
        "02-hoat-dong-chuyen-doi-so.md",
        "03-van-ban-chi-dao-dieu-hanh.md",
    ]


# --- the admin's page -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_admin_edits_a_section_and_its_versions_are_listed(personas: dict[str, User]) -> None:
    client = signed_in(personas["admin"])

    page = client.get("/rounds/2022-06/edit/")
    assert 'href="/rounds/2022-06/sections/"' in page.content.decode()
    listing = client.get("/rounds/2022-06/sections/")
    assert listing.status_code == 200
    assert "Góc chia sẻ kinh nghiệm, giải pháp" in listing.content.decode()
    saved = client.post("/rounds/2022-06/sections/goc-chia-se/", {"text": "# Bài\n\nĐoạn **đậm**."})
    client.post("/rounds/2022-06/sections/goc-chia-se/", {"text": "# Bài\n\nĐoạn sửa."})
    editor = client.get("/rounds/2022-06/sections/goc-chia-se/?version=1")

    assert saved.status_code == 302 and saved["Location"] == "/rounds/2022-06/sections/goc-chia-se/"
    assert [(v.version, v.saved_by) for v in history(Round.objects.get(code="2022-06"), "goc-chia-se")] == [
        (2, "alice"),
        (1, "alice"),
    ]
    html = editor.content.decode()
    assert "# Bài\n\nĐoạn **đậm**.</textarea>" in html  # the earlier version, loaded into the editor
    assert 'data-testid="old-version"' in html
    assert "&lt;strong&gt;đậm&lt;/strong&gt;" in html  # its preview, in the frame's srcdoc


@pytest.mark.django_db
def test_the_preview_renders_the_text_as_the_report_prints_it(personas: dict[str, User]) -> None:
    client = signed_in(personas["admin"], csrf=False)

    answer = client.post(
        "/rounds/2022-06/sections/van-ban/preview", {"text": "Đoạn *nghiêng*.\n\n![x](anh/khong-co.png)"}
    ).json()

    assert "<h2>VĂN BẢN CHỈ ĐẠO, ĐIỀU HÀNH</h2>" in answer["html"]
    assert '<p class="body">Đoạn <em>nghiêng</em>.</p>' in answer["html"]
    assert answer["problems"] == ["03-van-ban-chi-dao-dieu-hanh.md, dòng/row 3: không tìm thấy ảnh 'anh/khong-co.png'"]
    assert not SectionVersion.objects.exists()  # a preview stores nothing


@pytest.mark.django_db
def test_an_uploaded_picture_is_shown_in_the_preview(personas: dict[str, User]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(personas["admin"])
    client.post("/rounds/2022-06/sections/pictures", {"picture": SimpleUploadedFile("lop.png", png(8, 8))})

    answer = client.post("/rounds/2022-06/sections/goc-chia-se/preview", {"text": "![Lớp học](lop.png)"}).json()

    assert answer["problems"] == []
    assert 'src="data:image/png;base64,' in answer["html"] and "<figcaption>Lớp học</figcaption>" in answer["html"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dong_phu", "viewer"])
def test_only_an_admin_sees_or_writes_the_sections(personas: dict[str, User], persona: str) -> None:
    client = signed_in(personas[persona])

    answers = [
        client.get("/rounds/2022-06/sections/"),
        client.get("/rounds/2022-06/sections/goc-chia-se/"),
        client.post("/rounds/2022-06/sections/goc-chia-se/", {"text": "x"}),
        client.post("/rounds/2022-06/sections/goc-chia-se/preview", {"text": "x"}),
        client.post("/rounds/2022-06/sections/pictures", {}),
    ]

    assert [a.status_code for a in answers] == [403] * 5
    assert not SectionVersion.objects.exists()


@pytest.mark.django_db
def test_an_unknown_section_or_round_is_not_found(personas: dict[str, User]) -> None:
    client = signed_in(personas["admin"])

    assert client.get("/rounds/2022-06/sections/khong-co/").status_code == 404
    assert client.get("/rounds/2031-01/sections/").status_code == 404
