"""The report's hook: a round's written sections, from a folder (`dxmonitor report --sections DIR`) or as stored."""

from __future__ import annotations

from pathlib import Path

from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.editorial.files import read_folder
from dxmonitor.editorial.sections import assemble, slots
from dxmonitor.editorial.store import editorial_of
from dxmonitor.problems import Problem
from dxmonitor.reports.model import Editorial
from dxmonitor.reports.outline import Outline, outline_on


def written_sections(round_: Round, outline: Outline, folder: Path | None) -> tuple[Editorial | None, list[Problem]]:
    """The editorial part of the round's report and its errors (none printed when any): None when nothing is written,
    so that the report is the statistics alone."""
    if folder is None:
        assembled = editorial_of(round_, outline)
        return assembled.editorial, [p for p in assembled.problems if p.is_error]
    read = read_folder(folder, slots(outline))
    assembled = assemble(outline, read.texts, read.picture)
    problems = [p for p in read.problems + assembled.problems if p.is_error]
    return assembled.editorial, problems


def folder_problems(round_: Round, folder: Path) -> list[Problem]:
    """What stops a report from `folder`: each error with its file and line (checked before a job is made)."""
    return written_sections(round_, outline_on(round_days(round_.code)), folder)[1]
