"""Offline IP enrichment on the data bundled with geoip2fast and iporigin (nothing downloaded)."""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import iporigin
import pytest

from distillguard.ingest import enrich
from distillguard.ingest.enrich import NETWORK_KIND, IpEnricher
from distillguard.schema.ip_info import IP_INFO, NETWORK_KINDS


@pytest.fixture(scope="module")
def enricher() -> IpEnricher:
    return IpEnricher()


class _Geo:
    """A stand-in for the geoip2fast lookup object that answers with a fixed record."""

    def __init__(self, **found: Any) -> None:
        self.found = SimpleNamespace(**found)

    def lookup(self, ip: str) -> SimpleNamespace:
        return self.found


@pytest.fixture
def fake_geo(enricher: IpEnricher, monkeypatch: pytest.MonkeyPatch) -> Callable[..., IpEnricher]:
    """Makes the enricher's geo lookup answer with the given fields; miss counts start at zero."""

    def answer(**found: Any) -> IpEnricher:
        monkeypatch.setattr(enricher, "_geo", _Geo(**found))
        monkeypatch.setattr(enricher, "misses", Counter())
        return enricher

    return answer


def _kind(ip: str) -> str:
    return NETWORK_KIND.get(iporigin.classify(ipaddress.ip_address(ip)).kind, "other")


def test_google_dns(enricher: IpEnricher) -> None:
    country, _, kind, _ = enricher.lookup("8.8.8.8")
    assert country == "US"
    assert kind in ("hosting", "other")
    assert kind == _kind("8.8.8.8")


def test_tor_exit(enricher: IpEnricher) -> None:
    _, _, kind, provider = enricher.lookup("185.220.101.1")
    assert kind == "tor"
    assert provider == "Tor"


def test_cloud_address(enricher: IpEnricher) -> None:
    _, _, kind, provider = enricher.lookup("52.95.110.1")
    assert kind == "hosting"
    assert provider is not None
    assert "Amazon" in provider


@pytest.mark.parametrize("ip", ["10.0.0.1", "192.168.1.20", "127.0.0.1", "::1", "fd00::1"])
def test_private_addresses(enricher: IpEnricher, ip: str) -> None:
    country, asn_name, kind, provider = enricher.lookup(ip)
    assert (country, asn_name, kind, provider) == (None, None, "other", None)


def test_ipv6(enricher: IpEnricher) -> None:
    country, _, kind, _ = enricher.lookup("2a00:1450:4001:80b::200e")
    assert country == "DE"
    assert kind == _kind("2a00:1450:4001:80b::200e")


def test_network_kinds_are_the_schema_ones(enricher: IpEnricher) -> None:
    assert set(NETWORK_KIND.values()) | {"other"} == set(NETWORK_KINDS)
    for ip in ("8.8.8.8", "185.220.101.1", "52.95.110.1", "10.0.0.1", "198.51.100.1"):
        assert enricher.lookup(ip)[2] in NETWORK_KINDS


@pytest.mark.parametrize(
    ("ip", "cidr", "inside"),
    [
        ("8.8.8.8", "8.8.0.0/15", True),
        ("8.8.8.8", "8.8.8.8/32", True),
        ("8.8.8.8", "8.8.8.1/24", True),  # host bits set: not strict
        ("8.8.8.8", "9.9.0.0/16", False),
        ("2a00:1450:4001:80b::200e", "2a00:1450:4001::/48", True),
        ("2a00:1450:4001:80b::200e", "2a00:1450:4002::/48", False),
        ("::1", "0.0.0.0/8", False),  # another IP version
        ("8.8.8.8", "", False),
        ("8.8.8.8", "not a network", False),
        ("8.8.8.8", None, False),
        ("8.8.8.8", 134744072, False),
    ],
)
def test_inside(ip: str, cidr: object, inside: bool) -> None:
    assert enrich._inside(ipaddress.ip_address(ip), cidr) is inside


def test_a_country_outside_its_returned_network_is_dropped(
    fake_geo: Callable[..., IpEnricher],
) -> None:
    wrong = fake_geo(
        country_code="US",
        cidr="9.9.0.0/16",
        is_private=False,
        asn_name="GOOGLE",
        asn_cidr="8.8.8.0/24",
    )
    country, asn_name, _, _ = wrong.lookup("8.8.8.8")
    assert country is None
    assert asn_name == "GOOGLE"
    assert wrong.misses == {"country_cidr_mismatch": 1}

    wrong = fake_geo(
        country_code="US", cidr=None, is_private=False, asn_name="GOOGLE", asn_cidr="bad"
    )
    assert wrong.lookup("8.8.8.8")[:2] == (None, None)
    assert wrong.misses == {"country_cidr_mismatch": 1, "asn_cidr_mismatch": 1}


@pytest.mark.parametrize("code", ["--", "", "U", "USA", "1A", None])
def test_a_country_code_that_is_not_two_letters_is_ignored(
    fake_geo: Callable[..., IpEnricher], code: object
) -> None:
    enricher = fake_geo(
        country_code=code, cidr="8.8.0.0/15", is_private=False, asn_name="", asn_cidr=""
    )
    assert enricher.lookup("8.8.8.8")[:2] == (None, None)
    assert not enricher.misses


def test_private_answers_are_not_used(fake_geo: Callable[..., IpEnricher]) -> None:
    enricher = fake_geo(
        country_code="US", cidr="8.8.0.0/15", is_private=True, asn_name="X", asn_cidr="8.8.0.0/15"
    )
    assert enricher.lookup("8.8.8.8")[:2] == (None, None)


def test_lower_case_country_is_upper_cased(fake_geo: Callable[..., IpEnricher]) -> None:
    enricher = fake_geo(
        country_code="us", cidr="8.8.0.0/15", is_private=False, asn_name="", asn_cidr=""
    )
    assert enricher.lookup("8.8.8.8")[0] == "US"


def test_vintage(enricher: IpEnricher) -> None:
    vintage = enricher.vintage()
    assert isinstance(vintage["geoip2fast"], str)
    assert vintage["geoip2fast"]
    built = datetime.fromisoformat(vintage["iporigin"]["built_at"])
    assert built.utcoffset() == timedelta(0)
    assert int(built.timestamp()) == int(iporigin.dataset_info()["built_at"])
    assert vintage["iporigin"]["ranges"] > 0


def test_table(enricher: IpEnricher) -> None:
    ips = ["8.8.8.8", "185.220.101.1", "10.0.0.1", "2a00:1450:4001:80b::200e"]
    table = enricher.table(ips, "ing_7")
    assert table.schema == IP_INFO
    assert table.num_rows == len(ips)
    assert table.column("ip").to_pylist() == ips
    assert table.column("country").to_pylist()[0] == "US"
    assert table.column("country").to_pylist()[2] is None
    assert table.column("network_kind").to_pylist() == [enricher.lookup(ip)[2] for ip in ips]
    vintage = enricher.vintage()
    assert set(table.column("geo_data").to_pylist()) == {vintage["geoip2fast"]}
    assert set(table.column("network_data").to_pylist()) == {vintage["iporigin"]["built_at"]}
    assert set(table.column("ingest_id").to_pylist()) == {"ing_7"}


def test_table_of_no_addresses(enricher: IpEnricher) -> None:
    table = enricher.table([], "ing_7")
    assert table.schema == IP_INFO
    assert table.num_rows == 0
