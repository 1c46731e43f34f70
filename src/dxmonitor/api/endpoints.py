"""The REST API (Django Ninja); its OpenAPI schema is at /api/openapi.json."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, cast

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.parser import Parser

from dxmonitor.api import catalogue, completeness, moves, rounds, values
from dxmonitor.api.auth import ApiKey, SignedInUser
from dxmonitor.api.errors import install_handlers
from dxmonitor.issuing import api as issuing_api
from dxmonitor.publishing import api as publishing_api

DESCRIPTION = """
Figures of the province's digital-transformation monitoring: the catalogue (units, indicators, datasets),
reporting rounds, and the values of a round with their evaluation.

**Authentication.** Send an API key as `Authorization: Bearer <key>` (`dxmonitor token` issues one). A key is
scoped like a reporter of its unit: it reads and writes the figures of that unit and the units below it. A signed-in
browser session works too; its writes need the `X-CSRFToken` header. Admins and viewers read every unit's figures;
viewers write none.

**Numbers.** Figures are written as strings of plain decimals (`"92.36"`, `"1767"`) so that no digit is lost.
Figures sent may be JSON numbers or strings, written plainly or the Vietnamese way (`"92,36%"`, `"1.767"`).

**Errors.** Every 4xx answer is `{"detail": <code>, "message_vi", "message_en", "errors": [...], "warnings": [...]}`;
each error names the item (`index`, from 0) and the `field` at fault. A write is all or nothing.

**Pages.** Lists take `limit` (at most 500) and `offset` and answer `{"count", "next", "previous", "items"}`.
"""


class ExactJson(Parser):
    """JSON bodies with their decimals read exactly, not as binary floats."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads(request.body, parse_float=Decimal))


api = NinjaAPI(
    title="dxmonitor API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[ApiKey(), SignedInUser()],
    parser=ExactJson(),
)
install_handlers(api)
api.add_router("", catalogue.router)
api.add_router("", rounds.router)
api.add_router("", values.router)
api.add_router("", completeness.router)
api.add_router("", moves.router)
api.add_router("", publishing_api.router)
api.add_router("", issuing_api.router)
