"""`dxmonitor check --deploy`: Django's system checks, reachable although the project's own `check` has the name, and
clean with the settings of a real deployment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

DXMONITOR = str(Path(sys.executable).parent / "dxmonitor")


def dxmonitor(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `.venv/bin/dxmonitor ARGS` with only the given DXMONITOR_* settings, under a home of its own."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("DXMONITOR_") and k != "DATABASE_URL"}
    full.update(DXMONITOR_HOME=str(tmp_path), **env)
    return subprocess.run([DXMONITOR, *args], env=full, capture_output=True, text=True, check=False)


PRODUCTION = {
    "DXMONITOR_HTTPS": "1",
    "DXMONITOR_SECRET_KEY": secrets.token_urlsafe(50),
    "DXMONITOR_ALLOWED_HOSTS": "dxmonitor.binhphuoc.gov.vn",
    "DXMONITOR_CSRF_TRUSTED_ORIGINS": "https://dxmonitor.binhphuoc.gov.vn",
}


def test_the_deploy_check_is_clean_with_the_production_settings(tmp_path: Path) -> None:
    run = dxmonitor(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert (run.returncode, run.stdout, run.stderr) == (0, "System check identified no issues (0 silenced).\n", "")


def test_the_deploy_check_names_what_a_laptops_settings_lack(tmp_path: Path) -> None:
    run = dxmonitor(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    found = sorted(line.split(")")[0].split("(")[1] for line in run.stderr.splitlines() if line.startswith("?: ("))
    assert (run.returncode, found) == (
        1,
        ["security.W004", "security.W008", "security.W009", "security.W012", "security.W016"],
    )


def test_turning_hsts_preload_off_is_reported(tmp_path: Path) -> None:
    run = dxmonitor(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, DXMONITOR_HSTS_PRELOAD="0")
    assert run.returncode == 1 and "(security.W021)" in run.stderr


def test_check_without_a_round_runs_djangos_system_checks() -> None:
    out = StringIO()
    call_command("check", stdout=out)
    assert out.getvalue() == "System check identified no issues (0 silenced).\n"


def test_check_lists_its_tags_as_django_does() -> None:
    out = StringIO()
    call_command("check", "--list-tags", "--deploy", stdout=out)
    assert {"security", "database", "models", "urls"} <= set(out.getvalue().split())


def test_a_baseline_without_a_round_is_refused() -> None:
    with pytest.raises(CommandError, match="--baseline needs --round"):
        call_command("check", "--baseline", "2022-05")
