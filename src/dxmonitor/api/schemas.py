"""What the API reads and writes, as documented in /api/openapi.json."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, Strict, StrictInt, StrictStr, StringConstraints, WithJsonSchema, field_validator

from dxmonitor.api.errors import ProblemOut
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.issuers import ISSUER_FIELDS
from dxmonitor.catalogue.models import Dataset, Round, Unit
from dxmonitor.catalogue.tree import predecessors
from dxmonitor.intake.models import ValueChange
from dxmonitor.reports.export import plain

PLAIN_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"
DECIMAL_NOTE = (
    "A plain decimal written as a string (dot decimal, no thousands separators, no trailing zeros: "
    '"92.36", "1767", "-3.4"), so that no digit is lost to floating point.'
)
PlainDecimal = Annotated[str, Field(pattern=PLAIN_DECIMAL, description=DECIMAL_NOTE)]
MAX_ITEMS = 5000


class UnitOut(Schema):
    code: str
    name: str = Field(description="official name")
    short_name: str
    kind: str = Field(description="province, department, district, commune, hamlet, branch, group, …")
    parent: str | None = Field(description="code of the unit above, null for the province and for groups")
    groups: list[str] = Field(description="codes of the groups the unit belongs to")
    aliases: list[str]
    communes: int | None = Field(description="communes of a district")
    valid_from: date
    valid_to: date | None = Field(description="last day the unit exists; null while it does")
    successors: list[str] = Field(description="codes of the units that take over when it ends")
    predecessors: list[str] = Field(description="codes of the units it took over from")

    @staticmethod
    def resolve_parent(unit: Unit | dict[str, Any]) -> str | None:
        if isinstance(unit, dict):  # a row of the tree on a day: its parent on that day
            return str(unit["parent"]) if unit["parent"] else None
        return unit.parent.code if unit.parent else None

    @staticmethod
    def resolve_groups(unit: Unit | dict[str, Any]) -> list[str]:
        if isinstance(unit, dict):
            return list(unit["groups"])
        return sorted(g.code for g in unit.groups.all())

    @staticmethod
    def resolve_predecessors(unit: Unit | dict[str, Any]) -> list[str]:
        if isinstance(unit, dict):
            return list(unit["predecessors"])
        return predecessors(get_catalogue(), unit.code)


class TargetOut(Schema):
    op: Literal[">=", "<="]
    value: PlainDecimal
    source: str = Field(description="the legal text that sets the target")
    valid_from: date | None
    valid_to: date | None


class DerivationOut(Schema):
    numerator: str | None
    denominator: str | None
    scale: PlainDecimal
    unit_attribute: str | None


class IndicatorOut(Schema):
    code: str
    name: str
    label: str = Field(description="short column heading")
    description: str
    kind: Literal["percent", "count", "amount", "points"]
    direction: Literal["higher", "lower"] = Field(description="which way is better")
    decimals: int
    cumulative: bool
    disaggregation: dict[str, dict[str, str]] = Field(
        description='categories by dimension, in report order, e.g. {"severity": {"nguy_hiem": "Nguy hiểm", …}}; '
        'write one as "severity=nguy_hiem"'
    )
    derived: DerivationOut | None = Field(description="how a derived indicator is computed; null when entered")
    targets: list[TargetOut]
    datasets: list[str]


class DatasetOut(Schema):
    code: str
    name: str
    indicators: list[str]
    units: list[str] = Field(description="unit or group codes, in report order")
    window: str = Field(description="the kind of as-of window its figures carry")
    window_note: str

    @staticmethod
    def resolve_indicators(dataset: Dataset) -> list[str]:
        return list(dataset.spec.get("indicators", []))

    @staticmethod
    def resolve_units(dataset: Dataset) -> list[str]:
        return list(dataset.spec.get("units", []))

    @staticmethod
    def resolve_window(dataset: Dataset) -> str:
        return str(dataset.spec.get("window", ""))

    @staticmethod
    def resolve_window_note(dataset: Dataset) -> str:
        return str(dataset.spec.get("window_note", ""))


class IssuerOut(Schema):
    """Who issues the round's report, as its header, date line and signature print it."""

    parent_agency: str = Field(json_schema_extra={"example": "UBND TỈNH ĐỒNG NAI"})
    agency: str = Field(json_schema_extra={"example": "SỞ KHOA HỌC VÀ CÔNG NGHỆ"})
    agency_name: str = Field(
        description="as running text writes it", json_schema_extra={"example": "Sở Khoa học và Công nghệ"}
    )
    place: str = Field(json_schema_extra={"example": "Đồng Nai"})
    signer_title: str
    signer_name: str
    series: str = Field(description="the report number's series", json_schema_extra={"example": "BC-SKHCN"})
    recipients: list[str]


class IssuerIn(Schema):
    """Parts of who issues the report; a part left out takes the issuer in force on the round's days."""

    model_config = ConfigDict(extra="forbid")

    parent_agency: Annotated[str, StringConstraints(max_length=200)] | None = None
    agency: Annotated[str, StringConstraints(max_length=200)] | None = None
    agency_name: Annotated[str, StringConstraints(max_length=200)] | None = None
    place: Annotated[str, StringConstraints(max_length=100)] | None = None
    signer_title: Annotated[str, StringConstraints(max_length=100)] | None = None
    signer_name: Annotated[str, StringConstraints(max_length=100)] | None = None
    series: Annotated[str, StringConstraints(max_length=24)] | None = None
    recipients: Annotated[list[Annotated[str, StringConstraints(max_length=200)]], Field(max_length=50)] | None = None


class RoundOut(Schema):
    code: str = Field(description="YYYY-MM")
    name: str
    baseline: str | None = Field(description="the round its figures are compared with (chosen, else the previous)")
    report_number: str | None
    report_date: date | None
    state: Literal["open", "closed"] = Field(description="closed: no more writes but an admin's")
    deadline: datetime | None = Field(description="when units' submissions are due (the end of that day, local time)")
    datasets: list[str] = Field(description="codes of the datasets collected this round")
    issuer: IssuerOut = Field(description="who issues the round's report (kept with the round)")

    @staticmethod
    def resolve_issuer(round_: Round) -> IssuerOut:
        parts = {part: getattr(round_, f"issuer_{part}") for part in ISSUER_FIELDS if part != "recipients"}
        return IssuerOut(**parts, recipients=round_.issuer_recipients.splitlines())

    @staticmethod
    def resolve_datasets(round_: Round) -> list[str]:
        return sorted(d.code for d in round_.datasets.all())

    @staticmethod
    def resolve_baseline(round_: Round) -> str | None:
        baseline = round_.effective_baseline()
        return baseline.code if baseline else None

    @staticmethod
    def resolve_report_number(round_: Round) -> str | None:
        return round_.report_number or None


class RoundIn(Schema):
    """A new round, as the rounds page opens it: left out, the name is "tháng M/YYYY", the baseline the previous
    round and the datasets those of the previous round (else every dataset units send)."""

    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(max_length=32)] = Field(
        description="YYYY-MM (checked as everywhere: `07/2022` is refused with a message)",
        json_schema_extra={"example": "2022-07"},
    )
    name: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        default=None, description='default "tháng M/YYYY"', json_schema_extra={"example": "tháng 7/2022"}
    )
    baseline: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        default=None, description="code of the round compared with; default the previous round"
    )
    deadline: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        default=None,
        description="day submissions are due, dd/mm/yyyy or YYYY-MM-DD (due at the end of that day, local time)",
        json_schema_extra={"example": "15/08/2022"},
    )
    datasets: Annotated[list[Annotated[str, StringConstraints(max_length=64)]], Field(max_length=200)] | None = Field(
        default=None, description="codes of the datasets collected; default those of the previous round"
    )
    report_number: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        default=None, json_schema_extra={"example": "03/BC-STTTT"}
    )
    report_date: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        default=None, description="the report's date, dd/mm/yyyy or YYYY-MM-DD"
    )
    issuer: IssuerIn | None = Field(
        default=None, description="who issues the report; default the issuer in force on the round's days"
    )


class ValueOut(Schema):
    """One figure of the round with its evaluation: the export row of `dxmonitor export`."""

    round: str
    dataset: str | None
    indicator: str
    unit_code: str
    unit_name: str = Field(description="official name")
    category: str = Field(description='"" when the indicator has no categories, else e.g. "severity=cao"')
    value: PlainDecimal
    as_of: str = Field(description='the as-of day ("2022-07-16") or window ("2022-06-01/2022-07-15")')
    target: PlainDecimal | None
    verdict: Literal["Đạt", "Không đạt"] | None = Field(description="null without a target")
    baseline_value: PlainDecimal | None
    change: PlainDecimal | None = Field(description="percentage points for percents, absolute otherwise")
    comparison_note: str | None = Field(
        default=None,
        description='why `change` is null although the baseline round has figures: "không so sánh được: … / '
        'not comparable: …" where the baseline lies on an older tree of units (a split unit, a predecessor that '
        "did not report, predecessors outside the catalogue, a reported rate across a merger); null otherwise",
    )


class ChangeOut(Schema):
    """One change of a stored value."""

    round: str
    indicator: str
    unit_code: str
    category: str
    as_of: str
    old_value: PlainDecimal | None = Field(description="null when the value was new")
    new_value: PlainDecimal | None
    source: str = Field(description="file, form, api or computed")
    source_ref: str
    changed_by: str
    changed_at: datetime
    note: str

    @staticmethod
    def resolve_round(change: ValueChange) -> str:
        return change.round.code

    @staticmethod
    def resolve_indicator(change: ValueChange) -> str:
        return change.indicator.code

    @staticmethod
    def resolve_unit_code(change: ValueChange) -> str:
        return change.unit.code

    @staticmethod
    def resolve_as_of(change: ValueChange) -> str:
        return change.window

    @staticmethod
    def resolve_old_value(change: ValueChange) -> str | None:
        return plain(change.old_value) if change.old_value is not None else None

    @staticmethod
    def resolve_new_value(change: ValueChange) -> str | None:
        return plain(change.new_value) if change.new_value is not None else None


# JSON numbers arrive as exact Decimals (see endpoints.ExactJson); strict members keep true, null and long text out.
InputNumber = Annotated[
    Annotated[Decimal, Strict()] | StrictInt | Annotated[StrictStr, StringConstraints(max_length=100)],
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string", "maxLength": 100}],
            "description": 'a JSON number, or a string written plainly ("92.36") or the Vietnamese way '
            '("92,36%", "1.767"); strings and numbers are read exactly',
        }
    ),
]


class ValueIn(Schema):
    """One figure to write, as a row of the long import format."""

    model_config = ConfigDict(extra="forbid")

    unit: str = Field(max_length=300, description="code, official name, short name or alias")
    indicator: str = Field(max_length=100, description="indicator code")
    category: str = Field(default="", max_length=100, description='e.g. "severity=cao" or "cao"; empty when none')
    value: InputNumber
    as_of: str | None = Field(
        default=None,
        max_length=60,
        description='day ("16/07/2022", "2022-07-16") or window ("01/06/2022-15/07/2022", '
        '"2022-06-01/2022-07-15"); default: the last day of the round',
    )
    note: str = Field(default="", max_length=2000)

    @field_validator("unit", "indicator", "category", "as_of", "note", "value")
    @classmethod
    def storable_text(cls, value: object) -> object:
        if isinstance(value, str) and ("\x00" in value or _has_surrogate(value)):
            raise ValueError("text may not contain NUL characters or unpaired surrogates")
        return value


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


class ItemChange(Schema):
    index: int = Field(description="position of the item in the request body's list, from 0")
    unit: str = Field(description="unit code the item resolved to")
    indicator: str
    category: str
    as_of: str
    status: Literal["new", "changed", "unchanged"]
    old_value: PlainDecimal | None
    new_value: PlainDecimal


class WriteOut(Schema):
    round: str
    round_created: bool = Field(description="the round did not exist and was (or, in a dry run, would be) created")
    dry_run: bool = Field(description="true: nothing was written; the counts say what would change")
    new: int
    changed: int
    unchanged: int
    items: list[ItemChange]
    warnings: list[ProblemOut]
