"""Signed tree heads: the ledger's size and Merkle root at a time, signed with the evidence key.

A head is a JSON object ``{tree_size, root_hash, timestamp, key_id, public_key, signature,
tsa}``. The signature is Ed25519 over the RFC 8785 bytes of ``{format, version, tree_size,
root_hash, timestamp, key_id}`` (``signed_bytes``); ``tsa``, when present, is an RFC 3161
time-stamp token over the SHA-256 of the head without ``tsa`` (``tsa_digest``, see
``tsa.py``). Hashes and keys are lowercase hex, the token base64.

Every head ``ledger head`` signs is also appended to ``<workspace>/evidence/heads.jsonl``, so
that ``ledger verify`` can check today's ledger against each of them (a removed last entry
shows against the last head; an edit is placed between two heads).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import orjson

from distillguard.evidence.canonical import canonical, sha256_hex
from distillguard.evidence.keys import EvidenceKey, check_signature, key_id
from distillguard.evidence.ledger import evidence_dir
from distillguard.gateway.controls import appending

FORMAT: Final = "distillguard-tree-head"
VERSION: Final = 1
HEADS: Final = "heads.jsonl"


class HeadError(ValueError):
    """A head file or object is not a distillguard tree head."""


@dataclass(frozen=True)
class TreeHead:
    tree_size: int
    root_hash: str
    timestamp: str
    key_id: str | None = None
    public_key: str | None = None
    signature: str | None = None
    tsa: dict[str, Any] | None = None

    @property
    def signed(self) -> bool:
        return self.signature is not None

    def signed_bytes(self) -> bytes:
        return canonical(
            {
                "format": FORMAT,
                "version": VERSION,
                "tree_size": self.tree_size,
                "root_hash": self.root_hash,
                "timestamp": self.timestamp,
                "key_id": self.key_id,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "timestamp": self.timestamp,
            "key_id": self.key_id,
            "public_key": self.public_key,
            "signature": self.signature,
        }
        if self.tsa is not None:
            data["tsa"] = self.tsa
        return data

    def tsa_digest(self) -> bytes:
        """What a time-stamping authority stamps: SHA-256 of the head without its token."""
        return bytes.fromhex(sha256_hex(canonical(replace(self, tsa=None).to_dict())))

    def with_tsa(self, token: dict[str, Any]) -> TreeHead:
        return replace(self, tsa=token)


def unsigned(tree_size: int, root: bytes) -> TreeHead:
    return TreeHead(tree_size, root.hex(), datetime.now(UTC).isoformat())


def sign(key: EvidenceKey, tree_size: int, root: bytes) -> TreeHead:
    head = replace(unsigned(tree_size, root), key_id=key.key_id, public_key=key.public.hex())
    return replace(head, signature=key.sign(head.signed_bytes()).hex())


def problems(head: TreeHead, trusted: str | None = None) -> list[str]:
    """What is wrong with ``head``'s signature (empty when it is good).

    ``trusted`` is the key id the head must be signed with (the workspace's key), if known;
    without it a head proves only that whoever holds its key signed it.
    """
    if head.signature is None or head.public_key is None:
        return ["the head is not signed"]
    try:
        public = bytes.fromhex(head.public_key)
        signature = bytes.fromhex(head.signature)
    except ValueError:
        return ["the head's public key or signature is not hex"]
    found: list[str] = []
    if head.key_id != key_id(public):
        found.append("the head's key_id is not the SHA-256 of its public key")
    if trusted is not None and head.key_id != trusted:
        found.append(f"the head is signed by key {head.key_id}, not the evidence key {trusted}")
    if not check_signature(public, signature, head.signed_bytes()):
        found.append("the signature does not match the head (forged or edited)")
    return found


def from_dict(data: Mapping[str, Any], origin: str) -> TreeHead:
    if data.get("format") != FORMAT or data.get("version") != VERSION:
        raise HeadError(f"{origin} is not a distillguard tree head (version {VERSION})")
    size, root, stamp = data.get("tree_size"), data.get("root_hash"), data.get("timestamp")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise HeadError(f"{origin}: tree_size {size!r} is not a count")
    if not isinstance(root, str) or len(root) != 64:
        raise HeadError(f"{origin}: root_hash is not a SHA-256 in hex")
    if not isinstance(stamp, str):
        raise HeadError(f"{origin}: timestamp is not text")
    optional = {}
    for name in ("key_id", "public_key", "signature"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise HeadError(f"{origin}: {name} is not text")
        optional[name] = value
    tsa = data.get("tsa")
    if tsa is not None and not isinstance(tsa, dict):
        raise HeadError(f"{origin}: tsa is not an object")
    return TreeHead(size, root, stamp, tsa=tsa, **optional)


def read_head(path: Path) -> TreeHead:
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError as exc:
        raise HeadError(f"head file {path} does not exist") from exc
    except OSError as exc:
        raise HeadError(f"cannot read head file {path}: {exc.strerror}") from exc
    except orjson.JSONDecodeError as exc:
        raise HeadError(f"{path} is not a tree head (not JSON)") from exc
    if not isinstance(data, dict):
        raise HeadError(f"{path} is not a tree head")
    return from_dict(data, str(path))


class HeadStore:
    """The heads signed for the workspace at ``root`` (``evidence/heads.jsonl``)."""

    def __init__(self, root: Path) -> None:
        self.path = evidence_dir(root) / HEADS

    def add(self, head: TreeHead) -> None:
        with appending(self.path, 0o644) as fd:
            os.write(fd, canonical(head.to_dict()) + b"\n")
            os.fsync(fd)

    def heads(self) -> list[tuple[int, TreeHead | HeadError]]:
        """Each stored head with its line number (a damaged line as the error it raises)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        found: list[tuple[int, TreeHead | HeadError]] = []
        for number, line in enumerate(data.split(b"\n"), start=1):
            if not line:
                continue
            origin = f"{self.path} line {number}"
            try:
                parsed = orjson.loads(line)
                if not isinstance(parsed, dict):
                    raise HeadError(f"{origin} is not a tree head")
                found.append((number, from_dict(parsed, origin)))
            except orjson.JSONDecodeError:
                found.append((number, HeadError(f"{origin} is not JSON")))
            except HeadError as exc:
                found.append((number, exc))
        return found
