"""Limit/offset pages with the total count and links to the next and previous pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
MAX_OFFSET = 1_000_000_000  # keeps OFFSET inside the databases' integer range


class Pages(PaginationBase):
    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="items per page")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="items to skip")

    class Output(Schema):
        count: int = Field(description="items in all pages")
        next: str | None = Field(description="address of the next page, or null on the last one")
        previous: str | None = Field(description="address of the previous page, or null on the first one")
        items: list[Any]

    def paginate_queryset(self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any) -> Any:
        offset, limit = pagination.offset, pagination.limit
        count = self._items_count(queryset)
        return {
            "count": count,
            "next": _page_url(request, offset + limit, limit) if offset + limit < count else None,
            "previous": _page_url(request, max(offset - limit, 0), limit) if offset > 0 else None,
            "items": queryset[offset : offset + limit],
        }


def _page_url(request: HttpRequest, offset: int, limit: int) -> str:
    query = request.GET.copy()
    query["offset"], query["limit"] = str(offset), str(limit)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
