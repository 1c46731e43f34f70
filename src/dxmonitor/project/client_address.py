"""Where the login throttle (django-axes, through django-ipware) reads a client's address."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class ClientAddress:
    """django-ipware's reading: the request.META keys to read, and how many proxies it skips from the right."""

    precedence: tuple[str, ...]
    proxy_count: int | None


def meta_key(header: str) -> str:
    """`X-Forwarded-For` or `HTTP_X_FORWARDED_FOR` as request.META names it: HTTP_X_FORWARDED_FOR."""
    key = header.strip().upper().replace("-", "_")
    return key if key.startswith("HTTP_") or not key else f"HTTP_{key}"


def client_address(header: str, proxies: int) -> ClientAddress:
    """The address in `header` written by the nearest of `proxies` trusted reverse proxies, or without a header the
    connecting address.

    Each proxy appends the address it received the request from, so the client is the `proxies`-th entry from the
    right; whatever the client wrote into the header itself stands further left and is never read. django-ipware
    counts the proxies listed after the client, and the nearest proxy lists nobody after it: one less."""
    key = meta_key(header)
    if not key:
        return ClientAddress(precedence=("REMOTE_ADDR",), proxy_count=None)
    if proxies < 1:
        raise ImproperlyConfigured("DXMONITOR_TRUSTED_PROXY_COUNT must be 1 or more when a proxy header is trusted")
    return ClientAddress(precedence=(key,), proxy_count=proxies - 1)
