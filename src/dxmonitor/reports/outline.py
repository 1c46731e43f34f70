"""The report's outline as data: which sections, which tables and which findings, in the seeds' order."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from dxmonitor.catalogue.loading import CatalogueError, load_file

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
    kind: Literal["trend", "below_target", "top", "bottom", "at_best"]
    indicator: str
    category: str = ""
    n: int = 3


class FiguresBlock(Strict):
    """Headline figures of one unit (default: the whole province): one row per indicator, category and window."""

    kind: Literal["figures"]
    dataset: str
    rows: list[str]
    unit: str | None = None
    show: list[Show] = Field(default_factory=_value_baseline_change)


class UnitTableBlock(Strict):
    """One row per unit of the dataset, one column (group) per indicator."""

    kind: Literal["unit_table"]
    dataset: str
    columns: list[Column]
    total: bool = False
    change_row: bool = False
    findings: list[Finding] = Field(default_factory=list)
    chart: str | None = None  # an indicator of the table to draw by unit, against its target, after the findings


class WindowTableBlock(Strict):
    """One row per unit, grouped, one column group per window of the round (days, periods, cumulative)."""

    kind: Literal["window_table"]
    dataset: str
    columns: list[Column]
    grouped: bool = False  # rows under the dataset's `groups` in force on the round's days, each with its subtotal
    total: bool = True


Block = Annotated[FiguresBlock | UnitTableBlock | WindowTableBlock, Field(discriminator="kind")]


class Section(Strict):
    heading: str
    intro: str = ""
    blocks: list[Block]


class Outline(Strict):
    title: str
    subtitle: str  # may use {round_name}
    opening: str  # may use {agency} and {round_name}
    closing: str  # may use {agency}
    sections: list[Section]


def load_outline(name: str = "monthly", folder: Path = OUTLINES_DIR) -> Outline:
    outline, problems, _ = load_file(folder / f"{name}.yaml", Outline)
    if outline is None:
        raise CatalogueError(problems)
    return outline
