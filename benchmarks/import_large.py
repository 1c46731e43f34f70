"""Time and peak memory of importing a 100,000-row long file and a 30-unit template, beside merely reading them.

Both inputs are generated in a temporary folder. Each step is a fresh process, measured with `os.wait4`:
python-calamine reading every row (the floor: dxmonitor reads with it), openpyxl reading every row (the usual
alternative), dxmonitor planning the file (read, resolve names, parse numbers and dates; no database), and the
whole `dxmonitor import` into a new SQLite database (`dxmonitor init` first, not timed). One more floor: the
planning process with no file (Python, dxmonitor's imports and the catalogue).

Then, in the same run, the same calamine read and the same plan in a warm process, the way the web server plans an
upload: one child per file sets Django up, loads the catalogue (`get_catalogue`, as the upload view does), reads
the file once each way, then times both steps interleaved, many times (the median of each), and measures the
memory each adds: peak RSS over the step minus RSS just before it, the peak reset (`/proc/self/clear_refs`) and
freed memory handed back (`gc.collect`, `malloc_trim`) before each step.

    .venv/bin/python benchmarks/import_large.py [--repeat 3] [--rows 100000] [--keep DIR]

`--keep DIR` writes the inputs into DIR and leaves them there, to profile a step on the same files.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: a child process imports nothing it does not measure
    from dxmonitor.catalogue.loading import Catalogue

ROOT = Path(__file__).resolve().parent.parent
DXMONITOR = [str(ROOT / ".venv" / "bin" / "dxmonitor")]
ROUND, ROUND_NAME, AS_OF = "2023-01", "tháng 1/2023", date(2023, 1, 31)
LONG_HEADER = ["don_vi", "chi_tieu", "phan_loai", "gia_tri", "ngay_so_lieu"]
TEMPLATE_DATASET = "office_software"
STEPS = {
    "calamine": "python-calamine reads every row",
    "openpyxl": "openpyxl reads every row (read-only)",
    "plan": "dxmonitor plans the file (no database)",
    "import": "`dxmonitor import` into SQLite",
}
FLOOR = "floor: Python, dxmonitor's imports and the catalogue, no file"
Figures = dict[tuple[str, str], tuple[float, float]]  # (file, step) → (wall seconds, peak MiB)
WARM_STEPS = ("calamine", "plan")
WARM_FLOOR = "the warm process itself: Django set up, the catalogue loaded, both reads done once"
WARM_MIN_REPEATS = 7  # timed repeats of each step in a warm process, at least …
WARM_MIN_SECONDS = 1.0  # … and enough for the faster step to take this long in all
WARM_MAX_REPEATS = 2000
WARM_MEMORY_REPEATS = 3
Warm = dict[str, dict[str, float]]  # file → {"<step> s", "<step> MiB", "repeats", "process MiB"}


# --- the steps, each run in a child process -------------------------------------------------------------------


def read_with_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    return sum(len(workbook.get_sheet_by_name(name).to_python()) for name in workbook.sheet_names)


def read_with_openpyxl(path: Path) -> int:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for sheet in workbook.worksheets for _ in sheet.iter_rows(values_only=True))
    workbook.close()
    return rows


def plan(path: Path | None) -> int:
    from dxmonitor.catalogue.loading import load_catalogue

    catalogue = load_catalogue()
    if path is None:
        return 0
    return plan_with(path, catalogue)


def plan_with(path: Path, catalogue: Catalogue) -> int:
    from dxmonitor.intake.planning import plan_files

    result = plan_files([path], ROUND, catalogue)
    if not result.ok:
        raise SystemExit(f"the plan has {len(result.errors)} errors, first: {result.errors[0]}")
    return len(result.values)


def child(step: str, path: Path | None, expect: int) -> None:
    """Run one step; fail unless it saw as many rows (readers) or planned as many values as expected."""
    readers: dict[str, Callable[[Path], int]] = {"calamine": read_with_calamine, "openpyxl": read_with_openpyxl}
    if step == "plan":
        found = plan(path)
    else:
        assert path is not None
        found = readers[step](path)
    if found != expect:
        raise SystemExit(f"{step}: expected {expect}, found {found}")


# --- the warm process: both steps again, in one process that has everything loaded already ---------------------


def status_kib(field: str) -> int:
    """One memory figure of this process from /proc/self/status (VmRSS, VmHWM), in KiB."""
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name == field:
                return int(value.split()[0])
    raise SystemExit(f"no {field} in /proc/self/status")


def settle() -> int:
    """Collect garbage, hand freed memory back to the system, restart the peak here; the resident KiB now.

    Without `malloc_trim` a step would grow into what the one before freed and seem to need less than it does."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # VmHWM := VmRSS
    rss = status_kib("VmRSS")
    if status_kib("VmHWM") > rss + 64:
        raise SystemExit("this kernel does not reset the peak (VmHWM) through /proc/self/clear_refs")
    return rss


def warm(path: Path, expect: dict[str, int]) -> dict[str, float]:
    """Both steps in one process set up as the web server is when an upload arrives; their medians and memory."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxmonitor.project.settings")
    import django

    django.setup()
    from dxmonitor.catalogue.current import get_catalogue

    catalogue = get_catalogue()
    steps: dict[str, Callable[[], int]] = {
        "calamine": lambda: read_with_calamine(path),
        "plan": lambda: plan_with(path, catalogue),
    }

    def run(step: str) -> float:
        start = time.perf_counter()
        found = steps[step]()
        elapsed = time.perf_counter() - start
        if found != expect[step]:
            raise SystemExit(f"warm {step}: expected {expect[step]}, found {found}")
        return elapsed

    for step in WARM_STEPS:  # the warm-up: each way once, for its imports and caches
        run(step)
    first = min(run(step) for step in WARM_STEPS)  # how many repeats: not counted
    repeats = min(WARM_MAX_REPEATS, max(WARM_MIN_REPEATS, math.ceil(WARM_MIN_SECONDS / first)))
    times: dict[str, list[float]] = {step: [] for step in WARM_STEPS}
    for i in range(repeats):  # interleaved, in turn first, so neither always follows the other
        for step in WARM_STEPS if i % 2 == 0 else WARM_STEPS[::-1]:
            times[step].append(run(step))
    added: dict[str, list[float]] = {step: [] for step in WARM_STEPS}
    for i in range(WARM_MEMORY_REPEATS):
        for step in WARM_STEPS if i % 2 == 0 else WARM_STEPS[::-1]:
            before = settle()
            run(step)
            added[step].append((status_kib("VmHWM") - before) / 1024)
    out = {f"{step} s": statistics.median(times[step]) for step in WARM_STEPS}
    out |= {f"{step} MiB": statistics.median(added[step]) for step in WARM_STEPS}
    return out | {"repeats": repeats, "process MiB": settle() / 1024}


# --- the inputs -----------------------------------------------------------------------------------------------


def unit_spellings(catalogue: Catalogue) -> dict[str, list[str]]:
    """The ways each unit is written in real submissions, kept only if dxmonitor resolves them exactly."""
    from dxmonitor.intake.planning import unit_index

    index = unit_index(catalogue)
    titles = {"Huyện ": ("UBND H.", "UBND huyện "), "Thị xã ": ("UBND TX.", "TX. "), "Thành phố ": ("UBND TP.", "TP ")}
    spellings: dict[str, list[str]] = {}
    for unit in catalogue.units.values():
        forms = [unit.code, unit.name, unit.short_name, *unit.aliases, unit.name.upper(), unit.name.replace("ư", "ƣ")]
        for title, shorts in titles.items():
            if unit.name.startswith(title):
                forms += [short + unit.name.removeprefix(title) for short in shorts]
        spellings[unit.code] = [f for f in dict.fromkeys(forms) if index.resolve(f).code == unit.code]
        assert all(index.resolve(f).how == "exact" for f in spellings[unit.code]), unit.code
    return spellings


def value_ranges(catalogue: Catalogue) -> dict[str, tuple[int, int]]:
    """Ranges of counts that keep the datasets' `not_above` rules: a capped figure small, its cap large."""
    smallest_communes = min((u.communes for u in catalogue.units.values() if u.communes is not None), default=0)
    ranges: dict[str, tuple[int, int]] = {}
    for dataset in catalogue.datasets.values():
        for rule in dataset.rules:
            if rule.rule == "not_above" and rule.indicator and rule.limit:
                ranges[rule.indicator] = (0, smallest_communes) if rule.limit == "unit.communes" else (0, 999)
                ranges.setdefault(rule.limit, (1_000, 2_000_000))
    return ranges


def figure(kind: str, rng: random.Random, low: int = 0, high: int = 2_000_000) -> object:
    """A value the way offices type it: a number cell, or text with Vietnamese or plain separators."""
    style = rng.random()
    if kind == "percent":
        percent = rng.randint(0, 10000) / 100
        if style < 0.4:
            return percent
        text = f"{percent:.2f}"
        return text.replace(".", ",") + ("%" if style < 0.6 else "") if style < 0.8 else text
    value = rng.randint(low, high if kind == "count" else 50_000_000_000)
    if style < 0.4:
        return value
    return f"{value:,}".replace(",", ".") if style < 0.8 else str(value)


def as_of_cell(day: date, rng: random.Random) -> object:
    style = rng.random()
    if style < 0.3:
        return datetime(day.year, day.month, day.day)
    if style < 0.6:
        return f"{day:%d/%m/%Y}"
    if style < 0.8:
        return day.isoformat()
    return f"{day:%d/%m/%Y}-{day:%d/%m/%Y}"  # a one-day window


def long_rows(count: int, catalogue: Catalogue, rng: random.Random) -> Iterator[list[object]]:
    """`count` rows with different keys (unit, indicator, category, day), in shuffled order.

    Every unit gets every figure on one day before any gets a second day, so that the datasets' `required`
    rules hold; only categories are written, never their total, so `parts_total` has nothing to compare.
    """
    spellings = unit_spellings(catalogue)
    ranges = value_ranges(catalogue)
    figures: list[tuple[str, str, list[str]]] = []
    for ind in catalogue.indicators.values():
        if ind.derived is not None:
            continue
        if not ind.disaggregation:
            figures.append((ind.code, ind.kind, [""]))
        for dim, members in ind.disaggregation.items():
            figures += [(ind.code, ind.kind, [f"{dim}={m}", m, label]) for m, label in members.items()]
    days = [date(2023, 1, d) for d in range(1, 32)]
    pairs = [(unit, f) for unit in spellings for f in range(len(figures))]
    if not len(pairs) <= count <= len(pairs) * len(days):
        raise SystemExit(f"--rows must be between {len(pairs)} and {len(pairs) * len(days)} for this catalogue")
    day_orders = [rng.sample(range(len(days)), len(days)) for _ in pairs]
    keys = [(pair, day_orders[i][turn]) for turn in range(len(days)) for i, pair in enumerate(pairs)][:count]
    rng.shuffle(keys)
    for (unit, f), d in keys:
        code, kind, categories = figures[f]
        yield [
            rng.choice(spellings[unit]),
            code,
            rng.choice(categories),
            figure(kind, rng, *ranges.get(code, (0, 2_000_000))),
            as_of_cell(days[d], rng),
        ]


def write_long(path: Path, count: int, catalogue: Catalogue) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Số liệu")
    sheet.append(LONG_HEADER)
    for row in long_rows(count, catalogue, random.Random(2023)):
        sheet.append(row)
    workbook.save(path)
    return path


def write_wide(path: Path, catalogue: Catalogue) -> tuple[Path, int]:
    """The office_software template for every unit of the dataset, every cell filled; and its figure count."""
    import openpyxl

    from dxmonitor.intake.templates import FIRST_DATA_ROW, figure_columns, write_template

    dataset = catalogue.datasets[TEMPLATE_DATASET]
    write_template(path, dataset, catalogue, ROUND, ROUND_NAME, AS_OF, list(dataset.units))
    columns = figure_columns(dataset, catalogue)
    rng = random.Random(30)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Số liệu"]
    for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(dataset.units)):
        for offset, (ind, _) in enumerate(columns):
            sheet.cell(row=row, column=4 + offset, value=figure(ind.kind, rng))
        sheet.cell(row=row, column=4 + len(columns), value="số liệu đến ngày 31/01/2023")
    workbook.save(path)
    return path, len(dataset.units) * len(columns)


# --- measuring ------------------------------------------------------------------------------------------------


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    # Read stderr while waiting so a chatty child (one warning a row) cannot block on a full pipe.
    tail = process.stderr.read()[-2000:]
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{tail.decode(errors='replace')}")
    return elapsed, usage.ru_maxrss / 1024


def child_env(tmp: Path, home: Path | None = None) -> dict[str, str]:
    """The environment of every child: SQLite, and a bytecode cache of its own.

    An installed dxmonitor has its modules compiled; without a cache (PYTHONDONTWRITEBYTECODE) every process
    would compile Django and dxmonitor again, about a second that is no part of reading a file.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONDONTWRITEBYTECODE")}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    if home is not None:
        env["DXMONITOR_HOME"] = str(home)
    return env


def warm_run(tmp: Path, files: dict[str, tuple[Path, dict[str, int]]]) -> Warm:
    """One warm child per file, each printing its figures as JSON."""
    me = [sys.executable, str(Path(__file__).resolve())]
    env = child_env(tmp, tmp / "warm-home")
    (tmp / "warm-home").mkdir(exist_ok=True)
    out: Warm = {}
    for label, (path, expected) in files.items():
        command = [*me, "--child", "warm", "--path", str(path), "--expect", json.dumps(expected)]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
        out[label] = json.loads(done.stdout)
    return out


def one_run(tmp: Path, index: int, files: dict[str, tuple[Path, dict[str, int]]]) -> Figures:
    me = [sys.executable, str(Path(__file__).resolve())]
    env = child_env(tmp)
    out: Figures = {("", FLOOR): measure([*me, "--child", "plan", "--expect", "0"], env)}
    for label, (path, expected) in files.items():
        for step, expect in expected.items():
            command = [*me, "--child", step, "--path", str(path), "--expect", str(expect)]
            out[(label, STEPS[step])] = measure(command, env)
        home = tmp / f"run{index}-{path.stem}"
        home.mkdir()
        database = child_env(tmp, home)
        subprocess.run([*DXMONITOR, "init"], env=database, check=True, stdout=subprocess.DEVNULL)
        out[(label, STEPS["import"])] = measure([*DXMONITOR, "import", str(path), "--round", ROUND], database)
    return out


def table(runs: list[Figures]) -> list[str]:
    lines = [
        "| file | step | wall time (s) | peak RSS (MiB) | time ÷ calamine | memory ÷ calamine |",
        "|---|---|---:|---:|---:|---:|",
    ]
    medians = {
        key: (statistics.median(r[key][0] for r in runs), statistics.median(r[key][1] for r in runs)) for key in runs[0]
    }
    for (label, step), (seconds, mib) in medians.items():
        base = medians.get((label, STEPS["calamine"]))
        ratios = f"{seconds / base[0]:.1f}× | {mib / base[1]:.1f}×" if base else " | "
        lines.append(f"| {label} | {step} | {seconds:.2f} | {mib:.0f} | {ratios} |")
    return lines


def warm_table(runs: list[Warm]) -> list[str]:
    lines = [
        "| file | step, in a warm process | repeats | time (ms), median | memory added (MiB), median "
        "| time ÷ calamine | memory ÷ calamine |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label in runs[0]:
        median = {key: statistics.median(r[label][key] for r in runs) for key in runs[0][label]}
        counts = sorted({int(r[label]["repeats"]) for r in runs})
        repeats = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
        lines.append(f"| {label} | {WARM_FLOOR} |  |  | {median['process MiB']:.0f} (resident) |  |  |")
        base_s, base_mib = median["calamine s"], median["calamine MiB"]
        for step in WARM_STEPS:
            seconds, mib = median[f"{step} s"], median[f"{step} MiB"]
            # milliseconds and two decimals: a template is read in about 0.4 ms, and the goal is a ratio of 2
            ratios = f"{seconds / base_s:.2f}× | " + (f"{mib / base_mib:.1f}×" if base_mib > 0 else "–")
            lines.append(f"| {label} | {STEPS[step]} | {repeats} | {seconds * 1000:.3f} | {mib:.2f} | {ratios} |")
    return lines


def write_inputs(folder: Path, rows: int) -> dict[str, tuple[str, dict[str, int]]]:
    """Both input files, each with what every step must find in it: rows read, values planned."""
    from dxmonitor.catalogue.loading import load_catalogue

    catalogue = load_catalogue()
    long_path = write_long(folder / "long.xlsx", rows, catalogue)
    wide_path, wide_values = write_wide(folder / "template.xlsx", catalogue)
    units = len(catalogue.datasets[TEMPLATE_DATASET].units)
    files = {
        f"long, {rows:,} rows": (long_path, rows),
        f"template, {units} units × {wide_values // units} figures": (wide_path, wide_values),
    }
    return {
        label: (
            str(path),
            {"calamine": read_with_calamine(path), "openpyxl": read_with_openpyxl(path), "plan": values},
        )
        for label, (path, values) in files.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the inputs into this folder and keep them")
    parser.add_argument("--child", choices=["inputs", "warm", *WARM_STEPS, "openpyxl"], help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--expect", default="0", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "inputs":
        print(json.dumps(write_inputs(args.path, args.rows)))
        return
    if args.child == "warm":
        print(json.dumps(warm(args.path, json.loads(args.expect))))
        return
    if args.child:
        child(args.child, args.path, int(args.expect))
        return

    me = [sys.executable, str(Path(__file__).resolve())]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = str(args.keep.resolve()) if args.keep else scratch
        tmp = Path(scratch)
        # Written by a child: a process started by this one counts this one's memory as its own starting peak
        # (Linux keeps the peak across fork and exec), so this one stays small.
        made = subprocess.run(
            [*me, "--child", "inputs", "--path", folder, "--rows", str(args.rows)],
            env=child_env(tmp),
            check=True,
            capture_output=True,
            text=True,
        )
        files = {label: (Path(path), expected) for label, (path, expected) in json.loads(made.stdout).items()}
        print("inputs written", file=sys.stderr)
        runs, warm_runs = [], []
        for i in range(args.repeat):
            runs.append(one_run(tmp, i, files))
            warm_runs.append(warm_run(tmp, files))
            print(f"run {i + 1}/{args.repeat} done", file=sys.stderr)
    print(
        f"# import of large files — {date.today().isoformat()}, {platform.node()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLite, median of {args.repeat} runs\n"
    )
    print("Each step a fresh process:\n")
    print("\n".join(table(runs)))
    print("\nIn a warm process (Django set up, the catalogue loaded), the median of the repeats in each run:\n")
    print("\n".join(warm_table(warm_runs)))


if __name__ == "__main__":
    main()
