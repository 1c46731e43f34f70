"""A report job end to end on the embedded (database) queue, run by `dxmonitor worker` as a separate process, on
the suite's engine (SQLite file or a PostgreSQL database of its own): the job is asked for through the API by a
signed-in admin, the worker takes it from the queue, its progress moves and the files appear."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

from dxmonitor.demo.loading import demo_rounds

pytestmark = pytest.mark.slow
ROUND = "2022-06"

START = """
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxmonitor.project.settings")
django.setup()
from django.contrib.auth.models import User
from django.test import Client
client = Client()
client.force_login(User.objects.get(username="job_admin"))
answer = client.post("/api/rounds/2022-06/report", {"incomplete_reason": "Thử lập báo cáo"},
                     content_type="application/json")
print(answer.status_code, json.dumps(answer.json()))
"""


def _server_url(name: str) -> str:
    db = settings.DATABASES["default"]
    user, password = db.get("USER") or "postgres", db.get("PASSWORD") or ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{':' + password if password else ''}@{host}:{port}/{name}"


def dxmonitor(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "dxmonitor.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A database other processes see (the suite's engine), with the catalogue, June and an admin."""
    home = tmp_path_factory.mktemp("jobs")
    postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    name = f"dxm_jobs_{uuid.uuid4().hex[:10]}"
    if postgres:
        with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    url = _server_url(name) if postgres else f"sqlite:///{home / 'jobs.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "DXMONITOR_HOME": str(home), "DXMONITOR_PASSWORD": "Mật-khẩu-việc-2022"}
    june = next(d for d in demo_rounds() if d.code == ROUND)
    try:
        dxmonitor(env, "init")
        dxmonitor(env, "import", str(june.file), "--round", ROUND)
        dxmonitor(env, "createuser", "job_admin", "--role", "admin")
        yield env
    finally:
        if postgres:
            with psycopg.connect(_server_url("postgres"), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def job_row(env: dict[str, str], job_id: int) -> tuple[Any, ...]:
    """(state, progress, step) of the job, read straight from the database while the worker runs."""
    query = "SELECT state, progress, step FROM publishing_job WHERE id = %s"
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=20) as conn:
            row = conn.execute(query.replace("%s", "?"), (job_id,)).fetchone()
    else:
        with psycopg.connect(url) as pg:
            row = pg.execute(query, (job_id,)).fetchone()
    assert row is not None
    return tuple(row)


def test_the_worker_process_takes_the_job_from_the_queue_and_its_progress_moves_until_the_files_appear(
    scratch: dict[str, str],
) -> None:
    started = subprocess.run([sys.executable, "-c", START], env=scratch, capture_output=True, text=True, timeout=120)
    status, body = started.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "202", started.stdout + started.stderr
    job_id = int(body.split('"id": ')[1].split(",")[0])
    assert job_row(scratch, job_id) == ("queued", 0, "queued")

    worker = subprocess.Popen(
        [sys.executable, "-m", "dxmonitor.cli", "worker", "--batch", "--interval", "0.2"],
        env=scratch,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen = []
    while worker.poll() is None:
        row = job_row(scratch, job_id)
        if not seen or seen[-1] != row:
            seen.append(row)
        time.sleep(0.1)
    output = worker.communicate()[0]

    assert worker.returncode == 0, output
    assert job_row(scratch, job_id) == ("done", 100, "done")
    steps = [step for _, _, step in seen]
    assert "pdf" in steps, seen  # LibreOffice takes seconds: the page would show this step
    progress = [p for _, p, _ in seen]
    assert progress == sorted(progress) and any(0 < p < 100 for p in progress), seen
    out = Path(scratch["DXMONITOR_HOME"]) / "out"
    assert (out / f"bao-cao-{ROUND}.pdf").read_bytes().startswith(b"%PDF")
    assert (out / f"bao-cao-{ROUND}.docx").read_bytes().startswith(b"PK")
    assert (out / f"bao-cao-{ROUND}.html").is_file()


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_answers(REDIS_URL), reason=f"no Redis answers at {REDIS_URL}")
def test_with_the_redis_backend_the_same_command_runs_rq_s_worker_and_the_job_ends_done(
    scratch: dict[str, str],
) -> None:
    env = {**scratch, "DXMONITOR_TASKS_BACKEND": "redis", "DXMONITOR_REDIS_URL": REDIS_URL}
    out = Path(scratch["DXMONITOR_HOME"]) / "out"
    for old in out.glob("bao-cao-*"):
        old.unlink()
    started = subprocess.run([sys.executable, "-c", START], env=env, capture_output=True, text=True, timeout=120)
    status, body = started.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "202", started.stdout + started.stderr
    job_id = int(body.split('"id": ')[1].split(",")[0])

    worker = subprocess.run(
        [sys.executable, "-m", "dxmonitor.cli", "worker", "--batch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert worker.returncode == 0, worker.stdout + worker.stderr
    assert job_row(scratch, job_id) == ("done", 100, "done")
    assert (out / f"bao-cao-{ROUND}.pdf").read_bytes().startswith(b"%PDF")
