"""Round codes: `YYYY-MM`, checked once here for every path (pages, admin, API, commands, files); no database.

`2022-06` is "tháng 6/2022"; its last day is the day its figures are as of unless they say otherwise."""

from __future__ import annotations

import argparse
import calendar
import re
from collections.abc import Iterable
from datetime import date

__all__ = [
    "ROUND_CODE",
    "RoundCodeError",
    "check_round_code",
    "next_code",
    "open_rounds_text",
    "round_argument",
    "round_days",
    "round_end",
    "round_name",
]

ROUND_CODE = re.compile(r"^((?:19|20|21)[0-9]{2})-(0[1-9]|1[0-2])$")  # 0–9 only: \d takes any script


class RoundCodeError(ValueError):
    """A text that is not a round code, with what to write instead in Vietnamese and English."""

    def __init__(self, code: str):
        self.code = code
        self.vi = f"mã kỳ báo cáo '{code}' phải có dạng YYYY-MM, ví dụ 2022-07"
        self.en = f"round code '{code}' must look like YYYY-MM, e.g. 2022-07"
        super().__init__(f"{self.vi} / {self.en}")


def check_round_code(code: str) -> tuple[int, int]:
    """The year and month of a round code; raises RoundCodeError for anything else (`07/2022`, `2022-7`, `2022-13`)."""
    match = ROUND_CODE.match(code)
    if not match:
        raise RoundCodeError(code)
    return int(match.group(1)), int(match.group(2))


def round_end(code: str) -> date:
    """The round's last day: 2022-06 → 30/6/2022."""
    year, month = check_round_code(code)
    return date(year, month, calendar.monthrange(year, month)[1])


def round_days(code: str) -> tuple[date, date] | None:
    """The days of the month a round covers ("2022-06": 1/6 to 30/6/2022); None for a code that is no month."""
    try:
        year, month = check_round_code(code)
    except RoundCodeError:
        return None
    return date(year, month, 1), round_end(code)


def round_name(code: str) -> str:
    """The round's name as the reports write it: 2022-07 → "tháng 7/2022"."""
    year, month = check_round_code(code)
    return f"tháng {month}/{year}"


def next_code(code: str) -> str:
    """The round after this one: 2022-12 → 2023-01."""
    year, month = check_round_code(code)
    return f"{year + month // 12}-{month % 12 + 1:02d}"


def open_rounds_text(codes: Iterable[str]) -> tuple[str, str]:
    """ "2022-05, 2022-06", or "none" said in both languages, for a message naming the open rounds."""
    listed = ", ".join(codes)
    return listed or "không có", listed or "none"


def round_argument(text: str) -> str:
    """An argparse `type` for `--round`: the code itself, or the message that says what a code looks like."""
    try:
        check_round_code(text)
    except RoundCodeError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text
