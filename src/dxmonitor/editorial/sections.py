"""A round's written sections → the `Editorial` the report places around its statistics. Pure: the texts and
pictures come in as data, from a folder or from the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from dxmonitor.editorial.markdown import Pictures, to_blocks
from dxmonitor.problems import Problem
from dxmonitor.reports.model import Block, Editorial, Heading
from dxmonitor.reports.outline import Outline


@dataclass(frozen=True)
class Slot:
    """One text the office may write for a round: a section, or the introduction of a statistics section."""

    key: str
    file: str
    title: str  # as the editor shows it
    intro_of: str = ""  # the statistics section it introduces ("" for a section)
    statistics: bool = False


def slots(outline: Outline) -> list[Slot]:
    """Every text of the outline's written sections, in the report's order."""
    out = []
    for section in outline.written:
        out.append(Slot(section.key, section.file, section.title, statistics=section.statistics))
        out += [Slot(i.key, i.file, f"{section.title} — {i.section}", intro_of=i.section) for i in section.intros]
    return out


@dataclass
class Assembled:
    editorial: Editorial | None
    problems: list[Problem] = field(default_factory=list)
    pictures: list[str] = field(default_factory=list)


def assemble(outline: Outline, texts: dict[str, str], pictures: Pictures) -> Assembled:
    """The editorial part of a round from its texts by key; None when nothing is written (the statistics alone).
    A section without text is left out; the statistics keep their place and heading."""
    if not outline.written or not any(t.strip() for t in texts.values()):
        return Assembled(None)
    result = Assembled(None)

    def blocks_of(slot: Slot) -> list[Block]:
        text = texts.get(slot.key, "")
        if not text.strip():
            return []
        converted = to_blocks(text, slot.file, pictures)
        result.problems += converted.problems
        result.pictures += converted.pictures
        return converted.blocks

    before: list[Block] = []
    after: list[Block] = []
    heading = ""
    intro: list[Block] = []
    section_intros: dict[str, list[Block]] = {}
    for slot in slots(outline):
        blocks = blocks_of(slot)
        if slot.statistics:
            heading, intro = slot.title, blocks
        elif slot.intro_of:
            if blocks:
                section_intros[slot.intro_of] = blocks
        elif blocks:
            (after if heading else before).extend([Heading(slot.title, level=1), *blocks])
    result.editorial = Editorial(before, heading, intro, section_intros, after)
    return result
