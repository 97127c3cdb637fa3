"""The shared context populations draw from: seeded randomness, corpora, address pools."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from bench.outside import identity
from bench.outside.corpora import Corpora
from bench.outside.model import Account, Call
from bench.outside.network import Address, Atlas
from bench.outside.sink import Sink


@dataclass
class Actor:
    """One account as it calls the API: its key, organisation, client and defaults."""

    account: Account
    key_id: str
    org_id: str | None
    user_agent: str | None
    endpoint: str
    model: str


@dataclass
class World:
    seed: int
    scale: float
    corpora: Corpora
    atlas: Atlas
    sink: Sink
    accounts: list[Account] = field(default_factory=list)
    pools: dict[str, list[Address]] = field(default_factory=dict)

    def rng(self, name: str) -> random.Random:
        """An independent, reproducible stream per population (string seeds hash stably)."""
        return random.Random(f"{self.seed}:{name}")

    def count(self, base: float, minimum: int = 1) -> int:
        return max(minimum, round(base * self.scale))

    def open_account(
        self,
        rng: random.Random,
        population: str,
        *,
        created_at: datetime,
        email_domain: str,
        payment_fingerprint: str | None,
        billing_country: str,
        tier: str,
        program: str = "none",
        verified: bool = False,
        campaign_id: str | None = None,
    ) -> Account:
        account = Account(
            identity.account_id(rng),
            created_at,
            email_domain,
            payment_fingerprint,
            billing_country,
            tier,
            program,
            verified,
            population,
            campaign_id,
        )
        self.accounts.append(account)
        return account

    def actor(
        self,
        rng: random.Random,
        account: Account,
        user_agent: str | None,
        endpoint: str,
        model: str,
        org_id: str | None = None,
    ) -> Actor:
        return Actor(account, identity.key_id(rng), org_id, user_agent, endpoint, model)

    def emit(self, rng: random.Random, call: Call) -> None:
        self.sink.write(rng, call)
