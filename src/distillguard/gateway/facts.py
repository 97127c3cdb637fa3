"""The facts a policy decides on, gathered for one call into the table ``policy.FACTS`` names.

They come from four places, each computed by its own module: the account (the directory:
the accounts table, the latest scan's verdicts, analyst labels), the client address (the
geofence), this request's signals (``detect/signals.py`` definitions, run online) and the
account's recent calls (the online window).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Final

from distillguard.detect.signals import CAPABILITY_SIGNALS, PARAM_SIGNALS, TEXT_SIGNALS
from distillguard.gateway.core import Api
from distillguard.gateway.directory import AccountFacts
from distillguard.gateway.geofence import GeoFacts
from distillguard.gateway.online import Window
from distillguard.gateway.policy import FactValue

FAMILY_OF: Final[Mapping[str, str]] = MappingProxyType(
    {
        **{s.name: s.family for s in (*TEXT_SIGNALS, *CAPABILITY_SIGNALS)},
        **{s.name: s.family for s in PARAM_SIGNALS},
    }
)


def account_facts(account: AccountFacts, now: datetime) -> dict[str, FactValue]:
    """Facts of the account (``directory.AccountFacts``)."""
    created = account.created_at
    age = (now - created).total_seconds() / 86_400 if isinstance(created, datetime) else 0.0
    return {
        "known_account": bool(account.known),
        "verified": bool(account.verified),
        "program": account.program or "",
        "tier": account.tier or "",
        "account_age_days": max(0.0, age),
        "billing_country": account.billing_country or "",
        "verdict": account.verdict or "",
        "cluster_flagged": bool(account.cluster_flagged),
        "label": account.label or "",
        "score": float(account.score or 0.0),
    }


def geo_facts(geo: GeoFacts) -> dict[str, FactValue]:
    """Facts of the client address (``geofence.GeoFacts``)."""
    return {
        "country": geo.country or "",
        "network_kind": geo.network_kind or "other",
        "restricted_ip": bool(geo.restricted_ip),
        "restricted_billing": bool(geo.restricted_billing),
    }


def signal_facts(signals: frozenset[str]) -> dict[str, FactValue]:
    facts: dict[str, FactValue] = {f"signal.{name}": True for name in signals}
    for name in signals:
        facts[f"family.{FAMILY_OF[name]}"] = True
    return facts


def window_facts(window: Window) -> dict[str, FactValue]:
    """Facts of the account's online window (``online.Window``)."""
    return {
        "window.calls": int(window.calls),
        "window.calls_per_minute": float(window.calls_per_minute),
        "window.elicitation_share": float(window.elicitation_share),
        "window.content_share": float(window.content_share),
        "window.skeleton_repeats": int(window.skeleton_repeats),
        "window.distinct_skeletons": int(window.distinct_skeletons),
        "window.tokens": int(window.tokens),
    }


def gather(
    api: Api,
    stream: bool,
    account: AccountFacts,
    geo: GeoFacts,
    signals: frozenset[str],
    window: Window,
) -> dict[str, FactValue]:
    facts: dict[str, FactValue] = {"api": api, "stream": stream}
    facts.update(account_facts(account, datetime.now(UTC)))
    facts.update(geo_facts(geo))
    facts.update(signal_facts(signals))
    facts.update(window_facts(window))
    return facts
