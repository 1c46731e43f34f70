"""The import as every entry point runs it (command line, upload page, API): read, check, rules, scope."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Round
from dxmonitor.intake.limits import Limits
from dxmonitor.intake.planning import ImportPlan, plan_files, restrict_to
from dxmonitor.intake.queries import round_facts
from dxmonitor.intake.submissions import check_locks
from dxmonitor.intake.validation import Key, validate


def _main_values(round_: Round | None) -> dict[Key, Decimal]:
    if round_ is None:
        return {}
    return {key: fact.value for key, fact in round_facts(round_).main().items()}


def check_rules(plan: ImportPlan, catalogue: Catalogue) -> None:
    """The datasets' validation rules, against this round's stored figures and last round's."""
    if not plan.values:
        return
    current = Round.objects.filter(code=plan.round_code).first()
    previous = (
        current.effective_baseline()
        if current
        else Round.objects.filter(code__lt=plan.round_code).order_by("-code").first()
    )
    validate(plan, catalogue, stored=_main_values(current), previous=_main_values(previous))


def guard(plan: ImportPlan, catalogue: Catalogue, can_write: Callable[[str], bool] | None = None) -> ImportPlan:
    """Every check beyond the file itself: the writer's units, approved (locked) submissions, the datasets' rules."""
    if can_write is not None:
        restrict_to(plan, can_write, catalogue)
    check_locks(plan, catalogue)
    if plan.ok:  # the rules speak of figures about to be written; beside errors they would only add noise
        check_rules(plan, catalogue)
    return plan


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


def prepare(
    paths: Iterable[Path], round_code: str, catalogue: Catalogue, can_write: Callable[[str], bool] | None = None
) -> ImportPlan:
    """A checked plan for the files: format, names, numbers, then `guard`."""
    return guard(plan_files(paths, round_code, catalogue, current_limits()), catalogue, can_write)
