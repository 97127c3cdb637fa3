"""The ip_info table: what ingest looked up about each client address (place, network kind)."""

from __future__ import annotations

import pyarrow as pa

from distillguard.schema.column import Column, schema_of

NETWORK_KINDS: tuple[str, ...] = ("hosting", "vpn", "tor", "other")

IP_INFO_COLUMNS: tuple[Column, ...] = (
    Column("ip", pa.string(), "Client IP address, canonical text form.", "ip_info", nullable=False),
    Column(
        "country",
        pa.string(),
        "ISO 3166 country (geoip2fast), kept only when the address "
        "lies inside the network the lookup returned.",
        "ip_info",
    ),
    Column("asn_name", pa.string(), "Autonomous system name (geoip2fast), same check.", "ip_info"),
    Column(
        "network_kind",
        pa.string(),
        " | ".join(NETWORK_KINDS) + " (iporigin).",
        "ip_info",
        nullable=False,
    ),
    Column("network_provider", pa.string(), "Provider of a hosting / VPN / Tor range.", "ip_info"),
    Column(
        "geo_data", pa.string(), "Vintage of the country / ASN data.", "ip_info", nullable=False
    ),
    Column(
        "network_data",
        pa.string(),
        "Build time of the network-kind data.",
        "ip_info",
        nullable=False,
    ),
    Column(
        "ingest_id",
        pa.string(),
        "Ingest run that looked the address up.",
        "provenance",
        nullable=False,
    ),
)
IP_INFO = schema_of(IP_INFO_COLUMNS)
