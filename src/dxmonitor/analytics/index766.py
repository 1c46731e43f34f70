"""The six groups of the Quyết định 766/QĐ-TTg index and their points, from the counts of a unit's records.

Each criterion is a rate (numerator ÷ denominator of counts) turned into points as the national portal does:
points × rate, reaching the full points at `full_at` when the portal sets a threshold. Formulas and sources:
docs/dossier-indicators.md."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

POINTS_STEP = Decimal("0.01")  # the portal publishes points with two decimals


@dataclass(frozen=True)
class Criterion:
    group: str
    code: str
    points: Decimal
    numerator: str | None  # a count of `figures.Counts`; None when dossier records cannot show it
    denominator: str | None
    full_at: Decimal = Decimal(1)  # the rate at which the criterion earns all its points


@dataclass(frozen=True)
class Group:
    code: str  # the indicator code of the group's points
    name: str
    points: Decimal


GROUPS = (
    Group("dvc766.disclosure_points", "Công khai, minh bạch", Decimal(18)),
    Group("dvc766.progress_points", "Tiến độ giải quyết", Decimal(20)),
    Group("dvc766.online_service_points", "Dịch vụ công trực tuyến", Decimal(12)),
    Group("dvc766.online_payment_points", "Thanh toán trực tuyến", Decimal(10)),
    Group("dvc766.digitization_points", "Số hóa hồ sơ", Decimal(22)),
    Group("dvc766.satisfaction_points", "Mức độ hài lòng", Decimal(18)),
)
TOTAL = "dvc766.total_points"


def _c(group: int, code: str, points: int, num: str | None, den: str | None, full_at: str = "1") -> Criterion:
    return Criterion(GROUPS[group].code, code, Decimal(points), num, den, Decimal(full_at))


CRITERIA = (
    _c(0, "publish_on_time", 6, "published_on_time", "procedures"),
    _c(0, "update_on_time", 4, "updated_on_time", "procedures"),
    _c(0, "content_complete", 2, "content_complete", "procedures"),
    _c(0, "dossier_sync", 6, "synced", "handled"),
    _c(1, "on_time", 20, "on_time", "handled"),
    _c(2, "online_procedures", 2, "online_capable", "procedures", "0.8"),
    _c(2, "online_services_used", 4, "online_capable_used", "online_capable"),
    _c(2, "online_dossiers", 6, "received_online", "received", "0.5"),
    _c(3, "online_payment", 10, "paid_online", "fee_received"),
    _c(4, "electronic_result", 6, "result_electronic", "completed"),
    _c(4, "digitized_components", 4, "digitized", "received"),
    _c(4, "data_reused", 2, "data_reused", "received", "0.8"),
    _c(4, "citizen_data", 2, "citizen_data", "received"),
    _c(4, "personal_storage", 4, None, None),  # synced to citizens' storage on the national portal
    _c(4, "certified_copies", 2, None, None),  # communes offering electronic certified copies
    _c(4, "population_data_procedures", 2, None, None),  # procedures connected to the population database
    _c(5, "dossier_satisfaction", 6, "satisfied", "completed", "0.9"),
    _c(5, "petitions_on_time", 6, None, None),  # petitions (phản ánh, kiến nghị) are not dossier records
    _c(5, "petition_satisfaction", 6, None, None),
)


@dataclass(frozen=True)
class GroupScore:
    group: Group
    points: Decimal  # scaled to the group's points when only part of it could be measured
    measured: Decimal  # the points of the criteria that the records could measure for this unit

    @property
    def note(self) -> str:
        if self.measured == self.group.points:
            return ""
        return (
            f"Chấm trên {self.measured:f}/{self.group.points:f} điểm đo được từ hồ sơ, quy về thang "
            f"{self.group.points:f} / scored on the {self.measured:f} of {self.group.points:f} points the records "
            "measure, scaled"
        )


def criterion_points(criterion: Criterion, counts: dict[str, int]) -> Decimal | None:
    """The points one criterion earns; None when the records cannot measure it (no column, or nothing to count)."""
    if criterion.numerator is None or criterion.denominator is None:
        return None
    numerator, denominator = counts.get(criterion.numerator), counts.get(criterion.denominator)
    if numerator is None or not denominator:
        return None
    earned = criterion.points * Decimal(numerator) / (Decimal(denominator) * criterion.full_at)
    return min(criterion.points, earned)


def group_scores(counts: dict[str, int]) -> list[GroupScore]:
    """Every group that at least one criterion measures, its points scaled to the group's full points."""
    scores = []
    for group in GROUPS:
        earned, measured = Decimal(0), Decimal(0)
        for criterion in (c for c in CRITERIA if c.group == group.code):
            points = criterion_points(criterion, counts)
            if points is not None:
                earned += points
                measured += criterion.points
        if measured:
            scaled = (group.points * earned / measured).quantize(POINTS_STEP, ROUND_HALF_UP)
            scores.append(GroupScore(group, scaled, measured))
    return scores
