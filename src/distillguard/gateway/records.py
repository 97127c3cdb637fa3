"""One call as a raw-API-log record (``DESIGN.md``), with the gateway's decision added.

``request`` is the body as the client sent it (what the client asked for is the evidence,
not what the gateway forwarded); ``response`` is what the client received — for a streamed
call the object assembled from the events it was sent, after countermeasures — or the error
the gateway answered with. ``decision`` holds the action, the rules that matched and their
reasons, and the measures applied; ``upstream_request`` says what differed upstream when
countermeasures rewrote the request.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from distillguard.gateway.core import Decision, Identity


def request_id() -> str:
    """A sortable unique id: milliseconds since the epoch, then 64 random bits."""
    return f"req_{time.time_ns() // 1_000_000:012x}{os.urandom(8).hex()}"


@dataclass
class CallRecord:
    """A call being answered; ``finish`` turns it into the log line's object."""

    endpoint: str
    identity: Identity | None
    user_agent: str | None
    started: float = field(default_factory=time.monotonic)
    ts: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="milliseconds"))
    request_id: str = field(default_factory=request_id)
    request: dict[str, Any] | None = None
    decision: Decision | None = None
    changed: dict[str, Any] | None = None

    def finish(self, status: int, response: object) -> dict[str, Any]:
        identity = self.identity
        record: dict[str, Any] = {
            "request_id": self.request_id,
            "ts": self.ts.replace("+00:00", "Z"),
            "account_id": identity.account_id if identity else None,
            "key_id": identity.key_id if identity else None,
            "org_id": identity.org_id if identity else None,
            "end_user": identity.end_user if identity else None,
            "client_ip": identity.client_ip if identity else None,
            "user_agent": self.user_agent,
            "endpoint": self.endpoint,
            "request": self.request,
            "response": response,
            "status": status,
            "latency_ms": round((time.monotonic() - self.started) * 1000, 3),
        }
        if self.decision is not None:
            decision = self.decision.to_log()
            measures = self.decision.measures
            decision["measures"] = {
                "strip_logprobs": measures.strip_logprobs,
                "reasoning": measures.reasoning,
                "max_tokens": measures.max_tokens,
                "n": measures.n,
                "watermark": measures.watermark,
                "throttle": measures.throttle,
            }
            record["decision"] = decision
        if self.changed:
            record["upstream_request"] = self.changed
        return record
