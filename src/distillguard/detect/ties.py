"""What ties each member to its cluster, and how strongly: the member's own link evidence.

A member's *ties* are the *specific* entities it shares with at least one other member of
its cluster: those whose specificity reaches ``detect.specific`` (:mod:`specificity`), so an
entity that a clean, unrelated group of accounts also uses ties no one. Each tie counts
``weight(kind) x specificity(entity)`` (:mod:`links`); per kind only the strongest tie
counts, and kinds combine as a noisy-OR into ``tie`` in [0, 1]. Taking the strongest per
kind, not a sum, is deliberate: a CI bot that shares twenty cloud addresses with a campaign
is tied no more than by one of them. A reference account (clean but for its links) is its
own witness, so nothing it shares is ever specific: it is never carried by its links.

``operator_ties`` counts the strong ties: 2 per shared card; and, for a *fresh* account only
(signed up less than ``detect.fresh_days`` before its first call: the accounts a pool
creates and burns through), 1 per address shared on the same day (a cloud address counts only
once its specificity shows the pool's own use: several suspect accounts, no clean group).
``decide.py`` lets such ties alone carry an account into its cluster's verdict when they
reach :data:`OPERATOR_TIES`: a card, or a fresh account rotating through two or more of the
pool's addresses. One shared line never carries anyone, and an established account is never
carried by addresses alone: residential proxy networks run on real people's lines, so a
customer's home line can be a pool's exit on the very days the pool uses it.
``operator_links`` counts the specific cards and addresses a member shares with the others,
fresh or not: with the member's own synchrony (:mod:`synchrony`) they are own evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from distillguard.detect.core import Reason, rounded
from distillguard.detect.links import WEIGHTS

OPERATOR_TIES: Final = 2.0
TIE_COUNTS: Final = {"payment": 2.0, "ip": 1.0, "hosting_ip": 1.0}  # per specific entity
TOP_TIES: Final = 3  # ties named in a member's reason


@dataclass(frozen=True)
class Ties:
    """Per account: tie strength to its cluster, specific operator ties, the ties themselves."""

    tie: npt.NDArray[np.float64]
    operator: npt.NDArray[np.float64]
    reasons: list[list[Reason]]
    operator_links: npt.NDArray[np.int64]  # specific cards and addresses shared, fresh or not


def member_ties(
    links: pa.Table,
    index: dict[str, int],
    cluster_of: npt.NDArray[np.int64],
    fresh: npt.NDArray[np.bool_],
    specific: float,
) -> Ties:
    """The ties of every account (module doc); ``cluster_of`` is -1 for unclustered ones,
    ``fresh`` marks accounts signed up just before their first call."""
    n = len(index)
    tie = np.zeros(n)
    operator = np.zeros(n)
    operator_links = np.zeros(n, dtype=np.int64)
    reasons: list[list[Reason]] = [[] for _ in range(n)]
    if links.num_rows == 0:
        return Ties(tie, operator, reasons, operator_links)
    rows = pc.fill_null(pc.index_in(links.column("account_id"), pa.array(list(index))), -1)
    account = rows.to_numpy(zero_copy_only=False)
    cluster = np.where(account >= 0, cluster_of[np.maximum(account, 0)], -1)
    table = pa.table(
        {
            "account": account,
            "cluster": cluster,
            "kind": links.column("kind"),
            "entity": links.column("entity"),
            "specificity": links.column("specificity"),
            "example": links.column("example_request_id"),
        }
    ).filter(pc.greater_equal(pa.array(cluster), 0))
    # entities shared within one cluster: at least two of its members hold them
    counts = table.group_by(["cluster", "kind", "entity"]).aggregate([("account", "count")])
    table = table.join(counts, ["cluster", "kind", "entity"])
    table = table.filter(pc.greater_equal(table.column("account_count"), 2))
    strengths = np.array(
        [WEIGHTS[k] for k in table.column("kind").to_pylist()], dtype=np.float64
    ) * table.column("specificity").to_numpy(zero_copy_only=False)
    best: dict[tuple[int, str], tuple[float, str, float, str | None, int]] = {}
    accounts = table.column("account").to_pylist()
    kinds = table.column("kind").to_pylist()
    entities = table.column("entity").to_pylist()
    specs = table.column("specificity").to_pylist()
    examples = table.column("example").to_pylist()
    shared_by = table.column("account_count").to_pylist()
    for i, kind, entity, spec, example, strength, members in zip(
        accounts, kinds, entities, specs, examples, strengths.tolist(), shared_by, strict=True
    ):
        if kind in TIE_COUNTS and spec >= specific:
            operator_links[i] += 1
            if kind == "payment" or fresh[i]:
                operator[i] += TIE_COUNTS[kind]
        if spec < specific:
            continue
        key = (i, kind)
        if key not in best or strength > best[key][0]:
            best[key] = (strength, entity, spec, example, members)
    keep = np.ones(n)
    per_account: dict[int, list[tuple[float, str, str, float, str | None, int]]] = {}
    for (i, kind), (strength, entity, spec, example, members) in best.items():
        keep[i] *= 1.0 - strength
        per_account.setdefault(i, []).append((strength, kind, entity, spec, example, members))
    tie = 1.0 - keep
    for i, found in per_account.items():
        found.sort(key=lambda t: (-t[0], t[1], t[2]))
        reasons[i] = [
            Reason(
                "tie",
                kind,
                f"shares {kind} {entity} with {members - 1} other member(s) of its cluster; "
                f"specificity {spec:.2f} (1: only suspect accounts use it; it halves with "
                "each clean, unrelated account that does)",
                value=rounded(strength),
                evidence=rounded(strength),
                specificity=rounded(spec),
                examples=(example,) if example else (),
            )
            for strength, kind, entity, spec, example, members in found[:TOP_TIES]
        ]
    return Ties(tie, operator, reasons, operator_links)
