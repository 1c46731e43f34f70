"""Vietnamese first: the interface is Vietnamese unless the user chose English with the switch."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from dxmonitor.evaluation.formats import language_of, month_name

MONTH_NAME = re.compile(r"^tháng (?P<month>1[0-2]|0?[1-9])/(?P<year>[0-9]{4})$")


def page_language() -> str:
    """ "vi" or "en": the language of the request being answered, for the figures and dates its page says."""
    return language_of(translation.get_language())


def round_name(name: object) -> str:
    """A round's name in the page's language: its stored Vietnamese name, or "June 2022" on an English page (a name
    that is not "tháng M/YYYY" is the office's own and is shown as it is)."""
    text = str(name or "")
    found = MONTH_NAME.match(text.strip())
    if found is None or page_language() != "en":
        return text
    return month_name(int(found["year"]), int(found["month"]), "en")


class VietnameseFirstMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but a browser's Accept-Language does not choose: only the switch does."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
