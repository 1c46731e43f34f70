from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.catalogue.round_store import issuer_defaults
from dxmonitor.issuing.signing import P12_VARIABLE, PASSWORD_VARIABLE, make_demo_certificate


class Command(BaseCommand):
    help = "Chứng thư số để ký báo cáo / the signing certificate: demo-cert makes a self-signed demo one"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        demo = sub.add_parser("demo-cert", help="tạo chứng thư tự ký để thử / make a self-signed demo certificate")
        demo.add_argument("--out", type=Path, default=None, help="tệp .p12 (mặc định signing/demo-signing.p12)")
        demo.add_argument("--force", action="store_true", help="ghi đè tệp đã có / overwrite an existing file")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"] or Path(settings.BASE_DIR) / "signing" / "demo-signing.p12"
        if out.exists() and not options["force"]:
            raise CommandError(f"Tệp đã có / file exists: {out} (--force)")
        password = os.environ.get(PASSWORD_VARIABLE) or secrets.token_urlsafe(12)
        issuer = issuer_defaults(date.today().strftime("%Y-%m"))  # who issues a round opened today
        holder = issuer["issuer_signer_name"] or "Người ký thử nghiệm (demo)"
        make_demo_certificate(out, password, holder, issuer["issuer_agency_name"] or issuer["issuer_agency"])
        out.chmod(0o600)
        self.stdout.write(
            f"Đã tạo chứng thư TỰ KÝ để thử nghiệm, không có giá trị pháp lý: {out}\n"
            f"Made a SELF-SIGNED DEMO certificate, not a legal digital signature: {out}\n"
            f"export {P12_VARIABLE}={out}\n"
            f"export {PASSWORD_VARIABLE}={password}"
        )
