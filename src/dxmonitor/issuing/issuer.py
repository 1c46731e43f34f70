"""Who issues a round's report, as issuing needs it: the number's series, the signer and the place, all from the
issuer the round keeps (catalogue Round's `issuer_*` fields, through reports.generate.issuer_of)."""

from __future__ import annotations

from dxmonitor.catalogue.models import Round
from dxmonitor.reports.generate import issuer_of


def series_of(round_: Round) -> str:
    """The number series of the round's agency: "BC-STTTT" (Số 01, 02, … run per series and year)."""
    return issuer_of(round_).series


def signer_of(round_: Round) -> str:
    """The signer as printed under the signature: title and name."""
    issuer = issuer_of(round_)
    return " ".join(part for part in (issuer.signer_title, issuer.signer_name) if part)


def place_of(round_: Round) -> str:
    """Where the report is issued (the signature's location)."""
    return issuer_of(round_).place
