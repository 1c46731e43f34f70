"""Time and peak memory of the demo cycle (init, import both rounds, report), each beside its floor.

Every step runs as a fresh `dxmonitor` process against a new SQLite database, the way a user runs it.
The floors, measured in the same run: Django's start-up alone (`dxmonitor help`), `migrate` alone,
and LibreOffice converting a one-paragraph DOCX (its own start-up cost).

    .venv/bin/python benchmarks/demo_cycle.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DXMONITOR = [str(ROOT / ".venv" / "bin" / "dxmonitor")]
ROUNDS = ROOT / "src" / "dxmonitor" / "demo" / "data" / "rounds"


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def fresh_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DXMONITOR_HOME"] = str(home)
    return env


def one_run(tmp: Path, index: int) -> dict[str, tuple[float, float]]:
    home = tmp / f"run{index}"
    home.mkdir()
    env = fresh_env(home)
    out: dict[str, tuple[float, float]] = {}
    out["floor: dxmonitor help (Django start-up)"] = measure([*DXMONITOR, "help"], env)
    (tmp / f"m{index}" / "var").mkdir(parents=True)
    out["floor: migrate only"] = measure([*DXMONITOR, "migrate", "-v", "0"], fresh_env(tmp / f"m{index}"))
    out["init (migrate + catalogue)"] = measure([*DXMONITOR, "init"], env)
    for code in ("2022-05", "2022-06"):
        path = ROUNDS / f"{code}.csv"
        rows = len(path.read_text(encoding="utf-8").splitlines()) - 1
        out[f"import {code} ({rows} rows)"] = measure([*DXMONITOR, "import", str(path), "--round", code], env)
    out["report 2022-06 docx,html"] = measure(
        [*DXMONITOR, "report", "--round", "2022-06", "--format", "docx,html", "--out", str(home / "out")], env
    )
    out["report 2022-06 pdf (LibreOffice)"] = measure(
        [*DXMONITOR, "report", "--round", "2022-06", "--format", "pdf", "--out", str(home / "out")], env
    )
    tiny = home / "tiny.docx"
    subprocess.run(
        [sys.executable, "-c", f"import docx; d=docx.Document(); d.add_paragraph('Bình Phước'); d.save({str(tiny)!r})"],
        check=True,
    )
    profile = f"-env:UserInstallation=file://{home}/lo-profile"
    out["floor: LibreOffice converts a 1-line DOCX"] = measure(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(home), str(tiny)], env
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            runs.append(one_run(Path(tmp), i))
            print(f"run {i + 1}/{args.repeat} done", file=sys.stderr)
    print(
        f"# demo cycle — {date.today().isoformat()}, {platform.node()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLite, median of {args.repeat} runs\n"
    )
    print("| step | wall time (s) | peak RSS (MiB) |")
    print("|---|---:|---:|")
    for step in runs[0]:
        times = [r[step][0] for r in runs]
        memory = [r[step][1] for r in runs]
        print(f"| {step} | {statistics.median(times):.2f} | {statistics.median(memory):.0f} |")


if __name__ == "__main__":
    main()
