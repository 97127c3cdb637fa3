"""The report's sections on what happened: summary, exposure, timeline, infrastructure,
signals and the cluster graph. Each is written from the record views (``Material``) in
plain words, with its tables and the queries behind them."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any, Final

from distillguard.dossier import areas, facts, glossary, legal, svg
from distillguard.dossier.htmltable import cell, render
from distillguard.dossier.material import Material, Section

GRAPH_ENTITY_LIMIT: Final = 12
"""Things shared by more accounts than this are listed but not drawn as lines (a template
sent by 200 accounts would draw 20,000 lines and hide everything else)."""
GRAPH_NODE_LIMIT: Final = 600
"""At most this many accounts are drawn (those with the most links): the layout's cost grows
with the square of the accounts, and a page cannot show more."""
STRONGEST: Final = tuple(svg.KIND_COLOURS)
"""Link kinds from the strongest tie to the weakest, for an edge's colour."""


def _p(text: str) -> str:
    return f"<p>{text}</p>"


def _n(value: Any) -> str:
    return cell(value)


def _brief(m: Material) -> str:
    shown = [i for i in m.indicators if i.shown]
    clauses = [c for c in m.terms.clauses if legal.evidence(m, c)]
    items = [
        (
            f"{len(clauses)} of {len(m.terms.clauses)} clauses of the terms are implicated by "
            "the evidence: " + escape("; ".join(f"§{c.section} {c.title}" for c in clauses)) + "."
            if clauses
            else "No clause of the terms is implicated by the evidence."
        ),
        f"Capability areas harvested most: {escape(_top_areas(m))}.",
        (
            f"{len(shown)} of {len(m.indicators)} improper-means indicators are shown by the "
            "records: " + escape(", ".join(i.name.replace("_", " ") for i in shown)) + "."
            if shown
            else "None of the improper-means indicators is shown by the records."
        ),
        escape(next(i.finding for i in m.indicators if i.name == "watermark_found")),
    ]
    return "<h3>In brief</h3><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _top_areas(m: Material) -> str:
    table = m.run(facts.EXPOSURE)
    top = [
        f"{areas.TITLES.get(str(a), str(a)).lower()} ({share}% of calls)"
        for a, share in zip(table.column("area"), table.column("share_of_calls_pct"), strict=True)
    ][:3]
    return ", ".join(top) or "none"


def summary(m: Material) -> Section:
    row = m.summary.first()
    c = m.context
    prices = c.prices
    left_out = int(row.get("members_left_out") or 0)
    body = [
        _p(
            f"Between {_n(row.get('first_call'))} and {_n(row.get('last_call'))}, "
            f"<strong>{_n(row.get('accounts'))} accounts</strong> made "
            f"<strong>{_n(row.get('calls'))} calls</strong> to the models of "
            f"{escape(c.organisation)}, on {_n(row.get('active_days'))} days. The answers "
            f"they received hold <strong>{_n(row.get('output_tokens'))} output tokens</strong>, "
            f"of which {_n(row.get('reasoning_tokens'))} are reasoning tokens; the prompts "
            f"hold {_n(row.get('input_tokens'))} input tokens."
        ),
        _p(
            f"At the provider's list prices ({prices.input_per_mtok:g} {escape(prices.currency)}"
            f" per million input tokens, {prices.output_per_mtok:g} per million output tokens "
            f"and {prices.reasoning_per_mtok:g} per million reasoning tokens) that use is worth "
            f"about <strong>{_n(row.get('estimated_cost'))} {escape(prices.currency)}</strong>. "
            "This is the price of the service, not a measure of the loss."
        ),
        _p(
            f"The accounts form cluster {escape(c.cluster_id)} of scan {escape(c.scan_id)}: "
            "the scan found them linked to one another by what they share and flagged them "
            "for behaving like a distillation campaign. The case was opened by "
            f"{escape(c.opened_by)} on {escape(c.opened_at)}."
            + (
                f" {left_out:,} further members of the cluster were left out of the case "
                "because the scan found no evidence of their own against them."
                if left_out
                else ""
            )
        ),
        _brief(m),
        render(m.summary),
        "<h3>Words used in this report</h3><dl class='glossary'>"
        + "".join(
            f"<dt>{escape(term)}</dt><dd>{escape(meaning)}</dd>"
            for term, meaning in glossary.TERMS.items()
        )
        + "</dl>",
    ]
    return Section("summary", "Summary", "".join(body))


def exposure(m: Material) -> Section:
    table = m.run(facts.EXPOSURE)
    names = [str(a) for a in table.column("area")]
    chart = svg.bars(
        [areas.TITLES.get(a, a) for a in names],
        [float(v) for v in table.column("output_tokens")],
        title="Output tokens harvested, by capability area",
    )
    meanings = "".join(
        f"<li><strong>{escape(a.title)}</strong>: {escape(a.meaning)}.</li>" for a in areas.AREAS
    )
    body = (
        _p(
            "What the accounts asked the model to do, by capability area. Each call is given "
            "one area from what its prompt and answer contain (program code, equations and "
            "numbers, tools offered to the model, the script and language of the text), so "
            "the figures show which of the model's abilities were harvested. The area is "
            "computed on the full texts and recorded in the <code>area</code> column of the "
            "calls records, so the figures can be recomputed from a redacted bundle too."
        )
        + f"<div class='chart'>{chart}</div>"
        + render(table)
        + f"<ul class='areas'>{meanings}</ul>"
    )
    return Section("exposure", "Exposure by capability area", body)


def timeline(m: Material) -> Section:
    table = m.run(facts.TIMELINE)
    created = m.run(facts.CREATED)
    chart = svg.timeline(
        [cell(d) for d in table.column("day")],
        [float(v) for v in table.column("calls")],
        [float(v) for v in table.column("accounts_active")],
        title="Calls and accounts active per day (UTC)",
    )
    body = (
        _p(
            "How the campaign's use unfolded over time, day by day in UTC. A campaign that "
            "spreads its load over many accounts shows many accounts active on the same "
            "days; one that replaces banned accounts shows new accounts appearing as others "
            "stop."
        )
        + f"<div class='chart'>{chart}</div>"
        + render(table)
        + _p("When the accounts of the case were created:")
        + render(created, limit=20)
    )
    return Section("timeline", "Timeline", body)


def infrastructure(m: Material) -> Section:
    body = (
        _p(
            "Where the calls came from and how the accounts were paid for. The country of a "
            "call is that of the caller's internet address; calls through hosting networks, "
            "VPNs or Tor hide where the caller really was; 'other' is an ordinary internet "
            "provider (homes, offices, mobile). A card fingerprint identifies one payment card "
            "without its number."
            + (
                " In this redacted bundle, addresses are shown as their network (the first "
                "three parts of an IPv4 address)."
                if m.context.redacted
                else ""
            )
        )
        + render(m.run(facts.CALL_COUNTRIES))
        + render(m.run(facts.BILLING))
        + render(m.run(facts.NETWORKS))
        + render(m.run(facts.ASNS))
        + render(m.run(facts.CARDS), limit=25)
        + render(m.run(facts.PROGRAMMES))
    )
    return Section("infrastructure", "Infrastructure", body)


def _examples(m: Material) -> list[str]:
    ids = [str(r) for r in m.account_reasons.column("example_call") if r]
    return sorted(set(ids))[:12]


def signals(m: Material) -> Section:
    names = [str(n) for n in m.account_reasons.column("name")]
    meanings = glossary.reasons(names)
    excerpts = m.run(facts.excerpts(_examples(m)))
    hashed = " (their texts are replaced by hashes in this redacted bundle)"
    body = (
        _p(
            "The reasons the scan gave for flagging the cluster, then what the accounts' own "
            "calls showed, each compared with the baseline of comparable accounts. The "
            "example calls are quoted as the records hold them"
            + (hashed if m.context.redacted else "")
            + "."
        )
        + render(m.cluster_reasons)
        + render(m.account_reasons, extra={"meaning": [meanings[n] for n in names]})
        + render(excerpts)
    )
    return Section("signals", "Signals", body)


def _edges(table: facts.Table) -> tuple[list[svg.Edge], int]:
    rank = {kind: i for i, kind in enumerate(STRONGEST)}
    best: dict[tuple[str, str], str] = {}
    skipped = 0
    for kind, _entity, accounts in table.rows:
        members = sorted(accounts)
        if len(members) > GRAPH_ENTITY_LIMIT:
            skipped += 1
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                held = best.get((a, b))
                if held is None or rank.get(kind, 99) < rank.get(held, 99):
                    best[(a, b)] = kind
    return [svg.Edge(a, b, kind) for (a, b), kind in sorted(best.items())], skipped


def graph(m: Material) -> Section:
    links = m.run(facts.GRAPH)
    members = m.con.execute("SELECT account_id, in_case FROM accounts ORDER BY account_id")
    rows = members.fetchall()
    nodes = [str(r[0]) for r in rows]
    in_case = frozenset(str(r[0]) for r in rows if r[1])
    edges, skipped = _edges(links)
    drawn_note = ""
    if len(nodes) > GRAPH_NODE_LIMIT:
        degree: dict[str, int] = {}
        for edge in edges:
            degree[edge.a] = degree.get(edge.a, 0) + 1
            degree[edge.b] = degree.get(edge.b, 0) + 1
        kept = set(sorted(nodes, key=lambda a: (-degree.get(a, 0), a))[:GRAPH_NODE_LIMIT])
        drawn_note = (
            f" Only the {GRAPH_NODE_LIMIT:,} accounts with the most links of the "
            f"{len(nodes):,} are drawn."
        )
        nodes = [a for a in nodes if a in kept]
        edges = [e for e in edges if e.a in kept and e.b in kept]
    picture = svg.graph(nodes, edges, highlighted=in_case, title="The cluster as a graph")
    body = (
        _p(
            "Each dot is an account of the cluster (filled: in the case; hollow: left out). "
            "A line joins two accounts that share something — a card, an address, a prompt "
            "template — coloured by what they share; the strongest tie is drawn when they "
            f"share several things. {skipped:,} things shared by more than "
            f"{GRAPH_ENTITY_LIMIT} accounts each are listed below but not drawn." + drawn_note
        )
        + f"<div class='chart graph'>{picture}</div>"
        + f"<pre class='query drawn'>query (the picture): {escape(facts.GRAPH.sql)}</pre>"
        + render(m.run(facts.LINK_KINDS))
        + render(m.run(facts.SHARED), limit=20)
    )
    return Section("graph", "Cluster graph", body)


EVIDENCE: Final[tuple[Callable[[Material], Section], ...]] = (
    summary,
    exposure,
    timeline,
    infrastructure,
    signals,
    graph,
)
