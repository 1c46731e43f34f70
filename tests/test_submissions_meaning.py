"""Submissions that mean something: no "Nộp" without figures (page, API, command line alike), a returned submission
shown as such with its reason (home page, status page, form, e-mail), and the admin's approval view."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from dxmonitor.accounts.models import ApiToken, Membership
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Unit
from dxmonitor.intake.models import Submission, SubmissionEvent, Value
from personas import signed_in

pytestmark = pytest.mark.django_db

JUNE = "2022-06"
SUBMISSIONS = f"/rounds/{JUNE}/submissions"
TAX = "Thanh toán thuế trực tuyến trên Cổng Dịch vụ công quốc gia"
NO_FIGURE_VI = (
    f"Huyện Đồng Phú chưa có số liệu nào của bộ '{TAX}' trong kỳ tháng 6/2022: "
    "hãy nhập hoặc tải tệp số liệu trước khi nộp"
)
NO_FIGURE_EN = f"Huyện Đồng Phú has no figure of '{TAX}' in tháng 6/2022: enter or upload its figures first"
APPROVAL = f"/rounds/{JUNE}/approval/dvc_rates/BP.DONG_PHU"


@pytest.fixture
def alice(personas: dict[str, User]) -> Client:
    return signed_in(personas["admin"])


@pytest.fixture
def bob(personas: dict[str, User]) -> Client:
    personas["dong_phu"].email = "bob@dongphu.binhphuoc.test"
    personas["dong_phu"].save()
    return signed_in(personas["dong_phu"])


def said(response: object) -> list[str]:
    shown = [str(m.message) for m in response.context["messages"]]  # type: ignore[attr-defined]
    return [html.unescape(re.sub(r"<[^>]+>", "", m.replace("<br>", " / "))) for m in shown]


def nothing_submitted() -> bool:
    return not Submission.objects.exists() and not SubmissionEvent.objects.exists()


def test_the_tax_dataset_of_dong_phu_has_no_figure_in_june(catalogue: Catalogue) -> None:
    # the ground of the refusals below: Đồng Phú reports online tax payments, and the demo has none of its figures
    tax = catalogue.datasets["tax_payments"]
    assert "BP.DONG_PHU" in tax.units
    assert not Value.objects.filter(round__code=JUNE, unit__code="BP.DONG_PHU", indicator__code__in=tax.indicators)


def test_submitting_a_dataset_without_a_figure_is_refused_on_the_page(bob: Client) -> None:
    page = bob.post(SUBMISSIONS, {"action": "submit", "dataset": "tax_payments", "unit": "BP.DONG_PHU"}, follow=True)
    assert said(page) == [f"Huyện Đồng Phú — {TAX}: {NO_FIGURE_VI} / {NO_FIGURE_EN}"]
    assert nothing_submitted()


def test_submitting_a_dataset_without_a_figure_is_refused_by_the_api() -> None:
    key = ApiToken.issue("dong-phu-portal", Unit.objects.get(code="BP.DONG_PHU"))[1]
    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").post(
        f"/api/rounds/{JUNE}/submissions/tax_payments/BP.DONG_PHU",
        json.dumps({"action": "submit"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["detail"], body["message_vi"], body["message_en"]) == ("refused", NO_FIGURE_VI, NO_FIGURE_EN)
    assert nothing_submitted()


def test_submitting_a_dataset_without_a_figure_is_refused_on_the_command_line() -> None:
    with pytest.raises(CommandError) as refused:
        call_command(
            "submission", "submit", round=JUNE, dataset="tax_payments", unit="BP.DONG_PHU", stdout=io.StringIO()
        )
    assert NO_FIGURE_VI in str(refused.value) and NO_FIGURE_EN in str(refused.value)
    assert nothing_submitted()


def test_the_api_submits_a_dataset_with_figures_and_the_admin_approves_it(personas: dict[str, User]) -> None:
    key = ApiToken.issue("dong-phu-portal", Unit.objects.get(code="BP.DONG_PHU"))[1]
    reporter = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    path = f"/api/rounds/{JUNE}/submissions/dvc_rates/BP.DONG_PHU"
    submitted = reporter.post(path, json.dumps({"action": "submit"}), content_type="application/json")
    assert submitted.json() == {
        "round": JUNE,
        "dataset": "dvc_rates",
        "unit": "BP.DONG_PHU",
        "status": "submitted",
        "status_text": "Đã nộp",
    }
    refused = reporter.post(path, json.dumps({"action": "approve"}), content_type="application/json")
    assert (refused.status_code, refused.json()["message_en"]) == (422, "only an admin may approve, return or reopen")
    admin = signed_in(personas["admin"])
    approved = admin.post(path, json.dumps({"action": "approve"}), content_type="application/json")
    assert approved.json()["status"] == "approved"


def test_a_returned_submission_is_said_on_the_home_and_status_pages_and_by_e_mail(
    alice: Client, bob: Client, mailoutbox: list[EmailMessage]
) -> None:
    bob.post(SUBMISSIONS, {"action": "submit", "dataset": "dvc_rates", "unit": "BP.DONG_PHU"})
    reason = "Tỷ lệ hồ sơ trực tuyến chưa khớp Cổng DVC"
    alice.post(APPROVAL, {"action": "return", "reason": reason})

    assert Submission.objects.get(unit__code="BP.DONG_PHU").status == "returned"
    home = bob.get("/index.json").json()["returned"]
    assert home == [
        {
            "round": JUNE,
            "round_name": "tháng 6/2022",
            "dataset": "dvc_rates",
            "dataset_name": "Tỷ lệ DVCTT phát sinh hồ sơ và tỷ lệ hồ sơ xử lý trực tuyến",
            "unit": "BP.DONG_PHU",
            "unit_name": "Huyện Đồng Phú",
            "status_text": "Bị trả lại",
            "reason": reason,
            "entry_url": f"/rounds/{JUNE}/entry/dvc_rates/BP.DONG_PHU",
        }
    ]
    assert "Bị trả lại" in bob.get("/").content.decode() and reason in bob.get("/").content.decode()
    status = bob.get(f"{SUBMISSIONS}.json").json()
    row = next(
        u for d in status["datasets"] if d["dataset"] == "dvc_rates" for u in d["units"] if u["unit"] == "BP.DONG_PHU"
    )
    assert (row["status"], row["status_text"], row["return_reason"]) == ("returned", "Bị trả lại", reason)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            ["bob@dongphu.binhphuoc.test"],
            "[dxmonitor] Bị trả lại: Tỷ lệ DVCTT phát sinh hồ sơ và tỷ lệ hồ sơ xử lý trực tuyến — Huyện Đồng Phú, "
            "tháng 6/2022",
        )
    ]
    assert f"Lý do: {reason}" in mailoutbox[0].body
    # submitted again, it is no longer returned
    bob.post(SUBMISSIONS, {"action": "submit", "dataset": "dvc_rates", "unit": "BP.DONG_PHU"})
    assert bob.get("/index.json").json()["returned"] == []


def test_returning_needs_a_reason_and_changes_nothing_without_one(alice: Client, bob: Client) -> None:
    bob.post(SUBMISSIONS, {"action": "submit", "dataset": "dvc_rates", "unit": "BP.DONG_PHU"})
    page = alice.post(APPROVAL, {"action": "return", "reason": "  "}, follow=True)
    assert said(page) == [
        "Huyện Đồng Phú — Tỷ lệ DVCTT phát sinh hồ sơ và tỷ lệ hồ sơ xử lý trực tuyến: cần ghi lý do / a reason is "
        "required"
    ]
    assert Submission.objects.get(unit__code="BP.DONG_PHU").status == "submitted"


def test_the_approval_view_shows_the_figures_by_name_with_targets_and_verdicts(alice: Client, bob: Client) -> None:
    bob.post(SUBMISSIONS, {"action": "submit", "dataset": "dvc_rates", "unit": "BP.DONG_PHU"})
    data = alice.get(f"{APPROVAL}.json").json()
    assert (data["status"], data["unit"]["name"], data["filled"]) == ("submitted", "Huyện Đồng Phú", 2)
    assert [(f["label"], f["value_text"], f["as_of"], f["target_text"], f["verdict"]) for f in data["figures"]] == [
        ("Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến", "77,3%", "đến ngày 16/7/2022", "≥ 80%", "Không đạt"),
        ("Tỷ lệ hồ sơ xử lý trực tuyến", "25,2%", "đến ngày 16/7/2022", "≥ 50%", "Không đạt"),
    ]
    assert [a["action"] for a in data["actions"]] == ["approve", "return"]
    html = alice.get(APPROVAL).content.decode()
    assert "77,3%" in html and 'data-testid="approve"' in html and 'data-testid="reason-return"' in html
    approved = alice.post(APPROVAL, {"action": "approve"}, follow=True)
    assert approved.context["data"]["status"] == "approved"
    assert list(SubmissionEvent.objects.values_list("action", "by")) == [("submit", "bob"), ("approve", "alice")]


def test_only_the_admin_opens_the_approval_view(bob: Client, personas: dict[str, User]) -> None:
    assert bob.get(APPROVAL).status_code == 403
    assert signed_in(personas["viewer"]).get(APPROVAL).status_code == 403
    assert bob.post(APPROVAL, {"action": "approve"}).status_code == 403
    assert nothing_submitted()


def test_the_status_page_links_a_submitted_row_to_the_approval_view(alice: Client, bob: Client) -> None:
    bob.post(SUBMISSIONS, {"action": "submit", "dataset": "dvc_rates", "unit": "BP.DONG_PHU"})
    assert f'href="{APPROVAL}"' in alice.get(SUBMISSIONS).content.decode()
    assert f'href="{APPROVAL}"' not in bob.get(SUBMISSIONS).content.decode()


def test_a_reporter_without_an_e_mail_address_gets_no_mail(
    alice: Client, personas: dict[str, User], mailoutbox: list[EmailMessage]
) -> None:
    reporter = signed_in(personas["dong_phu"])  # bob has no address here
    reporter.post(SUBMISSIONS, {"action": "submit", "dataset": "dvc_rates", "unit": "BP.DONG_PHU"})
    alice.post(APPROVAL, {"action": "return", "reason": "sai số"})
    assert mailoutbox == []
    assert Membership.objects.get(user=personas["dong_phu"]).unit.code == "BP.DONG_PHU"  # type: ignore[union-attr]
