"""Render the report document model as one standalone HTML page that prints on A4."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from dxmonitor.evaluation.formats import long_date, short_date
from dxmonitor.reports.layout import column_shares
from dxmonitor.reports.model import (
    Block,
    Byline,
    Cell,
    Document,
    Figure,
    Heading,
    ItemList,
    Paragraph,
    Prose,
    Span,
)

TEMPLATES = Path(__file__).parent / "templates"
BOLD_ROWS = {"total", "group", "change"}


@cache
def _engine() -> Engine:
    # A standalone engine: the report renders the same with or without Django settings.
    return Engine(dirs=[str(TEMPLATES)], autoescape=True)


def render_html(doc: Document, path: Path) -> Path:
    """Write `doc` as a standalone HTML file at `path` and return the path."""
    template = _engine().get_template("reports/report.html")
    html = template.render(Context(_context(doc)))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def _context(doc: Document) -> dict[str, Any]:
    issuer = doc.issuer
    recipients = [f"- {r}{'.' if i == len(issuer.recipients) - 1 else ';'}" for i, r in enumerate(issuer.recipients)]
    # The headings the bulletin's contents link to carry an id; the administrative report has no contents.
    listed = {id(h): i for i, h in enumerate(doc.headings())} if doc.layout == "bulletin" else {}
    return {
        "doc": doc,
        "bulletin": doc.layout == "bulletin",
        "cover": doc.cover,
        "short_date": short_date(doc.issued_on),
        "footer_css": _css_string(f"{doc.cover.footer} | " if doc.cover and doc.cover.footer else ""),
        "contents": [
            {"anchor": _anchor(i), "text": _heading_text(h), "level": min(h.level, 2)}
            for i, h in enumerate(doc.headings())
            if id(h) in listed
        ],
        "parent_agency": issuer.parent_agency.upper(),
        "agency": issuer.agency.upper(),
        "place_date": f"{issuer.place}, {long_date(doc.issued_on)}",
        "title": doc.title.upper(),
        "recipients": recipients,
        "signer_title": issuer.signer_title.upper(),
        "blocks": [_block(b, _anchor(listed[id(b)]) if id(b) in listed else "") for b in doc.blocks],
        "written": any(isinstance(b, Prose | ItemList | Byline) for b in doc.blocks),
    }


def render_fragment(blocks: list[Block]) -> str:
    """`blocks` alone as a standalone HTML page with the report's look: the editor's preview of one section."""
    template = _engine().get_template("reports/fragment.html")
    return template.render(Context({"blocks": [_block(b) for b in blocks]}))


def _anchor(index: int) -> str:
    return f"muc-{index + 1}"


def _heading_text(block: Heading) -> str:
    return block.text.upper() if block.level <= 1 else block.text


def _css_string(text: str) -> SafeString:
    """`text` as a CSS string literal, safe inside a <style> element."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>&' or ord(c) < 32 else c for c in text)
    return mark_safe(f'"{escaped}"')  # every character that could end the string or the element is escaped


def _block(block: Block, anchor: str = "") -> dict[str, Any]:
    if isinstance(block, Prose):
        return {"kind": "html", "html": format_html('<p class="body">{}</p>', _spans(block.spans))}
    if isinstance(block, ItemList):
        return {"kind": "html", "html": _item_list(block)}
    if isinstance(block, Byline):
        return {"kind": "html", "html": format_html('<p class="byline">{}</p>', block.text)}
    if isinstance(block, Figure):
        return {
            "kind": "figure",
            "src": f"data:{block.media_type};base64," + base64.b64encode(block.png).decode("ascii"),
            "caption": block.caption,
            "width": f"{block.width_mm:g}mm",
        }
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 3)
        return {"kind": "heading", "tag": f"h{level + 1}", "text": _heading_text(block), "id": anchor}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "style": block.style, "text": block.text}
    return {
        "kind": "table",
        "caption": block.caption,
        "small": block.column_count > 6,
        "smaller": block.column_count > 8,
        "widths": [f"{share * 100:.2f}" for share in column_shares(block)],
        "header": [[_cell(c, header=True) for c in row] for row in block.header],
        "body": [{"style": row.style, "cells": [_cell(c) for c in row.cells]} for row in block.body],
    }


def _cell(cell: Cell, header: bool = False) -> dict[str, str]:
    # Spans as strings: the template must not localise numbers (that would need Django settings).
    return {
        "text": cell.text,
        "colspan": str(cell.colspan) if cell.colspan > 1 else "",
        "rowspan": str(cell.rowspan) if cell.rowspan > 1 else "",
        "class": " ".join(c for c in ("center" if header else cell.align, "b" if cell.bold else "") if c),
    }


def _spans(spans: tuple[Span, ...]) -> SafeString:
    """The office's runs as HTML: every text escaped, marks as <strong>, <em> and <a>."""
    parts = []
    for span in spans:
        html = mark_safe("<br>".join(format_html("{}", line) for line in span.text.split("\n")))
        if span.italic:
            html = format_html("<em>{}</em>", html)
        if span.bold:
            html = format_html("<strong>{}</strong>", html)
        if span.href:
            html = format_html('<a href="{}">{}</a>', span.href, html)
        parts.append(html)
    return mark_safe("".join(parts))  # each part is built by format_html


def _item_list(block: ItemList) -> SafeString:
    items = format_html_join(
        "",
        "<li>{}{}</li>",
        ((_spans(i.spans), mark_safe("".join(_item_list(c) for c in i.children))) for i in block.items),
    )
    if block.ordered:
        start = format_html(' start="{}"', str(block.start)) if block.start != 1 else ""
        return format_html('<ol class="written"{}>{}</ol>', start, items)
    return format_html('<ul class="written">{}</ul>', items)
