"""What a scan writes: scored accounts, clusters and links, with their stored reasons."""

from __future__ import annotations

import pyarrow as pa

from distillguard.schema.column import Column, schema_of

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
SCORED_ACCOUNTS = schema_of(SCORED_ACCOUNT_COLUMNS)

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
CLUSTERS = schema_of(CLUSTER_COLUMNS)

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
LINKS = schema_of(LINK_COLUMNS)
