"""Assemble a round's report: header, opening, the statistics sections of the outline, closing."""

from __future__ import annotations

from datetime import date

from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.formats import window_text
from dxmonitor.reports.charts import chart_figure
from dxmonitor.reports.findings import finding_text
from dxmonitor.reports.model import Block, Document, Editorial, Heading, Issuer, Paragraph, Table
from dxmonitor.reports.notes import month_before_notes
from dxmonitor.reports.outline import Block as OutlineBlock
from dxmonitor.reports.outline import ChartBlock, FiguresBlock, Outline, UnitTableBlock
from dxmonitor.reports.tables import (
    comparison_notes,
    coverage_note,
    expand,
    figures_table,
    table_coverage,
    unit_table,
    window_table,
)


def _as_of_note(table_block: UnitTableBlock, ctx: RoundContext) -> Paragraph | None:
    codes = {c.indicator for c in table_block.columns}
    units = set(ctx.dataset(table_block.dataset).units)
    windows = {f.window for f in ctx.main.values() if f.indicator in codes and f.unit in units and not f.computed}
    if len(windows) != 1:
        return None
    return Paragraph(f"Số liệu {window_text(windows.pop())}:", style="note")


def section_blocks(blocks: list[OutlineBlock], ctx: RoundContext) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, ChartBlock):
            out += [f for f in [chart_figure(block, ctx)] if f]
            continue
        if isinstance(block, FiguresBlock):
            table = figures_table(block, ctx)
            if table:
                out.append(table)
                notes = comparison_notes(block, ctx) + month_before_notes(block, ctx)
                out += [Paragraph(line, style="note") for line in notes]
            continue
        table = unit_table(block, ctx) if isinstance(block, UnitTableBlock) else window_table(block, ctx)
        if table is None:
            continue
        note = _as_of_note(block, ctx) if isinstance(block, UnitTableBlock) else None
        out += [note, table] if note else [table]
        covered = table_coverage(ctx, block.dataset, [(i.code, c) for _, i, c in expand(block.columns, ctx)])
        if covered.partial:  # the table is built from fewer units than expected: say which are missing
            out.append(Paragraph(coverage_note(covered, ctx), style="note"))
        if isinstance(block, UnitTableBlock):
            out += [Paragraph(line, style="note") for line in comparison_notes(block, ctx)]
        sentences = [finding_text(f, block.dataset, ctx) for f in getattr(block, "findings", [])]
        sentences = [s for s in sentences if s]
        if sentences:
            out.append(Paragraph("Nhận xét:", style="lead"))
            out += [Paragraph(f"- {s}", style="bullet") for s in sentences]
    return out


def build_report(
    outline: Outline,
    ctx: RoundContext,
    issuer: Issuer,
    number: str,
    issued_on: date,
    editorial: Editorial | None = None,
) -> Document:
    """The whole document for the round in `ctx`, with the sections the office wrote for it around the statistics
    (none: the statistics alone)."""
    name = ctx.current.name
    written = editorial or Editorial()
    doc = Document(issuer, number, issued_on, outline.title, outline.subtitle.format(round_name=name))
    agency = issuer.agency_name or issuer.agency
    doc.blocks.append(Paragraph(" ".join(outline.opening.format(agency=agency, round_name=name).split())))
    doc.blocks += written.before
    doc.blocks.append(Heading(written.statistics_heading, level=1))
    doc.blocks += written.statistics_intro
    number_ = 0
    for section in outline.sections:
        blocks = section_blocks(section.blocks, ctx)
        if not any(isinstance(b, Table) for b in blocks):
            continue
        number_ += 1
        doc.blocks.append(Heading(f"{number_}. {section.heading}", level=2))
        if section.intro:
            doc.blocks.append(Paragraph(section.intro))
        doc.blocks += written.section_intros.get(section.heading, [])
        doc.blocks += blocks
    doc.blocks += written.after
    doc.blocks.append(Paragraph(outline.closing.format(agency=agency)))
    return doc
