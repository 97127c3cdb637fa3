"""The overlaps between legitimate traffic and campaigns that real traffic has.

In real traffic look-alikes touch campaigns' infrastructure and content: a CI runner gets an
address a campaign rented from the same cloud pool the day before, a residential proxy exit is
somebody's home line, an evaluation suite sends the very benchmark prompts a relay forwards.
Each overlap is switched on by scenario settings tagged with its name (a ``[[pool]]`` or a
``[[population]]`` with ``overlap = "<name>"``) or by a population knob of its own; all are off
unless a scenario turns them on. :meth:`Scenario.only_overlap
<distillguard.simulate.scenario.Scenario.only_overlap>` keeps one of them and turns the others
off, for measuring a detector against one overlap at a time. ``docs/simulator.md`` says which
public fact each one models.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

OVERLAPS: Final = MappingProxyType(
    {
        "shared-egress": "CI bots, evaluation suites and app backends on the same cloud "
        "addresses, on the same days, as a campaign's rented hosting",
        "residential-exits": "a campaign's residential proxy exits that are also ordinary "
        "customers' home lines",
        "public-benchmarks": "evaluation suites and power users sending the public benchmark "
        "items a relay campaign also forwards",
        "public-system-prompts": "unrelated app backends and power users with the same popular "
        "public system prompt",
        "team-billing": "a company paying for several team accounts with one card",
        "cohort-signup": "a class or hackathon signing up together in the education programme",
        "shared-nat": "many accounts behind one office or campus address",
        "failover": "app backends failing over from another provider, all at once and at full "
        "volume while it is down",
        "adaptive-campaign": "a campaign that knows the text rules and hides in ordinary "
        "infrastructure and public prompts",
    }
)
"""Overlap name -> what it adds."""

#: Population knobs that belong to one overlap each (tagged pools and populations aside).
KNOB_OVERLAPS: Final = MappingProxyType(
    {"benchmarks": "public-benchmarks", "public_system": "public-system-prompts"}
)

#: The built-in scenario every ``overlap-<name>`` scenario is cut from.
ADVERSARIAL: Final = "adversarial"
#: Built-in name prefix: ``overlap-<name>`` is the adversarial scenario with only that overlap
#: on; ``overlap-none`` has none of them.
PREFIX: Final = "overlap-"
NONE: Final = "none"
