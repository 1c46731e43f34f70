"""Generate a round's report files: build the document once, render it in each asked format."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.issuers import ROUND_ISSUER_FIELDS
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.round_store import issuer_defaults
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.facts import RoundFacts
from dxmonitor.intake.queries import round_facts
from dxmonitor.reports.files import report_path
from dxmonitor.reports.model import Cover, Document, Issuer, Layout
from dxmonitor.reports.outline import OUTLINES_DIR, Outline, outline_on


class ReportError(Exception):
    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi = vi
        self.en = en


def _render_docx(doc: Document, path: Path) -> Path:
    from dxmonitor.reports.docx_template import TemplateError
    from dxmonitor.reports.render_docx import render_docx

    try:
        return render_docx(doc, path)
    except TemplateError as exc:
        raise ReportError(exc.vi, exc.en) from exc


def _render_html(doc: Document, path: Path) -> Path:
    from dxmonitor.reports.render_html import render_html

    return render_html(doc, path)


def _render_pdf(doc: Document, path: Path) -> Path:
    from dxmonitor.reports.render_pdf import PdfError, render_pdf

    with tempfile.TemporaryDirectory() as tmp:
        docx = _render_docx(doc, Path(tmp) / (path.stem + ".docx"))
        try:
            return render_pdf(docx, path)
        except PdfError as exc:
            raise ReportError(exc.vi_message, exc.en_message) from exc


RENDERERS: dict[str, Callable[[Document, Path], Path]] = {
    "docx": _render_docx,
    "html": _render_html,
    "pdf": _render_pdf,
}


def issuer_of(round_: Round) -> Issuer:
    """Who issues the round's report: what the round keeps; a round made without it (only code that writes rounds
    directly does) takes the issuer in force on its days."""
    kept = {name: getattr(round_, name) for name in ROUND_ISSUER_FIELDS}
    parts = kept if round_.issuer_agency else issuer_defaults(round_.code)
    return Issuer(
        parent_agency=parts["issuer_parent_agency"],
        agency=parts["issuer_agency"],
        agency_name=parts["issuer_agency_name"],
        place=parts["issuer_place"],
        signer_title=parts["issuer_signer_title"],
        signer_name=parts["issuer_signer_name"],
        series=parts["issuer_series"],
        recipients=parts["issuer_recipients"].splitlines(),
    )


def round_context(round_: Round, baseline: Round | None) -> RoundContext:
    return RoundContext.build(get_catalogue(), round_facts(round_), round_facts(baseline) if baseline else None)


def history_of(round_: Round, rounds: int = 12) -> list[RoundFacts]:
    """The figures of up to `rounds` rounds before this one, newest first: a unit's own past, for outliers."""
    return [round_facts(r) for r in Round.objects.filter(code__lt=round_.code).order_by("-code")[:rounds]]


def round_and_baseline(round_code: str, baseline_code: str | None = None) -> tuple[Round, Round | None]:
    """The round and the one it is compared with (the chosen one, else the previous); ReportError if unknown."""
    round_ = Round.objects.filter(code=round_code).first()
    if round_ is None:
        raise ReportError(f"Không có kỳ báo cáo '{round_code}'", f"no round '{round_code}'")
    if not baseline_code:
        return round_, round_.effective_baseline()
    baseline = Round.objects.filter(code=baseline_code).first()
    if baseline is None:
        raise ReportError(f"Không có kỳ so sánh '{baseline_code}'", f"no baseline round '{baseline_code}'")
    return round_, baseline


def build_document(
    round_code: str,
    baseline_code: str | None = None,
    number: str | None = None,
    issued_on: date | None = None,
    sections_dir: Path | None = None,
    layout: Layout | None = None,
) -> Document:
    """The round's report; its written sections from `sections_dir` when given, else as stored for the round; laid
    out as `layout` says, else as its outline says."""
    from dxmonitor.editorial.report import written_sections
    from dxmonitor.reports.statistics import build_report

    round_, baseline = round_and_baseline(round_code, baseline_code)
    issuer = issuer_of(round_)
    number = number or round_.report_number or f"      /{issuer.series}"
    outline = outline_on(round_days(round_.code))  # the outline in force on the round's days, as its tree
    editorial, problems = written_sections(round_, outline, sections_dir)
    if problems:
        raise ReportError(
            "Các mục viết của báo cáo có lỗi:\n" + "\n".join(f"{p.location}: {p.message_vi}" for p in problems),
            "The report's written sections have errors:\n"
            + "\n".join(f"{p.location}: {p.message_en}" for p in problems),
        )
    doc = build_report(
        outline,
        round_context(round_, baseline),
        issuer,
        number,
        issued_on or round_.report_date or date.today(),
        editorial,
    )
    return dressed(doc, outline, round_.name, layout)


def dressed(doc: Document, outline: Outline, round_name: str, layout: Layout | None = None) -> Document:
    """`doc` with the look its outline gives it (layout, cover texts, Word template), or the asked `layout`."""
    doc.layout = layout or outline.layout
    if doc.layout == "bulletin":
        texts = outline.cover
        period = texts.period.format(round_name=round_name)
        doc.cover = Cover(period[:1].upper() + period[1:], texts.tagline, texts.circulation, texts.footer)
    else:
        doc.cover = None
    if outline.template:
        doc.template = str(OUTLINES_DIR / outline.template)  # an absolute path stays as it is
    return doc


def generate(
    round_code: str,
    formats: list[str],
    out_dir: Path,
    on_step: Callable[[str], None] | None = None,
    **options: object,
) -> list[Path]:
    """Write the report of `round_code` into `out_dir` in each format; return the files written. `on_step` is told
    each step before it starts ("build", then each format), for a job's progress."""
    step = on_step or (lambda _: None)
    unknown = [f for f in formats if f not in RENDERERS]
    if unknown:
        raise ReportError(
            f"định dạng không hỗ trợ: {', '.join(unknown)} (dùng docx, html, pdf)",
            f"unsupported format(s): {', '.join(unknown)} (use docx, html, pdf)",
        )
    step("build")
    doc = build_document(round_code, **options)  # type: ignore[arg-type]
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        step(fmt)
        written.append(RENDERERS[fmt](doc, report_path(out_dir, round_code, fmt)))
    return written
