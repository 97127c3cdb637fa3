"""What a case is: its id, where it came from, and the files it froze (``case.json``)."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import orjson

FOLDER: Final = "cases"
META: Final = "case.json"
TABLES: Final = ("cluster", "accounts", "calls", "links", "features", "labels")
"""The frozen tables, one Parquet file each (``<name>.parquet``)."""


class CaseError(Exception):
    """A case cannot be opened, read or changed as asked (the message says why)."""


def cases_dir(root: Path) -> Path:
    """Where a workspace keeps its cases."""
    return root / FOLDER


def new_id(opened_at: datetime) -> str:
    """A case id: sortable by opening time, unique without coordination."""
    return f"case-{opened_at.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class FrozenFile:
    """A file of the case with its digest; ``rows`` for tables."""

    path: str  # relative to the case folder
    sha256: str
    bytes: int
    rows: int | None = None


@dataclass(frozen=True)
class Attachment:
    """A report added to a case (a watermark test of a suspect model, for one)."""

    kind: str
    path: str  # relative to the case folder
    sha256: str
    note: str | None
    added_at: str
    added_by: str
    source: str  # where the file was taken from


@dataclass(frozen=True)
class CaseMeta:
    """Everything ``case.json`` says."""

    case_id: str
    title: str
    cluster_id: str
    scan_id: str
    scan_finished_at: str
    opened_at: str
    opened_by: str
    workspace: str
    scope: str  # which members the case holds: "campaign verdicts" or "all members"
    accounts: int
    members: int
    calls: int
    files: tuple[FrozenFile, ...]
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2) + b"\n"

    def file(self, path: str) -> FrozenFile:
        for frozen in self.files:
            if frozen.path == path:
                return frozen
        raise CaseError(f"case {self.case_id} froze no file {path!r}")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaseMeta:
        try:
            files = tuple(FrozenFile(**f) for f in data["files"])
            attachments = tuple(Attachment(**a) for a in data.get("attachments", ()))
            fields = {k: v for k, v in data.items() if k not in ("files", "attachments")}
            return cls(**fields, files=files, attachments=attachments)
        except (KeyError, TypeError) as exc:
            raise CaseError(f"case.json is not a case description: {exc}") from exc


def now() -> datetime:
    return datetime.now(UTC)
