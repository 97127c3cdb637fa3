"""The batch scan: workspace in, scored accounts and clusters with reasons out.

Stages (each timed in the report):

1. **calls**: one pass over the interactions, the only one that reads all the text: signal
   flags, skeletons, slim columns (``calls.py``), kept as a DuckDB table that spills to disk
   under ``detect.memory_limit``.
2. **features**: one row per account (``features.py``), compared with its peers
   (``baselines.py``) and scored (``scoring.py``).
3. **links**: what accounts share (``links.py``), then, on candidate accounts only, the costly
   kinds: near-duplicate prompt sets and synchronized activity (``neardup.py``).
4. **clusters**: Leiden over the link graph, cluster scores (``clusters.py``).
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
import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from distillguard.detect.baselines import compare
from distillguard.detect.calls import call_rows
from distillguard.detect.clusters import (
    Cluster,
    cluster_score,
    link_reasons,
    partition,
)
from distillguard.detect.decide import ClusterEvidence, Thresholds, decide, tied_by_operator
from distillguard.detect.features import (
    CONTENT_FAMILIES,
    FEATURE_NAMES,
    account_features,
    accounts_table,
)
from distillguard.detect.flags import interactions, to_sql
from distillguard.detect.links import (
    in_graph,
    memberships,
    network_prefixes,
    prefixes_table,
    shared,
    signal_profiles,
)
from distillguard.detect.neardup import costly_links
from distillguard.detect.scoring import account_reasons, score_accounts
from distillguard.schema import CLUSTERS, LINKS, SCORED_ACCOUNTS
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


def _json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY).decode()


def scan(
    ws: Workspace,
    settings: Settings,
    engine: str = "duckdb",
    progress: Callable[[str], None] | None = None,
) -> ScanReport:
    """Scan the workspace and commit its results; see the module doc for the stages."""
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
            feature_sql = to_sql(account_features(calls, accounts_table(), _restricted(settings)))
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
            )
            links_expr = shared(
                member_expr, features.num_rows, settings.number("detect.link_max_share")
            )
            links = con.sql(to_sql(links_expr)).to_arrow_table()
            lap("links")
            result = _score_and_decide(con, features, links, settings, report, say)
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


def _score_and_decide(
    con: duckdb.DuckDBPyConnection,
    features: pa.Table,
    links: pa.Table,
    settings: Settings,
    report: ScanReport,
    say: Callable[[str], None],
) -> dict[str, pa.Table]:
    ids = features.column("account_id").to_pylist()
    index = {a: i for i, a in enumerate(ids)}
    values = (
        np.column_stack(
            [
                features.column(n).to_numpy(zero_copy_only=False).astype(np.float64)
                for n in FEATURE_NAMES
            ]
        )
        if ids
        else np.zeros((0, len(FEATURE_NAMES)))
    )
    n_calls = features.column("n_calls").to_numpy(zero_copy_only=False).astype(np.float64)
    content = np.zeros(len(ids), dtype=bool)
    for family in CONTENT_FAMILIES:
        content |= features.column(f"{family}_share").to_numpy(zero_copy_only=False) > 0
    peers = [str(p) for p in features.column("peer").to_pylist()]
    comparison = compare(values, peers, ~content, settings.integer("detect.min_peers"))
    scores = score_accounts(comparison, n_calls, settings)
    say("costly links on candidates")
    candidate = scores.score >= settings.number("detect.candidate_score")
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
    links = in_graph(links, set(candidates))
    say("clusters")
    clusters = partition(
        links, index, settings.integer("detect.seed"), settings.number("detect.leiden_resolution")
    )
    cluster_of = np.full(len(ids), -1, dtype=np.int64)
    unverified = features.column("unverified").to_numpy(zero_copy_only=False).astype(np.float64)
    has_content = scores.families["content"] > 0
    evidence = ClusterEvidence(
        np.zeros(len(clusters)), np.zeros(len(clusters)), np.zeros(len(clusters))
    )
    for k, cluster in enumerate(clusters):
        cluster_of[cluster.members] = k
        result = cluster_score(
            cluster, scores.score[cluster.members], float(unverified[cluster.members].mean())
        )
        evidence.score[k] = result.score
        evidence.operator[k] = result.operator
        evidence.content_share[k] = float(has_content[cluster.members].mean())
    tied = tied_by_operator(links, index)
    decisions = decide(scores.score, tied, evidence, cluster_of, Thresholds.from_settings(settings))
    cluster_scores = evidence.score
    limit = settings.integer("detect.reasons")
    examples = {
        c: features.column(c).to_pylist() for c in features.column_names if c.startswith("ex_")
    }
    reasons = [account_reasons(i, comparison, scores, examples, limit) for i in range(len(ids))]
    kinds_of: dict[int, set[str]] = {}
    link_accounts = links.column("account_id").to_pylist()
    for account, kind in zip(link_accounts, links.column("kind").to_pylist(), strict=True):
        kinds_of.setdefault(index[account], set()).add(kind)
    for i, verdict in enumerate(decisions.verdict):
        if verdict == "campaign":
            k = int(cluster_of[i])
            tie = _membership_reason(clusters[k], cluster_scores[k], kinds_of.get(i, set()))
            reasons[i] = [tie, *reasons[i]][:limit]
    report.accounts = len(ids)
    report.links = links.num_rows
    report.clusters = len(clusters)
    report.flagged_accounts = int(decisions.flagged.sum())
    report.flagged_clusters = int(decisions.cluster_flagged.sum())
    report.verdicts = dict(Counter(decisions.verdict))
    account_table = pa.table(
        {
            "account_id": ids,
            "peer": peers,
            "n_interactions": n_calls.astype(np.int64),
            "score": np.round(scores.score, 6),
            "flagged": decisions.flagged,
            "verdict": decisions.verdict,
            "cluster_id": [clusters[k].cluster_id if k >= 0 else None for k in cluster_of.tolist()],
            "reasons": [_json(r) for r in reasons],
        },
        schema=SCORED_ACCOUNTS,
    )
    cluster_table = _cluster_table(
        clusters, cluster_scores, decisions.cluster_flagged, scores.score, n_calls, reasons, limit
    )
    return {
        "account_scores": account_table,
        "clusters": cluster_table,
        "links": links.select(LINKS.names).cast(LINKS),
        "account_features": features,
    }


def _membership_reason(cluster: Cluster, score: float, kinds: set[str]) -> dict[str, Any]:
    """Why a member was flagged with its cluster: the cluster and the links that tie it in."""
    return {
        "kind": "cluster",
        "name": "member_of_flagged_cluster",
        "value": round(float(score), 4),
        "baseline": None,
        "evidence": round(float(score), 4),
        "detail": f"member of flagged cluster {cluster.cluster_id} ({len(cluster.members)} "
        f"accounts, score {score:.3f}); linked to it by {', '.join(sorted(kinds)) or '-'}",
        "examples": [],
    }


def _cluster_table(
    clusters: list[Cluster],
    cluster_scores: np.ndarray,
    flagged: np.ndarray,
    account_scores: np.ndarray,
    n_calls: np.ndarray,
    member_reasons: list[list[dict[str, Any]]],
    limit: int,
) -> pa.Table:
    rows: dict[str, list[Any]] = {name: [] for name in CLUSTERS.names}
    for k, cluster in enumerate(clusters):
        members = cluster.members
        common: Counter[str] = Counter()
        example: dict[str, list[str]] = {}
        for i in members:
            for reason in member_reasons[i]:
                common[reason["name"]] += 1
                if reason["examples"] and len(example.setdefault(reason["name"], [])) < 3:
                    example[reason["name"]].extend(reason["examples"][:1])
        reasons = link_reasons(cluster)
        reasons.append(
            {
                "kind": "members",
                "name": "member_scores",
                "value": round(float(np.median(account_scores[members])), 4),
                "baseline": None,
                "evidence": round(float(np.median(account_scores[members])), 4),
                "detail": f"median score of its {len(members)} accounts; "
                f"{int((account_scores[members] >= 0.5).sum())} score 0.5 or more",
                "examples": [],
            }
        )
        for name, count in common.most_common(limit):
            reasons.append(
                {
                    "kind": "members",
                    "name": name,
                    "value": round(count / len(members), 4),
                    "baseline": None,
                    "evidence": None,
                    "detail": f"{count} of {len(members)} accounts have this reason",
                    "examples": example.get(name, []),
                }
            )
        rows["cluster_id"].append(cluster.cluster_id)
        rows["n_accounts"].append(len(members))
        rows["n_interactions"].append(int(n_calls[members].sum()))
        rows["score"].append(round(float(cluster_scores[k]), 6))
        rows["flagged"].append(bool(flagged[k]))
        rows["link_kinds"].append(sorted(cluster.kinds))
        rows["reasons"].append(_json(reasons))
    return pa.table(rows, schema=CLUSTERS)
