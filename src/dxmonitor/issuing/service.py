"""Issue a round's report: take the next number of its series and year, make the files into a folder of their own,
sign the PDF, and record the version with each file's sha256 and the figures it was made from.

The number is taken in the one write path's way (intake/locks.py): a short write transaction that holds the
series' lock (PostgreSQL: an advisory lock per series and year; SQLite: the IMMEDIATE transaction), retried when
another issue holds it or took the same number first (the unique constraint). The files are made outside that
transaction: the version stays "reserved" meanwhile, and a failure removes it and its folder."""

from __future__ import annotations

import shutil
import tempfile
import time
import zlib
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
from dxmonitor.reports.export import export_rows
from dxmonitor.reports.files import report_path
from dxmonitor.reports.generate import generate, round_context

FORMATS = ("docx", "html", "pdf")
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


def issue(
    round_: Round,
    issued_by: str,
    reason: str = "",
    formats: tuple[str, ...] = FORMATS,
    on: date | None = None,
) -> IssuedReport:
    """Issue the round's report now: a new numbered version (replacing the latest issued one) with its files."""
    credentials = signing.require_configured() if "pdf" in formats else None
    certificate = signing.certificate_pem(credentials) if credentials else ""
    day = on or timezone.localdate()
    snapshot = export_rows(round_context(round_, round_.effective_baseline()))
    record = _reserve(round_, day, issued_by, reason, snapshot, certificate)
    folder = folder_of(record)
    try:
        folder.mkdir(parents=True, exist_ok=False)
    except FileExistsError:
        record.delete()
        raise
    try:
        files = _make_files(record, formats, folder, credentials)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        record.delete()
        raise
    record.files = [vars(f) for f in files]
    record.state = IssuedReport.State.ISSUED
    record.save()
    return record


def _reserve(
    round_: Round, day: date, issued_by: str, reason: str, snapshot: list[dict[str, str]], certificate: str
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
    record: IssuedReport, formats: tuple[str, ...], folder: Path, credentials: signing.Credentials | None
) -> list[IssueFile]:
    code = record.round.code
    with tempfile.TemporaryDirectory(prefix="dxmonitor-issue-") as scratch:
        made = generate(code, list(formats), Path(scratch), number=record.number, issued_on=record.date)
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
