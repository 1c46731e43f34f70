"""The intake pages: a round's submissions and their workflow, the web entry form, a value's history, the round's
data-quality findings and its templates, as each persona sees them.

Personas (conftest): alice the admin, bob the reporter of Đồng Phú, chi the reporter of Lộc Ninh, dung the viewer."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.test import Client
from django.utils import timezone

from dxmonitor.accounts.models import ApiToken
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Round, Unit
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.catalogue.tree import dataset_units
from dxmonitor.evaluation.checks import run_checks
from dxmonitor.intake.models import Submission, SubmissionEvent, Value, ValueChange
from dxmonitor.problems import Severity
from dxmonitor.reports.generate import round_context
from personas import signed_in

pytestmark = pytest.mark.django_db

JUNE = "2022-06"
SUBMISSIONS = f"/rounds/{JUNE}/submissions"
APP_USERS_DP = f"/rounds/{JUNE}/entry/app_users/BP.DONG_PHU"
DVC_RATES_DP = f"/rounds/{JUNE}/entry/dvc_rates/BP.DONG_PHU"
HISTORY = f"/values/history?round={JUNE}&unit=BP.DONG_PHU&indicator=app.users"
DVC_RATES = "Tỷ lệ DVCTT phát sinh hồ sơ và tỷ lệ hồ sơ xử lý trực tuyến"
APP_USERS = "Người sử dụng ứng dụng Bình Phước Today"
TIMES = ("at", "at_text", "submitted_at", "submitted_at_text", "approved_at_text")


@pytest.fixture
def alice(personas: dict[str, User]) -> Client:
    return signed_in(personas["admin"])


@pytest.fixture
def bob(personas: dict[str, User]) -> Client:
    return signed_in(personas["dong_phu"])


@pytest.fixture
def chi(personas: dict[str, User]) -> Client:
    return signed_in(personas["loc_ninh"])


@pytest.fixture
def dung(personas: dict[str, User]) -> Client:
    return signed_in(personas["viewer"])


def without_times(data: object) -> object:
    """The page data with its clock readings dropped (they say when the test ran)."""
    if isinstance(data, dict):
        return {k: without_times(v) for k, v in data.items() if k not in TIMES}
    if isinstance(data, list):
        return [without_times(v) for v in data]
    return data


def said(response: object) -> list[str]:
    """The messages the page shows, as text: the English below the Vietnamese after a slash."""
    shown = [str(m.message) for m in response.context["messages"]]  # type: ignore[attr-defined]
    return [html.unescape(re.sub(r"<[^>]+>", "", m.replace("<br>", " / "))) for m in shown]


def move(
    client: Client, action: str, dataset: str = "app_users", unit: str = "BP.DONG_PHU", reason: str = ""
) -> object:
    return client.post(SUBMISSIONS, {"action": action, "dataset": dataset, "unit": unit, "reason": reason}, follow=True)


def app_users_form(value: str, do: str = "save", note: str = "") -> dict[str, str]:
    return {"value:app.users": value, "as_of:app.users": "19/07/2022", "note": note, "do": do}


def stored(unit: str = "BP.DONG_PHU") -> list[tuple[object, ...]]:
    values = Value.objects.filter(round__code=JUNE, unit__code=unit).order_by("indicator__code", "category", "window")
    return [*values.values_list("indicator__code", "category", "window", "value", "source", "updated_by")]


def everything_stored() -> tuple[list[tuple[object, ...]], int, int]:
    return stored(), ValueChange.objects.count(), SubmissionEvent.objects.count()


def row_of(html: str, key: str) -> str:
    """The HTML of the entry form's row for one input."""
    match = re.search(rf'<tr data-input="{re.escape(key)}".*?</tr>', html, re.S)
    assert match, key
    return match.group(0)


def dataset_of(data: dict, code: str) -> dict:
    return next(d for d in data["datasets"] if d["dataset"] == code)


def unit_of(data: dict, dataset: str, unit: str) -> dict:
    return next(u for u in dataset_of(data, dataset)["units"] if u["unit"] == unit)


# --- access --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [SUBMISSIONS, APP_USERS_DP, HISTORY, f"/rounds/{JUNE}/checks", f"/rounds/{JUNE}/template/app_users", "/checks/"],
)
def test_anonymous_visitors_are_sent_to_the_login_page(url: str) -> None:
    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_every_page_answers_every_persona_in_html_and_json(
    alice: Client, bob: Client, chi: Client, dung: Client
) -> None:
    for name, client in {"alice": alice, "bob": bob, "chi": chi, "dung": dung}.items():
        for url in [SUBMISSIONS, f"/rounds/{JUNE}/checks", f"/values/history?round={JUNE}&unit=BP&indicator=app.users"]:
            page, data = client.get(url), client.get(url + ("&" if "?" in url else "?") + "format=json")
            expected = 403 if name in ("bob", "chi") and "history" in url else 200  # BP is the province
            assert (name, url, page.status_code, data.status_code) == (name, url, expected, expected)


def test_the_menu_pages_open_the_latest_round_or_the_one_chosen(dung: Client) -> None:
    assert dung.get("/submissions/")["Location"] == "/rounds/2022-06/submissions"
    assert dung.get("/checks/", {"round": "2022-05"})["Location"] == "/rounds/2022-05/checks"
    assert dung.get("/checks/", {"round": "2031-01"}).status_code == 404


def test_a_reporter_cannot_open_or_post_another_unit_s_form(chi: Client) -> None:
    before = everything_stored()

    page = chi.get(APP_USERS_DP)
    data = chi.get(APP_USERS_DP + ".json")
    post = chi.post(APP_USERS_DP, app_users_form("5000"))
    submit = chi.post(APP_USERS_DP, app_users_form("5000", do="submit"))

    assert [page.status_code, data.status_code, post.status_code, submit.status_code] == [403, 403, 403, 403]
    assert "Bạn chỉ được nhập số liệu của đơn vị mình" in page.content.decode()
    assert data.json() == {"error": "Bạn chỉ được nhập số liệu của đơn vị mình và các đơn vị trực thuộc."}
    assert everything_stored() == before
    assert not Submission.objects.exists()


def test_the_viewer_cannot_act_enter_remind_or_download(dung: Client) -> None:
    before = everything_stored()

    responses = [
        dung.post(SUBMISSIONS, {"action": "submit", "dataset": "app_users", "unit": "BP.DONG_PHU"}),
        dung.post(SUBMISSIONS, {"action": "remind"}),
        dung.get(APP_USERS_DP),
        dung.post(APP_USERS_DP, app_users_form("5000")),
        dung.get(f"/rounds/{JUNE}/template/app_users"),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403, 403]
    assert "Thành viên Ban Chỉ đạo chỉ được xem số liệu." in responses[2].content.decode()
    assert everything_stored() == before
    page = dung.get(SUBMISSIONS + ".json").json()
    assert unit_of(page, "app_users", "BP.DONG_PHU")["actions"] == []
    assert (page["can_remind"], dataset_of(page, "app_users")["template_url"]) == (False, None)


# --- the workflow through the pages ---------------------------------------------------------------------------


def test_a_figure_goes_from_the_form_through_submission_approval_the_lock_and_a_reopening(
    alice: Client, bob: Client, dung: Client
) -> None:
    form = bob.get(APP_USERS_DP)
    assert form.status_code == 200
    assert without_times(form.context["data"]["inputs"]) == [
        {
            "key": "app.users",
            "indicator": "app.users",
            "category": "",
            "label": "Số người sử dụng ứng dụng Bình Phước Today",
            "kind": "count",
            "measure": "",
            "value_text": "611",
            "as_of_text": "19/07/2022",
            "stored": {
                "value": 611,
                "value_text": "611",
                "as_of": "đến ngày 19/7/2022",
                "source": "file",
                "source_text": "Tệp",
                "by": "demo",
            },
            "history_url": "/values/history?round=2022-06&unit=BP.DONG_PHU&indicator=app.users&category=",
            "problems": [],
            "invalid": [],
        }
    ]

    saved = bob.post(APP_USERS_DP, app_users_form("700", note="cập nhật theo hệ thống"), follow=True)
    assert said(saved) == ["Đã lưu 1 số liệu."]
    assert saved.context["data"]["status"] == "draft"
    submitted = bob.post(APP_USERS_DP, app_users_form("700", do="submit"), follow=True)
    assert said(submitted) == ["Không có số liệu nào thay đổi.", "Đã nộp bộ số liệu; chờ quản trị duyệt."]
    assert submitted.context["data"]["status"] == "submitted"

    approved = move(alice, "approve")
    assert said(approved) == [f"Huyện Đồng Phú — {APP_USERS}: Đã duyệt (khóa)."]

    locked = bob.get(APP_USERS_DP)
    html = locked.content.decode()
    assert (locked.context["data"]["locked"], locked.context["data"]["can_submit"]) == (True, False)
    assert 'data-testid="locked"' in html and "<fieldset disabled>" in html and 'data-testid="save"' not in html
    refused = bob.post(APP_USERS_DP, app_users_form("720"))
    assert refused.status_code == 422
    assert [p["message"] for p in refused.context["data"]["inputs"][0]["problems"]] == [
        "bộ số liệu 'Người sử dụng ứng dụng Bình Phước Today' của Huyện Đồng Phú kỳ 2022-06 đã được duyệt và khóa; "
        "cần quản trị mở lại trước khi sửa"
    ]

    csv = "don_vi,chi_tieu,gia_tri,ngay_so_lieu\nĐồng Phú,app.users,720,19/07/2022\n".encode()
    upload = bob.post("/upload/", {"round": JUNE, "uploads": SimpleUploadedFile("dong-phu.csv", csv)})
    assert "đã được duyệt và khóa" in upload.content.decode()
    key = ApiToken.issue("dong-phu-app", Unit.objects.get(code="BP.DONG_PHU"))[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}").post(
        f"/api/rounds/{JUNE}/values",
        [{"unit": "BP.DONG_PHU", "indicator": "app.users", "value": 720, "as_of": "19/07/2022"}],
        content_type="application/json",
    )
    assert (api.status_code, [e["message_en"] for e in api.json()["errors"]]) == (
        422,
        [
            "'Người sử dụng ứng dụng Bình Phước Today' of Huyện Đồng Phú for 2022-06 is approved and locked; "
            "an admin must reopen it"
        ],
    )
    assert Value.objects.get(round__code=JUNE, unit__code="BP.DONG_PHU", indicator__code="app.users").value == 700

    no_reason = move(alice, "reopen")
    assert said(no_reason) == [f"Huyện Đồng Phú — {APP_USERS}: cần ghi lý do / a reason is required"]
    reopened = move(alice, "reopen", reason="Sửa số người dùng theo thống kê mới")
    assert said(reopened) == [f"Huyện Đồng Phú — {APP_USERS}: Mở lại."]
    again = bob.post(APP_USERS_DP, app_users_form("720"), follow=True)
    assert (said(again), again.context["data"]["status"]) == (["Đã lưu 1 số liệu."], "reopened")

    row = unit_of(dung.get(SUBMISSIONS + ".json").json(), "app_users", "BP.DONG_PHU")
    assert without_times(row["events"]) == [
        {
            "action": "submit",
            "action_text": "Nộp",
            "from_status": "draft",
            "to_status": "submitted",
            "to_status_text": "Đã nộp",
            "by": "bob",
            "reason": "",
        },
        {
            "action": "approve",
            "action_text": "Duyệt",
            "from_status": "submitted",
            "to_status": "approved",
            "to_status_text": "Đã duyệt (khóa)",
            "by": "alice",
            "reason": "",
        },
        {
            "action": "reopen",
            "action_text": "Mở lại",
            "from_status": "approved",
            "to_status": "reopened",
            "to_status_text": "Mở lại",
            "by": "alice",
            "reason": "Sửa số người dùng theo thống kê mới",
        },
    ]
    page = dung.get(SUBMISSIONS).content.decode()
    assert "«Sửa số người dùng theo thống kê mới»" in page
    changes = dung.get(HISTORY + "&format=json").json()["changes"]
    assert [(c["by"], c["source"], c["old_value"], c["new_value"]) for c in changes] == [
        ("bob", "form", 700, 720),
        ("bob", "form", 611, 700),
        ("demo", "file", None, 611),
    ]


def test_an_admin_returns_a_submission_with_a_reason_and_the_reporter_can_submit_again(
    alice: Client, bob: Client
) -> None:
    bob.post(APP_USERS_DP, app_users_form("611", do="submit"))

    returned = move(alice, "return", reason="Thiếu số liệu xã Tân Lợi")
    assert said(returned) == [f"Huyện Đồng Phú — {APP_USERS}: Bị trả lại."]
    form = bob.get(APP_USERS_DP).context["data"]
    assert (form["status"], form["return_reason"], form["can_submit"]) == (
        "returned",
        "Thiếu số liệu xã Tân Lợi",
        True,
    )
    again = bob.post(APP_USERS_DP, app_users_form("611", do="submit"), follow=True)
    assert again.context["data"]["status"] == "submitted"
    events = SubmissionEvent.objects.order_by("id").values_list("action", "by", "reason")
    assert [*events] == [("submit", "bob", ""), ("return", "alice", "Thiếu số liệu xã Tân Lợi"), ("submit", "bob", "")]


def test_a_refused_move_is_a_message_in_both_languages_and_changes_nothing(alice: Client, bob: Client) -> None:
    approve_a_draft = move(alice, "approve")
    a_reporter_approves = move(bob, "approve")
    another_unit = move(bob, "submit", unit="BP.LOC_NINH")

    assert [r.status_code for r in (approve_a_draft, a_reporter_approves, another_unit)] == [200, 200, 200]
    assert said(approve_a_draft) == [
        f"Huyện Đồng Phú — {APP_USERS}: không thể duyệt khi đang ở trạng thái 'Đang nhập' / "
        "cannot approve a submission that is draft"
    ]
    assert said(a_reporter_approves) == [
        f"Huyện Đồng Phú — {APP_USERS}: chỉ quản trị được duyệt, trả lại hoặc mở lại / "
        "only an admin may approve, return or reopen"
    ]
    assert said(another_unit) == [
        f"Huyện Lộc Ninh — {APP_USERS}: chỉ cán bộ của đơn vị (hoặc quản trị) được nộp / "
        "only the unit's reporter or an admin may submit"
    ]
    assert not SubmissionEvent.objects.exists()
    assert alice.post(SUBMISSIONS, {"action": "approve", "dataset": "app_users", "unit": "BP"}).status_code == 404


def test_after_a_move_the_page_shows_the_row_and_after_a_refusal_the_message_at_the_top(
    alice: Client, bob: Client
) -> None:
    submitted = bob.post(SUBMISSIONS, {"action": "submit", "dataset": "app_users", "unit": "BP.DONG_PHU"})
    refused = bob.post(SUBMISSIONS, {"action": "approve", "dataset": "app_users", "unit": "BP.DONG_PHU"})
    reminded = alice.post(SUBMISSIONS, {"action": "remind"})

    assert [submitted["Location"], refused["Location"], reminded["Location"]] == [
        "/rounds/2022-06/submissions?dataset=app_users#u-app_users-BP.DONG_PHU",
        "/rounds/2022-06/submissions?dataset=app_users#",
        "/rounds/2022-06/submissions#",
    ]
    page = bob.get(SUBMISSIONS, {"dataset": "app_users"}).content.decode()
    assert '<tr id="u-app_users-BP.DONG_PHU" data-unit="BP.DONG_PHU" data-status="submitted">' in page


def test_the_forms_carry_their_csrf_token(personas: dict[str, User]) -> None:
    client = signed_in(personas["dong_phu"], csrf=True)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(APP_USERS_DP).content.decode())
    assert token

    assert client.post(APP_USERS_DP, app_users_form("700")).status_code == 403
    assert (
        client.post(APP_USERS_DP, {**app_users_form("700"), "csrfmiddlewaretoken": token.group(1)}).status_code == 302
    )


# --- the entry form checks as a file is checked ---------------------------------------------------------------


def test_a_bad_number_and_a_rate_above_100_are_shown_at_their_inputs_and_nothing_is_written(bob: Client) -> None:
    before = everything_stored()

    response = bob.post(
        DVC_RATES_DP,
        {
            "value:dvc.online_service_rate": "7,7,3",
            "as_of:dvc.online_service_rate": "16/07/2022",
            "value:dvc.online_dossier_rate": "120",
            "as_of:dvc.online_dossier_rate": "16/07/2022",
            "do": "submit",
        },
    )

    assert response.status_code == 422
    data = response.context["data"]
    assert [(i["key"], i["value_text"], i["invalid"], i["problems"]) for i in data["inputs"]] == [
        (
            "dvc.online_service_rate",
            "7,7,3",
            ["value"],
            [
                {
                    "severity": "error",
                    "severity_text": "Lỗi",
                    "field": "value",
                    "message": "'7,7,3': các nhóm chữ số không đúng (phải là nhóm 3 chữ số)",
                    "message_en": "'7,7,3': digit groups are not groups of three",
                }
            ],
        ),
        (
            "dvc.online_dossier_rate",
            "120",
            ["value"],
            [
                {
                    "severity": "error",
                    "severity_text": "Lỗi",
                    "field": "value",
                    "message": "tỷ lệ 120 vượt quá 100%",
                    "message_en": "percentage 120 is above 100",
                }
            ],
        ),
    ]
    assert said(response) == ["2 lỗi — chưa lưu gì."]
    html = response.content.decode()
    assert 'aria-invalid="true"' in row_of(html, "dvc.online_dossier_rate")
    assert "tỷ lệ 120 vượt quá 100%" in row_of(html, "dvc.online_dossier_rate")
    assert "vượt quá 100%" not in row_of(html, "dvc.online_service_rate")
    assert everything_stored() == before


def test_a_bad_as_of_date_is_shown_at_its_input(bob: Client) -> None:
    response = bob.post(APP_USERS_DP, {"value:app.users": "700", "as_of:app.users": "31/06/2022", "do": "save"})

    assert response.status_code == 422
    only = response.context["data"]["inputs"][0]
    assert (only["invalid"], [p["message"] for p in only["problems"]]) == (
        ["as_of"],
        ["'31/06/2022' có ngày không tồn tại"],
    )


def test_a_warning_is_shown_at_its_input_and_the_figure_is_still_saved(bob: Client) -> None:
    # Users are a running total: fewer than last round's 229 is suspicious, not wrong.
    response = bob.post(APP_USERS_DP, app_users_form("200"))

    assert response.status_code == 200
    problems = response.context["data"]["inputs"][0]["problems"]
    assert [(p["severity"], p["message"]) for p in problems] == [
        ("warning", "số lũy kế Số người sử dụng ứng dụng Bình Phước Today giảm từ 229 (kỳ trước) xuống 200")
    ]
    assert said(response) == ["Đã lưu 1 số liệu."]
    assert stored()[0] == ("app.users", "", "2022-07-19", Decimal(200), "form", "bob")


def test_an_emptied_input_keeps_its_stored_figure_and_says_so(bob: Client) -> None:
    before = everything_stored()

    response = bob.post(DVC_RATES_DP, {"value:dvc.online_service_rate": "", "value:dvc.online_dossier_rate": "25,2"})

    assert response.status_code == 200
    first, second = response.context["data"]["inputs"]
    assert [p["message"] for p in first["problems"]] == [
        "ô để trống: số đã lưu (77,3%) được giữ nguyên; biểu mẫu không xóa số liệu"
    ]
    assert (first["value_text"], second["problems"]) == ("77,3", [])
    assert everything_stored() == before


def test_the_form_has_an_input_for_each_category_and_keeps_the_as_of_window_of_stored_figures(alice: Client) -> None:
    data = alice.get(f"/rounds/{JUNE}/entry/security_scan/BP.CA.json").json()

    assert [(i["key"], i["label"], i["measure"]) for i in data["inputs"]] == [
        ("security.computers", "Số lượng máy tính được rà quét", ""),
        ("security.vulnerable_computers", "Số máy tính có điểm yếu", ""),
        ("security.vulnerabilities|severity=nguy_hiem", "Số điểm yếu an toàn thông tin — Nguy hiểm", ""),
        ("security.vulnerabilities|severity=cao", "Số điểm yếu an toàn thông tin — Cao", ""),
        ("security.vulnerabilities|severity=trung_binh", "Số điểm yếu an toàn thông tin — Trung bình", ""),
        ("security.vulnerabilities|severity=thap", "Số điểm yếu an toàn thông tin — Thấp", ""),
    ]
    assert {i["as_of_text"] for i in data["inputs"]} == {"01/07/2022 - 20/07/2022"}


def test_saving_every_figure_unchanged_writes_no_history(bob: Client) -> None:
    form = bob.get(f"/rounds/{JUNE}/entry/office_software/BP.DONG_PHU").context["data"]
    posted = {f"value:{i['key']}": i["value_text"] for i in form["inputs"]}
    posted |= {f"as_of:{i['key']}": i["as_of_text"] for i in form["inputs"]}
    before = everything_stored()

    response = bob.post(f"/rounds/{JUNE}/entry/office_software/BP.DONG_PHU", posted, follow=True)

    assert said(response) == ["Không có số liệu nào thay đổi."]
    assert everything_stored() == before


# --- a value's history ----------------------------------------------------------------------------------------


def test_the_history_lists_old_and_new_values_after_two_saves_newest_first(bob: Client, dung: Client) -> None:
    bob.post(APP_USERS_DP, app_users_form("1.250", note="theo thống kê ngày 19/7"))
    bob.post(APP_USERS_DP, app_users_form("1320"))
    first = ValueChange.objects.get(
        round__code=JUNE, unit__code="BP.DONG_PHU", indicator__code="app.users", old_value=None
    )

    data = dung.get(HISTORY + "&format=json").json()

    assert without_times(data["changes"]) == [
        {
            "by": "bob",
            "source": "form",
            "source_text": "Biểu mẫu",
            "source_ref": "form!app_users:1",
            "category": "",
            "category_text": "",
            "as_of": "đến ngày 19/7/2022",
            "old_value": 1250,
            "old_text": "1.250",
            "new_value": 1320,
            "new_text": "1.320",
            "note": "theo thống kê ngày 19/7",  # saved again without a note: the note stays
        },
        {
            "by": "bob",
            "source": "form",
            "source_text": "Biểu mẫu",
            "source_ref": "form!app_users:1",
            "category": "",
            "category_text": "",
            "as_of": "đến ngày 19/7/2022",
            "old_value": 611,
            "old_text": "611",
            "new_value": 1250,
            "new_text": "1.250",
            "note": "theo thống kê ngày 19/7",
        },
        {
            "by": "demo",
            "source": "file",
            "source_text": "Tệp",
            "source_ref": first.source_ref,
            "category": "",
            "category_text": "",
            "as_of": "đến ngày 19/7/2022",
            "old_value": None,
            "old_text": "",
            "new_value": 611,
            "new_text": "611",
            "note": first.note,
        },
    ]
    assert [(v["value_text"], v["by"]) for v in data["current"]] == [("1.320", "bob")]
    html = dung.get(HISTORY).content.decode()
    cells = re.findall(r'<td class="num">(?:<strong>)?([^<]+)', html.split('data-testid="changes"')[1])
    assert cells == ["1.250", "1.320", "611", "1.250", "611"]  # old, new of each change; the first one had no old


def test_the_history_of_another_unit_is_closed_to_a_reporter(bob: Client) -> None:
    response = bob.get(f"/values/history?round={JUNE}&unit=BP.LOC_NINH&indicator=app.users")

    assert response.status_code == 403


def test_the_history_knows_no_unknown_indicator_or_category(dung: Client) -> None:
    assert dung.get(f"/values/history?round={JUNE}&unit=BP.DONG_PHU&indicator=nope").status_code == 404
    assert dung.get(HISTORY + "&category=severity=cao").status_code == 404
    assert dung.get("/values/history?round=2030-01&unit=BP.DONG_PHU&indicator=app.users").status_code == 404


# --- reporting status and reminders ---------------------------------------------------------------------------


def test_the_reporting_status_counts_submitted_on_time_and_approved(alice: Client, bob: Client, chi: Client) -> None:
    round_ = Round.objects.get(code=JUNE)
    round_.deadline = timezone.now() + timedelta(days=2)
    round_.save()
    bob.post(APP_USERS_DP, app_users_form("611", do="submit"))
    chi.post(f"/rounds/{JUNE}/entry/app_users/BP.LOC_NINH", {"value:app.users": "1125", "do": "submit"})
    Submission.objects.filter(unit__code="BP.LOC_NINH").update(submitted_at=round_.deadline + timedelta(hours=1))
    move(alice, "approve")

    data = alice.get(SUBMISSIONS + ".json").json()

    assert (data["round"]["deadline_passed"], data["can_remind"]) == (False, True)
    app = dataset_of(data, "app_users")
    assert {k: v for k, v in app.items() if k not in ("missing", "units")} == {
        "dataset": "app_users",
        "name": APP_USERS,
        "expected": 12,
        "with_figures": 12,
        "submitted": 2,
        "on_time": 1,
        "approved": 1,
        "rate": 0.1667,
        "complete": False,
        "figures_text": "12/12",
        "submitted_text": "2/12",
        "without_figures": [],
        "rate_text": "2/12",
        "on_time_text": "1",
        "approved_text": "1",
        "template_url": "/rounds/2022-06/template/app_users",
    }
    assert [u["name"] for u in app["missing"]][:3] == ["Đồng Xoài", "Phước Long", "Bình Long"]
    assert [(u["unit"], u["status"], u["on_time"], [a["action"] for a in u["actions"]]) for u in app["units"][4:8]] == [
        ("BP.LOC_NINH", "submitted", False, ["approve", "return"]),
        ("BP.BU_DOP", "draft", None, ["submit"]),
        ("BP.HON_QUAN", "draft", None, ["submit"]),
        ("BP.DONG_PHU", "approved", True, ["reopen"]),
    ]


def test_a_reporter_sees_only_the_rows_of_their_unit(bob: Client) -> None:
    bob.post(APP_USERS_DP, app_users_form("611", do="submit"))

    data = bob.get(SUBMISSIONS + ".json").json()

    assert data["scope"] == {"role": "reporter", "units": ["BP.DONG_PHU"]}
    assert {u["unit"] for d in data["datasets"] for u in d["units"]} == {"BP.DONG_PHU"}
    assert [d["dataset"] for d in data["datasets"]] == [  # June collects no tax payments (its rounds held none)
        "dvc_rates",
        "app_users",
        "office_software",
        "cnscd",
        "online_payments",
    ]
    assert without_times(dataset_of(data, "app_users")) == {
        "dataset": "app_users",
        "name": APP_USERS,
        "expected": 1,
        "with_figures": 1,
        "submitted": 1,
        "on_time": 1,
        "approved": 0,
        "rate": 1.0,
        "complete": True,
        "figures_text": "1/1",
        "submitted_text": "1/1",
        "without_figures": [],
        "rate_text": "1/1",
        "on_time_text": "1",
        "approved_text": "0",
        "missing": [],
        "template_url": "/rounds/2022-06/template/app_users",
        "units": [
            {
                "unit": "BP.DONG_PHU",
                "name": "Huyện Đồng Phú",
                "status": "submitted",
                "status_text": "Đã nộp",
                "has_figures": True,
                "submitted_by": "bob",
                "on_time": True,
                "approved_by": "",
                "return_reason": "",
                "approval_url": None,
                "actions": [],
                "entry_url": "/rounds/2022-06/entry/app_users/BP.DONG_PHU",
                "events": [
                    {
                        "action": "submit",
                        "action_text": "Nộp",
                        "from_status": "draft",
                        "to_status": "submitted",
                        "to_status_text": "Đã nộp",
                        "by": "bob",
                        "reason": "",
                    }
                ],
            }
        ],
    }
    assert data["waiting"] == [
        {
            "unit": "BP.DONG_PHU",
            "name": "Huyện Đồng Phú",
            "datasets": [
                dataset_of(data, c)["name"] for c in ["dvc_rates", "office_software", "cnscd", "online_payments"]
            ],
        }
    ]


def test_reminders_go_by_e_mail_to_the_reporters_of_units_not_yet_submitted(
    personas: dict[str, User], alice: Client, bob: Client, mailoutbox: list[EmailMessage]
) -> None:
    for user, email in [(personas["dong_phu"], "bob@dongphu.gov.vn"), (personas["loc_ninh"], "chi@locninh.gov.vn")]:
        user.email = email
        user.save()

    assert bob.post(SUBMISSIONS, {"action": "remind"}).status_code == 403
    assert mailoutbox == []
    response = alice.post(SUBMISSIONS, {"action": "remind"}, follow=True)

    assert said(response) == [
        "Đã gửi 2 thư nhắc.",
        "Đã gửi tới bob, bob@dongphu.gov.vn — Huyện Đồng Phú",
        "Đã gửi tới chi, chi@locninh.gov.vn — Huyện Lộc Ninh",
        "Không gửi được, đơn vị chưa có cán bộ: "
        + ", ".join(
            u["name"]
            for u in alice.get(SUBMISSIONS + ".json").json()["waiting"]
            if u["unit"] not in ("BP.DONG_PHU", "BP.LOC_NINH")
        ),
    ]
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("bob@dongphu.gov.vn", "[dxmonitor] Nhắc nộp số liệu tháng 6/2022 — Huyện Đồng Phú"),
        ("chi@locninh.gov.vn", "[dxmonitor] Nhắc nộp số liệu tháng 6/2022 — Huyện Lộc Ninh"),
    ]
    assert "http://testserver/rounds/2022-06/submissions" in mailoutbox[0].body


# --- data-quality findings ------------------------------------------------------------------------------------


def test_the_checks_page_lists_the_hon_quan_slip_of_june_among_the_errors(dung: Client) -> None:
    data = dung.get(f"/rounds/{JUNE}/checks.json").json()

    errors = next(g for g in data["groups"] if g["severity"] == "error")
    assert {
        "severity": "error",
        "severity_text": "Lỗi",
        "check": "printed_differs",
        "check_text": "Số đã in khác số tính lại",
        "dataset": "dvc_rates",
        "unit": "BP.HON_QUAN",
        "unit_name": "Hớn Quản",
        "indicator": "dvc.online_dossier_rate",
        "indicator_name": "Tỷ lệ hồ sơ xử lý trực tuyến",
        "category": "",
        "category_text": "",
        "subject": "Hớn Quản · Tỷ lệ hồ sơ xử lý trực tuyến",
        "figures": "in: Tăng 12,6%; tính lại: Tăng 18,6%",
        "message": "báo cáo đã in «Tăng 12,6%» (đến ngày 16/7/2022), số tính lại từ số liệu gốc là «Tăng 18,6%»",
        "unit_full_name": "Huyện Hớn Quản",
        "dataset_name": DVC_RATES,
    } in errors["findings"]
    june = Round.objects.get(code=JUNE)
    every = run_checks(round_context(june, june.effective_baseline()))
    assert [(f["check"], f["unit"], f["indicator"]) for g in data["groups"] for f in g["findings"]] == [
        (f.check, f.unit, f.indicator) for f in every
    ]
    assert (
        data["by_severity"]["error"] == len(errors["findings"]) == sum(1 for f in every if f.severity is Severity.ERROR)
    )
    html = dung.get(f"/rounds/{JUNE}/checks").content.decode()
    assert re.search(r'<tr data-check="printed_differs" data-unit="BP.HON_QUAN">.*?Tăng 18,6%', html, re.S)


def test_a_reporter_sees_the_findings_of_their_own_unit_only(bob: Client) -> None:
    data = bob.get(f"/rounds/{JUNE}/checks.json").json()

    assert {f["unit"] for g in data["groups"] for f in g["findings"]} <= {"BP.DONG_PHU"}


# --- templates ------------------------------------------------------------------------------------------------


def unit_rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Số liệu"]
    return [row for row in sheet.iter_rows(min_row=8, max_col=3, values_only=True) if row[1]]


def test_the_template_is_a_real_workbook_with_the_reporter_s_own_row(bob: Client) -> None:
    response = bob.get(f"/rounds/{JUNE}/template/app_users")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="bieu-mau-app_users-2022-06.xlsx"'
    assert unit_rows(response.content) == [(1, "BP.DONG_PHU", "Huyện Đồng Phú")]


def test_the_admin_s_template_has_a_row_for_every_unit_of_the_dataset(alice: Client, catalogue: Catalogue) -> None:
    response = alice.get(f"/rounds/{JUNE}/template/app_users")

    in_june = dataset_units(catalogue.datasets["app_users"].units, catalogue, round_days(JUNE))
    assert [code for _, code, _ in unit_rows(response.content)] == in_june
    assert not any(code.startswith("DN") for code in in_june)  # Đồng Nai's communes send it from July 2025


def test_a_template_without_the_reporter_s_units_is_refused(chi: Client, alice: Client) -> None:
    assert chi.get(f"/rounds/{JUNE}/template/portal").status_code == 403
    assert alice.get(f"/rounds/{JUNE}/template/nope").status_code == 404
    assert alice.get(f"/rounds/{JUNE}/entry/app_users/BP").status_code == 404  # not a unit of the dataset


def test_the_submissions_page_links_each_dataset_s_template(alice: Client, catalogue: Catalogue) -> None:
    html = alice.get(SUBMISSIONS).content.decode()

    collected = {  # June was made by an import: it collects the datasets it holds figures of
        *("portal", "dvc_overview", "dvc_rates", "app_users", "hotline", "office_software", "cnscd"),
        *("online_payments", "e_auth", "security_scan"),
    }
    assert re.findall(r'href="(/rounds/2022-06/template/[^"]+)"', html) == [
        f"/rounds/2022-06/template/{code}"
        for code, ds in catalogue.datasets.items()
        if not ds.computed and code in collected
    ]  # a dataset dxmonitor computes from records is sent by nobody: no template, no reporting status
