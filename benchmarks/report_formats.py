"""Time and peak memory of building the complete 2022-06 report in each format (DOCX, HTML, PDF), beside the
baseline: writing the same document's text alone with python-docx (paragraphs and tables, no style, no picture).

The demo is loaded once (`dxmonitor demo --no-serve`, a new SQLite database: both rounds, the written sections, the
issuer). Then, in each run, every variant is a child process of its own, in a rotating order: the child sets up what
a report process has before it starts (Django, the catalogue for the report variants; python-docx for the
baseline), does its step once untimed (imports, fonts, the chart engine's start), empties the drawn charts' cache,
and times the step once more. A report variant's step is the whole report: the document model from the database
(figures, tables, findings, charts drawn as PNG) and its rendering; the baseline's step is writing the text the
same document holds, read from a file the setup wrote. Memory: what the timed step adds to the resident size before
it (the peak reset through `/proc/self/clear_refs`), and the child's own peak resident size over both steps (VmHWM);
the PDF's LibreOffice is a process of its own, its peak (the largest process the child waited for) given apart.

    .venv/bin/python benchmarks/report_formats.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DXMONITOR = str(ROOT / ".venv" / "bin" / "dxmonitor")
ROUND = "2022-06"
VARIANTS = ["baseline", "docx", "docx_without_charts", "html", "pdf"]
LABELS = {
    "baseline": "baseline: python-docx writes the document's text alone (paragraphs and tables)",
    "docx": "complete report as DOCX (model from the database, charts, render)",
    "docx_without_charts": "the same DOCX without its 6 charts (to see what they cost)",
    "html": "complete report as HTML",
    "pdf": "complete report as PDF (the DOCX, then LibreOffice)",
}


# --- in the child ----------------------------------------------------------------------------------------------


def _status(field: str) -> float:
    """VmRSS or VmHWM of this process, MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no {field} in /proc/self/status")


def _reset_peak() -> float:
    """Free what can be freed, reset the peak resident size to the current one and return it."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    Path("/proc/self/clear_refs").write_text("5")
    before = _status("VmRSS")
    if _status("VmHWM") > before + 1:
        raise SystemExit("this kernel does not reset the peak (clear_refs 5): memory added cannot be measured")
    return before


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxmonitor.project.settings")
    import django

    django.setup()
    from dxmonitor.catalogue.current import get_catalogue

    get_catalogue()


def _text_blocks(doc: Any) -> list[Any]:
    """The document's text: a string per paragraph, a list of rows of cell texts per table."""
    from dxmonitor.reports.model import Figure, ItemList, Table

    def items(block: ItemList) -> list[str]:
        out = []
        for item in block.items:
            out.append("".join(s.text for s in item.spans))
            for child in item.children:
                out += items(child)
        return out

    head = [doc.issuer.parent_agency, doc.issuer.agency, f"Số: {doc.number}", doc.title, doc.subtitle]
    blocks: list[Any] = list(head)
    for block in doc.blocks:
        if isinstance(block, Table):
            blocks.append(
                [[c.text for c in row] for row in block.header] + [[c.text for c in r.cells] for r in block.body]
            )
        elif isinstance(block, ItemList):
            blocks += items(block)
        elif isinstance(block, Figure):
            blocks.append(block.caption)
        else:
            blocks.append(block.text)
    return [*blocks, "Nơi nhận:", *doc.issuer.recipients, doc.issuer.signer_title, doc.issuer.signer_name]


def _write_text(blocks: list[Any], path: Path) -> None:
    """The baseline: every paragraph and table of the document's text, written with python-docx."""
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = max(len(row) for row in block)
        table = document.add_table(rows=len(block), cols=width)
        for row, texts in zip(table.rows, block, strict=True):
            for cell, text in zip(row.cells, texts, strict=False):
                cell.text = text
    document.save(str(path))


def dump(path: Path) -> None:
    """Write the document's text for the baseline, and count what the document holds."""
    _django()
    from dxmonitor.reports.generate import build_document
    from dxmonitor.reports.model import Figure, Table

    doc = build_document(ROUND)
    path.write_text(json.dumps(_text_blocks(doc), ensure_ascii=False), encoding="utf-8")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    counts = {
        "blocks": len(doc.blocks),
        "tables": len(tables),
        "rows": sum(len(t.header) + len(t.body) for t in tables),
        "figures": sum(isinstance(b, Figure) for b in doc.blocks),
    }
    print(json.dumps(counts))


def child(variant: str, work: Path) -> None:
    """One variant: set up, do the step once untimed, then time it once; print the figures as JSON."""
    if variant == "baseline":
        import docx  # noqa: F401  # the baseline's own set-up: python-docx imported

        blocks = json.loads((work / "text.json").read_text(encoding="utf-8"))

        def step() -> dict[str, float]:
            _write_text(blocks, work / "baseline.docx")
            return {}
    else:
        _django()
        from dxmonitor.charts import render
        from dxmonitor.reports import statistics
        from dxmonitor.reports.generate import RENDERERS, build_document

        renderer = RENDERERS[variant.removesuffix("_without_charts")]
        if variant.endswith("_without_charts"):
            statistics.chart_figure = lambda block, ctx: None  # type: ignore[assignment]  # every chart left out

        def step() -> dict[str, float]:
            start = time.perf_counter()
            doc = build_document(ROUND)
            built = time.perf_counter()
            renderer(doc, work / f"report.{variant}")
            return {"build": built - start, "render": time.perf_counter() - built}

    step()
    if variant != "baseline":
        render._png.cache_clear()  # a fresh report draws its charts: none kept from the untimed step
    untimed_peak = _status("VmHWM")
    before = _reset_peak()
    start = time.perf_counter()
    parts = step()
    seconds = time.perf_counter() - start
    peak = _status("VmHWM")
    added, own_peak = peak - before, max(peak, untimed_peak)
    soffice = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = (work / ("baseline.docx" if variant == "baseline" else f"report.{variant}")).stat().st_size
    figures = {"seconds": seconds, "added": added, "peak": own_peak, "soffice": soffice, "bytes": size}
    print(json.dumps({**figures, **parts}))


# --- the parent ------------------------------------------------------------------------------------------------


def run_child(args: list[str], env: dict[str, str]) -> tuple[dict[str, float], float]:
    """The child's printed figures, and the peak resident size (MiB) of it or any process it waited for (wait4)."""
    process = subprocess.Popen(
        [sys.executable, __file__, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)}")
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", choices=VARIANTS)
    parser.add_argument("--dump", action="store_true")
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.work)
    if args.dump:
        return dump(args.work / "text.json")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["DXMONITOR_HOME"] = str(work)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")  # compiled once, as an installed dxmonitor is
        subprocess.run(
            [DXMONITOR, "demo", "--no-serve", "--out", str(work / "demo")], env=env, check=True, capture_output=True
        )
        counts, _ = run_child(["--dump", "--work", str(work)], env)
        runs: dict[str, list[tuple[dict[str, float], float]]] = {v: [] for v in VARIANTS}
        load_before = os.getloadavg()[0]
        for i in range(args.repeat):
            order = VARIANTS[i % len(VARIANTS) :] + VARIANTS[: i % len(VARIANTS)]
            for variant in order:
                runs[variant].append(run_child(["--child", variant, "--work", str(work)], env))
            print(f"run {i + 1}/{args.repeat} done", file=sys.stderr)
        load_after = os.getloadavg()[0]

    def median(variant: str, key: str) -> float:
        return statistics.median(r[0].get(key, 0.0) for r in runs[variant])

    base = median("baseline", "seconds")
    print(
        f"# report formats — {date.today().isoformat()}, {platform.node()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLite, median of {args.repeat} runs; load average {load_before:.2f} before, "
        f"{load_after:.2f} after\n"
    )
    print(
        f"The document: {counts['blocks']} blocks, {counts['tables']} tables ({counts['rows']} rows), "
        f"{counts['figures']} charts.\n"
    )
    print(
        "| variant | time (s) | of which the model (s) | of which rendering (s) | × baseline | memory added (MiB) "
        "| process peak RSS (MiB) | LibreOffice peak (MiB) | file (KiB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for variant in VARIANTS:
        seconds = median(variant, "seconds")
        build, render = (f"{median(variant, k):.2f}" if variant != "baseline" else "" for k in ("build", "render"))
        soffice = f"{median(variant, 'soffice'):.0f}" if variant == "pdf" else ""
        peak = median(variant, "peak")
        print(
            f"| {LABELS[variant]} | {seconds:.2f} | {build} | {render} | {seconds / base:.1f}× "
            f"| {median(variant, 'added'):.0f} | {peak:.0f} | {soffice} | {median(variant, 'bytes') / 1024:.0f} |"
        )
    docx_ratio = median("docx", "seconds") / base
    verdict = "met" if docx_ratio <= 3 else "NOT met"
    print(f"\nGoal: the DOCX within 3× of the baseline — {verdict} ({docx_ratio:.1f}×).")


if __name__ == "__main__":
    main()
