"""Read figures written the Vietnamese way ("1.767", "92,36%") or plainly ("1767", "92.36")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

Kind = Literal["percent", "count", "amount", "points"]
FRACTIONAL: tuple[Kind, ...] = ("percent", "points")  # kinds whose figures have decimals

BLANKS = {"", "-", "–", "—", "x", "X", "n/a", "N/A"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_SHAPE = re.compile(r"^[0-9][0-9.,]*$")  # not \d: it takes any script's digits, and Decimal reads them
_DOT_GROUPS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3}){2,}")  # "1.903.389": thousands, whatever the kind


class NumberError(ValueError):
    """A figure that cannot be read; carries a Vietnamese and an English message."""

    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi = vi
        self.en = en


def foreign_digit(text: str) -> str | None:
    """The first character of `text` that Unicode counts as a number but that is not one of 0–9 (Arabic-Indic ٣,
    full-width ３, superscript ², circled ①, …), or None."""
    return next((ch for ch in text if ch.isnumeric() and not ("0" <= ch <= "9")), None)


@dataclass(frozen=True)
class Reading:
    """A figure read from text, and how it was read when more than one reading was possible."""

    value: Decimal | None
    note_vi: str = ""
    note_en: str = ""

    @property
    def ambiguous(self) -> bool:
        return bool(self.note_vi)


def _grouped(text: str, sep: str) -> bool:
    head, *groups = text.split(sep)
    return 1 <= len(head) <= 3 and all(len(g) == 3 for g in groups)


def _plain_digits(text: str, kind: Kind) -> tuple[Decimal, str, str]:
    """Resolve separators; returns the value and, if it was ambiguous, a note in both languages."""
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _, frac = text.rpartition(decimal_sep)
        if text.count(decimal_sep) != 1 or not _grouped(whole, group_sep):
            raise NumberError("dấu phân cách không hợp lệ", "separators are mixed up")
        return Decimal(whole.replace(group_sep, "") + "." + frac), "", ""
    sep = "." if dots else "," if commas else ""
    if not sep:
        return Decimal(text), "", ""
    count = dots or commas
    whole, _, frac = text.rpartition(sep)
    if count > 1:
        if not _grouped(text, sep):
            raise NumberError(
                "các nhóm chữ số không đúng (phải là nhóm 3 chữ số)", "digit groups are not groups of three"
            )
        return Decimal(text.replace(sep, "")), "", ""
    if len(frac) != 3 or not _grouped(text, sep):
        return Decimal(whole + "." + frac), "", ""
    # One separator followed by exactly three digits: thousands or decimals? The indicator's kind decides.
    as_thousands, as_decimal = Decimal(whole + frac), Decimal(whole + "." + frac)
    vietnamese = as_thousands if sep == "." else as_decimal
    chosen = as_decimal if kind in FRACTIONAL else as_thousands
    if chosen == vietnamese:
        return chosen, "", ""
    shown = f"{chosen.normalize():f}"
    kind_vi = {"percent": "tỷ lệ", "count": "số đếm", "amount": "số tiền", "points": "điểm"}[kind]
    return (
        chosen,
        f"'{text}' có thể hiểu hai cách; vì chỉ tiêu là {kind_vi} nên đã đọc là {shown}",
        f"'{text}' is ambiguous; read as {shown} because the indicator is a {kind}",
    )


def parse_number(raw: object, kind: Kind) -> Reading:
    """Read one figure for an indicator of `kind`; raise NumberError when it cannot be a number."""
    if raw is None:
        return Reading(None)
    if isinstance(raw, bool):
        raise NumberError("giá trị không phải là số", "the value is not a number")
    if isinstance(raw, int | float | Decimal):
        value = Decimal(str(raw))
        if not value.is_finite():
            raise NumberError(f"'{raw}' không phải là số hữu hạn", f"'{raw}' is not a finite number")
        return _checked(value, kind, str(raw))
    text = _SPACES.sub("", str(raw)).replace("−", "-")
    if text in BLANKS:
        return Reading(None)
    negative = text.startswith("-")
    text = text.lstrip("+-")
    if text.endswith("%"):
        if kind != "percent":
            raise NumberError(
                f"'{raw}' có dấu % nhưng chỉ tiêu không phải tỷ lệ",
                f"'{raw}' has a % sign but the indicator is not a percentage",
            )
        text = text[:-1]
    foreign = foreign_digit(text)
    if foreign is not None:
        # Python's Decimal and int read them as digits; a figure that looks like 3 to one reader and like nothing to
        # another is refused rather than guessed.
        raise NumberError(
            f"'{raw}': chỉ dùng chữ số 0–9, không dùng '{foreign}'",
            f"'{raw}': only the digits 0–9 are read as numbers, not '{foreign}'",
        )
    if not _SHAPE.match(text) or text[-1] in ".,":
        raise NumberError(f"'{raw}' không phải là số", f"'{raw}' is not a number")
    try:
        value, note_vi, note_en = _plain_digits(text, kind)
    except InvalidOperation as exc:
        raise NumberError(f"'{raw}' không phải là số", f"'{raw}' is not a number") from exc
    except NumberError as exc:
        raise NumberError(f"'{raw}': {exc.vi}", f"'{raw}': {exc.en}") from exc
    reading = _checked(-value if negative else value, kind, str(raw))
    return Reading(reading.value, note_vi, note_en)


def _checked(value: Decimal, kind: Kind, raw: str) -> Reading:
    if kind in ("count", "amount") and value != value.to_integral_value():
        raise NumberError(
            f"'{raw}': số đếm và số tiền phải là số nguyên", f"'{raw}': counts and amounts must be whole numbers"
        )
    return Reading(value)


def quick_number(raw: object, kind: Kind) -> Decimal | None:
    """The value of a figure written in one of the usual unambiguous ways, exactly as `parse_number` reads it;
    None for anything else (a sign, spaces, a blank, a doubtful separator, an error), which `parse_number` must read.

    Files repeat the same few shapes on thousands of rows; this reads them without building a `Reading`."""
    if type(raw) is int:  # not bool, a subclass
        return Decimal(raw)  # the same as Decimal(str(raw)), digits and all
    if type(raw) is float:
        if kind not in FRACTIONAL and not raw.is_integer():  # also NaN and the infinities
            return None
        value = Decimal(str(raw))
        return value if value.is_finite() else None
    if type(raw) is not str:
        return None
    text = raw
    if not text.isascii():
        return None
    if text.isdigit():
        return Decimal(text)
    if text.count(".") > 1:
        return Decimal(text.replace(".", "")) if _DOT_GROUPS.fullmatch(text) else None
    # one separator at most ("1767", "92,36%", "92.36", "1.767"), read without a pattern: files are full of them
    percent = text.endswith("%")
    if percent:
        if kind != "percent":
            return None
        text = text[:-1]
    separator = "." if "." in text else ","
    whole, found, fraction = text.partition(separator)
    if not whole.isdigit():
        return None
    if not found:
        return Decimal(whole)
    if not fraction.isdigit():
        return None
    if len(fraction) == 3 and len(whole) <= 3:  # thousands or decimals: only when both conventions agree
        if (separator == ",") != (kind in FRACTIONAL):
            return None
        return Decimal(whole + "." + fraction) if kind in FRACTIONAL else Decimal(whole + fraction)
    value = Decimal(whole + "." + fraction)
    return value if kind in FRACTIONAL or value == value.to_integral_value() else None
