"""The policy: rules from what the gateway knows about a call to graduated actions.

A policy file (TOML, ``docs/gateway.md``; the shipped default is ``default_policy.toml``) has
four parts:

* ``[limits.<scope>]`` — budgets per key, account, org, client address and flagged
  cluster (``requests_per_minute``, ``requests_per_day``, ``tokens_per_minute``,
  ``tokens_per_day``, ``concurrent``);
* ``[geofence]`` — ``restricted_countries`` (ISO codes; absent: the setting
  ``detect.restricted_countries``, so the scan and the gateway restrict the same list);
* ``[actions.<action>]`` — what ``degrade`` and ``throttle`` do by default;
* ``[[rules]]`` — in order: ``name``, ``when`` (a list of conditions, all of which must
  hold), ``action``, optionally ``measures`` (overriding the action's defaults), ``message``
  and ``code`` (for refusals), and ``final`` (stop looking at later rules).

A condition is ``fact``, ``not fact`` or ``fact OP value`` with OP one of ``== != >= > <=
<`` and value a number, ``true``/``false`` or a quoted string. Facts are the typed table
:data:`FACTS`; an unknown fact, a type mismatch or an unknown key is an error at load time
naming the rule, never a surprise at request time.

Every rule that matches applies: the decision's action is the most severe of theirs
(:data:`core.ACTIONS` order) and the measures of all of them combine, the stricter of each.
A ``final`` rule stops evaluation: an analyst's benign label placed early keeps an account
out of every later rule.
"""

from __future__ import annotations

import hashlib
import operator
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, get_args

from distillguard.detect.signals import (
    CAPABILITY_SIGNALS,
    FAMILIES,
    PARAM_SIGNALS,
    TEXT_SIGNALS,
)
from distillguard.gateway.core import ACTIONS, Action, Decision, Measures, Reasoning

FactValue = bool | int | float | str
Facts = Mapping[str, FactValue]

_WINDOW_FACTS: Final = (
    ("calls", int, "Calls the account made in the online window (this one included)."),
    ("calls_per_minute", float, "Its calls per minute over the window."),
    ("elicitation_share", float, "Share of its window's calls asking for the reasoning."),
    ("content_share", float, "Share carrying any content signal (elicitation ... rewrite)."),
    ("skeleton_repeats", int, "Window calls whose prompt skeleton it had already sent."),
    ("distinct_skeletons", int, "Distinct prompt skeletons in its window."),
    ("tokens", int, "Tokens it used in the window."),
)

FACTS: Final[Mapping[str, tuple[type, str]]] = MappingProxyType(
    {
        "api": (str, "chat | responses | completions | messages."),
        "stream": (bool, "The call asks for a streamed answer."),
        "known_account": (bool, "The account is in the workspace's accounts table."),
        "verified": (bool, "The account completed identity verification."),
        "program": (str, "Sign-up programme: none | education | research | startup."),
        "tier": (str, "Product tier."),
        "account_age_days": (float, "Days since the account was created (0 when unknown)."),
        "billing_country": (str, "Billing country ('' when unknown)."),
        "country": (str, "Country of the client address ('' when unknown)."),
        "network_kind": (str, "Client address network: hosting | vpn | tor | other."),
        "restricted_ip": (bool, "The client address is in a restricted country."),
        "restricted_billing": (bool, "The billing country is restricted."),
        "verdict": (str, "Latest scan's verdict: campaign | suspicious | clear ('' unscanned)."),
        "cluster_flagged": (bool, "The account's cluster is flagged by the latest scan."),
        "label": (str, "Analyst label: campaign | benign ('' when none)."),
        "score": (float, "The account's score in the latest scan (0 when unscanned)."),
        **{f"signal.{s.name}": (bool, s.catches) for s in TEXT_SIGNALS + CAPABILITY_SIGNALS},
        **{f"signal.{s.name}": (bool, s.catches) for s in PARAM_SIGNALS},
        **{f"family.{f}": (bool, f"Any {f} signal fires on this call.") for f in FAMILIES},
        **{f"window.{name}": (kind, text) for name, kind, text in _WINDOW_FACTS},
    }
)
"""Every fact a rule may test: name → (type, meaning)."""

DEFAULTS: Final[Mapping[type, FactValue]] = MappingProxyType(
    {bool: False, int: 0, float: 0.0, str: ""}
)

SCOPES: Final = ("key", "account", "org", "ip", "cluster")
LIMIT_NAMES: Final = (
    "requests_per_minute",
    "requests_per_day",
    "tokens_per_minute",
    "tokens_per_day",
    "concurrent",
)
DEFAULT_POLICY: Final = "default_policy.toml"

_OPS: Final[Mapping[str, Callable[[Any, Any], bool]]] = MappingProxyType(
    {
        "==": operator.eq,
        "!=": operator.ne,
        ">=": operator.ge,
        ">": operator.gt,
        "<=": operator.le,
        "<": operator.lt,
    }
)
_CONDITION: Final = re.compile(r"^\s*(not\s+)?([a-z_.]+)\s*(?:(==|!=|>=|<=|>|<)\s*(.+?))?\s*$")


class PolicyError(ValueError):
    """A policy file that cannot be used: the message names the file, rule and field."""


Test = Callable[[Facts], bool]


@dataclass(frozen=True)
class Rule:
    name: str
    conditions: tuple[str, ...]
    action: Action
    measures: Measures
    message: str | None
    code: str | None
    final: bool
    tests: tuple[Test, ...] = field(repr=False, compare=False)

    def matches(self, facts: Facts) -> bool:
        return all(test(facts) for test in self.tests)


@dataclass(frozen=True)
class Policy:
    """A loaded policy: limits, geofence, rules; ``source`` and ``sha256`` say which file."""

    limits: Mapping[str, Mapping[str, int]]
    restricted_countries: frozenset[str]
    rules: tuple[Rule, ...]
    source: str
    sha256: str
    document: Mapping[str, Any] = field(repr=False, compare=False)

    def decide(self, facts: Facts) -> tuple[Decision, Rule | None]:
        """The decision for one call, and the rule that refuses it (block / verification)."""
        action: Action = "allow"
        measures = Measures()
        names: list[str] = []
        reasons: list[str] = []
        refusing: Rule | None = None
        for rule in self.rules:
            if not rule.matches(facts):
                continue
            names.append(rule.name)
            reasons.append(f"{rule.name}: {' and '.join(rule.conditions) or 'always'}")
            measures = measures.combine(rule.measures)
            if ACTIONS.index(rule.action) > ACTIONS.index(action):
                action = rule.action
                if rule.action in ("block", "require_verification"):
                    refusing = rule
            if rule.final:
                break
        decision = Decision(action, tuple(names), tuple(reasons), measures)
        return decision, refusing

    def controls(self) -> dict[str, Any]:
        """The controls this policy puts in force, for the controls log."""
        return {
            "limits": {scope: dict(values) for scope, values in self.limits.items()},
            "geofence": sorted(self.restricted_countries),
            "rules": [
                {"name": r.name, "when": list(r.conditions), "action": r.action} for r in self.rules
            ],
        }


def _literal(text: str, where: str) -> FactValue:
    if text in ("true", "false"):
        return text == "true"
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError as exc:
        raise PolicyError(
            f"{where}: {text!r} is not a number, true/false or a quoted string"
        ) from exc


def compile_condition(condition: str, where: str) -> Test:
    """One condition as a test over facts (errors name ``where``)."""
    found = _CONDITION.match(condition)
    if found is None:
        raise PolicyError(f"{where}: cannot read condition {condition!r}")
    negated, name, op, raw = found.groups()
    if name not in FACTS:
        raise PolicyError(f"{where}: unknown fact {name!r} (docs/gateway.md lists the facts)")
    kind, _ = FACTS[name]
    default = DEFAULTS[kind]
    if op is None:
        if kind is not bool:
            raise PolicyError(f"{where}: fact {name!r} is a {kind.__name__}; compare it")
        if negated:
            return lambda facts: not facts.get(name, False)
        return lambda facts: bool(facts.get(name, False))
    if negated:
        raise PolicyError(f"{where}: write 'not' only before a true/false fact")
    if kind in (bool, str) and op not in ("==", "!="):
        raise PolicyError(f"{where}: fact {name!r} can only be compared with == or !=")
    value = _literal(raw, where)
    numeric = kind in (int, float) and type(value) in (int, float)
    if not numeric and type(value) is not kind:
        raise PolicyError(f"{where}: fact {name!r} is a {kind.__name__}, got {value!r}")
    compare = _OPS[op]
    return lambda facts: bool(compare(facts.get(name, default), value))


def _keys(table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise PolicyError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {allowed}")


def _measures(table: object, where: str) -> Measures:
    if not isinstance(table, Mapping):
        raise PolicyError(f"{where}: expected a table")
    _keys(table, ("strip_logprobs", "reasoning", "max_tokens", "n", "watermark", "throttle"), where)
    reasoning = table.get("reasoning", "keep")
    if reasoning not in get_args(Reasoning):
        raise PolicyError(f"{where}: reasoning must be one of {get_args(Reasoning)}")
    values: dict[str, Any] = {"reasoning": reasoning}
    for name in ("strip_logprobs", "watermark"):
        if name in table:
            if not isinstance(table[name], bool):
                raise PolicyError(f"{where}: {name} must be true or false")
            values[name] = table[name]
    for name in ("max_tokens", "n"):
        if name in table:
            if type(table[name]) is not int or table[name] < 1:
                raise PolicyError(f"{where}: {name} must be a whole number ≥ 1")
            values[name] = table[name]
    if "throttle" in table:
        factor = table["throttle"]
        if type(factor) not in (int, float) or not 0 < factor <= 1:
            raise PolicyError(f"{where}: throttle must be a number in (0, 1]")
        values["throttle"] = float(factor)
    return Measures(**values)


def _action_measures(action: Action, defaults: Mapping[str, Measures]) -> Measures:
    base = defaults.get(action, Measures())
    if action == "watermark":
        return base.combine(Measures(watermark=True))
    return base


def _rule(raw: object, index: int, source: str, defaults: Mapping[str, Measures]) -> Rule:
    where = f"{source}: rules[{index}]"
    if not isinstance(raw, Mapping):
        raise PolicyError(f"{where}: expected a table")
    _keys(raw, ("name", "when", "action", "measures", "message", "code", "final"), where)
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise PolicyError(f"{where}: every rule needs a name")
    where = f"{source}: rule {name!r}"
    action = raw.get("action")
    if action not in ACTIONS:
        raise PolicyError(f"{where}: action must be one of {', '.join(ACTIONS)}")
    when = raw.get("when", [])
    if not isinstance(when, list) or not all(isinstance(c, str) for c in when):
        raise PolicyError(f"{where}: 'when' must be a list of conditions (strings)")
    measures = _action_measures(action, defaults)
    if "measures" in raw:
        measures = measures.combine(_measures(raw["measures"], f"{where}: measures"))
    for text_key in ("message", "code"):
        if text_key in raw and not isinstance(raw[text_key], str):
            raise PolicyError(f"{where}: {text_key} must be a string")
    final = raw.get("final", False)
    if not isinstance(final, bool):
        raise PolicyError(f"{where}: final must be true or false")
    tests = tuple(compile_condition(c, where) for c in when)
    return Rule(
        name, tuple(when), action, measures, raw.get("message"), raw.get("code"), final, tests
    )


def _limits(table: object, source: str) -> dict[str, dict[str, int]]:
    if not isinstance(table, Mapping):
        raise PolicyError(f"{source}: [limits] must be a table")
    _keys(table, SCOPES, f"{source}: [limits]")
    limits: dict[str, dict[str, int]] = {}
    for scope, values in table.items():
        where = f"{source}: [limits.{scope}]"
        if not isinstance(values, Mapping):
            raise PolicyError(f"{where}: expected a table")
        _keys(values, LIMIT_NAMES, where)
        for name, amount in values.items():
            if type(amount) is not int or amount < 1:
                raise PolicyError(f"{where}: {name} must be a whole number ≥ 1")
        limits[scope] = dict(values)
    return limits


def parse(text: str, source: str, default_restricted: str) -> Policy:
    """A policy from TOML ``text`` (``source`` names it in errors)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source} is not valid TOML: {exc}") from exc
    _keys(document, ("limits", "geofence", "actions", "rules"), source)
    actions = document.get("actions", {})
    if not isinstance(actions, Mapping):
        raise PolicyError(f"{source}: [actions] must be a table")
    _keys(actions, ACTIONS, f"{source}: [actions]")
    defaults = {
        name: _measures(table, f"{source}: [actions.{name}]") for name, table in actions.items()
    }
    geofence = document.get("geofence", {})
    if not isinstance(geofence, Mapping):
        raise PolicyError(f"{source}: [geofence] must be a table")
    _keys(geofence, ("restricted_countries",), f"{source}: [geofence]")
    countries = geofence.get(
        "restricted_countries", [c for c in default_restricted.split(",") if c.strip()]
    )
    if not isinstance(countries, list) or not all(
        isinstance(c, str) and len(c.strip()) == 2 for c in countries
    ):
        raise PolicyError(f"{source}: restricted_countries must be a list of ISO country codes")
    rules = document.get("rules", [])
    if not isinstance(rules, list):
        raise PolicyError(f"{source}: rules must be an array of tables ([[rules]])")
    compiled = tuple(_rule(raw, i, source, defaults) for i, raw in enumerate(rules))
    names = [r.name for r in compiled]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise PolicyError(f"{source}: rule names must be unique: {', '.join(duplicated)}")
    return Policy(
        limits=_limits(document.get("limits", {}), source),
        restricted_countries=frozenset(c.strip().upper() for c in countries),
        rules=compiled,
        source=source,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        document=document,
    )


def default_text() -> str:
    return resources.files("distillguard.gateway").joinpath(DEFAULT_POLICY).read_text("utf-8")


def load(path: Path | None, default_restricted: str) -> Policy:
    """The policy in ``path``, or the shipped default when ``path`` is None."""
    if path is None:
        return parse(default_text(), f"(default) {DEFAULT_POLICY}", default_restricted)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PolicyError(f"policy file {path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read policy file {path}: {exc}") from exc
    return parse(text, str(path), default_restricted)
