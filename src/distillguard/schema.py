"""The data model in one place: the Arrow schemas of distillguard's tables.

Each table is a tuple of ``Column`` rows (name, Arrow type, nullability, group, meaning).
``docs/data-model.md`` is generated from these rows (``distillguard.docgen``), so the
documentation cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import pyarrow as pa

UTC_MICROS = pa.timestamp("us", tz="UTC")

ENDPOINTS: tuple[str, ...] = (
    "/v1/chat/completions",
    "/v1/responses",
    "/v1/completions",
    "/v1/messages",
)
"""API endpoints whose calls are interactions (OpenAI shapes, then the Anthropic shape)."""

NETWORK_KINDS: tuple[str, ...] = ("hosting", "vpn", "tor", "other")
PROGRAMS: tuple[str, ...] = ("none", "education", "research", "startup")
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


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    doc: str
    group: str
    nullable: bool = True

    def field(self) -> pa.Field:
        return pa.field(self.name, self.type, nullable=self.nullable)


def _schema(columns: tuple[Column, ...]) -> pa.Schema:
    return pa.schema([c.field() for c in columns])


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

INTERACTIONS = _schema(INTERACTION_COLUMNS)
PARSED = _schema(
    tuple(c for c in INTERACTION_COLUMNS if c.name not in (*ENRICHMENT_COLUMNS, "ingest_id"))
)
"""What a reader produces: the interaction row before enrichment and commit."""
STORED = _schema(
    tuple(c for c in INTERACTION_COLUMNS if c.name not in (*ENRICHMENT_COLUMNS, "day"))
)
"""What an interactions Parquet file holds: ``day`` is its partition folder, and the
enrichment columns are joined from ``ip_info`` by the ``interactions`` view."""

ACCOUNT_COLUMNS: tuple[Column, ...] = (
    Column(
        "account_id", pa.string(), "Account id, as in the interactions.", "account", nullable=False
    ),
    Column("created_at", UTC_MICROS, "When the account was created (UTC).", "account"),
    Column(
        "email_domain", pa.string(), "Domain of the sign-up e-mail address, lower case.", "account"
    ),
    Column(
        "payment_fingerprint",
        pa.string(),
        "Fingerprint of the payment method (the processor's card fingerprint or a hash).",
        "account",
    ),
    Column("billing_country", pa.string(), "ISO 3166 billing country, upper case.", "account"),
    Column("tier", pa.string(), "Product tier (e.g. free, build, scale, enterprise).", "account"),
    Column("program", pa.string(), "Sign-up programme: " + " | ".join(PROGRAMS) + ".", "account"),
    Column("verified", pa.bool_(), "Whether identity verification was completed.", "account"),
    Column(
        "ingest_id",
        pa.string(),
        "Ingest run that last wrote the row.",
        "provenance",
        nullable=False,
    ),
)
ACCOUNTS = _schema(ACCOUNT_COLUMNS)

IP_INFO_COLUMNS: tuple[Column, ...] = (
    Column("ip", pa.string(), "Client IP address, canonical text form.", "ip_info", nullable=False),
    Column(
        "country",
        pa.string(),
        "ISO 3166 country (geoip2fast), kept only when the address "
        "lies inside the network the lookup returned.",
        "ip_info",
    ),
    Column("asn_name", pa.string(), "Autonomous system name (geoip2fast), same check.", "ip_info"),
    Column(
        "network_kind",
        pa.string(),
        " | ".join(NETWORK_KINDS) + " (iporigin).",
        "ip_info",
        nullable=False,
    ),
    Column("network_provider", pa.string(), "Provider of a hosting / VPN / Tor range.", "ip_info"),
    Column(
        "geo_data", pa.string(), "Vintage of the country / ASN data.", "ip_info", nullable=False
    ),
    Column(
        "network_data",
        pa.string(),
        "Build time of the network-kind data.",
        "ip_info",
        nullable=False,
    ),
    Column(
        "ingest_id",
        pa.string(),
        "Ingest run that looked the address up.",
        "provenance",
        nullable=False,
    ),
)
IP_INFO = _schema(IP_INFO_COLUMNS)

LABEL_COLUMNS: tuple[Column, ...] = (
    Column("account_id", pa.string(), "Account id.", "label", nullable=False),
    Column(
        "campaign_id", pa.string(), "Campaign the account belongs to; null when benign.", "label"
    ),
    Column("population", pa.string(), "Population the account was drawn from (optional).", "label"),
)
LABELS = _schema(LABEL_COLUMNS)

ANALYST_LABEL_VALUES: tuple[str, ...] = ("campaign", "benign")
WITHDRAWN = "none"
"""The label value that withdraws an account's earlier label (the history keeps both rows)."""
LABEL_TARGETS: tuple[str, ...] = ("account", "cluster", "file")
LABEL_SOURCES: tuple[str, ...] = ("analyst", "trusted")

ANALYST_LABEL_COLUMNS: tuple[Column, ...] = (
    Column(
        "labelling_id",
        pa.string(),
        "Labelling run that recorded the row (one `distillguard label` command).",
        "analyst label",
        nullable=False,
    ),
    Column(
        "target",
        pa.string(),
        "What the analyst labelled: " + " | ".join(LABEL_TARGETS) + " (a labels file).",
        "analyst label",
        nullable=False,
    ),
    Column(
        "account_id",
        pa.string(),
        "Account the decision is about.",
        "analyst label",
        nullable=False,
    ),
    Column(
        "label",
        pa.string(),
        " | ".join((*ANALYST_LABEL_VALUES, WITHDRAWN)) + f"; {WITHDRAWN!r} withdraws the "
        "account's earlier label. An account's effective label is its latest row.",
        "analyst label",
        nullable=False,
    ),
    Column("note", pa.string(), "The analyst's note, if any.", "analyst label"),
    Column(
        "analyst",
        pa.string(),
        "Who decided (default: the OS user).",
        "analyst label",
        nullable=False,
    ),
    Column(
        "labelled_at",
        UTC_MICROS,
        "When the decision was recorded (UTC).",
        "analyst label",
        nullable=False,
    ),
    Column(
        "cluster_id",
        pa.string(),
        "Cluster that was labelled, for a cluster label (ids are renumbered by each scan, so "
        "the label is kept per member account).",
        "analyst label",
    ),
    Column(
        "scan_id",
        pa.string(),
        "Latest scan when the label was given: the scan whose cluster was expanded.",
        "analyst label",
    ),
)
ANALYST_LABELS = _schema(ANALYST_LABEL_COLUMNS)

EFFECTIVE_LABEL_COLUMNS: tuple[Column, ...] = (
    Column("account_id", pa.string(), "Labelled account.", "effective label", nullable=False),
    Column(
        "label",
        pa.string(),
        " | ".join(ANALYST_LABEL_VALUES) + ": the label the next scan applies.",
        "effective label",
        nullable=False,
    ),
    Column(
        "source",
        pa.string(),
        " | ".join(LABEL_SOURCES) + ": an analyst's latest decision, or a trusted org or "
        "account (settings `detect.trusted_orgs`, `detect.trusted_accounts`); the analyst's "
        "decision wins.",
        "effective label",
        nullable=False,
    ),
    Column(
        "note", pa.string(), "The analyst's note, or why the account is trusted.", "effective label"
    ),
    Column("analyst", pa.string(), "Who decided; null for a trusted account.", "effective label"),
    Column("labelled_at", UTC_MICROS, "When; null for a trusted account.", "effective label"),
)
EFFECTIVE_LABELS = _schema(EFFECTIVE_LABEL_COLUMNS)
"""What ``detect.labels.effective_labels`` returns: one row per labelled account."""

QUARANTINE_COLUMNS: tuple[Column, ...] = (
    Column(
        "ingest_id", pa.string(), "Ingest run that met the record.", "quarantine", nullable=False
    ),
    Column("source_file", pa.string(), "File the record came from.", "quarantine", nullable=False),
    Column(
        "source_line",
        pa.int64(),
        "Line (or CSV row, or array element) in that file.",
        "quarantine",
        nullable=False,
    ),
    Column(
        "item",
        pa.int32(),
        "Position inside the line when one line holds several records "
        "(OpenTelemetry spans); null otherwise.",
        "quarantine",
    ),
    Column(
        "reason",
        pa.string(),
        "Stable reason code (see docs/data-model.md).",
        "quarantine",
        nullable=False,
    ),
    Column("detail", pa.string(), "Human-readable explanation.", "quarantine", nullable=False),
    Column("raw", pa.string(), "The record as read, when it is valid UTF-8.", "quarantine"),
    Column(
        "raw_b64",
        pa.string(),
        "The record's bytes in base64, when they are not UTF-8.",
        "quarantine",
    ),
)
QUARANTINE = _schema(QUARANTINE_COLUMNS)

VERDICTS: tuple[str, ...] = ("campaign", "suspicious", "clear")
REASON_KINDS: tuple[str, ...] = (
    "cluster",
    "feature",
    "signal",
    "link",
    "anomaly",
    "members",
    "tie",
    "label",
)
"""cluster: the flagged cluster a member joined or was left out of; feature / signal: one
account feature against its peers or one content signal; link: what a cluster's members
share; anomaly: the isolation forest; members: what a cluster's members have in common; tie:
one entity that ties a member to its cluster, with its specificity; label: an analyst's or a
trust decision."""

REASON = pa.struct(
    [
        pa.field("kind", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("detail", pa.string(), nullable=False),
        pa.field("value", pa.float64()),
        pa.field("baseline", pa.float64()),
        pa.field("evidence", pa.float64()),
        pa.field("family", pa.string()),
        pa.field("peer", pa.string()),
        pa.field("z", pa.float64()),
        pa.field("specificity", pa.float64()),
        pa.field("examples", pa.list_(pa.string())),
    ]
)
REASONS = pa.list_(REASON)
"""The stored type of every ``reasons`` column (``detect/core.py`` ``Reason`` is one item)."""

SCORED_ACCOUNT_COLUMNS: tuple[Column, ...] = (
    Column("account_id", pa.string(), "Account id.", "scan", nullable=False),
    Column(
        "peer",
        pa.string(),
        "Peer group the account was compared with: tier / programme / main endpoint.",
        "scan",
        nullable=False,
    ),
    Column("n_interactions", pa.int64(), "Calls the account made.", "scan", nullable=False),
    Column(
        "score",
        pa.float64(),
        "Account score in [0, 1]: how strongly its own behaviour looks like harvesting.",
        "scan",
        nullable=False,
    ),
    Column(
        "flagged",
        pa.bool_(),
        "Whether the account is flagged (its own score, or a flagged cluster).",
        "scan",
        nullable=False,
    ),
    Column(
        "verdict",
        pa.string(),
        " | ".join(VERDICTS) + ": flagged with its cluster, flagged alone, or not flagged.",
        "scan",
        nullable=False,
    ),
    Column("cluster_id", pa.string(), "Cluster of linked accounts; null when unlinked.", "scan"),
    Column(
        "reasons",
        REASONS,
        "Reasons, strongest first: kind (" + " | ".join(REASON_KINDS) + "), name, detail, "
        "value, baseline, evidence in [0, 1], family, peer, z, specificity in [0, 1] (ties "
        "and links) and example request_ids.",
        "scan",
        nullable=False,
    ),
    Column(
        "content",
        pa.bool_(),
        "Whether any of its calls carry a content signal (elicitation, coercion, grading, "
        "evasion, rewriting).",
        "scan",
        nullable=False,
    ),
    Column(
        "unverified",
        pa.float64(),
        "1 when the account never completed identity verification, else 0.",
        "scan",
        nullable=False,
    ),
    Column(
        "fresh",
        pa.bool_(),
        "Whether it signed up less than detect.fresh_days before its first call (a "
        "disposable identity, like an unverified one).",
        "scan",
        nullable=False,
    ),
    Column(
        "reference",
        pa.bool_(),
        "Whether it belongs to the clean reference population that entity specificity is "
        "measured against (docs/detection.md).",
        "scan",
        nullable=False,
    ),
    Column(
        "tie",
        pa.float64(),
        "Tie to its cluster in [0, 1]: the specificity-weighted entities it shares with "
        "other members (0 when unclustered).",
        "scan",
        nullable=False,
    ),
    Column(
        "operator_ties",
        pa.float64(),
        "Strong and specific ties to its cluster: 2 per shared card, 1 per shared address.",
        "scan",
        nullable=False,
    ),
    Column(
        "operator_links",
        pa.int64(),
        "Specific cards and addresses it shares with other members of its cluster, whether "
        "or not the account is fresh.",
        "scan",
        nullable=False,
    ),
    Column(
        "sync_observed",
        pa.float64(),
        "Coincident minutes with other members of its cluster: over its active minutes, the "
        "other members active in the same minute (0 when unclustered).",
        "scan",
        nullable=False,
    ),
    Column(
        "sync_expected",
        pa.float64(),
        "The coincident minutes expected by chance, if each member's minutes fell "
        "independently within the hours it was active (docs/detection.md).",
        "scan",
        nullable=False,
    ),
    Column(
        "label",
        pa.string(),
        "Effective analyst or trust label applied (campaign | benign), if any.",
        "scan",
    ),
    Column(
        "model_verdict",
        pa.string(),
        "The verdict the evidence alone gives, before labels.",
        "scan",
        nullable=False,
    ),
)
SCORED_ACCOUNTS = _schema(SCORED_ACCOUNT_COLUMNS)

CLUSTER_COLUMNS: tuple[Column, ...] = (
    Column(
        "cluster_id", pa.string(), "Cluster id (stable within one scan).", "scan", nullable=False
    ),
    Column("n_accounts", pa.int64(), "Accounts in the cluster.", "scan", nullable=False),
    Column("n_interactions", pa.int64(), "Calls made by its accounts.", "scan", nullable=False),
    Column(
        "score",
        pa.float64(),
        "Cluster score in [0, 1]: its members' scores, strengthened by how they are linked.",
        "scan",
        nullable=False,
    ),
    Column("flagged", pa.bool_(), "Whether the cluster is flagged.", "scan", nullable=False),
    Column(
        "link_kinds",
        pa.list_(pa.string()),
        "Kinds of link that join its accounts.",
        "scan",
        nullable=False,
    ),
    Column("reasons", REASONS, "Reasons (as for accounts).", "scan", nullable=False),
    Column(
        "coordination",
        pa.float64(),
        "How its members are linked, over every link kind, each member counted by the "
        "specificity of its links (docs/detection.md).",
        "scan",
        nullable=False,
    ),
    Column(
        "operator_coordination",
        pa.float64(),
        "The same over operator links only (cards, addresses).",
        "scan",
        nullable=False,
    ),
    Column(
        "behaviour", pa.float64(), "Behaviour side of the score (its core).", "scan", nullable=False
    ),
    Column("operator", pa.float64(), "Operator side of the score.", "scan", nullable=False),
    Column(
        "content_share",
        pa.float64(),
        "Share of its core members carrying content signals.",
        "scan",
        nullable=False,
    ),
    Column(
        "together",
        pa.float64(),
        "Synchrony side of the score: evidence that its core acted in the same minutes far "
        "more often than chance (docs/detection.md).",
        "scan",
        nullable=False,
    ),
    Column(
        "sync_lift",
        pa.float64(),
        "Its core's coincident minutes over those expected by chance.",
        "scan",
        nullable=False,
    ),
    Column(
        "n_core",
        pa.int64(),
        "Members with their own evidence for the cluster (the core it is judged on).",
        "scan",
        nullable=False,
    ),
    Column("n_flagged", pa.int64(), "Members with the verdict campaign.", "scan", nullable=False),
    Column(
        "n_left_out",
        pa.int64(),
        "Members left out of its verdict: no own evidence (see their reasons).",
        "scan",
        nullable=False,
    ),
)
CLUSTERS = _schema(CLUSTER_COLUMNS)

LINK_COLUMNS: tuple[Column, ...] = (
    Column("account_id", pa.string(), "Account that shares the entity.", "scan", nullable=False),
    Column(
        "kind",
        pa.string(),
        "Link kind (see docs/detection.md): what the accounts share.",
        "scan",
        nullable=False,
    ),
    Column(
        "entity",
        pa.string(),
        "What is shared: the card fingerprint, the /24 network, the skeleton hash...",
        "scan",
        nullable=False,
    ),
    Column("n_accounts", pa.int64(), "Accounts that share the entity.", "scan", nullable=False),
    Column("example_request_id", pa.string(), "A call that shows the link, if any.", "scan"),
    Column(
        "specificity",
        pa.float64(),
        "How much sharing the entity says 'one operator', in [0, 1]: the kind's prior over "
        "1 + the clean, unrelated accounts that also use it (docs/detection.md).",
        "scan",
        nullable=False,
    ),
)
LINKS = _schema(LINK_COLUMNS)

TABLES = MappingProxyType(
    {
        "interactions": INTERACTION_COLUMNS,
        "accounts": ACCOUNT_COLUMNS,
        "ip_info": IP_INFO_COLUMNS,
        "labels": LABEL_COLUMNS,
        "analyst_labels": ANALYST_LABEL_COLUMNS,
        "quarantine": QUARANTINE_COLUMNS,
        "account_scores": SCORED_ACCOUNT_COLUMNS,
        "clusters": CLUSTER_COLUMNS,
        "links": LINK_COLUMNS,
    }
)
