"""The as-of date or window a figure belongs to: "16/07/2022" (up to that day) or "01/06/2022-15/07/2022"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from dxmonitor.intake.numbers import foreign_digit

# [0-9], not \d, which takes any script's digits (and int() reads them): dates are written with 0–9 only.
_DATE = r"([0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2})"
_WINDOW = re.compile(rf"^\s*{_DATE}\s*(?:(?:-|–|\.\.|đến|to)\s*{_DATE})?\s*$", re.IGNORECASE)
# The export's own form of a window: 2022-06-08/2022-07-19.
_ISO_INTERVAL = re.compile(r"^\s*([0-9]{4}-[0-9]{2}-[0-9]{2})\s*/\s*([0-9]{4}-[0-9]{2}-[0-9]{2})\s*$")


class WindowError(ValueError):
    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi = vi
        self.en = en


def _date(text: str) -> date:
    if "/" in text:
        day, month, year = (int(p) for p in text.split("/"))
        return date(year, month, day)
    return date.fromisoformat(text)


@dataclass(frozen=True)
class Window:
    """`end` is the as-of day; `start` is set when the figure covers only the days from `start` to `end`."""

    end: date
    start: date | None = None

    @property
    def key(self) -> str:
        return self.end.isoformat() if self.start is None else f"{self.start.isoformat()}/{self.end.isoformat()}"

    @classmethod
    def from_key(cls, key: str) -> Window:
        start, _, end = key.rpartition("/")
        return cls(date.fromisoformat(end), date.fromisoformat(start) if start else None)

    @property
    def sort_key(self) -> tuple[date, date]:
        """Earlier windows first; an open-start window (everything up to `end`) before one that starts later."""
        return (self.start or date.min, self.end)

    @property
    def days(self) -> int:
        return 0 if self.start is None else (self.end - self.start).days + 1


def parse_window(raw: object) -> Window | None:
    """Read an as-of cell; None when empty. Raise WindowError when it is not a date or a window."""
    if raw is None:
        return None
    if isinstance(raw, datetime):  # a spreadsheet date cell may carry a time of day: the day is what counts
        return Window(raw.date())
    if isinstance(raw, date):
        return Window(raw)
    text = str(raw).strip()
    if not text:
        return None
    foreign = foreign_digit(text)
    if foreign is not None:
        raise WindowError(
            f"'{text}': ngày chỉ dùng chữ số 0–9, không dùng '{foreign}'",
            f"'{text}': dates are written with the digits 0–9 only, not '{foreign}'",
        )
    match = _WINDOW.match(text) or _ISO_INTERVAL.match(text)
    if not match:
        raise WindowError(
            f"'{text}' không phải ngày (dd/mm/yyyy) hoặc khoảng ngày (dd/mm/yyyy-dd/mm/yyyy)",
            f"'{text}' is not a date (dd/mm/yyyy) or a window (dd/mm/yyyy-dd/mm/yyyy)",
        )
    try:
        first = _date(match.group(1))
        second = _date(match.group(2)) if match.group(2) else None
    except ValueError as exc:
        raise WindowError(f"'{text}' có ngày không tồn tại", f"'{text}' contains an impossible date") from exc
    if second is None:
        return Window(first)
    if second < first:
        raise WindowError(f"'{text}': ngày kết thúc trước ngày bắt đầu", f"'{text}': the window ends before it starts")
    return Window(second, first)
