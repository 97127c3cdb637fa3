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
from distillguard.simulate.populations import Profile, ProfileError, profile
from distillguard.simulate.templates import LANGUAGES

BUILT_IN: Final = ("smoke", "demo", "scale16m")
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

    def describe(self) -> dict[str, Any]:
        """The scenario as plain JSON-able data (for ``scenario.json``)."""
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
    return Population(name, kind, campaign_id, accounts, share, prof, body)


def parse(data: Mapping[str, Any], origin: str = "scenario") -> Scenario:
    """A scenario from its parsed TOML; raises ScenarioError naming what is wrong."""
    try:
        known = {"name", "description", "seed", "start", "days", "interactions"}
        unknown = sorted(set(data) - known - {"model", "population"})
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
        )
    except ScenarioError as exc:
        raise ScenarioError(f"{origin}: {exc}") from None


def load(name_or_path: str) -> Scenario:
    """A built-in scenario by name, or a scenario file by path."""
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
