"""The one write path of figures: a file, the entry form, the API, the command line and computed figures all write
through `write`.

It holds the round's locks of the units it writes (`intake.locks`) before it checks anything or reads what it
replaces: the writer's scope, approved (locked) submissions, the days the round accepts, the datasets' rules and
the stored figures. So an approval either comes before the write (which is then refused) or after it (and sees it),
and of two writers of one figure the second reads the first's value as the old one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dxmonitor.accounts.scope import Principal
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Round, Unit
from dxmonitor.catalogue.round_store import open_round, record, unknown_round
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.intake.days import ReportingDays
from dxmonitor.intake.limits import Limits
from dxmonitor.intake.locks import hold_units, write_transaction
from dxmonitor.intake.planning import ImportPlan, plan_files, restrict_to, round_end
from dxmonitor.intake.queries import round_facts
from dxmonitor.intake.store import ImportSummary, compare, settle_undated, store_plan
from dxmonitor.intake.submissions import check_locks
from dxmonitor.intake.validation import Key, validate
from dxmonitor.problems import Location, Problem, error

__all__ = ["WriteResult", "Writer", "current_limits", "read_files", "write"]


@dataclass(frozen=True)
class Writer:
    """Who writes (their scope decides which units) and how: file, form, api or computed."""

    principal: Principal
    source: str

    @property
    def name(self) -> str:
        return self.principal.name


@dataclass
class WriteResult:
    """The plan with every problem found, and what was written (or in a dry run would be); no summary if refused."""

    plan: ImportPlan
    summary: ImportSummary | None = None
    outside: list[Problem] = field(default_factory=list)  # the errors about units outside the writer's scope

    @property
    def ok(self) -> bool:
        return self.summary is not None


def current_limits() -> Limits:
    """The reading limits as the settings (the environment) give them."""
    given = settings.INTAKE_LIMITS
    return Limits(
        file_bytes=int(given["file_bytes"]),
        unpacked_bytes=int(given["unpacked_bytes"]),
        sheets=int(given["sheets"]),
        rows=int(given["rows"]),
        cells=int(given["cells"]),
        errors_shown=int(given["errors_shown"]),
        seconds=float(given["seconds"]),
    )


def read_files(paths: Iterable[Path], round_code: str, catalogue: Catalogue) -> ImportPlan:
    """The files' rows as a plan, within the reading limits, with every problem of the files themselves (a file
    past a limit gives that problem alone); touches no database."""
    return plan_files(paths, round_code, catalogue, current_limits())


def _main_values(round_: Round | None) -> dict[Key, Decimal]:
    if round_ is None:
        return {}
    return {key: fact.value for key, fact in round_facts(round_).main().items()}


def _check_rules(plan: ImportPlan, catalogue: Catalogue, round_: Round, created: bool) -> None:
    """The datasets' validation rules, against this round's stored figures and its baseline's."""
    if not plan.values:
        return
    previous = round_.effective_baseline()
    validate(plan, catalogue, stored=_main_values(None if created else round_), previous=_main_values(previous))


def guard(
    plan: ImportPlan,
    catalogue: Catalogue,
    can_write: Callable[[str], bool],
    round_: Round,
    created: bool,
    is_admin: bool = False,
    unplaced: tuple[str, str] | None = None,
) -> list[Problem]:
    """Every check beyond the rows themselves, holding the locks; returns the errors about the writer's scope.

    A closed round takes no figure but an admin's; a reporter whose unit is not on the round's tree (`unplaced`: why,
    from `Principal.on`) none at all."""
    before = len(plan.problems)
    if round_.is_closed and not is_admin:
        when = timezone.localtime(round_.closed_at).strftime("%d/%m/%Y") if round_.closed_at else ""
        plan.problems.append(
            error(
                Location(field="round"),
                f"kỳ báo cáo {round_.code} đã đóng ngày {when}; chỉ quản trị còn ghi được số liệu của kỳ này",
                f"round {round_.code} was closed on {when}; only an admin may still write its figures",
            )
        )
        return []
    if unplaced is not None and plan.values:
        (vi, en), code = unplaced, round_.code
        problem = error(Location(field="round"), f"không ghi được kỳ {code}: {vi}", f"cannot write round {code}: {en}")
        plan.problems.append(problem)
    else:
        restrict_to(plan, can_write, catalogue)
    outside = plan.problems[before:]
    check_locks(plan, catalogue)
    deadline = round_.deadline.date() if round_.deadline else None
    days = ReportingDays.of(round_end(plan.round_code), deadline, settings.AS_OF_MARGIN_DAYS)
    plan.problems.extend(days.problems(plan))
    if plan.ok:  # the rules speak of figures about to be written; beside errors they would only add noise
        _check_rules(plan, catalogue, round_, created)
    return outside


def write(
    plan: ImportPlan, catalogue: Catalogue, writer: Writer, *, dry_run: bool = False, create_round: bool = False
) -> WriteResult:
    """Check a plan holding its locks and write it all or nothing; `dry_run`: check and compare, write nothing.

    A round that does not exist is refused, naming the open ones; only `create_round` (the operator's
    `dxmonitor import`) opens it, with the defaults of a new round.
    Raises `intake.locks.Busy` when another write holds the same units longer than the settings let us wait."""
    if not plan.ok:  # the rows themselves are wrong: nothing to lock
        return WriteResult(plan)
    with write_transaction():
        round_ = Round.objects.filter(code=plan.round_code).first()
        created = round_ is None
        if round_ is None:
            if not create_round:
                plan.problems.append(unknown_round(plan.round_code))
                return WriteResult(plan)
            round_ = open_round(plan.round_code, writer.name, reason="dxmonitor import")
        units = Unit.objects.filter(code__in={v.unit for v in plan.values}).values_list("pk", flat=True)
        hold_units(round_.pk, units)
        settle_undated(plan, None if created else round_)
        # the writer's units on the tree of the round's days: a reporter of an ended district writes nothing after it
        principal = writer.principal.on(catalogue, round_days(round_.code))
        outside = guard(plan, catalogue, principal.can_write, round_, created, principal.is_admin, principal.unplaced)
        if not plan.ok:
            transaction.set_rollback(True)
            return WriteResult(plan, None, outside)
        if dry_run:
            summary = compare(plan, None if created else round_)
            transaction.set_rollback(True)  # a round made only to be checked against goes too
            return WriteResult(plan, summary, outside)
        summary = store_plan(plan, round_, user=writer.name, source=writer.source, round_created=created)
        if round_.is_closed:  # an admin's correction of a closed round: said in the round's own record too
            record(round_, "written", writer.name, f"{writer.source}: {summary.line()}")
    return WriteResult(plan, summary, outside)
