"""The world's small typed core: an account, the content of one exchange, one logged call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

CHAT = "/v1/chat/completions"
RESPONSES = "/v1/responses"
COMPLETIONS = "/v1/completions"
MESSAGES = "/v1/messages"


@dataclass(frozen=True)
class Account:
    account_id: str
    created_at: datetime
    email_domain: str
    payment_fingerprint: str | None
    billing_country: str
    tier: str
    program: str
    verified: bool
    population: str
    campaign_id: str | None = None


@dataclass
class Exchange:
    """What was asked and answered, independent of the provider's wire shape."""

    endpoint: str
    model: str
    user_text: str
    answer: str
    system: str | None = None
    history: list[tuple[str, str]] = field(default_factory=list)  # earlier (user, assistant)
    reasoning: str | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    n: int | None = None
    logprobs: bool = False
    top_logprobs: int | None = None
    reasoning_effort: str | None = None
    thinking_budget: int | None = None
    tools: tuple[str, ...] = ()
    tool_call: str | None = None  # name of the tool the answer calls, if any
    response_format: str | None = None
    stream: bool = False
    end_user: str | None = None
    refusal: bool = False
    cached_share: float = 0.0  # share of input tokens served from the prompt cache


@dataclass
class Call:
    ts: datetime
    account: Account
    key_id: str
    ip: str
    user_agent: str | None
    exchange: Exchange
    org_id: str | None = None
    end_user: str | None = None  # the log's own end-user field (gateways set it)
    status: int = 200
    error: str | None = None  # error type of a failed call
    latency_ms: float | None = None
