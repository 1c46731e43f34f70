"""Bad records, counted by kind with the first few rows of each, and the rule that decides what a kind does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dxmonitor.analytics.mapping import Rule
from dxmonitor.problems import Location, Problem, Severity

# What each kind means, in Vietnamese and English; the rule of every kind is "leave out and list" unless the
# mapping file's `rules:` says "stop". A missing column always stops: nothing can be computed without it.
KINDS: dict[str, tuple[str, str]] = {
    "missing_value": ("thiếu giá trị bắt buộc", "a required value is empty"),
    "unreadable_value": ("giá trị không đọc được", "a value cannot be read"),
    "duplicated_dossier_id": ("trùng mã hồ sơ (giữ bản ghi đầu tiên)", "duplicated dossier id (the first is kept)"),
    "duplicated_procedure": ("trùng thủ tục của cùng đơn vị", "the same procedure twice for one unit"),
    "unknown_unit": ("đơn vị không có trên cây đơn vị của kỳ", "a unit not on the round's unit tree"),
    "unknown_procedure": ("thủ tục không có trong danh sách thủ tục", "a procedure not in the procedures file"),
    "completed_before_received": ("hoàn thành trước ngày tiếp nhận", "completed before it was received"),
    "due_before_received": ("hạn giải quyết trước ngày tiếp nhận", "due before it was received"),
    "status_mismatch": ("trạng thái không khớp ngày hoàn thành", "the status does not match the completion date"),
}
DEFAULT_RULE: Rule = "leave_out"


@dataclass(frozen=True)
class Example:
    file: str
    row: int
    field: str
    written: str


@dataclass
class BadKind:
    """One kind of bad record in one table: how many, what happens to them, and where the first ones are."""

    table: str
    kind: str
    count: int
    rule: Rule
    examples: list[Example] = field(default_factory=list)

    def problem(self) -> Problem:
        vi, en = KINDS.get(self.kind, (self.kind, self.kind))
        where = "; ".join(f"{e.file} dòng/row {e.row} {e.field}='{e.written}'" for e in self.examples)
        action_vi = "dừng tính toán" if self.rule == "stop" else "đã loại khỏi tính toán"
        action_en = "the run stops" if self.rule == "stop" else "left out of the computation"
        severity = Severity.ERROR if self.rule == "stop" else Severity.WARNING
        return Problem(
            severity,
            Location(field=f"{self.table}.{self.kind}"),
            f"{self.count} bản ghi {self.table}: {vi} — {action_vi}; ví dụ: {where}",
            f"{self.count} {self.table} records: {en} — {action_en}; e.g. {where}",
        )


def bad_kinds(
    table: str,
    counts: Iterable[Mapping[str, object]],
    examples: Iterable[Mapping[str, object]],
    files: list[str],
    rules: Mapping[str, Rule],
) -> list[BadKind]:
    """The kinds found in one table's count rows (`records.*_counts`) with their examples, in the order of KINDS."""
    found: Counter[str] = Counter()
    for row in counts:
        if row["_issue"] is not None:
            found[str(row["_issue"])] += int(row["records"])  # type: ignore[call-overload]
    shown: dict[str, list[Example]] = {}
    ordered = sorted(examples, key=lambda r: (int(r["_file"]), int(r["_row"])))  # type: ignore[call-overload]
    for row in ordered:
        example = Example(files[int(row["_file"])], int(row["_row"]), str(row["_field"]), str(row["_raw"] or ""))  # type: ignore[call-overload]
        shown.setdefault(str(row["_issue"]), []).append(example)
    order = list(KINDS)
    kinds = sorted(found, key=lambda k: order.index(k) if k in order else len(order))
    return [BadKind(table, k, found[k], rules.get(k, DEFAULT_RULE), shown.get(k, [])) for k in kinds]
