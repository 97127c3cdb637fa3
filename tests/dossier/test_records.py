"""The calls records carry each call's capability area; redaction reaches addresses named in
the reasons' details."""

from __future__ import annotations

from distillguard.cases.frozen import FrozenCase
from distillguard.dossier.areas import NAMES
from distillguard.dossier.records import RecordSet, network, redact_addresses
from tests.dossier.conftest import Bundle


def test_addresses_in_text_become_their_network() -> None:
    text = "shares ip 203.0.113.7 with 1; 2001:db8:1:2::5 (3); at 23:30:00+00, score 1.00, v1.2.3"
    assert redact_addresses(text) == (
        "shares ip 203.0.113.0/24 with 1; 2001:db8:1::/48 (3); at 23:30:00+00, score 1.00, v1.2.3"
    )
    assert redact_addresses(None) is None
    assert redact_addresses("one /64: 2001:db8:1:2::/64, one /24: 198.51.100.0/24") == (
        "one /64: 2001:db8:1::/48, one /24: 198.51.100.0/24"
    )


def test_networks_narrower_than_the_redaction_become_it_and_wider_ones_stay() -> None:
    assert network("203.0.113.7") == "203.0.113.0/24"
    assert network("2001:db8:1:2::/64") == "2001:db8:1::/48"
    assert network("198.51.100.0/24") == "198.51.100.0/24"
    assert network("10.0.0.0/8") == "10.0.0.0/8"
    assert network("not an address") == "redacted"
    assert network(None) is None


def test_the_area_is_a_column_of_the_calls_and_redaction_keeps_it(bundle: Bundle) -> None:
    case = FrozenCase.load(bundle.root, bundle.case_id)
    full = RecordSet.build(case, [], redact=False)
    hidden = RecordSet.build(case, [], redact=True)
    try:
        sql = "SELECT request_id, area FROM calls ORDER BY request_id"
        areas = full.con.execute(sql).fetchall()
        assert areas == hidden.con.execute(sql).fetchall()
        assert {a for _, a in areas} <= set(NAMES)
        [(calls,)] = full.con.execute("SELECT count(*) FROM calls").fetchall()
        assert calls == case.meta.calls
        details = hidden.con.execute(
            "SELECT r.detail FROM (SELECT unnest(reasons) AS r FROM accounts) "
            "WHERE r.name = 'ip' AND r.kind = 'tie'"
        ).fetchall()
        addresses = {
            str(a)
            for (a,) in full.con.execute("SELECT DISTINCT client_ip FROM calls").fetchall()
            if a
        }
        for (detail,) in details:
            assert not any(f" {a} " in detail for a in addresses)
    finally:
        full.con.close()
        hidden.con.close()
