"""A local certificate authority and server certificate for the sandboxes (trustme), kept on disk
so a restart serves the same certificate and a profile's ``ca_file`` stays valid."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass(frozen=True, slots=True)
class TlsFiles:
    ca_file: Path
    cert_file: Path
    key_file: Path


def ensure_tls_files(folder: Path, hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")) -> TlsFiles:
    """Create (once) ``ca.pem``, ``server.pem`` and ``server-key.pem`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = TlsFiles(folder / "ca.pem", folder / "server.pem", folder / "server-key.pem")
    if files.ca_file.exists() and files.cert_file.exists() and files.key_file.exists():
        return files
    ca = trustme.CA(organization_name="comptoir sandbox")
    leaf = ca.issue_cert(*hosts)
    files.ca_file.write_bytes(ca.cert_pem.bytes())
    files.cert_file.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    files.key_file.write_bytes(leaf.private_key_pem.bytes())
    files.key_file.chmod(0o600)
    return files
