"""The overlaps real traffic has between look-alikes and campaigns, and that they stay off.

One run of the built-in ``adversarial`` scenario (scaled down) with every overlap on, and one
of ``overlap-none`` (the same populations with every overlap off), read back from the raw log.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from distillguard.ingest.enrich import IpEnricher
from distillguard.simulate.corpus import Corpus
from distillguard.simulate.generate import simulate
from distillguard.simulate.overlaps import OVERLAPS
from distillguard.simulate.phrases.public import PUBLIC_SYSTEM_PROMPTS
from distillguard.simulate.scenario import load
from distillguard.simulate.timing import outages

CALLS = 16_000
START = datetime(2026, 5, 4, tzinfo=UTC)


@dataclass
class Traffic:
    """What a run sent, per population."""

    out: Path
    population: dict[str, str] = field(default_factory=dict)  # account -> population
    campaign: dict[str, str] = field(default_factory=dict)  # account -> campaign id
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    day_ips: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    account_ips: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    firsts: dict[str, set[tuple[str | None, str]]] = field(
        default_factory=lambda: defaultdict(set)
    )  # population -> (system, first user turn)
    systems: dict[str, set[str | None]] = field(default_factory=lambda: defaultdict(set))
    hours: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    lines: list[bytes] = field(default_factory=list)

    def shared_day_ips(self, a: str, b: str) -> set[tuple[str, str]]:
        return self.day_ips[a] & self.day_ips[b]

    def campaign_day_ips(self) -> set[tuple[str, str]]:
        names = {self.population[a] for a in self.campaign if self.campaign[a]}
        return set().union(*(self.day_ips[n] for n in names))

    def members(self, population: str) -> list[str]:
        return [a for a, p in self.population.items() if p == population]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part.get("text", "") if isinstance(part, dict) else str(part) for part in content
        )
    return ""


def _prompt(endpoint: str, request: dict[str, Any]) -> tuple[str | None, str, int]:
    """System prompt, last user text and number of user turns of one request body."""
    if endpoint == "/v1/completions":
        return None, _text(request.get("prompt")), 1
    if endpoint == "/v1/responses":
        items = request.get("input")
        if isinstance(items, str):
            return request.get("instructions"), items, 1
        users = [_text(m.get("content")) for m in items or [] if m.get("role") == "user"]
        return request.get("instructions"), users[-1] if users else "", len(users)
    messages = request.get("messages") or []
    users = [_text(m.get("content")) for m in messages if m.get("role") == "user"]
    system: str | None = None
    if endpoint == "/v1/messages":
        system = _text(request["system"]) if "system" in request else None
    else:
        systems = [m for m in messages if m.get("role") in ("system", "developer")]
        system = _text(systems[0]["content"]) if systems else None
    return system, users[-1] if users else "", len(users)


def _read(out: Path) -> Traffic:
    traffic = Traffic(out)
    with (out / "labels.csv").open() as handle:
        for row in csv.DictReader(handle):
            traffic.population[row["account_id"]] = row["population"]
            traffic.campaign[row["account_id"]] = row["campaign_id"]
    for line in (out / "accounts.jsonl").read_bytes().splitlines():
        record = orjson.loads(line)
        traffic.accounts[record["account_id"]] = record
    for path in sorted((out / "log").iterdir()):
        for line in gzip.decompress(path.read_bytes()).splitlines():
            traffic.lines.append(line)
            record = orjson.loads(line)
            population = traffic.population[record["account_id"]]
            day = record["ts"][:10]
            traffic.day_ips[population].add((day, record["client_ip"]))
            traffic.account_ips[record["account_id"]].add(record["client_ip"])
            moment = datetime.fromisoformat(record["ts"])
            traffic.hours[population].append((moment - START).total_seconds() / 3600)
            system, user, turns = _prompt(record["endpoint"], record["request"])
            traffic.systems[population].add(system)
            if turns == 1:
                traffic.firsts[population].add((system, user))
    return traffic


def _run(name: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Traffic]:
    out = tmp_path_factory.mktemp(name)
    simulate(load(name).scaled(CALLS), out, workers=2)
    yield _read(out)


@pytest.fixture(scope="module")
def on(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Traffic]:
    yield from _run("adversarial", tmp_path_factory)


@pytest.fixture(scope="module")
def off(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Traffic]:
    yield from _run("overlap-none", tmp_path_factory)


# ---- shared cloud egress -------------------------------------------------------------------


@pytest.mark.parametrize(
    "lookalike",
    ["ci-bots-shared-egress", "eval-suites-shared-egress", "app-backends-shared-egress"],
)
def test_shared_egress_puts_lookalikes_on_a_campaigns_cloud_addresses(
    on: Traffic, lookalike: str
) -> None:
    assert on.shared_day_ips(lookalike, "hydra-cot")


def test_shared_egress_addresses_are_real_cloud_ranges(on: Traffic) -> None:
    enricher = IpEnricher()
    shared = {ip for _, ip in on.shared_day_ips("ci-bots-shared-egress", "hydra-cot")}
    for ip in shared:
        _, _, kind, provider = enricher.lookup(ip)
        assert kind == "hosting"
        assert provider in ("Microsoft Azure", "GitHub", "Amazon AWS")


# ---- residential proxy exits on customers' lines -------------------------------------------


@pytest.mark.parametrize("customers", ["casual-proxy-homes", "power-proxy-homes"])
def test_customers_home_lines_are_campaign_proxy_exits(on: Traffic, customers: str) -> None:
    shared = on.day_ips[customers] & on.campaign_day_ips()
    assert shared
    enricher = IpEnricher()
    assert all(enricher.lookup(ip)[2] == "other" for _, ip in shared)  # residential lines


def test_the_adaptive_campaign_spreads_over_customers_lines(on: Traffic) -> None:
    assert on.shared_day_ips("adaptive", "casual-proxy-homes")


# ---- public benchmarks and public system prompts -------------------------------------------


def test_public_benchmark_items_are_sent_word_for_word_by_evals_power_users_and_the_relay(
    on: Traffic,
) -> None:
    evals, power = on.firsts["eval-suites-public-benchmarks"], on.firsts["power-public-benchmarks"]
    assert evals & on.firsts["relay"]
    assert power & on.firsts["relay"]
    assert evals & on.firsts["adaptive"]


def test_popular_system_prompts_are_shared_by_unrelated_customers(on: Traffic) -> None:
    shared = on.systems["app-backends-public-prompt"] & on.systems["power-public-prompt"]
    assert shared
    assert shared <= set(PUBLIC_SYSTEM_PROMPTS)


# ---- identity look-alikes ------------------------------------------------------------------


def test_a_team_pays_for_several_accounts_with_one_card(on: Traffic) -> None:
    team = [on.accounts[a] for a in on.members("team-accounts")]
    by_card: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in team:
        by_card[record["payment_fingerprint"]].append(record)
    assert max(len(members) for members in by_card.values()) > 1
    for members in by_card.values():
        assert len({m["email_domain"] for m in members}) == 1
        assert all(m["verified"] for m in members)


def test_a_class_signs_up_together_with_one_academic_domain(on: Traffic) -> None:
    records = [on.accounts[a] for a in on.members("classroom-cohort")]
    created = sorted(datetime.fromisoformat(r["created_at"]) for r in records)
    assert (created[-1] - created[0]).total_seconds() <= 2 * 3600
    assert len({r["email_domain"] for r in records}) == 1
    assert {r["program"] for r in records} == {"education"}


def test_many_accounts_sit_behind_one_office_address(on: Traffic) -> None:
    office = on.members("office-nat")
    addresses = set().union(*(on.account_ips[a] for a in office))
    assert len(office) >= 2
    assert len(addresses) == 1


def test_fallback_backends_burst_while_another_provider_is_down(on: Traffic) -> None:
    windows = outages(load("adversarial"))
    hours = on.hours["app-backends-failover"]
    # a call belongs to the hour it starts in, and an hour is down when its middle is
    during = [h for h in hours if any(a <= int(h) + 0.5 < b for a, b in windows)]
    assert len(during) >= 0.8 * len(hours)


# ---- the adaptive campaign -----------------------------------------------------------------


def test_the_adaptive_campaign_hides_from_the_text_and_identity_rules(on: Traffic) -> None:
    records = [on.accounts[a] for a in on.members("adaptive")]
    assert all(r["verified"] for r in records)
    assert len({r["payment_fingerprint"] for r in records}) == len(records)
    assert {r["program"] for r in records} == {"none"}
    assert on.systems["adaptive"] == {None}  # no elicitation template


def test_the_adaptive_campaign_reuses_one_proxy_pool(on: Traffic) -> None:
    members = on.members("adaptive")
    seen: dict[str, int] = defaultdict(int)
    for account in members:
        for ip in on.account_ips[account]:
            seen[ip] += 1
    assert max(seen.values()) > 1  # its own accounts share exits


# ---- markers and defaults ------------------------------------------------------------------


def test_no_scenario_name_reaches_the_traffic(on: Traffic) -> None:
    scenario = load("adversarial")
    names = [*OVERLAPS, *(p.name for p in scenario.pools)]
    names += [p.name for p in scenario.populations if p.overlap]
    blob = b"\n".join(on.lines) + (on.out / "accounts.jsonl").read_bytes()
    assert [n for n in names if n.encode() in blob] == []


def test_every_overlap_is_off_without_its_settings(off: Traffic) -> None:
    assert not off.shared_day_ips("ci-bots", "hydra-cot")
    assert not off.day_ips["casual"] & off.campaign_day_ips()
    assert not off.firsts["eval-suites"] & off.firsts["relay"]
    assert not off.systems["app-backends"] & set(PUBLIC_SYSTEM_PROMPTS)
    assert not any(p.overlap for p in load("overlap-none").populations)


def test_with_the_real_corpora_the_shared_items_are_real_benchmark_items(
    tmp_path: Path,
) -> None:
    corpora = Path(__file__).resolve().parents[3] / "shared" / "corpora"
    if not corpora.is_dir():
        pytest.skip(f"../shared/corpora is absent: {corpora} (real-corpus test skipped)")
    simulate(load("overlap-public-benchmarks").scaled(8000), tmp_path, corpus=corpora, workers=2)
    traffic = _read(tmp_path)
    shared = {user for _, user in traffic.firsts["eval-suites-public-benchmarks"]} & {
        user for _, user in traffic.firsts["relay"]
    }
    assert shared
    assert shared <= set(Corpus.load(corpora).benchmarks)
