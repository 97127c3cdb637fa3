"""The chain-of-custody record of an export: who exported what, when, from where.

It is written into the manifest and into the ledger entry of the export (so it is covered by
the signed head), and printed on the hash certificate.
"""

from __future__ import annotations

import getpass
import os
import socket
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from distillguard import __version__
from distillguard.detect.labels import default_analyst


@dataclass(frozen=True)
class Custody:
    case_id: str
    scan_id: str
    cluster_id: str
    exported_by: str
    os_user: str
    exported_at: str  # ISO 8601 with the exporter's UTC offset
    time_zone: str
    host: str
    workspace: str
    redacted: bool
    tool: str
    command: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def record(
    case_id: str,
    scan_id: str,
    cluster_id: str,
    workspace: str,
    *,
    redacted: bool,
    exporter: str | None,
    command: str,
) -> Custody:
    """The custody record of an export made now, by this process."""
    moment = datetime.now().astimezone()
    return Custody(
        case_id=case_id,
        scan_id=scan_id,
        cluster_id=cluster_id,
        exported_by=exporter or default_analyst(),
        os_user=_os_user(),
        exported_at=moment.isoformat(timespec="seconds"),
        time_zone=os.environ.get("TZ") or moment.tzname() or "unknown",
        host=socket.gethostname(),
        workspace=workspace,
        redacted=redacted,
        tool=f"distillguard {__version__}",
        command=command,
    )
