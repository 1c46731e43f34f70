"""Issuing a round's report: numbers per series and year (unique under concurrent issues, on the suite's engine),
files kept per version with their sha256 and never rewritten, a correction as a new version naming the one it
replaces, the PDF signed (PAdES) and checked by `dxmonitor verify`, a tampered copy refused.

The issue commands run as real processes on a database of their own (as tests/test_concurrency.py does); one PDF is
made for the whole module, the other issues make HTML only (LibreOffice takes 30-60 s a PDF)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from dxmonitor.accounts.models import ApiToken, Membership
from dxmonitor.catalogue.models import Round, Unit
from dxmonitor.demo.loading import demo_rounds
from dxmonitor.issuing import service
from dxmonitor.issuing.diff import Change, diff_rows
from dxmonitor.issuing.hashing import sha256_of
from dxmonitor.issuing.jobs import progress_at
from dxmonitor.issuing.models import Immutable, IssuedReport
from dxmonitor.issuing.numbering import format_number, next_sequence, series_from_number
from dxmonitor.issuing.service import _reserve, issue
from dxmonitor.issuing.signing import check_signature, make_demo_certificate
from dxmonitor.publishing.jobs import Refusal
from dxmonitor.publishing.models import Job
from dxmonitor.publishing.readiness import missing_units
from dxmonitor.reports.generate import ReportError
from test_concurrency import dxmonitor, scratch  # noqa: F401  (the scratch database fixture)

PASSWORD = "mật-khẩu-ký-thử"


# --- numbers, as plain functions


def test_a_number_is_its_sequence_in_two_digits_and_its_series() -> None:
    assert [format_number(n, "BC-SKHCN") for n in (1, 3, 12, 112)] == [
        "01/BC-SKHCN",
        "03/BC-SKHCN",
        "12/BC-SKHCN",
        "112/BC-SKHCN",
    ]
    assert [series_from_number(t) for t in ("02/BC-STTTT", "      /BC-STTTT", "BC-SKHCN")] == ["BC-STTTT"] * 2 + [
        "BC-SKHCN"
    ]
    assert (next_sequence([]), next_sequence([1, 2, 5])) == (1, 6)


def test_the_difference_of_two_snapshots_names_each_changed_added_and_removed_figure() -> None:
    row = {"indicator": "app.users", "unit_code": "BP.LOC_NINH", "category": "", "as_of": "2022-07-19"}
    before = [
        {**row, "value": "10", "verdict": "", "target": "", "baseline_value": "", "change": ""},
        {
            **row,
            "unit_code": "BP.DONG_PHU",
            "value": "5",
            "verdict": "",
            "target": "",
            "baseline_value": "",
            "change": "",
        },
    ]
    after = [
        {**row, "value": "12", "verdict": "", "target": "", "baseline_value": "", "change": ""},
        {
            **row,
            "unit_code": "BP.HON_QUAN",
            "value": "1",
            "verdict": "",
            "target": "",
            "baseline_value": "",
            "change": "",
        },
    ]
    empty = {"value": "", "target": "", "verdict": "", "baseline_value": "", "change": ""}
    assert diff_rows(before, after) == [
        Change(("app.users", "BP.DONG_PHU", "", "2022-07-19"), "removed", {**empty, "value": "5"}, {}),
        Change(("app.users", "BP.HON_QUAN", "", "2022-07-19"), "added", {}, {**empty, "value": "1"}),
        Change(("app.users", "BP.LOC_NINH", "", "2022-07-19"), "changed", {"value": "10"}, {"value": "12"}),
    ]


# --- numbers in the database


def _reserve_on(code: str, day: date) -> IssuedReport:
    return _reserve(Round.objects.get(code=code), day, "alice", "", [], "")


@pytest.mark.django_db
def test_numbers_run_per_series_and_year_and_versions_per_round() -> None:
    june, may = Round.objects.get(code="2022-06"), Round.objects.get(code="2022-05")
    may.issuer_series = "BC-SKHCN"  # another agency's series
    may.save(update_fields=["issuer_series"])
    issued = [
        _reserve_on("2022-06", date(2022, 7, 20)),
        _reserve_on("2022-06", date(2022, 12, 30)),
        _reserve_on("2022-05", date(2022, 12, 31)),
        _reserve_on("2022-06", date(2023, 1, 3)),
        _reserve_on("2022-05", date(2023, 1, 4)),
    ]
    assert [(r.round.code, r.version, r.number, r.year) for r in issued] == [
        ("2022-06", 1, "01/BC-STTTT", 2022),
        ("2022-06", 2, "02/BC-STTTT", 2022),
        ("2022-05", 1, "01/BC-SKHCN", 2022),
        ("2022-06", 3, "01/BC-STTTT", 2023),
        ("2022-05", 2, "01/BC-SKHCN", 2023),
    ]
    assert june.issued_reports.count() == 3


@pytest.mark.django_db
def test_the_database_refuses_a_number_taken_twice_and_an_issued_version_is_never_changed() -> None:
    first = _reserve_on("2022-06", date(2022, 7, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedReport.objects.create(
            round=Round.objects.get(code="2022-05"), version=1, number="01/BC-STTTT", series="BC-STTTT",
            year=2022, sequence=1, issued_at=first.issued_at, date=first.date, issued_by="bob",
        )  # fmt: skip
    first.state = IssuedReport.State.ISSUED
    first.save()
    first.reason = "sửa lén / a quiet edit"
    with pytest.raises(Immutable):
        first.save()
    with pytest.raises(Immutable):
        first.delete()


@pytest.mark.django_db
def test_a_number_whose_files_are_being_made_is_listed_as_such_never_left_out(personas: dict[str, Any]) -> None:
    reserved = _reserve_on("2022-06", date(2022, 7, 20))  # taken; its files not made (yet, or its process died)
    listed = StringIO()
    call_command("issued", round="2022-06", stdout=listed)
    at = timezone.localtime(reserved.issued_at).strftime("%d/%m/%Y %H:%M")
    assert listed.getvalue().splitlines() == [
        f"v1 01/BC-STTTT đang lập tệp / files being made (từ / since {at}, bởi / by alice)"
    ]
    viewer = Client()
    viewer.force_login(personas["viewer"])
    page = viewer.get("/rounds/2022-06/issued").content.decode()
    assert 'data-testid="reserved"' in page and f"Số này đã được lấy lúc {at} (alice)" in page


# --- issuing in processes of their own, with a signed PDF


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dxmonitor.cli", *args], env=env, capture_output=True, text=True, timeout=600
    )


def register(env: dict[str, str], code: str) -> list[dict[str, object]]:
    """The round's issued versions as stored (read by a process on the scratch database)."""
    script = (
        "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dxmonitor.project.settings');"
        "django.setup(); from dxmonitor.issuing.models import IssuedReport as R;"
        f"print(json.dumps([dict(version=r.version, number=r.number, sequence=r.sequence, year=r.year, "
        f"folder=r.folder, "
        f"files=r.files, snapshot=r.snapshot, replaces=r.replaces.version if r.replaces else None, state=r.state) "
        f"for r in R.objects.filter(round__code='{code}').order_by('version')]))"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def issuing(scratch: dict[str, str]) -> Iterator[dict[str, str]]:  # noqa: F811
    """The scratch database with round 2022-05 too, a demo signing certificate, and 2022-06 issued once (DOCX,
    HTML and the signed PDF)."""
    home = Path(scratch["DXMONITOR_HOME"])
    may = next(d for d in demo_rounds() if d.code == "2022-05")
    dxmonitor(scratch, "import", str(may.file), "--round", "2022-05")
    p12 = make_demo_certificate(home / "signing" / "demo.p12", PASSWORD, "Người ký thử", "Sở Thông tin và Truyền thông")
    env = {**scratch, "DXMONITOR_SIGNING_P12": str(p12), "DXMONITOR_SIGNING_PASSWORD": PASSWORD}
    done = run(env, "issue", "--round", "2022-06", "--reason", "bản đầu / first", "--date", "2022-07-20")
    assert done.returncode == 0, done.stdout + done.stderr
    yield env


def _files_of(env: dict[str, str], version: dict[str, object]) -> dict[str, Path]:
    folder = Path(env["DXMONITOR_HOME"]) / "out" / str(version["folder"])
    return {str(f["name"]): folder / str(f["name"]) for f in version["files"]}  # type: ignore[attr-defined]


def test_an_issued_pdf_carries_a_valid_signature_and_verify_names_its_version(issuing: dict[str, str]) -> None:
    first = register(issuing, "2022-06")[0]
    pdf = _files_of(issuing, first)["bao-cao-2022-06.pdf"]
    certificate = Path(issuing["DXMONITOR_SIGNING_P12"])
    from dxmonitor.issuing.signing import Credentials, certificate_pem

    check = check_signature(pdf, [certificate_pem(Credentials(certificate, PASSWORD.encode()))])
    assert (check.signed, check.intact, check.trusted, check.whole_file) == (True, True, True, True)
    assert "Người ký thử" in check.signer
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert first["number"] in text  # the issued number is printed in the report
    done = run(issuing, "verify", str(pdf))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{first['number']} ngày / dated 20/07/2022, kỳ / round 2022-06 v1" in done.stdout
    assert "chữ ký số: hợp lệ" in done.stdout.lower()


def test_the_issued_pdf_s_signature_is_visible_in_the_signer_s_block(issuing: dict[str, str]) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    first = register(issuing, "2022-06")[0]
    pdf = _files_of(issuing, first)["bao-cao-2022-06.pdf"]
    with pdf.open("rb") as stream:
        reader = PdfFileReader(stream, strict=False)
        [signature] = reader.embedded_signatures
        widget = signature.sig_field
        left, bottom, right, top = (float(v) for v in widget["/Rect"])
        pages = int(reader.root["/Pages"]["/Count"])
        last_page, _ = reader.find_page_for_modification(pages - 1)
        on_page = widget.raw_get("/P").idnum
        appearance = widget["/AP"]["/N"]
    assert (on_page, round(right - left), round(top - bottom)) == (last_page.idnum, 170, 57)  # 60 × 20 mm
    assert "/XObject" in appearance["/Resources"]  # the picture of who signed and when
    info = subprocess.run(["pdfinfo", "-f", str(pages), "-l", str(pages), str(pdf)], capture_output=True, text=True)
    height = float(re.findall(r"size:\s+[\d.]+ x ([\d.]+)", info.stdout)[-1])
    above = [int(left) - 40, int(height - top - 24), int(right - left) + 80, 24]  # x, y from the top, width, height

    assert page_text(pdf, pages, above) == "GIÁM ĐỐC"  # right under the signer's title
    assert "Nơi nhận:" in page_text(pdf, pages)  # on the closing's page
    assert check_signature(pdf, [_pem(issuing)]).valid


def page_text(pdf: Path, page: int, crop: list[int] | None = None) -> str:
    """The text of one page of `pdf`, or of the area `crop` (x, y, width, height in points from the top left)."""
    area = [arg for flag, value in zip("xyWH", crop or [], strict=False) for arg in (f"-{flag}", str(value))]
    args = ["pdftotext", "-f", str(page), "-l", str(page), *area, str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()


def _pem(env: dict[str, str]) -> str:
    from dxmonitor.issuing.signing import Credentials, certificate_pem

    return certificate_pem(Credentials(Path(env["DXMONITOR_SIGNING_P12"]), PASSWORD.encode()))


def test_the_signature_s_picture_says_who_signed_and_when() -> None:
    from datetime import datetime, timedelta, timezone

    from dxmonitor.issuing.signing import stamp_lines, stamp_picture

    when = datetime(2022, 7, 20, 9, 5, 3, tzinfo=timezone(timedelta(hours=7)))
    lines = stamp_lines("Nguyễn Văn Thử", "Sở Thông tin và Truyền thông", when)
    assert lines == [
        "Ký bởi: Nguyễn Văn Thử",
        "Cơ quan: Sở Thông tin và Truyền thông",
        "Thời gian ký: 20/07/2022 09:05:03 +07:00",
    ]
    picture = stamp_picture(lines)
    assert picture.size == (709, 236)  # 60 × 20 mm at 300 dpi
    inked = [y for y in range(8, 228) if any(picture.getpixel((x, y)) != (255, 255, 255) for x in range(8, 700))]
    assert len(inked) > 60  # three lines of text inside the frame


def test_a_tampered_copy_of_an_issued_pdf_is_detected(issuing: dict[str, str], tmp_path: Path) -> None:
    first = register(issuing, "2022-06")[0]
    pdf = _files_of(issuing, first)["bao-cao-2022-06.pdf"]
    data = bytearray(pdf.read_bytes())
    at = data.index(b"/Producer")  # in the signed bytes: a changed letter of the document's information
    data[at + 2] ^= 0x20
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(pdf.read_bytes() + b"\n% a line added after the signature\n")
    done = run(issuing, "verify", str(tampered))
    assert done.returncode == 1
    assert "KHÔNG hợp lệ" in done.stdout and "không khớp bản nào đã ban hành" in done.stderr
    done = run(issuing, "verify", str(appended))
    assert done.returncode == 1, done.stdout
    assert "không khớp bản nào đã ban hành" in done.stderr


def test_a_correction_is_a_new_version_and_the_issued_files_never_change(issuing: dict[str, str]) -> None:
    first = register(issuing, "2022-06")[0]
    kept = {name: sha256_of(path) for name, path in _files_of(issuing, first).items()}
    assert kept == {str(f["name"]): f["sha256"] for f in first["files"]}  # type: ignore[attr-defined]
    correction = Path(issuing["DXMONITOR_HOME"]) / "correction.csv"
    correction.write_text(
        "don_vi,chi_tieu,gia_tri,ngay_so_lieu\nBP.LOC_NINH,app.users,4321,19/07/2022\n", encoding="utf-8"
    )
    dxmonitor(issuing, "import", str(correction), "--round", "2022-06")
    done = run(
        issuing,
        "issue",
        "--round",
        "2022-06",
        "--format",
        "html",
        "--reason",
        "đính chính / corrected",
        "--date",
        "2022-07-25",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    versions = register(issuing, "2022-06")
    latest = versions[-1]
    assert latest["replaces"] == versions[-2]["version"] and latest["number"] != first["number"]
    assert {name: sha256_of(path) for name, path in _files_of(issuing, first).items()} == kept
    changed = diff_rows(first["snapshot"], latest["snapshot"])  # type: ignore[arg-type]
    assert [(c.key[:2], c.kind, c.after.get("value")) for c in changed] == [
        (("app.users", "BP.LOC_NINH"), "changed", "4321")
    ]
    was, now = changed[0].before, changed[0].after  # the value and its change against May
    compared = run(issuing, "issued", "--round", "2022-06", "--compare", str(first["version"]), "now").stdout
    assert compared.splitlines()[-2:] == [
        f"changed app.users BP.LOC_NINH {changed[0].key[3]}: value={was['value']}, change={was['change']} "
        f"-> value=4321, change={now['change']}",
        f"1 số liệu khác nhau / figure(s) differ ({first['version']} -> now)",
    ]
    listed = run(issuing, "issued", "--round", "2022-06").stdout
    assert f"v{latest['version']} {latest['number']}" in listed and "đính chính / corrected" in listed
    assert f"thay thế / replaces v{latest['replaces']}" in listed


def test_concurrent_issues_take_different_numbers(issuing: dict[str, str]) -> None:
    taken_before = [
        v["sequence"] for code in ("2022-05", "2022-06") for v in register(issuing, code) if v["year"] == 2022
    ]
    command = [sys.executable, "-m", "dxmonitor.cli", "issue", "--format", "html", "--date", "2022-08-01"]
    command += ["--reason", "đua / a race"]  # the demo rounds are incomplete: issued only with a reason
    processes = [
        subprocess.Popen(
            [*command, "--round", code], env=issuing, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for code in ("2022-06", "2022-06", "2022-05")
    ]
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, out + err
    june, may = register(issuing, "2022-06"), register(issuing, "2022-05")
    in_2022 = [v for v in june + may if v["year"] == 2022]
    # One series (BC-STTTT: Bình Phước's Sở TT&TT issues both 2022 rounds), one year: Số 01, 02, … with no gap or twin.
    sequences = sorted(int(str(v["sequence"])) for v in in_2022)
    assert sequences == list(range(1, len(taken_before) + 4))
    assert [v["version"] for v in june] == list(range(1, len(june) + 1))
    assert all(v["state"] == "issued" for v in june + may)


REQUEST = """
import json, os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxmonitor.project.settings")
django.setup()
from django.contrib.auth.models import User
from django.test import Client
client = Client()
client.force_login(User.objects.get(username="race_admin"))
body = {"formats": ["html"], "reason": "hai yêu cầu cùng lúc / two at once"}
answer = client.post(f"/api/rounds/{sys.argv[1]}/issue", body, content_type="application/json")
print(answer.status_code, json.dumps(answer.json()))
"""
JOBS = (
    "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dxmonitor.project.settings');"
    "django.setup(); from dxmonitor.publishing.models import Job;"
    "print(json.dumps([[j.round.code, j.state, j.progress, j.result.get('number')] for j in "
    "Job.objects.filter(kind='issue').order_by('id')]))"
)


def test_two_issue_requests_over_the_api_run_by_two_workers_at_once_take_consecutive_numbers(
    issuing: dict[str, str],
) -> None:
    year = timezone.localdate().year  # the API issues today: the numbers of this year's series
    taken_before = [
        v["sequence"] for code in ("2022-05", "2022-06") for v in register(issuing, code) if v["year"] == year
    ]
    python = [sys.executable, "-c", REQUEST]
    asked = [
        subprocess.Popen([*python, code], env=issuing, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for code in ("2022-05", "2022-06")
    ]
    for process in asked:
        out, err = process.communicate(timeout=300)
        assert out.strip().splitlines()[-1].startswith("202 "), out + err
    worker = [sys.executable, "-m", "dxmonitor.cli", "worker", "--batch", "--interval", "0.1"]
    workers = [subprocess.Popen(worker, env=issuing, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in "ab"]
    for process in workers:
        process.communicate(timeout=600)
        assert process.returncode == 0
    now = [v for code in ("2022-05", "2022-06") for v in register(issuing, code) if v["year"] == year]
    sequences = sorted(int(str(v["sequence"])) for v in now)
    assert sequences == list(range(1, len(taken_before) + 3))  # one number each, no gap, no twin
    done = subprocess.run([sys.executable, "-c", JOBS], env=issuing, capture_output=True, text=True, check=True)
    jobs = json.loads(done.stdout.splitlines()[-1])
    numbers = {f"{n:02d}/BC-STTTT" for n in sequences[-2:]}
    assert sorted((code, state, progress) for code, state, progress, _ in jobs) == [  # asked at once: in any order
        ("2022-05", "done", 100),
        ("2022-06", "done", 100),
    ]
    assert {number for *_, number in jobs} == numbers


# --- the API: a job on the task queue


def work(job_id: int) -> None:
    """The queue's worker runs the job's queued task, as `dxmonitor worker` would (django-tasks-db's own code)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from dxmonitor.publishing.models import Job

    row = DBTaskResult.objects.get(id=Job.objects.get(pk=job_id).task_id)
    worker = Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=1, worker_id="test", excluded_queue_names=[],
    )  # fmt: skip
    worker.run_task(row)


@pytest.mark.django_db
def test_an_admin_key_issues_over_the_api_as_a_job_and_a_reporter_key_is_refused(
    personas: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    settings.REPORTS_DIR = tmp_path
    admin_key = ApiToken.issue("office", user=personas["admin"])[1]
    reporter_key = ApiToken.issue("portal", Unit.objects.get(code="BP.DONG_PHU"))[1]
    admin = Client(HTTP_AUTHORIZATION=f"Bearer {admin_key}")

    def post(key: str, body: object) -> Any:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client.post("/api/rounds/2022-06/issue", json.dumps(body), content_type="application/json")

    refused = post(reporter_key, {"formats": ["html"]})
    assert refused.status_code == 403
    started = post(admin_key, {"formats": ["html"], "reason": "qua API / over the API"})
    assert started.status_code == 202, started.content
    job = started.json()
    assert (job["kind"], job["state"], job["step"], job["progress"], job["issued"]) == (
        "issue",
        "queued",
        "queued",
        0,
        None,
    )
    assert job["status_url"] == f"/api/jobs/{job['id']}" and job["reason"] == "qua API / over the API"
    assert IssuedReport.objects.count() == 0  # nothing is numbered before the worker runs it
    again = post(admin_key, {"formats": ["html"], "reason": "lần hai / twice"})
    assert again.status_code == 409 and again.json()["detail"] == "busy"

    work(job["id"])

    status = admin.get(job["status_url"]).json()
    html = tmp_path / "issued" / "2022-06" / "v1" / "bao-cao-2022-06.html"
    url = "/rounds/2022-06/issued/v1/bao-cao-2022-06.html"
    assert {k: status[k] for k in ("state", "progress", "step", "error_vi", "issued", "files")} == {
        "state": "done",
        "progress": 100,
        "step": "done",
        "error_vi": "",
        "issued": {"version": 1, "number": "01/BC-STTTT", "url": "/rounds/2022-06/issued"},
        "files": [{"name": html.name, "format": "HTML", "url": url}],
    }
    listed = Client(HTTP_AUTHORIZATION=f"Bearer {reporter_key}").get("/api/rounds/2022-06/issued").json()
    june = Round.objects.get(code="2022-06")
    assert listed == [
        {
            "round": "2022-06",
            "version": 1,
            "number": "01/BC-STTTT",
            "date": timezone.localdate().isoformat(),
            "signer": "GIÁM ĐỐC",
            "issued_by": "token:office",
            "reason": "qua API / over the API",
            "missing_units": missing_units(june),
            "replaces": None,
            "files": [{"name": html.name, "format": "html", "sha256": sha256_of(html), "bytes": html.stat().st_size}],
        }
    ]
    assert "01/BC-STTTT" in html.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_an_issue_job_whose_files_cannot_be_made_ends_failed_in_both_languages_and_takes_no_number(
    personas: dict[str, Any], settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.REPORTS_DIR = tmp_path
    monkeypatch.setattr(service, "generate", broken_generation)
    client = Client()
    client.force_login(personas["admin"])
    started = client.post(
        "/api/rounds/2022-06/issue", {"formats": ["html"], "reason": "thử / a try"}, "application/json"
    )
    assert started.status_code == 202, started.content

    work(started.json()["id"])

    status = client.get(started.json()["status_url"]).json()
    assert (status["state"], status["step"], status["error_vi"], status["error_en"]) == (
        "failed", "failed", "LibreOffice ngừng giữa chừng", "LibreOffice stopped half-way",
    )  # fmt: skip
    assert IssuedReport.objects.count() == 0 and not (tmp_path / "issued" / "2022-06" / "v1").exists()


def test_an_issue_job_s_progress_grows_with_its_steps_and_the_pdf_weighs_most() -> None:
    formats = ["docx", "html", "pdf"]
    shares = [progress_at(step, formats) for step in ("build", "docx", "html", "pdf", "sign")]
    assert shares == [0, 30, 45, 55, 95]
    assert [progress_at(step, ["html"]) for step in ("build", "html", "sign")] == [0, 67, 89]


# --- an incomplete round


@pytest.mark.django_db
def test_an_incomplete_round_is_issued_only_with_a_reason_on_every_way_in(
    personas: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    settings.REPORTS_DIR = tmp_path
    june = Round.objects.get(code="2022-06")
    missing = missing_units(june)
    assert missing, "the demo round 2022-06 has units that did not report"
    count = len(missing)
    vi = f"Kỳ 2022-06 chưa đủ số liệu: {count} đơn vị chưa nộp ("
    en = f"Round 2022-06 is incomplete: {count} unit(s) have not submitted ("
    with pytest.raises(Refusal) as refused:
        issue(june, "alice", "   ", ("html",))
    assert refused.value.field == "reason"
    assert refused.value.vi.startswith(vi) and refused.value.vi.endswith("hãy ghi lý do (được lưu cùng phiên bản)")
    assert refused.value.en.startswith(en) and refused.value.en.endswith("give a reason (kept with the version)")
    with pytest.raises(CommandError) as said:
        call_command("issue", round="2022-06", format="html", stdout=StringIO())
    assert str(said.value).startswith(vi) and f'(--reason "…") / {en}' in str(said.value)
    admin = Client()
    admin.force_login(personas["admin"])
    api = admin.post("/api/rounds/2022-06/issue", {"formats": ["html"]}, "application/json")
    assert api.status_code == 422
    problem = api.json()["errors"][0]
    assert (
        problem["field"] == "reason" and problem["message_vi"].startswith(vi) and problem["message_en"].startswith(en)
    )
    page = admin.post("/rounds/2022-06/issue", {"formats": ["html"], "reason": ""}, follow=True)
    shown = [str(m) for m in page.context["messages"]]
    assert len(shown) == 1 and shown[0].startswith(vi) and f" / {en}" in shown[0]
    assert IssuedReport.objects.count() == 0 and Job.objects.count() == 0

    out = StringIO()
    call_command("issue", round="2022-06", format="html", reason="Họp Ban Chỉ đạo / the Committee meets", stdout=out)
    record = IssuedReport.objects.get(round=june)
    assert (record.reason, record.missing_units) == ("Họp Ban Chỉ đạo / the Committee meets", missing)
    listed = StringIO()
    call_command("issued", round="2022-06", stdout=listed)
    lines = listed.getvalue().splitlines()
    assert lines[1] == "  lý do / reason: Họp Ban Chỉ đạo / the Committee meets"
    assert lines[2].startswith(f"  chưa đủ số liệu / incomplete: {count} đơn vị chưa nộp / unit(s) not reported (")


# --- a generation that fails


def broken_generation(*args: Any, **kwargs: Any) -> list[Path]:
    raise ReportError("LibreOffice ngừng giữa chừng", "LibreOffice stopped half-way")


@pytest.mark.django_db
def test_a_failed_generation_gives_its_number_back_to_the_next_issue(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.REPORTS_DIR = tmp_path
    june = Round.objects.get(code="2022-06")
    monkeypatch.setattr(service, "generate", broken_generation)
    with pytest.raises(ReportError):
        issue(june, "alice", "thử / a try", ("html",), date(2022, 7, 20))
    assert IssuedReport.objects.count() == 0
    assert list((tmp_path / "issued" / "2022-06").iterdir()) == []
    monkeypatch.undo()
    record = issue(june, "alice", "thử lại / again", ("html",), date(2022, 7, 21))
    assert (record.number, record.version, record.state) == ("01/BC-STTTT", 1, "issued")


@pytest.mark.django_db
def test_a_failure_after_a_later_number_was_taken_is_recorded_so_the_series_has_no_silent_gap(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.REPORTS_DIR = tmp_path
    june, may = Round.objects.get(code="2022-06"), Round.objects.get(code="2022-05")
    later: list[IssuedReport] = []
    calls: list[str] = []
    real = service.generate

    def another_issue_meanwhile(*args: Any, **kwargs: Any) -> list[Path]:
        calls.append(args[0])
        if len(calls) > 1:  # the other issue's own generation
            return real(*args, **kwargs)
        later.append(issue(may, "bob", "cùng lúc / meanwhile", ("html",), date(2022, 7, 20)))
        return broken_generation()

    monkeypatch.setattr(service, "generate", another_issue_meanwhile)
    with pytest.raises(ReportError):
        issue(june, "alice", "thử / a try", ("html",), date(2022, 7, 20))
    monkeypatch.undo()
    failed = IssuedReport.objects.get(round=june)
    assert (failed.number, failed.state, failed.files) == ("01/BC-STTTT", "failed", [])
    assert failed.error == "LibreOffice ngừng giữa chừng / LibreOffice stopped half-way"
    assert (later[0].number, later[0].state) == ("02/BC-STTTT", "issued")
    with pytest.raises(Immutable):
        failed.delete()
    retried = issue(june, "alice", "thử lại / again", ("html",), date(2022, 7, 21))
    assert (retried.number, retried.version, retried.replaces) == ("03/BC-STTTT", 2, None)
    listed = StringIO()
    call_command("issued", round="2022-06", stdout=listed)
    assert listed.getvalue().splitlines()[0].startswith(
        "v1 01/BC-STTTT KHÔNG ban hành được / NOT issued (lúc / at "
    ) and listed.getvalue().splitlines()[0].endswith(
        "bởi / by alice): LibreOffice ngừng giữa chừng / LibreOffice stopped half-way"
    )
    page = Client()
    page.force_login(User.objects.create_user("vy"))
    Membership.objects.create(user=User.objects.get(username="vy"), role="viewer")
    text = page.get("/rounds/2022-06/issued").content.decode()
    assert 'data-testid="failed"' in text and "LibreOffice stopped half-way" in text


# --- the page


@pytest.mark.django_db
def test_the_issued_page_lists_each_version_and_serves_its_files_unchanged(
    personas: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    settings.REPORTS_DIR = tmp_path
    june = Round.objects.get(code="2022-06")
    first = issue(june, "alice", "bản đầu / first", ("html",), date(2022, 7, 20))
    client = Client()
    client.force_login(personas["viewer"])
    page = client.get("/rounds/2022-06/issued")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{first.number}" in text and "bản đầu / first" in text and first.files[0]["sha256"] in text
    assert 'data-testid="unchanged"' in text  # nothing written since
    served = client.get(f"/rounds/2022-06/issued/v{first.version}/bao-cao-2022-06.html")
    assert served.status_code == 200
    assert hashlib.sha256(b"".join(served.streaming_content)).hexdigest() == first.files[0]["sha256"]
    assert client.get(f"/rounds/2022-06/issued/v{first.version}/..%2Fsecret.html").status_code == 404
    assert client.get("/rounds/2022-06/issued/v9/bao-cao-2022-06.html").status_code == 404
    assert Client().get("/rounds/2022-06/issued").status_code in (302, 403)  # members only
    assert 'data-testid="issue-form"' not in text  # issuing is for admins
    assert client.post("/rounds/2022-06/issue", {"reason": "thử / a try"}).status_code == 403
    admin = Client()
    admin.force_login(personas["admin"])
    assert 'data-testid="issue-form"' in admin.get("/rounds/2022-06/issued").content.decode()


@pytest.mark.django_db
def test_the_admin_issues_from_the_page_and_the_round_s_pages_show_the_job_until_the_version_is_issued(
    personas: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    settings.REPORTS_DIR = tmp_path
    admin = Client()
    admin.force_login(personas["admin"])
    form = admin.get("/rounds/2022-06/issued").content.decode()
    assert 'data-testid="incomplete"' in form and 'name="reason" rows="2" maxlength="2000" required' in form

    sent = admin.post("/rounds/2022-06/issue", {"formats": ["html"], "reason": "Họp Ban Chỉ đạo / the Committee"})

    assert (sent.status_code, sent["Location"]) == (302, "/rounds/2022-06/issued#issue")
    job = Job.objects.get(kind="issue")
    assert (job.state, job.via, job.requested_by, job.reason) == (
        "queued",
        "web",
        "alice",
        "Họp Ban Chỉ đạo / the Committee",
    )
    page = admin.get("/rounds/2022-06/issued").content.decode()
    assert f'data-job-url="/jobs/{job.pk}.json"' in page and "Đang chờ đến lượt" in page
    assert 'data-testid="issue-form"' not in page  # no second issue while one is queued
    dashboard = admin.get("/rounds/2022-06").content.decode()
    assert f'data-job-url="/jobs/{job.pk}.json"' in dashboard and "Ban hành báo cáo · Công việc số" in dashboard
    assert 'href="/rounds/2022-06/issued#issue"' in dashboard

    work(job.pk)

    status = admin.get(f"/jobs/{job.pk}.json").json()
    assert (status["state"], status["progress"], status["issued"]["number"]) == ("done", 100, "01/BC-STTTT")
    page = admin.get("/rounds/2022-06/issued").content.decode()
    assert "Đã ban hành số 01/BC-STTTT (phiên bản 1)." in page and 'data-testid="issued-v1"' in page
    assert 'data-testid="issue-form"' in page and "Họp Ban Chỉ đạo / the Committee" in page
