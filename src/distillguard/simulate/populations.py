"""What each simulated population does: one :class:`Profile` of knobs, one preset per kind.

A population is a group of accounts that behave alike: casual users, an evaluation team's
nightly suites, a hydra reseller pool. Everything the generator needs to know about it is a
knob of :class:`Profile` (who the accounts are, where they connect from, when they call, what
they send); a *kind* is a named preset of knobs (:data:`KINDS`, read from the data file
``simulate/data/kinds.toml``), and a scenario file may override any knob of any population.
The generator has one code path for all of them, so a new behaviour is usually a new preset,
not new code.

Mappings of weights (``{"US": 3, "DE": 1}``) are relative; they need not sum to one.
``docs/simulator.md`` says which public fact each preset models.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any, Final

from distillguard.simulate.bodies import CHAT, COMPLETIONS, MESSAGES, RESPONSES

Weights = Mapping[str, float]

TIMINGS: Final = ("diurnal", "office", "flat", "nightly", "synchronized")
"""diurnal: people, by their time zone, quieter at weekends; office: working hours on working
days; flat: around the clock; nightly: a run starting after midnight local time each night,
all day on a model's release day; synchronized: one controller spreading calls over all of a
pool's accounts in shared bursts."""

TEXTS: Final = (
    "chat",  # people asking things, multi-turn
    "app",  # an app's fixed system prompt around its end users' input
    "eval",  # benchmark items, the same items every night
    "review",  # pull-request review prompts with diffs
    "synthetic",  # licensed synthetic-data generation jobs
    "cot",  # chain-of-thought elicitation system template with small variations
    "inline_tag",  # one fixed inline reasoning-tag instruction on every request
    "coercion",  # reasoning-trace coercion: thinking language, translated working memory
    "rubric",  # the model as a reward model: grade a candidate answer
    "sweep",  # capability sweep over areas, plain tasks
    "probe",  # probe many wrapper variants (mostly refused), then scale the winner
    "relay",  # end users' real requests forwarded through the accounts
    "harvest",  # plain tasks sent to harvest logprobs and many samples
)

CREATED: Final = ("past", "waves", "fresh", "cohort")
"""past: signed up months before the period; waves: created in sign-up bursts during the
period (and replaced when banned); fresh: created just before the account's first call;
cohort: the whole population signs up together within two hours (a class, a hackathon)."""

EMAILS: Final = ("personal", "corporate", "academic", "disposable", "aliases")


@dataclass(frozen=True)
class Profile:
    """Every knob of a population; a kind's preset sets the ones that differ from these."""

    campaign: bool = False  # accounts of a distillation campaign (labels carry a campaign id)
    # -- identity
    tiers: Weights = field(default_factory=lambda: {"free": 6, "build": 3, "scale": 1})
    programs: Weights = field(default_factory=lambda: {"none": 1})
    verified: float = 0.6  # share of accounts that completed identity verification
    billing: Weights = field(
        default_factory=lambda: {"US": 5, "GB": 1, "DE": 1, "FR": 1, "IN": 1, "BR": 1}
    )
    email: str = "personal"
    accounts_per_card: int = 1  # >1: a card pays for that many accounts
    virtual_cards: float = 0.0  # share of cards that are virtual (issued by card platforms)
    accounts_per_org: int = 1  # 0: one organisation holds every account of the population
    org_cards: bool = False  # true: one card pays for all accounts of an organisation
    org_domains: bool = False  # true: an organisation's accounts share one e-mail domain
    created: str = "past"
    lifetime_days: float = 0.0  # >0: accounts are banned after about this long and replaced
    # -- infrastructure
    networks: Weights = field(default_factory=lambda: {"residential": 1})
    ip_countries: Weights | None = None  # None: the account's billing country
    providers: tuple[str, ...] = ()  # hosting providers to draw hosting addresses from
    ips_per_account: int = 2
    shared_pool: int = 0  # >0: every account draws from one pool of this many addresses
    # Scenario-level address pools ([[pool]]) this population shares with others; several
    # populations naming one pool use literally the same addresses on the same days.
    pools: Weights = field(default_factory=dict)  # pool -> share of calls sent from it
    homes: Weights = field(default_factory=dict)  # pool -> share of accounts living on it
    agents: str = "people"  # user-agent family (see ``identity.AGENTS``)
    agents_per_account: int = 1
    keys_per_account: int = 1
    # -- timing
    timing: str = "diurnal"
    weekend: float = 0.7  # weekend activity relative to weekdays (diurnal / office)
    failover: bool = False  # true: a fallback for another provider, busy while it is down
    tail: float = 1.3  # Pareto shape of per-account activity; 0: every account alike
    start: float = 0.0  # active window, as fractions of the scenario's period
    end: float = 1.0
    turns: float = 1.0  # mean calls per session (conversation turns)
    gap_s: float = 60.0  # mean seconds between a session's calls, after the answer arrives
    # -- content
    text: str = "chat"
    areas: Weights = field(
        default_factory=lambda: {
            "everyday": 4,
            "writing": 3,
            "coding": 3,
            "science": 1,
            "business": 1,
            "math": 1,
            "data_analysis": 1,
            "agentic": 0.3,
        }
    )
    languages: Weights | None = None  # None: the language of the billing country
    endpoints: Weights = field(default_factory=lambda: {CHAT: 6, MESSAGES: 3, RESPONSES: 1})
    adoption_days: float = 30.0  # days until a new model carries half the traffic
    retarget: float = 0.0  # campaigns: share moved to a new model within 24 h of its release
    temperature: float | None = 0.7  # None ("per-account"): a value per account in [0.2, 1.2]
    logprobs: float = 0.0  # share of calls asking for logprobs (OpenAI endpoints)
    top_logprobs: int = 0
    n: int = 1  # samples per call (chat completions / completions)
    max_tokens: int = 0  # 0: not sent
    reasoning: float = 0.1  # share of calls asking for reasoning / extended thinking
    stream: float = 0.5
    tools: float = 0.0
    end_users: int = 0  # >0: distinct end users this account serves (sent as safety id)
    refusal: float = 0.002  # share of answers that are refusals
    answer_tokens: float = 220.0  # median answer length (tokens)
    errors: float = 0.01  # share of calls that fail (rate limits, overload, bad requests)
    ordinary: float = 0.0  # campaigns: share of calls that are resold ordinary customer chats
    probe_share: float = 0.15  # "probe": the share of the period spent probing wrappers
    variants: int = 0  # "probe": wrapper variants tried; "eval": items per suite
    benchmarks: float = 0.0  # share of first turns that are public benchmark items
    public_system: float = 0.0  # share of accounts using a popular public system prompt


KNOBS: Final = MappingProxyType({f.name: f for f in fields(Profile)})

#: ``temperature`` in a TOML file (which has no null): a fixed value drawn per account.
PER_ACCOUNT: Final = "per-account"


class ProfileError(ValueError):
    """A population's kind or knobs are not valid."""


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    return value


@cache
def presets() -> Mapping[str, Mapping[str, Any]]:
    """The preset knobs of every kind (``simulate/data/kinds.toml``), read once per process.

    A kind's ``base`` names a ``[base.<name>]`` table whose knobs come first; the kind's own
    knobs replace them. Values are checked only when :func:`profile` applies them.
    """
    resource = files("distillguard.simulate") / "data" / "kinds.toml"
    data = tomllib.loads(resource.read_text(encoding="utf-8"))
    bases: Mapping[str, Mapping[str, Any]] = data.get("base", {})
    kinds: dict[str, Mapping[str, Any]] = {}
    for name, table in data["kind"].items():
        knobs = dict(table)
        base = knobs.pop("base", None)
        if base is not None:
            if base not in bases:
                raise ProfileError(f"kind {name!r} names an unknown base {base!r}")
            knobs = {**bases[base], **knobs}
        kinds[name] = _freeze(knobs)
    return MappingProxyType(kinds)


KINDS: Final = presets()
"""Preset knobs per kind; ``Profile`` defaults fill the rest."""

BENIGN_KINDS: Final = tuple(k for k, v in KINDS.items() if not v.get("campaign", False))
CAMPAIGN_KINDS: Final = tuple(k for k, v in KINDS.items() if v.get("campaign", False))


def _weights(name: str, value: Any) -> Weights:
    if not isinstance(value, Mapping) or not value:
        raise ProfileError(f"{name} must be a non-empty table of weights, got {value!r}")
    out: dict[str, float] = {}
    for key, weight in value.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            raise ProfileError(f"{name}.{key} must be a weight >= 0, got {weight!r}")
        out[str(key)] = float(weight)
    if sum(out.values()) <= 0:
        raise ProfileError(f"{name} needs at least one positive weight")
    return out


def _shares(name: str, value: Any) -> Weights:
    """A table of shares in [0, 1] that add up to at most 1 (an empty table is allowed)."""
    if not isinstance(value, Mapping):
        raise ProfileError(f"{name} must be a table of shares, got {value!r}")
    out: dict[str, float] = {}
    for key, share in value.items():
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            raise ProfileError(f"{name}.{key} must be a share in [0, 1], got {share!r}")
        out[str(key)] = float(share)
    if sum(out.values()) > 1:
        raise ProfileError(f"{name} shares add up to more than 1")
    return out


def _knob(name: str, value: Any) -> Any:
    """``value`` checked against the knob's default type."""
    default = getattr(Profile(), name)
    if name in _SHARE_TABLES:
        return _shares(name, value)
    if name in ("ip_countries", "languages") and value is None:
        return None
    if isinstance(default, Mapping) or name in ("ip_countries", "languages"):
        return _weights(name, value)
    if name == "temperature":
        if value is None or value == PER_ACCOUNT:
            return None
        default = 0.0
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ProfileError(f"{name} must be true or false, got {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ProfileError(f"{name} must be a whole number >= 0, got {value!r}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ProfileError(f"{name} must be a number >= 0, got {value!r}")
        return float(value)
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ProfileError(f"{name} must be a list of names, got {value!r}")
        return tuple(value)
    if not isinstance(value, str):
        raise ProfileError(f"{name} must be text, got {value!r}")
    return value


_SHARE_TABLES: Final = ("pools", "homes")
_CHOICES: Final = MappingProxyType(
    {"timing": TIMINGS, "text": TEXTS, "created": CREATED, "email": EMAILS}
)


def profile(kind: str, overrides: Mapping[str, Any] | None = None) -> Profile:
    """The profile of ``kind`` with ``overrides`` applied; every value is checked."""
    if kind not in KINDS:
        raise ProfileError(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
    changes: dict[str, Any] = {}
    for source in (KINDS[kind], overrides or {}):
        for name, value in source.items():
            if name not in KNOBS:
                raise ProfileError(f"unknown knob {name!r}; knobs: {', '.join(KNOBS)}")
            changes[name] = _knob(name, value)
    result = replace(Profile(), **changes)
    # plain dicts (read-only by type): a plan is pickled to the processes that write it
    plain: dict[str, Any] = {
        f.name: dict(value)
        for f in fields(result)
        if isinstance(value := getattr(result, f.name), Mapping)
    }
    result = replace(result, **plain)
    for name, allowed in _CHOICES.items():
        if getattr(result, name) not in allowed:
            raise ProfileError(f"{name} must be one of {', '.join(allowed)}")
    for name in ("verified", "virtual_cards", "start", "end", "retarget", "logprobs"):
        if not 0.0 <= getattr(result, name) <= 1.0:
            raise ProfileError(f"{name} must lie in [0, 1]")
    for name in ("reasoning", "stream", "tools", "refusal", "errors", "probe_share", "ordinary"):
        if not 0.0 <= getattr(result, name) <= 1.0:
            raise ProfileError(f"{name} must lie in [0, 1]")
    for name in ("benchmarks", "public_system"):
        if not 0.0 <= getattr(result, name) <= 1.0:
            raise ProfileError(f"{name} must lie in [0, 1]")
    if result.start >= result.end:
        raise ProfileError("start must come before end")
    if result.turns < 1:
        raise ProfileError("turns must be at least 1")
    for name in ("n", "ips_per_account", "agents_per_account", "keys_per_account"):
        if getattr(result, name) < 1:
            raise ProfileError(f"{name} must be at least 1")
    if result.gap_s <= 0:
        raise ProfileError("gap_s must be more than 0")
    unknown = sorted(set(result.endpoints) - {CHAT, RESPONSES, COMPLETIONS, MESSAGES})
    if unknown:
        raise ProfileError(f"unknown endpoints {unknown}")
    bad_nets = sorted(set(result.networks) - {"residential", "hosting", "vpn", "tor"})
    if bad_nets:
        raise ProfileError(f"unknown networks {bad_nets}; use residential, hosting, vpn, tor")
    return result
