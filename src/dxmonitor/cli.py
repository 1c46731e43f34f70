"""The `dxmonitor` console command: Django's management commands under one name."""

import logging
import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a dxmonitor command (`dxmonitor init`, `dxmonitor import …`, `dxmonitor report …`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxmonitor.project.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    try:
        execute_from_command_line(["dxmonitor", *args])
    except Exception:
        # A crash, not a user's mistake (those are CommandErrors, answered and exited by the command): its traceback
        # goes to the log file, and on to the console as before. Before the settings loaded there is no log file.
        log = logging.getLogger("dxmonitor.commands")
        if log.handlers:
            log.exception("dxmonitor %s: the command failed", " ".join(args))
        raise


if __name__ == "__main__":
    main()
