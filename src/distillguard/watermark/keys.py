"""Watermark keys: a secret master key, and per-account sub-keys derived from it.

The master key is 32 random bytes kept in a small JSON file (created with mode 0600 and
never overwritten). Every account's outputs are watermarked with a sub-key derived from the
master key with HMAC-SHA256 over the account id, so that:

- the provider stores one secret, whatever the number of accounts;
- a positive test on a suspect model can also say *whose* outputs it learned from, by
  testing the sub-keys of the suspected accounts;
- a sub-key reveals nothing about the master key or about other accounts' sub-keys.

Besides the sub-keys, two keys shared by all accounts are derived the same way: the *global*
key, which every account's outputs carry on half of the contexts (so that a model distilled
from thousands of accounts still learns one consistent watermark), and the *role* key, which
says which contexts are global and which are the account's own
(:mod:`distillguard.watermark.choice`).

Outputs not tied to an account (the library API without ``account``) use the sub-key of the
empty account id, which is as secret as any other.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Final

import orjson

from distillguard.watermark import jsonfile

KEY_BYTES: Final = 32
FORMAT: Final = "distillguard-watermark-key"
VERSION: Final = 1


class WatermarkKeyError(ValueError):
    """A key file is missing, unreadable, or not a distillguard watermark key."""


@dataclass(frozen=True)
class MasterKey:
    """The provider's secret; ``subkey(account)`` derives the key used for one account."""

    secret: bytes
    created_at: str

    def __post_init__(self) -> None:
        if len(self.secret) != KEY_BYTES:
            raise WatermarkKeyError(
                f"a watermark key has {KEY_BYTES} bytes, got {len(self.secret)}"
            )

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(secrets.token_bytes(KEY_BYTES), datetime.now(UTC).isoformat(timespec="seconds"))

    def subkey(self, account: str = "") -> bytes:
        """The sub-key of ``account`` (HMAC-SHA256 of the master key over its id)."""
        return self.derive(b"account\x1f" + account.encode())

    @cached_property
    def role_key(self) -> bytes:
        """Says which (class, context) pairs the global key decides."""
        return self.derive(b"role")

    @cached_property
    def global_key(self) -> bytes:
        """Decides the global pairs, for every account alike."""
        return self.derive(b"global")

    def derive(self, label: bytes) -> bytes:
        """A key for one purpose (HMAC-SHA256 of the master key over ``label``)."""
        return hmac.digest(self.secret, label, "sha256")

    def fingerprint(self) -> str:
        """A short public name for the key (safe to log; reveals nothing about the secret)."""
        return hashlib.sha256(b"fingerprint\x1f" + self.secret).hexdigest()[:16]

    def to_json(self) -> bytes:
        return orjson.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "created_at": self.created_at,
                "fingerprint": self.fingerprint(),
                "secret": self.secret.hex(),
            },
            option=orjson.OPT_INDENT_2,
        )


def save(key: MasterKey, path: Path) -> None:
    """Write ``key`` to a new file readable by its owner only; refuse to overwrite."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise WatermarkKeyError(
            f"{path} already exists; a watermark key is never overwritten"
        ) from exc
    except OSError as exc:
        raise WatermarkKeyError(f"cannot create {path}: {exc.strerror}") from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.to_json() + b"\n")


def load(path: Path) -> MasterKey:
    """Read a key written by :func:`save`, checking its format, version and fingerprint."""
    data = jsonfile.read(path, FORMAT, "watermark key", WatermarkKeyError)
    if data.get("version") != VERSION:
        raise WatermarkKeyError(
            f"{path} is a version {data.get('version')!r} key; this is version {VERSION}"
        )
    try:
        secret = bytes.fromhex(str(data["secret"]))
        key = MasterKey(secret, str(data.get("created_at", "")))
    except (KeyError, ValueError) as exc:
        raise WatermarkKeyError(f"{path} holds no valid secret") from exc
    if data.get("fingerprint") not in (None, key.fingerprint()):
        raise WatermarkKeyError(f"{path} is damaged: its fingerprint does not match its secret")
    return key
