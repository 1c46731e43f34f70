"""Figures written in tests as every entry point writes them: through the one write path, as an admin.

As `dxmonitor import` by the operator does, a write naming a new round opens it (the web and the API do not)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dxmonitor.accounts.scope import Principal, Role
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.intake.models import Source
from dxmonitor.intake.planning import ImportPlan
from dxmonitor.intake.service import Writer, read_files, write
from dxmonitor.intake.store import ImportSummary


def admin_writer(user: str = "test", source: str = Source.FILE) -> Writer:
    return Writer(Principal(user, Role.ADMIN, None), source)


def write_plan(plan: ImportPlan, user: str = "test") -> ImportSummary:
    """Write a plan that must be clean; the summary of what it wrote."""
    result = write(plan, get_catalogue(), admin_writer(user), create_round=True)
    assert result.summary is not None, plan.errors
    return result.summary


def import_files(paths: Iterable[Path], round_code: str, user: str = "test") -> ImportSummary:
    """Read and write files that must be clean, as `dxmonitor import` does."""
    return write_plan(read_files(paths, round_code, get_catalogue()), user)


def check_files(paths: Iterable[Path], round_code: str) -> ImportPlan:
    """Every check of the write path on these files, writing nothing: the plan with its problems."""
    plan = read_files(paths, round_code, get_catalogue())
    write(plan, get_catalogue(), admin_writer(), dry_run=True, create_round=True)
    return plan
