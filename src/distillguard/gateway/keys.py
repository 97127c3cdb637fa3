"""API keys the gateway issues: stored hashed, as an append-only file of create / revoke events.

A key reads ``dg-<key_id>-<secret>``: ``key_id`` is 12 hex digits, public (it names the key
in lists, logs and the controls log); ``secret`` is 32 random bytes, URL-safe base64. The
workspace keeps only the SHA-256 of the whole key: a plain hash is enough for a secret of 256
random bits (no dictionary to guess from, so no slow password hash), and it costs one hash
per request.

``<workspace>/gateway/keys.jsonl`` is a log of events, one JSON object a line, never
rewritten: ``create`` (key_id, sha256, account_id, org_id, optional per-key rpm / tpm,
created_at, created_by) and ``revoke`` (key_id, revoked_at, revoked_by). The current keys are
the fold of the events. The events of one command (one key, or every key of a bulk issue)
are written in one ``write`` under an ``fcntl`` lock of the file's own, on a file created
with mode 0600, and ``fsync``-ed before the command returns; the workspace writer lock is not
involved, so issuing a key never waits for a scan. Issuing and revoking are controls: each
is also recorded in the controls log (without the secret or its hash), before the key event,
so no key is ever in force without a record of it.

Issuing in bulk (``create_many``) takes the lock, reads the keys file and writes the controls
once for all the keys: 10,000 keys cost one pass over the file, not 10,000 (and one ``fsync``
of each file, not 10,000). Every request is checked before anything is written, so a bad
one issues nothing.

:class:`KeyIndex` is the gateway's view: a dict from key_id to record, looked up in O(1), the
presented key's digest compared in constant time. ``refresh`` costs one ``stat`` when nothing
changed, reads only the appended bytes when the file grew, and reads it whole when it was
replaced. A torn final line (a writer caught mid-write) is left for the next refresh;
malformed lines are skipped and counted, never raised.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import orjson

from distillguard.detect.labels import default_analyst
from distillguard.gateway.controls import (
    Control,
    ControlsLog,
    append_lines,
    appending,
    state_dir,
)

FILE: Final = "keys.jsonl"
PREFIX: Final = "dg"
SECRET_BYTES: Final = 32
_KEY_ID: Final = re.compile(r"[0-9a-f]{12}")
_MAX_ID: Final = 256


class KeyStoreError(ValueError):
    """A key cannot be issued or revoked as asked (unknown key, bad account, bad limit)."""


@dataclass(frozen=True)
class KeyRecord:
    """One issued key as stored: never its secret, only the digest of the whole key."""

    key_id: str
    sha256: str
    account_id: str
    org_id: str | None
    rpm: int | None
    tpm: int | None
    created_at: str
    created_by: str
    revoked_at: str | None = None
    revoked_by: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display(self) -> str:
        """How the key is named where its secret must not appear: ``dg-<key_id>-…``."""
        return f"{PREFIX}-{self.key_id}-…"

    def public(self) -> dict[str, Any]:
        """What may be shown or logged: everything but the digest."""
        data = asdict(self)
        del data["sha256"]
        return data


def keys_file(root: Path) -> Path:
    return state_dir(root) / FILE


def digest(presented: str) -> str:
    return hashlib.sha256(presented.encode("utf-8", "surrogatepass")).hexdigest()


def key_id_of(presented: str) -> str | None:
    """The key_id part of a presented key, if it has the gateway's shape."""
    parts = presented.split("-", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not _KEY_ID.fullmatch(parts[1]):
        return None
    return parts[1]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _ident(value: str | None, name: str, *, required: bool) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise KeyStoreError(f"give the {name} the key is for")
        return None
    if len(text) > _MAX_ID or not text.isprintable():
        raise KeyStoreError(f"{name} {text[:40]!r} is not a usable id (printable, ≤ {_MAX_ID})")
    return text


def _limit(value: int | None, name: str) -> int | None:
    if value is not None and value <= 0:
        raise KeyStoreError(f"{name} must be a positive number, not {value}")
    return value


@dataclass(frozen=True)
class KeyRequest:
    """A key to issue: the account it calls as, its org, and its own limits (policy's else)."""

    account_id: str
    org_id: str | None = None
    rpm: int | None = None
    tpm: int | None = None

    def checked(self) -> KeyRequest:
        """This request with its ids trimmed; ``KeyStoreError`` says why it cannot be issued."""
        account = _ident(self.account_id, "account", required=True)
        assert account is not None
        return KeyRequest(
            account_id=account,
            org_id=_ident(self.org_id, "org", required=False),
            rpm=_limit(self.rpm, "rpm"),
            tpm=_limit(self.tpm, "tpm"),
        )


def _create_event(record: KeyRecord) -> bytes:
    """The ``create`` line of a key: its record, less the revocation fields it cannot have."""
    event = {"event": "create", **asdict(record)}
    del event["revoked_at"], event["revoked_by"]
    return orjson.dumps(event) + b"\n"


@dataclass
class Fold:
    """The keys a sequence of events leaves in force, and how many lines could not be read."""

    records: dict[str, KeyRecord]
    skipped: int = 0

    def apply(self, line: bytes) -> None:
        try:
            event = orjson.loads(line)
            kind = event["event"]
            key_id = event["key_id"]
            if kind == "create":
                self.records[key_id] = KeyRecord(
                    key_id=key_id,
                    sha256=event["sha256"],
                    account_id=event["account_id"],
                    org_id=event.get("org_id"),
                    rpm=event.get("rpm"),
                    tpm=event.get("tpm"),
                    created_at=event["created_at"],
                    created_by=event.get("created_by", ""),
                )
            elif kind == "revoke" and key_id in self.records:
                self.records[key_id] = replace(
                    self.records[key_id],
                    revoked_at=event["revoked_at"],
                    revoked_by=event.get("revoked_by"),
                )
            else:
                self.skipped += 1
        except (orjson.JSONDecodeError, KeyError, TypeError):
            self.skipped += 1

    def feed(self, data: bytes) -> int:
        """Apply the complete lines of ``data``; the number of bytes consumed."""
        end = data.rfind(b"\n") + 1
        for line in data[:end].split(b"\n"):
            if line.strip():
                self.apply(line)
        return end


def _read(path: Path) -> Fold:
    fold = Fold({})
    with suppress(FileNotFoundError):
        fold.feed(path.read_bytes())
    return fold


class KeyStore:
    """Issues and revokes the keys of the workspace at ``root``."""

    def __init__(self, root: Path, controls: ControlsLog | None = None) -> None:
        self.path = keys_file(root)
        self.controls = ControlsLog(root) if controls is None else controls

    def create(
        self,
        account_id: str,
        org_id: str | None = None,
        rpm: int | None = None,
        tpm: int | None = None,
        *,
        who: str | None = None,
    ) -> tuple[KeyRecord, str]:
        """Issue a key for ``account_id``: its record, and the key itself (shown once)."""
        [issued] = self._issue([KeyRequest(account_id, org_id, rpm, tpm).checked()], who)
        return issued

    def create_many(
        self, requests: Sequence[KeyRequest], *, who: str | None = None
    ) -> list[tuple[KeyRecord, str]]:
        """Issue one key per request, in order: all of them, or none if any request is bad.

        The error names the bad request by its position, counting from 1.
        """
        checked: list[KeyRequest] = []
        for number, request in enumerate(requests, start=1):
            try:
                checked.append(request.checked())
            except KeyStoreError as exc:
                raise KeyStoreError(f"request {number}: {exc}") from exc
        return self._issue(checked, who)

    def _issue(
        self, requests: Sequence[KeyRequest], who: str | None
    ) -> list[tuple[KeyRecord, str]]:
        """Issue keys for checked requests under one lock, reading the keys file once.

        Every control record is written (and ``fsync``-ed) before the first key event, so a
        crash in between leaves records of keys never issued, never a key without a record.
        """
        if not requests:
            return []
        creator = (who or "").strip() or default_analyst()
        with appending(self.path, 0o600) as fd:
            taken = set(_read(self.path).records)
            created_at = _now()  # keys issued together share their time
            issued: list[tuple[KeyRecord, str]] = []
            for request in requests:
                key_id = secrets.token_hex(6)
                while key_id in taken:  # 48 bits: a clash is rare, but never reuse an id
                    key_id = secrets.token_hex(6)
                taken.add(key_id)
                key = f"{PREFIX}-{key_id}-{secrets.token_urlsafe(SECRET_BYTES)}"
                record = KeyRecord(
                    key_id=key_id,
                    sha256=digest(key),
                    account_id=request.account_id,
                    org_id=request.org_id,
                    rpm=request.rpm,
                    tpm=request.tpm,
                    created_at=created_at,
                    created_by=creator,
                )
                issued.append((record, key))
            self.controls.record_many(
                [
                    Control("key_created", f"key {r.key_id}", None, r.public(), who=creator)
                    for r, _ in issued
                ]
            )
            append_lines(fd, b"".join(_create_event(r) for r, _ in issued))
        return issued

    def revoke(self, key_id: str, *, who: str | None = None) -> KeyRecord:
        """Revoke a key by its id; the record as it now stands."""
        revoker = (who or "").strip() or default_analyst()
        with appending(self.path, 0o600) as fd:
            record = _read(self.path).records.get(key_id.strip())
            if record is None:
                raise KeyStoreError(f"no key {key_id!r} (see `distillguard keys list`)")
            if record.revoked:
                raise KeyStoreError(
                    f"key {record.key_id} was already revoked at {record.revoked_at}"
                )
            revoked = replace(record, revoked_at=_now(), revoked_by=revoker)
            self.controls.record(
                "key_revoked",
                f"key {record.key_id}",
                old=record.public(),
                new=revoked.public(),
                who=revoker,
            )
            event = {
                "event": "revoke",
                "key_id": record.key_id,
                "revoked_at": revoked.revoked_at,
                "revoked_by": revoker,
            }
            append_lines(fd, orjson.dumps(event) + b"\n")
        return revoked

    def records(self) -> list[KeyRecord]:
        """Every key ever issued (revoked ones included), oldest first."""
        return list(_read(self.path).records.values())


class KeyIndex:
    """The keys in force, for the request path: O(1) lookup, cheap refresh."""

    def __init__(self, root: Path) -> None:
        self.path = keys_file(root)
        self._fold = Fold({})
        self._seen: tuple[int, int, int, int] | None = None  # device, inode, size, mtime
        self._offset = 0  # end of the last complete line read
        self.refresh()

    @property
    def skipped(self) -> int:
        """Lines of the keys file that could not be read (malformed, or unknown events)."""
        return self._fold.skipped

    def __len__(self) -> int:
        return len(self._fold.records)

    def refresh(self) -> bool:
        """Re-read the keys file if it changed; whether anything was read."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            changed = self._seen is not None
            self._fold, self._seen, self._offset = Fold({}), None, 0
            return changed
        seen = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if seen == self._seen:
            return False
        # Appended to (the same file, longer than last seen): read from the end of the last
        # complete line. Anything else (replaced, shortened, rewritten in place): read it all.
        grown = self._seen is not None and seen[:2] == self._seen[:2] and seen[2] > self._seen[2]
        fold = self._fold if grown else Fold({})
        offset = self._offset if grown else 0
        try:
            with self.path.open("rb") as handle:
                handle.seek(offset)
                data = handle.read(stat.st_size - offset)
        except FileNotFoundError:
            return False
        self._offset = offset + fold.feed(data)
        self._fold, self._seen = fold, seen
        return True

    def lookup(self, presented: str) -> KeyRecord | None:
        """The record of a presented key (revoked ones too: the caller says why it refuses).

        A key not known yet triggers a refresh first, so a key works as soon as it is issued;
        a revocation takes effect at the next periodic refresh.
        """
        key_id = key_id_of(presented)
        if key_id is None:
            return None
        record = self._fold.records.get(key_id)
        if record is None and self.refresh():
            record = self._fold.records.get(key_id)
        if record is None or not hmac.compare_digest(digest(presented), record.sha256):
            return None
        return record
