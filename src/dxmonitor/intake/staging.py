"""Checked files awaiting the user's confirmation (`var/uploads/<ticket>/`), and their removal once stale."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Removed:
    """A stale ticket that was deleted: its folder, its files' names and how old it was."""

    folder: Path
    files: tuple[str, ...]
    hours: float


def stale_tickets(folder: Path, keep_hours: float, now: float) -> list[tuple[Path, float]]:
    """The tickets last written more than `keep_hours` before `now`, oldest first, with their age in hours."""
    if not folder.is_dir():
        return []
    tickets = sorted((entry.stat().st_mtime, entry) for entry in folder.iterdir() if entry.is_dir())
    return [(entry, (now - mtime) / 3600) for mtime, entry in tickets if now - mtime > keep_hours * 3600]


def remove_stale(folder: Path, keep_hours: float, now: float | None = None) -> list[Removed]:
    """Delete the stale tickets with their files; what was deleted."""
    removed = []
    for ticket, hours in stale_tickets(folder, keep_hours, time.time() if now is None else now):
        try:
            files = tuple(sorted(p.name for p in ticket.iterdir()))
        except OSError:  # another process removed it meanwhile
            continue
        shutil.rmtree(ticket, ignore_errors=True)
        if not ticket.exists():
            removed.append(Removed(ticket, files, hours))
    return removed
