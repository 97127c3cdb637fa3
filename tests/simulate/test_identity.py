"""Sign-up identities: e-mail domains by population, weighted choices, opaque ids."""

from __future__ import annotations

import random
from collections import Counter

from distillguard.simulate.identity import AGENTS, COUNTRIES, choose, email_domain, hex_id
from distillguard.simulate.populations import profile


def test_hex_ids_are_opaque_and_sized() -> None:
    rng = random.Random(1)
    ids = {hex_id(rng, "acct_") for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 21 and int(i[5:], 16) >= 0 for i in ids)


def test_choose_follows_the_weights() -> None:
    rng = random.Random(2)
    counts = Counter(choose({"a": 9, "b": 1, "c": 0}, rng) for _ in range(5000))
    assert counts["c"] == 0
    assert 0.85 < counts["a"] / 5000 < 0.95


def test_email_domains_by_population() -> None:
    rng = random.Random(3)
    corporate = [email_domain(profile("app_backend"), "none", "US", rng) for _ in range(200)]
    assert len(set(corporate)) > 150  # every company its own domain
    campaign = [email_domain(profile("hydra_cot"), "none", "US", rng) for _ in range(500)]
    assert sum(d == "mailinator.com" or d.endswith("mail.net") for d in campaign) > 20
    education = [email_domain(profile("hydra_cot"), "education", "SG", rng) for _ in range(50)]
    assert all(
        d.split(".", 1)[1] in {"edu", "ac.uk", "edu.sg", "ac.jp", "edu.au", "uni.de"}
        for d in education
    )


def test_every_country_has_a_zone_and_a_known_language() -> None:
    for tz, language in COUNTRIES.values():
        assert -12 <= tz <= 14
        assert language in {"en", "de", "fr", "es", "pt", "ja", "zh", "ko", "ru"}
    assert all(len(agents) >= 4 for agents in AGENTS.values())
