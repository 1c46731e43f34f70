"""What a page computed, kept between requests (and between server processes, with a shared cache) until the
data changes: the key holds the data's revision token, the language and what the reader may see.

A page's figures change only when someone writes (an import, the form, the API, the admin), a few times a month,
while they are read all day; recomputing them on every request made a dashboard of ten years × 200 units cost
1.5 s. Keeping them makes a repeated view cost a cache read, and the first view after a write costs what it did."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

from dxmonitor.accounts.scope import Principal
from dxmonitor.intake import revision

KEEP_SECONDS = 24 * 3600  # a stale entry can never be read (its token is gone); this only frees the memory
T = TypeVar("T")


def scope_of(principal: Principal) -> str:
    """Readers of one role who see the same units get the same pages (a page says whose it is: role and units)."""
    units = principal.units
    seen = "all" if principal.reads_everything or units is None else ",".join(sorted(units))
    return f"{principal.role.value}:{seen}"


def page_key(page: str, principal: Principal, *parts: str | None) -> str:
    """The key of a page's figures (and of its HTML fragments): revision, language, reader's scope, parts."""
    named = "\x1f".join([scope_of(principal), *(part or "" for part in parts)])
    digest = hashlib.sha256(named.encode()).hexdigest()[:32]
    return f"dxmonitor:page:{page}:{revision.current()}:{get_language() or ''}:{digest}"


def kept(key: str, compute: Callable[[], T]) -> T:
    """`compute()`'s result under `key` (from `page_key`): computed once per revision of the data.

    The key holds the token read before computing: a write that lands meanwhile gives a new token, so what was
    computed from older data is kept under the old token, which no later request asks for."""
    found: tuple[T] | None = cache.get(key)
    if found is None:
        found = (compute(),)
        cache.set(key, found, KEEP_SECONDS)
    return found[0]
