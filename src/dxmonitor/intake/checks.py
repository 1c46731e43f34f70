"""The checks of one row of a submission: unit, indicator, measure, category, number, as-of day; every problem
collected with its place. The value to write if none of them is an error."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Indicator
from dxmonitor.intake.long_format import LongRecord, Origin
from dxmonitor.intake.names import UnitIndex, folded
from dxmonitor.intake.numbers import NumberError, parse_number
from dxmonitor.intake.plan import PlannedValue
from dxmonitor.intake.unit_names import not_on_day, unit_of, valid_on
from dxmonitor.intake.windows import Window, WindowError, parse_window
from dxmonitor.problems import Problem, error, warning

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


def folded_key(text: str) -> str:
    """ "Số in" → "so_in": how a measure or a category is matched, whatever the case and diacritics."""
    return folded(text).replace(" ", "_")


@lru_cache(maxsize=4096)
def category_code(raw: str, categories: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]) -> str:
    """ "severity=cao", "Cao" or "cao" → "severity=cao"; "" when it is none of the indicator's categories.
    Cached: a file repeats the same few categories on thousands of rows."""
    dim, _, member = raw.partition("=") if "=" in raw else ("", "", raw)
    dim, wanted = dim.strip(), folded_key(member.strip())
    for name, members in categories:
        if dim and dim != name:
            continue
        for member_code, label in members:
            if wanted in (member_code, folded_key(label)):
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
    found = category_code(raw, categories)
    if found:
        return found, None
    allowed = ", ".join(f"{d}={m}" for d, ms in dims.items() for m in ms)
    return "", error(
        record.at("category"),
        f"phân loại '{raw}' không hợp lệ; dùng một trong: {allowed}",
        f"unknown category '{raw}'; use one of: {allowed}",
    )


def plan_record(
    record: LongRecord,
    catalogue: Catalogue,
    index: UnitIndex,
    default_window: Window,
    problems: list[Problem],
    origin: Origin | None = None,
) -> PlannedValue | None:
    """Every check of one row, every problem collected; the value to write if none is an error."""
    before = len(problems)
    # The figure's day first: a name is read among the units of the round's tree, or another tree's on that day.
    window, dated, window_problem = default_window, True, None
    try:
        given = parse_window(record.as_of)
        window, dated = given or default_window, given is not None
    except WindowError as exc:
        window_problem = error(record.at("as_of"), exc.vi, exc.en)
    code = unit_of(record, index, catalogue, window.end, problems)

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

    measure = MEASURES.get(folded_key(record.measure))
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

    if window_problem is not None:
        problems.append(window_problem)

    if code is not None and not valid_on(catalogue.units[code], window.end):
        vi, en = not_on_day(record.unit, catalogue.units[code], catalogue, window.end)
        problems.append(
            error(record.at("unit"), f"{vi} (ngày số liệu {window.end:%d/%m/%Y})", f"{en} (as of {window.end})")
        )

    if len(problems) > before and any(p.is_error for p in problems[before:]):
        return None
    assert code is not None and value is not None
    return PlannedValue(
        indicator.code,
        code,
        category,
        window.key,
        value,
        measure,
        record.note,
        origin or record.origin,
        record.location.row,
        record.value,
        dated,
    )
