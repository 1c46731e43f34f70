"""Sign an issued PDF (PAdES baseline B with pyHanko) with the office's PKCS#12 certificate, check a signed PDF,
and make a self-signed demo certificate (cryptography).

The signature is visible in the signer's block: the DOCX leaves room there between the signer's title and name and
marks it with a bookmark, which LibreOffice keeps as the PDF's named destination `reports.layout.SIGNATURE_ANCHOR`;
the signature field's box is put at that destination. Its picture (who signed, when) is drawn with Pillow in the
report's serif font: pyHanko's own text stamp, with an embedded TrueType font, printed Vietnamese with broken spacing
in poppler. A PDF without the destination is signed with an invisible field.

The certificate and its password come from the environment: DXMONITOR_SIGNING_P12 (the .p12/.pfx file) and
DXMONITOR_SIGNING_PASSWORD."""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID
from django.utils import timezone

from dxmonitor.reports.layout import SIGNATURE_ANCHOR, SIGNATURE_BOX_MM

if TYPE_CHECKING:
    from PIL.Image import Image

# pyHanko imports cryptography's DSA, deprecated there; we neither sign nor accept DSA, so the warning is noise.
warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning, module="pyhanko")

P12_VARIABLE = "DXMONITOR_SIGNING_P12"
PASSWORD_VARIABLE = "DXMONITOR_SIGNING_PASSWORD"
FIELD = "ChuKySo"
POINTS_PER_MM = 72 / 25.4
STAMP_DPI = 300
STAMP_COLOUR = (0, 51, 153)  # a dark blue, as signature stamps are printed
# Fonts with Vietnamese letters, the report's own first (Liberation Serif is what scripts/system-deps installs).
STAMP_FONTS = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/System/Library/Fonts/Supplemental/Times New Roman.ttf",
    "C:/Windows/Fonts/times.ttf",
)


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


@dataclass(frozen=True)
class Placement:
    """Where the visible signature goes: a page (from 0) and a box (left, bottom, right, top) in PDF points."""

    page: int
    box: tuple[int, int, int, int]


def signature_placement(source: Path) -> Placement | None:
    """The box of the signature in the signer's block: at the PDF's destination SIGNATURE_ANCHOR, as wide and high as
    SIGNATURE_BOX_MM; None when the PDF has no such destination (a PDF that dxmonitor did not make)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    with source.open("rb") as stream:
        reader = PdfFileReader(stream, strict=False)
        target = _named_destination(reader.root, generic.NameObject(f"/{SIGNATURE_ANCHOR}"), SIGNATURE_ANCHOR)
        if target is None or len(target) < 4 or str(target[1]) != "/XYZ":
            return None
        page_ref = target.raw_get(0)  # the page's reference, not the page itself
        pages = int(reader.root["/Pages"]["/Count"])
        page = next(
            (i for i in range(pages) if _page_ref(reader, i).idnum == page_ref.idnum),
            None,
        )
        if page is None:
            return None
        left, top = float(target[2]), float(target[3])
    width, height = (size * POINTS_PER_MM for size in SIGNATURE_BOX_MM)
    return Placement(page, (round(left), round(top - height), round(left + width), round(top)))


def _page_ref(reader: Any, index: int) -> Any:
    return reader.find_page_for_modification(index)[0]


def _named_destination(root: Any, key: Any, name: str) -> Any:
    """The destination array of `name`: in the catalogue's /Dests dictionary (LibreOffice writes it there) or in
    its /Names /Dests name tree."""
    dests = root.get("/Dests")
    if dests is not None and key in dests.get_object():
        found = dests.get_object()[key].get_object()
        return found.get("/D") if hasattr(found, "get") else found
    names = root.get("/Names")
    tree = names.get_object().get("/Dests") if names is not None else None
    pending = [tree.get_object()] if tree is not None else []
    while pending:
        node = pending.pop()
        leaves = node.get("/Names", [])
        for i in range(0, len(leaves) - 1, 2):
            if str(leaves[i]) == name:
                found = leaves[i + 1].get_object()
                return found.get("/D") if hasattr(found, "get") else found
        pending += [kid.get_object() for kid in node.get("/Kids", [])]
    return None


@cache
def stamp_font_file() -> str | None:
    """A TrueType font with Vietnamese letters for the signature's picture: a known file, else fontconfig's serif."""
    found = next((path for path in STAMP_FONTS if Path(path).is_file()), None)
    if found is None and shutil.which("fc-match"):
        answer = subprocess.run(
            ["fc-match", "-f", "%{file}", "serif:lang=vi"], capture_output=True, text=True, check=False, timeout=10
        )
        found = answer.stdout.strip() if answer.returncode == 0 and Path(answer.stdout.strip()).is_file() else None
    return found


def stamp_lines(signer: str, organisation: str, signed_at: datetime) -> list[str]:
    """What the visible signature says: who signed, for which agency, and when."""
    lines = [f"Ký bởi: {signer}"]
    if organisation:
        lines.append(f"Cơ quan: {organisation}")
    offset = signed_at.isoformat(timespec="seconds")[19:] or "+00:00"  # "+07:00"
    lines.append(f"Thời gian ký: {signed_at:%d/%m/%Y %H:%M:%S} {offset}")
    return lines


def stamp_picture(lines: list[str]) -> Image:
    """The signature's picture, SIGNATURE_BOX_MM at STAMP_DPI: a thin frame and `lines`, shrunk to fit its width."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = (round(size / 25.4 * STAMP_DPI) for size in SIGNATURE_BOX_MM)
    picture = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(picture)
    frame = max(2, STAMP_DPI // 150)
    draw.rectangle((0, 0, width - 1, height - 1), outline=STAMP_COLOUR, width=frame)
    font_file = stamp_font_file()
    margin = STAMP_DPI // 20
    size = (height - 2 * margin) // max(len(lines), 1) * 0.8
    while True:
        font = ImageFont.truetype(font_file, int(size)) if font_file else ImageFont.load_default(int(size))
        widest = max(draw.textlength(text, font=font) for text in lines)
        if widest <= width - 2 * margin or size <= 8:
            break
        size *= 0.95
    step = (height - 2 * margin) / len(lines)
    for i, text in enumerate(lines):
        draw.text((margin, margin + step * (i + 0.5)), text, font=font, fill=STAMP_COLOUR, anchor="lm")
    return picture


def sign_pdf(source: Path, target: Path, credentials: Credentials, reason: str, location: str) -> None:
    """Write `source` signed (PAdES baseline B, sha256) to `target`, the signature visible in the signer's block
    when the PDF marks it (see `signature_placement`), else invisible."""
    from pyhanko import stamp
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    _, cert, _ = _load(credentials)  # a wrong password is said in our words before pyHanko tries
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
    placement = signature_placement(source)
    with source.open("rb") as inf, target.open("xb") as outf:
        writer = IncrementalPdfFileWriter(inf)
        if placement is None:
            spec, style = fields.SigFieldSpec(FIELD), None
        else:
            spec = fields.SigFieldSpec(FIELD, on_page=placement.page, box=placement.box)
            lines = stamp_lines(_common_name(cert), _organisation(cert), timezone.localtime())
            style = stamp.StaticStampStyle(
                border_width=0, background=PdfImage(stamp_picture(lines), writer=writer), background_opacity=1.0
            )
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
        pdf_signer.sign_pdf(writer, output=outf)


def _common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def _organisation(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(names[0].value) if names else ""


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
