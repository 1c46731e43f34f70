"""Who issues a round's report: its number series and its signer. The one place to switch to the round's own
issuer fields (catalogue Round) once they exist; until then both come from settings.REPORT_ISSUER."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from dxmonitor.catalogue.models import Round
from dxmonitor.issuing.numbering import series_from_number


def series_of(round_: Round) -> str:
    """The number series of the round's agency: the round's written number without its sequence, else BC-<agency>."""
    if round_.report_number:
        return series_from_number(round_.report_number)
    issuer: dict[str, Any] = settings.REPORT_ISSUER
    return f"BC-{issuer['agency_short']}"


def signer_of(round_: Round) -> str:
    """The signer as printed under the signature: title and name."""
    issuer: dict[str, Any] = settings.REPORT_ISSUER
    return " ".join(part for part in (issuer["signer_title"], issuer["signer_name"]) if part)
