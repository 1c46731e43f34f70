"""The demo's signing certificate: when the office configured none, `dxmonitor demo` makes a self-signed one (as
`dxmonitor signing demo-cert` does) and uses it for this run, so that the demo's issued PDF is signed. Its password
is kept beside it (both readable by the owner only) so that a second demo run reuses it."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from dxmonitor.issuing.signing import (
    P12_VARIABLE,
    PASSWORD_VARIABLE,
    Credentials,
    SigningError,
    certificate_pem,
    configured,
    make_demo_certificate,
)


@dataclass(frozen=True)
class DemoSigning:
    credentials: Credentials
    made: bool  # made by this run (else configured by the office, or made by an earlier demo run)
    demo: bool  # a self-signed demo certificate, not the office's

    def lines(self) -> list[str]:
        """What the demo says of it, Vietnamese first."""
        path = self.credentials.p12
        if not self.demo:
            return [f"Ký số bằng chứng thư đã cấu hình / signing with the configured certificate: {path}"]
        done = "Đã tạo" if self.made else "Dùng lại"
        did = "Made" if self.made else "Reusing"
        return [
            f"Chưa cấu hình chứng thư số ({P12_VARIABLE}): {done.lower()} chứng thư TỰ KÝ để thử nghiệm, "
            f"không có giá trị pháp lý: {path}",
            f"No signing certificate configured ({P12_VARIABLE}): {did.lower()} a SELF-SIGNED DEMO certificate, "
            f"not a legal digital signature: {path}",
            f"  export {P12_VARIABLE}={path}",
            f"  export {PASSWORD_VARIABLE}=$(cat {password_file(path)})",
        ]


def demo_certificate_path() -> Path:
    return Path(settings.BASE_DIR) / "signing" / "demo-signing.p12"


def password_file(p12: Path) -> Path:
    return p12.with_suffix(".password")


def _usable(credentials: Credentials) -> bool:
    try:
        certificate_pem(credentials)
    except SigningError:
        return False
    return True


def ensure_demo_signing(holder: str, agency: str) -> DemoSigning:
    """The configured certificate, else the demo's own (made now if missing or unreadable); set in this process's
    environment so that what the demo runs next (issuing, the server and its worker) signs with it."""
    found = configured()
    if found is not None:
        return DemoSigning(found, made=False, demo=False)
    p12 = demo_certificate_path()
    secret = password_file(p12)
    if p12.is_file() and secret.is_file():
        kept = Credentials(p12, secret.read_text(encoding="utf-8").strip().encode())
        if _usable(kept):
            _use(kept)
            return DemoSigning(kept, made=False, demo=True)
    password = secrets.token_urlsafe(12)
    make_demo_certificate(p12, password, holder or "Người ký thử nghiệm (demo)", agency)
    p12.chmod(0o600)
    secret.write_text(password + "\n", encoding="utf-8")
    secret.chmod(0o600)
    made = Credentials(p12, password.encode())
    _use(made)
    return DemoSigning(made, made=True, demo=True)


def _use(credentials: Credentials) -> None:
    os.environ[P12_VARIABLE] = str(credentials.p12)
    os.environ[PASSWORD_VARIABLE] = credentials.password.decode()
