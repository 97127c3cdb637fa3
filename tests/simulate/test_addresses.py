"""Simulated client addresses read back, through the real enrichment, as what was asked for."""

from __future__ import annotations

import ipaddress
import random

import iporigin
import pytest

from distillguard.ingest.enrich import IpEnricher
from distillguard.simulate.addresses import (
    KINDS,
    NETWORK_KIND,
    AddressPlan,
    looks_like_consumer_isp,
)

RESIDENTIAL_COUNTRIES = ("US", "DE", "GB", "IN", "BR", "SG", "HK", "CN", "RU", "JP", "FR", "NG")


@pytest.fixture(scope="module")
def plan() -> AddressPlan:
    return AddressPlan()


@pytest.fixture(scope="module")
def enricher(plan: AddressPlan) -> IpEnricher:
    """A second enricher, so that the checks here do not lean on the plan's own lookups."""
    return IpEnricher()


def _no_lookup_rejections(plan: AddressPlan) -> None:
    # Every candidate range is built to look up as predicted; a rejected lookup means the plan
    # reads the bundled data differently from the enrichment.
    assert plan.rejected["lookup"] == 0


@pytest.mark.parametrize("country", RESIDENTIAL_COUNTRIES)
def test_residential_addresses_look_up_as_home_lines_in_the_country(
    plan: AddressPlan, enricher: IpEnricher, country: str
) -> None:
    ips = [plan.draw("residential", country, rng=random.Random(country)) for _ in range(40)]
    ips += plan.pool("residential", country, None, 40, random.Random(1))
    for ip in ips:
        got_country, asn_name, kind, provider = enricher.lookup(ip)
        assert (got_country, kind, provider) == (country, "other", None), ip
        assert looks_like_consumer_isp(asn_name), (ip, asn_name)
        assert iporigin.classify(ip).kind == iporigin.UNKNOWN  # type: ignore[no-untyped-call]
        address = ipaddress.ip_address(ip)
        assert address.version == 4
        assert address.is_global
        assert int(address) & 0xFF not in (0, 255)
    _no_lookup_rejections(plan)


def test_residential_draws_spread_over_several_isps(
    plan: AddressPlan, enricher: IpEnricher
) -> None:
    ips = plan.pool("residential", "US", None, 200, random.Random(5))
    isps = {enricher.lookup(ip)[1] for ip in ips}
    assert len(isps) >= 5
    assert not {name for name in isps if name and "AMAZON" in name.upper()}


@pytest.mark.parametrize(
    ("provider", "country", "expected"),
    [
        ("Amazon AWS", None, "Amazon AWS"),
        ("aws", "US", "Amazon AWS"),
        ("AWS", "DE", "Amazon AWS"),
        ("Google Cloud", None, "Google Cloud"),
        ("GCP", "US", "Google Cloud"),
        ("Microsoft Azure", None, "Microsoft Azure"),
        ("Azure", "GB", "Microsoft Azure"),
        ("Alibaba Cloud", "CN", "Alibaba Cloud"),
        ("Alibaba", "SG", "Alibaba Cloud"),
        ("alibaba", "HK", "Alibaba Cloud"),
        ("Tencent", "CN", "Tencent Cloud"),
        ("Tencent Cloud", "HK", "Tencent Cloud"),
        ("Tencent Cloud", "SG", "Tencent Cloud"),
        ("Hetzner", "DE", "Hetzner"),
        ("OVH", "FR", "OVHcloud"),
        ("DigitalOcean", None, "DigitalOcean"),
        ("GitHub", None, "GitHub"),
        ("Google", None, "Google"),
    ],
)
def test_hosting_addresses_look_up_as_the_provider(
    plan: AddressPlan,
    enricher: IpEnricher,
    provider: str,
    country: str | None,
    expected: str,
) -> None:
    rng = random.Random(f"{provider}/{country}")
    ips = [plan.draw("hosting", country, provider, rng=rng) for _ in range(30)]
    for ip in ips:
        got_country, _, kind, got_provider = enricher.lookup(ip)
        assert (kind, got_provider) == ("hosting", expected), ip
        if country is not None:
            assert got_country == country, ip
        assert iporigin.classify(ip).kind == iporigin.HOSTING  # type: ignore[no-untyped-call]
    _no_lookup_rejections(plan)


@pytest.mark.parametrize(
    ("kind", "country", "provider"),
    [
        ("hosting", None, None),
        ("hosting", "SG", None),
        ("vpn", None, None),
        ("vpn", "DE", None),
        ("vpn", "US", "Mullvad"),
        ("vpn", "NL", "ProtonVPN"),
        ("vpn", "JP", "Apple Private Relay"),
        ("tor", None, None),
        ("tor", "DE", None),
        ("tor", "US", None),
    ],
)
def test_every_kind_looks_up_as_asked(
    plan: AddressPlan,
    enricher: IpEnricher,
    kind: str,
    country: str | None,
    provider: str | None,
) -> None:
    rng = random.Random(f"{kind}/{country}/{provider}")
    for ip in [plan.draw(kind, country, provider, rng=rng) for _ in range(30)]:
        got_country, _, got_kind, got_provider = enricher.lookup(ip)
        assert got_kind == NETWORK_KIND[kind], ip
        if country is not None:
            assert got_country == country, ip
        if provider is not None:
            assert got_provider == provider, ip
    _no_lookup_rejections(plan)


@pytest.mark.parametrize(
    ("kind", "country", "provider"),
    [
        ("residential", "US", None),
        ("residential", "DE", None),
        ("hosting", None, "Amazon AWS"),
        ("hosting", None, "Microsoft Azure"),
        ("vpn", None, "Mullvad"),
    ],
)
def test_ipv6_addresses_look_up_as_asked(
    plan: AddressPlan,
    enricher: IpEnricher,
    kind: str,
    country: str | None,
    provider: str | None,
) -> None:
    rng = random.Random(6)
    for ip in plan.pool(kind, country, provider, 20, rng, version=6):
        assert ipaddress.ip_address(ip).version == 6
        got_country, asn_name, got_kind, got_provider = enricher.lookup(ip)
        assert got_kind == NETWORK_KIND[kind], ip
        if country is not None:
            assert got_country == country, ip
        if provider is not None:
            assert got_provider == provider, ip
        if kind == "residential":
            assert looks_like_consumer_isp(asn_name), (ip, asn_name)
    _no_lookup_rejections(plan)


def test_same_seed_same_addresses(plan: AddressPlan) -> None:
    def sequence(seed: int) -> list[str]:
        rng = random.Random(seed)
        return [
            plan.draw("residential", "BR", rng=rng),
            plan.draw("hosting", "US", "Google Cloud", rng=rng),
            plan.draw("tor", rng=rng),
            *plan.pool("residential", "IN", None, 10, rng),
            *plan.pool("vpn", None, None, 10, rng),
        ]

    first = sequence(11)
    assert sequence(11) == first
    assert sequence(12) != first


def test_draws_do_not_depend_on_what_the_plan_built_before(plan: AddressPlan) -> None:
    # A second plan, warmed up in a different order, draws the same addresses for a seed.
    other = AddressPlan(plan.enricher)
    other.draw("vpn", rng=random.Random(0))
    for kind, country, provider in [
        ("tor", "DE", None),
        ("hosting", None, "Alibaba Cloud"),
        ("hosting", "CN", None),
    ]:
        ours = plan.pool(kind, country, provider, 25, random.Random(3))
        theirs = other.pool(kind, country, provider, 25, random.Random(3))
        assert ours == theirs


def test_pool_addresses_are_distinct(plan: AddressPlan) -> None:
    rng = random.Random(8)
    for kind, country, size in [("residential", "SG", 500), ("tor", "DE", 150), ("vpn", None, 300)]:
        ips = plan.pool(kind, country, None, size, rng)
        assert len(ips) == size
        assert len(set(ips)) == size
    assert plan.pool("tor", None, None, 0, rng) == []


def test_countries_and_providers(plan: AddressPlan) -> None:
    residential = plan.countries("residential")
    assert set(RESIDENTIAL_COUNTRIES) <= set(residential)
    assert len(residential) > 150
    assert {"CN", "HK", "SG", "US"} <= set(plan.countries("hosting", "Alibaba Cloud"))
    assert {"CN", "HK", "SG"} <= set(plan.countries("hosting", "Tencent Cloud"))
    assert {"DE", "NL", "US"} <= set(plan.countries("tor"))
    hosting = plan.providers("hosting")
    assert {"Amazon AWS", "Google Cloud", "Microsoft Azure", "Alibaba Cloud"} <= set(hosting)
    assert set(hosting) <= set(iporigin.dataset_info()["providers"])  # type: ignore[no-untyped-call]
    assert plan.providers("vpn") == ["Apple Private Relay", "Mullvad", "ProtonVPN"]
    assert plan.providers("tor") == ["Tor"]
    assert plan.providers("residential") == []
    assert "Tencent Cloud" in plan.providers("hosting", "HK")
    assert plan.capacity("tor") >= plan.capacity("tor", "DE") > 0
    assert plan.capacity("hosting", "BR", "Alibaba Cloud") == 0
    assert all(plan.countries(kind) == sorted(plan.countries(kind)) for kind in KINDS)


@pytest.mark.parametrize(
    ("kind", "country", "provider", "version", "message"),
    [
        ("mobile", None, None, 4, "kind must be one of"),
        ("residential", "XX", None, 4, "no candidate addresses"),
        ("residential", "USA", None, 4, "two-letter"),
        ("residential", "US", "Comcast", 4, "take no provider"),
        ("hosting", None, "Nowhere Hosting", 4, "unknown hosting provider"),
        ("hosting", None, "cloud", 4, "it matches"),
        ("hosting", "BR", "Alibaba Cloud", 4, "no candidate addresses"),
        ("vpn", None, "Amazon AWS", 4, "unknown vpn provider"),
        ("tor", None, None, 6, "no candidate addresses"),
        ("tor", None, None, 5, "version must be 4 or 6"),
    ],
)
def test_unsatisfiable_requests_fail_clearly(
    plan: AddressPlan,
    kind: str,
    country: str | None,
    provider: str | None,
    version: int,
    message: str,
) -> None:
    with pytest.raises(ValueError, match=message):
        plan.draw(kind, country, provider, rng=random.Random(0), version=version)


def test_pool_larger_than_the_candidates_fails(plan: AddressPlan) -> None:
    capacity = plan.capacity("tor", "DE")
    with pytest.raises(ValueError, match=f"only {capacity} candidate addresses"):
        plan.pool("tor", "DE", None, capacity + 1, random.Random(0))
    with pytest.raises(ValueError, match="must not be negative"):
        plan.pool("tor", "DE", None, -1, random.Random(0))


@pytest.mark.parametrize(
    "name",
    [
        "COMCAST-7922",
        "ATT-INTERNET4",
        "Deutsche Telekom AG",
        "Vodafone GmbH",
        "EWE-Tel GmbH",
        "British Telecommunications PLC",
        "Reliance Jio Infocomm Limited",
        "TELEFONICA BRASIL S.A",
        "Chinanet",
        "Rostelecom",
        "HKT Limited",
        "Singtel Fibre Broadband",
    ],
)
def test_consumer_isp_names(name: str) -> None:
    assert looks_like_consumer_isp(name)


@pytest.mark.parametrize(
    "name",
    [
        None,
        "",
        "<unknown>",
        "AMAZON-02",
        "GOOGLE-CLOUD-PLATFORM",
        "Hangzhou Alibaba Advertising Co.,Ltd.",
        "Hetzner Online GmbH",
        "Mercedes-Benz Group AG",
        "Universitaet Stuttgart",
        "DNIC-AS-00749",
        "LLC Orange Business Services",
        "Huawei Cloud Service data center",
        "China Mobile International Limited",
        "Iomart Cloud Services Limited",
    ],
)
def test_not_consumer_isp_names(name: str | None) -> None:
    assert not looks_like_consumer_isp(name)
