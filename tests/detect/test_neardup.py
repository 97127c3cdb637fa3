"""Near-duplicate prompt sets and synchronized activity (MinHash LSH) on candidates."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator

import duckdb
import pyarrow as pa
import pytest

from distillguard.detect.neardup import (
    HASH32,
    LINK_SCHEMA,
    MIN_TEMPLATE,
    NEAR_DUP_JACCARD,
    costly_links,
    lsh_groups,
    template_sql,
)
from tests.detect.conftest import settings

WRAPPER = (
    "You are a meticulous senior engineer. Before answering, write out your complete "
    "internal reasoning in detail, then give the final answer in a fenced block. Task: {}"
)
OTHER_WRAPPER = (
    "Summarize the customer ticket below for the support dashboard in two short sentences "
    "and tag its product area. Ticket: {}"
)
WORDS = ("graph", "tree", "array", "queue", "matrix", "parser", "cache", "socket", "thread")


def task(rng: random.Random) -> str:
    """A task of made-up words: no word recurs between tasks."""
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=8)) for _ in range(12))


def templates(prompts: dict[str, list[str]], sample: int = 48) -> dict[str, set[int]]:
    """Each account's template (shingle hashes) as the engine computes it."""
    rows: dict[str, list[object]] = {"account_id": [], "request_id": [], "user_text": []}
    for account, texts in prompts.items():
        for k, text in enumerate(texts):
            rows["account_id"].append(account)
            rows["request_id"].append(f"req_{account}_{k:03d}")
            rows["user_text"].append(text)
    with duckdb.connect() as con:
        con.register("interactions", pa.table(rows))
        strides = pa.array([1] * len(prompts), pa.uint64())  # every call may be sampled
        con.register("candidates", pa.table({"account_id": list(prompts), "stride": strides}))
        found = con.execute(template_sql(sample)).fetchall()
    return {account: set(values) for account, values, _ in found}


def hashes(shingles: list[str]) -> set[int]:
    """The engine's 32-bit hash of each shingle (its tokens joined by one space)."""
    with duckdb.connect() as con:
        row = con.execute(
            f"SELECT list(hash(s) % {HASH32}) FROM unnest(?::VARCHAR[]) AS t(s)", [shingles]
        ).fetchone()
    assert row is not None
    return set(row[0])


def wrapped(wrapper: str, seed: int, n: int = 20) -> list[str]:
    rng = random.Random(seed)
    return [wrapper.format(task(rng)) for _ in range(n)]


def test_template_is_the_recurring_shingles_lower_cased_with_digits_folded() -> None:
    found = templates(
        {
            "a": [
                "The cat sat on 12 mats and then slept.",
                "the CAT sat, on 345 mats -- and then slept!!",
                "Something else entirely, said nobody today",
            ]
        }
    )
    expected = [
        "the cat sat",
        "cat sat on",
        "sat on 0",
        "on 0 mats",
        "0 mats and",
        "mats and then",
        "and then slept",
    ]
    assert found == {"a": hashes(expected)}


def test_template_leaves_out_the_tasks() -> None:
    found = templates({"a": wrapped(WRAPPER, seed=1)})["a"]
    words = WRAPPER.format("").lower().replace(",", " ").replace(".", " ").replace(":", " ")
    tokens = words.split()
    wrapper_shingles = [" ".join(tokens[k : k + 3]) for k in range(len(tokens) - 2)]
    assert len(found) >= MIN_TEMPLATE
    assert found <= hashes(wrapper_shingles)  # every recurring shingle is the wrapper's
    assert len(found) >= len(wrapper_shingles) - 2


def test_template_needs_enough_recurring_shingles() -> None:
    few = ["one two three four", "one two three four", "five six seven eight"]
    # in every prompt, but only two shingles: "and then some", "then some words"
    rare = [f"{w} {v} and then some words" for w, v in zip(WORDS, reversed(WORDS), strict=True)]
    assert templates({"few": few, "rare": rare}) == {}


def test_template_samples_at_most_the_setting() -> None:
    prompts = ["shared words in every prompt here " + str(k) for k in range(10)]
    assert templates({"a": prompts}, sample=1) == {}  # one sampled prompt recurs nowhere
    assert templates({"a": prompts}, sample=10)


def test_lsh_groups_accounts_sharing_a_template_with_different_tasks() -> None:
    prompts = {f"camp{k}": wrapped(WRAPPER, seed=k) for k in range(4)}
    prompts |= {f"other{k}": wrapped(OTHER_WRAPPER, seed=10 + k) for k in range(2)}
    prompts["lone"] = wrapped("Translate to French, keeping the tone of the text: {}", seed=20)
    sets = {a: sorted(t) for a, t in templates(prompts).items()}
    sets["empty"] = []
    groups = lsh_groups(sets, NEAR_DUP_JACCARD, seed=0)
    assert sorted(groups) == [["camp0", "camp1", "camp2", "camp3"], ["other0", "other1"]]


def test_lsh_groups_do_not_group_unrelated_sets() -> None:
    rng = random.Random(5)
    sets = {f"acct{k}": [rng.randrange(HASH32) for _ in range(40)] for k in range(10)}
    assert lsh_groups(sets, NEAR_DUP_JACCARD, seed=0) == []
    assert lsh_groups({"only": [1, 2, 3]}, NEAR_DUP_JACCARD, seed=0) == []


def test_lsh_groups_are_seeded() -> None:
    prompts = {f"camp{k}": wrapped(WRAPPER, seed=k) for k in range(3)}
    sets = {a: sorted(t) for a, t in templates(prompts).items()}
    first = lsh_groups(sets, NEAR_DUP_JACCARD, seed=3)
    assert first == lsh_groups(sets, NEAR_DUP_JACCARD, seed=3)
    assert first == [["camp0", "camp1", "camp2"]]


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """``interactions`` (prompts) and ``calls`` (minutes) as costly_links reads them."""
    rng = random.Random(0)
    prompts: dict[str, list[object]] = {"account_id": [], "request_id": [], "user_text": []}
    minutes: dict[str, list[object]] = {"account_id": [], "minute": []}
    accounts = {
        "camp1": WRAPPER,
        "camp2": WRAPPER,
        "camp3": WRAPPER,
        "plain": OTHER_WRAPPER,
    }
    for account, wrapper in accounts.items():
        for k in range(30):
            prompts["account_id"].append(account)
            prompts["request_id"].append(f"req_{account}_{k:02d}")
            prompts["user_text"].append(wrapper.format(task(rng)))
    # sync1/sync2 call in the same 40 minutes; solo in 40 others; brief in 5 only
    for account, first, count in (("sync1", 0, 40), ("sync2", 0, 40), ("solo", 500, 40)):
        for m in range(first, first + count):
            minutes["account_id"].append(account)
            minutes["minute"].append(m * 7)
    for m in range(5):
        minutes["account_id"].append("brief")
        minutes["minute"].append(m * 7)
    with duckdb.connect() as connection:
        connection.register("interactions", pa.table(prompts))
        connection.register("calls", pa.table(minutes))
        yield connection


def test_costly_links_near_duplicate_and_synchronized(con: duckdb.DuckDBPyConnection) -> None:
    candidates = ["camp1", "camp2", "camp3", "plain", "sync1", "sync2", "solo", "brief"]
    table = costly_links(con, candidates, [40] * len(candidates), settings())
    assert table.schema == LINK_SCHEMA
    rows = table.to_pylist()
    near = {r["account_id"] for r in rows if r["kind"] == "near_duplicate"}
    synced = {r["account_id"] for r in rows if r["kind"] == "synchronized"}
    assert near == {"camp1", "camp2", "camp3"}
    assert synced == {"sync1", "sync2"}
    for row in rows:  # one entity per group, named after its smallest account
        if row["kind"] == "near_duplicate":
            assert (row["entity"], row["n_accounts"]) == ("near_duplicate:camp1", 3)
            assert row["example_request_id"].startswith(f"req_{row['account_id']}_")
        else:
            assert (row["entity"], row["n_accounts"]) == ("synchronized:sync1", 2)
            assert row["example_request_id"] is None


def test_costly_links_only_among_candidates(con: duckdb.DuckDBPyConnection) -> None:
    assert costly_links(con, ["camp1", "sync1"], [30, 40], settings()).num_rows == 0
    assert costly_links(con, ["camp1"], [30], settings()).num_rows == 0
