"""The gateway's core contract: the APIs it serves, who is calling, what policy decided.

Every piece of the gateway (identity, limits, geofence, online signals, policy,
countermeasures, the call log) speaks these few types, so each stays a small wrapper with one
job, in the order a request meets them:

    identity → limits → geofence → online signals → policy → countermeasures → upstream → log
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal, get_args

Api = Literal["chat", "responses", "completions", "messages"]
"""The four generation APIs: OpenAI Chat Completions, Responses, legacy Completions, and
Anthropic Messages."""

Shape = Literal["openai", "anthropic"]
"""Whose error shape (and header conventions) a route answers in."""

ENDPOINTS: Final[Mapping[str, Api]] = MappingProxyType(
    {
        "/v1/chat/completions": "chat",
        "/v1/responses": "responses",
        "/v1/completions": "completions",
        "/v1/messages": "messages",
    }
)
"""Route → API; the same endpoint strings as the raw API log's ``endpoint`` field."""


def shape_of(api: Api) -> Shape:
    return "anthropic" if api == "messages" else "openai"


Action = Literal[
    "allow", "flag", "watermark", "degrade", "throttle", "require_verification", "block"
]
ACTIONS: Final[tuple[Action, ...]] = get_args(Action)
"""Graduated actions, mildest first. A decision's ``action`` is the most severe one any
matching rule asked for; the measures of every matching rule apply together."""

Reasoning = Literal["keep", "withhold", "summarise"]


@dataclass(frozen=True)
class Identity:
    """Who is calling: the key's account and org, the end user, the client's address."""

    key_id: str
    account_id: str
    org_id: str | None
    client_ip: str
    end_user: str | None = None


@dataclass(frozen=True)
class Measures:
    """What countermeasures do to one call (all off by default).

    ``reasoning``: keep returned reasoning / thinking, withhold it (blocks and deltas removed,
    the answer itself untouched), or summarise it (replaced by a one-line note of its size).
    ``max_tokens`` and ``n`` cap the request's own values (None: no cap). ``throttle`` scales
    every limit of the call's scopes (1.0: none; 0.1: a tenth of the budget).
    """

    strip_logprobs: bool = False
    reasoning: Reasoning = "keep"
    max_tokens: int | None = None
    n: int | None = None
    watermark: bool = False
    throttle: float = 1.0

    def combine(self, other: Measures) -> Measures:
        """Both sets of measures at once: the stricter of each."""
        order = ("keep", "summarise", "withhold")
        return Measures(
            strip_logprobs=self.strip_logprobs or other.strip_logprobs,
            reasoning=max(self.reasoning, other.reasoning, key=order.index),
            max_tokens=_smaller(self.max_tokens, other.max_tokens),
            n=_smaller(self.n, other.n),
            watermark=self.watermark or other.watermark,
            throttle=min(self.throttle, other.throttle),
        )

    @property
    def degrades(self) -> bool:
        return (
            self.strip_logprobs
            or self.reasoning != "keep"
            or self.max_tokens is not None
            or self.n is not None
        )


def _smaller(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


@dataclass(frozen=True)
class Decision:
    """What policy decided for one call, and why (every matching rule and its reasons)."""

    action: Action = "allow"
    rules: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    measures: Measures = field(default_factory=Measures)

    def to_log(self) -> dict[str, object]:
        """The ``decision`` field of the call's raw log record."""
        return {"action": self.action, "rules": list(self.rules), "reasons": list(self.reasons)}


class GatewayError(Exception):
    """A request the gateway answers itself, in the provider's error shape.

    ``kind`` is the error type both providers understand: ``invalid_request_error``,
    ``authentication_error``, ``permission_error``, ``not_found_error``,
    ``request_too_large``, ``rate_limit_error``, ``api_error``, ``overloaded_error``,
    ``timeout_error``.
    """

    def __init__(
        self,
        status: int,
        kind: str,
        message: str,
        *,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.code = code
        self.retry_after = retry_after
