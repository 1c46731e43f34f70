"""Vietnamese number and date formats (Babel): 1.767 · 92,36% · 41.250.000 · ngày 20 tháng 7 năm 2022."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from dxmonitor.intake.windows import Window

LOCALE = "vi_VN"


def rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: Decimal | None, decimals: int = 0) -> str:
    """1767 → "1.767", 92.360 → "92,36" (at most `decimals` decimals, no trailing zeros)."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    shown = rounded(value, decimals)
    return format_decimal(shown if shown != 0 else Decimal(0), format=pattern, locale=LOCALE)


def percent(value: Decimal | None, decimals: int = 2) -> str:
    return "" if value is None else number(value, decimals) + "%"


def figure(value: Decimal | None, kind: str, decimals: int) -> str:
    return percent(value, decimals) if kind == "percent" else number(value, decimals)


def change_text(delta: Decimal | None, kind: str, decimals: int) -> str:
    """ "Tăng 6,4%", "Giảm 3,4%", "Bằng" — percentage points for percents, absolute otherwise."""
    if delta is None:
        return ""
    shown = rounded(delta, decimals)
    if shown == 0:
        return "Bằng"
    word = "Tăng" if shown > 0 else "Giảm"
    return f"{word} {figure(abs(shown), kind, decimals)}"


def long_date(day: date) -> str:
    """Nghị định 30/2020: "ngày 05 tháng 02 năm 2022" — leading zero for days below 10 and months 1 and 2."""
    month = "MM" if day.month < 3 else "M"
    return format_date(day, f"'ngày' dd 'tháng' {month} 'năm' yyyy", locale=LOCALE)


def short_date(day: date) -> str:
    """ "16/7/2022", "01/6/2022", "01/01/2022": months 1 and 2 with a leading zero, as in the long form."""
    month = "MM" if day.month < 3 else "M"
    return format_date(day, f"dd/{month}/yyyy", locale=LOCALE)


def window_text(window: Window) -> str:
    """ "đến ngày 16/7/2022", "ngày 11/6/2022", "từ 01/6/2022 đến 15/7/2022"."""
    if window.start is None:
        return f"đến ngày {short_date(window.end)}"
    if window.start == window.end:
        return f"ngày {short_date(window.end)}"
    return f"từ {short_date(window.start)} đến {short_date(window.end)}"


def window_heading(window: Window) -> str:
    """A column heading for a window: "Đến 31/5/2022", "Ngày 11/6/2022", "01/6/2022 - 15/7/2022"."""
    if window.start is None:
        return f"Đến {short_date(window.end)}"
    if window.start == window.end:
        return f"Ngày {short_date(window.end)}"
    return f"{short_date(window.start)} - {short_date(window.end)}"
