"""The server's TLS certificate: made at first start, pinned by the devices through the setup code.

A venue has no public name and no certificate authority a kiosk could ask, so the server makes
its own self-signed certificate (ECDSA P-256, the machine's host names and IP addresses in its
subject alternative names so a browser on the venue network can be told to accept it) and the
setup code carries its SHA-256. A device then talks only to the server holding that key: a rogue
access point answering on the same address fails the handshake (docs/security.md). The private
key is written owner-only. Where a reverse proxy with a real certificate sits in front instead,
the server runs with --insecure-http on loopback and devices check the proxy's certificate
against their CA store (docs/operations.md).
"""
from __future__ import annotations

import hashlib
import ipaddress
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.errors import BadInput
from kiosk.private import private_file

VALID_DAYS = 5 * 365
META_FINGERPRINT = "tls_cert_sha256"


class CertificateError(BadInput):
    """A certificate or key file that cannot be used; the message names it."""


def default_paths(db_path: str | Path) -> tuple[Path, Path]:
    """Where the server keeps the certificate it made: beside its database."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".tls.crt"), db_path.with_name(db_path.name + ".tls.key")


def local_names(extra: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """(host names, IP addresses) this machine answers to, for the certificate's subject names."""
    names = {"localhost"}
    ips = {"127.0.0.1", "::1"}
    for name in (socket.gethostname(), socket.getfqdn(), *extra):
        if not name or name in ("0.0.0.0", "::"):
            continue
        try:
            ips.add(str(ipaddress.ip_address(name)))
        except ValueError:
            names.add(name)
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            ips.add(str(info[4][0]).split("%")[0])
    except OSError:
        pass
    try:  # the address of the route out (no packet is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            ips.add(s.getsockname()[0])
    except OSError:
        pass
    return sorted(names), sorted(ips)


def make_certificate(cert_path: Path, key_path: Path, extra_names: tuple[str, ...] = ()) -> str:
    """A new self-signed certificate and owner-only key; returns the certificate's SHA-256 (hex)."""
    key = ec.generate_private_key(ec.SECP256R1())
    names, ips = local_names(extra_names)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Forum Kiosk server"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Forum Kiosk")])
    now = datetime.now(timezone.utc)
    alt = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=VALID_DAYS))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    key_path.parent.mkdir(parents=True, exist_ok=True)
    with private_file(key_path) as fh:
        fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return fingerprint(cert_path)


def fingerprint(cert_path: str | Path) -> str:
    """SHA-256 of the certificate (DER), lower-case hex: what the setup code carries."""
    try:
        cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
    except (OSError, ValueError) as exc:
        raise CertificateError(f"{cert_path}: not a readable PEM certificate ({exc})") from None
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def ensure_certificate(db_path: str | Path, extra_names: tuple[str, ...] = ()) -> tuple[Path, Path, str]:
    """The server's own certificate, made on first use: (certificate, key, SHA-256)."""
    cert_path, key_path = default_paths(db_path)
    if cert_path.exists() and key_path.exists():
        return cert_path, key_path, fingerprint(cert_path)
    return cert_path, key_path, make_certificate(cert_path, key_path, extra_names)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
