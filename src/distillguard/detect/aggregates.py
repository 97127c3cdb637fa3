"""Per-account aggregates: the intermediate quantities that account features are made of.

Every function here is an Ibis expression over the slim call table of ``calls.py`` (or the
``accounts`` table) with one row per account: day counts, the hour-of-day entropy, the gaps
between calls, the top prompt skeletons, refusals early and late, adoption of a new model,
identity. Several features read each of them, so they are computed once and joined; what a
feature does with them is the feature's own computation (``features.py``). Nothing here
knows the feature catalogue.
"""

from __future__ import annotations

import math
from typing import Final

import ibis
import ibis.expr.types as ir

from distillguard.detect.flags import flag_name
from distillguard.detect.signals import TEXT_SIGNALS
from distillguard.schema.accounts import ACCOUNTS

TOP_SKELETONS: Final = 3
EARLY_SHARE: Final = 0.2  # "early" is the first fifth of an account's active span
NEW_MODEL_AFTER_H: Final = 24  # a model first seen this long after the data starts is "new"
ADOPTION_WINDOW_H: Final = 24
ADOPTION_MIN_CALLS: Final = 5  # conversations started in the window before the share counts
HOUR_S: Final = 3600


def accounts_table() -> ir.Table:
    """The ``accounts`` view as an unbound Ibis table."""
    return ibis.table(ibis.Schema.from_pyarrow(ACCOUNTS), name="accounts")


def ratio(num: ir.NumericValue, den: ir.NumericValue) -> ir.FloatingValue:
    result: ir.FloatingValue = ibis.ifelse(den > 0, num.cast("float64") / den, ibis.null())
    return result


def family_flag(calls: ir.Table, family: str) -> ir.BooleanValue:
    names = [flag_name(s) for s in TEXT_SIGNALS if s.family == family]
    flag: ir.BooleanValue = calls[names[0]]
    for name in names[1:]:
        flag = flag | calls[name]
    return flag


def entropy(counts: list[ir.NumericValue]) -> ir.FloatingValue:
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


def hour_entropy(calls: ir.Table) -> ir.Table:
    counts = calls.group_by(["account_id", "hour"]).aggregate(c=calls.count())
    totals = counts.group_by("account_id").aggregate(total=counts.c.sum())
    joined = counts.join(totals, "account_id")
    p = joined.c.cast("float64") / joined.total
    per = joined.mutate(h=-(p * p.ln()))
    return per.group_by("account_id").aggregate(hour_entropy=per.h.sum() / math.log(24))


def gaps(calls: ir.Table) -> ir.Table:
    seconds = calls.ts.epoch_seconds()
    window = ibis.window(group_by="account_id", order_by="ts")
    gaps = calls.select("account_id", gap=(seconds - seconds.lag().over(window)).cast("float64"))
    gaps = gaps.filter(gaps.gap.notnull())
    return gaps.group_by("account_id").aggregate(
        longest_idle_h=gaps.gap.max() / HOUR_S,
        interarrival_cv=ratio(gaps.gap.std(), gaps.gap.mean()),
    )


def daily(calls: ir.Table) -> ir.Table:
    days = calls.group_by(["account_id", "day"]).aggregate(c=calls.count())
    first = days.group_by("account_id").aggregate(first_day=days.day.min())
    joined = days.join(first, "account_id")
    return joined.group_by("account_id").aggregate(
        first_day_calls=joined.c.max(where=joined.day == joined.first_day),
        median_day_calls=joined.c.median(),
        active_days=joined.count(),
    )


def templates(calls: ir.Table) -> ir.Table:
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


def persistence(calls: ir.Table, spans: ir.Table) -> ir.Table:
    joined = calls.join(spans, "account_id")
    start = joined.first_ts.epoch_seconds()
    cut = start + (joined.last_ts.epoch_seconds() - start) * EARLY_SHARE
    early = joined.ts.epoch_seconds() <= cut
    refused = joined.refused.cast("float64")
    return joined.group_by("account_id").aggregate(
        early_refusal=refused.mean(where=early),
        late_refusal=refused.mean(where=~early),
    )


def adoption(calls: ir.Table) -> ir.Table:
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


def identity(accounts: ir.Table) -> ir.Table:
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
