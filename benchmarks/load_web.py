"""Latency and throughput of the web pages under 50 concurrent clients, beside a trivial view of the same server.

A fresh PostgreSQL database (`dxm_load`) gets ten years of monthly rounds (2015-01 … 2024-12) for 200 units:
the shipped catalogue's 81 units plus 119 synthetic communes under its districts, written to a temporary
catalogue folder (DXMONITOR_CATALOGUE_DIR). Every dataset that has more than one unit lists all 200 (its own
units first, in their order), so that each of its tables expects a figure of every unit: more than any real
table holds (the shipped ones list 11 to 38 units), which keeps the load on the safe side. Province-only
datasets (portal, hotline…) keep the province alone. Every non-derived indicator and category gets a figure of
every unit of its datasets in every round, written with COPY; the figures follow the datasets' rules (parts add
up to their total, a part stays under its limit, running totals grow).

`dxmonitor serve` (gunicorn, 2 workers) then answers on 127.0.0.1, and wrk (Debian's; installed with apt-get
when missing and run as root) loads, one after the other, with one client and then with 50:

- a static file (`/static/web/app.css`, whitenoise: the WSGI stack without a view) — the floor;
- the trivial view: the login page for an anonymous client, a small template through every middleware;
- the trivial view of a signed-in member: the password form (`/password/`), the same small page behind the
  login: what the dashboard cannot avoid either (the session, the user and their role, the member's layout);
- a signed-in page that computes no figure (`/datasets`, the catalogue's datasets): the floor of a page behind
  the login (a session, the user and their role read from the database);
- the dashboard of the latest round (`/`) and its JSON (`/index.json`), signed in as a viewer;
- `GET /api/rounds/2024-12/values?limit=100` with an API key of the province.

A Lua `done` function prints the percentiles (p95 included) and counts every answer that is not a 2xx (wrk
counts only 4xx/5xx: a redirect to the login page would pass). The server is stopped and the database dropped
at the end.

    .venv/bin/python benchmarks/load_web.py [--seconds 30] [--connections 50] [--workers 2]
"""

from __future__ import annotations

import argparse
import calendar
import concurrent.futures
import contextlib
import http.cookiejar
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import yaml

from dxmonitor.catalogue.loading import DATA_DIR, Catalogue, load_catalogue

ROOT = Path(__file__).resolve().parent.parent
DXMONITOR = str(ROOT / ".venv" / "bin" / "dxmonitor")
UNITS = 200
FIRST_YEAR, LAST_YEAR = 2015, 2024
LATEST = f"{LAST_YEAR}-12"
PASSWORD = "bench-dxmonitor-load"  # a throw-away account in a throw-away database
VALUE_COLUMNS = (
    "round_id",
    "indicator_id",
    "unit_id",
    "category",
    "window",
    "value",
    "source",
    "source_ref",
    "note",
    "updated_by",
    "updated_at",
)
GOAL = 3.0  # dashboard p95 within 3x of the trivial view's


# --- the data --------------------------------------------------------------------------------------------------


def write_catalogue(folder: Path) -> Catalogue:
    """The shipped catalogue plus synthetic communes up to UNITS units; every multi-unit dataset lists them all."""
    shutil.copytree(DATA_DIR, folder)
    real = load_catalogue(DATA_DIR)
    reporting = [u for u in real.units.values() if u.kind != "group"]
    districts = [u for u in reporting if u.kind == "district"]
    communes = []
    for n in range(UNITS - len(reporting)):
        district = districts[n % len(districts)]
        communes.append(
            {
                "code": f"{district.code}.X{n + 1:03d}",
                "name": f"Xã Thử Nghiệm {n + 1:03d} ({district.short_name})",
                "short_name": f"Xã TN {n + 1:03d}",
                "kind": "commune",
                "parent": district.code,
            }
        )
    (folder / "units" / "synthetic.yaml").write_text(
        yaml.safe_dump({"units": communes}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    everyone = [u.code for u in reporting] + [c["code"] for c in communes]
    for path in (folder / "datasets").glob("*.yaml"):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for dataset in spec["datasets"]:
            if len(dataset["units"]) > 1:  # the table's own order first, then everyone else
                dataset["units"] += [u for u in everyone if u not in dataset["units"]]
        path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    catalogue = load_catalogue(folder)
    assert sum(1 for u in catalogue.units.values() if u.kind != "group") == UNITS
    return catalogue


def round_codes() -> list[str]:
    return [f"{y}-{m:02d}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)]


def month_end(code: str) -> date:
    year, month = (int(p) for p in code.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


def figures(catalogue: Catalogue, seed: int = 2022) -> list[tuple[str, str, str, list[Decimal]]]:
    """(indicator, unit, category, one value a round) for every non-derived indicator and category of every unit
    of its datasets; parts add up to their total, a part stays under its limit, running totals grow."""
    rng = random.Random(seed)
    codes = round_codes()
    out: list[tuple[str, str, str, list[Decimal]]] = []
    seen: set[tuple[str, str]] = set()
    limits = {  # not_above rules: the part is a share of its limit
        rule.indicator: rule.limit
        for ds in catalogue.datasets.values()
        for rule in ds.rules
        if rule.rule == "not_above" and rule.indicator and isinstance(rule.limit, str)
    }
    yearly = {i for ds in catalogue.datasets.values() if ds.window == "year_to_date" for i in ds.indicators}
    for ds in catalogue.datasets.values():
        for unit in ds.units:
            if catalogue.units[unit].kind == "group":
                continue
            made: dict[str, list[Decimal]] = {}
            order = sorted(
                (i for i in ds.indicators if catalogue.indicators[i].derived is None),
                key=lambda i: i in limits,  # limits first, then the parts under them
            )
            for code in order:
                if (code, unit) in seen:
                    continue
                seen.add((code, unit))
                ind = catalogue.indicators[code]
                members = [f"{d}={m}" for d, ms in ind.disaggregation.items() for m in ms]
                parts = [series_of(ind.kind, ind.cumulative, code in yearly, codes, rng) for _ in members or [""]]
                total = [sum(p[r] for p in parts) for r in range(len(codes))]
                limit = made.get(limits.get(code, ""))
                if limit is not None:  # scaled down to a share of the limit, never up
                    share = Decimal(f"{rng.uniform(0.3, 1.0):.3f}")
                    scale = [
                        min(Decimal(1), limit[r] * share / total[r]) if total[r] else Decimal(0)
                        for r in range(len(codes))
                    ]
                    parts = [[(p[r] * scale[r]).quantize(Decimal(1)) for r in range(len(codes))] for p in parts]
                    total = [sum(p[r] for p in parts) for r in range(len(codes))]
                made[code] = total
                out.append((code, unit, "", total))
                if members:
                    out.extend((code, unit, member, part) for member, part in zip(members, parts, strict=True))
    return out


def series_of(kind: str, cumulative: bool, yearly: bool, codes: list[str], rng: random.Random) -> list[Decimal]:
    """A figure a round: a rate that wanders within 0–100, a count around its level, or a running total that grows
    (from zero each January when it runs from the start of the year)."""
    if kind == "percent":
        level = rng.uniform(40, 99)
        values = []
        for _ in codes:
            level = min(100.0, max(0.0, level + rng.gauss(0.4, 3)))
            values.append(Decimal(f"{level:.2f}"))
        return values
    scale = 10 ** rng.uniform(1, 4) * (1_000_000 if kind == "amount" else 1)
    if not cumulative:
        return [Decimal(round(scale * rng.uniform(0.5, 1.5))) for _ in codes]
    total, values = 0.0, []
    for code in codes:
        if yearly and code.endswith("-01"):
            total = 0.0
        total += scale * rng.uniform(0, 0.2)
        values.append(Decimal(round(total)))
    return values


def load_history(url: str, catalogue: Catalogue) -> tuple[int, float]:
    """Write the rounds and their values (COPY); return the values written and the seconds taken."""
    start = time.perf_counter()
    series = figures(catalogue)
    codes = round_codes()
    now = datetime.now(UTC)
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO catalogue_round (code, name, report_number, report_date, created_at)"
            " VALUES (%s, %s, %s, %s, %s)",
            [
                (c, f"tháng {int(c[5:])}/{c[:4]}", f"{int(c[5:]):02d}/BC-STTTT", month_end(c).replace(day=20), now)
                for c in codes
            ],
        )
        rounds = dict(cur.execute("SELECT code, id FROM catalogue_round").fetchall())
        units = dict(cur.execute("SELECT code, id FROM catalogue_unit").fetchall())
        indicators = dict(cur.execute("SELECT code, id FROM catalogue_indicator").fetchall())
        columns = ", ".join(f'"{c}"' for c in VALUE_COLUMNS)  # "window" is a reserved word in PostgreSQL
        written = 0
        with cur.copy(f"COPY intake_value ({columns}) FROM STDIN") as copy:
            for r, code in enumerate(codes):
                window = month_end(code).isoformat()
                for indicator, unit, category, values in series:
                    key = (rounds[code], indicators[indicator], units[unit], category, window)
                    copy.write_row((*key, values[r], "file", "", "", "bench", now))
                    written += 1
        new_revision(cur)
        cur.execute("ANALYZE")
    return written, time.perf_counter() - start


def new_revision(cur: psycopg.Cursor[Any]) -> None:
    """What dxmonitor's own writes do (intake/revision.py): a new token, so no page computed before is used."""
    cur.execute("UPDATE intake_revision SET token = md5(random()::text)")


# --- the server and the load -----------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: sudo apt-get install wrk")
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or "wrk"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dxmonitor(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([DXMONITOR, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"dxmonitor {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def wait_until_up(base: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped; see its log")
        try:
            with urllib.request.urlopen(base + "/login/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise SystemExit("the server did not answer within a minute")


def session_cookie(base: str, username: str) -> str:
    """Sign in through the login form, as a browser would; the Cookie header of the signed-in session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token, "no CSRF token in the login form"
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]})
    landed = opener.open(base + "/login/", body.encode())
    assert urllib.parse.urlparse(landed.url).path == "/", f"sign-in failed: landed on {landed.url}"
    return "; ".join(f"{c.name}={c.value}" for c in jar)


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    headers: dict[str, str]


LUA = """
{headers}
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status < 200 or status > 299 then bad = bad + 1 end end
function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do bad_total = bad_total + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {{"requests": %d, "seconds": %.3f, "p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, ' ..
    '"non2xx": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, bad_total, e.connect, e.read, e.write, e.timeout))
end
"""


def run_wrk(wrk: str, base: str, target: Target, connections: int, seconds: int, folder: Path) -> dict[str, Any]:
    script = folder / "load.lua"
    headers = "\n".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in target.headers.items())
    script.write_text(LUA.format(headers=headers), encoding="utf-8")
    # A request still unanswered when the run ends is not counted; one slower than the run itself is a timeout.
    command = [wrk, f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", f"--timeout={seconds}s"]
    done = subprocess.run([*command, "-s", str(script), base + target.path], capture_output=True, text=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed on {target.path}:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    return result | {"connections": connections}


def warm(base: str, target: Target, workers: int) -> float:
    """Load every worker's code and templates, check that the target answers 200 (not a redirect to the login
    page); return the seconds one more request takes alone."""

    def one(_: int) -> int:
        request = urllib.request.Request(base + target.path, headers=target.headers)
        with urllib.request.build_opener(NoRedirect).open(request, timeout=600) as answer:
            answer.read()
            return int(answer.status)

    with concurrent.futures.ThreadPoolExecutor(workers * 2) as pool:
        statuses = list(pool.map(one, range(workers * 4)))
    start = time.perf_counter()
    statuses.append(one(0))
    took = time.perf_counter() - start
    if set(statuses) != {200}:
        raise SystemExit(f"{target.path} answered {statuses}")
    return took


def after_a_write(base: str, target: Target, url: str, times: int = 3) -> float:
    """Seconds of the first request after a write (a new revision token: nothing kept is used), median of
    `times`; each request is answered by one worker, which computes the page and keeps it."""
    took = []
    for _ in range(times):
        with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
            new_revision(cur)
        request = urllib.request.Request(base + target.path, headers=target.headers)
        start = time.perf_counter()
        with urllib.request.build_opener(NoRedirect).open(request, timeout=600) as answer:
            answer.read()
        took.append(time.perf_counter() - start)
    return statistics.median(took)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


ERRORS = ("non2xx", "connect", "read", "write", "timeout")


def ms(microseconds: float) -> str:
    return f"{microseconds / 1000:,.1f}"


def table(results: list[tuple[Target, dict[str, Any], dict[str, Any]]], connections: int) -> str:
    lines = [
        f"| target | 1 client: p50 (ms) | {connections} clients: p50 (ms) | p90 | p95 | p99 | max | requests/s "
        "| requests in (s) | non-2xx | socket errors (connect/read/write/timeout) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for target, alone, loaded in results:
        errors = "/".join(str(loaded[k] + alone[k]) for k in ("connect", "read", "write", "timeout"))
        lines.append(
            f"| {target.name} | {ms(alone['p50'])} | {ms(loaded['p50'])} | {ms(loaded['p90'])} | {ms(loaded['p95'])} "
            f"| {ms(loaded['p99'])} | {ms(loaded['max'])} | {loaded['requests'] / loaded['seconds']:,.1f} "
            f"| {loaded['requests']:,} in {loaded['seconds']:.0f} | {loaded['non2xx'] + alone['non2xx']} | {errors} |"
        )
    return "\n".join(lines)


# --- the run ---------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30, help="each target's run with all clients, at least")
    parser.add_argument("--alone-seconds", type=int, default=10, help="each target's run with one client, at least")
    parser.add_argument(
        "--max-seconds", type=int, default=300, help="the longest a slow target's run with all clients may last"
    )
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL, no database")
    parser.add_argument("--database", default="dxm_load")
    args = parser.parse_args()
    wrk = ensure_wrk()
    load_before = os.getloadavg()[0]  # other jobs on the machine take CPU from the server: say how busy it was
    url = f"{args.server}/{args.database}"
    admin_url = f"{args.server}/postgres"
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        folder = Path(tmp)
        catalogue = write_catalogue(folder / "catalogue")
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DXMONITOR_HOME": str(folder),
            "DXMONITOR_CATALOGUE_DIR": str(folder / "catalogue"),
            "DXMONITOR_PASSWORD": PASSWORD,
        }
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{args.database}"')
        server: subprocess.Popen[bytes] | None = None
        try:
            dxmonitor(env, "init")
            rows, took = load_history(url, catalogue)
            print(
                f"history: {len(round_codes())} rounds, {UNITS} units, {rows:,} values in {took:.1f} s", file=sys.stderr
            )
            dxmonitor(env, "createuser", "bench-viewer", "--role", "viewer")
            key = dxmonitor(env, "token", "create", "bench-load", "--unit", "BP").strip().splitlines()[-1]
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            log = stack.enter_context((folder / "server.log").open("wb"))
            server = subprocess.Popen(
                [DXMONITOR, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            wait_until_up(base, server)
            cookie = {"Cookie": session_cookie(base, "bench-viewer")}
            targets = [
                Target("floor: static file (whitenoise, no view)", "/static/web/app.css", {}),
                Target("trivial view: login page (anonymous)", "/login/", {}),
                Target("trivial signed-in view: password form (`/password/`)", "/password/", cookie),
                Target("signed-in page without figures (`/datasets`)", "/datasets", cookie),
                Target("dashboard, latest round (`/`)", "/", cookie),
                Target("dashboard JSON (`/index.json`)", "/index.json", cookie),
                Target(
                    f"API `/api/rounds/{LATEST}/values?limit=100`",
                    f"/api/rounds/{LATEST}/values?limit=100",
                    {"Authorization": f"Bearer {key}"},
                ),
            ]
            results = []
            for target in targets:
                once = warm(base, target, args.workers)
                alone = run_wrk(wrk, base, target, 1, max(args.alone_seconds, math.ceil(10 * once)), folder)
                # A closed loop: under load each client waits about `connections × service time ÷ workers`.
                # A run shorter than a few such turns would drop the slowest answers, still in flight at its end.
                turn = args.connections * alone["p50"] / 1e6 / args.workers
                seconds = min(args.max_seconds, max(args.seconds, math.ceil(3 * turn)))
                loaded = run_wrk(wrk, base, target, args.connections, seconds, folder)
                if loaded["requests"] < 3 * args.connections and seconds < args.max_seconds:
                    # Slower under load than alone (the cores are shared): run again, long enough this time.
                    wanted = seconds * 3 * args.connections / max(loaded["requests"], 1)
                    seconds = min(args.max_seconds, math.ceil(wanted))
                    loaded = run_wrk(wrk, base, target, args.connections, seconds, folder)
                print(f"{target.path}: {loaded['requests']} requests, p95 {ms(loaded['p95'])} ms", file=sys.stderr)
                results.append((target, alone, loaded))
            computed = [t for t in targets if t.path in ("/", "/index.json") or t.path.startswith("/api/")]
            first_views = {t.name: after_a_write(base, t, url) for t in computed}  # workers warm by now
        finally:
            if server is not None:
                os.killpg(server.pid, signal.SIGTERM)  # gunicorn's arbiter stops its workers
                server.wait(timeout=30)
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    trivial, signed_in, dashboard = (
        next(loaded for t, _, loaded in results if t.path == path) for path in ("/login/", "/password/", "/")
    )
    print(
        f"# web load — {date.today().isoformat()}, {platform.node()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, PostgreSQL, {args.workers} gunicorn workers, wrk with 1 client and with "
        f"{args.connections}, {len(round_codes())} rounds × {UNITS} units = {rows:,} values; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after\n"
    )
    print(table(results, args.connections))
    print("\n| first request after a write (nothing kept yet), median of 3 | ms |\n|---|---:|")
    for name, seconds in first_views.items():
        print(f"| {name} | {seconds * 1000:,.1f} |")
    clean = all(r[k] == 0 for _, alone, loaded in results for r in (alone, loaded) for k in ERRORS)
    print(f"\nerrors: {'none' if clean else 'SOME'}")
    for name, floor in (("the anonymous login page", trivial), ("the signed-in password form", signed_in)):
        ratio = dashboard["p95"] / floor["p95"] if dashboard["requests"] else math.inf
        verdict = "within" if ratio <= GOAL and clean else "NOT within"
        print(f"dashboard p95 ÷ p95 of {name} = {ratio:,.1f}× — {verdict} the goal's {GOAL:.0f}×")


if __name__ == "__main__":
    main()
