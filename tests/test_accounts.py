"""Accounts, roles and the write paths a reporter may use: command line, upload form, admin."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from dxmonitor.accounts.models import ApiToken, Membership
from dxmonitor.accounts.scope import Principal, Role, principal, subtree
from dxmonitor.intake.models import Value, ValueChange
from dxmonitor.project.client_address import ClientAddress, client_address
from personas import PASSWORD, signed_in


def snapshot() -> tuple[list[tuple[object, ...]], int]:
    values = list(
        Value.objects.order_by("pk").values_list(
            "round__code", "indicator__code", "unit__code", "category", "window", "value"
        )
    )
    return values, ValueChange.objects.count()


# --- the scope rules -------------------------------------------------------------------------------------


def test_a_reporters_scope_is_its_unit_and_everything_below_it() -> None:
    parents = {"BP": None, "BP.DONG_PHU": "BP", "BP.DONG_PHU.TAN_TIEN": "BP.DONG_PHU", "BP.LOC_NINH": "BP"}
    assert subtree("BP.DONG_PHU", parents) == {"BP.DONG_PHU", "BP.DONG_PHU.TAN_TIEN"}
    assert subtree("BP", parents) == set(parents)


def test_each_role_writes_only_where_it_may() -> None:
    parents = {"BP": None, "BP.DONG_PHU": "BP", "BP.LOC_NINH": "BP"}
    admin = principal("alice", Role.ADMIN, None, parents)
    bob = principal("bob", Role.REPORTER, "BP.DONG_PHU", parents)
    viewer = principal("dung", Role.VIEWER, None, parents)
    assert [(p.can_write("BP.DONG_PHU"), p.can_write("BP.LOC_NINH")) for p in (admin, bob, viewer)] == [
        (True, True),
        (True, False),
        (False, False),
    ]
    assert [(p.can_read("BP.DONG_PHU"), p.can_read("BP.LOC_NINH")) for p in (admin, bob, viewer)] == [
        (True, True),
        (True, False),
        (True, True),
    ]
    assert bob.outside(["BP.DONG_PHU", "BP.LOC_NINH", "BP", "BP.LOC_NINH"]) == ["BP.LOC_NINH", "BP"]
    assert Principal("x", Role.REPORTER, frozenset()).can_write("BP.DONG_PHU") is False


# --- commands --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_createuser_makes_a_reporter_of_a_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXMONITOR_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("createuser", "bob", role="reporter", unit="BP.DONG_PHU", stdout=out)
    user = User.objects.get(username="bob")
    assert (
        out.getvalue().strip(),
        user.check_password(PASSWORD),
        user.is_staff,
        user.membership.role,
        user.membership.unit.code,
    ) == ("Đã tạo / created bob (reporter, BP.DONG_PHU)", True, False, "reporter", "BP.DONG_PHU")


@pytest.mark.django_db
def test_createuser_makes_an_admin_staff_and_updates_an_existing_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXMONITOR_PASSWORD", PASSWORD)
    call_command("createuser", "alice", role="viewer", stdout=io.StringIO())
    call_command("createuser", "alice", role="admin", stdout=io.StringIO())
    user = User.objects.get(username="alice")
    assert (user.is_staff, user.is_superuser, user.membership.role, Membership.objects.count()) == (
        True,
        True,
        "admin",
        1,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"role": "reporter"}, "Cán bộ đơn vị cần --unit MÃ / a reporter needs --unit CODE"),
        ({"role": "reporter", "unit": "BP.KHONG_CO"}, "Không có đơn vị 'BP.KHONG_CO' / no unit 'BP.KHONG_CO'"),
    ],
)
def test_createuser_refuses_a_reporter_without_a_real_unit(
    monkeypatch: pytest.MonkeyPatch, args: dict[str, str], message: str
) -> None:
    monkeypatch.setenv("DXMONITOR_PASSWORD", PASSWORD)
    with pytest.raises(CommandError) as error:
        call_command("createuser", "bob", **args)
    assert (str(error.value), User.objects.filter(username="bob").exists()) == (message, False)


@pytest.mark.django_db
def test_createuser_refuses_a_weak_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXMONITOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="Mật khẩu không đạt / weak password"):
        call_command("createuser", "bob", role="viewer")
    assert not User.objects.filter(username="bob").exists()


@pytest.mark.django_db
def test_a_token_is_printed_once_stored_hashed_and_can_be_revoked() -> None:
    out = io.StringIO()
    call_command("token", "create", "ioc", unit="BP.DONG_PHU", stdout=out)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(name="ioc")
    assert key.startswith("dxm_") and len(key) > 40
    assert key not in (token.key_hash, token.prefix) and token.prefix == key[:12]
    assert ApiToken.find(key) == token and ApiToken.find(key + "x") is None
    call_command("token", "revoke", "ioc", stdout=io.StringIO())
    assert ApiToken.find(key) is None
    listing = io.StringIO()
    call_command("token", "list", stdout=listing)
    assert listing.getvalue() == f"ioc\t{token.prefix}…\tBP.DONG_PHU\tthu hồi/revoked\n"


@pytest.mark.django_db
def test_a_token_for_an_unknown_unit_or_a_taken_name_is_refused() -> None:
    with pytest.raises(CommandError, match=r"no unit 'BP\.KHONG_CO'"):
        call_command("token", "create", "ioc", unit="BP.KHONG_CO")
    call_command("token", "create", "ioc", unit="BP", stdout=io.StringIO())
    with pytest.raises(CommandError, match="a token named 'ioc' exists"):
        call_command("token", "create", "ioc", unit="BP")


# --- signing in ------------------------------------------------------------------------------------------


def test_signing_in_and_out(personas: dict[str, User]) -> None:
    client = Client()
    response = client.post("/login/", {"username": "bob", "password": PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert client.get("/upload/").status_code == 200
    assert client.get("/logout/").status_code == 405  # signing out is a POST, so a link cannot do it
    assert client.post("/logout/").status_code == 302
    assert client.get("/upload/").headers["Location"] == "/login/?next=/upload/"


def test_a_wrong_password_is_refused_and_five_lock_the_account(personas: dict[str, User]) -> None:
    client = Client()
    wrong = client.post("/login/", {"username": "bob", "password": "sai"}, REMOTE_ADDR="10.0.0.7")
    assert wrong.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng." in wrong.content.decode()
    for _ in range(4):
        client.post("/login/", {"username": "bob", "password": "sai"}, REMOTE_ADDR="10.0.0.7")
    locked = client.post("/login/", {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert locked.status_code == 429 and "Tạm khóa đăng nhập" in locked.content.decode()
    other_user = client.post("/login/", {"username": "chi", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert other_user.status_code == 302


BEHIND_NGINX = client_address("X-Forwarded-For", 1)  # DXMONITOR_TRUSTED_PROXY_HEADER=X-Forwarded-For


def sign_in_through_the_proxy(client: Client, user: str, password: str, forwarded_for: str) -> int:
    """A sign-in as nginx passes it on: from the proxy's own address, the client's appended to X-Forwarded-For."""
    response = client.post(
        "/login/",
        {"username": user, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    return response.status_code


@override_settings(
    AXES_IPWARE_META_PRECEDENCE_ORDER=BEHIND_NGINX.precedence, AXES_IPWARE_PROXY_COUNT=BEHIND_NGINX.proxy_count
)
def test_behind_the_trusted_proxy_five_failures_lock_that_client_but_not_another(personas: dict[str, User]) -> None:
    client = Client()
    failures = [sign_in_through_the_proxy(client, "bob", "sai", "203.113.7.1") for _ in range(5)]
    assert failures == [200, 200, 200, 200, 429]  # the fifth failure locks
    assert sign_in_through_the_proxy(client, "bob", PASSWORD, "203.113.7.1") == 429
    # Another client behind the same proxy, and one that writes client A's address into its own header first:
    # the proxy appends the real address, and that is the one read.
    assert sign_in_through_the_proxy(Client(), "bob", PASSWORD, "10.20.0.9") == 302
    assert sign_in_through_the_proxy(Client(), "bob", PASSWORD, "203.113.7.1, 10.20.0.10") == 302


@override_settings(
    AXES_IPWARE_META_PRECEDENCE_ORDER=BEHIND_NGINX.precedence, AXES_IPWARE_PROXY_COUNT=BEHIND_NGINX.proxy_count
)
def test_a_client_cannot_escape_its_lock_by_writing_another_address_into_the_header(
    personas: dict[str, User],
) -> None:
    failures = [sign_in_through_the_proxy(Client(), "bob", "sai", f"198.51.100.{n}, 203.113.7.1") for n in range(5)]
    assert failures == [200, 200, 200, 200, 429]
    assert sign_in_through_the_proxy(Client(), "bob", PASSWORD, "192.0.2.77, 203.113.7.1") == 429


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(personas: dict[str, User]) -> None:
    # The default: a client's X-Forwarded-For is its own say, so it neither escapes a lock nor locks anyone else.
    failures = [sign_in_through_the_proxy(Client(), "bob", "sai", f"10.30.0.{n}") for n in range(5)]
    assert failures == [200, 200, 200, 200, 429]
    assert sign_in_through_the_proxy(Client(), "bob", PASSWORD, "10.30.0.99") == 429
    assert (
        Client().post("/login/", {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8").status_code == 302
    )


@pytest.mark.parametrize(
    ("header", "proxies", "expected"),
    [
        ("", 1, ClientAddress(("REMOTE_ADDR",), None)),
        ("X-Forwarded-For", 1, ClientAddress(("HTTP_X_FORWARDED_FOR",), 0)),
        ("HTTP_X_FORWARDED_FOR", 2, ClientAddress(("HTTP_X_FORWARDED_FOR",), 1)),
        ("x-real-ip", 1, ClientAddress(("HTTP_X_REAL_IP",), 0)),
    ],
)
def test_the_proxy_setting_says_where_the_client_address_is_read(
    header: str, proxies: int, expected: ClientAddress
) -> None:
    assert client_address(header, proxies) == expected


def test_a_trusted_proxy_header_with_no_proxy_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured):
        client_address("X-Forwarded-For", 0)


def test_a_post_without_its_csrf_token_is_refused(personas: dict[str, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["dong_phu"])
    assert client.post("/upload/", {"round": "2022-06"}).status_code == 403


def test_a_user_without_a_role_is_refused(db: None) -> None:
    nobody = User.objects.create_user("nobody", password=PASSWORD)
    assert signed_in(nobody).get("/upload/").status_code == 403


# --- the upload form -------------------------------------------------------------------------------------

HEADER = "don_vi,chi_tieu,gia_tri,ngay_so_lieu\n"


def csv_file(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "so-lieu.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_a_reporter_uploads_its_own_figures_after_seeing_the_preview(
    personas: dict[str, User], tmp_path: Path, settings: object
) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    client = signed_in(personas["dong_phu"])
    path = csv_file(tmp_path, "UBND H.Đồng Phú,app.users,650,19/07/2022\n")
    with path.open("rb") as f:
        preview = client.post("/upload/", {"round": "2022-06", "uploads": f})
    page = preview.content.decode()
    assert preview.status_code == 200 and "Kỳ 2022-06 — sẽ ghi: 0 mới, 1 thay đổi, 0 không đổi." in page
    assert Value.objects.get(round__code="2022-06", indicator__code="app.users", unit__code="BP.DONG_PHU").value == 611
    done = client.post("/upload/", {"confirm": "1"})
    assert done.status_code == 302
    value = Value.objects.get(round__code="2022-06", indicator__code="app.users", unit__code="BP.DONG_PHU")
    change = ValueChange.objects.filter(unit__code="BP.DONG_PHU", indicator__code="app.users").last()
    assert (value.value, value.source, value.updated_by) == (650, "file", "bob")  # an uploaded file is a file
    assert change is not None and (change.old_value, change.new_value, change.source) == (611, 650, "file")


def test_a_reporter_cannot_upload_a_figure_of_another_unit(
    personas: dict[str, User], tmp_path: Path, settings: object
) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    before = snapshot()
    client = signed_in(personas["dong_phu"])
    path = csv_file(tmp_path, "Đồng Phú,app.users,650,19/07/2022\nLộc Ninh,app.users,9999,19/07/2022\n")
    with path.open("rb") as f:
        response = client.post("/upload/", {"round": "2022-06", "uploads": f})
    page = response.content.decode()
    assert "không có quyền ghi số liệu của đơn vị &#x27;Huyện Lộc Ninh&#x27;" in page
    assert "sẽ ghi" not in page
    assert client.post("/upload/", {"confirm": "1"}).status_code == 200  # nothing pending to confirm
    assert snapshot() == before


def test_a_viewer_may_not_upload(personas: dict[str, User]) -> None:
    assert signed_in(personas["viewer"]).get("/upload/").status_code == 403


def test_the_admin_site_is_closed_to_reporters_and_viewers(personas: dict[str, User]) -> None:
    before = snapshot()
    for persona in ("dong_phu", "viewer"):
        client = signed_in(personas[persona])
        response = client.post("/admin/intake/value/1/change/", {"value": "1"})
        assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login/")
    assert signed_in(personas["admin"]).get("/admin/intake/value/").status_code == 200
    assert snapshot() == before


# --- settings for a deployment ---------------------------------------------------------------------------


def settings_under(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import django; from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)"
    )
    full = {k: v for k, v in os.environ.items() if not k.startswith("DXMONITOR_")}
    full.update(env, DJANGO_SETTINGS_MODULE="dxmonitor.project.settings")
    return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, check=False)


def test_behind_https_cookies_are_secure_and_hsts_is_on() -> None:
    result = settings_under({"DXMONITOR_HTTPS": "1", "DXMONITOR_SECRET_KEY": "x" * 50})
    assert result.stdout.split() == ["True", "True", "31536000", "True"]


def test_the_trusted_proxy_header_reaches_the_login_throttle() -> None:
    code = (
        "from django.conf import settings as s; print(s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.AXES_IPWARE_PROXY_COUNT)"
    )
    full = {k: v for k, v in os.environ.items() if not k.startswith("DXMONITOR_")}
    full.update(DXMONITOR_TRUSTED_PROXY_HEADER="X-Forwarded-For", DJANGO_SETTINGS_MODULE="dxmonitor.project.settings")
    with_proxy = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, check=True)
    del full["DXMONITOR_TRUSTED_PROXY_HEADER"]
    without = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, check=True)
    assert (with_proxy.stdout, without.stdout) == ("('HTTP_X_FORWARDED_FOR',) 0\n", "('REMOTE_ADDR',) None\n")


def test_behind_https_a_secret_key_is_required() -> None:
    result = settings_under({"DXMONITOR_HTTPS": "1"})
    assert result.returncode != 0 and "DXMONITOR_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_a_signed_in_page_reads_the_user_and_their_role_in_one_query(personas: dict[str, User]) -> None:
    client = Client()
    assert client.post("/login/", {"username": "bob", "password": PASSWORD}).status_code == 302

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/datasets.json").json()["datasets"]
    tables = [re.findall(r'FROM "(\w+)"', q["sql"])[:1] for q in queries.captured_queries]

    assert [t for t in tables if t in (["auth_user"], ["accounts_membership"])] == [["auth_user"]]
    scope = client.get("/index.json").json()["scope"]
    assert (scope["role"], "BP.DONG_PHU" in scope["units"], "BP.LOC_NINH" in scope["units"]) == (
        "reporter",
        True,
        False,
    )
