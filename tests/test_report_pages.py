"""The complete 2022-06 report as the Committee receives it, made into a PDF by LibreOffice and looked at page by
page: fonts embedded, the Vietnamese headings in the PDF's text, the cover, the contents with their pages, and the
signer on the last page. One page image per section is kept in test-artifacts/report-pages/ (NN-<what>.png) to be
looked at."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from dxmonitor.catalogue.models import Round
from dxmonitor.demo.loading import demo_rounds, demo_sections, name_the_signer
from dxmonitor.issuing.signing import signature_placement
from dxmonitor.reports.docx_front import heading_text
from dxmonitor.reports.generate import build_document, generate
from dxmonitor.reports.model import Document

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "report-pages"
pytestmark = pytest.mark.slow


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pages_text(pdf: Path) -> list[str]:
    """Each page's text, NFC, with runs of white space as one space."""
    count = int(re.findall(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf)))[0])
    texts = [run("pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-") for n in range(1, count + 1)]
    return [" ".join(unicodedata.normalize("NFC", t).split()) for t in texts]


@pytest.fixture(scope="module")
def june(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Document, Path]]:
    """The report as `dxmonitor demo` makes it: the written sections, and the demo's signer named (given back
    after: the session's database is other tests' too)."""
    folder = tmp_path_factory.mktemp("pages")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        demo = next(d for d in demo_rounds() if d.code == "2022-06")
        name_the_signer(demo)
        try:
            doc = build_document("2022-06", sections_dir=demo_sections("2022-06"))
            [pdf] = generate("2022-06", ["pdf"], folder, sections_dir=demo_sections("2022-06"))
        finally:
            Round.objects.filter(code="2022-06").update(issuer_signer_name="")
    yield doc, pdf


def test_every_font_of_the_pdf_is_embedded(june: tuple[Document, Path]) -> None:
    _, pdf = june
    rows = run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows, "the PDF lists no font"
    assert [row.split()[-5] for row in rows] == ["yes"] * len(rows)  # the "emb" column


def test_the_pdf_reads_as_the_bulletin_in_vietnamese(june: tuple[Document, Path]) -> None:
    doc, pdf = june
    pages = pages_text(pdf)
    cover = pages[0]
    for text in ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "BÁO CÁO CHUYÊN ĐỀ", "Tháng 6/2022", "Số: 02/BC-STTTT",
                 "Ngày 20/7/2022", "LƯU HÀNH NỘI BỘ",
                 "Tài liệu tham khảo phục vụ Ban Chỉ đạo về chuyển đổi số tỉnh"):  # fmt: skip
        assert text in cover
    assert "Lưu hành nội bộ |" not in cover  # no footer on the cover
    assert pages[1].startswith("MỤC LỤC") and pages[1].endswith("Lưu hành nội bộ | 2")
    for number, page in enumerate(pages[1:], start=2):
        assert page.endswith(f"Lưu hành nội bộ | {number}")
    # Each heading is in the text, on the page its contents entry gives.
    for heading in doc.headings():
        title = " ".join(heading_text(heading).split())
        entry = re.search(re.escape(title) + r" ?\.*\s*(\d+)", pages[1])
        assert entry is not None, f"{title!r} is not in the contents"
        assert title in pages[int(entry[1]) - 1], f"{title!r} is not on page {entry[1]}"
    last = pages[-1]
    assert "Nơi nhận:" in last and "GIÁM ĐỐC" in last and "Trần Văn Mẫu" in last and "kính báo cáo./." in last


def words_of(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """Each word of a page (from 1) with its top and bottom in PDF points from the page's foot, as PDF boxes are."""
    xml = run("pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-")
    height = float(re.findall(r'<page width="[\d.]+" height="([\d.]+)"', xml)[0])
    found = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>', xml)
    return [(unicodedata.normalize("NFC", w), height - float(lo), height - float(hi)) for lo, hi, w in found]


def test_the_signature_s_box_lies_between_the_signer_s_title_and_name(june: tuple[Document, Path]) -> None:
    _, pdf = june
    placement = signature_placement(pdf)
    assert placement is not None, "the PDF has no room marked for the signature"
    _, bottom, _, top = placement.box
    words = words_of(pdf, placement.page + 1)
    title_foot = min(foot for word, _, foot in words if word in ("GIÁM", "ĐỐC"))
    name_top = max(head for word, head, _ in words if word in ("Trần", "Văn", "Mẫu"))

    assert title_foot >= top  # the box starts under the title
    assert name_top <= bottom  # and ends above the name: the stamp never covers it


def test_one_image_per_section_is_kept_to_be_looked_at(june: tuple[Document, Path]) -> None:
    doc, pdf = june
    pages = pages_text(pdf)
    wanted: dict[int, str] = {1: "bia", 2: "muc-luc"}
    for heading in doc.headings():
        title = " ".join(heading_text(heading).split())
        page = next(n for n, text in enumerate(pages[2:], start=3) if title in text)
        wanted.setdefault(page, slug(heading.text))
    wanted.setdefault(len(pages), "ky")
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    for page, name in sorted(wanted.items()):
        run("pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
            str(ARTIFACTS / f"{page:02d}-{name}"))  # fmt: skip
    kept = sorted(p.name for p in ARTIFACTS.glob("*.png"))
    assert kept[:2] == ["01-bia.png", "02-muc-luc.png"] and kept[-1] == f"{len(pages):02d}-ky.png"
    assert len(kept) == len(wanted) >= 8
    assert all((ARTIFACTS / name).read_bytes().startswith(b"\x89PNG") for name in kept)


def slug(text: str) -> str:
    """An ASCII file name part: "Dịch vụ công trực tuyến" -> "dich-vu-cong-truc-tuyen"."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    words = re.findall(r"[a-z0-9]+", plain.encode("ascii", "ignore").decode().lower())
    return "-".join(words)[:40]
