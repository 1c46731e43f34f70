"""The database locks of the one write path: a round's units held by a writer, and how long another waits for them.

A write of figures and a move of a submission (submit, approve, return, reopen) hold the (round, unit) locks of the
units they touch until they commit, and take them before they check or read anything:

- on PostgreSQL, a transaction-level advisory lock per (round, unit), taken in one order so that two writers of
  several units cannot deadlock; `lock_timeout` bounds the wait;
- on SQLite, the transaction itself: it begins IMMEDIATE (settings: `transaction_mode`), which takes the database's
  one write lock at once; the connection's busy `timeout` bounds the wait.

A writer that cannot get its locks in time is refused with `Busy`, never left with a database error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection, transaction


class Busy(Exception):
    """Another write holds the figures this one needs, longer than we wait; nothing was written."""

    vi = "đang có thao tác khác ghi cùng số liệu, chưa ghi gì; vui lòng thử lại sau ít phút"
    en = "another write is using the same figures; nothing was written, please try again in a moment"

    def __init__(self) -> None:
        super().__init__(self.en)


# PostgreSQL's SQLSTATEs of a wait given up: lock_not_available (lock_timeout), deadlock_detected.
_GIVEN_UP = {"55P03", "40P01"}


def is_busy(exc: BaseException) -> bool:
    """Whether a database error means "another transaction held what we waited for"."""
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in _GIVEN_UP:
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text


@contextmanager
def write_transaction() -> Iterator[None]:
    """One atomic write whose lock waits are bounded; a wait given up becomes `Busy` and nothing is written."""
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                milliseconds = int(settings.WRITE_WAIT_SECONDS * 1000)
                with connection.cursor() as cursor:  # SET LOCAL: for this transaction only
                    cursor.execute(f"SET LOCAL lock_timeout = {milliseconds}")
            yield
    except DatabaseError as exc:
        if is_busy(exc):
            raise Busy() from exc
        raise


def hold_units(round_id: int, unit_ids: Iterable[int]) -> None:
    """Hold the write locks of these units in this round until the transaction ends (inside `write_transaction`)."""
    if connection.vendor != "postgresql":
        return  # SQLite: the IMMEDIATE transaction already holds the only write lock there is
    ordered = sorted(set(unit_ids))
    if not ordered:
        return
    with connection.cursor() as cursor:
        # Taken in unit order within one statement: the sorted sub-select fixes the order the locks are taken in.
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s::int, u)) "
            "FROM (SELECT unnest(%s::int[]) AS u ORDER BY u) AS ordered",
            [round_id, ordered],
        )
