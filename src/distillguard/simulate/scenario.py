"""Scenario files: the period, the models served, and the populations that call them.

A scenario is a TOML file::

    name = "demo"
    seed = 7
    start = 2026-05-04T00:00:00Z
    days = 14
    interactions = 1_000_000

    [[model]]
    name = "aurora-2"
    released = 2026-01-20T00:00:00Z
    weight = 3                      # popularity before newer models arrive

    [[population]]
    name = "casual"                 # the labels' population column
    kind = "casual"                 # a preset of populations.KINDS
    accounts = 20000
    share = 0.30                    # share of the interactions
    turns = 3.0                     # any knob of populations.Profile overrides the preset

Campaign populations carry a ``campaign`` id (default: the population's name); several
populations may share one, as two pools of one operation do. The built-in scenarios live
beside this module (``scenarios/*.toml``).

Address pools shared between populations are scenario-level tables::

    [[pool]]
    name = "cloud-runners"
    kind = "hosting"                # residential | hosting | vpn | tor
    providers = ["Microsoft Azure", "GitHub", "Amazon AWS"]
    countries = { US = 3, NL = 1 }  # optional; default: anywhere the providers are
    size = 120
    overlap = "shared-egress"       # optional: the overlap it belongs to (overlaps.py)

and a population names them with the knobs ``pools`` (share of its calls sent from a pool)
and ``homes`` (share of its accounts whose own addresses are in a pool). A population may
also carry ``overlap = "<name>"`` when it exists only for that overlap.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Final

from distillguard.simulate.identity import COUNTRIES
from distillguard.simulate.overlaps import ADVERSARIAL, KNOB_OVERLAPS, NONE, OVERLAPS, PREFIX
from distillguard.simulate.populations import Profile, ProfileError, profile
from distillguard.simulate.templates import LANGUAGES

#: Built-in scenario files; ``overlap-<name>`` (see :mod:`~distillguard.simulate.overlaps`)
#: names are built in too, cut from ``adversarial``.
BUILT_IN: Final = ("smoke", "demo", "scale16m", ADVERSARIAL)
POOL_KINDS: Final = ("residential", "hosting", "vpn", "tor")
MIN_ACCOUNTS: Final = 2
MIN_CAMPAIGN_ACCOUNTS: Final = 8


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Model:
    name: str
    released: datetime
    weight: float = 1.0


@dataclass(frozen=True)
class Population:
    name: str
    kind: str
    campaign_id: str  # empty for benign populations
    accounts: int
    share: float
    profile: Profile
    overrides: Mapping[str, Any]
    overlap: str = ""  # the overlap this population exists for; empty: always there


@dataclass(frozen=True)
class Pool:
    """Addresses that several populations draw from (``[[pool]]``)."""

    name: str
    kind: str
    size: int
    providers: tuple[str, ...] = ()
    countries: Mapping[str, float] | None = None
    overlap: str = ""

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "size": self.size,
            "providers": list(self.providers),
            "countries": dict(self.countries) if self.countries else None,
            "overlap": self.overlap,
        }


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    seed: int
    start: datetime
    days: int
    interactions: int
    models: tuple[Model, ...]
    populations: tuple[Population, ...]
    pools: tuple[Pool, ...] = ()

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)

    @property
    def hours(self) -> int:
        return self.days * 24

    def scaled(self, interactions: int) -> Scenario:
        """The scenario at ``interactions`` calls; account counts scale with it."""
        if interactions < 1:
            raise ScenarioError(f"interactions must be at least 1, got {interactions}")
        factor = interactions / self.interactions
        populations = tuple(
            replace(
                p,
                accounts=max(
                    MIN_CAMPAIGN_ACCOUNTS if p.campaign_id else MIN_ACCOUNTS,
                    round(p.accounts * factor),
                ),
            )
            for p in self.populations
        )
        return replace(self, interactions=interactions, populations=populations)

    def reseeded(self, seed: int) -> Scenario:
        """The same scenario drawn from another seed."""
        return replace(self, seed=seed)

    def only_overlap(self, name: str) -> Scenario:
        """The scenario with only overlap ``name`` on (``"none"``: every overlap off).

        Pools and populations tagged with another overlap are left out (and the other
        populations' shares of those pools with them); the knobs of other overlaps are set to
        0 except on the populations tagged with ``name``, which are kept as they are.
        """
        if name != NONE and name not in OVERLAPS:
            raise ScenarioError(f"unknown overlap {name!r}; overlaps: {', '.join(OVERLAPS)}")
        pools = tuple(p for p in self.pools if p.overlap in ("", name))
        kept = {p.name for p in pools}
        populations = []
        for population in self.populations:
            if population.overlap not in ("", name):
                continue
            overrides = dict(population.overrides)
            changes: dict[str, Any] = {}
            for knob in ("pools", "homes"):
                shares = getattr(population.profile, knob)
                if set(shares) - kept:
                    changes[knob] = {k: v for k, v in shares.items() if k in kept}
            for knob, overlap in KNOB_OVERLAPS.items():
                # a population that exists for the kept overlap keeps all of its knobs
                kept_population = population.overlap == name
                if overlap != name and not kept_population and getattr(population.profile, knob):
                    changes[knob] = 0.0
            overrides.update(changes)
            populations.append(
                replace(
                    population,
                    profile=replace(population.profile, **changes),
                    overrides=overrides,
                )
            )
        if not populations or sum(p.share for p in populations) <= 0:
            raise ScenarioError(f"no population is left with only overlap {name!r}")
        label = f"{self.name}, only {name}" if name != NONE else f"{self.name}, no overlap"
        return replace(self, description=label, pools=pools, populations=tuple(populations))

    def describe(self) -> dict[str, Any]:
        """The scenario as plain JSON-able data (for ``scenario.json``)."""
        described = self._describe()
        if self.pools:  # only then, so scenarios without pools describe as they always did
            described["pools"] = [p.describe() for p in self.pools]
        tagged = {p.name: p.overlap for p in self.populations if p.overlap}
        for population in described["populations"]:
            if population["name"] in tagged:
                population["overlap"] = tagged[population["name"]]
        return described

    def _describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "seed": self.seed,
            "start": _iso(self.start),
            "days": self.days,
            "interactions": self.interactions,
            "models": [
                {"name": m.name, "released": _iso(m.released), "weight": m.weight}
                for m in self.models
            ],
            "populations": [
                {
                    "name": p.name,
                    "kind": p.kind,
                    "campaign_id": p.campaign_id,
                    "accounts": p.accounts,
                    "share": p.share,
                    "overrides": dict(p.overrides),
                }
                for p in self.populations
            ],
        }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _moment(where: str, value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    raise ScenarioError(f"{where} must be a TOML date-time such as 2026-05-04T00:00:00Z")


def _number(where: str, value: Any, kind: type[int] | type[float], low: float) -> Any:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        ok = ok and isinstance(value, int)
    if not ok or value < low or (isinstance(value, float) and not math.isfinite(value)):
        word = "a whole number" if kind is int else "a number"
        raise ScenarioError(f"{where} must be {word} >= {low}, got {value!r}")
    return kind(value)


def _population(index: int, table: Any) -> Population:
    where = f"population #{index + 1}"
    if not isinstance(table, dict):
        raise ScenarioError(f"{where} must be a table")
    body = dict(table)
    name = body.pop("name", None)
    kind = body.pop("kind", None)
    if not isinstance(name, str) or not name:
        raise ScenarioError(f"{where} needs a name")
    where = f"population {name!r}"
    if not isinstance(kind, str):
        raise ScenarioError(f"{where} needs a kind")
    accounts = _number(f"{where}: accounts", body.pop("accounts", None), int, 1)
    share = _number(f"{where}: share", body.pop("share", None), float, 0.0)
    campaign = body.pop("campaign", None)
    overlap = _overlap(where, body.pop("overlap", ""))
    try:
        prof = profile(kind, body)
    except ProfileError as exc:
        raise ScenarioError(f"{where}: {exc}") from exc
    for knob in ("billing", "ip_countries"):
        unknown = sorted(set(getattr(prof, knob) or {}) - set(COUNTRIES))
        if unknown:
            raise ScenarioError(
                f"{where}: {knob} has unknown countries {unknown}; known: {', '.join(COUNTRIES)}"
            )
    languages = sorted(set(prof.languages or {}) - set(LANGUAGES))
    if languages:
        raise ScenarioError(
            f"{where}: unknown languages {languages}; known: {', '.join(LANGUAGES)}"
        )
    if campaign is not None and (not isinstance(campaign, str) or not campaign):
        raise ScenarioError(f"{where}: campaign must be a non-empty id")
    if campaign is not None and not prof.campaign:
        raise ScenarioError(f"{where}: a {kind} population is not a campaign")
    campaign_id = (campaign or name) if prof.campaign else ""
    return Population(name, kind, campaign_id, accounts, share, prof, body, overlap)


def _overlap(where: str, value: Any) -> str:
    if value != "" and value not in OVERLAPS:
        raise ScenarioError(f"{where}: unknown overlap {value!r}; overlaps: {', '.join(OVERLAPS)}")
    return str(value)


def _pool(index: int, table: Any) -> Pool:
    where = f"pool #{index + 1}"
    if not isinstance(table, dict):
        raise ScenarioError(f"{where} must be a table")
    body = dict(table)
    name = body.pop("name", None)
    if not isinstance(name, str) or not name:
        raise ScenarioError(f"{where} needs a name")
    where = f"pool {name!r}"
    kind = body.pop("kind", None)
    if kind not in POOL_KINDS:
        raise ScenarioError(f"{where}: kind must be one of {', '.join(POOL_KINDS)}")
    size = _number(f"{where}: size", body.pop("size", None), int, 1)
    providers = body.pop("providers", [])
    if not isinstance(providers, list) or not all(isinstance(p, str) for p in providers):
        raise ScenarioError(f"{where}: providers must be a list of names")
    if providers and kind != "hosting":
        raise ScenarioError(f"{where}: only hosting pools take providers")
    countries = body.pop("countries", None)
    if countries is not None:
        if not isinstance(countries, dict) or not countries:
            raise ScenarioError(f"{where}: countries must be a table of weights")
        unknown = sorted(set(countries) - set(COUNTRIES))
        if unknown:
            raise ScenarioError(f"{where}: unknown countries {unknown}")
        countries = {
            str(k): _number(f"{where}: countries.{k}", v, float, 0.0) for k, v in countries.items()
        }
    overlap = _overlap(where, body.pop("overlap", ""))
    if body:
        raise ScenarioError(f"{where}: unknown keys {sorted(body)}")
    return Pool(name, kind, size, tuple(providers), countries, overlap)


def parse(data: Mapping[str, Any], origin: str = "scenario") -> Scenario:
    """A scenario from its parsed TOML; raises ScenarioError naming what is wrong."""
    try:
        known = {"name", "description", "seed", "start", "days", "interactions"}
        unknown = sorted(set(data) - known - {"model", "population", "pool"})
        if unknown:
            raise ScenarioError(f"unknown keys {unknown}")
        name = data.get("name")
        if not isinstance(name, str) or not name:
            raise ScenarioError("needs a name")
        models = []
        for i, m in enumerate(data.get("model", [])):
            if not isinstance(m, dict) or not isinstance(m.get("name"), str):
                raise ScenarioError(f"model #{i + 1} needs a name")
            models.append(
                Model(
                    m["name"],
                    _moment(f"model {m['name']!r}: released", m.get("released")),
                    _number(f"model {m['name']!r}: weight", m.get("weight", 1.0), float, 0.0),
                )
            )
        if not models:
            raise ScenarioError("needs at least one [[model]]")
        populations = tuple(_population(i, p) for i, p in enumerate(data.get("population", [])))
        if not populations:
            raise ScenarioError("needs at least one [[population]]")
        names = [p.name for p in populations]
        if len(set(names)) != len(names):
            raise ScenarioError("population names must be distinct")
        if sum(p.share for p in populations) <= 0:
            raise ScenarioError("the populations' shares must not all be zero")
        pools = tuple(_pool(i, p) for i, p in enumerate(data.get("pool", [])))
        pool_names = [p.name for p in pools]
        if len(set(pool_names)) != len(pool_names):
            raise ScenarioError("pool names must be distinct")
        for p in populations:
            named = sorted((set(p.profile.pools) | set(p.profile.homes)) - set(pool_names))
            if named:
                raise ScenarioError(f"population {p.name!r} names unknown pools {named}")
        start = _moment("start", data.get("start"))
        if all(m.released > start for m in models):
            raise ScenarioError("at least one model must be released before start")
        description = data.get("description", "")
        return Scenario(
            name=name,
            description=description if isinstance(description, str) else "",
            seed=_number("seed", data.get("seed", 0), int, 0),
            start=start,
            days=_number("days", data.get("days"), int, 1),
            interactions=_number("interactions", data.get("interactions"), int, 1),
            models=tuple(sorted(models, key=lambda m: m.released)),
            populations=populations,
            pools=pools,
        )
    except ScenarioError as exc:
        raise ScenarioError(f"{origin}: {exc}") from None


def load(name_or_path: str) -> Scenario:
    """A built-in scenario by name (``overlap-<name>`` too), or a scenario file by path."""
    if name_or_path.startswith(PREFIX) and not Path(name_or_path).is_file():
        cut = load(ADVERSARIAL).only_overlap(name_or_path.removeprefix(PREFIX))
        return replace(cut, name=name_or_path)
    if name_or_path in BUILT_IN:
        text = resources.files(__package__).joinpath(f"scenarios/{name_or_path}.toml")
        return parse(tomllib.loads(text.read_text(encoding="utf-8")), name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        raise ScenarioError(
            f"no scenario {name_or_path!r}: not a built-in ({', '.join(BUILT_IN)}) nor a file"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    return parse(data, str(path))
