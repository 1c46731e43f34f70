"""Errors are seen: every request has an id that its log records, its X-Request-ID header and its error page share;
500s are logged with their traceback and answered by the product's page (or the API's JSON), a database that cannot
be reached included; commands log their crashes to the same file."""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from dxmonitor.accounts.models import ApiToken
from dxmonitor.catalogue.models import Unit
from dxmonitor.intake.models import Value
from dxmonitor.project.logs import LogFileHandler, RequestContextFilter, current_request
from personas import PASSWORD, signed_in

RECORD_START = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} ", re.MULTILINE)
REQUEST_ID = re.compile(r"[0-9a-f]{12}")
VENV_BIN = Path(sys.executable).parent


def records_of(folder: Path, request_id: str) -> list[str]:
    """Every record (with its traceback lines) in the log files of `folder` that names the request `request_id`."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("dxmonitor.log*")))
    starts = [m.start() for m in RECORD_START.finditer(text)] + [len(text)]
    records = [text[a:b] for a, b in itertools.pairwise(starts)]
    return [r for r in records if f"[{request_id} " in r.splitlines()[0]]


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a dxmonitor process of its own, under `home` (its var/log/ included)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DXMONITOR_") and k != "DATABASE_URL"}
    env.update(DXMONITOR_HOME=str(home), DJANGO_SETTINGS_MODULE="dxmonitor.project.settings", **extra)
    return env


def failing(message: str) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(message)

    return fail


@pytest.fixture
def admin(personas: dict[str, User]) -> Client:
    client = Client(raise_request_exception=False)  # as a server answers: the exception becomes the 500 page
    client.force_login(personas["admin"])
    return client


@pytest.fixture
def api_key(db: None) -> str:
    return ApiToken.issue("errors-seen", Unit.objects.get(code="BP.DONG_PHU"))[1]


# --- the request id ----------------------------------------------------------------------------------------------


def test_every_answer_carries_a_short_request_id_of_its_own(db: None) -> None:
    ids = [Client().get("/login/").headers["X-Request-ID"] for _ in range(3)]
    assert all(REQUEST_ID.fullmatch(i) for i in ids) and len(set(ids)) == 3


def test_the_id_a_proxy_gave_the_request_is_kept(db: None) -> None:
    nginx_id = "4f1c2a9be0d34e55a7c8d9e0f1a2b3c4"
    assert Client().get("/login/", HTTP_X_REQUEST_ID=nginx_id).headers["X-Request-ID"] == nginx_id


@pytest.mark.parametrize(
    "given", ["", "abc", "x" * 65, "two words here", "id\nFORGED 2022-01-01 ERROR line", "-leading-dash", "mã-số-1234"]
)
def test_an_odd_incoming_id_is_replaced_by_a_new_one(db: None, given: str) -> None:
    answered = Client().get("/login/", HTTP_X_REQUEST_ID=given).headers["X-Request-ID"]
    assert REQUEST_ID.fullmatch(answered) and answered != given


def test_a_request_logs_its_id_user_and_path(personas: dict[str, User]) -> None:
    response = signed_in(personas["dong_phu"]).get("/units/BP.LOC_NINH.json")  # another district: refused
    request_id = response.headers["X-Request-ID"]
    assert response.status_code == 403
    [record] = records_of(settings.LOG_DIR, request_id)
    assert re.fullmatch(
        rf"\S+ \S+ WARNING \d+ django\.request \[{request_id} bob /units/BP\.LOC_NINH\.json\] "
        r"Forbidden: /units/BP\.LOC_NINH\.json\n",
        record,
    )


def test_an_api_key_is_named_in_the_log(api_key: str) -> None:
    response = Client().get("/api/rounds/2031-01", HTTP_AUTHORIZATION=f"Bearer {api_key}")
    [record] = records_of(settings.LOG_DIR, response.headers["X-Request-ID"])
    assert response.status_code == 404 and " token:errors-seen /api/rounds/2031-01] Not Found" in record


def test_a_record_outside_any_request_says_so() -> None:
    record = logging.LogRecord("dxmonitor", logging.INFO, __file__, 1, "hello", None, None)
    assert RequestContextFilter().filter(record) and current_request.get() is None
    assert (record.request_id, record.user, record.path) == ("-", "-", "-")  # type: ignore[attr-defined]


# --- 500: the product's page, the reference, the traceback in the log -------------------------------------------


def test_a_server_error_is_the_products_page_with_a_reference_found_in_the_log(
    admin: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dxmonitor.web.pages.get_catalogue", failing("the catalogue fell over: secret-detail-4711"))
    response = admin.get("/datasets")
    page, reference = response.content.decode(), response.headers["X-Request-ID"]

    assert response.status_code == 500
    assert [m.group(1) for m in re.finditer(r'data-testid="reference">([^<]*)<', page)] == [reference]
    assert "<h1>Lỗi máy chủ</h1>" in page and "Server error" in page and 'class="brand"' in page
    assert page.index("Lỗi máy chủ") < page.index("Server error")  # Vietnamese first
    assert "secret-detail-4711" not in page and "Traceback" not in page
    [record] = records_of(settings.LOG_DIR, reference)
    first, *traceback = record.splitlines()
    assert re.fullmatch(
        rf"\S+ \S+ ERROR \d+ django\.request \[{reference} alice /datasets\] Internal Server Error: /datasets", first
    )
    assert traceback[0] == "Traceback (most recent call last):"
    assert traceback[-1] == "RuntimeError: the catalogue fell over: secret-detail-4711"


def test_a_pages_json_twin_answers_a_server_error_as_json(admin: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dxmonitor.web.pages.get_catalogue", failing("boom"))
    response = admin.get("/datasets.json")
    assert (response.status_code, response.json()) == (
        500,
        {"error": "Lỗi máy chủ", "error_en": "Server error", "reference": response.headers["X-Request-ID"]},
    )


def test_an_api_fault_answers_in_the_apis_shape_with_its_reference(
    api_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dxmonitor.api.rounds.find_round", failing("no round today: secret-detail-4712"))
    response = Client().get("/api/rounds/2022-06", HTTP_AUTHORIZATION=f"Bearer {api_key}")
    reference = response.headers["X-Request-ID"]

    assert (response.status_code, response["Content-Type"], response.json()) == (
        500,
        "application/json; charset=utf-8",
        {
            "detail": "server_error",
            "message_vi": f"Lỗi máy chủ; hãy báo quản trị viên kèm mã tham chiếu {reference}",
            "message_en": f"Server error; tell the administrator, quoting the reference {reference}",
            "errors": [],
            "warnings": [],
            "reference": reference,
        },
    )
    [record] = records_of(settings.LOG_DIR, reference)
    assert record.splitlines()[0].endswith(
        f"ERROR {os.getpid()} django.request [{reference} token:errors-seen /api/rounds/2022-06] "
        "Internal Server Error: /api/rounds/2022-06"
    )
    assert record.splitlines()[-1] == "RuntimeError: no round today: secret-detail-4712"


def driver_failure(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """Every query fails as the driver fails when the server went away, translated the way Django translates it."""
    db = context["connection"]
    with db.wrap_database_errors:
        raise db.Database.OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def database_down(db: None) -> Iterator[None]:
    with connection.execute_wrapper(driver_failure):
        yield


def test_a_database_failure_in_the_api_is_a_503_in_the_apis_shape(api_key: str, database_down: None) -> None:
    response = Client().get("/api/rounds", HTTP_AUTHORIZATION=f"Bearer {api_key}")
    reference = response.headers["X-Request-ID"]
    assert (response.status_code, response.json()["detail"], response.json()["reference"]) == (
        503,
        "database_unavailable",
        reference,
    )
    [record] = records_of(settings.LOG_DIR, reference)
    first, *rest = record.splitlines()
    # The key could not be looked up, so the record names the caller as the session saw it: nobody signed in.
    assert first.endswith(f"[{reference} anonymous /api/rounds] Service Unavailable: /api/rounds")
    assert rest[-1] == "django.db.utils.OperationalError: server closed the connection unexpectedly"


def test_a_database_failure_on_a_page_is_a_503_page_with_its_reference(personas: dict[str, User]) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(personas["viewer"])
    with connection.execute_wrapper(driver_failure):
        response = client.get("/rounds")
    page, reference = response.content.decode(), response.headers["X-Request-ID"]
    assert response.status_code == 503
    assert "Tạm thời không truy cập được cơ sở dữ liệu" in page and "The database cannot be reached" in page
    assert f'data-testid="reference">{reference}<' in page
    # The session could not be read, so the user is unknown ("?"); the traceback is the database's.
    [record] = records_of(settings.LOG_DIR, reference)
    assert f"[{reference} ? /rounds] Service Unavailable: /rounds" in record.splitlines()[0]
    assert "OperationalError: server closed the connection unexpectedly" in record.splitlines()[-1]


CLIENT_SCRIPT = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
api = client.get("/api/rounds", HTTP_AUTHORIZATION="Bearer dxm_whatever")
page = client.get("/rounds", HTTP_COOKIE="sessionid=abcdefghijklmnopqrstuvwxyz012345")
print(json.dumps({"api": [api.status_code, api.json()], "page": [page.status_code, page.content.decode(),
                  page.headers["X-Request-ID"]]}))
"""


@pytest.mark.parametrize(
    "database_url",
    ["postgres://dxmonitor@127.0.0.1:9/nothing_listens_here", "sqlite:///{home}/no-such-folder/dxmonitor.sqlite3"],
    ids=["postgresql-closed-port", "sqlite-unreadable-file"],
)
def test_a_server_whose_database_cannot_be_reached_answers_503_and_logs_it(tmp_path: Path, database_url: str) -> None:
    env = isolated_env(tmp_path, DATABASE_URL=database_url.format(home=tmp_path))
    run = subprocess.run([sys.executable, "-c", CLIENT_SCRIPT], env=env, capture_output=True, text=True, check=True)
    answers = json.loads(run.stdout)

    api_status, api_body = answers["api"]
    assert (api_status, api_body["detail"], REQUEST_ID.fullmatch(api_body["reference"]) is not None) == (
        503,
        "database_unavailable",
        True,
    )
    page_status, page, page_reference = answers["page"]
    assert page_status == 503 and f'data-testid="reference">{page_reference}<' in page
    for reference, path in ((api_body["reference"], "/api/rounds"), (page_reference, "/rounds")):
        [record] = records_of(tmp_path / "var" / "log", reference)
        assert f"[{reference} " in record and f"Service Unavailable: {path}\n" in record
        assert "Traceback (most recent call last):" in record and "django.db.utils.OperationalError: " in record


# --- 404, 403, 400: the product's layout ---------------------------------------------------------------------------


def test_an_unknown_address_is_a_404_in_the_sites_layout(personas: dict[str, User]) -> None:
    response = signed_in(personas["viewer"]).get("/khong-co-trang-nay")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Không tìm thấy trang</h1>" in page and "Page not found" in page
    assert 'data-testid="who">dung' in page  # the header of a signed-in page, with the language switch
    assert 'name="language"' in page and 'data-testid="reference"' not in page


def test_a_404_with_a_reason_says_it(personas: dict[str, User]) -> None:
    response = signed_in(personas["viewer"]).get("/rounds/2031-01/submissions")
    assert response.status_code == 404
    assert 'data-testid="error-detail">Không có kỳ báo cáo 2031-01<' in response.content.decode()


def test_a_user_without_a_role_gets_a_403_in_the_sites_layout(db: None) -> None:
    nobody = User.objects.create_user("nobody", password=PASSWORD)
    response = signed_in(nobody).get("/rounds")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Không có quyền</h1>" in page and "Forbidden" in page
    assert "Tài khoản chưa được giao vai trò / this account has no role yet" in page


def test_a_form_sent_without_its_csrf_token_is_a_403_that_says_why(personas: dict[str, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["admin"])
    response = client.post("/logout/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Biểu mẫu đã hết hạn</h1>" in page and "The form has expired" in page


def test_an_unknown_api_address_answers_in_the_apis_shape(db: None) -> None:
    response = Client().get("/api/khong-co")
    assert (response.status_code, response.json()) == (
        404,
        {
            "detail": "not_found",
            "message_vi": "Không tìm thấy trang",
            "message_en": "Page not found",
            "errors": [],
            "warnings": [],
        },
    )


def test_a_host_not_allowed_is_a_400_in_the_sites_layout(db: None) -> None:
    response = Client().get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400 and "<h1>Yêu cầu không hợp lệ</h1>" in response.content.decode()


# --- the log file and the commands -----------------------------------------------------------------------------


def test_the_log_file_rotates_at_its_size_and_keeps_its_count(tmp_path: Path) -> None:
    handler = LogFileHandler(str(tmp_path / "new" / "log" / "dxmonitor.log"), maxBytes=300, backupCount=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for n in range(40):
        handler.emit(logging.LogRecord("dxmonitor", logging.INFO, __file__, 1, f"line {n:02d} " + "x" * 40, None, None))
    handler.close()
    names = sorted(p.name for p in (tmp_path / "new" / "log").glob("dxmonitor.log*"))
    assert names == ["dxmonitor.log", "dxmonitor.log.1", "dxmonitor.log.2"]
    assert (tmp_path / "new" / "log" / "dxmonitor.log").read_text().splitlines()[-1].startswith("line 39 ")


def test_the_log_folder_size_count_and_levels_come_from_the_environment(tmp_path: Path) -> None:
    code = (
        "import json, logging, django; django.setup(); root = logging.getLogger(); "
        "f = next(h for h in root.handlers if h.__class__.__name__ == 'LogFileHandler'); "
        "c = next(h for h in root.handlers if h.__class__.__name__ == 'StreamHandler'); "
        "print(json.dumps([f.baseFilename, f.maxBytes, f.backupCount, logging.getLevelName(root.level), "
        "logging.getLevelName(c.level)]))"
    )
    env = isolated_env(
        tmp_path,
        DXMONITOR_LOG_DIR=str(tmp_path / "logs"),
        DXMONITOR_LOG_MAX_BYTES="1000000",
        DXMONITOR_LOG_BACKUPS="3",
        DXMONITOR_LOG_LEVEL="warning",
        DXMONITOR_LOG_CONSOLE_LEVEL="error",
    )
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == [str(tmp_path / "logs" / "dxmonitor.log"), 1000000, 3, "WARNING", "ERROR"]


def test_a_command_that_crashes_logs_its_traceback_and_keeps_its_console(tmp_path: Path) -> None:
    env = isolated_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'dxmonitor.sqlite3'}")
    run = subprocess.run(
        [str(VENV_BIN / "dxmonitor"), "shell", "-c", "raise RuntimeError('the command fell over')"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    # The console shows Python's own traceback once, not the log's line.
    assert run.stderr.count("RuntimeError: the command fell over") == 1 and "dxmonitor.commands" not in run.stderr
    log = (tmp_path / "var" / "log" / "dxmonitor.log").read_text(encoding="utf-8")
    [record] = [r for r in RECORD_START.split(log) if "dxmonitor.commands" in r]
    assert re.match(r"ERROR \d+ dxmonitor\.commands \[- - -\] dxmonitor shell -c .*: the command failed\n", record)
    assert "Traceback (most recent call last):" in record and record.rstrip().endswith("the command fell over")


# --- odd input: never a 500 ------------------------------------------------------------------------------------

ODD = [
    "x\x00",
    "\x00",
    "a" * 3000,
    "ứng-dụng-việt",
    "٢٠٢٢-٠٦",
    "２０２２-０６",
    "../../etc/passwd",
    "%",
    "x y",
    "\u202e😀",
]
ODD_PATHS = [
    "/reports/{x}",
    "/rounds/{x}",
    "/datasets/{x}",
    "/units/{x}",
    "/indicators/{x}",
    "/rounds/2022-06/entry/{x}/BP.DONG_PHU",
    "/rounds/2022-06/entry/app_users/{x}",
    "/rounds/2022-06/template/{x}",
    "/{x}",
    "/api/units/{x}",
    "/api/indicators/{x}",
    "/api/datasets/{x}",
    "/api/rounds/{x}",
    "/api/rounds/{x}/values",
    "/admin/{x}",
    "/?round={x}",
    "/units?round={x}&q={x}&sort={x}",
    "/datasets/app_users?round={x}&sort={x}",
    "/indicators/app.users?round={x}&sort={x}",
    "/submissions/?round={x}",
    "/checks/?round={x}",
    "/rounds/2022-06/submissions?dataset={x}",
    "/rounds/2022-06/checks?baseline={x}",
    "/values/history?round={x}&unit={x}&indicator={x}&category={x}",
    "/api/units?on={x}",
    "/api/rounds/2022-06/values?unit={x}&indicator={x}&dataset={x}&limit={x}&offset={x}",
    "/api/values/history?round={x}&unit={x}&indicator={x}&category={x}",
    "/login/?next={x}",
]


@pytest.mark.parametrize("odd", ODD, ids=lambda odd: repr(odd)[:20])
def test_no_address_or_parameter_makes_a_server_error(personas: dict[str, User], odd: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(personas["admin"])
    answers = {path: client.get(path.format(x=quote(odd, safe=""))).status_code for path in ODD_PATHS}
    assert {path: status for path, status in answers.items() if status >= 500} == {}


def test_a_nul_in_an_address_is_a_404_and_in_a_parameter_a_400(personas: dict[str, User]) -> None:
    client = signed_in(personas["admin"])
    assert [client.get(path).status_code for path in ("/reports/x%00", "/rounds%00", "/api/rounds/2022-06%00")] == [
        404,
        404,
        404,
    ]
    page, api = client.get("/checks/?round=2022-06%00"), client.get("/api/units?on=%00")
    assert (page.status_code, api.status_code, api.json()["detail"]) == (400, 400, "bad_request")
    assert "<h1>Yêu cầu không hợp lệ</h1>" in page.content.decode()


def test_a_nul_in_the_entry_forms_note_is_dropped_not_a_crash(personas: dict[str, User]) -> None:
    client = signed_in(personas["admin"])
    response = client.post(
        "/rounds/2022-06/entry/app_users/BP.DONG_PHU", {"value:app.users": "5", "note": "ghi\x00chú"}
    )
    assert response.status_code == 200
    assert list(
        Value.objects.filter(round__code="2022-06", unit__code="BP.DONG_PHU", indicator__code="app.users").values_list(
            "value", "note"
        )
    ) == [(Decimal(5), "ghichú")]
