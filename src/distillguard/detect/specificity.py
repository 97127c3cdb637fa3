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
- a reference account is a *witness* for the entities it shares when it is not itself tied
  to others by two or more cards or addresses (a pool member that happens to be verified and
  old is tied to the pool by many addresses; a person whose home line was once a proxy's exit
  shares that one line).
- ``specificity(e) = (1 - (1 - prior(kind)) ** suspects(e)) / (1 + witnesses(e))``, where
  ``suspects`` counts the members that are not witnesses. For most kinds the prior is 1, so
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
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from distillguard.detect.links import LINK_KINDS, OPERATOR_KINDS

RELATED_TIES: Final = 2  # cards / addresses shared with others from which a witness is related


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


def with_specificity(
    con: duckdb.DuckDBPyConnection, links: pa.Table, accounts: pa.Table
) -> pa.Table:
    """``links`` with a ``specificity`` column (module doc).

    ``accounts`` holds ``account_id``, ``reference`` (bool) and ``campaign`` (bool: labelled
    campaign) for every scanned account.
    """
    priors = pa.table(
        {
            "kind": [k.name for k in LINK_KINDS],
            "prior": pa.array([k.prior for k in LINK_KINDS], pa.float64()),
        }
    )
    operator = ", ".join(f"'{k}'" for k in OPERATOR_KINDS)
    con.register("spec_links", links)
    con.register("spec_accounts", accounts)
    con.register("spec_priors", priors)
    try:
        return con.sql(
            f"""
            WITH ties AS (
                SELECT account_id, count(DISTINCT kind || chr(31) || entity) AS n
                FROM spec_links WHERE kind IN ({operator}) GROUP BY account_id
            ),
            who AS (
                SELECT a.account_id, a.campaign,
                       a.reference AND coalesce(t.n, 0) < {RELATED_TIES} AS witness
                FROM spec_accounts a LEFT JOIN ties t USING (account_id)
            ),
            entities AS (
                SELECT l.kind, l.entity,
                       count(*) FILTER (WHERE w.witness) AS witnesses,
                       count(*) FILTER (WHERE NOT coalesce(w.witness, false)) AS suspects,
                       bool_or(coalesce(w.campaign, false)) AS labelled
                FROM spec_links l LEFT JOIN who w USING (account_id)
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
