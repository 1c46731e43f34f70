from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dxmonitor.catalogue.current import require_initialised
from dxmonitor.issuing import signing
from dxmonitor.issuing.hashing import sha256_of
from dxmonitor.issuing.models import IssuedReport
from dxmonitor.issuing.service import find_by_hash


class Command(BaseCommand):
    help = (
        "Kiểm tra một tệp PDF có đúng là bản đã ban hành, chưa bị sửa / "
        "check that a PDF is an unaltered issued version (signature valid, hash registered); exit 1 otherwise"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        require_initialised()
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp / file not found: {path}")
        found = find_by_hash(sha256_of(path))
        if found is not None:
            trusted = [found[0].certificate]
        else:  # not registered: still say whether it carries one of our signatures
            issued = IssuedReport.objects.filter(state=IssuedReport.State.ISSUED).exclude(certificate="")
            trusted = sorted(set(issued.values_list("certificate", flat=True)))
        check = signing.check_signature(path, [pem for pem in trusted if pem])
        self.stdout.write(_signature_line(check))
        if found is None:
            raise CommandError(
                f"{path}: không khớp bản nào đã ban hành (tệp đã bị sửa hoặc không phải bản ban hành) / "
                "matches no issued version (altered, or never issued)"
            )
        record, entry = found
        self.stdout.write(
            f"Khớp bản đã ban hành / matches issued version: {record.number} ngày / dated {record.date:%d/%m/%Y}, "
            f"kỳ / round {record.round.code} v{record.version}, tệp / file {entry['name']}"
        )
        if not check.valid:
            raise CommandError(f"{path}: chữ ký số không hợp lệ / the digital signature is not valid")
        self.stdout.write("Hợp lệ: bản đã ban hành, chưa bị sửa / valid: an unaltered issued version")


def _signature_line(check: signing.SignatureCheck) -> str:
    if not check.signed:
        return "Chữ ký số: không có / digital signature: none"
    if check.valid:
        return f"Chữ ký số: hợp lệ, ký bởi {check.signer} / digital signature: valid, signed by {check.signer}"
    why = []
    if not check.intact:
        why.append("nội dung đã bị sửa sau khi ký / altered after signing")
    elif not check.whole_file:
        why.append("có phần thêm sau chữ ký / content added after the signature")
    if check.intact and not check.trusted:
        why.append("chứng thư không phải của bản ban hành / not the issuing certificate")
    if check.problem:
        why.append(check.problem)
    return "Chữ ký số: KHÔNG hợp lệ / digital signature: NOT valid (" + "; ".join(why) + ")"
