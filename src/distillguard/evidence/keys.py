"""The evidence key: an Ed25519 key pair that signs tree heads.

Kept in a small JSON file created with mode 0600 and never overwritten, like the watermark
key (``distillguard evidence keygen``). By default it lives at
``<workspace>/evidence/key.json``; setting ``evidence.key`` (or ``--out`` when generating)
puts it elsewhere, e.g. on a machine the analysts cannot write to. A head carries the public
key and its id (SHA-256 of the 32 raw public-key bytes, as a CT log id hashes its key), so
anyone can check the signature; whoever relies on it compares that id with the one published.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from distillguard.evidence.canonical import sha256_hex
from distillguard.evidence.ledger import evidence_dir
from distillguard.settings import Settings
from distillguard.watermark import jsonfile

FORMAT: Final = "distillguard-evidence-key"
VERSION: Final = 1
FILE: Final = "key.json"


class EvidenceKeyError(ValueError):
    """A key file is missing, unreadable, or not a distillguard evidence key."""


def key_id(public: bytes) -> str:
    return sha256_hex(public)


def check_signature(public: bytes, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is ``public``'s Ed25519 signature of ``message``."""
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class EvidenceKey:
    private: Ed25519PrivateKey
    created_at: str

    @classmethod
    def generate(cls) -> EvidenceKey:
        return cls(Ed25519PrivateKey.generate(), datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def public(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def to_json(self) -> bytes:
        secret = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return orjson.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "algorithm": "Ed25519",
                "created_at": self.created_at,
                "key_id": self.key_id,
                "public_key": self.public.hex(),
                "secret": secret.hex(),
            },
            option=orjson.OPT_INDENT_2,
        )


def default_path(root: Path, settings: Settings) -> Path:
    """The key file setting ``evidence.key`` names, else ``<workspace>/evidence/key.json``."""
    named = settings.text("evidence.key")
    return Path(named) if named else evidence_dir(root) / FILE


def save(key: EvidenceKey, path: Path) -> None:
    """Write ``key`` to a new file readable by its owner only; refuse to overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise EvidenceKeyError(
            f"{path} already exists; an evidence key is never overwritten"
        ) from exc
    except OSError as exc:
        raise EvidenceKeyError(f"cannot create {path}: {exc.strerror}") from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.to_json() + b"\n")
        handle.flush()
        os.fsync(handle.fileno())


def load(path: Path) -> EvidenceKey:
    """Read a key written by :func:`save`, checking its format, version and key id."""
    data = jsonfile.read(path, FORMAT, "evidence key", EvidenceKeyError)
    if data.get("version") != VERSION:
        raise EvidenceKeyError(
            f"{path} is a version {data.get('version')!r} key; this is version {VERSION}"
        )
    try:
        private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(str(data["secret"])))
    except (KeyError, ValueError) as exc:
        raise EvidenceKeyError(f"{path} holds no valid Ed25519 secret") from exc
    key = EvidenceKey(private, str(data.get("created_at", "")))
    if data.get("key_id") != key.key_id or data.get("public_key") != key.public.hex():
        raise EvidenceKeyError(f"{path} is damaged: its public key does not match its secret")
    return key
