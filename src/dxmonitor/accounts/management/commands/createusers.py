from __future__ import annotations

import os
import smtplib
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from dxmonitor.accounts.cli import operator
from dxmonitor.accounts.people import invitations_of, invite_all, taken
from dxmonitor.accounts.roster import read_roster
from dxmonitor.catalogue.current import require_initialised

LONG = 20  # from this many accounts on, a progress bar (each one is a mail)


class Command(BaseCommand):
    help = (
        "Tạo tài khoản hàng loạt từ tệp CSV (don_vi, ho_ten, email, tùy chọn vai_tro, ten_dang_nhap) và gửi thư mời; "
        "có lỗi thì không tạo gì / create accounts from a CSV file and e-mail their invitations, all or nothing"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp CSV, UTF-8 / a UTF-8 CSV file")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không tạo / check, create nothing")
        parser.add_argument(
            "--url",
            default=os.environ.get("DXMONITOR_URL", "http://127.0.0.1:8000"),
            help="địa chỉ trang web ghi trong thư mời / the site's address for the e-mailed links "
            "(default: $DXMONITOR_URL or http://127.0.0.1:8000)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        catalogue = require_initialised()
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path} / no file {path}")
        today = timezone.localdate()
        roster = read_roster(path.read_bytes(), path.name, catalogue, today, taken())
        for problem in roster.problems:
            (self.stderr if problem.is_error else self.stdout).write(str(problem))
        if not roster.ok:
            n = len(roster.errors)
            raise CommandError(f"{n} lỗi — không tạo tài khoản nào / {n} error(s) — no account created")
        for p in roster.people:
            unit = f"{catalogue.units[p.unit].name} ({p.unit})" if p.unit else "—"
            self.stdout.write(f"{p.row:>5}  {p.username:<24} {p.full_name:<28} {p.email:<32} {p.role.value:<9} {unit}")
        n = len(roster.people)
        if options["dry_run"]:
            self.stdout.write(f"Chạy thử: sẽ tạo và mời {n} tài khoản / dry run: would create and invite {n}")
            return
        base = options["url"].rstrip("/")
        invitations = invitations_of(roster.people)
        console = Console(file=sys.stderr)
        with Progress(
            TextColumn("Gửi thư mời / inviting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=n < LONG or not console.is_terminal,
        ) as progress:
            task = progress.add_task("invite", total=n)
            try:
                invite_all(
                    operator().name,
                    invitations,
                    lambda uid, token: base + reverse("password-set", args=[uid, token]),
                    done=lambda _: progress.advance(task),
                    via="csv",
                    file=path.name,
                )
            except (smtplib.SMTPException, OSError) as exc:
                raise CommandError(
                    f"Không gửi được thư: {exc} — không tạo tài khoản nào / "
                    f"the e-mail could not be sent: {exc} — no account created"
                ) from exc
        self.stdout.write(f"Đã tạo và mời {n} tài khoản / created and invited {n} account(s)")
