"""People, not codes: every page names indicators, datasets and checks by their names, never shows a blank subject,
and says its figures, dates, change words and round names in its own language (Vietnamese by default, English when
the user chose English); the downloads keep the codes, which are data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.evaluation.formats import change_text, figure, month_name, number, short_date, window_text
from dxmonitor.intake.windows import Window
from dxmonitor.web.presenters import CHECK_NAMES
from dxmonitor.web.templatetags.speech import round_name
from personas import signed_in

D = Decimal
JUNE = "2022-06"
# The pages each persona opens in a month: the dashboards of both rounds, the lists and a page of each kind, the
# round's submissions, checks, an entry form, an approval view, a value's history, the upload page and an unknown page.
PAGES = [
    "/",
    "/rounds/2022-05",
    "/rounds",
    "/datasets",
    "/datasets/app_users",
    "/datasets/dvc_rates",
    "/units",
    "/units/BP.DONG_PHU",
    "/indicators",
    "/indicators/app.users",
    "/indicators/dvc.online_dossier_rate",
    f"/rounds/{JUNE}/submissions",
    f"/rounds/{JUNE}/checks",
    f"/rounds/{JUNE}/entry/app_users/BP.DONG_PHU",
    f"/rounds/{JUNE}/approval/app_users/BP.DONG_PHU",
    f"/values/history?round={JUNE}&unit=BP.DONG_PHU&indicator=app.users",
    "/upload/",
    "/rounds/new/",
    "/no/such/page",
]
# Check codes that are English words ("range") are codes only in the "(range)" form the pages used to print.
WORD_CHECKS = {"range", "unchanged", "outlier"}


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside scripts, styles and drawings, one string a node."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "svg"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture(autouse=True)
def _default_language_after() -> Iterator[None]:
    yield
    translation.deactivate()


def speaking(user: User, language: str) -> Client:
    client = signed_in(user)
    client.cookies["django_language"] = language
    return client


def codes_of(catalogue: Catalogue) -> re.Pattern[str]:
    """Any indicator, dataset or check code as a word of its own (`portal.visits`, `app_users`, `(range)`)."""
    rules = {s.rule for d in catalogue.datasets.values() for s in d.rules}
    words = sorted({*catalogue.indicators, *catalogue.datasets, *CHECK_NAMES, *rules} - WORD_CHECKS, key=len)
    listed = "|".join(re.escape(w) for w in reversed(words))
    return re.compile(rf"(?<![\w.])(?:{listed})(?![\w.])|\((?:{'|'.join(sorted(WORD_CHECKS))})\)")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("persona", ["admin", "dong_phu", "viewer"])
def test_no_page_shows_an_indicator_dataset_or_check_code(
    personas: dict[str, User], catalogue: Catalogue, persona: str, language: str
) -> None:
    client, pattern = speaking(personas[persona], language), codes_of(catalogue)
    shown = {}
    for page in PAGES:
        response = client.get(page)
        assert response.status_code in (200, 302, 403, 404), page
        found = sorted(set(pattern.findall(visible(response.content.decode()))))
        if found:
            shown[page] = found
    assert shown == {}


def findings_on_the_dashboard(html: str) -> list[str]:
    found = re.search(r'<ul class="findings">(.*?)</ul>', html, re.S)
    assert found, "no findings on the dashboard"
    return [visible(li) for li in re.findall(r"<li [^>]*>(.*?)</li>", found.group(1), re.S)]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_finding_has_a_subject(personas: dict[str, User], language: str) -> None:
    client = speaking(personas["admin"], language)
    listed = findings_on_the_dashboard(client.get("/").content.decode())
    assert len(listed) == 5
    for text in listed:
        subject = text.partition("\n")[2].split(":")[0]  # after the severity's badge
        assert subject.replace("·", "").strip(), text
    rows = client.get(f"/rounds/{JUNE}/checks.json").json()
    subjects = [f["subject"] for g in rows["groups"] for f in g["findings"]]
    assert len(subjects) == 19 and all(s.strip() for s in subjects)
    missing = [f for g in rows["groups"] for f in g["findings"] if f["check"] == "dataset_missing"]
    assert [f["subject"] for f in missing] == [
        "Mạng truyền số liệu chuyên dùng",
        "Thanh toán thuế trực tuyến trên Cổng Dịch vụ công quốc gia",
    ]


def tile(html: str, indicator: str) -> str:
    found = re.search(rf'<a class="tile"[^>]*data-indicator="{re.escape(indicator)}">(.*?)</a>', html, re.S)
    assert found, f"no tile for {indicator}"
    return visible(found.group(1))


def test_the_english_dashboard_says_figures_dates_changes_and_rounds_in_english(personas: dict[str, User]) -> None:
    html = speaking(personas["viewer"], "en").get("/").content.decode()
    text = visible(html)
    assert "Overview: June 2022" in text and "Compared with May 2022" in text and "dated 20 Jul 2022" in text
    assert tile(html, "dvc.online_service_rate").split("\n") == [
        "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến",
        "Tỉnh Bình Phước",
        "97.87%",
        "Target ≥ 80%",
        "Met",
        "Up 3.37%",
        "vs. previous round",
        "Figures: to 16 Jul 2022",
    ]
    assert "9,630" in tile(html, "app.users") and "Up 7,254" in tile(html, "app.users")
    for vietnamese in ("Tăng", "Giảm", "Bằng", "tháng 6/2022", "tháng 5/2022", "đến ngày", "97,87%", "9.630"):
        assert vietnamese not in text, vietnamese
    said = " ".join(text.split())
    assert "Hớn Quản · Tỷ lệ hồ sơ xử lý trực tuyến: the report printed «Up 12.6%» (to 16 Jul 2022)" in said
    drawn = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", html))  # the charts' labels and legends
    assert "Met" in drawn and "Not met" in drawn and "Target ≥ 80%" in drawn and "77.3%" in drawn
    assert "Đạt" not in drawn and "Chỉ tiêu" not in drawn and "77,3%" not in drawn and "tháng" not in drawn


def test_the_vietnamese_dashboard_keeps_its_own_style(personas: dict[str, User]) -> None:
    html = speaking(personas["viewer"], "vi").get("/").content.decode()
    text = visible(html)
    assert "Tổng quan tháng 6/2022" in text and "So sánh với tháng 5/2022" in text
    assert tile(html, "dvc.online_service_rate").split("\n")[2:6] == ["97,87%", "Chỉ tiêu ≥ 80%", "Đạt", "Tăng 3,37%"]
    assert "9.630" in tile(html, "app.users") and "Tăng 7.254" in tile(html, "app.users")
    said = " ".join(text.split())
    assert "Hớn Quản · Tỷ lệ hồ sơ xử lý trực tuyến: báo cáo đã in «Tăng 12,6%» (đến ngày 16/7/2022)" in said


def test_the_checks_page_speaks_english_and_names_each_check(personas: dict[str, User]) -> None:
    client = speaking(personas["admin"], "en")
    text = visible(client.get(f"/rounds/{JUNE}/checks").content.decode())
    assert "Data quality checks: June 2022" in text
    assert "the dataset had figures last round but has none this round\n(Dataset missing)" in text
    assert "from 8 Jun 2022 to 19 Jul 2022: 246; 752 − 551 = 201" in text
    assert "90,928,969 (to 8 Jun 2022) + 6,156,783 (from 1 Jun 2022 to 30 Jun 2022)" in text
    assert "số liệu" not in text.split("Data quality checks: June 2022", 1)[1].split("Cổng")[0]


def test_downloads_keep_the_codes(personas: dict[str, User]) -> None:
    client = speaking(personas["admin"], "en")
    csv = client.get(f"/rounds/{JUNE}/checks.csv").content.decode("utf-8-sig")
    assert "portal.visits" in csv and "dvc.online_dossier_rate" in csv
    indicators = client.get("/indicators.csv").content.decode("utf-8-sig")
    assert "dvc.online_dossier_rate" in indicators


def test_the_english_rounds_page_and_an_error_page_speak_english(personas: dict[str, User]) -> None:
    client = speaking(personas["admin"], "en")
    rounds = visible(client.get("/rounds").content.decode())
    assert "June 2022" in rounds and "tháng 6/2022" not in rounds
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    said = visible(missing.content.decode())
    assert "Page not found" in said and "Không tìm thấy trang" not in said and "Về trang tổng quan" not in said
    vietnamese = visible(speaking(personas["admin"], "vi").get("/no/such/page").content.decode())
    assert "Không tìm thấy trang" in vietnamese


def test_the_english_round_form_names_its_rounds_in_english(personas: dict[str, User]) -> None:
    form = visible(speaking(personas["admin"], "en").get("/rounds/2022-06/edit/").content.decode())
    assert "June 2022" in form and "2022-05 — May 2022" in form and "— tháng" not in form
    vietnamese = visible(speaking(personas["admin"], "vi").get("/rounds/2022-06/edit/").content.decode())
    assert "2022-05 — tháng 5/2022" in vietnamese


# --- the formats -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "decimals", "vi", "en"),
    [("1024.5", 1, "1.024,5", "1,024.5"), ("41250000", 0, "41.250.000", "41,250,000"), ("92.5", 2, "92,5", "92.5")],
)
def test_numbers_keep_one_style_per_language(value: str, decimals: int, vi: str, en: str) -> None:
    assert (number(D(value), decimals), number(D(value), decimals, "en")) == (vi, en)


def test_percents_changes_and_dates_in_each_language() -> None:
    assert [figure(D("92.5"), "percent", 2, lang) for lang in ("vi", "en")] == ["92,5%", "92.5%"]
    changes = [change_text(D(d), "percent", 2, "en") for d in ("6.4", "-3.4", "0")]
    assert changes == ["Up 6.4%", "Down 3.4%", "Unchanged"]
    assert [change_text(D(d), "count", 0, "vi") for d in ("1024", "-3", "0")] == ["Tăng 1.024", "Giảm 3", "Bằng"]
    assert [short_date(date(2022, 6, 30), lang) for lang in ("vi", "en")] == ["30/6/2022", "30 Jun 2022"]
    assert window_text(Window(date(2022, 7, 15), date(2022, 6, 1)), "en") == "from 1 Jun 2022 to 15 Jul 2022"
    assert window_text(Window(date(2022, 7, 16)), "en") == "to 16 Jul 2022"
    assert [month_name(2022, 6, lang) for lang in ("vi", "en")] == ["tháng 6/2022", "June 2022"]


def test_a_round_name_is_said_in_the_page_s_language() -> None:
    with translation.override("en"):
        assert [round_name("tháng 6/2022"), round_name("tháng 12/2025"), round_name("Kỳ đặc biệt")] == [
            "June 2022",
            "December 2025",
            "Kỳ đặc biệt",
        ]
    with translation.override("vi"):
        assert round_name("tháng 6/2022") == "tháng 6/2022"
