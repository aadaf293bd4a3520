"""The installation's digital signature on every issued PDF: PAdES B-B (ETSI EN 319 142-1) with pyHanko.

The key and its certificate live in one PEM file: ``CASTING_SIGNING_PEM`` when set (production: a key and a
certificate the operator obtained, chain after it), otherwise ``instance/signing.pem``, created at first use with a
self-signed certificate (ECDSA P-256, ten years). The certificate is published at ``/verify/certificate`` so anyone
can check a letter offline; ``check`` reports whether an uploaded PDF's signature is intact and ours.
"""
from __future__ import annotations

import asyncio
import functools
import io
import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import Flask, current_app

from casting.config import ConfigError

EXTENSION_KEY = "casting.documents.pades"
FIELD_NAME = "CallbackSignature"
_create_lock = threading.Lock()


@dataclass(frozen=True)
class Installation:
    """The loaded key material: pyHanko's signer and the certificate (PEM and asn1crypto)."""

    signer: object
    certificate: object  # asn1crypto x509.Certificate
    certificate_pem: bytes
    chain: tuple
    bytes_reserved: int  # room for the signature container in each PDF, worked out once (see _room_for)

    @property
    def fingerprint(self) -> str:
        """The certificate's SHA-256 fingerprint, colon-separated hex (as browsers and openssl show it)."""
        digest = self.certificate.sha256.hex().upper()
        return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))

    @property
    def subject(self) -> str:
        return self.certificate.subject.human_friendly


def _default_path(app: Flask) -> Path:
    return Path(app.instance_path) / "signing.pem"


def _self_signed(common_name: str) -> bytes:
    """A new ECDSA P-256 key and a self-signed certificate for document signing, as one PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Callback")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
            + cert.public_bytes(serialization.Encoding.PEM))


def _create(path: Path, common_name: str) -> None:
    """Write a new key and certificate to ``path`` unless another process got there first (link, not
    overwrite: two workers starting together end up with the same key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".signing-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(_self_signed(common_name))
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)


def _load(data: bytes, source: str) -> Installation:
    from asn1crypto import pem
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        key = load_private_key_from_pemder_data(data, passphrase=None)
        certs = list(load_certs_from_pemder_data(data))
    except Exception as exc:
        raise ConfigError(f"Invalid CASTING_SIGNING_PEM: {source} holds no readable private key and certificate "
                          f"({exc}).") from None
    if not certs:
        raise ConfigError(f"Invalid CASTING_SIGNING_PEM: {source} holds no certificate.")
    cert = certs[0]
    signer = _signer_class()(signing_cert=cert, signing_key=key,
                             cert_registry=SimpleCertificateStore.from_certs(certs))
    return Installation(signer, cert, pem.armor("CERTIFICATE", cert.dump()), tuple(certs), _room_for(signer))


@functools.cache
def _signer_class():
    """pyHanko's SimpleSigner, with the signed attributes of a plain PAdES signature made from a template.

    For PAdES B-B with no timestamp those attributes are the content type, the document's digest and the
    signing certificate's hash, so only the digest changes from one letter to the next; pyHanko builds them anew
    each time (asn1crypto objects: a third of signing). The first signature of each digest size is built by
    pyHanko with a random stand-in digest, and later ones put the real digest in its place: the same bytes
    pyHanko would produce. Anything else (a timestamp, CAdES options, revocation info) goes to pyHanko."""
    from asn1crypto import cms
    from pyhanko.sign import signers

    class TemplateSigner(signers.SimpleSigner):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._templates: dict[tuple[str, int], list[bytes]] = {}

        async def signed_attrs(self, data_digest, digest_algorithm, attr_settings=None, content_type="data",
                               use_pades=False, timestamper=None, dry_run=False, is_pdf_sig=True):
            args = (digest_algorithm, attr_settings, content_type, use_pades, timestamper, dry_run, is_pdf_sig)
            plain = (use_pades and is_pdf_sig and timestamper is None and content_type == "data"
                     and (attr_settings is None or (attr_settings.adobe_revinfo_attr is None
                                                    and attr_settings.cades_signed_attrs is None)))
            if not plain:
                return await super().signed_attrs(data_digest, *args)
            key = (digest_algorithm, len(data_digest))
            if key not in self._templates:
                stand_in = os.urandom(len(data_digest))
                parts = (await super().signed_attrs(stand_in, *args)).dump().split(stand_in)
                if len(parts) != 2:  # not where a template can take the real digest: pyHanko builds each one
                    return await super().signed_attrs(data_digest, *args)
                self._templates[key] = parts
            head, tail = self._templates[key]
            return cms.CMSAttributes.load(head + data_digest + tail)

    return TemplateSigner


def _room_for(signer) -> int:
    """The bytes to reserve for a signature container, as pyHanko estimates them (a dry-run signature, in hex,
    plus half again). Left to pyHanko, every letter paid for that dry run, nearly half of signing; the container
    of a given key and chain (no timestamp, no revocation info) has the same size each time, so once will do."""
    from cryptography.hazmat.primitives import hashes
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    digest = hashes.Hash(hashes.SHA256()).finalize()
    attrs = PdfCMSSignedAttributes(signing_time=datetime.now(timezone.utc))
    dry_run = _run(lambda: signer.async_sign(digest, "sha256", use_pades=True, dry_run=True,
                                             signed_attr_settings=attrs))
    length = len(dry_run.dump()) * 2
    return length + 2 * (length // 4)


def installation(app: Flask | None = None) -> Installation:
    """The installation's signing key and certificate, loaded once per app (created at first use when
    ``CASTING_SIGNING_PEM`` is not set)."""
    app = app or current_app._get_current_object()
    loaded = app.extensions.get(EXTENSION_KEY)
    if loaded is not None:
        return loaded
    with _create_lock:
        loaded = app.extensions.get(EXTENSION_KEY)
        if loaded is not None:
            return loaded
        configured = app.config.get("CASTING_SIGNING_PEM")
        path = Path(configured) if configured else _default_path(app)
        if not path.exists():
            if configured:
                raise ConfigError(f"Invalid CASTING_SIGNING_PEM: {path} does not exist.")
            host = (app.config.get("PUBLIC_BASE_URL") or "callback").split("//")[-1].split("/")[0]
            _create(path, f"Callback document signing ({host})")
        loaded = _load(path.read_bytes(), str(path))
        app.extensions[EXTENSION_KEY] = loaded
        return loaded


def init_app(app: Flask) -> None:
    """A key given by ``CASTING_SIGNING_PEM`` is read at start-up, so a missing or unreadable file stops it
    (ConfigError); the default one is created at first use."""
    if app.config.get("CASTING_SIGNING_PEM"):
        installation(app)


def _run(make_coroutine):
    """Run pyHanko's coroutine to the end from synchronous code. pyHanko's own sync wrappers call asyncio.run(),
    which refuses to run where an event loop is already running in this thread (a thread that also drives an
    asyncio library, e.g. a browser test): there, the coroutine runs on a short-lived thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def sign(pdf: bytes, *, reason: str = "Issued by Callback", location: str = "") -> bytes:
    """``pdf`` with a PAdES B-B signature by the installation's key, appended as an incremental update (the
    pages are not rewritten)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    inst = installation()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason=reason, location=location or None)
    signer = signers.PdfSigner(meta, signer=inst.signer)
    out = _run(lambda: signer.async_sign_pdf(writer, bytes_reserved=inst.bytes_reserved))
    return out.getvalue()


def without_signatures(pdf: bytes) -> bytes:
    """The pages of a signed PDF with its signature fields taken out, to build a new document from them (the
    signature record): a signature does not survive a rewrite, and a stale one would show as broken."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    root = writer._root_object
    if "/AcroForm" in root:
        del root[NameObject("/AcroForm")]
    for page in writer.pages:
        annots = page.get("/Annots")
        if annots is None:
            continue
        kept = [a for a in annots.get_object() if a.get_object().get("/FT") != "/Sig"]
        if kept:
            page[NameObject("/Annots")] = ArrayObject(kept)
        else:
            del page[NameObject("/Annots")]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """What a PDF's signature says: ``present`` (one was found), ``intact`` (the signed bytes are unchanged),
    ``ours`` (made with this installation's certificate), ``whole`` (nothing was added after signing)."""

    present: bool
    intact: bool = False
    ours: bool = False
    whole: bool = False

    @property
    def valid(self) -> bool:
        """Signed by this installation and not changed since."""
        return self.present and self.intact and self.ours and self.whole

    def to_dict(self) -> dict:
        return {"present": self.present, "intact": self.intact, "ours": self.ours, "valid": self.valid}


def check(pdf: bytes) -> SignatureCheck:
    """Validate the last signature of ``pdf`` against the installation's certificate (no network)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    inst = installation()
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        sigs = reader.embedded_signatures
    except Exception:  # not a PDF pyHanko can read: a signed one damaged beyond reading is still not intact
        return SignatureCheck(present=b"/ByteRange" in pdf)
    if not sigs:
        return SignatureCheck(present=False)
    sig = sigs[-1]
    try:
        context = ValidationContext(trust_roots=[inst.certificate], allow_fetching=False)
        status = _run(lambda: async_validate_pdf_signature(sig, context))
    except Exception:  # a signature too damaged to evaluate is not intact
        return SignatureCheck(present=True)
    ours = sig.signer_cert is not None and sig.signer_cert.sha256 == inst.certificate.sha256
    from pyhanko.sign.validation.pdf_embedded import SignatureCoverageLevel

    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return SignatureCheck(present=True, intact=bool(status.intact and status.valid), ours=bool(ours and status.trusted),
                          whole=whole)
