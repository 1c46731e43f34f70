"""What a page says in its own language beyond the message catalogue: a round's name ("tháng 6/2022" → "June 2022")."""

from __future__ import annotations

import re

from django import template

from dxmonitor.evaluation.formats import month_name
from dxmonitor.web.language import page_language

register = template.Library()
MONTH_NAME = re.compile(r"^tháng (?P<month>1[0-2]|0?[1-9])/(?P<year>[0-9]{4})$")


@register.filter
def round_name(name: object) -> str:
    """A round's name in the page's language: its stored Vietnamese name, or "June 2022" on an English page (a name
    that is not "tháng M/YYYY" is the office's own and is shown as it is)."""
    text = str(name or "")
    found = MONTH_NAME.match(text.strip())
    if found is None or page_language() != "en":
        return text
    return month_name(int(found["year"]), int(found["month"]), "en")
