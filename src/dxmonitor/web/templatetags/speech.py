"""What a page says in its own language beyond the message catalogue: a round's name ("tháng 6/2022" → "June 2022")."""

from __future__ import annotations

from django import template

from dxmonitor.web import language

register = template.Library()


@register.filter
def round_name(name: object) -> str:
    """A round's name in the page's language (`{{ round.name|round_name }}`)."""
    return language.round_name(name)
