"""Who signs up: account ids, e-mail domains, card fingerprints, user agents."""

from __future__ import annotations

import random
import string
from datetime import datetime, timedelta

from bench.outside.clock import START

WEBMAIL: dict[str, tuple[str, ...]] = {
    "US": (
        "gmail.com",
        "gmail.com",
        "gmail.com",
        "yahoo.com",
        "outlook.com",
        "icloud.com",
        "hotmail.com",
        "aol.com",
        "proton.me",
    ),
    "GB": (
        "gmail.com",
        "gmail.com",
        "outlook.com",
        "hotmail.co.uk",
        "btinternet.com",
        "icloud.com",
    ),
    "DE": ("gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.de", "posteo.de"),
    "FR": ("gmail.com", "orange.fr", "free.fr", "hotmail.fr", "laposte.net"),
    "JP": ("gmail.com", "yahoo.co.jp", "icloud.com", "docomo.ne.jp"),
    "KR": ("naver.com", "gmail.com", "daum.net", "kakao.com"),
    "BR": ("gmail.com", "hotmail.com", "outlook.com", "uol.com.br"),
    "IN": ("gmail.com", "gmail.com", "yahoo.co.in", "rediffmail.com", "outlook.com"),
    "CN": ("qq.com", "163.com", "126.com", "gmail.com", "foxmail.com"),
    "TW": ("gmail.com", "yahoo.com.tw", "hotmail.com"),
}
DEFAULT_WEBMAIL = (
    "gmail.com",
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
)

# The user agents the official SDKs and common HTTP clients send.
SDK_AGENTS = (
    "OpenAI/Python 1.109.1",
    "OpenAI/Python 2.8.0",
    "OpenAI/Python 3.57.0",
    "OpenAI/Python 3.60.0",
    "OpenAI/JS 5.23.2",
    "OpenAI/JS 6.9.1",
    "Anthropic/Python 0.72.0",
    "Anthropic/Python 2.16.0",
    "Anthropic/JS 0.68.0",
    "python-requests/2.32.5",
    "python-httpx/0.28.1",
    "axios/1.13.2",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "curl/8.5.0",
    "Go-http-client/2.0",
    "okhttp/4.12.0",
    "LangChain/1.0.5 OpenAI/Python 2.8.0",
    "ai-sdk/openai/2.0.68",
)
CHAT_APP_AGENTS = (
    "Chatbox/1.17.1 (Macintosh; Intel Mac OS X 10_15_7)",
    "LibreChat/0.8.0",
    "Open WebUI/0.6.36",
    "TypingMind/2.4",
    "Jan/0.7.3 (Windows NT 10.0; Win64; x64)",
    "Raycast/1.103.6 (macOS Version 15.6.1)",
    "BoltAI/1.36.2 (Mac OS X)",
)


def hex_id(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def alnum(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))


def account_id(rng: random.Random) -> str:
    return f"acct_{alnum(rng, 14)}"


def key_id(rng: random.Random) -> str:
    return f"key_{alnum(rng, 10)}"


def org_id(rng: random.Random) -> str:
    return f"org-{alnum(rng, 16)}"


def card(rng: random.Random) -> str:
    """A card fingerprint as payment processors show it (16 mixed-case characters)."""
    return alnum(rng, 16)


def webmail(rng: random.Random, country: str) -> str:
    return rng.choice(WEBMAIL.get(country, DEFAULT_WEBMAIL))


def created_before(rng: random.Random, min_days: float, max_days: float) -> datetime:
    return START - timedelta(days=rng.uniform(min_days, max_days))


def company_domain(rng: random.Random) -> str:
    first = rng.choice(
        (
            "north",
            "blue",
            "bright",
            "quantum",
            "lumen",
            "terra",
            "nova",
            "kite",
            "harbor",
            "cedar",
            "pixel",
            "vector",
            "atlas",
            "ember",
            "orbit",
            "delta",
            "sage",
            "cobalt",
            "meridian",
            "tandem",
            "fern",
            "granite",
            "signal",
        )
    )
    second = rng.choice(
        (
            "labs",
            "works",
            "ly",
            "io",
            "hq",
            "soft",
            "data",
            "ai",
            "stack",
            "health",
            "legal",
            "pay",
            "learn",
            "ops",
            "cloud",
            "metrics",
        )
    )
    tld = rng.choice(("com", "com", "com", "io", "ai", "co", "de", "co.uk", "dev", "app"))
    return f"{first}{second}.{tld}"
