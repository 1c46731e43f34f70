from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import Progress

from dxmonitor.accounts.models import Membership
from dxmonitor.accounts.scope import Principal, Role
from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.models import Round, Unit
from dxmonitor.demo.loading import (
    DemoRound,
    demo_rounds,
    load_demo_sections,
    mark_issued,
    name_the_signer,
    open_demo_round,
)
from dxmonitor.intake.models import Source
from dxmonitor.intake.service import Writer, read_files, write
from dxmonitor.issuing.demo_certificate import ensure_demo_signing
from dxmonitor.issuing.models import IssuedReport
from dxmonitor.issuing.service import FORMATS, issue
from dxmonitor.publishing.readiness import missing_units
from dxmonitor.reports.generate import ReportError, generate, issuer_of

DEMO_PASSWORD = "demo-dxmonitor-2022"
DEMO_WRITER = Writer(Principal("demo", Role.ADMIN, None), Source.FILE)
DEMO_ACCOUNTS = [
    ("quantri", "admin", None),
    ("dongphu", "reporter", "BP.DONG_PHU"),
    ("locninh", "reporter", "BP.LOC_NINH"),
    ("bandieuhanh", "viewer", None),
]

DEMO_REASON = (
    "Bản trình diễn: số liệu chép từ báo cáo đã ban hành, không phải mọi đơn vị nộp qua dxmonitor / "
    "demo: figures transcribed from the issued report, not every unit submitted through dxmonitor"
)

# A local domain: nothing leaves the machine, and the console e-mail backend (the default) prints the mail.
DEMO_MAIL_DOMAIN = "dxmonitor.localhost"


def demo_email(name: str) -> str:
    return f"{name}@{DEMO_MAIL_DOMAIN}"


class Command(BaseCommand):
    help = "Chạy bản trình diễn Bình Phước 2022 / run the Bình Phước 2022 demo: init, import, report, serve"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="không chạy máy chủ web sau khi xong")
        parser.add_argument("--out", type=Path, default=None, help="thư mục báo cáo (mặc định out/)")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def _demo_accounts(self) -> None:
        """One account per role, so that the demo can be opened at once (demo only: change or delete them)."""
        password = os.environ.get("DXMONITOR_DEMO_PASSWORD", DEMO_PASSWORD)
        self.stdout.write("Tài khoản trình diễn / demo accounts (mật khẩu / password: " + password + "):")
        for name, role, unit in DEMO_ACCOUNTS:
            if not User.objects.filter(username=name).exists():
                user = User.objects.create_user(
                    name, password=password, is_staff=role == "admin", is_superuser=role == "admin"
                )
                Membership.objects.create(user=user, role=role, unit=Unit.objects.filter(code=unit or "").first())
            # An address of the demo's own, so reminders and invitations show in the console (a run before had none).
            User.objects.filter(username=name, email="").update(email=demo_email(name))
            self.stdout.write(f"  {name:<12} {role}{' ' + unit if unit else ''} <{demo_email(name)}>")

    def _issue(self, demo: DemoRound) -> str:
        """Issue the demo round once, on the day its real report was issued (so Số 01 and 02 come out as the
        seeds'), its PDF signed; without LibreOffice, its DOCX and HTML only. What happened, in one line."""
        round_ = Round.objects.get(code=demo.code)
        done = IssuedReport.objects.filter(round=round_, state=IssuedReport.State.ISSUED).first()
        if done is not None:
            return f"Kỳ {demo.code} đã ban hành số {done.number} / round {demo.code} already issued as {done.number}"
        reason = DEMO_REASON if missing_units(round_) else ""
        try:
            record = issue(round_, "demo", reason, FORMATS, demo.report_date)
        except ReportError as exc:  # no LibreOffice: the number is given back, and taken again without the PDF
            record = issue(round_, "demo", reason, ("docx", "html"), demo.report_date)
            return (
                f"Kỳ {demo.code}: đã ban hành số {record.number}, không có PDF ({exc.vi}) / "
                f"issued as {record.number}, no PDF ({exc.en})"
            )
        signed = " (PDF đã ký số / PDF signed)" if "pdf" in {f["format"] for f in record.files} else ""
        return f"Kỳ {demo.code}: đã ban hành số {record.number}{signed} / round {demo.code} issued as {record.number}"

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"] or settings.REPORTS_DIR
        rounds = demo_rounds()
        with Progress(transient=False) as progress:
            task = progress.add_task("Demo", total=2 * len(rounds) + 3)
            progress.update(task, description="Khởi tạo CSDL / init")
            call_command("init", stdout=self.stdout)
            progress.advance(task)
            for demo in rounds:
                progress.update(task, description=f"Nhập kỳ / import {demo.code}")
                plan = read_files([demo.file], demo.code, get_catalogue())
                open_demo_round(demo, plan)
                result = write(plan, get_catalogue(), DEMO_WRITER)
                if result.summary is None:
                    raise CommandError("\n".join(str(p) for p in plan.errors))
                mark_issued(demo)
                signer = name_the_signer(demo)
                problems = load_demo_sections(demo)
                if problems:
                    raise CommandError("\n".join(str(p) for p in problems))
                progress.console.print(
                    f"Kỳ {demo.code}: {result.summary.line()}, {len(plan.warnings)} cảnh báo / warnings; người ký "
                    f"(tên mẫu của bản chạy thử) / signer (the demo's made-up name): {signer}"
                )
                progress.advance(task)
            latest = rounds[-1].code
            progress.update(task, description=f"Báo cáo / report {latest} (DOCX, HTML)")
            written = generate(latest, ["docx", "html"], out)
            progress.advance(task)
            progress.update(task, description=f"Báo cáo / report {latest} (PDF, LibreOffice)")
            try:
                written += generate(latest, ["pdf"], out)
            except ReportError as exc:
                progress.console.print(f"[yellow]Không xuất được PDF: {exc.vi} / no PDF: {exc.en}[/yellow]")
            progress.advance(task)
            latest_round = Round.objects.get(code=latest)
            issuer = issuer_of(latest_round)
            signing = ensure_demo_signing(issuer.signer_name, issuer.agency_name or issuer.agency)
            said = signing.lines()
            for demo in rounds:
                progress.update(task, description=f"Ban hành / issue {demo.code}")
                said.append(self._issue(demo))
                progress.advance(task)
        for line in said:
            self.stdout.write(line)
        for path in written:
            self.stdout.write(f"  {path}")
        self._demo_accounts()
        if not options["no_serve"]:
            call_command("serve", host=options["host"], port=options["port"])
