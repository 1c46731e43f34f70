"""A separate process that writes or approves figures through the product's own entry points, for the concurrency
tests (tests/test_concurrency.py). It is not a test itself: each run prints one JSON line per action it took.

    python tests/race_worker.py write --via cli|api|form --unit CODE --values 1,2,3 [--key KEY]
    python tests/race_worker.py bulk --items N --base B [--signal FILE]   # one API write of N items, as an admin
    python tests/race_worker.py approve --dataset CODE --unit CODE [--signal FILE] [--delay SECONDS | --when-locked]
    python tests/race_worker.py reset --dataset CODE --unit CODE    # reopened if approved, then submitted
    python tests/race_worker.py figures --dataset CODE --unit CODE  # the unit's figures of the dataset

DATABASE_URL and DXMONITOR_HOME say which database and folder; the round is always 2022-06.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

ROUND = "2022-06"
AS_OF = "19/07/2022"
FIRST_DAY = date(2022, 5, 1)


def say(**fields: Any) -> None:
    print(json.dumps(fields, default=str), flush=True)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxmonitor.project.settings")
    import django

    django.setup()


def client_of(username: str) -> Any:
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def write_one(via: str, unit: str, value: int, key: str, folder: Path) -> str:
    """Write app.users of `unit` as of the round's day through one entry point; "ok", "busy" or the error."""
    from django.core.management import call_command
    from django.test import Client

    if via == "cli":
        path = folder / f"{unit}-{value}.csv"
        path.write_text(f"don_vi,chi_tieu,gia_tri,ngay_so_lieu\n{unit},app.users,{value},{AS_OF}\n", encoding="utf-8")
        err = StringIO()
        try:
            call_command("import", str(path), round=ROUND, user="race_reporter", stdout=StringIO(), stderr=err)
        except SystemExit:
            return err.getvalue().strip()
        except Exception as exc:  # CommandError: the busy refusal, among others
            return "busy" if "thử lại" in str(exc) else repr(exc)
        return "ok"
    if via == "api":
        response = Client().post(
            f"/api/rounds/{ROUND}/values",
            [{"unit": unit, "indicator": "app.users", "value": value, "as_of": AS_OF}],
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        if response.status_code == 200:
            return "ok"
        return "busy" if response.status_code == 409 else f"{response.status_code} {response.content[:300]!r}"
    response = client_of("race_reporter").post(
        f"/rounds/{ROUND}/entry/app_users/{unit}",
        {"value:app.users": str(value), "as_of:app.users": AS_OF, "do": "save"},
    )
    if response.status_code == 302:
        return "ok"
    return "busy" if response.status_code == 409 else f"{response.status_code}"


def bulk_items(count: int, base: int) -> list[dict[str, object]]:
    """`count` different figures of the office_software dataset: every unit, two counts, one a day."""
    from dxmonitor.catalogue.current import get_catalogue
    from dxmonitor.catalogue.tree import dataset_units

    catalogue = get_catalogue()  # the units of 2022's tree: the rounds raced on are of 2022
    units = dataset_units(
        catalogue.datasets["office_software"].units, catalogue, (date(2022, 1, 1), date(2022, 12, 31))
    )
    items: list[dict[str, object]] = []
    for indicator in ("office.paperless_meetings", "office.video_conferences"):
        for day in range(121):
            for unit in units:
                if len(items) == count:
                    return items
                as_of = (FIRST_DAY + timedelta(days=day)).strftime("%d/%m/%Y")
                items.append({"unit": unit, "indicator": indicator, "value": base + day, "as_of": as_of})
    return items


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["write", "bulk", "approve", "reset", "figures"])
    parser.add_argument("--via", default="cli")
    parser.add_argument("--unit", default="")
    parser.add_argument("--dataset", default="")
    parser.add_argument("--values", default="")
    parser.add_argument("--key", default="")
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--base", type=int, default=1)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--when-locked", action="store_true", help="approve: once the write holds the unit's lock")
    parser.add_argument("--signal", default="", help="bulk: a file made just before sending; approve: waited for")
    args = parser.parse_args()
    setup()
    say(event="ready", at=time.time())
    if args.action == "write":
        with tempfile.TemporaryDirectory() as folder:
            for value in (int(v) for v in args.values.split(",")):
                result = write_one(args.via, args.unit, value, args.key, Path(folder))
                say(event="write", via=args.via, value=value, result=result)
    elif args.action == "bulk":
        items = bulk_items(args.items, args.base)
        admin = client_of("race_admin")  # signed in before the signal: the sign-in's own write is not the race's
        if args.signal:
            Path(args.signal).touch()
        started = time.time()
        response = admin.post(f"/api/rounds/{ROUND}/values", items, content_type="application/json")
        say(event="bulk", status=response.status_code, started=started, ended=time.time(), body=response.json())
    else:
        approve_or_reset(args.action, args.dataset, args.unit, args.delay, args.signal, args.when_locked)


def figures_of(round_: Any, dataset: Any, unit: Any) -> list[tuple[str, str, str]]:
    from dxmonitor.intake.models import Value

    found = Value.objects.filter(round=round_, unit=unit, indicator__code__in=dataset.indicators.values("code"))
    return sorted((v.indicator.code, v.window, str(v.value)) for v in found.select_related("indicator"))


def write_lock_held(round_id: int, unit_id: int) -> bool:
    """Whether another process holds the write lock of this unit in this round now (intake/locks.py): PostgreSQL's
    advisory lock of (round, unit); SQLite's one write lock, which a BEGIN IMMEDIATE that may not wait cannot get."""
    import sqlite3

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid = %s AND objid = %s AND objsubid = 2",
                [round_id, unit_id],
            )
            return bool(cursor.fetchone()[0])
    probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def approve_or_reset(
    action: str, dataset_code: str, unit_code: str, delay: float, signal: str, when_locked: bool = False
) -> None:
    from dxmonitor.accounts.cli import command_line_principal
    from dxmonitor.catalogue.models import Dataset, Round, Unit
    from dxmonitor.intake.models import Submission
    from dxmonitor.intake.submissions import act
    from dxmonitor.intake.workflow import Action, Refusal

    dataset, unit = Dataset.objects.get(code=dataset_code), Unit.objects.get(code=unit_code)
    round_ = Round.objects.get(code=ROUND)
    admin = command_line_principal("race_admin")
    if action == "figures":
        say(event="figures", figures=figures_of(round_, dataset, unit))
        return
    if action == "reset":
        found = Submission.objects.filter(round=round_, dataset=dataset, unit=unit).first()
        if found is not None and found.status == "approved":
            act(round_, dataset, unit, Action.REOPEN, admin, "lần thử tiếp theo / next try")
        result = act(round_, dataset, unit, Action.SUBMIT, admin)
        say(event="reset", status=result.en if isinstance(result, Refusal) else result.status)
        return
    while signal and not Path(signal).exists():  # the write is about to be sent: count the delay from there
        time.sleep(0.002)
    time.sleep(delay)
    waited_since = time.time()
    while when_locked and not write_lock_held(round_.id, unit.id) and time.time() - waited_since < 300:
        time.sleep(0.001)
    started = time.time()
    approved = act(round_, dataset, unit, Action.APPROVE, admin)
    ended = time.time()
    if isinstance(approved, Refusal):
        say(event="approve", refused=approved.en)
        sys.exit(1)
    # Read at once: from now on no write of these figures can land, so these are the approved figures.
    say(event="approve", started=started, ended=ended, figures=figures_of(round_, dataset, unit))


if __name__ == "__main__":
    main()
