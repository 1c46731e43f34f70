"""The `dxmonitor` console command: Django's management commands under one name."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a dxmonitor command (`dxmonitor init`, `dxmonitor import …`, `dxmonitor report …`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxmonitor.project.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["dxmonitor", *args])


if __name__ == "__main__":
    main()
