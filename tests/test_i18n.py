"""The English interface: its catalogue is complete and compiled, the language switch works both ways, and figures
take the number style of the language the interface speaks (1.767 · 92,36% in Vietnamese, 1,767 · 92.36% in
English; tests/test_pages_speak.py says the rest).

The msgids are the Vietnamese interface; src/dxmonitor/locale/en/LC_MESSAGES/django.po holds the English. After
`makemessages -l en`, translate every new msgstr, then `compilemessages -l en` (or `msgfmt --check -o django.mo
django.po`) and commit both files: the first tests below fail until that is done."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.utils import translation

from dxmonitor.accounts.scope import Role
from personas import make_user

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"

# The navigation every signed-in persona sees (base.html), in each language.
NAV_VI = {"Tổng quan", "Bộ số liệu", "Đơn vị", "Chỉ tiêu", "Kỳ báo cáo"}
NAV_EN = {"Overview", "Datasets", "Units", "Indicators", "Reporting rounds"}

# What must survive translation unchanged: %(name)s placeholders and HTML tags.
MARKERS = re.compile(r"%\(\w+\)[sdif]|%[sdif]|%%|</?[a-z][^>]*>")


def read_catalogue(name: str) -> Catalog:
    with (CATALOGUE / name).open("rb") as f:
        return read_mo(f) if name.endswith(".mo") else read_po(f)


def strings(message: Message) -> tuple[str, ...]:
    """The translation, or each plural form of it ("" where missing)."""
    string = message.string
    return tuple(string) if isinstance(string, list | tuple) else (string or "",)


def key(message: Message) -> tuple[str | None, str | tuple[str, ...]]:
    """A message is its context ("Chỉ tiêu" as a target is not "Chỉ tiêu" as an indicator) and its id."""
    context = message.context
    if isinstance(context, bytes):  # Babel's read_mo leaves a context undecoded
        context = context.decode("utf-8")
    return context, tuple(message.id) if isinstance(message.id, list | tuple) else message.id


def translations(catalogue: Catalog) -> dict[tuple[str | None, str | tuple[str, ...]], tuple[str, ...]]:
    return {key(m): strings(m) for m in catalogue if m.id}


def markers(text: str) -> list[str]:
    return sorted(MARKERS.findall(text))


# --- the catalogue -------------------------------------------------------------------------------------------------
def test_every_message_is_translated() -> None:
    po = read_catalogue("django.po")
    assert not po.fuzzy, "the header is marked fuzzy: msgfmt skips it, and the charset with it"
    messages = [m for m in po if m.id]
    assert "Tổng quan" in po and len(messages) > 100
    untranslated = [m.id for m in messages if not all(s.strip() for s in strings(m))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, f"translate these msgstr in {CATALOGUE / 'django.po'}: {untranslated}"
    assert not fuzzy, f"check these translations, then remove their '#, fuzzy' line: {fuzzy}"


def test_translations_keep_placeholders_and_markup() -> None:
    po = read_catalogue("django.po")
    assert [(m.id, [str(e) for e in errors]) for m, errors in po.check()] == []
    wrong = []
    for m in po:
        if not m.id:
            continue
        if isinstance(m.id, list | tuple):  # English: msgstr[0] for one (may leave the count out), msgstr[1] for more
            singular, plural = m.id
            one, many = strings(m)
            ok = set(markers(one)) <= set(markers(singular) + markers(plural)) and markers(many) == markers(plural)
        else:
            ok = markers(strings(m)[0]) == markers(m.id)
        if not ok:
            wrong.append((m.id, m.string))
    assert wrong == []


def test_compiled_catalogue_matches_the_po() -> None:
    po, mo = translations(read_catalogue("django.po")), translations(read_catalogue("django.mo"))
    stale = sorted(str(k) for k in po.keys() | mo.keys() if po.get(k) != mo.get(k))
    assert stale == [], f"django.mo is out of date: run compilemessages -l en and commit it ({stale[:5]}…)"


# --- the pages -----------------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _default_language_after() -> Iterator[None]:
    """A request in English leaves English active in this thread; later tests expect the default."""
    yield
    translation.deactivate()


@pytest.fixture
def viewer(db: None) -> Client:
    client = Client()
    client.force_login(make_user("dung", Role.VIEWER))
    return client


def switch(client: Client, language: str) -> str:
    """Choose the language as the header's button does, and answer the dashboard it leads back to."""
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    return page.content.decode()


def nav(html: str) -> set[str]:
    found = re.search(r'<nav class="main">(.*?)</nav>', html, re.S)
    assert found, "no main navigation"
    return {label.strip() for label in re.findall(r"<a [^>]*>([^<]+)</a>", found.group(1))}


def tile(html: str, indicator: str) -> str:
    found = re.search(rf'<a class="tile"[^>]*data-indicator="{re.escape(indicator)}">(.*?)</a>', html, re.S)
    assert found, f"no tile for {indicator}"
    return found.group(1)


def test_the_interface_switches_to_english_and_back(viewer: Client) -> None:
    html = viewer.get("/").content.decode()
    assert '<html lang="vi">' in html
    assert nav(html) >= NAV_VI

    html = switch(viewer, "en")
    assert '<html lang="en">' in html
    assert nav(html) >= NAV_EN
    assert not NAV_VI & nav(html)
    assert "<title>Overview — dxmonitor</title>" in html
    assert ">Sign out</button>" in html and ">Change password</a>" in html
    assert re.search(r"<h1>Overview: [^<]+</h1>", html)
    assert 'value="vi" class="link">Tiếng Việt</button>' in html  # the way back

    html = switch(viewer, "vi")
    assert '<html lang="vi">' in html
    assert nav(html) >= NAV_VI
    assert not NAV_EN & nav(html)
    assert ">Đăng xuất</button>" in html
    assert 'value="en" class="link">English</button>' in html


def test_figures_take_the_number_style_of_the_interface_s_language(viewer: Client) -> None:
    for language, met, rate_text, users_text in (("en", "Met", "97.87%", "9,630"), ("vi", "Đạt", "97,87%", "9.630")):
        html = switch(viewer, language)
        rate = tile(html, "dvc.online_service_rate")
        assert f'<div class="value">{rate_text}</div>' in rate, language
        assert f'<span class="verdict pass">{met}</span>' in rate, language  # the verdict is interface: translated
        assert f'<div class="value">{users_text}</div>' in tile(html, "app.users"), language
    assert "97.87%" not in html and "9,630" not in html  # Vietnamese again: no English style left


def test_an_english_browser_still_gets_vietnamese_until_the_switch_is_used(viewer: Client) -> None:
    page = viewer.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page and "Tổng quan" in page
