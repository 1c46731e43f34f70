"""Turn rows of submission files into values to write, collecting every problem; touches no database."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter
from pathlib import Path

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.rounds import ROUND_CODE, RoundCodeError, check_round_code, round_days, round_end
from dxmonitor.intake.checks import plan_record
from dxmonitor.intake.files import SubmissionFile, read_file
from dxmonitor.intake.kept import recurring_for, unit_index
from dxmonitor.intake.limits import DEFAULT, Limits, ReadError
from dxmonitor.intake.long_format import FIELDS, LongRecord, LongSheet, Origin, cell_text, is_blank
from dxmonitor.intake.names import UnitIndex
from dxmonitor.intake.plan import ImportPlan, PlannedValue, ValueKey
from dxmonitor.intake.recurring import Recurring
from dxmonitor.intake.wide_format import WideTable
from dxmonitor.intake.windows import Window
from dxmonitor.problems import Location, Problem, error

__all__ = [
    "ROUND_CODE",
    "ImportPlan",
    "PlannedValue",
    "Planner",
    "plan_files",
    "plan_records",
    "restrict_to",
    "round_end",
    "unit_index",
]


class Planner:
    """Plans rows into `plan` one at a time: each row's value or its problems; a key planned twice is an error."""

    def __init__(self, plan: ImportPlan, catalogue: Catalogue, index: UnitIndex | None = None):
        self.plan = plan
        self.catalogue = catalogue
        self.default_window = Window(round_end(plan.round_code))
        self.seen: dict[ValueKey, PlannedValue] = {}
        if index is None:  # the catalogue's own: kept from one plan to the next, with its answers
            self.index, self.recurring = recurring_for(catalogue, self.default_window, round_days(plan.round_code))
        else:
            self.index, self.recurring = index, Recurring(catalogue, index, self.default_window)

    def add(self, record: LongRecord, origin: Origin | None = None) -> None:
        """Plan one row with every check."""
        planned = plan_record(record, self.catalogue, self.index, self.default_window, self.plan.problems, origin)
        if planned is not None:
            self._keep(planned, planned.key, record.location)

    def _keep(self, planned: PlannedValue, key: ValueKey, location: Location) -> None:
        first = self.seen.get(key)
        if first is not None:
            self.plan.problems.append(
                error(
                    location,
                    f"trùng số liệu với dòng {first.location.row} ({first.location.file})",
                    f"duplicates row {first.location.row} of {first.location.file}",
                )
            )
            return
        self.seen[key] = planned
        self.plan.values.append(planned)

    def add_sheet(self, sheet: LongSheet) -> int:
        """Plan every row of a long table; the number of rows that were not blank.

        A row whose unit, figure, number and day are all found in `recurring` has nothing to report and is planned
        from those answers; any other row (blank, or with something to say) takes the full checks of `add`."""
        origin = sheet.origin
        # The cells of each field, in one call; a field without a column reads the None added to each row.
        fields = [sheet.fields.get(f, -1) for f in FIELDS]
        cells_of = itemgetter(*fields)
        width = max(fields) + 1
        has_note = fields[FIELDS.index("note")] >= 0
        units, figures, windows = self.recurring.units, self.recurring.figures, self.recurring.windows
        seen, values = self.seen, self.plan.values
        rows = 0
        for row, cells in sheet.rows:
            if len(cells) < width:
                cells = [*cells, *[None] * (width - len(cells))]
            cells.append(None)
            unit_cell, indicator_cell, value_cell, category_cell, as_of_cell, note_cell, measure_cell = cells_of(cells)
            unit = units[unit_cell]
            if unit is None and is_blank(cells):
                continue
            rows += 1
            figure = figures[indicator_cell, category_cell, measure_cell]
            window = windows[as_of_cell]
            value = None if figure is None else figure.number(value_cell)
            if unit is None or value is None or window is None or not unit.valid_on(window.end):
                self.add(sheet.record(row, cells), origin)
                continue
            assert figure is not None
            key = (figure.indicator, unit.code, figure.category, window.key, figure.measure)
            note = cell_text(note_cell) if has_note else ""
            planned = PlannedValue(
                figure.indicator,
                unit.code,
                figure.category,
                window.key,
                value,
                figure.measure,
                note,
                origin,
                row,
                value_cell,
                window.dated,
            )
            if key in seen:
                self._keep(planned, key, origin.location(row))
            else:
                seen[key] = planned
                values.append(planned)
        return rows

    def add_template(self, table: WideTable) -> None:
        """Plan every figure of a template.

        Its codes and its as-of day are resolved once for the whole table, a row's unit once for the row; a figure
        whose unit, code, number and day are all found in `recurring` is planned from those answers, any other takes
        the full checks of `add`, as a long row does in `add_sheet`."""
        recurring, seen, values = self.recurring, self.seen, self.plan.values
        columns = [(recurring.figures[c.indicator, c.category, None], table.origin(c)) for c in table.columns]
        window = recurring.windows[table.as_of]
        # A template comes with the round's last day printed as its as-of day: left so, no day is given.
        dated = window is not None and window.dated and window.key != self.default_window.key
        for row in table.rows:
            number, unit_text, note, filled = row
            unit = recurring.units[unit_text]
            if unit is None or window is None or not unit.valid_on(window.end):
                for place, cell in filled:
                    self._add_from_template(table.record(row, place, cell))
                continue
            code, window_key = unit.code, window.key
            for place, cell in filled:
                figure, origin = columns[place]
                value = None if figure is None else figure.number(cell)
                if value is None:
                    self._add_from_template(table.record(row, place, cell))
                    continue
                assert figure is not None
                indicator, category, measure = figure.indicator, figure.category, figure.measure
                key = (indicator, code, category, window_key, measure)
                planned = PlannedValue(
                    indicator, code, category, window_key, value, measure, note, origin, number, cell, dated
                )
                if seen.setdefault(key, planned) is planned:
                    values.append(planned)
                else:
                    self._keep(planned, key, origin.location(number))

    def _add_from_template(self, record: LongRecord) -> None:
        """A template's figure through the full checks; the round's last day it prints is no day given."""
        before = len(self.plan.values)
        self.add(record)
        if len(self.plan.values) > before and self.plan.values[-1].window == self.default_window.key:
            self.plan.values[-1] = self.plan.values[-1]._replace(dated=False)

    def mark(self) -> tuple[int, int]:
        return len(self.plan.values), len(self.plan.problems)

    def undo(self, mark: tuple[int, int]) -> None:
        """Forget what was planned since `mark`."""
        values, problems = mark
        for planned in self.plan.values[values:]:
            del self.seen[planned.key]
        del self.plan.values[values:]
        del self.plan.problems[problems:]


def plan_file(found: SubmissionFile, planner: Planner | None) -> list[Problem]:
    """Plan the rows of one read file (only count them without a planner); the file's own problems."""
    mark = planner.mark() if planner else (0, 0)
    rows = 0
    try:
        for part in found.parts:
            if isinstance(part, LongSheet):
                rows += planner.add_sheet(part) if planner else sum(not is_blank(cells) for _, cells in part.rows)
                continue
            rows += len(part)
            if planner:
                planner.add_template(part)
    except ReadError as exc:  # a sheet damaged halfway: the file gives that problem alone, as if unreadable at once
        if planner:
            planner.undo(mark)
        found.unreadable(exc)
    if not rows and not found.problems:
        return [found.empty()]
    return found.problems


def plan_records(
    records: Iterable[LongRecord], round_code: str, catalogue: Catalogue, index: UnitIndex | None = None
) -> ImportPlan:
    """Check every row and collect the values it would write; nothing is written here."""
    plan = ImportPlan(round_code)
    if _round_is_valid(plan):
        planner = Planner(plan, catalogue, index)
        for record in records:
            planner.add(record)
    return plan


def _round_is_valid(plan: ImportPlan) -> bool:
    try:
        check_round_code(plan.round_code)
    except RoundCodeError as exc:
        plan.problems.append(error(Location(field="round"), exc.vi, exc.en))
        return False
    return True


def restrict_to(plan: ImportPlan, can_write: Callable[[str], bool], catalogue: Catalogue) -> None:
    """Add an error for every value of a unit the writer may not touch (a reporter's own units only)."""
    for planned in plan.values:
        if not can_write(planned.unit):
            name = catalogue.units[planned.unit].name
            plan.problems.append(
                error(
                    planned.at("unit"),
                    f"không có quyền ghi số liệu của đơn vị '{name}'",
                    f"not allowed to write figures of unit '{name}'",
                )
            )


def plan_files(paths: Iterable[Path], round_code: str, catalogue: Catalogue, limits: Limits = DEFAULT) -> ImportPlan:
    """Read and check every file within `limits`; the plan holds values only if no file has an error.

    The problems of the files themselves (unreadable, past a limit, no table, another round's template) come first."""
    plan = ImportPlan(round_code)
    planner = Planner(plan, catalogue) if _round_is_valid(plan) else None
    file_problems: list[Problem] = []
    for path in paths:
        file_problems += plan_file(read_file(path, round_code, limits), planner)
    plan.problems[:0] = file_problems
    return plan
