"""What an issued version was made from, in the form it is kept and compared in: the round's figures as exported
rows (value, target, verdict, baseline, change) and the sentences the report printed under its tables (its findings
and lists of units). The same two functions give the current figures a kept version is compared with."""

from __future__ import annotations

from dxmonitor.catalogue.models import Round
from dxmonitor.reports.export import export_rows
from dxmonitor.reports.generate import build_document, round_context
from dxmonitor.reports.model import Document, Heading, Paragraph


def figures_of(round_: Round) -> list[dict[str, str]]:
    """The round's figures now, one exported row each."""
    return export_rows(round_context(round_, round_.effective_baseline()))


def statements_in(doc: Document) -> list[dict[str, str]]:
    """The generated sentences of a report (not the office's written sections), each with the heading above it."""
    section, found = "", []
    for block in doc.blocks:
        if isinstance(block, Heading):
            section = block.text
        elif isinstance(block, Paragraph) and block.text.strip():
            found.append({"section": section, "text": block.text})
    return found


def statements_of(round_: Round) -> list[dict[str, str]]:
    """The sentences the round's report prints now (its findings and lists of units)."""
    return statements_in(build_document(round_.code))
