"""Accounts in bulk from a CSV roster: `dxmonitor createusers FILE.csv [--dry-run]` and the admin's page
/accounts/import/ (upload, preview, confirm) with its template /accounts/template.csv. Units are read by code or by
name as people write them, on today's tree (Đồng Nai's since 1/7/2025); all or nothing; each person is invited
through the invitation path (an e-mail to set a password) and the account's history says so."""

from __future__ import annotations

import csv
import io
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from dxmonitor.accounts.cli import operator
from dxmonitor.accounts.models import AccountEvent, Membership
from dxmonitor.accounts.roster import read_roster, reporting_units
from dxmonitor.catalogue.loading import Catalogue
from personas import signed_in

pytestmark = pytest.mark.django_db

GOOD = """Đơn vị,Họ và tên,Thư điện tử,Vai trò
xã Tân Tiến,Nguyễn Văn An,an@tantien.dongnai.gov.vn,
P. Đồng Xoài,Trần Thị Bình,binh@dongxoai.dongnai.gov.vn,Cán bộ đơn vị
Sở KH&CN,Lê Văn Cường,cuong@skhcn.dongnai.gov.vn,reporter
DN.SO_TC,Phạm Thị Dung,dung.stc@dongnai.gov.vn,
,Hoàng Văn Em,em@dongnai.gov.vn,viewer
"""
CREATED = [  # user name, full name, e-mail, role, unit
    ("an", "Nguyễn Văn An", "an@tantien.dongnai.gov.vn", "reporter", "DN.25318"),
    ("binh", "Trần Thị Bình", "binh@dongxoai.dongnai.gov.vn", "reporter", "DN.25210"),
    ("cuong", "Lê Văn Cường", "cuong@skhcn.dongnai.gov.vn", "reporter", "DN.SO_KHCN"),
    ("dung.stc", "Phạm Thị Dung", "dung.stc@dongnai.gov.vn", "reporter", "DN.SO_TC"),
    ("em", "Hoàng Văn Em", "em@dongnai.gov.vn", "viewer", None),
]
BAD = """don_vi,ho_ten,email,vai_tro
Huyện Đồng Phú,Nguyễn Văn An,an@dongphu.gov.vn,
Xã Không Có Thật,Trần B,b@x.gov.vn,
"Khối xã, phường",Lê C,c@x.gov.vn,
,Phạm D,d@x.gov.vn,
DN.SO_TC,,e@x.gov.vn,
DN.SO_TC,Vũ F,khong-phai-thu,
DN.SO_TC,Vũ G,b@x.gov.vn,
DN.SO_YT,Vũ H,h@x.gov.vn,root
DN.SO_YT,Vũ I,bob@dongphu.gov.vn,
DN.SO_YT,Vũ K,chi@khac.gov.vn,
DN.SO_YT,Vũ L,l@x.gov.vn,
DN.SO_XD,Vũ M,l@y.gov.vn,
"""
BAD_ERRORS = [
    "[Lỗi] ds.csv, dòng/row 2, cột/column don_vi: đơn vị 'Huyện Đồng Phú' đã kết thúc ngày 30/06/2025; "
    "đơn vị kế thừa: Xã Đồng Phú, Xã Tân Lợi, Xã Thuận Lợi, Xã Đồng Tâm / unit 'Huyện Đồng Phú' ended on "
    "30/06/2025; its successors: Xã Đồng Phú, Xã Tân Lợi, Xã Thuận Lợi, Xã Đồng Tâm",
    "[Lỗi] ds.csv, dòng/row 4, cột/column don_vi: 'Khối xã, phường' là một khối đơn vị, không phải đơn vị báo cáo "
    "/ 'Khối xã, phường' is a group of units, not a unit that reports",
    "[Lỗi] ds.csv, dòng/row 5, cột/column don_vi: cán bộ đơn vị cần một đơn vị / a reporter needs a unit",
    "[Lỗi] ds.csv, dòng/row 6, cột/column ho_ten: thiếu họ tên / the name is missing",
    "[Lỗi] ds.csv, dòng/row 7, cột/column email: thư điện tử 'khong-phai-thu' không hợp lệ "
    "/ 'khong-phai-thu' is not a valid e-mail address",
    "[Lỗi] ds.csv, dòng/row 8, cột/column email: thư b@x.gov.vn đã có ở dòng 3 / b@x.gov.vn is already on row 3",
    "[Lỗi] ds.csv, dòng/row 9, cột/column vai_tro: không có vai trò 'root' (chọn: admin, reporter, viewer) "
    "/ no role 'root' (one of admin, reporter, viewer)",
    "[Lỗi] ds.csv, dòng/row 10, cột/column email: đã có tài khoản dùng thư bob@dongphu.gov.vn "
    "/ an account already uses bob@dongphu.gov.vn",
    "[Lỗi] ds.csv, dòng/row 11, cột/column email: tên đăng nhập chi đã có; thêm cột ten_dang_nhap để đặt tên khác "
    "/ the user name chi is taken; add a username column to choose another",
    "[Lỗi] ds.csv, dòng/row 13, cột/column email: tên đăng nhập l trùng với dòng 12; thêm cột ten_dang_nhap để đặt "
    "tên khác / user name l is the same as on row 12; add a username column to choose another",
]


@pytest.fixture
def bob_has_an_address(personas: dict[str, User]) -> None:
    personas["dong_phu"].email = "bob@dongphu.gov.vn"
    personas["dong_phu"].save()


def roster_file(tmp_path: Path, text: str, name: str = "ds.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def createusers(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("createusers", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def accounts() -> list[tuple[str, str, str, str, str | None]]:
    """Every account but the personas: user name, full name, e-mail, role, unit."""
    users = User.objects.exclude(username__in=["alice", "bob", "chi", "dung"]).select_related("membership__unit")
    return sorted(
        (u.username, u.first_name, u.email, u.membership.role, u.membership.unit.code if u.membership.unit else None)
        for u in users
    )


def nothing_written(mailbox: list[EmailMessage]) -> bool:
    return accounts() == [] and AccountEvent.objects.count() == 0 and mailbox == []


# --- the command ---------------------------------------------------------------------------------------------------


def test_the_command_creates_and_invites_everyone_read_on_today_s_tree(
    personas: dict[str, User], tmp_path: Path, mailoutbox: list[EmailMessage]
) -> None:
    out, err = createusers(str(roster_file(tmp_path, GOOD)), "--url", "https://cds.dongnai.gov.vn/")

    assert accounts() == sorted(CREATED)
    assert out.splitlines()[-1] == "Đã tạo và mời 5 tài khoản / created and invited 5 account(s)" and err == ""
    assert "    3  binh " in out and "Phường Đồng Xoài (DN.25210)" in out
    assert [m.to for m in mailoutbox] == [[c[2]] for c in CREATED]
    assert mailoutbox[0].subject == "[dxmonitor] Mời tham gia dxmonitor — Xã Tân Tiến"
    assert re.search(r"^https://cds\.dongnai\.gov\.vn/password/set/\S+/$", mailoutbox[0].body, re.MULTILINE)
    assert all(not User.objects.get(username=c[0]).has_usable_password() for c in CREATED)  # until they set one
    events = [(e.actor, e.username, e.action, e.detail) for e in AccountEvent.objects.order_by("id")]
    assert events == [
        (
            operator().name,
            name,
            "invited",
            {"role": role, "unit": unit, "email": email, "active": True, "via": "csv", "file": "ds.csv"},
        )
        for name, _, email, role, unit in CREATED
    ]


def test_a_dry_run_lists_who_would_be_created_and_creates_nothing(
    personas: dict[str, User], tmp_path: Path, mailoutbox: list[EmailMessage]
) -> None:
    out, _ = createusers(str(roster_file(tmp_path, GOOD)), "--dry-run")

    assert out.splitlines()[-1] == "Chạy thử: sẽ tạo và mời 5 tài khoản / dry run: would create and invite 5"
    assert [line.split()[:2] for line in out.splitlines()[:-1]] == [
        ["2", "an"],
        ["3", "binh"],
        ["4", "cuong"],
        ["5", "dung.stc"],
        ["6", "em"],
    ]
    assert nothing_written(mailoutbox)


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_created(
    bob_has_an_address: None, tmp_path: Path, mailoutbox: list[EmailMessage]
) -> None:
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("createusers", str(roster_file(tmp_path, BAD)), stdout=StringIO(), stderr=err)

    assert str(refused.value) == "11 lỗi — không tạo tài khoản nào / 11 error(s) — no account created"
    lines = err.getvalue().splitlines()
    unknown = lines.pop(1)  # its closest names come from the fuzzy matcher: only their presence is asserted
    assert (
        unknown.startswith("[Lỗi] ds.csv, dòng/row 3, cột/column don_vi: không có đơn vị 'Xã Không Có Thật' ngày ")
        and "; gần nhất: " in unknown
        and "; closest: " in unknown
    )
    assert lines == BAD_ERRORS
    assert nothing_written(mailoutbox)


@pytest.mark.parametrize(
    ("content", "encoding", "error"),
    [
        ("", "utf-8", "[Lỗi] ds.csv, dòng/row 1: tệp không có dòng tiêu đề / the file has no header row"),
        (
            "don_vi,ho_ten\nDN.SO_TC,Phạm Thị Dung\n",
            "utf-8",
            "[Lỗi] ds.csv, dòng/row 1: thiếu cột: email (email) / missing column(s): email (email)",
        ),
        (
            "don_vi,ho_ten,email\nDN.SO_TC,Phạm Thị Dung,dung@dongnai.gov.vn\n",
            "utf-16",
            "[Lỗi] ds.csv: tệp không phải UTF-8: trong Excel hãy lưu dạng 'CSV UTF-8 (Comma delimited)' "
            "/ the file is not UTF-8: in Excel save it as 'CSV UTF-8 (Comma delimited)'",
        ),
        (
            "don_vi,ho_ten,email\nDN.SO_TC,,\n,,\n",
            "utf-8",
            "[Lỗi] ds.csv: tệp không có người nào (họ tên và thư điện tử trống) "
            "/ the file names no one (names and e-mails blank)",
        ),
    ],
)
def test_a_file_that_is_not_a_roster_says_why(
    personas: dict[str, User], tmp_path: Path, mailoutbox: list[EmailMessage], content: str, encoding: str, error: str
) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("createusers", str(roster_file(tmp_path, content, encoding=encoding)), stderr=err)
    assert err.getvalue().splitlines() == [error]
    assert nothing_written(mailoutbox)


class ThirdMailFails(EmailBackend):
    """The mail server takes two invitations, then refuses."""

    def send_messages(self, messages: Any) -> int:
        if len(mail.outbox) >= 2:
            raise OSError("mail server gone")
        return super().send_messages(messages)


def test_a_mail_that_fails_halfway_leaves_no_account_and_no_record(
    personas: dict[str, User], tmp_path: Path, settings: Any, mailoutbox: list[EmailMessage]
) -> None:
    settings.EMAIL_BACKEND = "test_createusers.ThirdMailFails"

    with pytest.raises(CommandError) as refused:
        createusers(str(roster_file(tmp_path, GOOD)))

    assert str(refused.value) == (
        "Không gửi được thư: mail server gone — không tạo tài khoản nào / "
        "the e-mail could not be sent: mail server gone — no account created"
    )
    assert accounts() == [] and AccountEvent.objects.count() == 0 and len(mailoutbox) == 2


def test_a_username_column_and_a_semicolon_separated_file_from_excel_are_read(
    personas: dict[str, User], tmp_path: Path, mailoutbox: list[EmailMessage]
) -> None:
    text = "\ufeffMã đơn vị;Họ tên;Email;Tên đăng nhập\nDN.25318;Nguyễn Văn An;admin@tantien.gov.vn;an.tantien\n"
    createusers(str(roster_file(tmp_path, text)))
    assert accounts() == [("an.tantien", "Nguyễn Văn An", "admin@tantien.gov.vn", "reporter", "DN.25318")]


def test_createuser_is_recorded_in_the_account_s_history(personas: dict[str, User], monkeypatch: Any) -> None:
    monkeypatch.setenv("DXMONITOR_PASSWORD", "Một-mật-khẩu-dài-2025")
    call_command("createuser", "giang", "--role", "reporter", "--unit", "DN.25318", stdout=StringIO())
    call_command("createuser", "giang", "--role", "reporter", "--unit", "DN.SO_TC", stdout=StringIO())
    call_command("createuser", "giang", "--role", "reporter", "--unit", "DN.SO_TC", stdout=StringIO())

    standing = {"role": "reporter", "email": "", "active": True}
    assert [(e.actor, e.username, e.action, e.detail) for e in AccountEvent.objects.order_by("id")] == [
        (operator().name, "giang", "created", {**standing, "unit": "DN.25318"}),
        (
            operator().name,
            "giang",
            "role_changed",
            {"before": {**standing, "unit": "DN.25318"}, "after": {**standing, "unit": "DN.SO_TC"}},
        ),
        (operator().name, "giang", "password_set", {}),
        (operator().name, "giang", "password_set", {}),  # the command set the password again; the role is the same
    ]
    shown = [
        e["text"]
        for e in signed_in(personas["admin"])
        .get(f"/accounts/{User.objects.get(username='giang').pk}/")
        .context["events"]
    ]
    assert shown[-1] == "Tạo tài khoản có mật khẩu: Cán bộ đơn vị, Xã Tân Tiến"


# --- the page ------------------------------------------------------------------------------------------------------


@pytest.fixture
def alice(personas: dict[str, User]) -> Client:
    return signed_in(personas["admin"])


def named(text: str, name: str) -> io.BytesIO:
    data = io.BytesIO(text.encode())
    data.name = name
    return data


def test_the_page_previews_then_creates_on_confirmation(alice: Client, mailoutbox: list[EmailMessage]) -> None:
    preview = alice.post("/accounts/import/", {"file": named(GOOD, "ds.csv")})

    assert preview.status_code == 200
    shown = [(p["row"], p["username"], p["email"], p["unit_name"]) for p in preview.context["roster"]["people"]]
    assert shown == [
        (2, "an", "an@tantien.dongnai.gov.vn", "Xã Tân Tiến"),
        (3, "binh", "binh@dongxoai.dongnai.gov.vn", "Phường Đồng Xoài"),
        (4, "cuong", "cuong@skhcn.dongnai.gov.vn", "Sở Khoa học và Công nghệ"),
        (5, "dung.stc", "dung.stc@dongnai.gov.vn", "Sở Tài chính"),
        (6, "em", "em@dongnai.gov.vn", ""),
    ]
    assert "ds.csv: sẽ tạo và mời 5 tài khoản." in preview.content.decode()
    assert nothing_written(mailoutbox)  # a preview creates nothing

    done = alice.post("/accounts/import/", {"ticket": preview.context["ticket"]}, follow=True)

    assert done.redirect_chain == [("/accounts/", 302)]
    assert [str(m.message) for m in done.context["messages"]] == ["Đã tạo và gửi lời mời tới 5 tài khoản."]
    assert accounts() == sorted(CREATED) and len(mailoutbox) == 5
    assert {(e.actor, e.detail["via"], e.detail["file"]) for e in AccountEvent.objects.all()} == {
        ("alice", "csv", "ds.csv")
    }
    listed = [e["text"] for e in done.context["events"]]
    assert "Mời an@tantien.dongnai.gov.vn theo danh sách ds.csv: Cán bộ đơn vị, Xã Tân Tiến" in listed
    again = alice.post("/accounts/import/", {"ticket": preview.context["ticket"]}, follow=True)  # the ticket is spent
    assert [str(m.message) for m in again.context["messages"]] == [
        "Bản xem trước đã hết hạn: hãy tải tệp lên lại / the preview has expired: upload the file again"
    ]
    assert len(mailoutbox) == 5


def test_the_page_names_every_problem_and_creates_nothing(
    alice: Client, bob_has_an_address: None, mailoutbox: list[EmailMessage]
) -> None:
    response = alice.post("/accounts/import/", {"file": named(BAD, "ds.csv")})

    assert response.status_code == 422 and "ticket" not in response.context
    errors = [str(p) for p in response.context["roster"]["errors"]]
    del errors[1]  # the unknown unit, with its closest names
    assert errors == BAD_ERRORS
    page = response.content.decode()
    assert "11 lỗi — không tạo tài khoản nào" in page and "a reporter needs a unit" in page
    assert nothing_written(mailoutbox)


def test_confirming_checks_again_and_creates_nothing_when_an_address_was_taken_meanwhile(
    alice: Client, mailoutbox: list[EmailMessage]
) -> None:
    preview = alice.post("/accounts/import/", {"file": named(GOOD, "ds.csv")})
    User.objects.create_user("someone", email="EM@dongnai.gov.vn")

    response = alice.post("/accounts/import/", {"ticket": preview.context["ticket"]})

    assert response.status_code == 422
    assert [str(p) for p in response.context["roster"]["errors"]] == [
        "[Lỗi] ds.csv, dòng/row 6, cột/column Thư điện tử: đã có tài khoản dùng thư em@dongnai.gov.vn "
        "/ an account already uses em@dongnai.gov.vn"
    ]
    assert User.objects.filter(username="an").exists() is False and mailoutbox == []


def test_the_template_lists_every_reporting_unit_in_force_today_and_reads_back(
    alice: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage]
) -> None:
    response = alice.get("/accounts/template.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["don_vi", "ten_don_vi", "ho_ten", "email", "vai_tro"]
    kinds: dict[str, int] = {}
    for code, _name, _full, _email, _role in rows[1:]:
        kind = catalogue.units[code].kind
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds == {"department": 14, "commune": 95, "company": 6}  # no ended district, no group, not the province
    assert ["DN.25318", "Xã Tân Tiến", "", "", "reporter"] in rows
    assert not [r for r in rows[1:] if catalogue.units[r[0]].valid_to is not None]

    # filled in for two units, the rest left blank: those two are created
    lines = text.splitlines()
    filled = [
        line.replace(",,,", ",Nguyễn Văn An,an@tantien.gov.vn,")
        if line.startswith("DN.25318,")
        else line.replace(",,,", ",Lê Thị Thu,thu@stc.gov.vn,")
        if line.startswith("DN.SO_TC,")
        else line
        for line in lines
    ]
    preview = alice.post("/accounts/import/", {"file": named("\ufeff" + "\r\n".join(filled), "mau.csv")})
    assert [p["username"] for p in preview.context["roster"]["people"]] == ["thu", "an"]


def test_units_are_read_on_the_tree_of_the_day_a_name_meaning_a_city_then_and_a_ward_now(catalogue: Catalogue) -> None:
    from datetime import date

    kinds = {u.kind for u in reporting_units(catalogue, date(2022, 6, 30))}
    assert "district" in kinds and "commune" not in kinds
    then = read_roster(b"don_vi,ho_ten,email\nDong Xoai,A,a@x.vn\n", "x.csv", catalogue, date(2022, 6, 30))
    now = read_roster("don_vi,ho_ten,email\nP. Đồng Xoài,A,a@x.vn\n".encode(), "x.csv", catalogue, date(2025, 8, 1))
    assert ([p.unit for p in then.people], [p.unit for p in now.people]) == (["BP.DONG_XOAI"], ["DN.25210"])
    assert [str(w) for w in then.warnings] == [
        "[Cảnh báo] x.csv, dòng/row 2, cột/column don_vi: đọc 'Dong Xoai' là 'Thành phố Đồng Xoài' (khớp khi bỏ dấu) "
        "/ read 'Dong Xoai' as 'Thành phố Đồng Xoài' (without diacritics)"
    ]


@pytest.mark.parametrize("persona", ["dong_phu", "viewer"])
def test_only_an_admin_reaches_the_import_and_the_template(
    personas: dict[str, User], persona: str, mailoutbox: list[EmailMessage]
) -> None:
    client = signed_in(personas[persona])
    assert client.get("/accounts/import/").status_code == 403
    assert client.get("/accounts/template.csv").status_code == 403
    assert client.post("/accounts/import/", {"file": named(GOOD, "ds.csv")}).status_code == 403
    assert accounts() == [] and mailoutbox == [] and Membership.objects.count() == 4


def test_the_import_page_speaks_english_after_the_switch(alice: Client) -> None:
    alice.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Create from a CSV file" in alice.get("/accounts/").content.decode()
    page = alice.get("/accounts/import/").content.decode()
    assert "<h1>Create accounts from a CSV file</h1>" in page and "every reporting unit in force today" in page
    preview = alice.post("/accounts/import/", {"file": named(GOOD, "ds.csv")}).content.decode()
    assert "ds.csv: 5 accounts will be created and invited." in preview and "Accounts to be created" in preview
    alice.post("/i18n/setlang/", {"language": "vi", "next": "/"})
