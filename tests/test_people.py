"""Accounts from the web: the admin lists, invites, changes, deactivates and reactivates accounts and sends links to set
a password; the invited set their password from the e-mailed link and sign in with their role and unit; the login
page's forgotten password; every change in the account's history; only admins reach these pages."""

from __future__ import annotations

import html
import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.test import Client
from django.utils import timezone

from dxmonitor.accounts.models import AccountEvent, Membership
from dxmonitor.catalogue.models import Unit
from dxmonitor.reports.management.commands.demo import Command as DemoCommand
from personas import PASSWORD, signed_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Tân-Tiến-tháng-8-2025"
# Xã Tân Tiến (DN.25318), a commune of Đồng Nai since 1/7/2025: today's tree, on which people are invited
INVITE_TAN_TIEN = {
    "email": "hoa@tantien.gov.vn",
    "full_name": "Trần Thị Hoa",
    "username": "",
    "role": "reporter",
    "unit": "DN.25318",
}


@pytest.fixture
def alice(personas: dict[str, User]) -> Client:
    return signed_in(personas["admin"])


def link_in(mail: EmailMessage) -> str:
    """The path of the one link the mail carries."""
    [link] = re.findall(r"https?://testserver(/\S+)", mail.body)
    return link


def said(response: object) -> list[str]:
    return [str(m.message) for m in response.context["messages"]]  # type: ignore[attr-defined]


def set_password(link: str, password: str = NEW_PASSWORD) -> Client:
    """Open the e-mailed link in a fresh browser and choose a password, as the person would."""
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"], "the link does not open the password form"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    assert (done.status_code, done["Location"]) == (302, "/password/set/done/")
    return client


def sign_in(username: str, password: str = NEW_PASSWORD) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, f"{username} could not sign in"
    return client


def events() -> list[tuple[str, str, str, dict[str, object]]]:
    return [(e.actor, e.username, e.action, e.detail) for e in AccountEvent.objects.order_by("at", "id")]


# --- invitations -------------------------------------------------------------------------------------------------


def test_an_invited_reporter_sets_a_password_from_the_mail_and_signs_in_with_the_role_and_unit(
    alice: Client, mailoutbox: list[EmailMessage]
) -> None:
    response = alice.post("/accounts/invite/", INVITE_TAN_TIEN, follow=True)

    hoa = User.objects.get(username="hoa")  # the part of the address before @
    assert response.redirect_chain == [(f"/accounts/{hoa.pk}/", 302)]
    assert said(response) == ["Đã gửi lời mời tới hoa@tantien.gov.vn."]
    assert (hoa.email, hoa.get_full_name(), hoa.is_active, hoa.has_usable_password(), hoa.is_staff) == (
        "hoa@tantien.gov.vn",
        "Trần Thị Hoa",
        True,
        False,  # no password until the person sets one
        False,
    )
    [mail] = mailoutbox
    assert (mail.to, mail.subject, mail.from_email) == (
        ["hoa@tantien.gov.vn"],
        "[dxmonitor] Mời tham gia dxmonitor — Xã Tân Tiến",
        "dxmonitor@localhost",
    )
    assert "alice mời anh/chị dùng dxmonitor" in mail.body and "vai trò Cán bộ đơn vị của Xã Tân Tiến" in mail.body
    assert "Tên đăng nhập: hoa" in mail.body and "hết hạn sau 3 ngày" in mail.body
    link = link_in(mail)
    assert Client().post("/login/", {"username": "hoa", "password": NEW_PASSWORD}).status_code == 200  # not yet

    set_password(link)
    hoa_client = sign_in("hoa")
    home = hoa_client.get("/")
    assert home.context["principal"].role == "reporter"
    assert home.context["principal"].units >= {"DN.25318"} and "DN.25267" not in home.context["principal"].units
    assert hoa_client.get("/units/DN.25318").status_code == 200
    assert hoa_client.get("/units/DN.25267").status_code == 403
    again = Client().get(link, follow=True)  # the link works once
    assert again.context["validlink"] is False
    assert "Liên kết này không còn dùng được" in again.content.decode()


def test_the_invitation_form_says_what_is_wrong_and_creates_nothing(
    alice: Client, personas: dict[str, User], mailoutbox: list[EmailMessage]
) -> None:
    personas["dong_phu"].email = "bob@dongphu.gov.vn"
    personas["dong_phu"].save()

    cases = [
        {**INVITE_TAN_TIEN, "email": "Bob@dongphu.gov.vn"},
        {**INVITE_TAN_TIEN, "email": "khong-phai-thu"},
        {**INVITE_TAN_TIEN, "username": "bob"},
        {**INVITE_TAN_TIEN, "unit": ""},
        {**INVITE_TAN_TIEN, "unit": "BP.LOC_NINH"},  # ended with the 2025 reform
        {**INVITE_TAN_TIEN, "role": "root"},
    ]
    errors = []
    for data in cases:
        response = alice.post("/accounts/invite/", data)
        assert response.status_code == 200
        errors.append({k: list(v) for k, v in response.context["form"].errors.items()})
    assert errors == [
        {"email": ["Đã có tài khoản dùng thư Bob@dongphu.gov.vn / an account already uses Bob@dongphu.gov.vn"]},
        {"email": ["Thư điện tử không hợp lệ / not a valid e-mail address"]},
        {"username": ["Tên đăng nhập bob đã có / the user name bob is taken"]},
        {"unit": ["Cán bộ đơn vị cần một đơn vị / a reporter needs a unit"]},
        {"unit": ["Không có đơn vị BP.LOC_NINH còn hiệu lực hôm nay / no unit BP.LOC_NINH in force today"]},
        {"role": ["Không có vai trò root / no role root"]},
    ]
    assert (User.objects.count(), mailoutbox, AccountEvent.objects.count()) == (4, [], 0)


def test_the_unit_chooser_lists_the_units_in_force_today_without_groups(alice: Client) -> None:
    form = alice.get("/accounts/invite/").context["form"]
    codes = [u.code for u in form.fields["unit"].queryset]
    assert "DN.25318" in codes and "BP.LOC_NINH" not in codes  # Lộc Ninh ended on 30/6/2025
    assert not [c for c in codes if Unit.objects.get(code=c).kind == "group"]
    today = timezone.localdate()
    assert sorted(codes) == sorted(
        Unit.objects.exclude(kind="group")
        .filter(valid_from__lte=today)
        .exclude(valid_to__lt=today)
        .values_list("code", flat=True)
    )
    assert {Unit.objects.get(code=c).kind for c in codes} == {"province", "department", "commune", "company"}
    page = alice.get("/accounts/invite/").content.decode()
    assert '<option value="DN.25318">Xã Tân Tiến (DN.25318)</option>' in page


def test_a_mail_that_cannot_be_sent_leaves_no_account(alice: Client, settings: object) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = 1  # type: ignore[attr-defined]  # nothing listens there
    response = alice.post("/accounts/invite/", INVITE_TAN_TIEN)
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Không gửi được thư: ") and error.endswith(" / the e-mail could not be sent")
    assert not User.objects.filter(username="hoa").exists() and AccountEvent.objects.count() == 0


# --- the list, changes and their history -------------------------------------------------------------------------


def test_the_list_shows_each_account_s_role_unit_e_mail_state_and_last_login(
    alice: Client, personas: dict[str, User]
) -> None:
    sign_in("bob", PASSWORD)
    User.objects.filter(username="chi").update(is_active=False, email="chi@locninh.gov.vn")
    alice.post("/accounts/invite/", INVITE_TAN_TIEN)

    rows = alice.get("/accounts/").context["people"]
    shown = [
        (r["username"], r["role_text"], r["unit_name"], r["email"], r["state_text"], bool(r["last_login"]))
        for r in rows
    ]
    assert shown == [  # by unit code, those without a unit first
        ("alice", "Quản trị", "", "", "Đang hoạt động", True),
        ("dung", "Thành viên Ban Chỉ đạo", "", "", "Đang hoạt động", False),
        ("bob", "Cán bộ đơn vị", "Huyện Đồng Phú", "", "Đang hoạt động", True),
        ("chi", "Cán bộ đơn vị", "Huyện Lộc Ninh", "chi@locninh.gov.vn", "Đã khóa", False),
        ("hoa", "Cán bộ đơn vị", "Xã Tân Tiến", "hoa@tantien.gov.vn", "Chờ đặt mật khẩu", False),
    ]
    bob_row = next(r for r in rows if r["username"] == "bob")
    assert re.fullmatch(r"\d\d:\d\d \d\d?/\d\d?/\d{4}", bob_row["last_login"])


def test_a_deactivated_account_cannot_sign_in_and_its_open_session_ends(
    alice: Client, personas: dict[str, User]
) -> None:
    bob = sign_in("bob", PASSWORD)
    bob_id = personas["dong_phu"].pk

    response = alice.post(f"/accounts/{bob_id}/", {"action": "deactivate"}, follow=True)
    assert said(response) == ["Đã khóa tài khoản bob."]
    assert bob.get("/upload/")["Location"] == "/login/?next=/upload/"  # the open session no longer signs bob in
    assert Client().post("/login/", {"username": "bob", "password": PASSWORD}).status_code == 200

    response = alice.post(f"/accounts/{bob_id}/", {"action": "reactivate"}, follow=True)
    assert said(response) == ["Đã mở lại tài khoản bob."]
    assert sign_in("bob", PASSWORD).get("/upload/").status_code == 200


def test_an_admin_cannot_deactivate_or_demote_themselves(alice: Client, personas: dict[str, User]) -> None:
    alice_id = personas["admin"].pk
    response = alice.post(f"/accounts/{alice_id}/", {"action": "deactivate"}, follow=True)
    assert said(response) == ["Bạn không thể tự khóa tài khoản của mình / you cannot deactivate your own account"]
    response = alice.post(f"/accounts/{alice_id}/", {"action": "change", "role": "viewer", "unit": ""}, follow=True)
    assert said(response) == ["Bạn không thể tự bỏ quyền quản trị của mình / you cannot take away your own admin role"]
    assert User.objects.get(pk=alice_id).is_active and Membership.objects.get(user_id=alice_id).role == "admin"


def test_every_change_is_recorded_with_who_when_and_what_and_shown(
    alice: Client, personas: dict[str, User], mailoutbox: list[EmailMessage]
) -> None:
    alice.post("/accounts/invite/", INVITE_TAN_TIEN)
    hoa = User.objects.get(username="hoa")
    page = f"/accounts/{hoa.pk}/"
    alice.post(page, {"action": "send_link"})  # the invitation again
    set_password(link_in(mailoutbox[-1]))
    alice.post(page, {"action": "change", "role": "reporter", "unit": "DN.25267"})
    alice.post(page, {"action": "change", "role": "reporter", "unit": "DN.25267"})  # no change, no record
    alice.post(page, {"action": "deactivate"})
    alice.post(page, {"action": "reactivate"})
    alice.post(page, {"action": "send_link"})  # now a reset
    Client().post("/password/forgotten/", {"email": "hoa@tantien.gov.vn"})

    hoa_then = {"role": "reporter", "unit": "DN.25318", "email": "hoa@tantien.gov.vn", "active": True}
    hoa_now = {**hoa_then, "unit": "DN.25267"}
    assert events() == [
        ("alice", "hoa", "invited", hoa_then),
        ("alice", "hoa", "password_link_sent", {"email": "hoa@tantien.gov.vn"}),
        ("hoa", "hoa", "password_set", {}),
        ("alice", "hoa", "role_changed", {"before": hoa_then, "after": hoa_now}),
        ("alice", "hoa", "deactivated", {**hoa_now, "active": False}),
        ("alice", "hoa", "reactivated", hoa_now),
        ("alice", "hoa", "password_link_sent", {"email": "hoa@tantien.gov.vn"}),
        ("", "hoa", "password_link_sent", {"email": "hoa@tantien.gov.vn", "via": "login"}),
    ]
    assert [m.subject for m in mailoutbox] == [
        "[dxmonitor] Mời tham gia dxmonitor — Xã Tân Tiến",
        "[dxmonitor] Mời tham gia dxmonitor — Xã Tân Tiến",  # the password was not yet set: an invitation again
        "[dxmonitor] Đặt lại mật khẩu",
        "[dxmonitor] Đặt lại mật khẩu",
    ]
    shown = [(e["actor"], e["text"]) for e in alice.get(page).context["events"]]
    assert shown == [  # latest first
        ("(trang đăng nhập)", "Gửi liên kết đặt lại mật khẩu tới hoa@tantien.gov.vn (Quên mật khẩu)"),
        ("alice", "Gửi liên kết đặt mật khẩu tới hoa@tantien.gov.vn"),
        ("alice", "Mở lại tài khoản"),
        ("alice", "Khóa tài khoản"),
        ("alice", "Đổi vai trò: Cán bộ đơn vị, Xã Tân Tiến → Cán bộ đơn vị, Xã Phú Nghĩa"),
        ("hoa", "Đặt mật khẩu"),
        ("alice", "Gửi liên kết đặt mật khẩu tới hoa@tantien.gov.vn"),
        ("alice", "Mời hoa@tantien.gov.vn: Cán bộ đơn vị, Xã Tân Tiến"),
    ]
    assert all(re.fullmatch(r"\d\d:\d\d \d\d?/\d\d?/\d{4}", e["at"]) for e in alice.get(page).context["events"])
    listed = alice.get("/accounts/").content.decode()
    assert "Đổi vai trò: Cán bộ đơn vị, Xã Tân Tiến → Cán bộ đơn vị, Xã Phú Nghĩa" in html.unescape(listed)


def test_a_changed_role_takes_effect_at_once(alice: Client, personas: dict[str, User]) -> None:
    bob = sign_in("bob", PASSWORD)
    assert bob.get("/accounts/").status_code == 403
    alice.post(f"/accounts/{personas['dong_phu'].pk}/", {"action": "change", "role": "admin", "unit": ""})
    assert bob.get("/accounts/").status_code == 200
    assert User.objects.get(username="bob").is_superuser  # as `dxmonitor createuser --role admin` makes an admin


# --- the forgotten password ----------------------------------------------------------------------------------------


def test_a_forgotten_password_is_reset_from_the_login_page(
    personas: dict[str, User], mailoutbox: list[EmailMessage]
) -> None:
    personas["dong_phu"].email = "bob@dongphu.gov.vn"
    personas["dong_phu"].save()
    login = Client().get("/login/").content.decode()
    assert '<a href="/password/forgotten/">Quên mật khẩu?</a>' in login

    unknown = Client().post("/password/forgotten/", {"email": "ai-do@example.org"})
    assert unknown["Location"] == "/password/forgotten/sent/" and mailoutbox == []  # the same answer, no mail
    Client().post("/password/forgotten/", {"email": "BOB@dongphu.gov.vn"})
    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (["bob@dongphu.gov.vn"], "[dxmonitor] Đặt lại mật khẩu")
    set_password(link_in(mail))
    assert Client().post("/login/", {"username": "bob", "password": PASSWORD}).status_code == 200  # the old one
    sign_in("bob")


def test_a_weak_password_is_refused_on_the_link_s_page(alice: Client, mailoutbox: list[EmailMessage]) -> None:
    alice.post("/accounts/invite/", INVITE_TAN_TIEN)
    client = Client()
    form = client.get(link_in(mailoutbox[0]), follow=True)
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert len(response.context["form"].errors["new_password2"]) == 3  # too short, too common, all digits
    assert not User.objects.get(username="hoa").has_usable_password()


# --- who may ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["dong_phu", "viewer"])
def test_reporters_and_viewers_get_the_403_page(
    personas: dict[str, User], persona: str, mailoutbox: list[EmailMessage]
) -> None:
    client = signed_in(personas[persona])
    target = personas["loc_ninh"].pk
    for response in [
        client.get("/accounts/"),
        client.get("/accounts/invite/"),
        client.post("/accounts/invite/", INVITE_TAN_TIEN),
        client.get(f"/accounts/{target}/"),
        client.post(f"/accounts/{target}/", {"action": "deactivate"}),
        client.post(f"/accounts/{target}/", {"action": "send_link"}),
    ]:
        assert response.status_code == 403
        page = response.content.decode()
        assert "Không có quyền" in page and "Chỉ quản trị được quản lý tài khoản" in page and 'class="top"' in page
    assert (User.objects.filter(is_active=False).count(), mailoutbox, AccountEvent.objects.count()) == (0, [], 0)
    assert "/accounts/" not in client.get("/").content.decode()  # no link to the pages either


def test_someone_signed_out_is_sent_to_the_login_page(personas: dict[str, User]) -> None:
    assert Client().get("/accounts/")["Location"] == "/login/?next=/accounts/"


def test_the_accounts_pages_speak_english_after_the_switch(alice: Client, personas: dict[str, User]) -> None:
    alice.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = alice.get("/accounts/").content.decode()
    assert "<h1>Accounts</h1>" in page and "Invite a user" in page and "Last sign-in" in page
    assert "Unit reporter" in page and "Never" in page
    person = alice.get(f"/accounts/{personas['dong_phu'].pk}/").content.decode()
    assert "Deactivate" in person and "Role and unit" in person
    alice.post("/i18n/setlang/", {"language": "vi", "next": "/"})


# --- the demo -------------------------------------------------------------------------------------------------------


def test_the_demo_s_accounts_have_addresses_on_a_local_domain(db: None) -> None:
    DemoCommand(stdout=StringIO())._demo_accounts()
    User.objects.filter(username="dongphu").update(email="")  # made by an earlier demo, before addresses
    DemoCommand(stdout=StringIO())._demo_accounts()
    assert dict(User.objects.values_list("username", "email")) == {
        "quantri": "quantri@dxmonitor.localhost",
        "dongphu": "dongphu@dxmonitor.localhost",
        "locninh": "locninh@dxmonitor.localhost",
        "bandieuhanh": "bandieuhanh@dxmonitor.localhost",
    }
