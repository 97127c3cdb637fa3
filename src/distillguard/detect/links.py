"""Cross-account links: what accounts share, with the evidence for each kind of link.

A link is a *membership*: account A shares entity E of kind K (a card fingerprint, an IP
address on a day another account also used it, a repeated prompt skeleton...). Accounts that
share an entity are linked through it; ``clusters.py`` builds the graph of accounts and
entities and cuts it into campaigns. Memberships rather than account pairs keep the graph
linear in size: a pool of 3,000 accounts behind one skeleton is 3,000 edges, not 4.5 million.

Each kind has a weight (how strongly sharing it says "one operator") and says what it
catches and what it could confuse. A *public* entity (an e-mail domain, a user agent) shared
by more than ``detect.link_max_share`` of all accounts (a webmail domain, an SDK's default
user agent) links nothing; a card, an address or a prompt template shared by many accounts
is all the more telling.
The cheap kinds run as Ibis expressions over every call; the costly ones (near-duplicate
prompt sets, synchronized activity) run on candidate accounts only (``neardup.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from distillguard.detect import entities
from distillguard.detect.entities import (
    MEMBERSHIP,
    LinkInputs,
    network_prefixes,
    prefixes_table,
)
from distillguard.detect.features import SIGNAL_SHARE

__all__ = [
    "LINK_KINDS",
    "MEMBERSHIP",
    "OPERATOR_KINDS",
    "PRIORS",
    "WEIGHTS",
    "LinkKind",
    "in_graph",
    "memberships",
    "network_prefixes",
    "prefixes_table",
    "shared",
    "signal_profiles",
]

Compute = Callable[[LinkInputs, str], ir.Table]


@dataclass(frozen=True)
class LinkKind:
    name: str
    weight: float
    catches: str
    confusable: str
    public: bool = False  # the entity is public (a domain, a user agent): too common links nothing
    operator: bool = False  # a card or an address: when specific, a tie to one operator
    prior: float = 1.0  # specificity before the data speaks (shared-by-design ranges: low)
    compute: Compute | None = None  # cheap kinds: memberships over every call (entities.py)


LINK_KINDS: Final[tuple[LinkKind, ...]] = (
    LinkKind(
        "payment",
        1.0,
        "Accounts paying with one card fingerprint: shared, virtual or stolen cards [1].",
        "A company paying for its teams' accounts with one card.",
        operator=True,
        compute=entities.cards,
    ),
    LinkKind(
        "ip",
        0.6,
        "Accounts calling from one IP address on the same day: a proxy pool or one harness "
        "behind many accounts [1][5]. VPN and Tor exits are left out: they serve many "
        "unrelated people at once by design.",
        "Carrier-grade NAT, offices, universities: unrelated people behind one address; a "
        "home line that is also a residential proxy's exit.",
        operator=True,
        compute=entities.lines,
    ),
    LinkKind(
        "hosting_ip",
        0.4,
        "Accounts calling from one cloud / hosting address on the same day: a campaign's "
        "rented servers. Kept apart from `ip` because the shipped hosting ranges (iporigin) "
        "say the address is shared by design: CI runners and serverless egress rotate "
        "through the same cloud pools that campaigns rent, so its prior specificity is 0.2 "
        "and it becomes specific only when several suspect accounts and no clean ones use it.",
        "CI runners (GitHub-hosted, cloud build fleets), serverless egress, evaluation jobs "
        "on one cloud.",
        operator=True,
        prior=0.2,
        compute=entities.hosting_addresses,
    ),
    LinkKind(
        "network",
        0.3,
        "Accounts calling from one residential /24 (IPv6 /64) on the same day: rotating "
        "proxy addresses [1]. Hosting, VPN and Tor ranges are left out: they are shared "
        "between unrelated tenants and users by design.",
        "Neighbours on one ISP; colleagues on one VPN.",
        compute=entities.networks,
    ),
    LinkKind(
        "skeleton",
        0.8,
        "Accounts that each sent the same long prompt opening (normalized skeleton) "
        "repeatedly: one template across hundreds of accounts [1][6].",
        "Teams sharing one internal tool; public prompt templates copied by many people.",
        compute=entities.skeletons,
    ),
    LinkKind(
        "system_prompt",
        0.8,
        "Accounts that each sent the same system prompt repeatedly [1].",
        "One product deployed under several accounts (for example a migration to a new key).",
        compute=entities.system_prompts,
    ),
    LinkKind(
        "user_agent",
        0.3,
        "Accounts sharing an uncommon user agent: one harness [6].",
        "Users of one niche client or library version.",
        public=True,
        compute=entities.user_agents,
    ),
    LinkKind(
        "email_domain",
        0.4,
        "Accounts signed up with one uncommon e-mail domain (disposable or invented) [1].",
        "Colleagues at one company signing up with their work addresses; users of a "
        "regional webmail provider in a small workspace.",
        public=True,
        compute=entities.email_domains,
    ),
    LinkKind(
        "creation_burst",
        0.3,
        "Accounts created in the same 10 minutes when far more accounts were created than "
        "usual: batch registration [1][7].",
        "A company onboarding a team; a launch or a class signing up together.",
        compute=entities.creation_bursts,
    ),
    LinkKind(
        "signal_profile",
        0.4,
        "Candidate accounts that use the same set of content signals (the same wrappers: "
        "chain-of-thought template, thinking-language coercion, rubric...) on a good share of "
        "their calls: identical patterns across accounts [1].",
        "Users of one public jailbreak or prompt recipe.",
    ),
    LinkKind(
        "near_duplicate",
        0.6,
        "Candidate accounts whose prompt samples are near-duplicates (MinHash LSH over word "
        "shingles): one prompt set split across accounts [1].",
        "Users of one prompt library or benchmark.",
    ),
    LinkKind(
        "synchronized",
        0.5,
        "Candidate accounts active in the same minutes far more often than chance: one "
        "controller spreading load ('load balancing') [1].",
        "Jobs scheduled at the same round times by unrelated teams (cron at :00).",
    ),
)
WEIGHTS: Final = {k.name: k.weight for k in LINK_KINDS}
PRIORS: Final = {k.name: k.prior for k in LINK_KINDS}
OPERATOR_KINDS: Final = tuple(k.name for k in LINK_KINDS if k.operator)


def memberships(
    calls: ir.Table,
    accounts: ir.Table,
    prefixes: ir.Table,
    settings_min_chars: int,
    burst_min: int,
    kinds: tuple[LinkKind, ...] = LINK_KINDS,
) -> ir.Table:
    """Every account's membership of the entities of every cheap kind in ``kinds`` (the
    registry; before rarity cuts): the union of each kind's own ``compute``."""
    inputs = LinkInputs(calls, accounts, prefixes, settings_min_chars, burst_min)
    parts = [k.compute(inputs, k.name) for k in kinds if k.compute is not None]
    union = parts[0]
    for part in parts[1:]:
        union = union.union(part)
    return union


PROFILE_SHARE: Final = 0.1  # a signal is part of an account's profile from this share of calls


def signal_profiles(features: pa.Table, candidates: set[str], min_calls: int) -> pa.Table:
    """``signal_profile`` memberships: candidates grouped by their set of content signals."""
    names = [c for c in features.column_names if c.startswith(SIGNAL_SHARE)]
    ids = features.column("account_id").to_pylist()
    calls = features.column("n_calls").to_pylist()
    shares = {n: features.column(n).to_pylist() for n in names}
    rows: dict[str, list[object]] = {
        n: [] for n in ("account_id", "kind", "entity", "example_request_id")
    }
    for i, account in enumerate(ids):
        if account not in candidates:
            continue
        profile = [
            n.removeprefix(SIGNAL_SHARE)
            for n in names
            if (shares[n][i] or 0.0) >= PROFILE_SHARE
            and (shares[n][i] or 0.0) * calls[i] >= min_calls
        ]
        if profile:
            rows["account_id"].append(account)
            rows["kind"].append("signal_profile")
            rows["entity"].append("+".join(profile))
            rows["example_request_id"].append(None)
    table = pa.table(rows, schema=pa.schema([(n, pa.string()) for n in rows]))
    counts: dict[str, int] = {}
    for entity in table.column("entity").to_pylist():
        counts[entity] = counts.get(entity, 0) + 1
    n_accounts = pa.array([counts[e] for e in table.column("entity").to_pylist()], pa.int64())
    return table.append_column("n_accounts", n_accounts).filter(pc.greater_equal(n_accounts, 2))


def in_graph(links: pa.Table, candidates: set[str], specific: float, min_weight: float) -> pa.Table:
    """The memberships the cluster graph uses (the cascade's cut).

    An account takes part when it is a candidate (its own score reached
    ``detect.candidate_score``, or an analyst labelled it campaign) or it has a *specific*
    operator link (a card, or an address, of specificity at least ``detect.specific``).
    A membership whose weight x specificity is below ``detect.min_link_weight`` is no edge
    at all: an entity that many clean accounts use (a cloud egress address, a public
    benchmark prompt) must not pull bystanders into a campaign's community. Entities left
    with one participant are dropped.
    """
    weight = pa.array([WEIGHTS[k] for k in links.column("kind").to_pylist()], pa.float64())
    strength = pc.multiply(weight, links.column("specificity"))
    operator = pc.and_(
        pc.is_in(links.column("kind"), pa.array(OPERATOR_KINDS)),
        pc.greater_equal(links.column("specificity"), specific),
    )
    tied = set(pc.filter(links.column("account_id"), operator).to_pylist())
    members = pa.array(sorted(candidates | tied), pa.string())
    keep = pc.and_(
        pc.is_in(links.column("account_id"), members),
        pc.greater_equal(strength, min_weight),
    )
    kept = links.filter(keep)
    if kept.num_rows == 0:
        return kept
    counts = kept.group_by(["kind", "entity"]).aggregate([("account_id", "count")])
    kept = kept.drop_columns(["n_accounts"]).join(counts, ["kind", "entity"])
    kept = kept.rename_columns(
        ["n_accounts" if c == "account_id_count" else c for c in kept.column_names]
    )
    kept = kept.filter(pc.greater_equal(kept.column("n_accounts"), 2))
    return kept.select(links.column_names)  # the join moved the recounted column last


def shared(members: ir.Table, total_accounts: int, max_share: float) -> ir.Table:
    """Memberships of entities that 2 or more accounts share (public ones: not too many)."""
    counts = members.group_by(["kind", "entity"]).aggregate(n_accounts=members.account_id.nunique())
    limit = max(2, int(total_accounts * max_share))
    public = [k.name for k in LINK_KINDS if k.public]
    keep = counts.filter(
        (counts.n_accounts >= 2) & (~counts.kind.isin(public) | (counts.n_accounts <= limit))
    )
    joined = members.join(keep, ["kind", "entity"])
    return joined.select("account_id", "kind", "entity", "n_accounts", "example_request_id")
