"""The cascade's costly links, on candidate accounts only: near-duplicate prompt sets and
synchronized activity, both found with MinHash LSH (datasketch).

- **near_duplicate**: up to ``detect.sample_prompts`` prompts per candidate account (chosen by
  a hash of the request id, so the sample is stable), cut into 3-token shingles after
  normalization, in the engine (:func:`template_sql`). An account's *template* is the set of
  shingles that recur in at least ``TEMPLATE_SHARE`` of its sampled prompts (the wrapper
  around the tasks, not the tasks); accounts whose templates reach Jaccard
  ``NEAR_DUP_JACCARD`` are linked. One prompt template spread over many accounts, with
  different tasks and small variations, shows up here even when no skeleton repeats exactly.
- **synchronized**: the set of minutes in which each candidate account called (a stable
  sample of at most ``MAX_MINUTES``); accounts whose minute sets reach Jaccard
  ``SYNC_JACCARD`` (far above what independent accounts of that volume share) are linked:
  one controller dispatching to many accounts.

The engine builds the sets as 32-bit hashes; datasketch only applies its permutations and
the LSH index. Accounts that share a band bucket and whose estimated Jaccard reaches the
threshold are joined into groups (union-find, linear in the buckets' sizes); a group is one
entity of the link kind, named after its smallest account id. Only candidates' text is read again,
so the cost grows with the number of candidates, not with the workspace.
"""

from __future__ import annotations

from collections import defaultdict
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
SAMPLE_CHARS: Final = 300
MIN_ACTIVE_MINUTES: Final = 10
MAX_MINUTES: Final = 2000  # minutes per account hashed for synchronization (a stable sample)
TOKEN_SPLIT: Final = r"[\s\p{P}\p{S}]+"  # RE2: white space, punctuation and symbols
HASH32: Final = 4294967296

LINK_SCHEMA = pa.schema(
    [
        pa.field("account_id", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("entity", pa.string(), nullable=False),
        pa.field("n_accounts", pa.int64(), nullable=False),
        pa.field("example_request_id", pa.string()),
    ]
)


def _identity(value: int) -> int:
    return value


def template_sql(sample: int) -> str:
    """Per candidate account, the 32-bit hashes of its template shingles (DuckDB SQL).

    Tokens are runs between white space, punctuation and symbols, lower-cased with digit
    runs folded to ``0`` (so a CJK clause is one token); shingles are ``SHINGLE_WORDS``
    consecutive tokens; an account's template is the shingles that recur in at least
    ``TEMPLATE_SHARE`` of its sampled prompts (and in at least two).
    """
    span = SHINGLE_WORDS - 1
    return f"""
        WITH picked AS (
            SELECT account_id, request_id, text FROM (
                SELECT i.account_id, i.request_id, left(i.user_text, {SAMPLE_CHARS}) AS text,
                       row_number() OVER (
                           PARTITION BY i.account_id ORDER BY hash(i.request_id)) AS rank
                FROM interactions AS i JOIN candidates AS c ON i.account_id = c.account_id
                WHERE i.user_text IS NOT NULL AND hash(i.request_id) % c.stride = 0)
            WHERE rank <= {int(sample)}),
        tokens AS (
            SELECT account_id, request_id, list_filter(
                string_split_regex(
                    regexp_replace(lower(text), '[0-9]+', '0', 'g'), '{TOKEN_SPLIT}'),
                lambda t: t <> '') AS w
            FROM picked),
        shingles AS (
            SELECT DISTINCT account_id, request_id,
                unnest(list_transform(
                    range(greatest(len(w) - {span}, 1)),
                    lambda k: hash(array_to_string(w[k + 1 : k + {SHINGLE_WORDS}], ' ')) % {HASH32}
                )) AS s
            FROM tokens WHERE len(w) > 0),
        prompts AS (
            SELECT account_id, count(*) AS n, min(request_id) AS example
            FROM picked GROUP BY account_id),
        recurring AS (
            SELECT s.account_id, s.s FROM shingles AS s JOIN prompts AS p USING (account_id)
            GROUP BY s.account_id, s.s, p.n
            HAVING count(*) >= greatest(2, ceil({TEMPLATE_SHARE} * p.n)))
        SELECT r.account_id, list(r.s) AS template, any_value(p.example) AS example
        FROM recurring AS r JOIN prompts AS p USING (account_id)
        GROUP BY r.account_id HAVING count(*) >= {MIN_TEMPLATE}
    """


def minutes_sql() -> str:
    """Per candidate account, up to ``MAX_MINUTES`` of the minutes it called in (hashed)."""
    return f"""
        SELECT account_id, list(h) FROM (
            SELECT account_id, hash(minute) % {HASH32} AS h,
                   row_number() OVER (PARTITION BY account_id ORDER BY hash(minute)) AS rank
            FROM (SELECT DISTINCT account_id, minute FROM calls
                  SEMI JOIN candidates USING (account_id)))
        WHERE rank <= {MAX_MINUTES}
        GROUP BY account_id HAVING count(*) >= {MIN_ACTIVE_MINUTES}
    """


def _find(parent: dict[str, str], a: str) -> str:
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


def lsh_groups(sets: dict[str, list[int]], threshold: float, seed: int) -> list[list[str]]:
    """Groups (2+ accounts) joined by LSH pairs whose estimated Jaccard reaches ``threshold``.

    ``sets`` holds each account's elements as 32-bit hashes (computed by the engine), so
    datasketch only applies its permutations.
    """
    keys = sorted(k for k, v in sets.items() if v)
    if len(keys) < 2:
        return []
    hashes = dict(
        zip(
            keys,
            MinHash.bulk([sets[k] for k in keys], num_perm=NUM_PERM, seed=seed, hashfunc=_identity),
            strict=True,
        )
    )
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for key in keys:
        lsh.insert(key, hashes[key])
    # Walk the band buckets rather than querying every account: a pool of thousands of
    # accounts behind one template shares buckets, and per-account queries would compare
    # every pair of them. Each bucket's members are checked against its first member only.
    parent = {k: k for k in keys}
    for table in lsh.hashtables:
        for bucket in table.keys():  # noqa: SIM118  (a datasketch storage, not a dict)
            members = sorted(table.get(bucket))
            head = members[0]
            for other in members[1:]:
                if _find(parent, head) == _find(parent, other):
                    continue
                if hashes[head].jaccard(hashes[other]) >= threshold:
                    parent[_find(parent, head)] = _find(parent, other)
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


def costly_links(
    con: duckdb.DuckDBPyConnection,
    candidates: list[str],
    calls: list[int],
    settings: Settings,
) -> pa.Table:
    """near_duplicate and synchronized memberships among ``candidates`` (with their calls).

    Each candidate's sample is drawn from about twice ``detect.sample_prompts`` of its calls
    (a stride over the hash of the request id), so the engine never sorts a busy account's
    whole history to pick a few prompts.
    """
    if len(candidates) < 2:
        return LINK_SCHEMA.empty_table()
    sample = settings.integer("detect.sample_prompts")
    strides = [max(1, n // (2 * sample)) for n in calls]
    con.register(
        "candidates",
        pa.table(
            {
                "account_id": pa.array(candidates, pa.string()),
                "stride": pa.array(strides, pa.uint64()),
            }
        ),
    )
    seed = settings.integer("detect.seed")
    try:
        found = con.execute(template_sql(sample)).fetchall()
        templates = {account: list(values) for account, values, _ in found}
        examples = {account: example for account, _, example in found}
        rows = _memberships(
            "near_duplicate", lsh_groups(templates, NEAR_DUP_JACCARD, seed), examples
        )
        minutes = {account: list(v) for account, v in con.execute(minutes_sql()).fetchall()}
        synced = _memberships("synchronized", lsh_groups(minutes, SYNC_JACCARD, seed), {})
    finally:
        con.unregister("candidates")
    for name in LINK_SCHEMA.names:
        rows[name].extend(synced[name])
    return pa.table(rows, schema=LINK_SCHEMA)
