"""The report's sections for the legal reading: the terms implicated, the measures in force,
the improper-means indicators, the jurisdictions, the watermark, what the evidence does not
show, the records and their integrity, and the notice that the report is not legal advice."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any, Final

from distillguard.dossier import facts
from distillguard.dossier.htmltable import cell, render
from distillguard.dossier.material import Material, Section
from distillguard.dossier.terms import Clause


def _p(text: str) -> str:
    return f"<p>{text}</p>"


def _seen(m: Material) -> tuple[dict[str, int], set[str]]:
    """Reason names of the accounts with how many accounts gave them; the cluster's own."""
    accounts = {
        str(name): int(n)
        for name, n in zip(
            m.account_reasons.column("name"), m.account_reasons.column("accounts"), strict=True
        )
    }
    return accounts, {str(n) for n in m.cluster_reasons.column("name")}


def evidence(m: Material, clause: Clause) -> list[str]:
    """What in the case bears on ``clause``, one HTML item each (empty: nothing)."""
    accounts, cluster = _seen(m)
    shown = {i.name: i for i in m.indicators if i.shown}
    found = []
    for name in clause.signals:
        if name in accounts:
            found.append(f"signal <code>{escape(name)}</code>: {accounts[name]:,} accounts")
        elif name in cluster:
            found.append(f"signal <code>{escape(name)}</code>: in the cluster's reasons")
    for name in clause.behaviours:
        if name in shown:
            found.append(f"indicator <code>{escape(name)}</code>: {escape(shown[name].finding)}")
    return found


def _clause(m: Material, clause: Clause) -> str:
    found = evidence(m, clause)
    verdict = (
        "<span class='implicated'>implicated</span>"
        if found
        else "<span class='clear'>not implicated by the records</span>"
    )
    items = "".join(f"<li>{item}</li>" for item in found)
    return (
        f"<article class='clause' id='clause-{escape(clause.id)}'>"
        f"<h3>§{escape(clause.section)} {escape(clause.title)} — {verdict}</h3>"
        f"<blockquote>{escape(clause.text)}</blockquote>"
        + (f"<ul>{items}</ul>" if found else "")
        + "</article>"
    )


def terms_implicated(m: Material) -> Section:
    t = m.terms
    body = _p(
        f"The clauses of <em>{escape(t.name)}</em> (version {escape(t.version)}; "
        f"{escape(t.source)}), each with the evidence in this case that bears on it. The "
        "terms policy maps each clause to the scan's signals and to the indicators of the "
        "section on improper means; a clause is listed as implicated when at least one of "
        "them is present. The policy file is included in the bundle as "
        "<code>terms.toml</code>. 'Implicated' means that evidence bears on the clause, not "
        "that it was breached: that is for counsel to judge (and what the records cannot show, "
        "such as the use of outputs to train a model, is set out in its own section)."
    ) + "".join(_clause(m, clause) for clause in t.clauses)
    return Section("terms", "Terms implicated", body)


def measures(m: Material) -> Section:
    table = m.run(facts.MEASURES)
    if table.rows:
        intro = (
            "The controls the provider's gateway recorded (its controls log, carried in the "
            "ledger): the policy, rate limits, geographic restrictions ('geofence'), "
            "verification requirements and API keys, each with when it was recorded relative "
            "to the campaign. Trade-secret protection requires 'reasonable measures' to keep "
            "the information secret: these entries show which measures were in force."
        )
    else:
        intro = (
            "<strong>The bundle's ledger holds no controls entries.</strong> The records "
            "therefore do not show which gateway controls (policy, rate limits, geographic "
            "restrictions, verification) were in force during the campaign. If there were "
            "such controls, their log should be brought into the ledger "
            "(<code>distillguard ledger sync</code>) and the bundle exported again."
        )
    unverified = m.con.execute(
        "SELECT count(*) FILTER (WHERE NOT coalesce(verified, false)), count(*) "
        "FROM accounts WHERE in_case"
    ).fetchone()
    share = ""
    if unverified is not None and unverified[1]:
        share = _p(
            f"{unverified[0]:,} of the {unverified[1]:,} accounts never completed identity "
            "verification (accounts records, column <code>verified</code>)."
        )
    return Section("measures", "Reasonable measures in force", _p(intro) + render(table) + share)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def improper_means(m: Material) -> Section:
    parts = [
        _p(
            "Signs that the accounts got around the provider's controls rather than using "
            "the service as offered. Each is computed by the query printed under it; 'not "
            "shown' means the records do not show it, not that it did not happen."
        )
    ]
    for indicator in m.indicators:
        status = "shown" if indicator.shown else "not shown"
        parts.append(
            f"<article class='indicator' id='indicator-{escape(indicator.name)}'>"
            f"<h3>{escape(indicator.name.replace('_', ' '))} — {status}</h3>"
            f"<p class='meaning'>{escape(_sentence(indicator.meaning))}.</p>"
            f"{_p(escape(indicator.finding))}"
            + (render(indicator.table, limit=25) if indicator.table is not None else "")
            + "</article>"
        )
    return Section("improper-means", "Improper-means indicators", "".join(parts))


def jurisdictions(m: Material) -> Section:
    table = m.run(facts.JURISDICTIONS)
    notes = [m.terms.note(str(c)) for c in table.column("country")]
    unsupported = set(m.terms.unsupported_regions)
    flags = ["not offered" if c in unsupported else "" for c in table.column("country")]
    body = _p(
        "The countries the campaign touches: where its calls came from, where its accounts "
        "are billed, and how many calls there came through hosting, VPN or Tor networks "
        "(whose country may not be the caller's). Where a claim can be brought, and "
        "enforced, depends on these. The operator's notes come from the terms policy file, "
        "not from the records."
    ) + render(table, extra={"service": flags, "note": notes})
    return Section("jurisdictions", "Jurisdictions", body)


def _test(report: dict[str, Any]) -> str:
    tested = report.get("tested")
    what = ""
    if isinstance(tested, dict):
        what = ", ".join(f"{k}: {v}" for k, v in tested.items() if v is not None)
    detected = report.get("detected")
    verdict = "found" if detected is True else "not found" if detected is False else "—"
    return (
        f"<tr><td>{escape(what)}</td><td>{cell(report.get('texts'))}</td>"
        f"<td>{cell(report.get('matches'))} of {cell(report.get('opportunities'))}</td>"
        f"<td>{cell(report.get('p_value'))}</td><td>{cell(report.get('alpha'))}</td>"
        f"<td>{verdict}</td></tr>"
    )


def watermark(m: Material) -> Section:
    if not m.watermark:
        return Section(
            "watermark",
            "Watermark",
            _p(
                "<strong>No suspect model was tested.</strong> No watermark test report is "
                "attached to this case, so the dossier has no evidence that any model was "
                "trained on the outputs the accounts harvested."
            ),
        )
    rows = "".join(_test(report) for _, report in m.watermark)
    files = "".join(
        f"<li><code>{escape(a.path)}</code> (SHA-256 {escape(a.sha256)}), added by "
        f"{escape(a.added_by)} on {escape(a.added_at)}"
        + (f": {escape(a.note)}" if a.note else "")
        + "</li>"
        for a, _ in m.watermark
    )
    body = (
        _p(
            "Tests of a suspect model's outputs for the watermark the provider puts in its "
            "answers. A test finds the watermark when its p-value is at most its threshold "
            "(alpha): the suspect's outputs then match the provider's hidden pattern far more "
            "often than chance allows."
        )
        + "<table><thead><tr><th>what was tested</th><th>texts</th><th>matches</th>"
        "<th>p-value</th><th>alpha</th><th>watermark</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        + _p("From the attached reports (in the bundle under <code>attachments/</code>):")
        + f"<ul>{files}</ul>"
    )
    return Section("watermark", "Watermark", body)


def limits(m: Material) -> Section:
    detected = any(r.get("detected") is True for _, r in m.watermark)
    items = [
        "Who operates the accounts. The records show shared cards, addresses and behaviour, "
        "which tie the accounts to one operator; they do not name a person or a company.",
        "What the accounts' operator intended, or what it did with the outputs.",
        "That the outputs were used to train a model."
        + (
            " A watermark test found the provider's watermark in a suspect model's outputs; "
            "that is evidence of training on them, not proof of who trained it."
            if detected
            else " No watermark test found the provider's watermark in any suspect model."
        ),
        "Calls and accounts outside this case: other clusters, or members the scan left out.",
        "That a country shown is where a person was: addresses can be relayed, and the "
        "country data can be wrong for some addresses.",
        "That every reason is right for every account: reasons are statistical evidence, "
        "each compared with comparable accounts, and some legitimate uses look alike.",
    ]
    body = _p("What these records cannot establish on their own:") + (
        "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"
    )
    return Section("limits", "What the evidence does not show", body)


def integrity(m: Material) -> Section:
    c = m.context
    files = "".join(
        f"<li><code>{escape(path)}</code>: the <code>{escape(view)}</code> records</li>"
        for view, path in c.records.items()
    )
    body = (
        _p(
            "Every figure of this report is computed by the query printed under it, over the "
            "records files of this bundle (JSON Lines: one record per line), loaded under the "
            "names of the views:"
        )
        + f"<ul>{files}</ul>"
        + _p(
            "For example, with DuckDB, run in the bundle folder "
            "<code>CREATE VIEW calls AS SELECT * FROM read_json_auto('records/calls.jsonl')"
            "</code>, the same for each file, then any query of this report."
        )
        + _p(
            "The bundle's <code>manifest.json</code> lists the SHA-256 of every file, "
            "including this report; its entry in the provider's evidence ledger is included "
            "with proofs that tie it to a signed state of the ledger. To check that nothing "
            "was changed since export, run <code>distillguard case verify &lt;bundle "
            "folder&gt;</code>: it recomputes every hash and checks the proofs and the "
            "signature, offline. <code>certification.html</code> is the signed certificate "
            "of the export."
        )
        + _p(
            f"Exported on {escape(c.exported_at)} ({escape(c.time_zone)}) by "
            f"{escape(c.exported_by)} from workspace {escape(c.workspace)}; "
            + (
                "redacted: prompts and answers are replaced by their SHA-256 hash and "
                "addresses by their network."
                if c.redacted
                else "not redacted: the records hold the full prompts, answers and addresses."
            )
        )
        + render(m.run(facts.LEDGER))
    )
    return Section("integrity", "Records and integrity", body)


def notice(m: Material) -> Section:
    body = _p(
        f"This report was produced by software for {escape(m.context.organisation)} from the "
        "records of its own service. It sets out evidence and how it was computed; it is not "
        "legal advice and draws no legal conclusion. Whether the conduct it describes "
        "breaches any contract or law, and where a claim could be brought, are questions for "
        "qualified counsel in the jurisdictions concerned."
    )
    return Section("notice", "Not legal advice", body)


LEGAL: Final[tuple[Callable[[Material], Section], ...]] = (
    terms_implicated,
    measures,
    improper_means,
    jurisdictions,
    watermark,
    limits,
    integrity,
    notice,
)
