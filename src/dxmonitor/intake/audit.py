"""Check that every figure's history is a chain: each change starts where the one before ended, the first one
creates the figure, and the last one ends at the figure stored now, number and note. Plain data, no database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import pairwise

FigureKey = tuple[str, str, str, str]  # indicator, unit, category, window


@dataclass(frozen=True)
class Change:
    """One history row: its id (the order it was written in), the figure and note before and after."""

    id: int
    key: FigureKey
    old_value: Decimal | None
    new_value: Decimal | None
    old_note: str | None  # None: not recorded (a row written before the history kept notes)
    note: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Break:
    """Where a figure's chain breaks, said in Vietnamese and English."""

    key: FigureKey
    change_id: int | None
    vi: str
    en: str

    def __str__(self) -> str:
        where = " ".join(part for part in self.key if part)
        row = f" (lịch sử/history #{self.change_id})" if self.change_id is not None else ""
        return f"{where}{row}: {self.vi} / {self.en}"


def _n(value: Decimal | None) -> str:
    return "∅" if value is None else f"{value.normalize():f}"


def verify(stored: Mapping[FigureKey, tuple[Decimal, str]], history: Iterable[Change]) -> list[Break]:
    """Every break in the chains of these figures (stored: key → (value, note)); empty when the record is whole."""
    chains: dict[FigureKey, list[Change]] = defaultdict(list)
    for change in history:
        chains[change.key].append(change)
    breaks: list[Break] = []
    for key in sorted(set(stored) | set(chains)):
        chain = sorted(chains.get(key, []), key=lambda c: c.id)
        if not chain:
            value, _ = stored[key]
            breaks.append(Break(key, None, f"số {_n(value)} không có lịch sử", f"figure {_n(value)} has no history"))
            continue
        first = chain[0]
        if first.old_value is not None:
            breaks.append(
                Break(
                    key,
                    first.id,
                    f"thay đổi đầu tiên bắt đầu từ {_n(first.old_value)}, không phải từ lúc tạo số liệu",
                    f"the first change starts from {_n(first.old_value)}, not from the figure's creation",
                )
            )
        for before, after in pairwise(chain):
            if after.old_value != before.new_value:
                breaks.append(
                    Break(
                        key,
                        after.id,
                        f"số cũ {_n(after.old_value)} khác số mới của lần trước {_n(before.new_value)} "
                        f"(#{before.id}, {before.by})",
                        f"old figure {_n(after.old_value)} differs from the previous change's new figure "
                        f"{_n(before.new_value)} (#{before.id}, {before.by})",
                    )
                )
            if after.old_note is not None and after.old_note != before.note:
                breaks.append(
                    Break(
                        key,
                        after.id,
                        f"ghi chú cũ khác ghi chú của lần trước (#{before.id})",
                        f"the old note differs from the previous change's note (#{before.id})",
                    )
                )
        last = chain[-1]
        now = stored.get(key)
        if now is None:
            if last.new_value is not None:
                breaks.append(
                    Break(
                        key,
                        last.id,
                        f"lịch sử kết thúc ở {_n(last.new_value)} nhưng không còn số liệu lưu",
                        f"the history ends at {_n(last.new_value)} but no figure is stored",
                    )
                )
            continue
        value, note = now
        if last.new_value != value:
            breaks.append(
                Break(
                    key,
                    last.id,
                    f"số đang lưu {_n(value)} khác số mới của lần thay đổi cuối {_n(last.new_value)}",
                    f"the stored figure {_n(value)} differs from the last change's new figure {_n(last.new_value)}",
                )
            )
        elif last.old_note is not None and last.note != note:
            breaks.append(
                Break(
                    key,
                    last.id,
                    "ghi chú đang lưu khác ghi chú của lần thay đổi cuối",
                    "the stored note differs from the last change's note",
                )
            )
    return breaks
