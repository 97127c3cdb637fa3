"""Who the simulated accounts are: sign-up records, payment, organisations, keys and agents.

Countries carry the time zone their people live by and the language they write in; e-mail
domains, user agents and card sharing follow the population's profile (the public record
names "shared, virtual or stolen cards; disposable e-mail"). Identifiers are random hex, so
nothing about an id tells which population it belongs to.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from distillguard.simulate.populations import Profile

#: country -> (UTC offset in whole hours, language written there)
COUNTRIES: Final = MappingProxyType(
    {
        "US": (-6, "en"),
        "CA": (-5, "en"),
        "MX": (-6, "es"),
        "BR": (-3, "pt"),
        "GB": (0, "en"),
        "IE": (0, "en"),
        "FR": (1, "fr"),
        "DE": (1, "de"),
        "NL": (1, "en"),
        "ES": (1, "es"),
        "IT": (1, "en"),
        "SE": (1, "en"),
        "CH": (1, "de"),
        "PL": (1, "en"),
        "RU": (3, "ru"),
        "TR": (3, "en"),
        "AE": (4, "en"),
        "IN": (5, "en"),
        "SG": (8, "en"),
        "MY": (8, "en"),
        "HK": (8, "zh"),
        "TW": (8, "zh"),
        "CN": (8, "zh"),
        "VN": (7, "en"),
        "ID": (7, "en"),
        "JP": (9, "ja"),
        "KR": (9, "ko"),
        "AU": (10, "en"),
    }
)

AGENTS: Final = MappingProxyType(
    {
        "people": (
            "OpenAI/Python 1.109.1",
            "OpenAI/Python 2.3.0",
            "OpenAI/JS 5.23.1",
            "Anthropic/Python 0.69.0",
            "Anthropic/TypeScript 0.65.0",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/141.0",
            "Raycast/1.102.0",
            "Obsidian-Copilot/2.9.3",
        ),
        "developers": (
            "OpenAI/Python 2.3.0",
            "OpenAI/Python 2.6.1",
            "Anthropic/Python 0.69.0",
            "Anthropic/Python 0.71.0",
            "Cursor/1.7.44",
            "Zed/0.207.3",
            "aider/0.86.1",
            "continue/1.2.8",
            "langchain-openai/0.3.33",
            "curl/8.14.1",
        ),
        "services": (
            "OpenAI/Python 2.3.0",
            "OpenAI/JS 5.23.1",
            "OpenAI/Java 3.8.0",
            "OpenAI/Go 2.7.0",
            "Anthropic/TypeScript 0.65.0",
            "Anthropic/Java 2.8.0",
        ),
        "scripts": (
            "python-requests/2.32.5",
            "python-httpx/0.28.1",
            "aiohttp/3.12.15",
            "OpenAI/Python 1.109.1",
            "Anthropic/Python 0.69.0",
            "Go-http-client/2.0",
        ),
        "ci": (
            "OpenAI/Python 2.3.0",
            "OpenAI/Python 2.1.0",
            "OpenAI/Python 1.109.1",
            "OpenAI/JS 5.23.1",
            "OpenAI/JS 5.20.0",
            "Anthropic/TypeScript 0.65.0",
            "Anthropic/Python 0.69.0",
            "curl/8.5.0",
            "curl/7.81.0",
            "node-fetch/3.3.2",
            "undici/7.16.0",
            "pr-agent/0.30",
            "reviewdog/0.21.0",
        ),
        "gateways": (
            "litellm/1.78.5",
            "Envoy/1.35",
            "portkey-gateway/1.12.0",
            "kong/3.11.0",
        ),
    }
)

_PERSONAL: Final = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me")
_LOCAL_PERSONAL: Final = MappingProxyType(
    {
        "DE": "gmx.de",
        "FR": "orange.fr",
        "JP": "yahoo.co.jp",
        "KR": "naver.com",
        "BR": "uol.com.br",
        "RU": "yandex.ru",
        "CN": "qq.com",
        "IN": "rediffmail.com",
        "GB": "btinternet.com",
    }
)
_DISPOSABLE: Final = (
    "mailinator.com",
    "guerrillamail.com",
    "10minutemail.net",
    "yopmail.com",
    "sharklasers.com",
    "tempmail.dev",
    "maildrop.cc",
    "dropmail.me",
    "mail.tm",
    "emailondeck.com",
)
_SYLLABLES: Final = (
    "ar", "bel", "cor", "dan", "el", "fen", "gal", "hol", "ir", "jun", "kel", "lum", "mar",
    "nor", "ost", "pra", "quin", "ros", "sol", "tam", "ul", "ver", "wen", "xan", "yor", "zed",
)  # fmt: skip
_CORPORATE_TLDS: Final = (".com", ".io", ".ai", ".co", ".dev", ".tech")
_ACADEMIC: Final = (".edu", ".ac.uk", ".edu.sg", ".ac.jp", ".edu.au", ".uni.de")


def hex_id(rng: random.Random, prefix: str, bits: int = 64) -> str:
    """An opaque identifier: ``prefix`` and ``bits`` random bits in hex."""
    return f"{prefix}{rng.getrandbits(bits):0{bits // 4}x}"


def coined_name(rng: random.Random, parts: int = 2) -> str:
    """A pronounceable invented word (company and university names)."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts))


def email_domain(profile: Profile, program: str, country: str, rng: random.Random) -> str:
    """The domain of one account's sign-up e-mail."""
    if profile.email == "corporate":
        return coined_name(rng, rng.randint(2, 3)) + rng.choice(_CORPORATE_TLDS)
    if profile.email == "academic" or (profile.email != "personal" and program == "education"):
        return coined_name(rng) + rng.choice(_ACADEMIC)
    if profile.email == "disposable" and rng.random() < 0.55:
        return rng.choice(_DISPOSABLE)
    if profile.email == "aliases" and rng.random() < 0.7:
        return coined_name(rng, 3) + rng.choice((".xyz", ".top", ".site", ".online"))
    if country in _LOCAL_PERSONAL and rng.random() < 0.4:
        return _LOCAL_PERSONAL[country]
    return rng.choice(_PERSONAL)


def choose(weights: Mapping[str, float], rng: random.Random) -> str:
    """One key of ``weights``, drawn in proportion to its weight (keys in their given order)."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]
