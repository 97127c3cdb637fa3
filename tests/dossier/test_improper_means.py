"""Improper-means indicators on a few hand-made records: each shown when its behaviour is in
the records, and not shown otherwise."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from distillguard.dossier.improper_means import indicators
from distillguard.dossier.terms import BEHAVIOURS

REASON = (
    "{'kind': 'signal', 'name': 'evasion_share', 'detail': 'd', 'value': 0.5, "
    "'baseline': 0.0, 'family': 'content', 'examples': ['r1']}"
)


@pytest.fixture
def records() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    con.execute(
        """CREATE VIEW calls AS SELECT * FROM (VALUES
        ('r1', 'a1', TIMESTAMPTZ '2026-05-01 10:00:00+00', 'SG', 'vpn', 200, NULL),
        ('r2', 'a2', TIMESTAMPTZ '2026-05-01 10:00:30+00', 'US', 'other', 200, NULL),
        ('r3', 'a3', TIMESTAMPTZ '2026-05-01 10:00:40+00', 'US', 'other', 403, 'block'),
        ('r4', 'a4', TIMESTAMPTZ '2026-05-02 09:00:00+00', 'CN', 'other', 200, NULL),
        ('r5', 'a1', TIMESTAMPTZ '2026-05-02 09:00:10+00', 'US', 'hosting', 200, NULL)
        ) AS t(request_id, account_id, ts, country, network_kind, status, gateway_action)"""
    )
    con.execute("ALTER VIEW calls RENAME TO calls_raw")
    con.execute("CREATE VIEW calls AS SELECT *, CAST(ts AS DATE) AS day FROM calls_raw")
    con.execute(
        f"""CREATE VIEW accounts AS SELECT * FROM (VALUES
        ('a1', true, TIMESTAMPTZ '2026-04-01 00:00:00+00', 'US', 'pm_1', 'none', false,
         [{REASON}]),
        ('a2', true, TIMESTAMPTZ '2026-04-01 00:00:00+00', 'US', 'pm_1', 'research', true, []),
        ('a3', true, TIMESTAMPTZ '2026-04-01 00:00:00+00', 'US', 'pm_2', 'none', false, []),
        ('a4', true, TIMESTAMPTZ '2026-05-02 08:00:00+00', 'CN', 'pm_3', 'none', false, [])
        ) AS t(account_id, in_case, created_at, billing_country, payment_fingerprint, program,
               verified, reasons)"""
    )
    con.execute(
        "CREATE VIEW links AS SELECT * FROM (VALUES ('a1', 'synchronized', 'm'), "
        "('a2', 'synchronized', 'm')) AS t(account_id, kind, entity)"
    )
    con.execute(
        "CREATE VIEW ledger AS SELECT 1 AS seq, '2026-05-01T00:00:00+00:00' AS time, "
        "'scan' AS kind, 'x' AS actor, 'r' AS ref, '{}'::JSON AS payload"
    )
    try:
        yield con
    finally:
        con.close()


def test_each_behaviour_in_the_records_is_shown(records: duckdb.DuckDBPyConnection) -> None:
    found = {i.name: i for i in indicators(records, ["CN"], 4, [{"detected": True}])}
    assert list(found) == list(BEHAVIOURS)
    assert found["geofence_evasion"].shown  # a1 through a VPN in SG, billed in the US
    assert found["unsupported_region"].shown  # a4 calls from and is billed in CN
    assert found["account_rotation"].shown  # a4 began after a3 was blocked
    assert found["account_rotation"].table is not None
    assert found["account_rotation"].table.column("account_id") == ["a4"]
    assert found["limit_sharding"].shown  # a1 and a2 linked as synchronized
    assert found["shared_payment"].shown  # pm_1 pays for a1 and a2
    assert found["programme_misrepresentation"].shown  # a2 came through research
    assert found["classifier_evasion"].shown  # a1's reasons
    assert found["watermark_found"].shown


def test_nothing_is_shown_that_the_records_do_not_hold(
    records: duckdb.DuckDBPyConnection,
) -> None:
    records.execute("ALTER VIEW links RENAME TO links_all")
    records.execute("CREATE VIEW links AS SELECT * FROM links_all WHERE false")
    found = {i.name: i for i in indicators(records, [], 4, [])}
    assert not found["unsupported_region"].shown
    assert not found["limit_sharding"].shown  # four accounts, a few calls: no pool load
    assert not found["watermark_found"].shown
    assert found["watermark_found"].finding == "No suspect model was tested for the watermark."
