"""The days a round's figures may be as of: its reporting period, from the month before it to its deadline and a
margin. Plain functions, no database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from dxmonitor.intake.plan import ImportPlan
from dxmonitor.intake.windows import Window
from dxmonitor.problems import Problem, error

EARLIEST_START = date(2000, 1, 1)  # a window may start long before its round (a running total), not before this


@dataclass(frozen=True)
class ReportingDays:
    """The as-of days a round accepts: `first` to `last`, both included."""

    first: date
    last: date

    @classmethod
    def of(cls, round_end: date, deadline: date | None, margin_days: int) -> ReportingDays:
        """From the first day of the month before the round (reports print that month beside the round's) to the
        deadline (or the round's last day, if later) plus `margin_days`."""
        start = round_end.replace(day=1)
        first = (start - timedelta(days=1)).replace(day=1)
        last = max(round_end, deadline or round_end) + timedelta(days=margin_days)
        return cls(first, last)

    def text(self) -> tuple[str, str]:
        first, last = f"{self.first:%d/%m/%Y}", f"{self.last:%d/%m/%Y}"
        return f"từ {first} đến {last}", f"from {first} to {last}"

    def problems(self, plan: ImportPlan) -> Iterator[Problem]:
        """An error for each planned figure whose as-of day (a window's last day) lies outside these days."""
        verdicts: dict[str, bool] = {}  # a file repeats a few windows on many rows
        allowed_vi, allowed_en = self.text()
        for planned in plan.values:
            fits = verdicts.get(planned.window)
            if fits is None:
                window = Window.from_key(planned.window)
                fits = verdicts[planned.window] = self.first <= window.end <= self.last and (
                    window.start is None or window.start >= EARLIEST_START
                )
            if not fits:
                window = Window.from_key(planned.window)
                shown = f"{window.end:%d/%m/%Y}"
                if window.start is not None:
                    shown = f"{window.start:%d/%m/%Y}-{shown}"
                yield error(
                    planned.at("as_of"),
                    f"ngày số liệu {shown} không thuộc kỳ {plan.round_code}: kỳ này nhận số liệu {allowed_vi}"
                    f" (khoảng bắt đầu không trước {EARLIEST_START:%d/%m/%Y})",
                    f"as-of {shown} does not belong to round {plan.round_code}: it takes figures as of days "
                    f"{allowed_en} (a window starting no earlier than {EARLIEST_START:%d/%m/%Y})",
                )
