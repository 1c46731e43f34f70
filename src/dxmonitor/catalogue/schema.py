"""The catalogue's YAML schema: plain typed objects, checked when loaded, free of Django."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CODE_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
UNIT_CODE_PATTERN = r"^[A-Z][A-Z0-9_.-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Target(Strict):
    """A target an indicator is measured against, with the text that sets it."""

    op: Literal[">=", "<="]
    value: Decimal
    source: str = Field(min_length=3)
    valid_from: date | None = None
    valid_to: date | None = None

    def applies_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def is_met(self, value: Decimal) -> bool:
        return value >= self.value if self.op == ">=" else value <= self.value


class Peers(Strict):
    """What a rank is out of over a span of days: "01/63 tỉnh, thành phố" until the 2025 reform, "…/34" after."""

    count: int = Field(ge=1)
    label: str = Field(min_length=2)  # "tỉnh, thành phố"
    valid_from: date | None = None
    valid_to: date | None = None

    def applies_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Derivation(Strict):
    """How a derived indicator is computed: a ratio of two others, a unit attribute, or a sum of parts."""

    numerator: str | None = None
    denominator: str | None = None
    scale: Decimal = Decimal(100)
    unit_attribute: Literal["communes"] | None = None

    @model_validator(mode="after")
    def one_formula(self) -> Derivation:
        ratio = self.numerator is not None and self.denominator is not None
        if ratio == (self.unit_attribute is not None):
            raise ValueError("give either numerator and denominator, or unit_attribute")
        return self


class Indicator(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=3)
    label: str = Field(min_length=1, description="short column heading")
    description: str = Field(min_length=10)
    kind: Literal["percent", "count", "amount", "points"]  # points: a score such as the 766 index's
    direction: Literal["higher", "lower"] = "higher"
    decimals: int = Field(ge=0, le=4)
    disaggregation: dict[str, dict[str, str]] = Field(default_factory=dict)
    derived: Derivation | None = None
    cumulative: bool = False
    cumulative_of: str | None = None  # the flow this running total adds up (visits → cumulative visits)
    moves_monthly: bool = False
    targets: list[Target] = Field(default_factory=list)
    ranked_among: list[Peers] = Field(default_factory=list)  # a rank (1 the first): out of how many, on which days

    @model_validator(mode="after")
    def a_rank_is_a_whole_count(self) -> Indicator:
        if self.ranked_among and (self.kind != "count" or self.decimals != 0 or self.direction != "lower"):
            raise ValueError("ranked_among is for a rank: kind count, decimals 0, direction lower")
        return self

    def target_on(self, day: date) -> Target | None:
        return next((t for t in self.targets if t.applies_on(day)), None)

    def peers_on(self, day: date) -> Peers | None:
        """What a rank of this indicator is out of on `day` (None: no rank, or no count known for the day)."""
        return next((p for p in self.ranked_among if p.applies_on(day)), None)

    def category_label(self, category: str) -> str:
        """ "severity=cao" → "Cao"; "" → ""."""
        dim, _, member = category.partition("=")
        return self.disaggregation.get(dim, {}).get(member, member)


class Rule(Strict):
    """A validation rule of a dataset, checked on every import; an error blocks it, a warning does not."""

    rule: Literal["range", "parts_total", "not_above", "not_below", "rate", "cumulative", "required"]
    severity: Literal["error", "warning"] = "error"
    indicator: str | None = None
    indicators: list[str] = Field(default_factory=list)  # for "required"
    limit: str | None = None  # for "not_above" and "not_below": another indicator, or "unit.communes"
    numerator: str | None = None  # for "rate"
    denominator: str | None = None
    scale: Decimal = Decimal(100)
    tolerance: Decimal = Decimal("0.01")
    min: Decimal | None = None  # for "range"
    max: Decimal | None = None

    @model_validator(mode="after")
    def has_what_it_needs(self) -> Rule:
        needs = {
            "range": ["indicator"],
            "parts_total": ["indicator"],
            "not_above": ["indicator", "limit"],
            "not_below": ["indicator", "limit"],
            "rate": ["indicator", "numerator", "denominator"],
            "cumulative": ["indicator"],
            "required": ["indicators"],
        }[self.rule]
        missing = [n for n in needs if not getattr(self, n)]
        if missing:
            raise ValueError(f"rule '{self.rule}' needs {', '.join(missing)}")
        return self


class Dataset(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    indicators: list[str] = Field(min_length=1)
    units: list[str] = Field(min_length=1, description="unit or group codes, in report order")
    # Groups whose members send this dataset, after `units`: each round takes the members in force on its days, in
    # catalogue order (95 communes are named by their group, not code by code). Expanded into `units` when loaded.
    members: list[str] = Field(default_factory=list)
    # The groups a report's grouped table puts the rows under, in order; a round uses those in force on its days.
    groups: list[str] = Field(default_factory=list)
    window: Literal["day", "month", "year_to_date", "cumulative", "report_date"]
    window_note: str = ""
    rules: list[Rule] = Field(default_factory=list)
    computed: bool = False  # dxmonitor computes its figures (from dossier records): no unit sends or submits them


UnitKind = Literal[
    "province",
    "department",
    "district",
    "commune",
    "hamlet",
    "branch",
    "party",
    "mass_org",
    "armed",
    "company",
    "group",
    "other",
]


class Unit(Strict):
    code: str = Field(pattern=UNIT_CODE_PATTERN)
    name: str = Field(min_length=2)
    short_name: str = Field(min_length=2)
    kind: UnitKind
    parent: str | None = None
    groups: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    communes: int | None = Field(default=None, ge=0)
    valid_from: date = date(2000, 1, 1)
    valid_to: date | None = None
    successors: list[str] = Field(default_factory=list)
    # Predecessors that are not units of the catalogue, by name (the old communes a ward was formed from, the former
    # Đồng Nai's departments): their figures were never collected here, so a comparison across the change is not whole.
    formerly: list[str] = Field(default_factory=list)
    # The old communes (before 1/7/2025) whose land this unit took, as the old lists named them, with their old
    # district: "Xã Tân Lập (Huyện Đồng Phú)". A figure named after one is refused saying which unit it belongs to now.
    old_communes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def dates_in_order(self) -> Unit:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class Issuer(Strict):
    """Who issues the monthly report over a span of days: the header, the place, the signature and the number series
    a round takes when it is opened on those days."""

    parent_agency: str = Field(min_length=2)  # "UBND TỈNH BÌNH PHƯỚC"
    agency: str = Field(min_length=2)  # "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    agency_name: str = Field(min_length=2)  # as running text writes it: "Sở Thông tin và Truyền thông"
    place: str = Field(min_length=2)  # before the date: "Bình Phước, ngày 20 tháng 7 năm 2022"
    signer_title: str = ""
    signer_name: str = ""
    series: str = Field(min_length=2, max_length=24)  # the number after "Số: 02/": "BC-STTTT"
    recipients: list[str] = Field(default_factory=list)
    valid_from: date | None = None  # None: since always
    valid_to: date | None = None  # None: still in force

    @model_validator(mode="after")
    def dates_in_order(self) -> Issuer:
        if self.valid_from is not None and self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self

    def applies_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class IndicatorFile(Strict):
    indicators: list[Indicator]


class DatasetFile(Strict):
    datasets: list[Dataset]


class UnitFile(Strict):
    units: list[Unit]


class IssuerFile(Strict):
    issuers: list[Issuer]
