"""Sign an issued PDF (PAdES baseline B with pyHanko) with the office's PKCS#12 certificate, check a signed PDF,
and make a self-signed demo certificate (cryptography).

The certificate and its password come from the environment: DXMONITOR_SIGNING_P12 (the .p12/.pfx file) and
DXMONITOR_SIGNING_PASSWORD."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID

# pyHanko imports cryptography's DSA, deprecated there; we neither sign nor accept DSA, so the warning is noise.
warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning, module="pyhanko")

P12_VARIABLE = "DXMONITOR_SIGNING_P12"
PASSWORD_VARIABLE = "DXMONITOR_SIGNING_PASSWORD"
FIELD = "ChuKySo"


class SigningError(Exception):
    def __init__(self, vi: str, en: str):
        super().__init__(f"{vi} / {en}")
        self.vi = vi
        self.en = en


@dataclass(frozen=True)
class Credentials:
    p12: Path
    password: bytes


def configured() -> Credentials | None:
    """The office's certificate from the environment, or None when none is configured."""
    path = os.environ.get(P12_VARIABLE, "")
    if not path:
        return None
    return Credentials(Path(path), os.environ.get(PASSWORD_VARIABLE, "").encode())


def require_configured() -> Credentials:
    """The configured certificate; SigningError naming the variables when there is none or its file is missing."""
    credentials = configured()
    if credentials is None:
        raise SigningError(
            f"Chưa cấu hình chứng thư số để ký PDF: đặt {P12_VARIABLE} và {PASSWORD_VARIABLE} "
            "(thử nghiệm: dxmonitor signing demo-cert)",
            f"no signing certificate configured: set {P12_VARIABLE} and {PASSWORD_VARIABLE} "
            "(to try: dxmonitor signing demo-cert)",
        )
    if not credentials.p12.is_file():
        raise SigningError(
            f"Không tìm thấy tệp chứng thư số {credentials.p12} ({P12_VARIABLE})",
            f"signing certificate file not found: {credentials.p12} ({P12_VARIABLE})",
        )
    return credentials


def certificate_pem(credentials: Credentials) -> str:
    """The PEM of the certificate in the PKCS#12 file (kept with an issued version, to check it later)."""
    _, cert, _ = _load(credentials)
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _load(credentials: Credentials) -> tuple[object, x509.Certificate, list[x509.Certificate]]:
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(credentials.p12.read_bytes(), credentials.password or None)
    except ValueError as exc:
        raise SigningError(
            f"Không mở được chứng thư số {credentials.p12}: sai mật khẩu ({PASSWORD_VARIABLE}) hoặc tệp hỏng",
            f"cannot open the signing certificate {credentials.p12}: wrong password ({PASSWORD_VARIABLE}) or bad file",
        ) from exc
    if key is None or cert is None:
        raise SigningError(
            f"Tệp {credentials.p12} không có khóa và chứng thư", f"{credentials.p12} holds no key and certificate"
        )
    return key, cert, chain


def sign_pdf(source: Path, target: Path, credentials: Credentials, reason: str, location: str) -> None:
    """Write `source` signed (PAdES baseline B, sha256) to `target`. The signature is invisible: pyHanko's stamp
    with an embedded TrueType font rendered Vietnamese text with broken spacing in poppler, so no box is drawn."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    _load(credentials)  # a wrong password is said in our words before pyHanko tries
    signer = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]  # pyHanko leaves it untyped
        pfx_file=str(credentials.p12), passphrase=credentials.password or None
    )
    if signer is None:
        raise SigningError(f"Không ký được bằng {credentials.p12}", f"cannot sign with {credentials.p12}")
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    pdf_signer = signers.PdfSigner(meta, signer=signer, new_field_spec=fields.SigFieldSpec(FIELD))
    with source.open("rb") as inf, target.open("xb") as outf:
        pdf_signer.sign_pdf(IncrementalPdfFileWriter(inf), output=outf)


@dataclass(frozen=True)
class SignatureCheck:
    """What a PDF's last signature says: present, unaltered (intact, covering the whole file), and by whom."""

    signed: bool
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    problem: str = ""

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file


def check_signature(path: Path, trusted_pems: list[str]) -> SignatureCheck:
    """Validate the PDF's last signature against these certificates as trust roots (no network fetching)."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(pem.unarmor(text.encode())[2]) for text in trusted_pems]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        with path.open("rb") as stream:
            signatures = PdfFileReader(stream, strict=False).embedded_signatures
            if not signatures:
                return SignatureCheck(signed=False, problem="no signature")
            status = validate_pdf_signature(signatures[-1], context)
    except Exception as exc:  # a damaged file is an answer ("not valid"), not a crash of the command
        return SignatureCheck(signed=True, problem=f"{type(exc).__name__}: {exc}")
    return SignatureCheck(
        signed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=status.signing_cert.subject.human_friendly,
    )


def make_demo_certificate(out: Path, password: str, holder: str, agency: str) -> Path:
    """A self-signed certificate and key in a PKCS#12 file, for trying the signing: not a legal digital signature."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, holder),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "DEMO - chứng thư tự ký, không có giá trị pháp lý"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    data = pkcs12.serialize_key_and_certificates(b"dxmonitor-demo", key, cert, None, encryption)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
