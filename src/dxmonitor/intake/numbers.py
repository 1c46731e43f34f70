"""Read figures written the Vietnamese way ("1.767", "92,36%") or plainly ("1767", "92.36")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

Kind = Literal["percent", "count", "amount"]

BLANKS = {"", "-", "–", "—", "x", "X", "n/a", "N/A"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_SHAPE = re.compile(r"^\d[\d.,]*$")


class NumberError(ValueError):
    """A figure that cannot be read; carries a Vietnamese and an English message."""

    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi = vi
        self.en = en


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
    chosen = as_decimal if kind == "percent" else as_thousands
    if chosen == vietnamese:
        return chosen, "", ""
    shown = f"{chosen.normalize():f}"
    kind_vi = {"percent": "tỷ lệ", "count": "số đếm", "amount": "số tiền"}[kind]
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
