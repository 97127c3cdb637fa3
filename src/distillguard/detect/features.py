"""Account features: what an account's whole history looks like, one number per feature.

``FEATURES`` is the catalogue (name, family, which direction is suspicious, how the value is
compared); ``account_features`` builds every one of them as one Ibis expression over the
slim call table of ``calls.py`` and the ``accounts`` table, so the same definitions run on
DuckDB or on a cluster engine. ``baselines.py`` compares each value with the baseline of the
account's own kind, ``scoring.py`` turns the comparisons into evidence.

A feature is *relative* (compared with the account's peers: a CI key from many addresses is
normal for CI, not for a hobbyist) or *absolute* (a share of calls that carry a signal no
ordinary request carries, such as asking for the complete chain of thought: its evidence
does not depend on how many peers do the same, so a peer group that a campaign dominates
cannot hide it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

import ibis
import ibis.expr.types as ir

from distillguard.detect.flags import flag_name
from distillguard.detect.signals import CAPABILITY_SIGNALS, PARAM_SIGNALS, TEXT_SIGNALS
from distillguard.schema import ACCOUNTS

Compare = Literal["relative", "absolute"]

CONTENT_FAMILIES: Final = ("elicitation", "coercion", "grading", "evasion", "rewrite")
TOP_SKELETONS: Final = 3
SIGNAL_SHARE: Final = "signal_share_"
EARLY_SHARE: Final = 0.2  # "early" is the first fifth of an account's active span
NEW_MODEL_AFTER_H: Final = 24  # a model first seen this long after the data starts is "new"
ADOPTION_WINDOW_H: Final = 24
ADOPTION_MIN_CALLS: Final = 5  # conversations started in the window before the share counts
HOUR_S: Final = 3600


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


def _share(name: str, family: str, catches: str, confusable: str, signal: str) -> Feature:
    return Feature(name, family, "relative", True, 0.05, False, catches, confusable, signal)


FEATURES: Final[tuple[Feature, ...]] = (
    # -- volume and ramp-up
    Feature(
        "calls_per_day",
        "volume",
        "relative",
        True,
        0.3,
        True,
        "Enterprise-scale throughput from an account whose peers send a fraction of it [7].",
        "App backends and evaluation suites at scale tiers (compared within the tier).",
    ),
    Feature(
        "ramp_up",
        "volume",
        "relative",
        True,
        0.3,
        True,
        "A new account at full volume from its first day: first-day calls over the account's "
        "median day, for accounts that started within a week of sign-up [7].",
        "A workload moved to a new key (no ramp-up; enterprise peers do the same).",
    ),
    # -- clock
    Feature(
        "hour_entropy",
        "clock",
        "relative",
        True,
        0.05,
        False,
        "Activity spread evenly round the clock (entropy of the hour of day, 1 = flat): "
        "24/7 use with no idle periods [7].",
        "Nightly suites and flat-rate pipelines (compared with their tier).",
    ),
    Feature(
        "longest_idle_h",
        "clock",
        "relative",
        False,
        0.3,
        True,
        "No rest: the longest gap between two calls, in hours, is short for the volume [7].",
        "Busy app backends (compared within the tier and endpoint mix).",
    ),
    Feature(
        "interarrival_cv",
        "clock",
        "relative",
        False,
        0.2,
        False,
        "Machine-regular spacing of calls (coefficient of variation of the gaps; people are "
        "bursty, well above 1).",
        "Scheduled jobs and CI (compared with peers).",
    ),
    # -- content shape
    Feature(
        "template_share",
        "template",
        "relative",
        True,
        0.05,
        False,
        "Share of calls in the account's three most used prompt skeletons: a template "
        "repeated with small variations [1].",
        "App backends (one system prompt), evaluation suites (the same items nightly).",
        "template",
    ),
    Feature(
        "capability_share",
        "capability",
        "relative",
        True,
        0.05,
        False,
        "Share of calls in the targeted capability areas (coding, math, agentic / tool use, "
        "data analysis): volume concentrated in a few capability areas [1].",
        "Developer accounts and code-review bots.",
    ),
    Feature(
        "capability_breadth",
        "capability",
        "relative",
        True,
        0.05,
        False,
        "Even coverage of every capability area (normalized entropy of the area tags): a "
        "capability sweep rather than one product's depth [1][2].",
        "General assistants; evaluation suites covering many benchmarks.",
    ),
    Feature(
        "single_turn_share",
        "conversation",
        "relative",
        True,
        0.05,
        False,
        "Share of calls with a single user turn: harvesting sends one prompt, takes one "
        "answer, no conversation.",
        "API workloads (classification, extraction) are single-turn too (compared with peers).",
    ),
    Feature(
        "output_input_ratio",
        "conversation",
        "relative",
        True,
        0.3,
        True,
        "Output tokens per input token: short prompts that ask for long answers.",
        "Content generation apps.",
    ),
    # -- request signals (absolute)
    *(
        Feature(
            f"{family}_share",
            "content",
            "absolute",
            True,
            0.0,
            False,
            f"Share of calls carrying a signal of the {family} family (see the request signals).",
            "Rare in ordinary use: the signals match none of 29,785 real prompts.",
            family,
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
        )
        for s in PARAM_SIGNALS
    ),
    # -- lifecycle
    Feature(
        "refusal_share",
        "lifecycle",
        "relative",
        True,
        0.03,
        False,
        "Share of calls the model refused: probing for wrappers that get through [6].",
        "Red-team and safety evaluation accounts.",
        "refusal",
    ),
    Feature(
        "refusal_then_persist",
        "lifecycle",
        "relative",
        True,
        0.05,
        False,
        "Refusal share in the first fifth of the account's active span minus that after it: "
        "many refused variants, then scale-up of what worked [6].",
        "A developer fixing a prompt that tripped a filter (one burst, low volume).",
        "refusal",
    ),
    Feature(
        "fast_adoption",
        "lifecycle",
        "relative",
        True,
        0.1,
        False,
        "Share of the conversations the account started in the 24 h after a new model "
        "appeared that already used it (from 5 in that window): retargeting a new model "
        "within a day [1][7].",
        "Release-day benchmarking by evaluation teams (compared within the tier).",
    ),
    # -- infrastructure
    _share(
        "hosting_share",
        "infrastructure",
        "Share of calls from hosting / cloud addresses.",
        "Every server-side workload (compared with peers of the same endpoint mix).",
        "hosting",
    ),
    _share(
        "anonymizer_share",
        "infrastructure",
        "Share of calls through VPN or Tor exits: residential proxies and VPNs [1][7].",
        "Privacy-minded people, corporate VPNs.",
        "anonymizer",
    ),
    _share(
        "foreign_share",
        "infrastructure",
        "Share of calls from a country other than the billing country.",
        "Travellers, multinational teams, cloud regions.",
        "foreign",
    ),
    _share(
        "restricted_share",
        "infrastructure",
        "Share of calls from countries where the service is not offered "
        "(setting detect.restricted_countries) [1][3].",
        "Misattributed addresses; travellers.",
        "foreign",
    ),
    Feature(
        "n_ips",
        "infrastructure",
        "relative",
        True,
        0.3,
        True,
        "Distinct client addresses: one account from many IPs [7].",
        "CI keys on short-lived runners (compared with peers).",
    ),
    Feature(
        "n_user_agents",
        "infrastructure",
        "relative",
        True,
        0.3,
        True,
        "Distinct user agents: one account from many clients [7].",
        "CI fleets, multi-service backends.",
    ),
    # -- identity
    Feature(
        "card_accounts",
        "identity",
        "relative",
        True,
        0.3,
        True,
        "Accounts paying with the same payment fingerprint: shared or virtual cards [1].",
        "A company paying for several team accounts with one card.",
    ),
    Feature(
        "unverified",
        "identity",
        "relative",
        True,
        0.2,
        False,
        "The account never completed identity verification (1) where its peers did.",
        "Most free-tier accounts (compared within the tier).",
    ),
)
"""Every account feature, in the order of the feature table's columns."""

FEATURE_NAMES: Final = tuple(f.name for f in FEATURES)


def accounts_table() -> ir.Table:
    """The ``accounts`` view as an unbound Ibis table."""
    return ibis.table(ibis.Schema.from_pyarrow(ACCOUNTS), name="accounts")


def _ratio(num: ir.NumericValue, den: ir.NumericValue) -> ir.FloatingValue:
    result: ir.FloatingValue = ibis.ifelse(den > 0, num.cast("float64") / den, ibis.null())
    return result


def _family_flag(calls: ir.Table, family: str) -> ir.BooleanValue:
    names = [flag_name(s) for s in TEXT_SIGNALS if s.family == family]
    flag: ir.BooleanValue = calls[names[0]]
    for name in names[1:]:
        flag = flag | calls[name]
    return flag


def _entropy(counts: list[ir.NumericValue]) -> ir.FloatingValue:
    """Normalized entropy (in [0, 1]) of a handful of per-account counts."""
    total = counts[0].cast("float64")
    for c in counts[1:]:
        total = total + c
    h: ir.FloatingValue = ibis.literal(0.0)
    for c in counts:
        p = c.cast("float64") / total
        h = h + ibis.ifelse(p > 0, -(p * p.ln()), 0.0)
    result: ir.FloatingValue = ibis.ifelse(total > 0, h / math.log(len(counts)), ibis.null())
    return result


def _hour_entropy(calls: ir.Table) -> ir.Table:
    counts = calls.group_by(["account_id", "hour"]).aggregate(c=calls.count())
    totals = counts.group_by("account_id").aggregate(total=counts.c.sum())
    joined = counts.join(totals, "account_id")
    p = joined.c.cast("float64") / joined.total
    per = joined.mutate(h=-(p * p.ln()))
    return per.group_by("account_id").aggregate(hour_entropy=per.h.sum() / math.log(24))


def _gaps(calls: ir.Table) -> ir.Table:
    seconds = calls.ts.epoch_seconds()
    window = ibis.window(group_by="account_id", order_by="ts")
    gaps = calls.select("account_id", gap=(seconds - seconds.lag().over(window)).cast("float64"))
    gaps = gaps.filter(gaps.gap.notnull())
    return gaps.group_by("account_id").aggregate(
        longest_idle_h=gaps.gap.max() / HOUR_S,
        interarrival_cv=_ratio(gaps.gap.std(), gaps.gap.mean()),
    )


def _daily(calls: ir.Table) -> ir.Table:
    days = calls.group_by(["account_id", "day"]).aggregate(c=calls.count())
    first = days.group_by("account_id").aggregate(first_day=days.day.min())
    joined = days.join(first, "account_id")
    return joined.group_by("account_id").aggregate(
        first_day_calls=joined.c.max(where=joined.day == joined.first_day),
        median_day_calls=joined.c.median(),
        active_days=joined.count(),
    )


def _templates(calls: ir.Table) -> ir.Table:
    per = calls.group_by(["account_id", "skeleton"]).aggregate(
        c=calls.count(), example=calls.request_id.min()
    )
    rank = ibis.row_number().over(
        ibis.window(group_by="account_id", order_by=[ibis.desc("c"), "skeleton"])
    )
    ranked = per.mutate(rank=rank)
    top = ranked.filter(ranked["rank"] < TOP_SKELETONS)
    return top.group_by("account_id").aggregate(
        top_skeleton_calls=top.c.sum(),
        ex_template=top.example.min(where=top["rank"] == 0),
    )


def _persistence(calls: ir.Table, spans: ir.Table) -> ir.Table:
    joined = calls.join(spans, "account_id")
    start = joined.first_ts.epoch_seconds()
    cut = start + (joined.last_ts.epoch_seconds() - start) * EARLY_SHARE
    early = joined.ts.epoch_seconds() <= cut
    refused = joined.refused.cast("float64")
    return joined.group_by("account_id").aggregate(
        early_refusal=refused.mean(where=early),
        late_refusal=refused.mean(where=~early),
    )


def _adoption(calls: ir.Table) -> ir.Table:
    start = calls.ts.min().as_scalar()
    models = (
        calls.filter(calls.model.notnull()).group_by("model").aggregate(released=calls.ts.min())
    )
    new = models.filter(models.released > start + ibis.interval(hours=NEW_MODEL_AFTER_H))
    new = new.select(new_model=new.model, released=new.released)
    # a conversation keeps its model: count the calls that start one
    starts = calls.filter(calls.n_user_turns.fill_null(1) <= 1)
    joined = starts.cross_join(new)
    window = joined.filter(
        (joined.ts >= joined.released)
        & (joined.ts < joined.released + ibis.interval(hours=ADOPTION_WINDOW_H))
    )
    per = window.group_by(["account_id", "new_model"]).aggregate(
        share=(window.model == window.new_model).cast("float64").mean(), calls=window.count()
    )
    per = per.filter(per.calls >= ADOPTION_MIN_CALLS)  # a share of two calls says nothing
    return per.group_by("account_id").aggregate(fast_adoption=per.share.max())


def _main(calls: ir.Table, accounts: ir.Table, restricted: tuple[str, ...]) -> ir.Table:
    billing = accounts.select("account_id", "billing_country")
    t = calls.left_join(billing, "account_id").drop("account_id_right")
    n = t.count()

    def share(flag: ir.BooleanValue) -> ir.FloatingValue:
        # every call counts in the denominator, including those of unknown origin
        result: ir.FloatingValue = flag.fill_null(False).cast("float64").mean()
        return result

    areas = [t[flag_name(s)] for s in CAPABILITY_SIGNALS]
    any_area = areas[0]
    for flag in areas[1:]:
        any_area = any_area | flag
    known = t.country.notnull()
    metrics: dict[str, ir.Value] = {
        "n_calls": n,
        "first_ts": t.ts.min(),
        "last_ts": t.ts.max(),
        "main_endpoint": t.endpoint.mode(),
        "capability_share": share(any_area),
        "single_turn_share": share(t.n_user_turns.fill_null(1) <= 1),
        "output_input_ratio": _ratio(t.output_tokens.sum(), t.input_tokens.sum()),
        "refusal_share": share(t.refused),
        "hosting_share": share(t.network_kind == "hosting"),
        "anonymizer_share": share(t.network_kind.isin(("vpn", "tor"))),
        "foreign_share": share(known & (t.country != t.billing_country.fill_null(""))),
        "restricted_share": share(
            t.country.isin(restricted) if restricted else ibis.literal(False)
        ),
        "n_ips": t.client_ip.nunique(),
        "n_user_agents": t.user_agent.nunique(),
        "ex_refusal": t.request_id.min(where=t.refused),
        "ex_hosting": t.request_id.min(where=t.network_kind == "hosting"),
        "ex_anonymizer": t.request_id.min(where=t.network_kind.isin(("vpn", "tor"))),
        "ex_foreign": t.request_id.min(
            where=known & (t.country != t.billing_country.fill_null(""))
        ),
        "ex_first": t.request_id.argmin(t.ts),
    }
    for area in CAPABILITY_SIGNALS:
        metrics[f"n_{area.name}"] = t[flag_name(area)].cast("int64").sum()
    for family in CONTENT_FAMILIES:
        flag = _family_flag(t, family)
        metrics[f"{family}_share"] = share(flag)
        metrics[f"ex_{family}"] = t.request_id.min(where=flag)
    for signal in TEXT_SIGNALS:
        if signal.family in CONTENT_FAMILIES:
            metrics[SIGNAL_SHARE + signal.name] = share(t[flag_name(signal)])
    for param in PARAM_SIGNALS:
        metrics[f"{param.name}_share"] = share(t[flag_name(param)])
        metrics[f"ex_{param.name}"] = t.request_id.min(where=t[flag_name(param)])
    return t.group_by("account_id").aggregate(**metrics)


def _identity(accounts: ir.Table) -> ir.Table:
    cards = (
        accounts.filter(accounts.payment_fingerprint.notnull())
        .group_by("payment_fingerprint")
        .aggregate(card_accounts=lambda a: a.count())
    )
    joined = accounts.left_join(cards, "payment_fingerprint")
    return joined.select(
        "account_id",
        "created_at",
        peer_tier=joined.tier.fill_null("unknown"),
        peer_program=joined.program.fill_null("none"),
        card_accounts=joined.card_accounts.fill_null(1),
        unverified=ibis.ifelse(joined.verified.fill_null(False), 0.0, 1.0),
    )


def account_features(
    calls: ir.Table, accounts: ir.Table, restricted: tuple[str, ...] = ()
) -> ir.Table:
    """One row per account that made calls: the peer group, every feature, example calls.

    Columns: ``account_id``, ``peer`` (tier / programme / main endpoint), ``n_calls``,
    ``first_ts``, ``last_ts``, ``age_days`` (sign-up to first call; null when the sign-up
    time is unknown), one column per :data:`FEATURES` entry, ``signal_share_<name>``
    per content signal (for the signal-profile link), and ``ex_<signal>`` columns holding an
    example ``request_id`` for each signal family that fired.
    """
    main = _main(calls, accounts, restricted)
    spans = main.select("account_id", "first_ts", "last_ts")
    parts = (
        _daily(calls),
        _hour_entropy(calls),
        _gaps(calls),
        _templates(calls),
        _persistence(calls, spans),
        _adoption(calls),
        _identity(accounts),
    )
    joined = main
    for part in parts:
        joined = joined.left_join(part, "account_id").drop("account_id_right")
    area_counts = [joined[f"n_{s.name}"] for s in CAPABILITY_SIGNALS]
    age_days = (joined.first_ts.epoch_seconds() - joined.created_at.epoch_seconds()) / 86400.0
    young = joined.created_at.notnull() & (age_days <= 7)
    derived: dict[str, ir.Value] = {
        "peer": joined.peer_tier.fill_null("unknown")
        + "/"
        + joined.peer_program.fill_null("none")
        + "/"
        + joined.main_endpoint.fill_null("-"),
        "calls_per_day": joined.n_calls.cast("float64") / joined.active_days,
        "ramp_up": ibis.ifelse(young, _ratio(joined.first_day_calls, joined.median_day_calls), 0.0),
        "template_share": joined.top_skeleton_calls.cast("float64") / joined.n_calls,
        "capability_breadth": _entropy(area_counts).fill_null(0.0),
        "refusal_then_persist": (
            joined.early_refusal.fill_null(0.0) - joined.late_refusal.fill_null(0.0)
        ),
        "fast_adoption": joined.fast_adoption.fill_null(0.0),
        "longest_idle_h": joined.longest_idle_h.fill_null(0.0),
        "interarrival_cv": joined.interarrival_cv.fill_null(0.0),
        "card_accounts": joined.card_accounts.fill_null(1).cast("float64"),
        "unverified": joined.unverified.fill_null(1.0),
        "output_input_ratio": joined.output_input_ratio.fill_null(0.0),
        "age_days": age_days,
    }
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
        *[full[name].cast("float64").name(name) for name in FEATURE_NAMES],
        *signal_shares,
        *examples,
    )
