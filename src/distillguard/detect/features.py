"""Account features: what an account's whole history looks like, one number per feature.

``FEATURES`` is the registry: each :class:`Feature` row says what it measures (family, which
direction is suspicious, how the value is compared, what it catches and could confuse) and
carries its own computation, one of

- ``share_of``: a per-call condition; the feature is the share of the account's calls that
  meet it (every call counts in the denominator, including those of unknown origin);
- ``derive``: an expression over the account's aggregates (``aggregates.py``: day counts,
  gaps, skeletons, refusals early and late, identity...).

``account_features`` runs every feature of the registry it is given as one Ibis expression
over the slim call table of ``calls.py`` and the ``accounts`` table, so the same definitions
run on DuckDB or on a cluster engine. ``baselines.py`` compares each value with the baseline
of the account's own kind, ``scoring.py`` turns the comparisons into evidence.

A feature is *relative* (compared with the account's peers: a CI key from many addresses is
normal for CI, not for a hobbyist) or *absolute* (a share of calls that carry a signal no
ordinary request carries, such as asking for the complete chain of thought: its evidence
does not depend on how many peers do the same, so a peer group that a campaign dominates
cannot hide it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

import ibis
import ibis.expr.types as ir

from distillguard.detect import aggregates as agg
from distillguard.detect.aggregates import accounts_table
from distillguard.detect.flags import flag_name
from distillguard.detect.signals import (
    CAPABILITY_SIGNALS,
    PARAM_SIGNALS,
    TEXT_SIGNALS,
    ParamSignal,
)

__all__ = [
    "CONTENT_FAMILIES",
    "FEATURES",
    "FEATURE_NAMES",
    "SIGNAL_SHARE",
    "Context",
    "Feature",
    "account_features",
    "accounts_table",
]

Compare = Literal["relative", "absolute"]

CONTENT_FAMILIES: Final = ("elicitation", "coercion", "grading", "evasion", "rewrite")
SIGNAL_SHARE: Final = "signal_share_"


@dataclass(frozen=True)
class Context:
    """What a feature's computation may need beyond the data: the settings it depends on."""

    restricted: tuple[str, ...] = ()  # countries where the service is not offered


Condition = Callable[[ir.Table, Context], ir.BooleanValue]
Derivation = Callable[[ir.Table, Context], ir.Value]


@dataclass(frozen=True)
class Feature:
    """One account feature; ``account_features`` computes a column of this name."""

    name: str
    family: str
    compare: Compare
    higher: bool  # True when a higher value is the suspicious direction
    spread: float  # smallest spread used when comparing with a baseline (log1p units if log)
    log: bool  # compare log1p(value): counts and ratios with heavy tails
    catches: str
    confusable: str
    signal: str = ""  # the request signal (or family) whose calls are this feature's examples
    share_of: Condition | None = None  # per call: the feature is the share of calls meeting it
    derive: Derivation | None = None  # per account, over the aggregates

    def __post_init__(self) -> None:
        if (self.share_of is None) == (self.derive is None):
            raise ValueError(f"feature {self.name}: give exactly one of share_of and derive")


def _share(
    name: str, family: str, catches: str, confusable: str, signal: str, condition: Condition
) -> Feature:
    return Feature(
        name=name,
        family=family,
        compare="relative",
        higher=True,
        spread=0.05,
        log=False,
        catches=catches,
        confusable=confusable,
        signal=signal,
        share_of=condition,
    )


def _param(name: str) -> ParamSignal:
    return next(s for s in PARAM_SIGNALS if s.name == name)


def _foreign(t: ir.Table, _: Context) -> ir.BooleanValue:
    result: ir.BooleanValue = t.country.notnull() & (t.country != t.billing_country.fill_null(""))
    return result


def _restricted(t: ir.Table, context: Context) -> ir.BooleanValue:
    if not context.restricted:
        return ibis.literal(False)
    result: ir.BooleanValue = t.country.isin(context.restricted)
    return result


def _any_area(t: ir.Table, _: Context) -> ir.BooleanValue:
    flag: ir.BooleanValue = t[flag_name(CAPABILITY_SIGNALS[0])]
    for signal in CAPABILITY_SIGNALS[1:]:
        flag = flag | t[flag_name(signal)]
    return flag


def _ramp_up(j: ir.Table, _: Context) -> ir.Value:
    young = j.created_at.notnull() & (j.age_days <= 7)
    return ibis.ifelse(young, agg.ratio(j.first_day_calls, j.median_day_calls), 0.0)


def _breadth(j: ir.Table, _: Context) -> ir.Value:
    return agg.entropy([j[f"n_{s.name}"] for s in CAPABILITY_SIGNALS]).fill_null(0.0)


def _column(name: str, default: float = 0.0) -> Derivation:
    """An aggregate as it stands, a missing value read as ``default``."""

    def derive(j: ir.Table, _: Context) -> ir.Value:
        return j[name].fill_null(default)

    return derive


FEATURES: Final[tuple[Feature, ...]] = (
    # -- volume and ramp-up
    Feature(
        name="calls_per_day",
        family="volume",
        compare="relative",
        higher=True,
        spread=0.3,
        log=True,
        catches="Enterprise-scale throughput from an account whose peers send a fraction of "
        "it [7].",
        confusable="App backends and evaluation suites at scale tiers (compared within the tier).",
        derive=lambda j, _: j.n_calls.cast("float64") / j.active_days,
    ),
    Feature(
        name="ramp_up",
        family="volume",
        compare="relative",
        higher=True,
        spread=0.3,
        log=True,
        catches="A new account at full volume from its first day: first-day calls over the "
        "account's median day, for accounts that started within a week of sign-up [7].",
        confusable="A workload moved to a new key (no ramp-up; enterprise peers do the same).",
        derive=_ramp_up,
    ),
    # -- clock
    Feature(
        name="hour_entropy",
        family="clock",
        compare="relative",
        higher=True,
        spread=0.05,
        log=False,
        catches="Activity spread evenly round the clock (entropy of the hour of day, 1 = "
        "flat): 24/7 use with no idle periods [7].",
        confusable="Nightly suites and flat-rate pipelines (compared with their tier).",
        derive=_column("hour_entropy"),
    ),
    Feature(
        name="longest_idle_h",
        family="clock",
        compare="relative",
        higher=False,
        spread=0.3,
        log=True,
        catches="No rest: the longest gap between two calls, in hours, is short for the "
        "volume [7].",
        confusable="Busy app backends (compared within the tier and endpoint mix).",
        derive=_column("longest_idle_h"),
    ),
    Feature(
        name="interarrival_cv",
        family="clock",
        compare="relative",
        higher=False,
        spread=0.2,
        log=False,
        catches="Machine-regular spacing of calls (coefficient of variation of the gaps; "
        "people are bursty, well above 1).",
        confusable="Scheduled jobs and CI (compared with peers).",
        derive=_column("interarrival_cv"),
    ),
    # -- content shape
    Feature(
        name="template_share",
        family="template",
        compare="relative",
        higher=True,
        spread=0.05,
        log=False,
        catches="Share of calls in the account's three most used prompt skeletons: a "
        "template repeated with small variations [1].",
        confusable="App backends (one system prompt), evaluation suites (the same items nightly).",
        signal="template",
        derive=lambda j, _: j.top_skeleton_calls.cast("float64") / j.n_calls,
    ),
    Feature(
        name="capability_share",
        family="capability",
        compare="relative",
        higher=True,
        spread=0.05,
        log=False,
        catches="Share of calls in the targeted capability areas (coding, math, agentic / "
        "tool use, data analysis): volume concentrated in a few capability areas [1].",
        confusable="Developer accounts and code-review bots.",
        share_of=_any_area,
    ),
    Feature(
        name="capability_breadth",
        family="capability",
        compare="relative",
        higher=True,
        spread=0.05,
        log=False,
        catches="Even coverage of every capability area (normalized entropy of the area "
        "tags): a capability sweep rather than one product's depth [1][2].",
        confusable="General assistants; evaluation suites covering many benchmarks.",
        derive=_breadth,
    ),
    Feature(
        name="single_turn_share",
        family="conversation",
        compare="relative",
        higher=True,
        spread=0.05,
        log=False,
        catches="Share of calls with a single user turn: harvesting sends one prompt, takes "
        "one answer, no conversation.",
        confusable="API workloads (classification, extraction) are single-turn too (compared "
        "with peers).",
        share_of=lambda t, _: t.n_user_turns.fill_null(1) <= 1,
    ),
    Feature(
        name="output_input_ratio",
        family="conversation",
        compare="relative",
        higher=True,
        spread=0.3,
        log=True,
        catches="Output tokens per input token: short prompts that ask for long answers.",
        confusable="Content generation apps.",
        derive=lambda j, _: agg.ratio(j.output_tokens, j.input_tokens).fill_null(0.0),
    ),
    # -- request signals (absolute)
    *(
        Feature(
            name=f"{family}_share",
            family="content",
            compare="absolute",
            higher=True,
            spread=0.0,
            log=False,
            catches=f"Share of calls carrying a signal of the {family} family (see the request "
            "signals).",
            confusable="Rare in ordinary use: the signals match none of 29,785 real prompts.",
            signal=family,
            share_of=lambda t, _, family=family: agg.family_flag(t, family),  # type: ignore[misc]
        )
        for family in CONTENT_FAMILIES
    ),
    # -- harvesting parameters (relative: evaluation suites ask for logprobs too)
    *(
        _share(
            f"{s.name}_share",
            "harvesting",
            f"Share of calls with {s.column} {s.op} {s.value}: {s.catches}",
            s.confusable,
            s.name,
            lambda t, _, s=s: t[flag_name(s)],  # type: ignore[misc]
        )
        for s in PARAM_SIGNALS
    ),
    # Each parameter alone has a legitimate owner (evaluation suites score with logprobs at
    # n = 1, synthetic-data jobs sample n > 1 without them), so those are compared with peers.
    # Distillation on soft labels wants the whole output distribution and asks for both on
    # the same call; no ordinary workload needs that, so its share counts absolutely, like a
    # content signal: a harvest that fills its peer group cannot become the group's normal.
    # Its family weight keeps it from deciding alone (scoring.FAMILY_WEIGHTS).
    Feature(
        name="distribution_harvest_share",
        family="harvesting",
        compare="absolute",
        higher=True,
        spread=0.0,
        log=False,
        catches="Share of calls asking for token log-probabilities and several samples at "
        "once: sampling the output distribution, the soft labels distillation trains on.",
        confusable="Uncertainty and calibration research that samples with logprobs: its "
        "weight alone stays below any verdict.",
        signal="logprobs",
        share_of=lambda t, _: (
            t[flag_name(_param("logprobs"))] & t[flag_name(_param("many_samples"))]
        ),
    ),
    # -- lifecycle
    _share(
        "refusal_share",
        "lifecycle",
        "Share of calls the model refused: probing for wrappers that get through [6].",
        "Red-team and safety evaluation accounts.",
        "refusal",
        lambda t, _: t.refused,
    ),
    Feature(
        name="refusal_then_persist",
        family="lifecycle",
        compare="relative",
        higher=True,
        spread=0.05,
        log=False,
        catches="Refusal share in the first fifth of the account's active span minus that "
        "after it: many refused variants, then scale-up of what worked [6].",
        confusable="A developer fixing a prompt that tripped a filter (one burst, low volume).",
        signal="refusal",
        derive=lambda j, _: j.early_refusal.fill_null(0.0) - j.late_refusal.fill_null(0.0),
    ),
    Feature(
        name="fast_adoption",
        family="lifecycle",
        compare="relative",
        higher=True,
        spread=0.1,
        log=False,
        catches="Share of the conversations the account started in the 24 h after a new "
        "model appeared that already used it (from 5 in that window): retargeting a new "
        "model within a day [1][7].",
        confusable="Release-day benchmarking by evaluation teams (compared within the tier).",
        derive=_column("fast_adoption"),
    ),
    # -- infrastructure
    _share(
        "hosting_share",
        "infrastructure",
        "Share of calls from hosting / cloud addresses.",
        "Every server-side workload (compared with peers of the same endpoint mix).",
        "hosting",
        lambda t, _: t.network_kind == "hosting",
    ),
    _share(
        "anonymizer_share",
        "infrastructure",
        "Share of calls through VPN or Tor exits: residential proxies and VPNs [1][7].",
        "Privacy-minded people, corporate VPNs.",
        "anonymizer",
        lambda t, _: t.network_kind.isin(("vpn", "tor")),
    ),
    _share(
        "foreign_share",
        "infrastructure",
        "Share of calls from a country other than the billing country.",
        "Travellers, multinational teams, cloud regions.",
        "foreign",
        _foreign,
    ),
    _share(
        "restricted_share",
        "infrastructure",
        "Share of calls from countries where the service is not offered "
        "(setting detect.restricted_countries) [1][3].",
        "Misattributed addresses; travellers.",
        "foreign",
        _restricted,
    ),
    Feature(
        name="n_ips",
        family="infrastructure",
        compare="relative",
        higher=True,
        spread=0.3,
        log=True,
        catches="Distinct client addresses: one account from many IPs [7].",
        confusable="CI keys on short-lived runners (compared with peers).",
        derive=_column("n_ips"),
    ),
    Feature(
        name="n_user_agents",
        family="infrastructure",
        compare="relative",
        higher=True,
        spread=0.3,
        log=True,
        catches="Distinct user agents: one account from many clients [7].",
        confusable="CI fleets, multi-service backends.",
        derive=_column("n_user_agents"),
    ),
    # -- identity
    Feature(
        name="card_accounts",
        family="identity",
        compare="relative",
        higher=True,
        spread=0.3,
        log=True,
        catches="Accounts paying with the same payment fingerprint: shared or virtual cards [1].",
        confusable="A company paying for several team accounts with one card.",
        derive=lambda j, _: j.card_accounts.fill_null(1).cast("float64"),
    ),
    Feature(
        name="unverified",
        family="identity",
        compare="relative",
        higher=True,
        spread=0.2,
        log=False,
        catches="The account never completed identity verification (1) where its peers did.",
        confusable="Most free-tier accounts (compared within the tier).",
        derive=_column("unverified", 1.0),
    ),
)
"""Every account feature, in the order of the feature table's columns."""

FEATURE_NAMES: Final = tuple(f.name for f in FEATURES)


def _per_account(
    calls: ir.Table, accounts: ir.Table, features: tuple[Feature, ...], context: Context
) -> ir.Table:
    """One aggregate over every call: counts, token sums, example calls, every share."""
    billing = accounts.select("account_id", "billing_country")
    t = calls.left_join(billing, "account_id").drop("account_id_right")

    def share(flag: ir.BooleanValue) -> ir.FloatingValue:
        result: ir.FloatingValue = flag.fill_null(False).cast("float64").mean()
        return result

    metrics: dict[str, ir.Value] = {
        "n_calls": t.count(),
        "first_ts": t.ts.min(),
        "last_ts": t.ts.max(),
        "main_endpoint": t.endpoint.mode(),
        "output_tokens": t.output_tokens.sum(),
        "input_tokens": t.input_tokens.sum(),
        "n_ips": t.client_ip.nunique(),
        "n_user_agents": t.user_agent.nunique(),
        "ex_first": t.request_id.argmin(t.ts),
    }
    for area in CAPABILITY_SIGNALS:
        metrics[f"n_{area.name}"] = t[flag_name(area)].cast("int64").sum()
    for signal in TEXT_SIGNALS:
        if signal.family in CONTENT_FAMILIES:
            metrics[SIGNAL_SHARE + signal.name] = share(t[flag_name(signal)])
    for feature in features:
        if feature.share_of is None:
            continue
        flag = feature.share_of(t, context)
        metrics[feature.name] = share(flag)
        example = f"ex_{feature.signal}"
        if feature.signal and example not in metrics:
            metrics[example] = t.request_id.min(where=flag.fill_null(False))
    return t.group_by("account_id").aggregate(**metrics)


def account_features(
    calls: ir.Table,
    accounts: ir.Table,
    restricted: tuple[str, ...] = (),
    features: tuple[Feature, ...] = FEATURES,
) -> ir.Table:
    """One row per account that made calls: the peer group, every feature, example calls.

    Columns: ``account_id``, ``peer`` (tier / programme / main endpoint), ``n_calls``,
    ``first_ts``, ``last_ts``, ``age_days`` (sign-up to first call; null when the sign-up
    time is unknown), one column per feature of ``features``, ``signal_share_<name>`` per
    content signal (for the signal-profile link), and ``ex_<signal>`` columns holding an
    example ``request_id`` for each signal family that fired.
    """
    context = Context(restricted)
    main = _per_account(calls, accounts, features, context)
    spans = main.select("account_id", "first_ts", "last_ts")
    parts = (
        agg.daily(calls),
        agg.hour_entropy(calls),
        agg.gaps(calls),
        agg.templates(calls),
        agg.persistence(calls, spans),
        agg.adoption(calls),
        agg.identity(accounts),
    )
    joined = main
    for part in parts:
        joined = joined.left_join(part, "account_id").drop("account_id_right")
    joined = joined.mutate(
        age_days=(joined.first_ts.epoch_seconds() - joined.created_at.epoch_seconds()) / 86400.0,
        peer=joined.peer_tier.fill_null("unknown")
        + "/"
        + joined.peer_program.fill_null("none")
        + "/"
        + joined.main_endpoint.fill_null("-"),
    )
    derived = {f.name: f.derive(joined, context) for f in features if f.derive is not None}
    full = joined.mutate(**derived)
    examples = [c for c in full.columns if c.startswith("ex_")]
    signal_shares = [c for c in full.columns if c.startswith(SIGNAL_SHARE)]
    return full.select(
        "account_id",
        "peer",
        "n_calls",
        "first_ts",
        "last_ts",
        full.age_days.cast("float64").name("age_days"),
        *[full[f.name].cast("float64").name(f.name) for f in features],
        *signal_shares,
        *examples,
    )
