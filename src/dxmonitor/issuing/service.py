"""Issue a round's report: check it may be issued, take the next number of its series and year, make the files
into a folder of their own, sign the PDF, and record the version with each file's sha256 and what it was made from.
Every way in (the command, the round's page, the API through its job) issues through `issue` here.

The number is taken in the one write path's way (intake/locks.py): a short write transaction that holds the
series' lock (PostgreSQL: an advisory lock per series and year; SQLite: the IMMEDIATE transaction), retried when
another issue holds it or took the same number first (the unique constraint). The files are made outside that
transaction: the version stays "reserved" meanwhile. When they cannot be made, the number is given back if no later
number was taken meanwhile (the next issue takes it again); otherwise it stays, recorded as failed with why, so the
series never has a silent gap."""

from __future__ import annotations

import shutil
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection
from django.utils import timezone

from dxmonitor.catalogue.models import Round
from dxmonitor.intake.locks import Busy, write_transaction
from dxmonitor.issuing import signing
from dxmonitor.issuing.hashing import sha256_of
from dxmonitor.issuing.issuer import place_of, series_of, signer_of
from dxmonitor.issuing.models import IssuedReport
from dxmonitor.issuing.numbering import format_number, next_sequence
from dxmonitor.issuing.snapshot import figures_of, statements_of
from dxmonitor.publishing.jobs import check_formats_and_reason, incomplete_refusal
from dxmonitor.publishing.readiness import missing_units
from dxmonitor.reports.files import report_path
from dxmonitor.reports.generate import ReportError, generate

FORMATS = ("docx", "html", "pdf")
TO_ISSUE = (
    "ban hành, hãy ghi lý do (được lưu cùng phiên bản)",
    "issue it anyway, give a reason (kept with the version)",
)
ATTEMPTS = 8
# The advisory lock class of report numbers; the write path's locks use (round id, unit id), round ids being > 0.
NUMBER_LOCK = -11


@dataclass(frozen=True)
class IssueFile:
    name: str
    format: str
    sha256: str
    bytes: int


def issued_root() -> Path:
    return Path(settings.REPORTS_DIR) / "issued"


def folder_of(record: IssuedReport) -> Path:
    """The version's own folder under the reports directory."""
    return Path(settings.REPORTS_DIR) / record.folder


def check_issue(round_: Round, formats: tuple[str, ...], reason: str) -> list[str]:
    """Refuse (Refusal, SigningError) an issue that may not start; return the units missing (empty: complete)."""
    check_formats_and_reason(formats, reason, "reason")
    if "pdf" in formats:
        signing.require_configured()
    missing = missing_units(round_)
    if missing and not reason.strip():
        raise incomplete_refusal(round_, missing, "reason", TO_ISSUE)
    return missing


def issue(
    round_: Round,
    issued_by: str,
    reason: str = "",
    formats: tuple[str, ...] = FORMATS,
    on: date | None = None,
    on_step: Callable[[str], None] | None = None,
) -> IssuedReport:
    """Issue the round's report now: a new numbered version (replacing the latest issued one) with its files.
    Refusal when the round is incomplete and no reason is given; `on_step` is told each step, for a job's progress."""
    missing = check_issue(round_, formats, reason)
    credentials = signing.require_configured() if "pdf" in formats else None
    certificate = signing.certificate_pem(credentials) if credentials else ""
    day = on or timezone.localdate()
    step = on_step or (lambda _: None)
    step("build")
    figures, statements = figures_of(round_), statements_of(round_)
    record = _reserve(round_, day, issued_by, reason.strip(), figures, certificate, statements, missing)
    folder = folder_of(record)
    try:
        folder.mkdir(parents=True, exist_ok=False)
        files = _make_files(record, formats, folder, credentials, step)
    except BaseException as exc:
        if not isinstance(exc, FileExistsError):
            shutil.rmtree(folder, ignore_errors=True)
        _fail(record, exc)
        raise
    record.files = [vars(f) for f in files]
    record.state = IssuedReport.State.ISSUED
    record.save()
    return record


def _fail(record: IssuedReport, exc: BaseException) -> None:
    """Give the number back when no later one was taken since; else keep it, recorded as failed and why."""
    why = f"{exc.vi} / {exc.en}" if isinstance(exc, ReportError | signing.SigningError) else repr(exc)
    with write_transaction():
        _hold_series(record.series, record.year)
        later = IssuedReport.objects.filter(series=record.series, year=record.year, sequence__gt=record.sequence)
        newer = IssuedReport.objects.filter(round=record.round_id, version__gt=record.version)
        if not later.exists() and not newer.exists():
            record.delete()
            return
        IssuedReport.objects.filter(pk=record.pk).update(state=IssuedReport.State.FAILED, error=why[:4000])
        record.state, record.error = IssuedReport.State.FAILED, why[:4000]


def _reserve(
    round_: Round,
    day: date,
    issued_by: str,
    reason: str,
    snapshot: list[dict[str, str]],
    certificate: str,
    statements: list[dict[str, str]] | None = None,
    missing_units: list[str] | None = None,
) -> IssuedReport:
    series = series_of(round_)
    for attempt in range(ATTEMPTS):
        try:
            with write_transaction():
                _hold_series(series, day.year)
                numbers = IssuedReport.objects.filter(series=series, year=day.year)
                sequence = next_sequence(numbers.values_list("sequence", flat=True))
                versions = IssuedReport.objects.filter(round=round_)
                version = next_sequence(versions.values_list("version", flat=True))
                replaces = versions.filter(state=IssuedReport.State.ISSUED).order_by("-version").first()
                return IssuedReport.objects.create(
                    round=round_,
                    version=version,
                    number=format_number(sequence, series),
                    series=series,
                    year=day.year,
                    sequence=sequence,
                    issued_at=timezone.now(),
                    date=day,
                    signer=signer_of(round_),
                    issued_by=issued_by,
                    reason=reason,
                    replaces=replaces,
                    folder=f"issued/{round_.code}/v{version}",
                    snapshot=snapshot,
                    statements=statements or [],
                    missing_units=missing_units or [],
                    certificate=certificate,
                )
        except (Busy, IntegrityError):
            if attempt == ATTEMPTS - 1:
                raise Busy() from None
            time.sleep(0.05 * (attempt + 1))
    raise Busy()


def _hold_series(series: str, year: int) -> None:
    """Hold the lock of the series' numbers of the year until the transaction ends."""
    if connection.vendor != "postgresql":
        return  # SQLite: the IMMEDIATE transaction holds the only write lock there is
    key = zlib.crc32(f"{series}/{year}".encode()) - 2**31  # into PostgreSQL's int range
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s::int, %s::int)", [NUMBER_LOCK, key])


def _make_files(
    record: IssuedReport,
    formats: tuple[str, ...],
    folder: Path,
    credentials: signing.Credentials | None,
    step: Callable[[str], None],
) -> list[IssueFile]:
    code = record.round.code
    with tempfile.TemporaryDirectory(prefix="dxmonitor-issue-") as scratch:
        made = generate(code, list(formats), Path(scratch), on_step=step, number=record.number, issued_on=record.date)
        step("sign")
        for path in made:
            target = report_path(folder, code, path.suffix.lstrip("."))
            if path.suffix == ".pdf" and credentials is not None:
                place = place_of(record.round)
                signing.sign_pdf(path, target, credentials, f"Ban hành {record.number}", place)
            else:
                shutil.copyfile(path, target)
    files = []
    for fmt in formats:
        path = report_path(folder, code, fmt)
        path.chmod(0o444)  # a record: not to be written again, even by mistake
        files.append(IssueFile(path.name, fmt, sha256_of(path), path.stat().st_size))
    return files


def find_by_hash(digest: str) -> tuple[IssuedReport, dict[str, object]] | None:
    """The issued version and file whose sha256 this is, if any."""
    for record in IssuedReport.objects.filter(state=IssuedReport.State.ISSUED).select_related("round"):
        for entry in record.files:
            if entry["sha256"] == digest:
                return record, entry
    return None
