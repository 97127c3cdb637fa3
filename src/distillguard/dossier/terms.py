"""The terms policy: the operator's terms clauses, each mapped to what would breach it.

A terms policy is a TOML file (setting ``case.terms``; the example shipped beside this
module when empty) with the terms' name and version, the regions where the service is not
offered, one ``[[clause]]`` per clause (its id, section, title, text, and the ``signals`` —
reason names of the scan — and ``behaviours`` — improper-means indicators of the report —
that implicate it) and ``[jurisdictions]`` notes per ISO country (``default`` for the rest).

Loading checks everything a typo could break, and says where: a file that is not TOML, an
unknown key, a missing one, a value of the wrong type, a signal the scan never emits or a
behaviour the report does not compute raise :class:`TermsError` naming the file and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Final

from distillguard.detect.features import FEATURE_NAMES
from distillguard.detect.links import LINK_KINDS
from distillguard.detect.signals import SIGNAL_NAMES

SHIPPED: Final = Path(__file__).with_name("terms.toml")

BEHAVIOURS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "geofence_evasion": "calls through VPN, Tor or hosting networks from a country other "
        "than the account's billing country, or from a region where the service is not offered",
        "unsupported_region": "calls from, or billing in, a region where the service is not "
        "offered",
        "account_rotation": "new accounts that began calling after other accounts of the case had "
        "been blocked or labelled",
        "limit_sharding": "many accounts, each kept under the limits, active in the same minutes",
        "shared_payment": "one payment card paying for several accounts",
        "programme_misrepresentation": "accounts of the case signed up through the education, "
        "research or startup programmes",
        "classifier_evasion": "prompts wrapped to get past classifiers ('do not flag this', fake "
        "debug sessions, fake system prompts)",
        "watermark_found": "a suspect model's outputs carry the watermark of the provider's "
        "outputs",
    }
)
"""The improper-means indicators the report computes, by name, in plain words."""

OTHER_REASONS: Final = ("isolation_forest",)
"""Reason names that are neither a feature, a request signal nor a link kind."""


def known_signals() -> frozenset[str]:
    """Every reason name a scan can emit that a clause may name."""
    return frozenset((*FEATURE_NAMES, *SIGNAL_NAMES, *(k.name for k in LINK_KINDS), *OTHER_REASONS))


class TermsError(Exception):
    """A terms policy file cannot be used (the message names the file and the key)."""


@dataclass(frozen=True)
class Clause:
    id: str
    section: str
    title: str
    text: str
    signals: tuple[str, ...]
    behaviours: tuple[str, ...]


@dataclass(frozen=True)
class Terms:
    path: Path
    name: str
    version: str
    source: str
    unsupported_regions: tuple[str, ...]
    clauses: tuple[Clause, ...]
    jurisdictions: Mapping[str, str]

    def note(self, country: str | None) -> str:
        """The operator's note on a jurisdiction (its ``default`` when it has none)."""
        if country and country in self.jurisdictions:
            return self.jurisdictions[country]
        return self.jurisdictions.get("default", "")


_TOP: Final = MappingProxyType(
    {
        "name": str,
        "version": str,
        "source": str,
        "unsupported_regions": list,
        "clause": list,
        "jurisdictions": dict,
    }
)
_CLAUSE: Final = MappingProxyType(
    {
        "id": str,
        "section": str,
        "title": str,
        "text": str,
        "signals": list,
        "behaviours": list,
    }
)


def _checked(path: Path, where: str, table: object, shape: Mapping[str, type]) -> dict[str, object]:
    if not isinstance(table, dict):
        raise TermsError(f"{path}: {where or 'the file'} must be a table")
    for key in table:
        if key not in shape:
            allowed = ", ".join(shape)
            raise TermsError(f"{path}: unknown key {where}{key!r} (allowed: {allowed})")
    for key, kind in shape.items():
        if key not in table:
            raise TermsError(f"{path}: missing key {where}{key!r}")
        if not isinstance(table[key], kind):
            raise TermsError(f"{path}: {where}{key!r} must be a {kind.__name__}")
    return table


def _strings(path: Path, where: str, values: object) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TermsError(f"{path}: {where} must be a list of strings")
    return tuple(values)


def _clause(path: Path, number: int, table: object, signals: frozenset[str]) -> Clause:
    where = f"clause[{number}]."
    row = _checked(path, where, table, _CLAUSE)
    named = _strings(path, f"{where}signals", row["signals"])
    for name in named:
        if name not in signals:
            raise TermsError(f"{path}: {where}signals names {name!r}, which no scan emits")
    behaviours = _strings(path, f"{where}behaviours", row["behaviours"])
    for name in behaviours:
        if name not in BEHAVIOURS:
            known = ", ".join(BEHAVIOURS)
            raise TermsError(
                f"{path}: {where}behaviours names {name!r}, not an indicator (known: {known})"
            )
    return Clause(
        str(row["id"]), str(row["section"]), str(row["title"]), str(row["text"]), named,
        behaviours,
    )  # fmt: skip


def load(path: Path) -> Terms:
    """The terms policy at ``path``, checked (see the module's docstring)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TermsError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TermsError(f"{path}: not a TOML file ({exc})") from exc
    top = _checked(path, "", data, _TOP)
    signals = known_signals()
    listed = top["clause"]
    assert isinstance(listed, list)
    clauses = tuple(
        _clause(path, number, table, signals) for number, table in enumerate(listed, start=1)
    )
    ids = [c.id for c in clauses]
    for clause_id in ids:
        if ids.count(clause_id) > 1:
            raise TermsError(f"{path}: clause id {clause_id!r} is used twice")
    jurisdictions = top["jurisdictions"]
    assert isinstance(jurisdictions, dict)
    for key, note in jurisdictions.items():
        if not isinstance(note, str):
            raise TermsError(f"{path}: jurisdictions.{key} must be a string")
    return Terms(
        path=path,
        name=str(top["name"]),
        version=str(top["version"]),
        source=str(top["source"]),
        unsupported_regions=_strings(path, "unsupported_regions", top["unsupported_regions"]),
        clauses=clauses,
        jurisdictions=dict(jurisdictions),
    )
