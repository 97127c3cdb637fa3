"""Assemble the world: shared address pools, every population, then the files."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.outside import benign, campaigns, corpora, lookalikes
from bench.outside.network import Atlas
from bench.outside.sink import Sink, write_accounts, write_labels
from bench.outside.world import World

# Population builders in the order they run (each draws from its own seeded stream).
POPULATIONS: tuple[Callable[[World], None], ...] = (
    benign.consumers,
    benign.proxy_exit_households,
    benign.vpn_users,
    benign.developers,
    benign.app_backends,
    lookalikes.ci_review_bots,
    lookalikes.eval_suites,
    lookalikes.release_day,
    lookalikes.campus,
    lookalikes.team_shared_card,
    lookalikes.llm_gateways,
    lookalikes.key_migration,
    lookalikes.synthetic_data,
    lookalikes.audit_reasoning,
    lookalikes.tutoring_platform,
    lookalikes.localization_vendor,
    lookalikes.red_team_researchers,
    campaigns.hydra,
    campaigns.cot_harvest,
    campaigns.relay,
    campaigns.patient,
    campaigns.quiet_harness,
    campaigns.logprob_sampler,
)
PROXY_COUNTRIES = [
    "US",
    "US",
    "US",
    "GB",
    "DE",
    "FR",
    "BR",
    "IN",
    "JP",
    "KR",
    "CA",
    "IT",
    "ES",
    "MX",
    "TR",
    "VN",
    "ID",
    "AR",
    "PL",
    "NL",
    "AU",
]


@dataclass(frozen=True)
class Summary:
    calls: int
    accounts: int
    files: list[Path]
    seconds: float
    by_population: dict[str, tuple[int, int]]  # population → (accounts, calls)
    validated: int


def shared_pools(world: World) -> None:
    """Addresses more than one population uses: the overlaps are on purpose."""
    atlas = world.atlas
    # GitHub-hosted runners egress from Azure; the reseller rents VMs in the same ranges.
    world.pools["runners"] = atlas.cloud(
        "Microsoft Azure", world.count(300, 40), "US"
    ) + atlas.cloud("GitHub", world.count(20, 4))
    # Residential proxy network exits: real households' lines (some of them our customers).
    world.pools["resi_proxy"] = atlas.residential_mix(PROXY_COUNTRIES, world.count(700, 60))
    # The evasive campaign's own, small residential pool.
    world.pools["quiet_proxy"] = atlas.residential_mix(
        ["US", "US", "GB", "DE", "CA", "AU"], world.count(40, 12)
    )
    world.pools["vpn"] = atlas.vpn(world.count(90, 12))
    world.pools["dev_boxes"] = [
        a
        for provider in ("DigitalOcean", "Hetzner", "Linode", "Vultr", "OVHcloud")
        for a in atlas.cloud(provider, world.count(16, 3))
    ]


def build(out: Path, seed: int, scale: float, validate_every: int = 1) -> Summary:
    return assemble(out, seed, scale, validate_every, shared_pools, POPULATIONS)


def assemble(
    out: Path,
    seed: int,
    scale: float,
    validate_every: int,
    pools: Callable[[World], None],
    populations: Sequence[Callable[[World], None]],
) -> Summary:
    """A world of ``populations`` over the shared address ``pools``, written to ``out``
    (log, accounts, labels); also the red-team world's (``bench.redteam``)."""
    started = time.perf_counter()
    text = corpora.load()
    out.mkdir(parents=True, exist_ok=True)
    sink = Sink(out, validate_every)
    world = World(seed, scale, text, Atlas(seed), sink)
    pools(world)
    for population in populations:
        population(world)
    files = sink.finish()
    write_accounts(out / "accounts.jsonl", world.accounts)
    write_labels(out / "labels.csv", world.accounts, sink.calls)
    calls: Counter[str] = Counter()
    members: Counter[str] = Counter()
    for account in world.accounts:
        members[account.population] += 1
        calls[account.population] += sink.calls[account.account_id]
    return Summary(
        sum(sink.calls.values()),
        len(world.accounts),
        files,
        time.perf_counter() - started,
        {p: (members[p], calls[p]) for p in members},
        sink.validated,
    )
