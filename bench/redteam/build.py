"""Assemble the red-team world: shared address pools, every population, then the files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.outside.build import Summary, assemble
from bench.outside.network import Address, AddressCheckError
from bench.outside.world import World
from bench.redteam import background, campaigns, lookalikes

POPULATIONS: tuple[Callable[[World], None], ...] = (
    background.consumers,
    background.mobile_consumers,
    background.households,
    background.developers,
    background.small_apps,
    lookalikes.workshop_cohorts,
    lookalikes.byok_extension,
    lookalikes.contractor_onboarding,
    lookalikes.calibration_lab,
    campaigns.orchard,
    campaigns.storefront,
    campaigns.swarm,
    campaigns.split_sampler,
)
CAMPAIGNS = ("orchard", "storefront", "swarm", "split_sampler")
HOME_COUNTRIES = ["US", "US", "US", "GB", "DE", "FR", "CA", "BR", "JP", "KR", "IN", "AU"]
CARRIERS = (
    ("US", "T-MOBILE-AS21928"),
    ("US", "CELLCO-PART"),
    ("IN", "Reliance Jio Infocomm Limited"),
    ("IN", "Bharti Airtel Ltd. AS for GPRS Service"),
    ("ID", "PT Telekomunikasi Selular"),
)


def _carrier_nat(world: World) -> list[Address]:
    """Carrier-grade NAT addresses of mobile networks: thousands of phones behind each."""
    out: list[Address] = []
    for country, isp in CARRIERS:
        try:
            out += world.atlas.residential(country, world.count(40, 4), isp=isp)
        except AddressCheckError:
            continue
    return out


def shared_pools(world: World) -> None:
    atlas = world.atlas
    # home lines of real customers that a residential proxy network also sells as exits
    world.pools["resi_shared"] = atlas.residential_mix(HOME_COUNTRIES, world.count(420, 24))
    world.pools["cgnat"] = _carrier_nat(world)
    world.pools["dev_boxes"] = [
        a
        for provider in ("DigitalOcean", "Hetzner", "Linode")
        for a in atlas.cloud(provider, world.count(12, 2))
    ]


def build(out: Path, seed: int, scale: float, validate_every: int = 1) -> Summary:
    return assemble(out, seed, scale, validate_every, shared_pools, POPULATIONS)
