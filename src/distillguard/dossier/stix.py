"""``indicators.stix.json``: the case as STIX 2.1, for sharing with other providers and CERTs.

The bundle holds, all created by the provider's ``identity`` and marked TLP:AMBER:

- a ``campaign`` for the case (first and last call, counts in plain words, the ATLAS case
  study of distillation campaigns in its references);
- the ATLAS techniques it ``uses`` as ``attack-pattern``s: *Extract AI Model* always, *AI
  Service Proxies* when some of its calls came through hosting, VPN or Tor networks;
- one ``indicator`` per entity of :mod:`observables` that ``indicates`` the campaign, with a
  STIX pattern; an address also comes as its ``ipv4-addr`` / ``ipv6-addr`` object and the
  ``observed-data`` (calls, first and last) its indicator is ``based-on``.

How each group is written as a pattern, with only the objects of the STIX 2.1 specification
and no custom object in the bundle (it parses without ``allow_custom``):

- an address as ``ipv4-addr:value`` / ``ipv6-addr:value`` (``=`` for an address, ``ISSUBSET``
  for a network in CIDR form, as a redacted bundle has them);
- a user agent as the HTTP request header
  ``network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'``;
- a system prompt as ``artifact:hashes.'SHA-256'``: the artifact is the prompt's UTF-8
  bytes, so anyone holding the same prompt can match it, and no text leaves the provider;
- a prompt skeleton as ``artifact:hashes.'x-distillguard-skeleton'``: the hash algorithm
  vocabulary is open, and this one is distillguard's (DuckDB's 64-bit hash of the request's
  first 96 characters, lower-cased, digit runs as ``0``), which another distillguard
  deployment computes alike;
- a card as ``x-distillguard-payment-card:fingerprint``: STIX has no payment-card object, and
  a pattern may name an object type of its own; the fingerprint is the payment processor's,
  never the card number.

The output is deterministic: ids are made from the object's key under :data:`NAMESPACE` (the
STIX library makes the observables' UUIDv5 ids itself), times come from the records and the
case's opening, and the same records give the same bytes.
"""

from __future__ import annotations

import hashlib
import ipaddress
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import stix2

from distillguard.dossier import atlas
from distillguard.dossier.context import Context
from distillguard.dossier.documents import Inputs, Written
from distillguard.dossier.observables import PER_GROUP, Indicated, Selection, select
from distillguard.dossier.records import RecordSet

FILE: Final = "indicators.stix.json"
NAMESPACE: Final = uuid.UUID("968ca3cf-c0c4-4832-9589-46d8e800b7ef")
MARKING: Final = stix2.TLP_AMBER
SHARED_CREATED: Final = datetime(2026, 1, 1, tzinfo=UTC)
"""Creation time of the objects every bundle of a provider holds alike (its identity, the
ATLAS techniques): one id and one time, so bundles merged in one store do not conflict."""
SKELETON_HASH: Final = "x-distillguard-skeleton"
CARD_OBJECT: Final = "x-distillguard-payment-card"
GROUP_NAMES: Final = {
    "address": "client address",
    "user_agent": "user agent",
    "card": "payment card fingerprint",
    "system_prompt": "system prompt SHA-256",
    "skeleton": "prompt skeleton hash",
}


def _id(kind: str, *key: object) -> str:
    """A STIX id made from the object's key: UUIDv4 in form, as STIX asks of every object but
    the observables, with its bits taken from a SHA-256 of the key instead of a random source."""
    text = "|".join(str(k) for k in (NAMESPACE, kind, *key)).encode()
    return f"{kind}--{uuid.UUID(bytes=hashlib.sha256(text).digest()[:16], version=4)}"


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def pattern(item: Indicated) -> str:
    """The STIX pattern that matches the entity."""
    value = _quoted(item.value)
    if item.group == "address":
        net = ipaddress.ip_network(item.value, strict=False)
        operator = "ISSUBSET" if "/" in item.value else "="
        return f"[ipv{net.version}-addr:value {operator} {value}]"
    if item.group == "user_agent":
        header = "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'"
        return f"[{header} = {value}]"
    if item.group == "card":
        return f"[{CARD_OBJECT}:fingerprint = {value}]"
    if item.group == "system_prompt":
        return f"[artifact:hashes.'SHA-256' = {value}]"
    return f"[artifact:hashes.{_quoted(SKELETON_HASH)} = {value}]"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


class _Builder:
    """The objects of one bundle, made in order with the common properties."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.created = datetime.fromisoformat(context.opened_at).astimezone(UTC)
        self.identity = stix2.Identity(
            id=_id("identity", context.organisation),
            name=context.organisation,
            identity_class="organization",
            description="The provider whose model API the campaign used.",
            created=SHARED_CREATED,
            modified=SHARED_CREATED,
            object_marking_refs=[MARKING.id],
        )
        self.objects: list[Any] = [MARKING, self.identity]

    def common(self, shared: bool = False) -> dict[str, Any]:
        moment = SHARED_CREATED if shared else self.created
        return {
            "created_by_ref": self.identity.id,
            "created": moment,
            "modified": moment,
            "object_marking_refs": [MARKING.id],
        }

    def add(self, obj: Any) -> Any:
        self.objects.append(obj)
        return obj

    def relate(self, source: Any, kind: str, target: Any) -> None:
        self.add(
            stix2.Relationship(
                id=_id("relationship", self.context.case_id, source.id, kind, target.id),
                relationship_type=kind,
                source_ref=source.id,
                target_ref=target.id,
                **self.common(),
            )
        )


def _figures(records: RecordSet) -> dict[str, Any]:
    cursor = records.con.execute(
        "SELECT count(*), count(DISTINCT account_id), min(ts), max(ts), "
        "coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), "
        "count(*) FILTER (WHERE list_contains(?, network_kind)) FROM calls",
        [list(atlas.PROXY_NETWORKS)],
    )
    names = ("calls", "accounts", "first", "last", "input_tokens", "output_tokens", "proxied")
    row = cursor.fetchone()
    assert row is not None  # an aggregate has one row
    return dict(zip(names, row, strict=True))


def _campaign(build: _Builder, figures: dict[str, Any]) -> Any:
    context = build.context
    span = ""
    extra: dict[str, Any] = {}
    if figures["first"] is not None:
        span = f" from {_day(figures['first'])} to {_day(figures['last'])}"
        extra = {"first_seen": figures["first"], "last_seen": figures["last"]}
    description = (
        f"{figures['accounts']} accounts that the scan {context.scan_id} linked as one operator "
        f"(cluster {context.cluster_id}) made {figures['calls']} calls to the model API{span}, "
        f"for {figures['input_tokens']} input and {figures['output_tokens']} output tokens; "
        f"{figures['proxied']} of the calls came through hosting, VPN or Tor networks. "
        f"Case {context.case_id}, opened by {context.opened_by}."
    )
    study = atlas.DISTILLATION_STUDY
    references = [
        {
            "source_name": atlas.SOURCE,
            "external_id": study.external_id,
            "url": study.url,
            "description": study.description,
        },
        {
            "source_name": "distillguard",
            "external_id": context.case_id,
            "description": "The case this bundle was exported from.",
        },
    ]
    return build.add(
        stix2.Campaign(
            id=_id("campaign", context.case_id),
            name=f"{context.title} ({context.case_id})",
            description=description,
            objective="Collect the model's outputs at scale to train another model (distillation).",
            external_references=references,
            **extra,
            **build.common(),
        )
    )


def _technique(build: _Builder, entry: atlas.Entry) -> Any:
    return build.add(
        stix2.AttackPattern(
            id=_id("attack-pattern", atlas.SOURCE, entry.external_id),
            name=entry.name,
            description=entry.description,
            external_references=[
                {"source_name": atlas.SOURCE, "external_id": entry.external_id, "url": entry.url}
            ],
            **build.common(shared=True),
        )
    )


def _describe(item: Indicated) -> str:
    said = (
        f"Ties {item.accounts} of the case's accounts (links: {', '.join(item.link_kinds)}; "
        f"specificity {item.specificity:.2f})"
    )
    if item.seen is not None:
        said += (
            f"; {item.seen.calls} calls carried it from {_stamp(item.seen.first)} "
            f"to {_stamp(item.seen.last)}"
        )
    if item.network_kinds:
        said += f"; networks: {', '.join(item.network_kinds)}"
    return said + "."


def _indicator(build: _Builder, item: Indicated, campaign: Any, first: datetime) -> None:
    expressed = pattern(item)
    types = ["attribution"]
    if item.group == "address":
        types = ["malicious-activity"]
        if set(item.network_kinds) & set(atlas.PROXY_NETWORKS):
            types.append("anonymization")
    indicator = build.add(
        stix2.Indicator(
            id=_id("indicator", build.context.case_id, expressed),
            name=f"{GROUP_NAMES[item.group]} {item.value}",
            description=_describe(item),
            pattern=expressed,
            pattern_type="stix",
            valid_from=item.seen.first if item.seen is not None else first,
            indicator_types=types,
            confidence=round(item.specificity * 100),
            **build.common(),
        )
    )
    build.relate(indicator, "indicates", campaign)
    if item.group != "address" or item.seen is None:
        return
    version = ipaddress.ip_network(item.value, strict=False).version
    address_type = stix2.IPv4Address if version == 4 else stix2.IPv6Address
    address = build.add(address_type(value=item.value, object_marking_refs=[MARKING.id]))
    observed = build.add(
        stix2.ObservedData(
            id=_id("observed-data", build.context.case_id, address.id),
            first_observed=item.seen.first,
            last_observed=item.seen.last,
            number_observed=item.seen.calls,
            object_refs=[address.id],
            **build.common(),
        )
    )
    build.relate(indicator, "based-on", observed)


def _assemble(records: RecordSet, context: Context, chosen: Selection) -> Any:
    build = _Builder(context)
    figures = _figures(records)
    campaign = _campaign(build, figures)
    techniques = [atlas.EXTRACT_MODEL]
    if figures["proxied"]:
        techniques.append(atlas.SERVICE_PROXIES)
    for entry in techniques:
        build.relate(campaign, "uses", _technique(build, entry))
    first = figures["first"] or build.created
    for item in chosen.kept:
        _indicator(build, item, campaign, first)
    ids = sorted(str(o.id) for o in build.objects)
    return stix2.Bundle(
        id=_id("bundle", context.case_id, context.redacted, *ids), objects=build.objects
    )


def indicators(records: RecordSet, context: Context, per_group: int = PER_GROUP) -> Any:
    """The case's STIX 2.1 bundle (a ``stix2.Bundle``), computed from the bundle's records."""
    return _assemble(records, context, select(records, per_group))


def serialize(bundle: Any) -> str:
    """The bundle as the file holds it: pretty JSON, keys in the STIX library's fixed order."""
    text: str = bundle.serialize(pretty=True)
    return text + "\n"


def write(inputs: Inputs, folder: Path) -> Written:
    """Write ``indicators.stix.json``; notes say which groups were cut to their cap."""
    chosen = select(inputs.records)
    bundle = _assemble(inputs.records, inputs.context, chosen)
    (folder / FILE).write_text(serialize(bundle), encoding="utf-8")
    notes = [
        f"{FILE}: {GROUP_NAMES[group]} indicators: the {PER_GROUP} most specific of {found}"
        for group, found in chosen.found.items()
        if found > PER_GROUP
    ]
    return Written([FILE], notes)
