"""The office's Markdown → the report's document model: a pure function, no database, no files.

markdown-it-py parses (CommonMark with tables); this module only maps its syntax tree onto the blocks the DOCX and
HTML renderers print. Two conventions of the bulletin on top of Markdown: a picture alone in its paragraph is a
figure whose caption is its alt text (or its title), and a paragraph starting "Tác giả:" ("Author:") is the
article's author line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from dxmonitor.problems import Location, Problem, error
from dxmonitor.reports.model import (
    Align,
    Block,
    Byline,
    Cell,
    Figure,
    Heading,
    ItemList,
    ListItem,
    Prose,
    Row,
    Span,
    Table,
)

BYLINE_PREFIXES = ("tác giả:", "author:")
PICTURE_TYPES = {"image/png", "image/jpeg", "image/gif"}  # what both Word and every browser show
MAX_PICTURE_MM = 160.0
ALIGN: dict[str, Align] = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}

# A picture's bytes by the name the text gives it (a file beside the text, or one stored with the round); None
# when there is no such picture.
Pictures = Callable[[str], bytes | None]


@dataclass
class Converted:
    blocks: list[Block] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pictures: list[str] = field(default_factory=list)  # the names of the pictures used, in order


def _parser() -> MarkdownIt:
    # No raw HTML: what the office types is printed, never interpreted.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def to_blocks(text: str, source: str, pictures: Pictures) -> Converted:
    """The blocks of one section's Markdown `text`; `source` names it (a file name) in every problem."""
    out = Converted()
    root = SyntaxTreeNode(_parser().parse(text))
    _Walker(source, pictures, out).blocks(root.children)
    return out


def _line(node: SyntaxTreeNode) -> int | None:
    while node.map is None and node.parent is not None:
        node = node.parent
    return node.map[0] + 1 if node.map else None


@dataclass
class _Walker:
    source: str
    pictures: Pictures
    out: Converted

    def problem(self, node: SyntaxTreeNode, vi: str, en: str) -> None:
        self.out.problems.append(error(Location(file=self.source, row=_line(node)), vi, en))

    def blocks(self, nodes: list[SyntaxTreeNode]) -> None:
        for node in nodes:
            self.block(node)

    def block(self, node: SyntaxTreeNode) -> None:
        kind = node.type
        if kind == "heading":
            level = min(int(node.tag[1:]) + 1, 3)  # "#" is an article under the section's own title
            self.out.blocks.append(Heading(_plain(node), level=level))
        elif kind == "paragraph":
            self.paragraph(node)
        elif kind in ("bullet_list", "ordered_list"):
            self.out.blocks.append(self.item_list(node))
        elif kind == "table":
            self.out.blocks.append(_table(node))
        elif kind == "blockquote":
            self.blocks(node.children)
        elif kind in ("fence", "code_block"):
            self.out.blocks += [Prose((Span(line),)) for line in node.content.splitlines() if line.strip()]
        # A thematic break ("---") and anything else print nothing.

    def paragraph(self, node: SyntaxTreeNode) -> None:
        inline = node.children[0]
        pictures = [c for c in inline.children if c.type == "image"]
        spans = _spans(inline.children)
        text = "".join(s.text for s in spans).strip()
        if text.lower().startswith(BYLINE_PREFIXES):
            self.out.blocks.append(Byline(text.split(":", 1)[1].strip()))
        elif text:
            self.out.blocks.append(Prose(spans))
        for picture in pictures:
            figure = self.figure(picture)
            if figure is not None:
                self.out.blocks.append(figure)

    def figure(self, node: SyntaxTreeNode) -> Figure | None:
        name = str(node.attrs.get("src", ""))
        caption = str(node.attrs.get("title") or "") or _plain(node)
        if "://" in name or name.startswith("data:"):
            self.problem(
                node,
                f"ảnh '{name}' phải là một tệp gửi kèm (báo cáo không tải ảnh từ Internet)",
                f"picture '{name}' must be a file sent with the text (the report fetches nothing from the internet)",
            )
            return None
        data = self.pictures(name)
        if data is None:
            self.problem(node, f"không tìm thấy ảnh '{name}'", f"picture '{name}' not found")
            return None
        try:
            image = Image.from_blob(data)
        except (UnrecognizedImageError, ValueError, IndexError):
            image = None
        if image is None or image.content_type not in PICTURE_TYPES:
            self.problem(
                node,
                f"không đọc được ảnh '{name}': cần tệp PNG, JPEG hoặc GIF",
                f"cannot read picture '{name}': a PNG, JPEG or GIF file is needed",
            )
            return None
        self.out.pictures.append(name)
        width = min(image.width.mm, MAX_PICTURE_MM) if image.width else MAX_PICTURE_MM
        return Figure(data, caption=caption, width_mm=round(width, 1), media_type=image.content_type)

    def item_list(self, node: SyntaxTreeNode) -> ItemList:
        items = []
        for item in node.children:
            spans: list[Span] = []
            children: list[ItemList] = []
            for part in item.children:
                if part.type == "paragraph":
                    if spans:
                        spans.append(Span("\n"))
                    spans += _spans(part.children[0].children)
                elif part.type in ("bullet_list", "ordered_list"):
                    children.append(self.item_list(part))
                else:  # a table or a quote inside a list item: printed after the list, not lost
                    self.block(part)
            items.append(ListItem(tuple(spans), tuple(children)))
        start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
        return ItemList(tuple(items), ordered=node.type == "ordered_list", start=start)


def _spans(nodes: list[SyntaxTreeNode], bold: bool = False, italic: bool = False, href: str = "") -> tuple[Span, ...]:
    """The runs of an inline: each text with the marks around it; pictures are figures, left out here."""
    out: list[Span] = []
    for node in nodes:
        kind = node.type
        if kind in ("text", "code_inline"):
            out.append(Span(node.content, bold, italic, href))
        elif kind == "softbreak":
            out.append(Span(" ", bold, italic, href))
        elif kind == "hardbreak":
            out.append(Span("\n", bold, italic, href))
        elif kind == "strong":
            out += _spans(node.children, True, italic, href)
        elif kind == "em":
            out += _spans(node.children, bold, True, href)
        elif kind == "link":
            out += _spans(node.children, bold, italic, str(node.attrs.get("href", "")))
    return tuple(_merged(out))


def _merged(spans: list[Span]) -> list[Span]:
    """Adjacent runs with the same marks as one run; empty runs dropped."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and replace(merged[-1], text="") == replace(span, text=""):
            merged[-1] = replace(span, text=merged[-1].text + span.text)
        else:
            merged.append(span)
    return merged


def _plain(node: SyntaxTreeNode) -> str:
    """The text of a node without its marks (a heading, a caption, a table cell)."""
    if node.type == "image":
        return "".join(_plain(c) for c in node.children) or node.content
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(_plain(c) for c in node.children).strip() if node.children else node.content


def _table(node: SyntaxTreeNode) -> Table:
    header: list[list[Cell]] = []
    body: list[Row] = []
    for part in node.children:
        for tr in part.children:
            cells = [_cell(c) for c in tr.children]
            if part.type == "thead":
                header.append(cells)
            else:
                body.append(Row(cells))
    return Table(header=header, body=body)


def _cell(cell: SyntaxTreeNode) -> Cell:
    """A table cell as text: aligned as its column's marker says (left by default), bold when all of it is."""
    spans = _spans(cell.children[0].children) if cell.children else ()
    align = ALIGN.get(str(cell.attrs.get("style", "")), "left")
    return Cell(_plain(cell), align=align, bold=bool(spans) and all(s.bold for s in spans))
