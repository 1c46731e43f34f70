"""Where the log goes and what every record carries: the id, the user and the path of the request being served."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from concurrent_log_handler import ConcurrentRotatingFileHandler

NONE = "-"  # what a record made outside a request (a command, the server's start) shows in the request's fields


@dataclass
class RequestTrace:
    """What a log record says about the request it was made for; the user is known once authentication ran."""

    request_id: str
    path: str
    user: str = NONE


current_request: ContextVar[RequestTrace | None] = ContextVar("dxmonitor_request", default=None)


def name_user(name: str) -> None:
    """Name the user of the request being served in its later records (an API key is known only to the API)."""
    trace = current_request.get()
    if trace is not None:
        trace.user = name


def reference() -> str:
    """The id of the request being served (shown to the user as the reference of an error), or "" outside one."""
    trace = current_request.get()
    return trace.request_id if trace else ""


class RequestContextFilter(logging.Filter):
    """Adds request_id, user and path to every record, so that a line of the log names the request it belongs to."""

    def filter(self, record: logging.LogRecord) -> bool:
        trace = current_request.get()
        record.request_id = trace.request_id if trace else NONE
        record.user = trace.user if trace else NONE
        record.path = trace.path if trace else NONE
        return True


class LogFileHandler(ConcurrentRotatingFileHandler):
    """The rotating log file, its folder created when missing.

    Several server workers and commands write the same file, so the rotation takes a file lock (a plain
    RotatingFileHandler in each process would rename the file under the others and lose lines)."""

    def __init__(self, filename: str, *args: Any, **kwargs: Any) -> None:
        Path(filename).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(filename, *args, **kwargs)


def logging_config(folder: Path, level: str, console_level: str, max_bytes: int, backups: int) -> dict[str, Any]:
    """Django's LOGGING: every record to the rotating file `folder/dxmonitor.log` and, from `console_level` up, to
    the console; a command's crash (logger dxmonitor.commands) to the file only, its console keeps the traceback."""
    line = "%(asctime)s %(levelname)s %(process)d %(name)s [%(request_id)s %(user)s %(path)s] %(message)s"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": RequestContextFilter}},
        "formatters": {"line": {"format": line}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "level": console_level,
                "filters": ["request"],
                "formatter": "line",
            },
            "file": {
                "()": LogFileHandler,
                "filename": str(folder / "dxmonitor.log"),
                "maxBytes": max_bytes,
                "backupCount": backups,
                "encoding": "utf-8",
                "level": level,
                "filters": ["request"],
                "formatter": "line",
            },
        },
        "root": {"handlers": ["console", "file"], "level": level},
        "loggers": {
            # Django's defaults send its records to a console shown only with DEBUG and to e-mails nobody set up;
            # here they go where everything else goes.
            "django": {"handlers": [], "level": level, "propagate": True},
            "dxmonitor.commands": {"handlers": ["file"], "level": level, "propagate": False},
        },
    }
