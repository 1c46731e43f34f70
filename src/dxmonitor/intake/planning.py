"""Turn rows of submission files into values to write, collecting every problem; touches no database."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Indicator
from dxmonitor.intake.files import read_file
from dxmonitor.intake.long_format import LongRecord
from dxmonitor.intake.names import NamedUnit, UnitIndex, fold_diacritics, normalise
from dxmonitor.intake.numbers import NumberError, parse_number
from dxmonitor.intake.windows import Window, WindowError, parse_window
from dxmonitor.problems import Location, Problem, error, has_errors, warning

ROUND_CODE = re.compile(r"^((?:19|20|21)\d{2})-(0[1-9]|1[0-2])$")
LARGEST = Decimal(10) ** 17  # what a value column (24 digits, 6 of them decimals) holds, with room to spare
MAX_DECIMALS = 6
MEASURES = {
    "": "",
    "value": "",
    "gia_tri": "",
    "printed": "printed",
    "so_in": "printed",
    "printed_change": "printed_change",
    "thay_doi_in": "printed_change",
    "printed_change_pct": "printed_change_pct",
    "ty_le_thay_doi_in": "printed_change_pct",
}


@dataclass(frozen=True)
class PlannedValue:
    indicator: str
    unit: str
    category: str
    window: str
    value: Decimal
    measure: str  # "" for a value, else the kind of printed figure
    note: str
    source_ref: str
    location: Location
    columns: tuple[tuple[str, str], ...] = ()  # field → column letter of the row it came from

    def at(self, field: str) -> Location:
        """Where one field of this figure was written: file, sheet, row, column."""
        loc = self.location
        return Location(loc.file, loc.sheet, loc.row, dict(self.columns).get(field, loc.column), field)

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return self.indicator, self.unit, self.category, self.window, self.measure


@dataclass
class ImportPlan:
    round_code: str
    values: list[PlannedValue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def round_end(round_code: str) -> date:
    match = ROUND_CODE.match(round_code)
    if not match:
        raise ValueError(round_code)
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, calendar.monthrange(year, month)[1])


def unit_index(catalogue: Catalogue) -> UnitIndex:
    return UnitIndex(NamedUnit(u.code, u.name, (u.name, u.short_name, *u.aliases)) for u in catalogue.units.values())


def _key(text: str) -> str:
    return fold_diacritics(normalise(text)).replace(" ", "_")


@lru_cache(maxsize=4096)
def _category_code(raw: str, categories: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]) -> str:
    """ "severity=cao", "Cao" or "cao" → "severity=cao"; "" when it is none of the indicator's categories.
    Cached: a file repeats the same few categories on thousands of rows."""
    dim, _, member = raw.partition("=") if "=" in raw else ("", "", raw)
    dim, wanted = dim.strip(), _key(member.strip())
    for name, members in categories:
        if dim and dim != name:
            continue
        for member_code, label in members:
            if wanted in (member_code, _key(label)):
                return f"{name}={member_code}"
    return ""


def _category(record: LongRecord, indicator: Indicator) -> tuple[str, Problem | None]:
    raw = record.category
    if not raw:
        return "", None
    dims = indicator.disaggregation
    if not dims:
        return "", error(
            record.at("category"),
            f"chỉ tiêu {indicator.code} không có phân loại, nhưng dòng ghi '{raw}'",
            f"indicator {indicator.code} has no categories but the row says '{raw}'",
        )
    categories = tuple((name, tuple(members.items())) for name, members in dims.items())
    found = _category_code(raw, categories)
    if found:
        return found, None
    allowed = ", ".join(f"{d}={m}" for d, ms in dims.items() for m in ms)
    return "", error(
        record.at("category"),
        f"phân loại '{raw}' không hợp lệ; dùng một trong: {allowed}",
        f"unknown category '{raw}'; use one of: {allowed}",
    )


def _plan_record(
    record: LongRecord, catalogue: Catalogue, index: UnitIndex, default_window: Window, problems: list[Problem]
) -> PlannedValue | None:
    before = len(problems)
    resolution = index.resolve(record.unit) if record.unit else None
    if resolution is None:
        problems.append(error(record.at("unit"), "thiếu tên đơn vị", "the unit is missing"))
    elif resolution.how == "diacritics":
        unit_name = catalogue.units[resolution.code or ""].name
        problems.append(
            warning(
                record.at("unit"),
                f"'{record.unit}' được hiểu là '{unit_name}' (khớp không dấu)",
                f"'{record.unit}' read as '{unit_name}' (matched ignoring diacritics)",
            )
        )
    elif resolution.how == "ambiguous":
        names = "; ".join(resolution.candidates)
        problems.append(
            error(
                record.at("unit"),
                f"'{record.unit}' có thể là nhiều đơn vị: {names}",
                f"'{record.unit}' could be several units: {names}",
            )
        )
    elif not resolution.resolved:
        hint = ("; gần giống: " + ", ".join(resolution.candidates)) if resolution.candidates else ""
        hint_en = ("; closest: " + ", ".join(resolution.candidates)) if resolution.candidates else ""
        problems.append(
            error(
                record.at("unit"),
                f"không có đơn vị '{record.unit}' trong danh mục{hint}",
                f"no unit '{record.unit}' in the catalogue{hint_en}",
            )
        )

    indicator = catalogue.indicators.get(record.indicator)
    if not record.indicator:
        problems.append(error(record.at("indicator"), "thiếu mã chỉ tiêu", "the indicator is missing"))
        return None
    if indicator is None:
        problems.append(
            error(
                record.at("indicator"),
                f"không có chỉ tiêu '{record.indicator}' trong danh mục",
                f"no indicator '{record.indicator}' in the catalogue",
            )
        )
        return None

    measure = MEASURES.get(fold_diacritics(normalise(record.measure)).replace(" ", "_"))
    if measure is None:
        problems.append(
            error(
                record.at("measure"),
                f"đại lượng '{record.measure}' không hợp lệ",
                f"unknown measure '{record.measure}'",
            )
        )
        return None
    if measure == "" and indicator.derived is not None:
        problems.append(
            error(
                record.at("indicator"),
                f"{indicator.code} là chỉ tiêu tính toán, không nhập trực tiếp",
                f"{indicator.code} is derived and cannot be entered",
            )
        )

    category, problem = _category(record, indicator)
    if problem:
        problems.append(problem)

    kind = "percent" if measure == "printed_change_pct" else indicator.kind
    value: Decimal | None = None
    try:
        reading = parse_number(record.value, kind)
        value = reading.value
        if reading.ambiguous:
            problems.append(warning(record.at("value"), reading.note_vi, reading.note_en))
        if value is None:
            problems.append(error(record.at("value"), "thiếu số liệu", "the value is missing"))
    except NumberError as exc:
        problems.append(error(record.at("value"), exc.vi, exc.en))
    if value is not None and abs(value) >= LARGEST:
        problems.append(error(record.at("value"), f"số '{record.value}' quá lớn", f"'{record.value}' is too large"))
    elif value is not None and value != value.quantize(Decimal(1).scaleb(-MAX_DECIMALS)):
        problems.append(
            error(
                record.at("value"),
                f"'{record.value}' có quá {MAX_DECIMALS} chữ số thập phân",
                f"'{record.value}' has more than {MAX_DECIMALS} decimals",
            )
        )
    if value is not None and measure == "":
        if value < 0:
            problems.append(
                error(
                    record.at("value"), f"số liệu âm ({record.value}) không hợp lệ", f"negative figure ({record.value})"
                )
            )
        elif indicator.kind == "percent" and value > 100:
            problems.append(
                error(
                    record.at("value"), f"tỷ lệ {record.value} vượt quá 100%", f"percentage {record.value} is above 100"
                )
            )

    window = default_window
    try:
        window = parse_window(record.as_of) or default_window
    except WindowError as exc:
        problems.append(error(record.at("as_of"), exc.vi, exc.en))

    if resolution is not None and resolution.code is not None:
        unit = catalogue.units[resolution.code]
        if window.end < unit.valid_from or (unit.valid_to is not None and window.end > unit.valid_to):
            problems.append(
                error(
                    record.at("unit"),
                    f"đơn vị '{unit.name}' không còn hiệu lực vào ngày {window.end:%d/%m/%Y}",
                    f"unit '{unit.name}' is not valid on {window.end.isoformat()}",
                )
            )

    if len(problems) > before and any(p.is_error for p in problems[before:]):
        return None
    assert resolution is not None and resolution.code is not None and value is not None
    loc = record.location
    ref = f"{loc.file}" + (f"!{loc.sheet}" if loc.sheet else "") + f":{loc.row}"
    return PlannedValue(
        indicator.code,
        resolution.code,
        category,
        window.key,
        value,
        measure,
        record.note,
        ref,
        loc,
        tuple(record.columns.items()),
    )


def plan_records(
    records: Iterable[LongRecord], round_code: str, catalogue: Catalogue, index: UnitIndex | None = None
) -> ImportPlan:
    """Check every row and collect the values it would write; nothing is written here."""
    plan = ImportPlan(round_code)
    if not ROUND_CODE.match(round_code):
        plan.problems.append(
            error(
                Location(field="round"),
                f"mã kỳ báo cáo '{round_code}' phải có dạng YYYY-MM",
                f"round code '{round_code}' must look like YYYY-MM",
            )
        )
        return plan
    index = index or unit_index(catalogue)
    default_window = Window(round_end(round_code))
    seen: dict[tuple[str, str, str, str, str], PlannedValue] = {}
    for record in records:
        planned = _plan_record(record, catalogue, index, default_window, plan.problems)
        if planned is None:
            continue
        first = seen.get(planned.key)
        if first is not None:
            plan.problems.append(
                error(
                    record.location,
                    f"trùng số liệu với dòng {first.location.row} ({first.location.file})",
                    f"duplicates row {first.location.row} of {first.location.file}",
                )
            )
            continue
        seen[planned.key] = planned
        plan.values.append(planned)
    return plan


def restrict_to(plan: ImportPlan, can_write: Callable[[str], bool], catalogue: Catalogue) -> None:
    """Add an error for every value of a unit the writer may not touch (a reporter's own units only)."""
    for planned in plan.values:
        if not can_write(planned.unit):
            name = catalogue.units[planned.unit].name
            plan.problems.append(
                error(
                    planned.at("unit"),
                    f"không có quyền ghi số liệu của đơn vị '{name}'",
                    f"not allowed to write figures of unit '{name}'",
                )
            )


def plan_files(paths: Iterable[Path], round_code: str, catalogue: Catalogue) -> ImportPlan:
    """Read and check every file; the plan holds values only if no file has an error."""
    records: list[LongRecord] = []
    read_problems: list[Problem] = []
    for path in paths:
        found, problems = read_file(path, round_code)
        records.extend(found)
        read_problems.extend(problems)
    plan = plan_records(records, round_code, catalogue)
    plan.problems[:0] = read_problems
    return plan
