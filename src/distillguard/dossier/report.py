"""``report.html``: the case dossier's report, written for a lawyer, offline and self-contained.

``render`` writes one HTML file from the bundle's record views, the context and the attached
watermark reports: the cover, then the sections of ``sections.EVIDENCE`` and
``legal.LEGAL`` in order, each a ``<section id=...>`` with an ``<h2>``. The style sheet is
inline and print-friendly (``@page``, a page break before each major section), the charts
are inline SVG, and nothing is fetched: no script, no font, no image from outside. Every
value from the records is escaped.

``write`` is the bundle's report writer: it writes ``report.html`` and a copy of the terms
policy it used (``terms.toml``), so the report's reading of the terms is in the bundle too.
"""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path
from typing import Any, Final

from distillguard.cases.case import Attachment
from distillguard.dossier.context import Context
from distillguard.dossier.documents import Inputs, Written
from distillguard.dossier.legal import LEGAL
from distillguard.dossier.material import Material, Section
from distillguard.dossier.records import RecordSet
from distillguard.dossier.sections import EVIDENCE
from distillguard.dossier.terms import load

FILE: Final = "report.html"
TERMS_FILE: Final = "terms.toml"

STYLE: Final = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
  @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 8pt; } }
body { font-family: Georgia, 'DejaVu Serif', serif; font-size: 10.5pt; line-height: 1.45;
  color: #111827; max-width: 60em; margin: 0 auto; padding: 1em; }
h1 { font-size: 20pt; margin-bottom: 0.2em; }
h2 { font-size: 15pt; border-bottom: 1px solid #9ca3af; padding-bottom: 0.15em; }
h3 { font-size: 11.5pt; }
section { margin-top: 2em; }
section.major { break-before: page; page-break-before: always; }
.cover dl { display: grid; grid-template-columns: 12em auto; gap: 0.2em 1em; }
.cover dt { font-weight: bold; }
table { border-collapse: collapse; margin: 0.5em 0; font-family: 'DejaVu Sans', sans-serif;
  font-size: 8.5pt; width: 100%; }
th, td { border: 1px solid #d1d5db; padding: 2px 5px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
tr { break-inside: avoid; }
figure.fact { margin: 1em 0; }
figcaption { font-weight: bold; font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; }
pre.query { font-size: 7pt; color: #4b5563; background: #f9fafb; border-left: 3px solid #d1d5db;
  padding: 4px 6px; white-space: pre-wrap; margin: 0.3em 0 0 0; }
p.shown, td.none { color: #6b7280; font-style: italic; }
.chart { margin: 0.8em 0; break-inside: avoid; }
.chart svg { max-width: 100%; height: auto; }
dl.glossary dt { font-weight: bold; margin-top: 0.3em; }
dl.glossary dd { margin-left: 1.5em; }
blockquote { margin: 0.3em 1.5em; font-style: italic; color: #374151; }
.implicated { color: #991b1b; }
.clear { color: #166534; }
article.clause, article.indicator { break-inside: avoid-page; }
code { font-size: 9pt; }
"""

MAJOR: Final = frozenset({"exposure", "signals", "graph", "terms", "improper-means", "integrity"})
"""Sections that start on a new page when printed."""


def _cover(context: Context) -> str:
    rows = (
        ("Case", context.case_id),
        ("Prepared for", context.organisation),
        ("Cluster / scan", f"{context.cluster_id} / {context.scan_id}"),
        ("Case opened", f"{context.opened_at} by {context.opened_by}"),
        ("Exported", f"{context.exported_at} ({context.time_zone}) by {context.exported_by}"),
        ("Records", "redacted" if context.redacted else "full (not redacted)"),
    )
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return (
        f"<header class='cover'><h1>{escape(context.title)}</h1>"
        "<p>Case dossier: evidence of a distillation campaign — the harvesting of a "
        "model's outputs through many accounts to train a competing model.</p>"
        f"<dl>{items}</dl></header>"
    )


def _section(section: Section) -> str:
    kind = "major" if section.id in MAJOR else "minor"
    return (
        f"<section id='{escape(section.id)}' class='{kind}'>"
        f"<h2>{escape(section.title)}</h2>{section.body}</section>"
    )


def sections(
    records: RecordSet, context: Context, attachments: list[tuple[Attachment, dict[str, Any]]]
) -> list[Section]:
    """The report's sections, in order."""
    material = Material.gather(records.con, context, load(context.terms), attachments)
    return [build(material) for build in (*EVIDENCE, *LEGAL)]


def render(
    records: RecordSet, context: Context, attachments: list[tuple[Attachment, dict[str, Any]]]
) -> str:
    """The whole report as one HTML document."""
    parts = sections(records, context, attachments)
    contents = "".join(f"<li><a href='#{escape(s.id)}'>{escape(s.title)}</a></li>" for s in parts)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(context.title)} — {escape(context.case_id)}</title>"
        f"<style>{STYLE}</style></head><body>"
        f"{_cover(context)}<nav><h2>Contents</h2><ol>{contents}</ol></nav>"
        + "".join(_section(s) for s in parts)
        + "</body></html>\n"
    )


def write(inputs: Inputs, folder: Path) -> Written:
    """The bundle's report writer: ``report.html`` and the terms policy it read."""
    html = render(inputs.records, inputs.context, inputs.attachments)
    (folder / FILE).write_text(html, encoding="utf-8")
    shutil.copyfile(inputs.context.terms, folder / TERMS_FILE)
    return Written([FILE, TERMS_FILE], [])
