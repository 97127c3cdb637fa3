"""The label tables: ground truth for evaluation, the analysts' decisions, and their effect."""

from __future__ import annotations

import pyarrow as pa

from distillguard.schema.column import UTC_MICROS, Column, schema_of

LABEL_COLUMNS: tuple[Column, ...] = (
    Column("account_id", pa.string(), "Account id.", "label", nullable=False),
    Column(
        "campaign_id", pa.string(), "Campaign the account belongs to; null when benign.", "label"
    ),
    Column("population", pa.string(), "Population the account was drawn from (optional).", "label"),
)
LABELS = schema_of(LABEL_COLUMNS)

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
ANALYST_LABELS = schema_of(ANALYST_LABEL_COLUMNS)

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
EFFECTIVE_LABELS = schema_of(EFFECTIVE_LABEL_COLUMNS)
"""What ``detect.labels.effective_labels`` returns: one row per labelled account."""
