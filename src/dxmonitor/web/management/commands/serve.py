from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Chạy máy chủ web / run the web server (gunicorn)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--no-jobs",
            action="store_true",
            help="không chạy việc nền (chạy riêng `dxmonitor worker`) / no job worker beside the server",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings
        from gunicorn.app.base import BaseApplication

        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks there first
        from dxmonitor.project.wsgi import application

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                self.cfg.set("bind", f"{options['host']}:{options['port']}")
                self.cfg.set("workers", options["workers"])
                self.cfg.set("accesslog", "-")

            def load(self) -> Any:
                return application

        self.stdout.write(f"dxmonitor: http://{options['host']}:{options['port']}/  (Ctrl+C để dừng / to stop)")
        # The job worker (report generation) runs beside gunicorn as its own process, ended with the server.
        worker = None if options["no_jobs"] else subprocess.Popen([sys.executable, "-m", "dxmonitor.cli", "worker"])
        try:
            Server().run()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
