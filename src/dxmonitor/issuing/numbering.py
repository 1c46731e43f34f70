"""Report numbers as the office writes them: "03/BC-STTTT", Số 01, 02, … per number series and year (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable

_LEADING_SEQUENCE = re.compile(r"^\s*\d*\s*/\s*")


def series_from_number(number: str) -> str:
    """The series of a written number: "02/BC-STTTT" → "BC-STTTT", "      /BC-STTTT" → "BC-STTTT"."""
    return _LEADING_SEQUENCE.sub("", number).strip()


def next_sequence(taken: Iterable[int]) -> int:
    """The next number of a series in a year: one after the highest taken, 1 for the first."""
    return max(taken, default=0) + 1


def format_number(sequence: int, series: str) -> str:
    """The printed number: two digits at least, as the seeds print them ("03/BC-SKHCN", "112/BC-STTTT")."""
    return f"{sequence:02d}/{series}"
