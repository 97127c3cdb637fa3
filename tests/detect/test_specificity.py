"""Entity specificity against the clean reference population, on hand-built tables."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from distillguard.detect.links import PRIORS
from distillguard.detect.specificity import (
    GROUPING_KINDS,
    reference_accounts,
    reference_groups,
    with_specificity,
)
from distillguard.schema.results import LINKS

HOSTING = PRIORS["hosting_ip"]


def approx(value: float) -> object:
    """Specificity as stored: rounded to 6 digits."""
    return pytest.approx(value, abs=1e-6)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        yield connection


def links(rows: Sequence[tuple[str, str, str]]) -> pa.Table:
    """A links table (before specificity): ``(account, kind, entity)`` per membership."""
    counts: dict[tuple[str, str], int] = {}
    for _, kind, entity in rows:
        counts[(kind, entity)] = counts.get((kind, entity), 0) + 1
    schema = LINKS.remove(LINKS.get_field_index("specificity"))
    return pa.table(
        {
            "account_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "entity": [r[2] for r in rows],
            "n_accounts": [counts[(r[1], r[2])] for r in rows],
            "example_request_id": [f"req_{r[0]}" for r in rows],
        },
        schema=schema,
    )


def population(
    reference: Sequence[str] = (), campaign: Sequence[str] = (), others: Sequence[str] = ()
) -> pa.Table:
    ids = [*reference, *campaign, *others]
    return pa.table(
        {
            "account_id": ids,
            "reference": [a in reference for a in ids],
            "campaign": [a in campaign for a in ids],
        }
    )


def specificity(
    con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str, str]], accounts: pa.Table
) -> dict[tuple[str, str], float]:
    """Specificity per ``(kind, entity)``; every membership of an entity has the same."""
    table = with_specificity(con, links(rows), accounts)
    assert table.num_rows == len(rows)
    assert table.column_names == LINKS.names
    found: dict[tuple[str, str], set[float]] = {}
    for row in table.to_pylist():
        found.setdefault((row["kind"], row["entity"]), set()).add(row["specificity"])
    assert all(len(values) == 1 for values in found.values())
    return {key: values.pop() for key, values in found.items()}


def test_an_entity_only_suspects_use_is_fully_specific(con: duckdb.DuckDBPyConnection) -> None:
    rows = [(a, "skeleton", "harness") for a in ("s1", "s2", "s3")]
    rows += [(a, "payment", "pm_1") for a in ("s1", "s2")]
    spec = specificity(con, rows, population(others=["s1", "s2", "s3"]))
    assert spec == {("skeleton", "harness"): 1.0, ("payment", "pm_1"): 1.0}


def test_one_clean_unrelated_witness_halves_it(con: duckdb.DuckDBPyConnection) -> None:
    rows = [(a, "ip", "198.51.100.7") for a in ("s1", "s2", "clean")]
    rows += [(a, "skeleton", "benchmark") for a in ("s1", "clean", "clean2", "clean3")]
    accounts = population(reference=["clean", "clean2", "clean3"], others=["s1", "s2"])
    spec = specificity(con, rows, accounts)
    assert spec[("ip", "198.51.100.7")] == 0.5
    assert spec[("skeleton", "benchmark")] == 0.25  # three clean accounts send it


def test_an_entity_only_clean_accounts_share(con: duckdb.DuckDBPyConnection) -> None:
    rows = [(a, "email_domain", "company.example") for a in ("c1", "c2")]
    spec = specificity(con, rows, population(reference=["c1", "c2"]))
    assert spec == {("email_domain", "company.example"): approx(1 / 3)}


def test_reference_accounts_tied_by_a_card_or_an_address_are_one_witness(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """One family, one team or one quiet pool: clean accounts tied to each other by a card or
    a residential address count once; clean accounts that only share cloud addresses (CI
    runners of unrelated companies) count apart."""
    assert set(GROUPING_KINDS) == {"payment", "ip"}
    rows = [(a, "payment", "pm_family") for a in ("mum", "kid")]
    rows += [(a, "skeleton", "homework") for a in ("mum", "kid", "s1")]
    rows += [(a, "ip", "198.51.100.1") for a in ("t1", "t2")]  # a team: t1 - t2 - t3
    rows += [(a, "ip", "198.51.100.2") for a in ("t2", "t3")]
    rows += [(a, "skeleton", "standup") for a in ("t1", "t3", "s1")]
    rows += [(a, "hosting_ip", "192.0.2.9") for a in ("ci1", "ci2")]
    rows += [(a, "skeleton", "ci-job") for a in ("ci1", "ci2", "s1")]
    clean = ["mum", "kid", "t1", "t2", "t3", "ci1", "ci2"]
    spec = specificity(con, rows, population(reference=clean, others=["s1"]))
    assert spec[("skeleton", "homework")] == 0.5  # one group
    assert spec[("skeleton", "standup")] == 0.5  # tied through t2, one group
    assert spec[("skeleton", "ci-job")] == approx(1 / 3)  # two unrelated runners
    assert spec[("payment", "pm_family")] == 0.5  # only the group itself uses it
    assert spec[("hosting_ip", "192.0.2.9")] == approx(HOSTING / 3)


def test_a_reference_account_is_never_a_suspect(con: duckdb.DuckDBPyConnection) -> None:
    """A verified, established member sharing the pool's addresses is one witness, however
    many addresses it shares; the pool's template it does not send stays specific."""
    pool = ["s1", "s2", "old"]
    rows = [(a, "ip", "198.51.100.1") for a in pool]
    rows += [(a, "ip", "198.51.100.2") for a in pool]
    rows += [(a, "skeleton", "harness") for a in ("s1", "s2")]
    spec = specificity(con, rows, population(reference=["old"], others=["s1", "s2"]))
    assert spec[("ip", "198.51.100.1")] == 0.5
    assert spec[("ip", "198.51.100.2")] == 0.5
    assert spec[("skeleton", "harness")] == 1.0


def test_reference_groups() -> None:
    rows = [(a, "payment", "pm") for a in ("r1", "r2", "s1")]  # s1 is no reference: no glue
    rows += [(a, "ip", "198.51.100.1") for a in ("s1", "r3")]
    rows += [(a, "hosting_ip", "192.0.2.1") for a in ("r3", "r4")]
    ids = ["r1", "r2", "r3", "r4", "s1"]
    groups = reference_groups(links(rows), ids, pa.array([True, True, True, True, False]))
    found = dict(zip(ids, groups.to_pylist(), strict=True))
    assert found["s1"] is None
    assert found["r1"] == found["r2"]
    assert len({found["r1"], found["r3"], found["r4"]}) == 3


def test_hosting_addresses_become_specific_only_with_more_suspects(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert HOSTING == 0.2
    rows = [("s0", "hosting_ip", "one")]
    rows += [(f"s{k}", "hosting_ip", "four") for k in range(4)]
    rows += [(f"s{k}", "hosting_ip", "ten") for k in range(10)]
    rows += [(a, "hosting_ip", "ci") for a in ("s0", "s1", "s2", "s3", "runner")]
    rows += [(a, "hosting_ip", "runners") for a in ("runner2", "runner3")]
    clean = ["runner", "runner2", "runner3"]
    accounts = population(reference=clean, others=[f"s{k}" for k in range(10)])
    spec = specificity(con, rows, accounts)
    assert spec[("hosting_ip", "one")] == approx(0.2)
    assert spec[("hosting_ip", "four")] == approx(1 - 0.8**4)
    assert spec[("hosting_ip", "ten")] == approx(1 - 0.8**10)
    assert spec[("hosting_ip", "ci")] == approx((1 - 0.8**4) / 2)  # one clean runner
    assert spec[("hosting_ip", "runners")] == approx(0.2 / 3)  # clean accounts only


def test_an_entity_a_campaign_labelled_account_shares_counts_no_witnesses(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = [(a, "skeleton", "harness") for a in ("labelled", "clean", "clean2")]
    rows += [(a, "skeleton", "recipe") for a in ("s1", "clean3", "clean4")]
    rows += [(a, "hosting_ip", "192.0.2.1") for a in ("labelled", "clean5")]
    clean = ["clean", "clean2", "clean3", "clean4", "clean5"]
    accounts = population(reference=clean, campaign=["labelled"], others=["s1"])
    spec = specificity(con, rows, accounts)
    assert spec[("skeleton", "harness")] == 1.0  # the analyst decided who operates it
    assert spec[("skeleton", "recipe")] == approx(1 / 3)  # no label: two witnesses
    assert spec[("hosting_ip", "192.0.2.1")] == approx(HOSTING)


def test_an_account_missing_from_the_population_counts_as_a_suspect(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = [(a, "skeleton", "s") for a in ("unknown", "clean")]
    spec = specificity(con, rows, population(reference=["clean"]))
    assert spec == {("skeleton", "s"): 0.5}


def test_no_links(con: duckdb.DuckDBPyConnection) -> None:
    assert with_specificity(con, links([]), population(others=["a"])).num_rows == 0
    assert "spec_links" not in {r[0] for r in con.execute("SHOW TABLES").fetchall()}


def test_reference_accounts() -> None:
    threshold, established = 0.8, 30.0
    n = 9
    score = np.full(n, 0.1)
    content = np.zeros(n, dtype=bool)
    unverified = np.zeros(n)
    age = np.full(n, 400.0)
    label: list[str | None] = [None] * n
    score[1] = threshold  # suspect on its own
    content[2] = True  # a call carrying a content signal
    unverified[3] = 1.0  # never verified
    age[4] = established - 1  # signed up just before calling
    age[5] = np.nan  # sign-up unknown: not established
    label[6] = "campaign"
    content[7], label[7] = True, "benign"  # an analyst cleared it
    label[8] = "campaign"
    found = reference_accounts(score, content, unverified, age, label, threshold, established)
    assert found.tolist() == [True, False, False, False, False, False, False, True, False]
