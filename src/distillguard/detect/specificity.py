"""How much a shared entity says "one operator": its specificity, learned from the workspace.

A shared card, address or prompt links accounts; whether the link means *one operator*
depends on who else uses the entity. A cloud egress address, a campus NAT, a public benchmark
prompt or a popular system prompt is used by many accounts that are otherwise clean; a proxy
pool's addresses and a harness's template are used by the pool alone. So every entity is
weighed against the **clean reference population** of the same workspace:

- an account is *reference* when nothing but its links could make it suspect: no call
  carrying a content signal, verified, established (signed up at least
  ``detect.established_days`` before its first call), own score below
  ``detect.account_threshold``; or labelled benign by an analyst, or trusted. Accounts
  labelled campaign never are. The definition uses no link, so it cannot be circular.
- reference accounts are *witnesses* for the entities they share, counted by **group**:
  reference accounts tied to each other by a card or a residential / other address (kinds
  whose prior is 1) are one group, since they may be one family, one team or one quiet pool;
  reference accounts that only share cloud addresses stay apart (CI runners of unrelated
  companies on one cloud pool are unrelated). ``witnesses(e)`` is the number of distinct
  groups among the entity's reference members.
- ``specificity(e) = (1 - (1 - prior(kind)) ** suspects(e)) / (1 + witnesses(e))``, where
  ``suspects`` counts the members that are not reference accounts. For most kinds the prior is 1, so
  this is 1 for an entity only suspect accounts share, 1/2 once one clean, unrelated account
  also uses it, near 0 for what many clean accounts send. Addresses inside the shipped
  hosting ranges (iporigin) have prior 0.2, because cloud pools are shared by design: such
  an address becomes specific only as more suspect accounts and no clean ones use it
  (0.2 for one, 0.59 for four, 0.89 for ten), so a campaign's rented servers still tie its
  accounts while the CI runners and serverless jobs on the same cloud do not.
- an entity that an account labelled campaign shares counts no witnesses (the analyst has
  decided who operates it).

The result is one column, ``specificity``, on the links table; the cluster graph, the
membership ties and the cluster's coordination all read it.
"""

from __future__ import annotations

from typing import Final

import duckdb
import igraph as ig
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from distillguard.detect.links import LINK_KINDS

GROUPING_KINDS: Final = tuple(k.name for k in LINK_KINDS if k.operator and k.prior >= 1.0)
"""Kinds that make reference accounts one group: cards and addresses not shared by design."""


def reference_accounts(
    score: npt.NDArray[np.float64],
    content: npt.NDArray[np.bool_],
    unverified: npt.NDArray[np.float64],
    age_days: npt.NDArray[np.float64],
    label: list[str | None],
    account_threshold: float,
    established_days: float,
) -> npt.NDArray[np.bool_]:
    """Per account: whether it belongs to the clean reference population (module doc)."""
    benign = np.array([v == "benign" for v in label], dtype=bool)
    campaign = np.array([v == "campaign" for v in label], dtype=bool)
    clean = (
        ~content
        & (unverified < 0.5)
        & (np.nan_to_num(age_days, nan=0.0) >= established_days)
        & (score < account_threshold)
    )
    result: npt.NDArray[np.bool_] = (clean | benign) & ~campaign
    return result


def reference_groups(links: pa.Table, account_ids: list[str], reference: pa.Array) -> pa.Array:
    """Per account: its witness group (module doc); null for accounts outside the reference."""
    is_reference = reference.to_pylist()
    index = {a: i for i, a in enumerate(account_ids) if is_reference[i]}
    grouping = links.filter(pc.is_in(links.column("kind"), pa.array(GROUPING_KINDS)))
    edges: list[tuple[int, int]] = []
    entity: dict[tuple[str, str], int] = {}
    n = len(account_ids)
    for account, kind, value in zip(
        grouping.column("account_id").to_pylist(),
        grouping.column("kind").to_pylist(),
        grouping.column("entity").to_pylist(),
        strict=True,
    ):
        i = index.get(account)
        if i is not None:
            edges.append((i, entity.setdefault((kind, value), n + len(entity))))
    graph = ig.Graph(n=n + len(entity), edges=edges)
    membership = graph.connected_components().membership
    return pa.array([membership[i] if is_reference[i] else None for i in range(n)], pa.int64())


def with_specificity(
    con: duckdb.DuckDBPyConnection, links: pa.Table, accounts: pa.Table
) -> pa.Table:
    """``links`` with a ``specificity`` column (module doc).

    ``accounts`` holds ``account_id``, ``reference`` (bool) and ``campaign`` (bool: labelled
    campaign) for every scanned account.
    """
    accounts = accounts.append_column(
        "witness_group",
        reference_groups(
            links, accounts.column("account_id").to_pylist(), accounts.column("reference")
        ),
    )
    priors = pa.table(
        {
            "kind": [k.name for k in LINK_KINDS],
            "prior": pa.array([k.prior for k in LINK_KINDS], pa.float64()),
        }
    )
    con.register("spec_links", links)
    con.register("spec_accounts", accounts)
    con.register("spec_priors", priors)
    try:
        return con.sql(
            """
            WITH entities AS (
                SELECT l.kind, l.entity,
                       count(DISTINCT a.witness_group) AS witnesses,
                       count(*) FILTER (WHERE NOT coalesce(a.reference, false)) AS suspects,
                       bool_or(coalesce(a.campaign, false)) AS labelled
                FROM spec_links l LEFT JOIN spec_accounts a USING (account_id)
                GROUP BY l.kind, l.entity
            )
            SELECT l.*,
                   round((1 - pow(1 - p.prior, greatest(e.suspects, 1)))
                         / CASE WHEN e.labelled THEN 1 ELSE 1 + e.witnesses END, 6)
                       AS specificity
            FROM spec_links l
            JOIN entities e USING (kind, entity)
            JOIN spec_priors p USING (kind)
            """
        ).to_arrow_table()
    finally:
        for name in ("spec_links", "spec_accounts", "spec_priors"):
            con.unregister(name)
