"""The interactions table: one row per call to a generation API, as read, stored and queried.

``PARSED`` is what a reader produces, ``STORED`` what an interactions Parquet file holds,
``INTERACTIONS`` the ``interactions`` view (with the ``ip_info`` columns joined).
"""

from __future__ import annotations

import pyarrow as pa

from distillguard.schema.column import UTC_MICROS, Column, schema_of

ENDPOINTS: tuple[str, ...] = (
    "/v1/chat/completions",
    "/v1/responses",
    "/v1/completions",
    "/v1/messages",
)
"""API endpoints whose calls are interactions (OpenAI shapes, then the Anthropic shape)."""

SOURCE_FORMATS: tuple[str, ...] = ("raw", "otel", "litellm")
GATEWAY_ACTIONS: tuple[str, ...] = (
    "allow",
    "flag",
    "watermark",
    "degrade",
    "throttle",
    "require_verification",
    "block",
)
"""The gateway's graduated actions, mildest first (``gateway/core.py`` holds the same)."""


INTERACTION_COLUMNS: tuple[Column, ...] = (
    # identity
    Column(
        "request_id",
        pa.string(),
        "Unique id of the API call; the key for de-duplication.",
        "identity",
        nullable=False,
    ),
    Column(
        "ts", UTC_MICROS, "When the call arrived (UTC, microseconds).", "identity", nullable=False
    ),
    Column(
        "day",
        pa.date32(),
        "UTC calendar day of `ts`; the Parquet partition key.",
        "identity",
        nullable=False,
    ),
    Column(
        "account_id",
        pa.string(),
        "Customer account that made the call.",
        "identity",
        nullable=False,
    ),
    Column("key_id", pa.string(), "API key used (or its hash).", "identity"),
    Column("org_id", pa.string(), "Organisation or team the account belongs to.", "identity"),
    Column(
        "end_user",
        pa.string(),
        "End-user id the caller passed on (OpenAI `user`, "
        "Anthropic `metadata.user_id`, or the log's own field).",
        "identity",
    ),
    # client
    Column("client_ip", pa.string(), "Caller's IP address, canonical text form.", "client"),
    Column("user_agent", pa.string(), "Caller's User-Agent header.", "client"),
    Column(
        "country",
        pa.string(),
        "ISO 3166 country of `client_ip` (enrichment; null when unknown, private or not verified).",
        "client",
    ),
    Column(
        "asn_name",
        pa.string(),
        "Name of the autonomous system announcing `client_ip` (enrichment).",
        "client",
    ),
    Column(
        "network_kind",
        pa.string(),
        "hosting | vpn | tor | other (enrichment; hosting "
        "covers clouds, CDNs and declared crawlers).",
        "client",
    ),
    Column(
        "network_provider",
        pa.string(),
        "Provider named by the network-kind data, e.g. 'Amazon AWS' (enrichment).",
        "client",
    ),
    # call
    Column("endpoint", pa.string(), "One of " + ", ".join(ENDPOINTS) + ".", "call", nullable=False),
    Column(
        "model", pa.string(), "Model requested (or, when absent, the model that answered).", "call"
    ),
    Column("stream", pa.bool_(), "Whether the response was streamed.", "call"),
    # request text
    Column("system_prompt", pa.string(), "System / developer instructions, joined.", "request"),
    Column("user_text", pa.string(), "Text of the last user turn (the prompt).", "request"),
    Column("n_turns", pa.int32(), "Messages in the request, system messages excluded.", "request"),
    Column("n_user_turns", pa.int32(), "User messages in the request.", "request"),
    Column(
        "conversation_chars",
        pa.int64(),
        "Characters of text in the whole request conversation, system prompt included.",
        "request",
    ),
    # sampling and harvesting parameters
    Column("temperature", pa.float64(), "Sampling temperature requested.", "parameters"),
    Column("top_p", pa.float64(), "Nucleus sampling parameter requested.", "parameters"),
    Column("n", pa.int32(), "Number of choices requested (OpenAI `n`).", "parameters"),
    Column(
        "max_tokens",
        pa.int64(),
        "Output token cap requested (`max_tokens`, "
        "`max_completion_tokens` or `max_output_tokens`).",
        "parameters",
    ),
    Column("logprobs", pa.bool_(), "Whether token log-probabilities were requested.", "parameters"),
    Column(
        "top_logprobs",
        pa.int32(),
        "Alternatives per token requested (or `logprobs` count on legacy completions).",
        "parameters",
    ),
    Column(
        "reasoning_effort",
        pa.string(),
        "Reasoning effort requested (OpenAI "
        "`reasoning_effort` / `reasoning.effort`; 'enabled' / 'adaptive' for Anthropic "
        "thinking without a budget).",
        "parameters",
    ),
    Column(
        "thinking_budget",
        pa.int64(),
        "Thinking token budget requested (Anthropic `thinking.budget_tokens`).",
        "parameters",
    ),
    Column("n_tools", pa.int32(), "Tools offered to the model.", "parameters"),
    Column("tool_names", pa.list_(pa.string()), "Names of the tools offered.", "parameters"),
    Column(
        "response_format",
        pa.string(),
        "Structured output requested: text | json_object | json_schema.",
        "parameters",
    ),
    # response
    Column("response_id", pa.string(), "Provider's id of the response.", "response"),
    Column("response_text", pa.string(), "Text of the answer (first choice).", "response"),
    Column(
        "reasoning_text",
        pa.string(),
        "Reasoning / thinking text, when it was returned.",
        "response",
    ),
    Column(
        "finish_reason", pa.string(), "Why generation stopped, as the provider said it.", "response"
    ),
    Column(
        "refusal",
        pa.bool_(),
        "The model refused (OpenAI `refusal`, Anthropic stop "
        "reason `refusal`, or a content-filter stop).",
        "response",
    ),
    Column("n_tool_calls", pa.int32(), "Tool calls in the answer.", "response"),
    Column(
        "error_type", pa.string(), "Error type of a failed call, from its error body.", "response"
    ),
    # usage
    Column("input_tokens", pa.int64(), "Input (prompt) tokens billed.", "usage"),
    Column(
        "output_tokens",
        pa.int64(),
        "Output (completion) tokens billed, reasoning included.",
        "usage",
    ),
    Column("reasoning_tokens", pa.int64(), "Of the output tokens, those spent reasoning.", "usage"),
    Column(
        "cached_input_tokens", pa.int64(), "Input tokens served from the prompt cache.", "usage"
    ),
    Column("status", pa.int16(), "HTTP status of the call.", "usage"),
    Column("latency_ms", pa.float64(), "Time from request to complete response, ms.", "usage"),
    # gateway decision (raw logs written by `distillguard gateway`; null elsewhere)
    Column(
        "gateway_action",
        pa.string(),
        "Action the gateway took on the call: " + " | ".join(GATEWAY_ACTIONS) + ".",
        "gateway",
    ),
    Column(
        "gateway_rules",
        pa.list_(pa.string()),
        "Policy rules that matched the call, in policy order.",
        "gateway",
    ),
    # provenance
    Column(
        "source_format",
        pa.string(),
        "Reader that produced the row: " + " | ".join(SOURCE_FORMATS) + ".",
        "provenance",
        nullable=False,
    ),
    Column(
        "source_file", pa.string(), "File the record was read from.", "provenance", nullable=False
    ),
    Column(
        "source_line",
        pa.int64(),
        "Line (or CSV row, or array element) in that file, from 1.",
        "provenance",
        nullable=False,
    ),
    Column(
        "ingest_id", pa.string(), "Ingest run that added the row.", "provenance", nullable=False
    ),
)

ENRICHMENT_COLUMNS: tuple[str, ...] = ("country", "asn_name", "network_kind", "network_provider")
"""Columns that come from the ``ip_info`` table (joined on ``client_ip``), not from the log."""

INTERACTIONS = schema_of(INTERACTION_COLUMNS)
PARSED = schema_of(
    tuple(c for c in INTERACTION_COLUMNS if c.name not in (*ENRICHMENT_COLUMNS, "ingest_id"))
)
"""What a reader produces: the interaction row before enrichment and commit."""
STORED = schema_of(
    tuple(c for c in INTERACTION_COLUMNS if c.name not in (*ENRICHMENT_COLUMNS, "day"))
)
"""What an interactions Parquet file holds: ``day`` is its partition folder, and the
enrichment columns are joined from ``ip_info`` by the ``interactions`` view."""
