"""The report as a document model, built once and rendered by the DOCX, HTML and PDF renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Align = Literal["left", "center", "right"]
Layout = Literal["administrative", "bulletin"]  # Nghị định 30's report, or the office's bulletin with its cover
RowStyle = Literal["data", "total", "group", "change"]


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: Align = "center"
    bold: bool = False


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    style: RowStyle = "data"


@dataclass(frozen=True)
class Table:
    """A real table: header rows (with spans), then body rows."""

    header: list[list[Cell]]
    body: list[Row]
    caption: str = ""
    widths: list[float] = field(default_factory=list)  # relative column widths

    @property
    def column_count(self) -> int:
        return sum(c.colspan for c in self.header[0]) if self.header else len(self.body[0].cells)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "bullet", "note", "lead"] = "body"


@dataclass(frozen=True)
class Figure:
    """A chart drawn as a PNG image (or a picture the office added), with its caption, printed `width_mm` wide."""

    png: bytes
    caption: str = ""
    width_mm: float = 160.0
    media_type: str = "image/png"  # a picture of an editorial section may be a JPEG or a GIF


@dataclass(frozen=True)
class Span:
    """A run of text the office wrote: plain, bold, italic, or a link."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""


@dataclass(frozen=True)
class Prose:
    """A paragraph of an editorial section, with its bold, italic and linked runs."""

    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class ListItem:
    spans: tuple[Span, ...]
    children: tuple[ItemList, ...] = ()  # lists nested under this item


@dataclass(frozen=True)
class ItemList:
    """A bulleted or numbered list of an editorial section; numbers are printed as written, from `start`."""

    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class Byline:
    """The author line of an article ("Nguyễn Văn A, Sở Thông tin và Truyền thông")."""

    text: str


Block = Heading | Paragraph | Table | Figure | Prose | ItemList | Byline


@dataclass(frozen=True)
class Editorial:
    """What the office wrote for a round, placed around the generated statistics."""

    before: list[Block] = field(default_factory=list)  # the sections before the statistics, their headings included
    statistics_heading: str = "SỐ LIỆU THỐNG KÊ"
    statistics_intro: list[Block] = field(default_factory=list)
    section_intros: dict[str, list[Block]] = field(default_factory=dict)  # by the outline section's heading
    after: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Issuer:
    """Who issues the report (a round keeps it: catalogue.models.Round's `issuer_*` fields)."""

    parent_agency: str
    agency: str
    series: str  # the number's series: "BC-STTTT" in "Số: 02/BC-STTTT"
    place: str
    signer_title: str
    signer_name: str
    recipients: list[str]
    agency_name: str = ""  # the agency as written in running text: "Sở Thông tin và Truyền thông"


@dataclass(frozen=True)
class Cover:
    """What the bulletin's cover prints besides the issuer, number and date (an outline's `cover:`)."""

    period: str  # "Tháng 6/2022"
    tagline: str = ""  # "Tài liệu tham khảo phục vụ Ban Chỉ đạo về chuyển đổi số tỉnh"
    circulation: str = "LƯU HÀNH NỘI BỘ"
    footer: str = "Lưu hành nội bộ"  # the running footer, before " | <page>"


@dataclass
class Document:
    issuer: Issuer
    number: str  # "02/BC-STTTT"
    issued_on: date
    title: str  # "BÁO CÁO CHUYÊN ĐỀ"
    subtitle: str  # "Tình hình chuyển đổi số tháng 6/2022"
    blocks: list[Block] = field(default_factory=list)
    layout: Layout = "administrative"
    cover: Cover | None = None  # the bulletin's cover; the administrative layout has none
    template: str = ""  # the Word template the DOCX is built on; empty: the configured one

    def headings(self) -> list[Heading]:
        """The headings of levels 1 and 2, which the bulletin's table of contents lists."""
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= 2]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
