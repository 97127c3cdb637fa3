"""The report's figures: each one a named SQL query over the bundle's record views.

Every table of the report is the result of one :class:`Fact` — a name, a title and the SQL
text — run on the record views (``cluster``, ``accounts``, ``calls``, ``links``,
``features``, ``labels``, ``ledger``), which hold exactly what ``records/*.jsonl`` hold. The
report prints each query under its table, so anyone can load the JSON Lines files into
DuckDB under those names and get the same numbers. Settings that shape a figure (the
prices, the unsupported regions) are written into the query text as literals, so the printed
query is the whole computation.

``accounts`` holds every member of the cluster; ``in_case`` marks those the case is about
(the others were left out of the verdict, and the report says so). ``calls`` holds the calls
of the accounts in the case only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import duckdb

from distillguard.dossier.context import Prices


@dataclass(frozen=True)
class Fact:
    name: str
    title: str
    sql: str


@dataclass(frozen=True)
class Table:
    fact: Fact
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def first(self) -> dict[str, Any]:
        """The first row as a dict (empty when there is none)."""
        return dict(zip(self.columns, self.rows[0], strict=True)) if self.rows else {}

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


def run(con: duckdb.DuckDBPyConnection, fact: Fact) -> Table:
    """The fact's table, computed on ``con``'s record views."""
    cursor = con.execute(fact.sql)
    columns = tuple(d[0] for d in cursor.description or [])
    return Table(fact, columns, tuple(cursor.fetchall()))


def _literal_list(values: Sequence[str]) -> str:
    if not values:
        return "[]::VARCHAR[]"
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


ANONYMOUS: Final = "('hosting', 'vpn', 'tor')"
"""Network kinds that hide where a caller is: rented servers, VPN and Tor exits."""


def summary(prices: Prices) -> Fact:
    """Accounts, calls, tokens, time span and the estimated cost of what was harvested."""
    return Fact(
        "summary",
        "The campaign in figures",
        f"""SELECT
  (SELECT count(*) FROM accounts WHERE in_case) AS accounts,
  (SELECT count(*) FROM accounts WHERE NOT in_case) AS members_left_out,
  count(*) AS calls,
  coalesce(sum(input_tokens), 0) AS input_tokens,
  coalesce(sum(output_tokens), 0) AS output_tokens,
  coalesce(sum(reasoning_tokens), 0) AS reasoning_tokens,
  min(ts) AS first_call,
  max(ts) AS last_call,
  count(DISTINCT day) AS active_days,
  round(coalesce(sum(input_tokens), 0) * {prices.input_per_mtok!r} / 1e6
    + (coalesce(sum(output_tokens), 0) - coalesce(sum(reasoning_tokens), 0))
      * {prices.output_per_mtok!r} / 1e6
    + coalesce(sum(reasoning_tokens), 0) * {prices.reasoning_per_mtok!r} / 1e6, 2)
    AS estimated_cost
FROM calls""",
    )


EXPOSURE: Final = Fact(
    "exposure",
    "What was harvested, by capability area",
    """SELECT area,
  count(*) AS calls,
  count(DISTINCT account_id) AS accounts,
  coalesce(sum(output_tokens), 0) AS output_tokens,
  coalesce(sum(reasoning_tokens), 0) AS reasoning_tokens,
  round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share_of_calls_pct
FROM calls
GROUP BY area
ORDER BY calls DESC, area""",
)

TIMELINE: Final = Fact(
    "timeline",
    "Calls and active accounts per day (UTC)",
    """SELECT day,
  count(*) AS calls,
  count(DISTINCT account_id) AS accounts_active,
  coalesce(sum(output_tokens), 0) AS output_tokens
FROM calls
GROUP BY day
ORDER BY day""",
)

CREATED: Final = Fact(
    "accounts_created",
    "Accounts of the case created per day (UTC)",
    """SELECT CAST(created_at AS DATE) AS day, count(*) AS accounts_created
FROM accounts
WHERE in_case AND created_at IS NOT NULL
GROUP BY 1
ORDER BY 1""",
)

CALL_COUNTRIES: Final = Fact(
    "call_countries",
    "Where the calls came from (country of the caller's address)",
    """SELECT coalesce(country, 'unknown') AS country,
  count(*) AS calls,
  count(DISTINCT account_id) AS accounts
FROM calls
GROUP BY 1
ORDER BY calls DESC, country""",
)

BILLING: Final = Fact(
    "billing_countries",
    "Billing countries of the accounts",
    """SELECT coalesce(billing_country, 'unknown') AS billing_country, count(*) AS accounts
FROM accounts
WHERE in_case
GROUP BY 1
ORDER BY accounts DESC, billing_country""",
)

NETWORKS: Final = Fact(
    "network_kinds",
    "Kinds of network the calls came through",
    """SELECT network_kind,
  count(*) AS calls,
  count(DISTINCT account_id) AS accounts,
  count(DISTINCT client_ip) AS addresses
FROM calls
GROUP BY network_kind
ORDER BY calls DESC""",
)

ASNS: Final = Fact(
    "asns",
    "Networks (autonomous systems) most used, top 15",
    """SELECT coalesce(asn_name, 'unknown') AS network_operator,
  mode(network_kind) AS network_kind,
  count(*) AS calls,
  count(DISTINCT account_id) AS accounts
FROM calls
GROUP BY 1
ORDER BY calls DESC, network_operator
LIMIT 15""",
)

CARDS: Final = Fact(
    "shared_cards",
    "Payment cards (fingerprints) paying for more than one account",
    """SELECT payment_fingerprint, count(*) AS accounts
FROM accounts
WHERE in_case AND payment_fingerprint IS NOT NULL
GROUP BY 1
HAVING count(*) > 1
ORDER BY accounts DESC, payment_fingerprint""",
)

PROGRAMMES: Final = Fact(
    "programmes",
    "Sign-up programmes, tiers and identity verification",
    """SELECT coalesce(program, 'unknown') AS programme,
  coalesce(tier, 'unknown') AS tier,
  count(*) AS accounts,
  count(*) FILTER (WHERE verified) AS verified
FROM accounts
WHERE in_case
GROUP BY 1, 2
ORDER BY accounts DESC, programme, tier""",
)

CLUSTER_REASONS: Final = Fact(
    "cluster_reasons",
    "Why the scan grouped these accounts and flagged the group",
    """SELECT r.kind, r.name, r.detail, r.value, r.specificity
FROM (SELECT unnest(reasons) AS r FROM cluster)
ORDER BY r.kind, r.name""",
)

ACCOUNT_REASONS: Final = Fact(
    "account_reasons",
    "What the accounts' own behaviour showed (signals and features)",
    """SELECT r.name,
  any_value(r.kind) AS kind,
  count(DISTINCT account_id) AS accounts,
  round(avg(r.value), 3) AS typical_value,
  round(avg(r.baseline), 3) AS typical_baseline,
  min(r.examples[1]) AS example_call
FROM (SELECT account_id, unnest(reasons) AS r FROM accounts WHERE in_case)
WHERE r.kind IN ('signal', 'feature', 'anomaly')
GROUP BY r.name
ORDER BY accounts DESC, r.name""",
)

LINK_KINDS: Final = Fact(
    "link_kinds",
    "What the accounts share with one another",
    """SELECT kind,
  count(DISTINCT account_id) AS accounts,
  count(DISTINCT entity) AS shared_things,
  round(avg(specificity), 2) AS mean_specificity
FROM links
GROUP BY kind
ORDER BY accounts DESC, kind""",
)

GRAPH: Final = Fact(
    "graph_links",
    "Shared things that join two or more accounts (the cluster graph)",
    """SELECT kind, entity, list(DISTINCT account_id ORDER BY account_id) AS accounts
FROM links
GROUP BY kind, entity
HAVING count(DISTINCT account_id) > 1
ORDER BY kind, entity""",
)


SHARED: Final = Fact(
    "shared_things",
    "Things shared by two or more accounts, most shared first",
    """SELECT kind, entity, count(DISTINCT account_id) AS accounts
FROM links
GROUP BY kind, entity
HAVING count(DISTINCT account_id) > 1
ORDER BY accounts DESC, kind, entity""",
)


def excerpts(request_ids: Sequence[str]) -> Fact:
    """The example calls the reasons name: their prompt and the start of their answer."""
    return Fact(
        "excerpts",
        "Example calls named by the reasons",
        f"""SELECT request_id, account_id, ts,
  left(user_text, 400) AS prompt_excerpt,
  left(response_text, 200) AS answer_excerpt
FROM calls
WHERE list_contains({_literal_list(request_ids)}, request_id)
ORDER BY ts, request_id""",
    )


def geofence(unsupported: Sequence[str]) -> Fact:
    return Fact(
        "geofence_evasion",
        "Calls through VPN, Tor or hosting networks from outside the billing country, "
        "or from an unsupported region",
        f"""SELECT c.network_kind, coalesce(c.country, 'unknown') AS call_country,
  a.billing_country,
  count(*) AS calls,
  count(DISTINCT c.account_id) AS accounts
FROM calls AS c JOIN accounts AS a USING (account_id)
WHERE c.network_kind IN {ANONYMOUS}
  AND (c.country <> a.billing_country
       OR list_contains({_literal_list(unsupported)}, c.country))
GROUP BY ALL
ORDER BY calls DESC, call_country""",
    )


def unsupported_regions(unsupported: Sequence[str]) -> Fact:
    regions = _literal_list(unsupported)
    return Fact(
        "unsupported_region",
        "Calls from, and accounts billed in, regions where the service is not offered",
        f"""SELECT 'calls from' AS what, country, count(*) AS count
FROM calls WHERE list_contains({regions}, country) GROUP BY country
UNION ALL
SELECT 'accounts billed in', billing_country, count(*)
FROM accounts WHERE in_case AND list_contains({regions}, billing_country)
GROUP BY billing_country
ORDER BY what, count DESC""",
    )


ROTATION: Final = Fact(
    "account_rotation",
    "Accounts that began calling after enforcement against accounts of the case",
    """WITH enforced AS (
  SELECT CAST(time AS TIMESTAMPTZ) AS enforced_at, payload ->> 'account_id' AS account_id
  FROM ledger WHERE kind = 'decision'
  UNION ALL
  SELECT CAST(time AS TIMESTAMPTZ), d ->> 'account_id'
  FROM ledger, unnest(CAST(json_extract(payload, '$.decisions') AS JSON[])) AS u(d)
  WHERE kind = 'label' AND d ->> 'label' = 'campaign'
  UNION ALL
  SELECT min(ts), account_id FROM calls
  WHERE gateway_action = 'block' OR status IN (401, 403)
  GROUP BY account_id
),
first_enforcement AS (SELECT min(enforced_at) AS enforced_at FROM enforced),
first_calls AS (SELECT account_id, min(ts) AS first_call FROM calls GROUP BY account_id)
SELECT e.enforced_at AS first_enforcement, a.account_id, a.created_at, f.first_call
FROM accounts AS a
JOIN first_calls AS f USING (account_id)
CROSS JOIN first_enforcement AS e
WHERE a.in_case AND e.enforced_at IS NOT NULL AND f.first_call > e.enforced_at
  AND a.account_id NOT IN (SELECT account_id FROM enforced WHERE account_id IS NOT NULL)
ORDER BY f.first_call, a.account_id""",
)

SHARDING: Final = Fact(
    "limit_sharding",
    "Load spread over many accounts, active in the same minutes",
    """WITH per_minute AS (
  SELECT date_trunc('minute', ts) AS minute, count(DISTINCT account_id) AS accounts
  FROM calls GROUP BY 1
),
per_account_day AS (
  SELECT account_id, day, count(*) AS calls FROM calls GROUP BY 1, 2
)
SELECT
  (SELECT count(DISTINCT account_id) FROM links WHERE kind = 'synchronized')
    AS accounts_linked_as_synchronized,
  (SELECT count(*) FROM per_minute WHERE accounts >= 3) AS minutes_with_3_or_more_accounts,
  (SELECT max(accounts) FROM per_minute) AS most_accounts_in_one_minute,
  (SELECT median(calls) FROM per_account_day) AS median_calls_per_account_per_day,
  (SELECT max(calls) FROM per_account_day) AS most_calls_by_one_account_in_a_day,
  (SELECT max(total) FROM (SELECT sum(calls) AS total FROM per_account_day GROUP BY day))
    AS most_calls_by_all_accounts_in_a_day""",
)

PROGRAMME_ACCOUNTS: Final = Fact(
    "programme_misrepresentation",
    "Accounts of the case that signed up through a programme",
    """SELECT program AS programme,
  count(*) AS accounts,
  count(*) FILTER (WHERE verified) AS verified,
  count(*) FILTER (WHERE NOT coalesce(verified, false)) AS unverified
FROM accounts
WHERE in_case AND program IN ('education', 'research', 'startup')
GROUP BY 1
ORDER BY accounts DESC, programme""",
)

EVASION: Final = Fact(
    "classifier_evasion",
    "Accounts whose prompts carry wrappers meant to get past classifiers",
    """SELECT r.name,
  count(DISTINCT account_id) AS accounts,
  round(avg(r.value), 3) AS share_of_calls,
  min(r.examples[1]) AS example_call
FROM (SELECT account_id, unnest(reasons) AS r FROM accounts WHERE in_case)
WHERE r.name = 'evasion_share' OR r.family = 'evasion'
GROUP BY r.name
ORDER BY accounts DESC""",
)

JURISDICTIONS: Final = Fact(
    "jurisdictions",
    "Countries the campaign touches",
    f"""WITH c AS (
  SELECT country, count(*) AS calls, count(DISTINCT account_id) AS accounts_calling,
    count(*) FILTER (WHERE network_kind IN {ANONYMOUS}) AS calls_via_hosting_vpn_tor
  FROM calls WHERE country IS NOT NULL GROUP BY country
),
b AS (
  SELECT billing_country AS country, count(*) AS accounts_billed
  FROM accounts WHERE in_case AND billing_country IS NOT NULL GROUP BY 1
)
SELECT country,
  coalesce(c.calls, 0) AS calls,
  coalesce(c.accounts_calling, 0) AS accounts_calling,
  coalesce(b.accounts_billed, 0) AS accounts_billed,
  coalesce(c.calls_via_hosting_vpn_tor, 0) AS calls_via_hosting_vpn_tor
FROM c FULL JOIN b USING (country)
ORDER BY calls DESC, accounts_billed DESC, country""",
)

MEASURES: Final = Fact(
    "measures",
    "Controls recorded by the gateway (policy, limits, geofence, verification, keys)",
    """WITH span AS (SELECT min(ts) AS first_call, max(ts) AS last_call FROM calls)
SELECT l.seq,
  CAST(payload -> 'entry' ->> 'at' AS TIMESTAMPTZ) AS recorded_at,
  CASE WHEN payload -> 'entry' ->> 'at' IS NULL THEN 'unknown'
       WHEN CAST(payload -> 'entry' ->> 'at' AS TIMESTAMPTZ) < s.first_call
         THEN 'before the campaign'
       WHEN CAST(payload -> 'entry' ->> 'at' AS TIMESTAMPTZ) <= s.last_call
         THEN 'during the campaign'
       ELSE 'after the campaign' END AS when_,
  payload -> 'entry' ->> 'event' AS event,
  payload -> 'entry' ->> 'what' AS control,
  payload -> 'entry' ->> 'who' AS who,
  left(CAST(payload -> 'entry' -> 'new' AS VARCHAR), 300) AS value,
  payload -> 'entry' ->> 'file_sha256' AS file_sha256
FROM ledger AS l CROSS JOIN span AS s
WHERE l.kind = 'controls'
ORDER BY recorded_at, l.seq""",
)

LEDGER: Final = Fact(
    "ledger",
    "The ledger entries this bundle carries",
    """SELECT seq, time, kind, actor, ref
FROM ledger
ORDER BY seq""",
)
