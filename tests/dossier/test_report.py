"""The report: every section, every table with its query, figures that trace to the records,
redaction respected, attacker text inert, the measures, indicators and watermark shown."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest

from distillguard.cases.case import Attachment
from distillguard.cases.frozen import FrozenCase
from distillguard.dossier import report
from distillguard.dossier.areas import NAMES
from distillguard.dossier.bundle import export
from distillguard.dossier.context import Context, Prices
from distillguard.dossier.records import RecordSet
from distillguard.dossier.terms import SHIPPED, TermsError
from distillguard.evidence.entry import Entry
from distillguard.settings import Settings
from tests.conftest import Opened
from tests.dossier.conftest import Bundle

SECTIONS = [
    ("summary", "Summary"),
    ("exposure", "Exposure by capability area"),
    ("timeline", "Timeline"),
    ("infrastructure", "Infrastructure"),
    ("signals", "Signals"),
    ("graph", "Cluster graph"),
    ("terms", "Terms implicated"),
    ("measures", "Reasonable measures in force"),
    ("improper-means", "Improper-means indicators"),
    ("jurisdictions", "Jurisdictions"),
    ("watermark", "Watermark"),
    ("limits", "What the evidence does not show"),
    ("integrity", "Records and integrity"),
    ("notice", "Not legal advice"),
]


class Outline(HTMLParser):
    """The sections (id and heading), the tables and queries, and every tag of a report."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[tuple[str, str]] = []
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.figures: list[dict[str, Any]] = []
        self._heading: str | None = None
        self._in_query = False
        self._in_cell = False
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs
        found = dict(attrs)
        if tag == "section":
            self.sections.append((found.get("id") or "", ""))
        elif tag == "h2" and self.sections and not self.sections[-1][1]:
            self._heading = ""
        elif tag == "figure" and found.get("class") == "fact":
            self.figures.append({"id": found.get("id"), "rows": [], "query": None})
        elif tag == "pre" and found.get("class") == "query":
            self._in_query = True
            if self.figures:
                self.figures[-1]["query"] = ""
        elif tag == "tr" and self.figures:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._in_cell = True
            self._row.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._heading is not None:
            self.sections[-1] = (self.sections[-1][0], self._heading)
            self._heading = None
        elif tag == "pre":
            self._in_query = False
        elif tag in ("td", "th"):
            self._in_cell = False
        elif tag == "tr" and self._row is not None and self.figures:
            self.figures[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading += data
        if self._in_query and self.figures:
            self.figures[-1]["query"] += data
        if self._in_cell and self._row is not None:
            self._row[-1] += data

    def figure(self, name: str) -> dict[str, Any]:
        [found] = [f for f in self.figures if f["id"] == f"fact-{name}"]
        return found


def outline(text: str) -> Outline:
    parsed = Outline()
    parsed.feed(text)
    parsed.close()
    return parsed


def jsonl(path: Path) -> Iterator[dict[str, Any]]:
    for line in path.read_bytes().splitlines():
        if line:
            yield orjson.loads(line)


@pytest.fixture(scope="module")
def page(bundle: Bundle) -> str:
    return (bundle.exported.out / report.FILE).read_text(encoding="utf-8")


def test_the_report_has_every_section_with_its_heading(page: str) -> None:
    assert outline(page).sections == SECTIONS


def test_the_report_is_offline_and_scriptless(page: str) -> None:
    parsed = outline(page)
    assert not parsed.tags & {"script", "img", "link", "iframe", "object", "embed"}
    for name, value in parsed.attributes:
        assert not name.startswith("on")
        if name in ("href", "src"):
            assert value is not None
            assert value.startswith("#")
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page


def test_every_table_shows_its_query(page: str) -> None:
    parsed = outline(page)
    assert len(parsed.figures) >= 20
    for figure in parsed.figures:
        assert figure["query"], figure["id"]
        assert figure["query"].startswith("query: "), figure["id"]


def test_every_query_runs_on_the_records_files_alone(bundle: Bundle, page: str) -> None:
    records = bundle.exported.out / "records"
    with duckdb.connect() as con:
        for path in sorted(records.glob("*.jsonl")):
            source = str(path).replace("'", "''")
            con.execute(f"CREATE VIEW {path.stem} AS SELECT * FROM read_json_auto('{source}')")
        for figure in outline(page).figures:
            sql = figure["query"].removeprefix("query: ")
            if "FROM labels" in sql:  # an empty file has no columns to infer
                continue
            con.execute(sql).fetchall()


def test_the_summary_figures_equal_a_count_over_the_records(bundle: Bundle, page: str) -> None:
    records = bundle.exported.out / "records"
    calls = list(jsonl(records / "calls.jsonl"))
    accounts = [a for a in jsonl(records / "accounts.jsonl") if a["in_case"]]
    header, row = outline(page).figure("summary")["rows"]
    shown = dict(zip(header, row, strict=True))
    assert shown["accounts"] == f"{len(accounts):,}"
    assert shown["calls"] == f"{len(calls):,}"
    for column, label in (
        ("input_tokens", "input tokens"),
        ("output_tokens", "output tokens"),
        ("reasoning_tokens", "reasoning tokens"),
    ):
        assert shown[label] == f"{sum(c[column] or 0 for c in calls):,}"
    assert shown["days active"] == f"{len({c['day'] for c in calls}):,}"
    assert shown["first call (UTC)"].startswith(min(c["ts"] for c in calls)[:16])


def test_exposure_by_area_traces_to_the_calls_records(bundle: Bundle, page: str) -> None:
    calls = list(jsonl(bundle.exported.out / "records" / "calls.jsonl"))
    assert {c["area"] for c in calls} <= set(NAMES)
    counts: dict[str, int] = {}
    for call in calls:
        counts[call["area"]] = counts.get(call["area"], 0) + 1
    header, *rows = outline(page).figure("exposure")["rows"]
    assert header[:2] == ["area", "calls"]
    assert {r[0]: r[1] for r in rows} == {a: f"{n:,}" for a, n in counts.items()}


def test_the_bundle_carries_the_terms_policy_and_lists_the_report(bundle: Bundle) -> None:
    out = bundle.exported.out
    assert (out / report.TERMS_FILE).read_bytes() == SHIPPED.read_bytes()
    assert {"report.html", "terms.toml"} <= set(bundle.exported.files)


def test_the_plain_sections_say_what_is_missing(page: str) -> None:
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "No suspect model was tested" in text
    assert "holds no controls entries" in text
    assert "not legal advice" in text
    assert "Who operates the accounts" in text
    assert "distillguard case verify" in text


# -- rendering straight from record views (a copy of the case, changed)


def context(case: FrozenCase, *, redacted: bool = False) -> Context:
    return Context(
        case_id=case.meta.case_id,
        title="A case",
        cluster_id=case.meta.cluster_id,
        scan_id=case.meta.scan_id,
        opened_at=case.meta.opened_at,
        opened_by=case.meta.opened_by,
        exported_at="2026-06-01T10:00:00+02:00",
        exported_by="tester",
        time_zone="Europe/Paris",
        workspace="ws",
        organisation="Example Provider",
        redacted=redacted,
        prices=Prices(3.0, 15.0, 15.0, "USD"),
        terms=SHIPPED,
        records={"calls": "records/calls.jsonl"},
    )


def test_attacker_text_in_the_records_comes_out_inert(bundle: Bundle) -> None:
    case = FrozenCase.load(bundle.root, bundle.case_id)
    records = RecordSet.build(case, [], redact=False)
    try:
        records.con.execute("ALTER VIEW calls RENAME TO calls_clean")
        records.con.execute(
            "CREATE VIEW calls AS SELECT * REPLACE ("
            "'<script>alert(1)</script>' || user_text AS user_text, "
            "'<img src=x onerror=alert(2)>' AS asn_name) FROM calls_clean"
        )
        page = report.render(records, context(case), []).replace("<wbr>", "")
    finally:
        records.con.close()
    parsed = outline(page)
    assert "script" not in parsed.tags
    assert "img" not in parsed.tags
    assert "<script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_controls_enforcement_and_a_watermark_test_are_reported(
    bundle: Bundle, tmp_path: Path
) -> None:
    case = FrozenCase.load(bundle.root, bundle.case_id)
    [(first, middle)] = (
        case.connect()
        .execute("SELECT min(ts), min(ts) + (max(ts) - min(ts)) / 2 FROM calls")
        .fetchall()
    )
    [(labelled,)] = (
        case.connect().execute("SELECT account_id FROM calls ORDER BY ts LIMIT 1").fetchall()
    )
    controls = {
        "seq": 1, "at": (first.replace(day=first.day - 1)).isoformat(), "who": "ops",
        "event": "start", "what": "limits", "old": None, "new": {"rpm": 60},
        "file": None, "file_sha256": None, "host": "gw", "pid": 1, "prev": None,
    }  # fmt: skip
    decisions = [{"account_id": labelled, "label": "campaign"}]
    entries = [
        Entry(1, controls["at"], "controls", "ops", "controls:x", {"entry": controls}, None),
        Entry(2, middle.isoformat(), "label", "analyst", "labelling:y",
              {"decisions": decisions}, None),
    ]  # fmt: skip
    attachment = Attachment("watermark", "attachments/w.json", "ab" * 32, "suspect v1",
                            "2026-06-01", "tester", "w.json")  # fmt: skip
    found = {"p_value": 1e-9, "detected": True, "alpha": 0.001, "texts": 500,
             "matches": 90, "opportunities": 100, "tested": {"model": "suspect-1"}}  # fmt: skip
    records = RecordSet.build(case, entries, redact=False)
    try:
        page = report.render(records, context(case), [(attachment, found)])
    finally:
        records.con.close()
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "No suspect model was tested" not in text
    assert "model: suspect-1" in text
    measures = outline(page).figure("measures")["rows"]
    assert len(measures) == 2
    assert "before the campaign" in measures[1]
    rotation = outline(page).figure("account_rotation")["rows"]
    assert len(rotation) > 1  # accounts that began calling after the label
    assert "watermark found — shown" in text
    assert "account rotation — shown" in text


@pytest.fixture(scope="module")
def redacted(opened: Opened, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("redacted") / "ws"
    shutil.copytree(opened.workspace.root, root)
    out = tmp_path_factory.mktemp("redacted-bundle") / "case"
    export(root, opened.case_id, out, Settings.load(environ={}), [report.write],
           redact=True, exporter=None, command="test")  # fmt: skip
    return out


def test_a_redacted_report_shows_no_address_nor_prompt(opened: Opened, redacted: Path) -> None:
    page = (redacted / report.FILE).read_text(encoding="utf-8")
    case = FrozenCase.load(opened.workspace.root, opened.case_id)
    rows = case.rows("SELECT client_ip, user_text FROM calls WHERE user_text IS NOT NULL")
    shown = html.unescape(page.replace("<wbr>", ""))
    for row in rows:
        assert row["client_ip"] not in shown
        assert row["user_text"][:60] not in shown
    assert "sha256:" in shown
    assert outline(page).sections == SECTIONS
    calls = list(jsonl(redacted / "records" / "calls.jsonl"))
    assert {c["area"] for c in calls} <= set(NAMES)


def test_area_survives_redaction(bundle: Bundle, redacted: Path) -> None:
    full = {
        c["request_id"]: c["area"] for c in jsonl(bundle.exported.out / "records" / "calls.jsonl")
    }
    hidden = {c["request_id"]: c["area"] for c in jsonl(redacted / "records" / "calls.jsonl")}
    assert full == hidden


def test_context_is_what_the_report_says(bundle: Bundle) -> None:
    case = FrozenCase.load(bundle.root, bundle.case_id)
    records = RecordSet.build(case, [], redact=False)
    try:
        page = report.render(records, replace(context(case), organisation="Acme <AI>"), [])
    finally:
        records.con.close()
    assert "Acme &lt;AI&gt;" in page


def test_a_broken_terms_file_stops_the_export_and_leaves_nothing(
    opened: Opened, tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(opened.workspace.root, root)
    terms = tmp_path / "ours.toml"
    terms.write_text(SHIPPED.read_text(encoding="utf-8").replace('"payment",', '"paymnet",'))
    settings = Settings.load(environ={}, overrides={"case.terms": str(terms)})
    with pytest.raises(TermsError, match="'paymnet', which no scan emits"):
        export(root, opened.case_id, tmp_path / "out", settings, [report.write],
               redact=False, exporter=None, command="test")  # fmt: skip
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".*partial*"))
