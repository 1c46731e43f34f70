"""The report's outline as data: which sections, which tables and which findings, in the seeds' order.

Each file of `outlines/` is valid on days, as the units are: a round is reported with the outline in force on its
days (Bình Phước's monthly report until 30/6/2025, Đồng Nai's after). Together they cover every day exactly once, so
the next province's outline is one more file and an end date on the last one. An outline names datasets,
indicators and findings, never a unit: the rows are the dataset's units in force on the round's days."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dxmonitor.catalogue.loading import CatalogueError, load_file
from dxmonitor.catalogue.tree import Days
from dxmonitor.problems import Location, Problem, error

OUTLINES_DIR = Path(__file__).parent / "outlines"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Show = Literal["value", "change", "change_pct", "verdict", "baseline"]


def _value_only() -> list[Show]:
    return ["value"]


def _value_baseline_change() -> list[Show]:
    return ["value", "baseline", "change"]


class Column(Strict):
    indicator: str
    category: str = ""
    categories: Literal["all"] | None = None  # one column per category of the indicator
    show: list[Show] = Field(default_factory=_value_only)
    group: str = ""  # a heading above the label, for three-level headers


class Finding(Strict):
    """A sentence under a table; said for the rounds whose last day falls within its days (none: every round), so
    an outline can list the top 3 for some months and the top 5 for later ones without naming a unit or a round."""

    kind: Literal["trend", "series", "below_target", "top", "bottom", "at_best"]
    indicator: str
    category: str = ""
    n: int = Field(default=3, ge=1)
    valid_from: date | None = None
    valid_to: date | None = None

    @model_validator(mode="after")
    def dates_in_order(self) -> Finding:
        if self.valid_from is not None and self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self

    def in_force(self, days: Days | None) -> bool:
        """Said for a round on `days` (its last day decides, as for the outline itself); a round that is no month
        takes the findings without dates."""
        if days is None:
            return self.valid_from is None and self.valid_to is None
        day = days[1]
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class FiguresBlock(Strict):
    """Headline figures of one unit (default: the whole province): one row per indicator, category and window."""

    kind: Literal["figures"]
    dataset: str
    rows: list[str]
    show: list[Show] = Field(default_factory=_value_baseline_change)


class UnitTableBlock(Strict):
    """One row per unit of the dataset, one column (group) per indicator."""

    kind: Literal["unit_table"]
    dataset: str
    columns: list[Column]
    total: bool = False
    total_label: str = "Tổng"  # the total row when every expected unit reported ("Cộng 80/95 đơn vị…" when not)
    change_row: bool = False
    findings: list[Finding] = Field(default_factory=list)


class WindowTableBlock(Strict):
    """One row per unit, grouped, one column group per window of the round (days, periods, cumulative)."""

    kind: Literal["window_table"]
    dataset: str
    columns: list[Column]
    grouped: bool = False  # rows under the dataset's `groups` in force on the round's days, each with its subtotal
    total: bool = True


class ChartBlock(Strict):
    """A chart of the round's figures, drawn with the web pages' definitions (charts/specs.py); left out when the
    round has nothing to draw. `draws`: the dataset's units against the indicator's target (`by_unit`), the
    province's total by category (`by_category`), or the province's figure on each day it was read within the round
    (`dated_series`)."""

    kind: Literal["chart"]
    draws: Literal["by_unit", "by_category", "dated_series"]
    dataset: str
    indicator: str
    caption: str = (
        ""  # what it shows, when the default ("… theo đơn vị") does not say it: "Biểu đồ: " and the days added
    )


Block = Annotated[FiguresBlock | UnitTableBlock | WindowTableBlock | ChartBlock, Field(discriminator="kind")]


class Section(Strict):
    heading: str
    intro: str = ""
    blocks: list[Block]


Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
MarkdownFile = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*\.md$", max_length=80)]


class StatisticsIntro(Strict):
    """An introduction the office may write for one statistics section (the scan's partner, its scope…)."""

    section: str  # the heading of a section of this outline
    key: Key
    file: MarkdownFile


class WrittenSection(Strict):
    """A section the office writes in Markdown for each round (`dxmonitor editorial`), in the report's order."""

    key: Key
    file: MarkdownFile  # its name in a folder of sections (`dxmonitor report --sections DIR`)
    title: str
    statistics: bool = False  # the generated statistics go here; the section's text introduces them
    intros: list[StatisticsIntro] = Field(default_factory=list)


class CoverTexts(Strict):
    """What the bulletin's cover prints besides the issuer, the number and the date."""

    period: str = "{round_name}"  # printed with a capital: "Tháng 6/2022"
    tagline: str = ""
    circulation: str = "LƯU HÀNH NỘI BỘ"
    footer: str = "Lưu hành nội bộ"  # the running footer, before " | <page>"


class Outline(Strict):
    valid_from: date | None = None  # the first day of the rounds it reports; none: since the first round
    valid_to: date | None = None  # the last day; none: until another outline starts
    title: str
    subtitle: str  # may use {round_name}
    opening: str  # may use {agency} and {round_name}
    closing: str  # may use {agency}
    sections: list[Section]
    written: list[WrittenSection] = Field(default_factory=list)  # none: the statistics alone
    # How the document looks: Nghị định 30's administrative report, or the bulletin with a cover and contents.
    layout: Literal["administrative", "bulletin"] = "administrative"
    cover: CoverTexts = Field(default_factory=CoverTexts)
    template: str = ""  # a Word template (.docx) for its rounds, beside the outline or a path; empty: the configured

    @model_validator(mode="after")
    def dates_in_order(self) -> Outline:
        if self.valid_from is not None and self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self

    @model_validator(mode="after")
    def written_sections_fit(self) -> Outline:
        if not self.written:
            return self
        if sum(w.statistics for w in self.written) != 1:
            raise ValueError("written: exactly one section has statistics: true (where the figures go)")
        intros = [i for w in self.written for i in w.intros]
        if any(w.intros for w in self.written if not w.statistics):
            raise ValueError("written: only the statistics section has intros")
        keys = [w.key for w in self.written] + [i.key for i in intros]
        files = [w.file for w in self.written] + [i.file for i in intros]
        if len(set(keys)) != len(keys) or len(set(files)) != len(files):
            raise ValueError("written: each key and each file name is used once")
        headings = {s.heading for s in self.sections}
        unknown = [i.section for i in intros if i.section not in headings]
        if unknown:
            raise ValueError(f"written: intros name no section of this outline: {', '.join(unknown)}")
        return self

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


def _day(value: date | None) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}" if value else "…"


def _period(path: Path, outline: Outline) -> str:
    return f"{path.name} ({_day(outline.valid_from)} – {_day(outline.valid_to)})"


def succession_problems(outlines: list[tuple[Path, Outline]]) -> list[Problem]:
    """Where the outlines' validity overlaps or leaves days without an outline: every day needs exactly one."""
    if not outlines:
        return [error(Location(), "không có mẫu báo cáo nào", "there is no report outline")]
    ordered = sorted(outlines, key=lambda po: po[1].valid_from or date.min)
    problems = []
    first_path, first = ordered[0]
    if first.valid_from is not None:
        problems.append(
            error(
                Location(file=str(first_path), field="valid_from"),
                f"không có mẫu báo cáo cho các kỳ trước ngày {_day(first.valid_from)}: mẫu đầu tiên "
                f"{first_path.name} phải để trống valid_from",
                f"no outline for rounds before {_day(first.valid_from)}: the first outline {first_path.name} must "
                "leave valid_from empty",
            )
        )
    for (path, before), (next_path, after) in pairwise(ordered):
        starts = after.valid_from or date.min
        where = Location(file=str(next_path), field="valid_from")
        if before.valid_to is None or starts <= before.valid_to:
            problems.append(
                error(
                    where,
                    f"hiệu lực chồng nhau: {_period(path, before)} và {_period(next_path, after)}; mỗi ngày chỉ "
                    "dùng một mẫu báo cáo (hãy đặt valid_to cho mẫu trước)",
                    f"validity overlaps: {_period(path, before)} and {_period(next_path, after)}; each day uses "
                    "one outline (set valid_to on the earlier one)",
                )
            )
        elif starts > before.valid_to + timedelta(days=1):
            problems.append(
                error(
                    where,
                    f"khoảng trống hiệu lực: không có mẫu báo cáo từ {_day(before.valid_to + timedelta(days=1))} "
                    f"đến {_day(starts - timedelta(days=1))}, giữa {_period(path, before)} và "
                    f"{_period(next_path, after)}",
                    f"validity gap: no outline from {_day(before.valid_to + timedelta(days=1))} to "
                    f"{_day(starts - timedelta(days=1))}, between {_period(path, before)} and "
                    f"{_period(next_path, after)}",
                )
            )
    last_path, last = ordered[-1]
    if last.valid_to is not None:
        problems.append(
            error(
                Location(file=str(last_path), field="valid_to"),
                f"không có mẫu báo cáo cho các kỳ sau ngày {_day(last.valid_to)}: mẫu cuối cùng "
                f"{last_path.name} phải để trống valid_to",
                f"no outline for rounds after {_day(last.valid_to)}: the last outline {last_path.name} must leave "
                "valid_to empty",
            )
        )
    return problems


@cache
def load_outlines(folder: Path = OUTLINES_DIR) -> tuple[Outline, ...]:
    """Every outline of `folder`, in the order of their days; CatalogueError when one is malformed or their
    validity overlaps or leaves a gap."""
    loaded: list[tuple[Path, Outline]] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        outline, found, _ = load_file(path, Outline)
        problems += found
        if outline is not None:
            loaded.append((path, outline))
    if not problems:
        problems = succession_problems(loaded)
    if problems:
        raise CatalogueError(problems)
    return tuple(o for _, o in sorted(loaded, key=lambda po: po[1].valid_from or date.min))


def outline_on(days: Days | None, folder: Path = OUTLINES_DIR) -> Outline:
    """The outline of a round on `days`: the one in force on its last day (as its whole, the later of two in one
    month); the first one when the days are unknown (a round code that is no month)."""
    outlines = load_outlines(folder)
    if days is None:
        return outlines[0]
    return next(o for o in outlines if o.in_force(days[1]))


def load_outline(name: str = "monthly", folder: Path = OUTLINES_DIR) -> Outline:
    outline, problems, _ = load_file(folder / f"{name}.yaml", Outline)
    if outline is None:
        raise CatalogueError(problems)
    return outline
