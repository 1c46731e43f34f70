"""What a unit of a round compares with when its baseline round lies on an older tree of units. Pure.

A unit that did not exist on the baseline's days compares with its predecessors only where that is sound: the
mapping is whole (every predecessor passed into this unit alone, and nothing outside the catalogue joined it);
counts and amounts are summed over the predecessors when every one of them reported; a derived rate is recomputed
from the summed numerators and denominators; a reported rate (or a score) compares one to one only. Anything else
is no change, with the reason said in a note."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Indicator
from dxmonitor.catalogue.tree import Days, in_force, predecessors
from dxmonitor.evaluation.facts import Fact, Key
from dxmonitor.intake.windows import Window

SUMMABLE = ("count", "amount")


@dataclass(frozen=True)
class Note:
    """Why a figure has no change: the reason in Vietnamese and in English."""

    vi: str
    en: str

    @property
    def text(self) -> str:
        """Both languages, as the export and the API give it."""
        return f"không so sánh được: {self.vi} / not comparable: {self.en}"


@dataclass(frozen=True)
class Comparison:
    """The baseline a figure compares with (none, with a note, when that is not sound) and the units it stands on."""

    baseline: Decimal | None
    window: Window | None
    note: Note | None = None
    predecessors: tuple[str, ...] = ()


def crosses_change(catalogue: Catalogue, unit: str, baseline_days: Days | None) -> bool:
    """The unit did not exist on the baseline's days: its comparison goes through its predecessors."""
    return baseline_days is not None and unit in catalogue.units and not in_force(catalogue.units[unit], baseline_days)


def lineage(catalogue: Catalogue, unit: str, baseline_days: Days | None) -> list[str]:
    """The units in force on the baseline's days that `unit` comes from: its predecessors, or theirs in turn when
    they too came after the baseline (a baseline two reforms back)."""
    found: list[str] = []
    seen = {unit}
    todo = predecessors(catalogue, unit)
    while todo:
        code = todo.pop(0)
        if code in seen:
            continue
        seen.add(code)
        if in_force(catalogue.units[code], baseline_days):
            found.append(code)
        else:
            todo += predecessors(catalogue, code)
    return found


def mapping_note(catalogue: Catalogue, unit: str, preds: list[str]) -> Note | None:
    """Why the unit is not the whole of its predecessors, or None when it is."""
    split = [p for p in preds if set(catalogue.units[p].successors) - {unit}]
    if split:
        shares = "; ".join(f"{catalogue.units[p].name} ({len(catalogue.units[p].successors)})" for p in split)
        return Note(
            f"đơn vị cũ được chia cho nhiều đơn vị mới (số đơn vị mới trong ngoặc): {shares}",
            f"a former unit was split among several new units (their number in brackets): {shares}",
        )
    formerly = catalogue.units[unit].formerly
    if formerly:
        names = "; ".join(formerly)
        return Note(f"có tiền thân ngoài danh mục: {names}", f"predecessors outside the catalogue: {names}")
    if not preds:
        return Note("đơn vị mới, không có tiền thân ở kỳ gốc", "a new unit with no predecessor in the baseline")
    return None


def structural_note(catalogue: Catalogue, indicator: Indicator, unit: str, preds: list[str]) -> Note | None:
    """Why no figure of `indicator` can compare across the change, whatever was reported: a mapping that is not
    whole, or a reported rate (or score) that several predecessors would have to share."""
    note = mapping_note(catalogue, unit, preds)
    if note is not None:
        return note
    if indicator.kind not in SUMMABLE and not _is_ratio(indicator) and len(preds) > 1:
        names = _names(catalogue, preds)
        return Note(
            f"tỷ lệ do đơn vị báo cáo không gộp được qua sáp nhập ({names})",
            f"a reported rate cannot be carried across a merger ({names})",
        )
    return None


def compare_across(
    catalogue: Catalogue, indicator: Indicator, unit: str, category: str, baseline: dict[Key, Fact], days: Days | None
) -> Comparison:
    """The baseline of `unit`'s figure of `indicator` in a baseline round on an older tree (`days` its days)."""
    preds = lineage(catalogue, unit, days)
    note = structural_note(catalogue, indicator, unit, preds)
    if note is not None:
        return Comparison(None, None, note, tuple(preds))
    spec = indicator.derived
    if spec is not None and spec.numerator and spec.denominator:
        den_indicator = catalogue.indicators[spec.denominator]
        num, num_note = _summed(catalogue, spec.numerator, category, preds, baseline)
        den_category = category if den_indicator.disaggregation else ""
        den, den_note = _summed(catalogue, spec.denominator, den_category, preds, baseline)
        if num is None or den is None:
            return Comparison(None, None, num_note or den_note, tuple(preds))
        value = num[0] / den[0] * spec.scale if den[0] else None
        return Comparison(value, num[1], None, tuple(preds))
    found, missing = _summed(catalogue, indicator.code, category, preds, baseline)
    if found is None:
        return Comparison(None, None, missing, tuple(preds))
    return Comparison(found[0], found[1], None, tuple(preds))


def _is_ratio(indicator: Indicator) -> bool:
    spec = indicator.derived
    return spec is not None and spec.numerator is not None and spec.denominator is not None


def _summed(
    catalogue: Catalogue, indicator: str, category: str, preds: list[str], baseline: dict[Key, Fact]
) -> tuple[tuple[Decimal, Window] | None, Note | None]:
    """The sum of the predecessors' figures and the latest of their windows, or a note naming who did not report."""
    facts = [baseline.get((indicator, p, category)) for p in preds]
    absent = [p for p, f in zip(preds, facts, strict=True) if f is None]
    if absent:
        names = _names(catalogue, absent)
        return None, Note(f"tiền thân chưa báo cáo ở kỳ gốc: {names}", f"a predecessor did not report: {names}")
    present = [f for f in facts if f is not None]
    window = max((f.window for f in present), key=lambda w: w.end)
    return (sum((f.value for f in present), Decimal(0)), window), None


def _names(catalogue: Catalogue, codes: list[str]) -> str:
    return ", ".join(catalogue.units[c].name for c in codes)
