"""One ledger entry: what it holds, its kinds, and its bytes (one canonical JSON line).

An entry is ``{"seq", "time", "kind", "actor", "ref", "payload", "prev"}`` written in RFC 8785
canonical form, one per line of ``ledger.jsonl``. Those exact bytes (without the newline) are
what ``prev`` of the next entry hashes and what the Merkle leaf hashes, so the line on disk *is*
the record: nothing is re-serialised before hashing, and an edit of any byte shows.

- ``seq`` counts from 1 and equals the line number;
- ``time`` is when the ledger recorded it (UTC, ISO 8601); the source's own time, if any,
  stays in the payload;
- ``ref`` names the source record once (``controls:<sha256 of its line>``,
  ``scan:<scan_id>``...) so that importing it again adds nothing; ``None`` for entries made
  directly (case events);
- ``prev`` is the SHA-256 (hex) of the previous line's bytes, ``None`` on the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Literal, get_args

import orjson

from distillguard.evidence.canonical import canonical, normal, sha256_hex

Kind = Literal["scan", "verdict", "label", "decision", "case", "controls"]
"""scan: a scan or re-decision run and the digests of its results; verdict: a flagged
cluster of a scan; label: an analyst's labelling; decision: an enforcement action taken;
case: a case event (opened, exported...); controls: a change of the controls in force (from
the gateway's controls log)."""

KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
FIELDS: Final = ("seq", "time", "kind", "actor", "ref", "payload", "prev")


class EntryError(ValueError):
    """A line is not a well-formed ledger entry (the message says what is wrong)."""


def now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class Draft:
    """An entry before the ledger numbers and chains it."""

    kind: Kind
    actor: str
    payload: dict[str, Any]
    ref: str | None = None
    time: str = field(default_factory=now)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise EntryError(f"unknown entry kind {self.kind!r}; kinds: {', '.join(KINDS)}")


@dataclass(frozen=True)
class Entry:
    seq: int
    time: str
    kind: Kind
    actor: str
    ref: str | None
    payload: dict[str, Any]
    prev: str | None

    @classmethod
    def chained(cls, draft: Draft, seq: int, prev: str | None) -> Entry:
        return cls(seq, draft.time, draft.kind, draft.actor, draft.ref, normal(draft.payload), prev)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}

    def line(self) -> bytes:
        """The entry's bytes on disk (without the newline)."""
        return canonical(self.to_dict())

    def digest(self) -> str:
        return sha256_hex(self.line())


def parse(line: bytes) -> Entry:
    """The entry a line holds, if it is one in canonical form; else ``EntryError`` saying why."""
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise EntryError("not JSON (a torn write or an edit)") from exc
    if not isinstance(data, dict):
        raise EntryError("not a JSON object")
    if sorted(data) != sorted(FIELDS):
        raise EntryError(f"fields are {sorted(data)}, not {sorted(FIELDS)}")
    seq, kind, prev = data["seq"], data["kind"], data["prev"]
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise EntryError(f"seq {seq!r} is not an integer")
    if kind not in KINDS:
        raise EntryError(f"unknown kind {kind!r}")
    if not isinstance(data["payload"], dict):
        raise EntryError("payload is not an object")
    for name in ("time", "actor"):
        if not isinstance(data[name], str):
            raise EntryError(f"{name} is not text")
    for name in ("ref", "prev"):
        if data[name] is not None and not isinstance(data[name], str):
            raise EntryError(f"{name} is neither text nor null")
    try:
        datetime.fromisoformat(data["time"])
    except ValueError as exc:
        raise EntryError(f"time {data['time']!r} is not an ISO 8601 time") from exc
    entry = Entry(seq, data["time"], kind, data["actor"], data["ref"], data["payload"], prev)
    if entry.line() != line:
        raise EntryError("not in canonical form (edited by hand?)")
    return entry
