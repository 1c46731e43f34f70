"""Number and date formats (Babel), one style a language: Vietnamese 1.767 · 92,36% · 16/7/2022 (the report's and
the default), English 1,767 · 92.36% · 16 Jul 2022 for pages read in English. The report is always Vietnamese."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from dxmonitor.intake.windows import Window

LOCALE = "vi_VN"
LOCALES = {"vi": LOCALE, "en": "en_GB"}
LANGUAGES = tuple(LOCALES)
# The words a change or a window is said with, in each language.
WORDS = {
    "vi": {
        "up": "Tăng",
        "down": "Giảm",
        "same": "Bằng",
        "to": "đến ngày {end}",
        "on": "ngày {end}",
        "from": "từ {start} đến {end}",
        "To": "Đến {end}",
        "On": "Ngày {end}",
    },
    "en": {
        "up": "Up",
        "down": "Down",
        "same": "Unchanged",
        "to": "to {end}",
        "on": "on {end}",
        "from": "from {start} to {end}",
        "To": "To {end}",
        "On": "On {end}",
    },
}


def language_of(code: str | None) -> str:
    """ "en" for any English ("en", "en-gb"), else "vi": the product speaks Vietnamese unless asked otherwise."""
    return "en" if (code or "").lower().startswith("en") else "vi"


def rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: Decimal | None, decimals: int = 0, language: str = "vi") -> str:
    """1767 → "1.767", 92.360 → "92,36" (at most `decimals` decimals, no trailing zeros); in English "1,767",
    "92.36"."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    shown = rounded(value, decimals)
    return format_decimal(shown if shown != 0 else Decimal(0), format=pattern, locale=LOCALES[language_of(language)])


def percent(value: Decimal | None, decimals: int = 2, language: str = "vi") -> str:
    return "" if value is None else number(value, decimals, language) + "%"


def figure(value: Decimal | None, kind: str, decimals: int, language: str = "vi") -> str:
    return percent(value, decimals, language) if kind == "percent" else number(value, decimals, language)


def rank(value: Decimal | None, out_of: int, label: str) -> str:
    """A rank out of a count, as the reports write it: 1 of 63 → "01/63 tỉnh, thành phố"."""
    return "" if value is None else f"{int(value):02d}/{out_of:02d} {label}"


def change_text(delta: Decimal | None, kind: str, decimals: int, language: str = "vi") -> str:
    """ "Tăng 6,4%", "Giảm 3,4%", "Bằng" ("Up 6.4%", "Down 3.4%", "Unchanged") — percentage points for percents,
    absolute otherwise."""
    if delta is None:
        return ""
    words = WORDS[language_of(language)]
    shown = rounded(delta, decimals)
    if shown == 0:
        return words["same"]
    word = words["up"] if shown > 0 else words["down"]
    return f"{word} {figure(abs(shown), kind, decimals, language)}"


def long_date(day: date) -> str:
    """Nghị định 30/2020: "ngày 05 tháng 02 năm 2022" — leading zero for days below 10 and months 1 and 2."""
    month = "MM" if day.month < 3 else "M"
    return format_date(day, f"'ngày' dd 'tháng' {month} 'năm' yyyy", locale=LOCALE)


def short_date(day: date, language: str = "vi") -> str:
    """ "16/7/2022", "01/6/2022", "01/01/2022": months 1 and 2 with a leading zero, as in the long form; in English
    "16 Jul 2022"."""
    if language_of(language) == "en":
        return format_date(day, "d MMM yyyy", locale=LOCALES["en"])
    month = "MM" if day.month < 3 else "M"
    return format_date(day, f"dd/{month}/yyyy", locale=LOCALE)


def month_name(year: int, month: int, language: str = "vi") -> str:
    """A round's month: "tháng 6/2022", "June 2022"."""
    if language_of(language) == "en":
        return format_date(date(year, month, 1), "MMMM yyyy", locale=LOCALES["en"])
    return f"tháng {month}/{year}"


def window_text(window: Window, language: str = "vi") -> str:
    """ "đến ngày 16/7/2022", "ngày 11/6/2022", "từ 01/6/2022 đến 15/7/2022" ("to 16 Jul 2022", …)."""
    words = WORDS[language_of(language)]
    end = short_date(window.end, language)
    if window.start is None:
        return words["to"].format(end=end)
    if window.start == window.end:
        return words["on"].format(end=end)
    return words["from"].format(start=short_date(window.start, language), end=end)


def window_heading(window: Window, language: str = "vi") -> str:
    """A column heading for a window: "Đến 31/5/2022", "Ngày 11/6/2022", "01/6/2022 - 15/7/2022"."""
    words = WORDS[language_of(language)]
    end = short_date(window.end, language)
    if window.start is None:
        return words["To"].format(end=end)
    if window.start == window.end:
        return words["On"].format(end=end)
    return f"{short_date(window.start, language)} - {end}"
