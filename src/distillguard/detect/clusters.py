"""Clusters of linked accounts: the link graph cut into campaigns, each scored.

The graph has a node per account and per shared entity (``links.py``) and an edge, weighted
by its link kind, from each account to each entity it shares. Leiden community detection
(``leidenalg``, weighted modularity at resolution ``detect.leiden_resolution``) cuts it into
clusters; a cluster is the accounts of one community (entities are only the glue), and an
account linked to nothing is in none.

A cluster's score aggregates its members and its links, from two sides:

- **behaviour**: ``b = 1 - (1 - m) ** (1 + c * log2(n) / 2)``, where ``m`` is the mean
  member score, ``n`` the number of accounts and ``c`` in [0, 1] the *coordination*: a
  noisy-OR over link kinds of the kind's weight times the share of members that have a link
  of that kind. Weak evidence shared by many demonstrably coordinated accounts adds up;
  coordinated accounts that each look ordinary (a company's team accounts) stay low,
  because ``m`` is low.
- **operator**: ``o = c_op * min(1, log10(n)) * (0.25 + 0.75 * u)``, where ``c_op`` is the
  coordination over operator links only (shared cards, shared addresses on one day)
  and ``u`` the share of members that never verified their identity. Many unverified
  accounts run by one operator is the hydra pattern itself, whatever each account sends (a
  relay forwards ordinary-looking requests; the tell is the accounts and infrastructure).

``score = 1 - (1 - b) * (1 - o)``. ``decide.py`` also asks for decisive
evidence before flagging a cluster: members carrying content signals, or a strong operator
side; shared tooling among verified accounts (a company's evaluation or CI accounts) is not
enough.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import leidenalg
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from distillguard.detect.links import OPERATOR_KINDS, WEIGHTS

VERIFIED_OPERATOR = 0.25  # how much of the operator side a fully verified cluster keeps


@dataclass
class Cluster:
    cluster_id: str
    members: list[int]  # account indexes
    kinds: Counter[str] = field(default_factory=Counter)  # members per link kind
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
    n_accounts = len(account_index)
    entity_index: dict[tuple[str, str], int] = {}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    for account, kind, entity in zip(accounts, kinds, entities, strict=True):
        if account not in account_index:
            continue
        node = entity_index.setdefault((kind, entity), n_accounts + len(entity_index))
        edges.append((account_index[account], node))
        weights.append(WEIGHTS[kind])
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
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    for account, kind, entity, example in zip(accounts, kinds, entities, examples, strict=True):
        index = account_index.get(account)
        if index is None:
            continue
        owner = community_of.get(int(membership[index]))
        if owner is None:
            continue
        owner.entities.setdefault(kind, Counter())[entity] += 1
        if index in seen[(owner.cluster_id, kind)]:
            continue
        seen[(owner.cluster_id, kind)].add(index)
        owner.kinds[kind] += 1
        if example and len(owner.examples.setdefault(kind, [])) < 3:
            owner.examples[kind].append(example)
    return clusters


def coordination(cluster: Cluster, kinds: tuple[str, ...] | None = None) -> float:
    """Noisy-OR over link kinds (all, or ``kinds``) of weight x share of members linked."""
    keep = 1.0
    size = len(cluster.members)
    for kind, count in cluster.kinds.items():
        if kinds is None or kind in kinds:
            keep *= 1.0 - WEIGHTS[kind] * min(1.0, count / size)
    return 1.0 - keep


@dataclass(frozen=True)
class ClusterScore:
    behaviour: float
    operator: float
    score: float


def cluster_score(
    cluster: Cluster, member_scores: npt.NDArray[np.float64], unverified: float
) -> ClusterScore:
    """The cluster score of the module doc (``unverified``: share of unverified members)."""
    m = float(np.mean(member_scores))
    n = len(member_scores)
    exponent = 1.0 + coordination(cluster) * math.log2(max(n, 1)) / 2.0
    behaviour = float(1.0 - (1.0 - m) ** exponent)
    size = min(1.0, math.log10(max(n, 1)))
    trust = VERIFIED_OPERATOR + (1.0 - VERIFIED_OPERATOR) * unverified
    operator = coordination(cluster, OPERATOR_KINDS) * size * trust
    score = 1.0 - (1.0 - behaviour) * (1.0 - operator)
    return ClusterScore(behaviour, operator, score)


def link_reasons(cluster: Cluster) -> list[dict[str, Any]]:
    """One reason per link kind: how many members share what, with examples."""
    size = len(cluster.members)
    reasons = []
    for kind, count in cluster.kinds.most_common():
        top = cluster.entities[kind].most_common(3)
        reasons.append(
            {
                "kind": "link",
                "name": kind,
                "value": round(count / size, 4),
                "baseline": None,
                "evidence": round(WEIGHTS[kind] * min(1.0, count / size), 4),
                "detail": f"{count} of {size} accounts linked by {kind}; most shared: "
                + ", ".join(f"{entity} ({n} accounts)" for entity, n in top),
                "examples": cluster.examples.get(kind, []),
            }
        )
    return reasons
