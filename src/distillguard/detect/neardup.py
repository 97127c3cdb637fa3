"""The cascade's costly links, on candidate accounts only: near-duplicate prompt sets and
synchronized activity, both found with MinHash LSH (datasketch).

- **near_duplicate**: up to ``detect.sample_prompts`` prompts per candidate account (chosen by
  a hash of the request id, so the sample is stable), cut into word 3-gram shingles after
  normalization. An account's *template* is the set of shingles that recur in at least
  ``TEMPLATE_SHARE`` of its sampled prompts (the wrapper around the tasks, not the tasks);
  accounts whose templates reach Jaccard ``NEAR_DUP_JACCARD`` are linked. One prompt
  template spread over many accounts, with different tasks and small variations, shows up
  here even when no skeleton repeats exactly.
- **synchronized**: the set of minutes in which each candidate account called; accounts whose
  minute sets reach Jaccard ``SYNC_JACCARD`` (far above what independent accounts of that
  volume share) are linked: one controller dispatching to many accounts.

Pairs found by LSH are joined into groups (union-find); a group is one entity of the link
kind, named after its smallest account id. Only candidates' text is read again, so the cost
grows with the number of candidates, not with the workspace.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Final

import duckdb
import pyarrow as pa
from datasketch import MinHash, MinHashLSH

from distillguard.settings import Settings

NUM_PERM: Final = 64
NEAR_DUP_JACCARD: Final = 0.5
SYNC_JACCARD: Final = 0.3
SHINGLE_WORDS: Final = 3
TEMPLATE_SHARE: Final = 0.2
MIN_TEMPLATE: Final = 5  # fewer recurring shingles than this: the account has no template
SAMPLE_CHARS: Final = 400
MIN_ACTIVE_MINUTES: Final = 10
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")

LINK_SCHEMA = pa.schema(
    [
        pa.field("account_id", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("entity", pa.string(), nullable=False),
        pa.field("n_accounts", pa.int64(), nullable=False),
        pa.field("example_request_id", pa.string()),
    ]
)


def shingles(text: str) -> set[bytes]:
    """Word 3-grams of ``text``, lower-cased with digit runs folded."""
    words = _WORD.findall(_DIGITS.sub("0", text.lower()))
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def _find(parent: dict[str, str], a: str) -> str:
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


def lsh_groups(sets: dict[str, set[bytes]], threshold: float, seed: int) -> list[list[str]]:
    """Groups (2+ accounts) joined by LSH pairs whose estimated Jaccard reaches ``threshold``."""
    keys = sorted(k for k, v in sets.items() if v)
    if len(keys) < 2:
        return []
    hashes = dict(
        zip(keys, MinHash.bulk([sets[k] for k in keys], num_perm=NUM_PERM, seed=seed), strict=True)
    )
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for key in keys:
        lsh.insert(key, hashes[key])
    parent = {k: k for k in keys}
    for key in keys:
        for other in lsh.query(hashes[key]):
            if other != key and hashes[key].jaccard(hashes[other]) >= threshold:
                parent[_find(parent, key)] = _find(parent, other)
    groups: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        groups[_find(parent, key)].append(key)
    return [sorted(g) for g in groups.values() if len(g) >= 2]


def _memberships(
    kind: str, groups: Iterable[list[str]], examples: dict[str, str | None]
) -> dict[str, list[object]]:
    rows: dict[str, list[object]] = {name: [] for name in LINK_SCHEMA.names}
    for group in groups:
        entity = f"{kind}:{group[0]}"
        for account in group:
            rows["account_id"].append(account)
            rows["kind"].append(kind)
            rows["entity"].append(entity)
            rows["n_accounts"].append(len(group))
            rows["example_request_id"].append(examples.get(account))
    return rows


def _prompt_sets(
    con: duckdb.DuckDBPyConnection, sample: int
) -> tuple[dict[str, set[bytes]], dict[str, str | None]]:
    rows = con.execute(
        f"""SELECT account_id, request_id, left(user_text, {SAMPLE_CHARS}) FROM (
                SELECT i.account_id, i.request_id, i.user_text, row_number() OVER (
                    PARTITION BY i.account_id ORDER BY hash(i.request_id)) AS rank
                FROM interactions AS i SEMI JOIN candidates AS c ON i.account_id = c.account_id
                WHERE i.user_text IS NOT NULL)
            WHERE rank <= {int(sample)}"""
    ).fetchall()
    counts: dict[str, Counter[bytes]] = defaultdict(Counter)
    prompts: Counter[str] = Counter()
    examples: dict[str, str | None] = {}
    for account, request_id, text in rows:
        counts[account].update(shingles(text))
        prompts[account] += 1
        examples.setdefault(account, request_id)
    return {a: template(c, prompts[a]) for a, c in counts.items()}, examples


def template(counts: Counter[bytes], prompts: int) -> set[bytes]:
    """The shingles that recur in at least ``TEMPLATE_SHARE`` of an account's prompts."""
    least = max(2, math.ceil(TEMPLATE_SHARE * prompts))
    recurring = {s for s, n in counts.items() if n >= least}
    return recurring if len(recurring) >= MIN_TEMPLATE else set()


def _minute_sets(con: duckdb.DuckDBPyConnection) -> dict[str, set[bytes]]:
    rows = con.execute(
        f"""SELECT account_id, list(DISTINCT minute) FROM calls
            SEMI JOIN candidates USING (account_id)
            GROUP BY account_id HAVING count(DISTINCT minute) >= {MIN_ACTIVE_MINUTES}"""
    ).fetchall()
    return {account: {str(m).encode() for m in minutes} for account, minutes in rows}


def costly_links(
    con: duckdb.DuckDBPyConnection, candidates: list[str], settings: Settings
) -> pa.Table:
    """near_duplicate and synchronized memberships among ``candidates``."""
    if len(candidates) < 2:
        return LINK_SCHEMA.empty_table()
    con.register("candidates", pa.table({"account_id": pa.array(candidates, pa.string())}))
    seed = settings.integer("detect.seed")
    try:
        prompts, examples = _prompt_sets(con, settings.integer("detect.sample_prompts"))
        rows = _memberships("near_duplicate", lsh_groups(prompts, NEAR_DUP_JACCARD, seed), examples)
        synced = _memberships("synchronized", lsh_groups(_minute_sets(con), SYNC_JACCARD, seed), {})
    finally:
        con.unregister("candidates")
    for name in LINK_SCHEMA.names:
        rows[name].extend(synced[name])
    return pa.table(rows, schema=LINK_SCHEMA)
