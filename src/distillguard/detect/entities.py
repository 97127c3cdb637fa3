"""What each cheap link kind computes: account-entity memberships as Ibis expressions.

One function per link kind, named in the kind's catalogue row (:data:`links.LINK_KINDS`
``compute``), each taking the same :class:`LinkInputs` and returning rows of
:data:`MEMBERSHIP` (``account_id, kind, entity, example_request_id``). They run over every
call and account in the engine; ``links.memberships`` unions whatever the registry it is
given holds. The costly kinds (near-duplicate prompt sets, synchronized minutes, signal
profiles) run on candidate accounts only and live in ``neardup.py`` and ``links.py``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Final

import ibis
import ibis.expr.types as ir
import pyarrow as pa

CREATION_WINDOW_MIN: Final = 10
MIN_REPEATS: Final = 2  # a skeleton or system prompt counts when a member sent it this often


@dataclass(frozen=True)
class LinkInputs:
    """What every cheap link kind reads: the slim calls, the accounts, the /24 prefixes."""

    calls: ir.Table
    accounts: ir.Table
    prefixes: ir.Table
    min_chars: int  # shortest prompt whose skeleton may link accounts
    burst_min: int  # fewest accounts in one sign-up window for a creation burst

    def known(self) -> ir.Table:
        """The accounts that made calls."""
        return self.accounts.join(self.calls.select("account_id").distinct(), "account_id")


MEMBERSHIP = ibis.schema(
    {"account_id": "string", "kind": "string", "entity": "string", "example_request_id": "string"}
)


def _member(table: ir.Table, kind: str, entity: ir.Value, example: ir.Value) -> ir.Table:
    return table.select(
        account_id=table.account_id.cast("string"),
        kind=ibis.literal(kind),
        entity=entity.cast("string"),
        example_request_id=example.cast("string"),
    )


def _shared_on_a_day(calls: ir.Table, column: str, kind: str) -> ir.Table:
    per = calls.filter(calls[column].notnull()).group_by([column, "day", "account_id"])
    per = per.aggregate(example=calls.request_id.min())
    counts = per.group_by([column, "day"]).aggregate(accounts=per.count())
    shared = per.join(counts.filter(counts.accounts > 1), [column, "day"])
    members = shared.group_by([column, "account_id"]).aggregate(example=shared.example.min())
    return _member(members, kind, members[column], members.example)


def _repeated(calls: ir.Table, column: str, kind: str, min_chars: int) -> ir.Table:
    rows = calls.filter(calls[column].notnull() & (calls.skeleton_chars >= min_chars))
    if column == "skeleton":  # a template opens a request; follow-up turns are conversation
        rows = rows.filter(rows.n_user_turns.fill_null(1) <= 1)
    per = rows.group_by([column, "account_id"]).aggregate(
        c=rows.count(), example=rows.request_id.min()
    )
    per = per.filter(per.c >= MIN_REPEATS)
    return _member(per, kind, per[column], per.example)


def network_prefixes(ips: list[str]) -> pa.Table:
    """``ip → prefix`` (its /24 for IPv4, /64 for IPv6), for the ``prefixes`` table."""
    prefixes: list[str | None] = []
    for ip in ips:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            prefixes.append(None)
            continue
        bits = 24 if address.version == 4 else 64
        prefixes.append(str(ipaddress.ip_network(f"{address}/{bits}", strict=False)))
    return pa.table({"ip": pa.array(ips, pa.string()), "prefix": pa.array(prefixes, pa.string())})


def prefixes_table() -> ir.Table:
    return ibis.table({"ip": "string", "prefix": "string"}, name="prefixes")


def _creation_bursts(accounts: ir.Table, min_accounts: int, kind: str) -> ir.Table:
    created = accounts.filter(accounts.created_at.notnull())
    bucket = created.created_at.epoch_seconds() // (CREATION_WINDOW_MIN * 60)
    rows = created.select("account_id", bucket=bucket)
    counts = rows.group_by("bucket").aggregate(n=rows.count())
    # expected accounts per window over the whole sign-up span, and a burst far above it
    span = counts.bucket.max() - counts.bucket.min() + 1
    mean = counts.n.sum().cast("float64") / span
    bound = (mean + 6.0 * mean.sqrt()).ceil()
    bursts = counts.filter(
        (counts.n >= min_accounts) & (counts.n.cast("float64") >= bound.as_scalar())
    )
    members = rows.join(bursts, "bucket")
    stamp = (members.bucket * CREATION_WINDOW_MIN * 60).as_timestamp("s")
    return _member(members, kind, stamp.cast("string"), ibis.null("string"))


def cards(inputs: LinkInputs, kind: str) -> ir.Table:
    known = inputs.known()
    cards = known.filter(known.payment_fingerprint.notnull())
    return _member(cards, kind, cards.payment_fingerprint, ibis.null("string"))


def lines(inputs: LinkInputs, kind: str) -> ir.Table:
    """Residential and other lines (not hosting, VPN or Tor) shared on a day."""
    calls = inputs.calls
    kept = calls.filter(~calls.network_kind.fill_null("other").isin(("vpn", "tor", "hosting")))
    return _shared_on_a_day(kept, "client_ip", kind)


def hosting_addresses(inputs: LinkInputs, kind: str) -> ir.Table:
    calls = inputs.calls
    return _shared_on_a_day(calls.filter(calls.network_kind == "hosting"), "client_ip", kind)


def networks(inputs: LinkInputs, kind: str) -> ir.Table:
    calls, prefixes = inputs.calls, inputs.prefixes
    rows = calls.filter(calls.network_kind == "other")
    joined = rows.join(prefixes, rows.client_ip == prefixes.ip)
    joined = joined.select("day", "account_id", "request_id", "prefix")
    return _shared_on_a_day(joined, "prefix", kind)


def skeletons(inputs: LinkInputs, kind: str) -> ir.Table:
    return _repeated(inputs.calls, "skeleton", kind, inputs.min_chars)


def system_prompts(inputs: LinkInputs, kind: str) -> ir.Table:
    return _repeated(inputs.calls, "system_hash", kind, inputs.min_chars)


def user_agents(inputs: LinkInputs, kind: str) -> ir.Table:
    agents = inputs.calls.filter(inputs.calls.user_agent.notnull())
    agents = agents.group_by(["user_agent", "account_id"]).aggregate(
        example=agents.request_id.min()
    )
    return _member(agents, kind, agents.user_agent, agents.example)


def email_domains(inputs: LinkInputs, kind: str) -> ir.Table:
    known = inputs.known()
    domains = known.filter(known.email_domain.notnull())
    return _member(domains, kind, domains.email_domain, ibis.null("string"))


def creation_bursts(inputs: LinkInputs, kind: str) -> ir.Table:
    return _creation_bursts(inputs.known(), inputs.burst_min, kind)
