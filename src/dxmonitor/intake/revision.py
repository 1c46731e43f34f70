"""The data's revision: read before a page computes, changed by every write of what pages compute from.

Single saves and deletes (the admin, the catalogue's sync, a round's new report number) change it through model
signals. Bulk writes send no signals, so a function writing in bulk is wrapped in `changes_data`, which also
keeps its many single saves from changing the token once each."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.db import connection
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

ROW = 1
_writing = threading.local()  # inside `changes_data`: the one change at its end stands for all
P = ParamSpec("P")
R = TypeVar("R")


def current() -> str:
    """The token of the data as it is now ("" before the first write). Every page view asks: plain SQL, without
    the ORM's compiling of a query each time."""
    from dxmonitor.intake.models import Revision

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {Revision._meta.db_table} WHERE id = %s", [ROW])
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def bump() -> None:
    """Give the data a new token, inside the caller's transaction: it takes effect when the write commits."""
    from dxmonitor.intake.models import Revision

    token = uuid.uuid4().hex
    if not Revision.objects.filter(pk=ROW).update(token=token):
        Revision.objects.update_or_create(pk=ROW, defaults={"token": token})


def changes_data(write: Callable[P, R]) -> Callable[P, R]:
    """A write of many rows (bulk or one by one) that changes the token once, at its end. Put it inside
    `transaction.atomic` so that the token changes with the rows."""

    @wraps(write)
    def writing(*args: P.args, **kwargs: P.kwargs) -> R:
        outer = getattr(_writing, "active", False)
        _writing.active = True
        try:
            result = write(*args, **kwargs)
        finally:
            _writing.active = outer
        bump()
        return result

    return writing


def _changed(sender: type[Model], **kwargs: Any) -> None:
    if not getattr(_writing, "active", False) and not kwargs.get("raw", False):
        bump()


def watch(*models: type[Model]) -> None:
    """Change the token whenever one of `models` is saved or deleted on its own."""
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"revision-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"revision-delete-{model._meta.label}")


def _links_changed(sender: type[Model], action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        bump()


def watch_links(*through: type[Model]) -> None:
    """Change the token whenever a many-to-many link (e.g. a round's datasets) is added or removed."""
    for model in through:
        m2m_changed.connect(_links_changed, sender=model, dispatch_uid=f"revision-links-{model._meta.label}")
