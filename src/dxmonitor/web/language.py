"""Vietnamese first: the interface is Vietnamese unless the user chose English with the switch."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from dxmonitor.evaluation.formats import language_of


def page_language() -> str:
    """ "vi" or "en": the language of the request being answered, for the figures and dates its page says."""
    return language_of(translation.get_language())


class VietnameseFirstMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but a browser's Accept-Language does not choose: only the switch does."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
