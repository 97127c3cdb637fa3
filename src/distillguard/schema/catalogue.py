"""Every table of the data model by name, in the order ``docs/data-model.md`` shows them."""

from __future__ import annotations

from types import MappingProxyType

from distillguard.schema.accounts import ACCOUNT_COLUMNS
from distillguard.schema.interactions import INTERACTION_COLUMNS
from distillguard.schema.ip_info import IP_INFO_COLUMNS
from distillguard.schema.labels import ANALYST_LABEL_COLUMNS, LABEL_COLUMNS
from distillguard.schema.quarantine import QUARANTINE_COLUMNS
from distillguard.schema.results import CLUSTER_COLUMNS, LINK_COLUMNS, SCORED_ACCOUNT_COLUMNS

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
