"""User mistakes as data: each problem has a severity, a location and a message in Vietnamese and English."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_VI = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo", Severity.INFO: "Lưu ý"}


@dataclass(frozen=True)
class Location:
    """Where a problem is: file, sheet, row (1-based as the user sees it), column, field."""

    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    field: str = ""

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"dòng/row {self.row}")
        if self.column:
            parts.append(f"cột/column {self.column}")
        if self.field:
            parts.append(f"trường/field {self.field}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    severity: Severity
    location: Location
    message_vi: str
    message_en: str

    def __str__(self) -> str:
        where = f"{self.location}: " if str(self.location) else ""
        return f"[{SEVERITY_VI[self.severity]}] {where}{self.message_vi} / {self.message_en}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(location: Location, vi: str, en: str) -> Problem:
    return Problem(Severity.ERROR, location, vi, en)


def warning(location: Location, vi: str, en: str) -> Problem:
    return Problem(Severity.WARNING, location, vi, en)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)


class Checked:
    """Whatever carries `problems` (an import plan, a roster): whether it may go on, its errors and its warnings."""

    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]
