"""The hash certificate: a page in the form US courts accept for self-authenticating copies
of electronic data (Federal Rules of Evidence 902(14), with 902(11)), for counsel to complete
and sign.

Under FRE 902(14), data copied from an electronic device, storage medium or file is
self-authenticating if a qualified person certifies that it was authenticated by a process
of digital identification, in practice by hash values. The page lists each file of the
bundle with its SHA-256, the ledger tree head that covers them, and the custody record, and
leaves the declarant's name, role, signature and date blank: only a person can certify.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from distillguard.dossier.custody import Custody

FILE = "certification.html"

_STYLE = """
body { font-family: "DejaVu Serif", Georgia, serif; max-width: 52rem; margin: 2rem auto;
       line-height: 1.45; color: #111; }
h1 { font-size: 1.3rem; text-align: center; }
table { border-collapse: collapse; width: 100%; font-size: 0.8rem; }
td, th { border: 1px solid #999; padding: 0.25rem 0.4rem; text-align: left; }
td.hash { font-family: "DejaVu Sans Mono", monospace; word-break: break-all; }
.blank { display: inline-block; min-width: 18rem; border-bottom: 1px solid #111; }
.note { font-size: 0.8rem; color: #444; }
@page { size: A4; margin: 2cm; }
"""


def render(
    custody: Custody,
    organisation: str,
    files: Mapping[str, str],
    key_id: str,
    title: str,
) -> str:
    """The certificate page (HTML) for ``files`` (bundle path → SHA-256)."""
    rows = "\n".join(
        f'<tr><td>{escape(path)}</td><td class="hash">{escape(digest)}</td></tr>'
        for path, digest in sorted(files.items())
    )
    c = custody
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Certificate of authenticity — {escape(c.case_id)}</title>
<style>{_STYLE}</style></head>
<body>
<h1>Certificate of authenticity of data copied from an electronic file<br>
(Federal Rules of Evidence 902(11) and 902(14))</h1>
<p>I, <span class="blank">&nbsp;</span>, declare:</p>
<ol>
<li>I am employed by {escape(organisation)} as <span class="blank">&nbsp;</span>. By reason of
my position I am familiar with the way {escape(organisation)} records the use of its model
API and keeps the evidence ledger described below, and I am qualified to make this
certification.</li>
<li>The files listed below make up the evidence bundle of case <b>{escape(c.case_id)}</b>
({escape(title)}). They were exported on {escape(c.exported_at)} ({escape(c.time_zone)}) by
{escape(c.exported_by)} (operating-system user {escape(c.os_user)}) on host
{escape(c.host)}, from the workspace {escape(c.workspace)}, scan {escape(c.scan_id)},
cluster {escape(c.cluster_id)}, with {escape(c.tool)}
({"redacted" if c.redacted else "not redacted"}).</li>
<li>Each file was identified by its SHA-256 hash value, shown below. The same values are
recorded in the entry of the evidence ledger that records the export, and the ledger's tree head
that includes that entry is signed with the evidence key {escape(key_id)}; the file
<code>manifest.json</code> holds the entry, its inclusion proof and the signed head.
<code>distillguard case verify</code> recomputes every value from the files.</li>
<li>The records were made at or near the time of the events they record, by — or from
information transmitted by — a person with knowledge or an automated system, kept in the
course of the regularly conducted activity of {escape(organisation)}, and making such
records is a regular practice of that activity.</li>
</ol>
<table><thead><tr><th>File</th><th>SHA-256</th></tr></thead><tbody>
{rows}
</tbody></table>
<p>I declare under penalty of perjury under the laws of the United States of America that
the foregoing is true and correct.</p>
<p>Executed on <span class="blank">&nbsp;</span> at <span class="blank">&nbsp;</span>.</p>
<p>Signature: <span class="blank">&nbsp;</span></p>
<p class="note">Prepared by distillguard for review by counsel; counsel decides whether and
how it is used. This page is not legal advice.</p>
</body></html>
"""
