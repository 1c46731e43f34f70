"""Writers in separate processes, on a database of their own of the suite's engine (SQLite file or PostgreSQL):
several writers of one figure through the command line, the API and the entry form are ordered and leave an
unbroken history, and a large write racing an approval never changes the figures the approval locked.

The processes use the product's own entry points (tests/race_worker.py); nothing is mocked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

from dxmonitor.demo.loading import demo_rounds

WORKER = Path(__file__).with_name("race_worker.py")
ROUND = "2022-06"
FIGURE_UNIT = "BP.LOC_NINH"  # app.users of Lộc Ninh, written by everyone at once
APPROVED = ("office_software", "BP.DONG_PHU")  # approved while a 5,000-figure write of the dataset is under way


def _server_url(name: str) -> str:
    db = settings.DATABASES["default"]
    user, password = db.get("USER") or "postgres", db.get("PASSWORD") or ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{':' + password if password else ''}@{host}:{port}/{name}"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A database of the suite's engine that other processes see: the catalogue, round 2022-06, a reporter of
    Lộc Ninh with an API key, and an admin. Yields the environment of the processes that use it."""
    home = tmp_path_factory.mktemp("race")
    postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    name = f"dxm_race_{uuid.uuid4().hex[:10]}"
    if postgres:
        with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    url = _server_url(name) if postgres else f"sqlite:///{home / 'race.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "DXMONITOR_HOME": str(home), "DXMONITOR_PASSWORD": "Mật-khẩu-đua-2022"}
    june = next(d for d in demo_rounds() if d.code == ROUND)
    try:
        for command in (
            ["init"],
            ["import", str(june.file), "--round", ROUND],
            ["createuser", "race_reporter", "--role", "reporter", "--unit", FIGURE_UNIT],
            ["createuser", "race_admin", "--role", "admin"],
        ):
            dxmonitor(env, *command)
        env["RACE_KEY"] = dxmonitor(env, "token", "create", "race", "--unit", FIGURE_UNIT).strip().splitlines()[-1]
        yield env
    finally:
        if postgres:
            with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def dxmonitor(env: dict[str, str], *args: str, check: bool = True) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "dxmonitor.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    if check:
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str]) -> list[dict[str, Any]]:
    """The worker's JSON lines after it ends (a worker that crashed fails the test with its traceback)."""
    out, err = process.communicate(timeout=300)
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert lines and lines[0]["event"] == "ready", err
    return lines[1:]


def audit_counts(env: dict[str, str]) -> tuple[int, int]:
    """`dxmonitor audit` of the round must pass; (figures, changes) from its last line."""
    done = subprocess.run(
        [sys.executable, "-m", "dxmonitor.cli", "audit", "--round", ROUND], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.splitlines()[-1]  # "Kỳ 2022-06: 1234 số liệu, 1300 lần thay đổi, 0 chỗ đứt / …"
    figures, changes = (int(part.split()[0]) for part in last.split(": ", 1)[1].split(", ")[:2])
    return figures, changes


def test_writers_of_one_figure_through_cli_api_and_form_are_ordered_and_the_audit_finds_no_break(
    scratch: dict[str, str],
) -> None:
    _, changes_before = audit_counts(scratch)
    writers = {
        via: start(
            scratch,
            "write",
            "--via",
            via,
            "--unit",
            FIGURE_UNIT,
            "--key",
            scratch["RACE_KEY"],
            "--values",
            ",".join(str(base + i) for i in range(12)),
        )
        for via, base in (("cli", 10_000), ("api", 20_000), ("form", 30_000))
    }
    results = {via: [line["result"] for line in finish(process)] for via, process in writers.items()}

    assert {r for found in results.values() for r in found} <= {"ok", "busy"}, results
    written = sum(r == "ok" for found in results.values() for r in found)
    assert all("ok" in found for found in results.values()), results
    _, changes_after = audit_counts(scratch)  # passes: each change starts where the one before ended
    assert changes_after - changes_before == written  # and none was lost or written twice


def test_a_large_write_racing_an_approval_never_changes_the_approved_figures(
    scratch: dict[str, str], tmp_path: Path
) -> None:
    dataset, unit = APPROVED
    orders: list[str] = []
    # Each attempt either sends the approval at once, before the write takes its locks, or once the write holds the
    # unit's lock (the approver watches for it: PostgreSQL's advisory lock, SQLite's write lock), until both orders
    # were seen. Approvals sent after fixed delays needed thirteen attempts (the suite's slowest test) and could still
    # miss the short time the write holds its locks on a loaded machine.
    for attempt in range(8):
        signal = tmp_path / f"sent-{attempt}"
        assert finish(start(scratch, "reset", "--dataset", dataset, "--unit", unit))[0]["status"] == "submitted"
        bulk = start(scratch, "bulk", "--items", "5000", "--base", str(1000 * (attempt + 1)), "--signal", str(signal))
        when = ["--when-locked"] if "approval waited for the write" not in orders and attempt % 2 else []
        approver = start(scratch, "approve", "--dataset", dataset, "--unit", unit, "--signal", str(signal), *when)
        [written], [approval] = finish(bulk), finish(approver)
        [now] = finish(start(scratch, "figures", "--dataset", dataset, "--unit", unit))

        assert now["figures"] == approval["figures"], f"attempt {attempt}: the approved figures changed afterwards"
        if written["status"] == 200:  # the write came first: the approval waited for it and approved its figures
            waited = approval["started"] < written["ended"]
            orders.append("approval waited for the write" if waited else "write, then approval")
        else:  # the approval came first: the write was refused as a whole, naming the lock
            assert written["status"] == 422, written
            assert all("approved and locked" in e["message_en"] for e in written["body"]["errors"]), written
            orders.append("approval, then write")
        if {"approval, then write", "approval waited for the write"} <= set(orders):
            break
    # Both sides of the race ran, and at least once the approval arrived while the write was under way.
    assert {"approval, then write", "approval waited for the write"} <= set(orders), orders
    audit_counts(scratch)
