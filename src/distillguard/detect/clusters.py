"""Clusters of linked accounts: the link graph cut into campaigns, each scored.

The graph has a node per account and per shared entity (``links.py``) and an edge, weighted
by its link kind, from each account to each entity it shares. Leiden community detection
(``leidenalg``, weighted modularity at resolution ``detect.leiden_resolution``) cuts it into
clusters; a cluster is the accounts of one community (entities are only the glue), and an
account linked to nothing is in none.

Each account-entity edge weighs ``weight(kind) x specificity(entity)`` (:mod:`specificity`):
an entity that clean, unrelated accounts also use barely glues anything, so a campaign's
community does not swallow the CI bots behind the same cloud egress or the evaluators who send
the same public benchmark prompts.

Per cluster, :func:`coordination` measures how its members are linked: a noisy-OR over link
kinds of the kind's weight times the share of members linked by it, each member counted by
the specificity of its most specific link of the kind; the operator coordination does the
same over cards and addresses only. ``decide.py`` turns coordination and the scores of the
cluster's *core* (the members with their own evidence) into the cluster's score and verdict.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import igraph as ig
import leidenalg
import numpy as np
import pyarrow as pa

from distillguard.detect.core import Reason, rounded
from distillguard.detect.links import WEIGHTS


@dataclass
class Cluster:
    cluster_id: str
    members: list[int]  # account indexes
    kinds: Counter[str] = field(default_factory=Counter)  # members per link kind
    strength: dict[str, float] = field(default_factory=dict)  # kind -> sum of best specificity
    entities: dict[str, Counter[str]] = field(default_factory=dict)  # kind -> entity -> members
    examples: dict[str, list[str]] = field(default_factory=dict)  # kind -> request ids


def partition(
    links: pa.Table, account_index: dict[str, int], seed: int, resolution: float
) -> list[Cluster]:
    """Leiden communities of the account-entity graph, as clusters of 2 or more accounts.

    The links are put in a fixed order first: Leiden's result depends on the order of the
    nodes and edges, and the engine returns rows in no set order.
    """
    links = links.sort_by(
        [("account_id", "ascending"), ("kind", "ascending"), ("entity", "ascending")]
    )
    accounts = links.column("account_id").to_pylist()
    kinds = links.column("kind").to_pylist()
    entities = links.column("entity").to_pylist()
    examples = links.column("example_request_id").to_pylist()
    specs = links.column("specificity").to_pylist()
    n_accounts = len(account_index)
    entity_index: dict[tuple[str, str], int] = {}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    for account, kind, entity, spec in zip(accounts, kinds, entities, specs, strict=True):
        if account not in account_index:
            continue
        node = entity_index.setdefault((kind, entity), n_accounts + len(entity_index))
        edges.append((account_index[account], node))
        weights.append(WEIGHTS[kind] * spec)
    graph = ig.Graph(n=n_accounts + len(entity_index), edges=edges)
    graph.es["weight"] = weights
    found = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=resolution,
        seed=seed,
    )
    membership = np.asarray(found.membership)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n_accounts):
        if graph.degree(i) > 0:
            groups[int(membership[i])].append(i)
    clusters: list[Cluster] = []
    community_of: dict[int, Cluster] = {}
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[1][0]))
    for community, members in ordered:
        if len(members) < 2:
            continue
        cluster = Cluster(f"c{len(clusters) + 1:05d}", members)
        clusters.append(cluster)
        community_of[community] = cluster
    best: dict[tuple[str, str, int], float] = {}
    for account, kind, entity, example, spec in zip(
        accounts, kinds, entities, examples, specs, strict=True
    ):
        index = account_index.get(account)
        if index is None:
            continue
        owner = community_of.get(int(membership[index]))
        if owner is None:
            continue
        owner.entities.setdefault(kind, Counter())[entity] += 1
        key = (owner.cluster_id, kind, index)
        if key in best:
            best[key] = max(best[key], spec)
            continue
        best[key] = spec
        owner.kinds[kind] += 1
        if example and len(owner.examples.setdefault(kind, [])) < 3:
            owner.examples[kind].append(example)
    by_id = {c.cluster_id: c for c in clusters}
    for (cluster_id, kind, _), spec in best.items():
        strength = by_id[cluster_id].strength
        strength[kind] = strength.get(kind, 0.0) + spec
    return clusters


def coordination(cluster: Cluster, kinds: tuple[str, ...] | None = None) -> float:
    """Noisy-OR over link kinds (all, or ``kinds``) of weight x share of members linked,
    each member counted by the specificity of its most specific link of the kind: accounts
    that share only public entities (cloud egress, benchmark prompts) coordinate nothing."""
    keep = 1.0
    size = len(cluster.members)
    for kind, strength in cluster.strength.items():
        if kinds is None or kind in kinds:
            keep *= 1.0 - WEIGHTS[kind] * min(1.0, strength / size)
    return 1.0 - keep


def link_reasons(cluster: Cluster) -> list[Reason]:
    """One reason per link kind: how many members share what, how specific, with examples."""
    size = len(cluster.members)
    reasons = []
    for kind, count in cluster.kinds.most_common():
        top = cluster.entities[kind].most_common(3)
        specificity = cluster.strength.get(kind, 0.0) / max(count, 1)
        reasons.append(
            Reason(
                "link",
                kind,
                f"{count} of {size} accounts linked by {kind} (mean specificity "
                f"{specificity:.2f}); most shared: "
                + ", ".join(f"{entity} ({n} accounts)" for entity, n in top),
                value=rounded(count / size),
                evidence=rounded(WEIGHTS[kind] * min(1.0, specificity * count / size)),
                specificity=rounded(specificity),
                examples=tuple(cluster.examples.get(kind, [])),
            )
        )
    return reasons
