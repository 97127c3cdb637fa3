"""The batch scan: workspace in, scored accounts and clusters with reasons out.

Stages (each timed in the report):

1. **calls**: one pass over the interactions, the only one that reads all the text: signal
   flags, skeletons, slim columns (``calls.py``), kept as a DuckDB table that spills to disk
   under ``detect.memory_limit``.
2. **features**: one row per account (``features.py``), compared with its peers
   (``baselines.py``) and scored (``scoring.py``).
3. **links**: what accounts share (``links.py``), then, on candidate accounts only, the costly
   kinds: near-duplicate prompt sets and synchronized activity (``neardup.py``).
4. **clusters**: Leiden over the link graph, cluster scores (``clusters.py``), the members'
   minutes in step with each other (``synchrony.py``).
5. **decide**: thresholds to verdicts (``decide.py``), reasons, results committed to the
   workspace (``account_scores``, ``clusters``, ``links``, ``account_features``).

Only the per-account table and the links come into Python; every per-call computation runs in
the engine, so memory grows with accounts, not with calls.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import ibis
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from distillguard.detect.baselines import compare
from distillguard.detect.calls import call_rows
from distillguard.detect.clusters import Cluster, coordination, link_reasons, partition
from distillguard.detect.core import Reason, reasons_array, rounded
from distillguard.detect.decide import Policy
from distillguard.detect.features import (
    CONTENT_FAMILIES,
    FEATURES,
    Feature,
    account_features,
    accounts_table,
)
from distillguard.detect.flags import interactions, to_sql
from distillguard.detect.labels import effective_labels
from distillguard.detect.links import (
    LINK_KINDS,
    OPERATOR_KINDS,
    LinkKind,
    in_graph,
    memberships,
    network_prefixes,
    prefixes_table,
    shared,
    signal_profiles,
)
from distillguard.detect.neardup import costly_links
from distillguard.detect.results import apply, labelled, nonempty
from distillguard.detect.scoring import account_reasons, score_accounts
from distillguard.detect.specificity import reference_accounts, with_specificity
from distillguard.detect.synchrony import co_activity
from distillguard.detect.ties import member_ties
from distillguard.schema.results import CLUSTERS, LINKS, SCORED_ACCOUNTS
from distillguard.settings import Settings
from distillguard.workspace import Workspace, WorkspaceError

ENGINES = ("duckdb",)


@dataclass
class ScanReport:
    scan_id: str
    workspace: str
    engine: str
    interactions: int = 0
    accounts: int = 0
    links: int = 0
    clusters: int = 0
    flagged_accounts: int = 0
    flagged_clusters: int = 0
    candidates: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _open(ws: Workspace, settings: Settings, spill: Path) -> duckdb.DuckDBPyConnection:
    con = ws.connect()
    con.execute(f"SET memory_limit = '{settings.text('detect.memory_limit')}'")
    con.execute(f"SET temp_directory = '{spill}'")
    threads = settings.integer("detect.threads")
    if threads > 0:
        con.execute(f"SET threads = {threads}")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    return con


def _restricted(settings: Settings) -> tuple[str, ...]:
    text = settings.text("detect.restricted_countries")
    return tuple(c.strip().upper() for c in text.split(",") if c.strip())


@dataclass(frozen=True)
class Registry:
    """The detectors a scan runs: account features and cheap link kinds, in their order."""

    features: tuple[Feature, ...] = FEATURES
    link_kinds: tuple[LinkKind, ...] = LINK_KINDS


def scan(
    ws: Workspace,
    settings: Settings,
    engine: str = "duckdb",
    progress: Callable[[str], None] | None = None,
    registry: Registry | None = None,
) -> ScanReport:
    """Scan the workspace and commit its results; see the module doc for the stages."""
    registry = registry or Registry()
    if engine not in ENGINES:
        raise WorkspaceError(f"unknown engine {engine!r}; engines: {', '.join(ENGINES)}")
    ws.require()
    started = datetime.now(UTC)
    scan_id = started.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
    report = ScanReport(scan_id, str(ws.root), engine)
    say = progress or (lambda _: None)
    with ws.writer():
        staging = ws.staging(scan_id)
        clock = time.perf_counter()

        def lap(stage: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            report.seconds[stage] = round(now - clock, 3)
            clock = now

        con = _open(ws, settings, staging / "spill")
        try:
            say("reading calls and request signals")
            rows = call_rows(interactions())
            con.execute("CREATE TEMP TABLE calls AS " + to_sql(rows))
            calls = ibis.table(rows.schema(), name="calls")
            report.interactions = int(con.execute("SELECT count(*) FROM calls").fetchall()[0][0])
            lap("calls")
            say("account features")
            feature_sql = to_sql(
                account_features(calls, accounts_table(), _restricted(settings), registry.features)
            )
            features = con.sql(feature_sql).to_arrow_table().sort_by("account_id")
            lap("features")
            say("links between accounts")
            ips = con.execute(
                "SELECT DISTINCT client_ip FROM calls WHERE client_ip IS NOT NULL "
                "AND network_kind IS DISTINCT FROM 'hosting'"
            ).fetchall()
            prefixes = network_prefixes([r[0] for r in ips])
            con.register("prefixes", prefixes)
            member_expr = memberships(
                calls,
                accounts_table(),
                prefixes_table(),
                settings.integer("detect.skeleton_min_chars"),
                settings.integer("detect.burst_min_accounts"),
                registry.link_kinds,
            )
            links_expr = shared(
                member_expr, features.num_rows, settings.number("detect.link_max_share")
            )
            links = con.sql(to_sql(links_expr)).to_arrow_table()
            lap("links")
            labels = labelled(effective_labels(con, settings))
            result = _score_and_decide(
                con, features, links, labels, registry, settings, report, say
            )
            lap("score")
        finally:
            con.close()
        say("writing results")
        staged = {}
        for name, table in result.items():
            path = staging / f"{name}.parquet"
            pq.write_table(table, path)
            staged[name] = path
        report.seconds["total"] = round(sum(report.seconds.values()), 3)
        ws.commit_scan(scan_id, started, datetime.now(UTC), report.to_dict(), staged)
    return report


def _matrix(features: pa.Table, registry: tuple[Feature, ...]) -> npt.NDArray[np.float64]:
    if features.num_rows == 0:
        return np.zeros((0, len(registry)))
    return np.column_stack(
        [
            features.column(f.name).to_numpy(zero_copy_only=False).astype(np.float64)
            for f in registry
        ]
    )


def _column(features: pa.Table, name: str) -> npt.NDArray[np.float64]:
    values: npt.NDArray[np.float64] = features.column(name).to_numpy(zero_copy_only=False)
    return values.astype(np.float64)


def _score_and_decide(
    con: duckdb.DuckDBPyConnection,
    features: pa.Table,
    links: pa.Table,
    labels: dict[str, tuple[str, str | None]],
    registry: Registry,
    settings: Settings,
    report: ScanReport,
    say: Callable[[str], None],
) -> dict[str, pa.Table]:
    ids = features.column("account_id").to_pylist()
    index = {a: i for i, a in enumerate(ids)}
    label = [labels[a][0] if a in labels else None for a in ids]
    is_campaign = np.array([v == "campaign" for v in label], dtype=bool)
    is_benign = np.array([v == "benign" for v in label], dtype=bool)
    n_calls = _column(features, "n_calls")
    content = np.zeros(len(ids), dtype=bool)
    for family in CONTENT_FAMILIES:
        content |= features.column(f"{family}_share").to_numpy(zero_copy_only=False) > 0
    peers = [str(p) for p in features.column("peer").to_pylist()]
    # baselines: accounts without content signals, benign labels in, campaign labels out
    baseline = ((~content) | is_benign) & ~is_campaign
    comparison = compare(
        _matrix(features, registry.features),
        peers,
        baseline,
        settings.integer("detect.min_peers"),
        registry.features,
    )
    scores = score_accounts(comparison, n_calls, settings)
    say("costly links on candidates")
    candidate = (scores.score >= settings.number("detect.candidate_score")) | is_campaign
    report.candidates = int(candidate.sum())
    chosen = np.flatnonzero(candidate)
    candidates = [ids[i] for i in chosen]
    extra = costly_links(con, candidates, n_calls[chosen].astype(int).tolist(), settings)
    profiles = signal_profiles(
        features, set(candidates), settings.integer("detect.content_min_calls")
    )
    for more in (extra, profiles):
        if more.num_rows:
            links = pa.concat_tables([links, more.select(links.column_names).cast(links.schema)])
    say("entity specificity")
    unverified = _column(features, "unverified")
    established = settings.number("detect.established_days")
    reference = reference_accounts(
        scores.score,
        content,
        unverified,
        _column(features, "age_days"),
        label,
        settings.number("detect.account_threshold"),
        established,
    )
    links = with_specificity(
        con,
        links,
        pa.table({"account_id": ids, "reference": reference, "campaign": is_campaign}),
    )
    specific = settings.number("detect.specific")
    links = in_graph(links, set(candidates), specific, settings.number("detect.min_link_weight"))
    say("clusters")
    clusters = partition(
        links, index, settings.integer("detect.seed"), settings.number("detect.leiden_resolution")
    )
    cluster_of = np.full(len(ids), -1, dtype=np.int64)
    for k, cluster in enumerate(clusters):
        cluster_of[cluster.members] = k
    age = _column(features, "age_days")
    fresh = np.nan_to_num(age, nan=0.0) < settings.number("detect.fresh_days")
    ties = member_ties(links, index, cluster_of, fresh, specific)
    sync = co_activity(con, index, cluster_of, settings.integer("detect.sync_panel"))
    limit = settings.integer("detect.reasons")
    examples = {
        c: features.column(c).to_pylist() for c in features.column_names if c.startswith("ex_")
    }
    own = [account_reasons(i, comparison, scores, examples, limit) for i in range(len(ids))]
    accounts = pa.table(
        {
            "account_id": ids,
            "peer": peers,
            "n_interactions": n_calls.astype(np.int64),
            "score": np.round(scores.score, 6),
            "flagged": np.zeros(len(ids), dtype=bool),
            "verdict": ["clear"] * len(ids),
            "cluster_id": [clusters[k].cluster_id if k >= 0 else None for k in cluster_of.tolist()],
            "reasons": reasons_array(
                [[*t, *o][:limit] for t, o in zip(ties.reasons, own, strict=True)]
            ),
            "content": content,
            "unverified": unverified,
            "fresh": fresh,
            "reference": reference,
            "tie": np.round(ties.tie, 6),
            "operator_ties": ties.operator,
            "operator_links": ties.operator_links,
            "sync_observed": sync.observed,
            "sync_expected": np.round(sync.expected, 6),
            "label": pa.nulls(len(ids), pa.string()),
            "model_verdict": ["clear"] * len(ids),
        },
        schema=SCORED_ACCOUNTS,
    )
    cluster_table = _cluster_table(clusters, scores.score, n_calls, own, limit)
    accounts, cluster_table = apply(
        accounts, cluster_table, labels, Policy.from_settings(settings), limit
    )
    report.accounts = len(ids)
    report.links = links.num_rows
    report.clusters = len(clusters)
    report.flagged_accounts = nonempty(accounts.column("flagged"))
    report.flagged_clusters = nonempty(cluster_table.column("flagged"))
    report.verdicts = dict(Counter(accounts.column("verdict").to_pylist()))
    return {
        "account_scores": accounts,
        "clusters": cluster_table,
        "links": links.select(LINKS.names).cast(LINKS),
        "account_features": features,
    }


def _cluster_table(
    clusters: list[Cluster],
    account_scores: np.ndarray,
    n_calls: np.ndarray,
    member_reasons: list[list[Reason]],
    limit: int,
) -> pa.Table:
    """Clusters with their link and member reasons, before deciding (``results.apply``)."""
    rows: dict[str, list[Any]] = {name: [] for name in CLUSTERS.names}
    reasons: list[list[Reason]] = []
    for cluster in clusters:
        members = cluster.members
        common: Counter[str] = Counter()
        example: dict[str, list[str]] = {}
        for i in members:
            for reason in member_reasons[i]:
                common[reason.name] += 1
                if reason.examples and len(example.setdefault(reason.name, [])) < 3:
                    example[reason.name].extend(reason.examples[:1])
        median = float(np.median(account_scores[members]))
        found = link_reasons(cluster)
        found.append(
            Reason(
                "members",
                "member_scores",
                f"median score of its {len(members)} accounts; "
                f"{int((account_scores[members] >= 0.5).sum())} score 0.5 or more",
                value=rounded(median),
                evidence=rounded(median),
            )
        )
        found.extend(
            Reason(
                "members",
                name,
                f"{count} of {len(members)} accounts have this reason",
                value=rounded(count / len(members)),
                examples=tuple(example.get(name, [])),
            )
            for name, count in common.most_common(limit)
        )
        reasons.append(found)
        rows["cluster_id"].append(cluster.cluster_id)
        rows["n_accounts"].append(len(members))
        rows["n_interactions"].append(int(n_calls[members].sum()))
        rows["link_kinds"].append(sorted(cluster.kinds))
        rows["coordination"].append(coordination(cluster))
        rows["operator_coordination"].append(coordination(cluster, OPERATOR_KINDS))
    n = len(clusters)
    for name in ("score", "behaviour", "operator", "content_share", "together", "sync_lift"):
        rows[name] = [0.0] * n
    for name in ("n_core", "n_flagged", "n_left_out"):
        rows[name] = [0] * n
    rows["flagged"] = [False] * n
    return pa.table({**rows, "reasons": reasons_array(reasons)}, schema=CLUSTERS)
