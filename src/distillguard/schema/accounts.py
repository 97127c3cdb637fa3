"""The accounts table: what the provider knows of each account, given beside the log."""

from __future__ import annotations

import pyarrow as pa

from distillguard.schema.column import UTC_MICROS, Column, schema_of

PROGRAMS: tuple[str, ...] = ("none", "education", "research", "startup")

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
ACCOUNTS = schema_of(ACCOUNT_COLUMNS)
