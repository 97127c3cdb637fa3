"""Readable explanations of the latest scan's verdict on one account or one cluster.

``explain_account`` and ``explain_cluster`` return plain data (the row, its reasons parsed,
and for a cluster its top members and link entities; for an account its cluster and links),
and ``lines`` turns a reason into the sentence an analyst reads:

    elicitation_share = 0.81 (peers build/none//v1/chat/completions: 0) — Share of calls
    carrying an elicitation signal ... e.g. req_0a1b, req_9f8e
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from distillguard.workspace import Workspace

TOP_MEMBERS = 10
TOP_LINKS = 10
SAMPLE_CHARS = 100
TEXT_KINDS = ("skeleton", "system_prompt", "near_duplicate", "signal_profile")
"""Link kinds whose entity is best shown by the text of an example call."""


class NotFoundError(LookupError):
    """No such account or cluster in the latest scan (or no scan at all)."""


@dataclass(frozen=True)
class Explanation:
    kind: str  # "account" | "cluster"
    row: dict[str, Any]
    reasons: list[dict[str, Any]]
    related: list[dict[str, Any]]  # account: its links; cluster: its top members
    links: list[dict[str, Any]]  # shared entities (cluster: the most shared)


def _rows(ws: Workspace, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with ws.connect() as con:
        cursor = con.execute(sql, params)
        names = [d[0] for d in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _with_samples(ws: Workspace, links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``sample``: the start of the example call's prompt, for text-based link kinds."""
    wanted = [
        link["example_request_id"]
        for link in links
        if link["kind"] in TEXT_KINDS and link["example_request_id"]
    ]
    samples: dict[str, str] = {}
    if wanted:
        rows = _rows(
            ws,
            "SELECT request_id, left(concat_ws(' | ', system_prompt, user_text), ?) AS sample "
            "FROM interactions WHERE list_contains(?, request_id)",
            [SAMPLE_CHARS, wanted],
        )
        samples = {r["request_id"]: r["sample"] for r in rows}
    return [{**link, "sample": samples.get(link["example_request_id"] or "")} for link in links]


def _one(ws: Workspace, table: str, key: str, ident: str, what: str) -> dict[str, Any]:
    """The latest scan's row of ``table`` whose ``key`` is ``ident``, or a clear error."""
    ws.require()
    if ws.latest_scan() is None:
        raise NotFoundError(f"{ws.root} has not been scanned yet; run `distillguard scan`")
    rows = _rows(ws, f"SELECT * FROM {table} WHERE {key} = ?", [ident])
    if not rows:
        raise NotFoundError(f"{what} {ident!r} is not in the latest scan")
    return rows[0]


def explain_account(ws: Workspace, account_id: str) -> Explanation:
    """The account's score, verdict, reasons, cluster and links."""
    row = _one(ws, "account_scores", "account_id", account_id, "account")
    links = _rows(
        ws,
        "SELECT kind, entity, n_accounts, specificity, example_request_id FROM links "
        "WHERE account_id = ? ORDER BY specificity DESC, n_accounts DESC, kind, entity LIMIT ?",
        [account_id, TOP_LINKS],
    )
    links = _with_samples(ws, links)
    return Explanation("account", row, list(row["reasons"]), links, links)


def explain_cluster(ws: Workspace, cluster_id: str) -> Explanation:
    """The cluster's score, reasons, top members and most shared entities."""
    row = _one(ws, "clusters", "cluster_id", cluster_id, "cluster")
    members = _rows(
        ws,
        "SELECT account_id, score, flagged, verdict, n_interactions FROM account_scores "
        "WHERE cluster_id = ? ORDER BY score DESC, account_id LIMIT ?",
        [cluster_id, TOP_MEMBERS],
    )
    links = _rows(
        ws,
        "SELECT l.kind, l.entity, count(*) AS members, any_value(l.specificity) AS specificity, "
        "any_value(l.example_request_id) AS example_request_id "
        "FROM links AS l JOIN account_scores AS a USING (account_id) "
        "WHERE a.cluster_id = ? GROUP BY ALL ORDER BY members DESC, kind, entity LIMIT ?",
        [cluster_id, TOP_LINKS],
    )
    return Explanation("cluster", row, list(row["reasons"]), members, _with_samples(ws, links))


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "-" if value is None else str(value)


def sentence(reason: dict[str, Any]) -> str:
    """One reason as a line of text."""
    name = reason.get("name", "?")
    value = _number(reason.get("value"))
    baseline = reason.get("baseline")
    peer = reason.get("peer")
    compared = ""
    if baseline is not None:
        compared = f" (peers {peer}: {_number(baseline)})" if peer else f" (baseline {baseline})"
    examples = reason.get("examples") or []
    spec = reason.get("specificity")
    if spec is not None:
        compared += f" [specificity {_number(spec)}]"
    tail = f" e.g. {', '.join(examples)}" if examples else ""
    return f"{name} = {value}{compared}: {reason.get('detail', '')}{tail}"
