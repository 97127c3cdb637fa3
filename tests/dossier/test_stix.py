"""The bundle's STIX 2.1 indicators: valid, complete, true to the records, redacted, stable."""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest
import stix2
from stix2validator import ValidationOptions, validate_file, validate_string

from distillguard.cases.frozen import FrozenCase
from distillguard.dossier import custody, stix
from distillguard.dossier.atlas import DISTILLATION_STUDY, EXTRACT_MODEL, SERVICE_PROXIES
from distillguard.dossier.bundle import context_of
from distillguard.dossier.context import Context, Prices
from distillguard.dossier.observables import Indicated, select
from distillguard.dossier.records import RecordSet
from distillguard.settings import Settings
from tests.conftest import Opened
from tests.dossier.conftest import Bundle

ADDRESS = re.compile(r"^\[ipv[46]-addr:value (?:=|ISSUBSET) '([^']+)'\]$")
ACCEPTED_WARNINGS = ("{302}",)
"""External references to ATLAS pages carry a URL and no hash: the pages change over time."""


def _validated(text: str) -> Any:
    results = validate_string(text, ValidationOptions(version="2.1"))
    for warning in results.warnings:
        print("stix2-validator:", warning)
    assert results.is_valid, [e.message for e in results.errors]
    unexpected = [w for w in results.warnings if not any(c in w for c in ACCEPTED_WARNINGS)]
    assert unexpected == []
    return stix2.parse(text, allow_custom=False)


@contextmanager
def _case_records(opened: Opened, *, redact: bool) -> Iterator[tuple[RecordSet, Context]]:
    root = opened.workspace.root
    case = FrozenCase.load(root, opened.case_id)
    record = custody.record(
        opened.case_id,
        case.meta.scan_id,
        case.meta.cluster_id,
        str(root),
        redacted=redact,
        exporter="test",
        command="test",
    )
    records = RecordSet.build(case, [], redact=redact)
    try:
        yield records, context_of(case, record, Settings.load(environ={}), redact)
    finally:
        records.con.close()


def _tiny(*, redacted: bool, proxied: bool) -> RecordSet:
    """A few calls and links with every indicator group, as the bundle's views hold them."""
    con = duckdb.connect()
    kind = "'hosting'" if proxied else "'other'"
    prompt = "'sha256:' || sha256(p)" if redacted else "p"
    con.execute(
        "CREATE TABLE calls_raw AS SELECT * FROM (VALUES "
        f"('r1', TIMESTAMPTZ '2026-05-04 10:00:00+00', 'a1', '203.0.113.7', 'harvester/1.0', "
        f"{kind}, 'You are a teacher.', 10, 900), "
        "('r2', TIMESTAMPTZ '2026-05-05 11:00:00+00', 'a2', '203.0.113.7', 'harvester/1.0', "
        "'other', 'You are a teacher.', 12, 950)) AS t(request_id, ts, account_id, client_ip, "
        "user_agent, network_kind, p, input_tokens, output_tokens)"
    )
    columns = f"* EXCLUDE (p), {prompt} AS system_prompt"
    con.execute(f"CREATE VIEW calls AS SELECT {columns} FROM calls_raw")
    con.execute(
        "CREATE VIEW accounts AS SELECT * FROM (VALUES ('a1', 'pm_1'), ('a2', 'pm_1')) "
        "AS t(account_id, payment_fingerprint)"
    )
    links = [
        (account, link, entity, "r1" if account == "a1" else "r2")
        for account in ("a1", "a2")
        for link, entity in (
            ("ip", "203.0.113.7"),
            ("user_agent", "harvester/1.0"),
            ("payment", "pm_1"),
            ("system_prompt", "-42"),
            ("skeleton", "123456789"),
            ("email_domain", "mail.tm"),
        )
    ]
    con.execute(
        "CREATE TABLE links (account_id VARCHAR, kind VARCHAR, entity VARCHAR, "
        "n_accounts BIGINT, example_request_id VARCHAR, specificity DOUBLE)"
    )
    con.executemany("INSERT INTO links VALUES (?, ?, ?, 2, ?, 0.9)", links)
    return RecordSet(con, [], redacted)


def _tiny_context(redacted: bool) -> Context:
    return Context(
        case_id="case-20260601-000000-abcdef",
        title="Teacher harvest",
        cluster_id="c00001",
        scan_id="scan-1",
        opened_at="2026-06-01T00:00:00+00:00",
        opened_by="analyst@example.test",
        exported_at="2026-06-02T00:00:00+02:00",
        exported_by="counsel",
        time_zone="Europe/Paris",
        workspace="/ws",
        organisation="Example Provider",
        redacted=redacted,
        prices=Prices(3.0, 15.0, 15.0, "USD"),
        terms=Path("terms.toml"),
    )


def _of(parsed: Any, kind: str) -> list[Any]:
    return [o for o in parsed.objects if o.type == kind]


def _techniques(parsed: Any) -> set[str]:
    return {ref.external_id for o in _of(parsed, "attack-pattern") for ref in o.external_references}


def test_the_bundle_holds_valid_stix(bundle: Bundle) -> None:
    assert stix.FILE in bundle.exported.files
    checked = validate_file(str(bundle.exported.out / stix.FILE), ValidationOptions(version="2.1"))
    assert checked.is_valid
    assert all(not o.errors for o in checked.object_results)
    assert any(n.startswith(f"{stix.FILE}: payment card") for n in bundle.exported.notes)
    parsed = _validated((bundle.exported.out / stix.FILE).read_text(encoding="utf-8"))
    [identity] = _of(parsed, "identity")
    assert identity.name == Settings.load(environ={}).text("case.organisation")
    for obj in parsed.objects:
        if obj.type in ("marking-definition", "identity", "ipv4-addr", "ipv6-addr"):
            continue
        assert obj.created_by_ref == identity.id
        assert obj.object_marking_refs == [stix2.TLP_AMBER.id]
    assert _of(parsed, "indicator")


def test_the_campaign_uses_model_extraction_and_proxies(bundle: Bundle) -> None:
    parsed = stix2.parse((bundle.exported.out / stix.FILE).read_text(encoding="utf-8"))
    [campaign] = _of(parsed, "campaign")
    assert bundle.case_id in campaign.name
    assert campaign.first_seen <= campaign.last_seen
    studies = {
        r.external_id for r in campaign.external_references if r.source_name == "mitre-atlas"
    }
    assert studies == {DISTILLATION_STUDY.external_id}
    assert _techniques(parsed) == {EXTRACT_MODEL.external_id, SERVICE_PROXIES.external_id}
    uses = {
        r.target_ref
        for r in _of(parsed, "relationship")
        if r.relationship_type == "uses" and r.source_ref == campaign.id
    }
    assert uses == {o.id for o in _of(parsed, "attack-pattern")}
    indicates = {
        r.source_ref
        for r in _of(parsed, "relationship")
        if r.relationship_type == "indicates" and r.target_ref == campaign.id
    }
    assert indicates == {o.id for o in _of(parsed, "indicator")}


def test_relationships_and_references_stay_inside_the_bundle(bundle: Bundle) -> None:
    parsed = stix2.parse((bundle.exported.out / stix.FILE).read_text(encoding="utf-8"))
    ids = {o.id for o in parsed.objects}
    assert len(ids) == len(parsed.objects)
    for relation in _of(parsed, "relationship"):
        assert relation.source_ref in ids
        assert relation.target_ref in ids
    for observed in _of(parsed, "observed-data"):
        assert set(observed.object_refs) <= ids


def test_every_indicated_address_made_calls_in_the_records(bundle: Bundle) -> None:
    lines = (bundle.exported.out / "records" / "calls.jsonl").read_bytes().splitlines()
    clients = {
        ipaddress.ip_address(orjson.loads(line)["client_ip"])
        for line in lines
        if orjson.loads(line)["client_ip"]
    }
    parsed = stix2.parse((bundle.exported.out / stix.FILE).read_text(encoding="utf-8"))
    addresses = [m[1] for o in _of(parsed, "indicator") if (m := ADDRESS.match(o.pattern))]
    assert addresses
    for value in addresses:
        net = ipaddress.ip_network(value, strict=False)
        assert any(client in net for client in clients), value


def test_a_redacted_bundle_indicates_no_full_address(opened: Opened) -> None:
    with _case_records(opened, redact=False) as (full, _):
        rows = full.con.execute("SELECT DISTINCT client_ip FROM calls").fetchall()
    addresses = {r[0] for r in rows if r[0]}
    with _case_records(opened, redact=True) as (records, context):
        text = stix.serialize(stix.indicators(records, context))
    parsed = _validated(text)
    assert _of(parsed, "indicator")
    for address in addresses:
        assert f"'{address}'" not in text
        assert f'"{address}"' not in text
    for obj in _of(parsed, "ipv6-addr"):
        assert ipaddress.ip_network(obj.value).prefixlen <= 48


def test_the_same_records_give_the_same_bytes(opened: Opened, bundle: Bundle) -> None:
    with _case_records(opened, redact=False) as (records, context):
        first = stix.serialize(stix.indicators(records, context))
        second = stix.serialize(stix.indicators(records, context))
    assert first == second
    assert first == (bundle.exported.out / stix.FILE).read_text(encoding="utf-8")


def test_without_proxied_calls_only_model_extraction() -> None:
    records = _tiny(redacted=False, proxied=False)
    parsed = _validated(stix.serialize(stix.indicators(records, _tiny_context(False))))
    assert _techniques(parsed) == {EXTRACT_MODEL.external_id}
    proxied = _validated(
        stix.serialize(stix.indicators(_tiny(redacted=False, proxied=True), _tiny_context(False)))
    )
    assert _techniques(proxied) == {EXTRACT_MODEL.external_id, SERVICE_PROXIES.external_id}


def test_each_group_has_its_pattern() -> None:
    digest = hashlib.sha256(b"You are a teacher.").hexdigest()
    parsed = _validated(
        stix.serialize(stix.indicators(_tiny(redacted=False, proxied=True), _tiny_context(False)))
    )
    patterns = {o.pattern for o in _of(parsed, "indicator")}
    assert patterns == {
        "[ipv4-addr:value = '203.0.113.7']",
        "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = "
        "'harvester/1.0']",
        "[x-distillguard-payment-card:fingerprint = 'pm_1']",
        f"[artifact:hashes.'SHA-256' = '{digest}']",
        "[artifact:hashes.'x-distillguard-skeleton' = '123456789']",
    }
    [address] = [o for o in _of(parsed, "indicator") if "ipv4-addr" in o.pattern]
    assert "anonymization" in address.indicator_types
    [observed] = _of(parsed, "observed-data")
    assert observed.number_observed == 2


def test_a_system_prompt_has_one_hash_redacted_or_not() -> None:
    full = select(_tiny(redacted=False, proxied=False))
    redacted = select(_tiny(redacted=True, proxied=False))
    assert [i for i in full.kept if i.group == "system_prompt"] == [
        i for i in redacted.kept if i.group == "system_prompt"
    ]


def test_each_group_is_capped_to_its_most_specific() -> None:
    chosen = select(_tiny(redacted=False, proxied=False), per_group=0)
    assert chosen.kept == []
    assert chosen.found == {
        "address": 1,
        "user_agent": 1,
        "card": 1,
        "system_prompt": 1,
        "skeleton": 1,
    }


@pytest.mark.parametrize("value", ["it's", "back\\slash"])
def test_pattern_values_are_quoted(value: str) -> None:
    item = Indicated("user_agent", value, ("user_agent",), 2, 0.5, None)
    indicator = stix2.Indicator(
        pattern=stix.pattern(item), pattern_type="stix", valid_from="2026-01-01T00:00:00Z"
    )
    assert indicator.pattern.endswith("'" + value.replace("\\", "\\\\").replace("'", "\\'") + "']")
