"""The one way a round's written sections are stored and read: the web editor, `dxmonitor editorial import` and the
demo all save through here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.editorial.files import read_folder
from dxmonitor.editorial.models import SectionPicture, SectionVersion
from dxmonitor.editorial.sections import Assembled, Slot, assemble, slots
from dxmonitor.problems import Location, Problem, error, has_errors
from dxmonitor.reports.outline import Outline, outline_on


def outline_of(round_: Round) -> Outline:
    return outline_on(round_days(round_.code))


def slots_of(round_: Round) -> list[Slot]:
    """The texts the office may write for `round_`: the written sections of the outline in force on its days."""
    return slots(outline_of(round_))


def current_texts(round_: Round) -> dict[str, SectionVersion]:
    """The latest version of each section of the round, by key."""
    latest: dict[str, SectionVersion] = {}
    for version in SectionVersion.objects.filter(round=round_).order_by("key", "-version"):
        latest.setdefault(version.key, version)
    return latest


def history(round_: Round, key: str) -> list[SectionVersion]:
    """Every saved version of a section, newest first."""
    return list(SectionVersion.objects.filter(round=round_, key=key).order_by("-version"))


def picture(round_: Round, name: str) -> bytes | None:
    found = SectionPicture.objects.filter(round=round_, name=name).values_list("data", flat=True).first()
    return bytes(found) if found is not None else None


def save_section(round_: Round, key: str, text: str, by: str, via: str = "web") -> SectionVersion | None:
    """Store `text` as the next version of section `key` of the round; None when it equals the latest version
    (nothing to keep). ValueError for a key the round's outline has no section of."""
    if key not in {s.key for s in slots_of(round_)}:
        raise ValueError(f"no section '{key}' in the outline of round {round_.code}")
    text = text.replace("\r\n", "\n")
    with transaction.atomic():
        Round.objects.select_for_update().filter(pk=round_.pk).first()  # one save of a round at a time
        latest = SectionVersion.objects.filter(round=round_, key=key).order_by("-version").first()
        if latest is not None and latest.text == text:
            return None
        number = (SectionVersion.objects.filter(round=round_, key=key).aggregate(n=Max("version"))["n"] or 0) + 1
        return SectionVersion.objects.create(round=round_, key=key, version=number, text=text, saved_by=by, via=via)


def save_picture(round_: Round, name: str, data: bytes, by: str) -> SectionPicture:
    picture_, _ = SectionPicture.objects.update_or_create(
        round=round_, name=name, defaults={"data": data, "saved_by": by}
    )
    return picture_


def editorial_of(round_: Round, outline: Outline) -> Assembled:
    """The round's stored texts, assembled for its report."""
    texts = {key: v.text for key, v in current_texts(round_).items()}
    return assemble(outline, texts, lambda name: picture(round_, name))


@dataclass
class Imported:
    problems: list[Problem] = field(default_factory=list)
    saved: list[SectionVersion] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # keys whose text was already the latest version


def import_folder(round_: Round, folder: Path, by: str) -> Imported:
    """Store the sections of `folder` and the pictures they name, all or nothing: on any problem nothing is saved."""
    outline = outline_of(round_)
    read = read_folder(folder, slots(outline))
    out = Imported(problems=list(read.problems))
    if not has_errors(out.problems) and not read.texts:
        names = ", ".join(s.file for s in slots(outline)) or "—"
        out.problems.append(
            error(
                Location(file=str(folder)),
                f"thư mục không có tệp mục nào ({names})",
                f"the folder holds no section file ({names})",
            )
        )
    assembled = assemble(outline, read.texts, read.picture)
    out.problems += assembled.problems
    if has_errors(out.problems):
        return out
    with transaction.atomic():
        for name in dict.fromkeys(assembled.pictures):
            save_picture(round_, name, read.picture(name) or b"", by)
        for key, text in read.texts.items():
            saved = save_section(round_, key, text, by, via="import")
            if saved is None:
                out.unchanged.append(key)
            else:
                out.saved.append(saved)
    return out
