"""Offline IP enrichment: country and ASN name (geoip2fast), network kind (iporigin).

Both data sets ship inside their packages; nothing is downloaded. A lookup's answer is kept
only when the address really lies inside the network the lookup returned (a defence against
stale or mis-indexed ranges); otherwise the field stays null and the miss is counted.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import iporigin
import pyarrow as pa
from geoip2fast import GeoIP2Fast

from distillguard.schema.ip_info import IP_INFO

GEOIP_DATA_FILE = "geoip2fast-asn-ipv6.dat.gz"

NETWORK_KIND = MappingProxyType(
    {
        iporigin.HOSTING: "hosting",
        iporigin.CDN: "hosting",
        iporigin.BOT: "hosting",
        iporigin.VPN: "vpn",
        iporigin.TOR: "tor",
    }
)


def _inside(address: ipaddress.IPv4Address | ipaddress.IPv6Address, cidr: object) -> bool:
    if not isinstance(cidr, str) or not cidr:
        return False
    try:
        return address in ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False


class IpEnricher:
    """Looks up addresses in the bundled data sets; build one per ingest (loading takes ~0.5 s)."""

    def __init__(self) -> None:
        self._geo = GeoIP2Fast(geoip2fast_data_file=GEOIP_DATA_FILE, verbose=False)
        self.misses: Counter[str] = Counter()

    def vintage(self) -> dict[str, Any]:
        """Which data the answers come from, to be recorded with every ingest."""
        info = iporigin.dataset_info()  # type: ignore[no-untyped-call]
        built = datetime.fromtimestamp(int(info["built_at"]), tz=UTC)
        return {
            "geoip2fast": self._geo.get_database_info().get("source_info"),
            "iporigin": {"built_at": built.isoformat(), "ranges": info["ranges"]},
        }

    def lookup(self, ip: str) -> tuple[str | None, str | None, str, str | None]:
        address = ipaddress.ip_address(ip)
        found = self._geo.lookup(ip)
        country: str | None = None
        asn_name: str | None = None
        if not getattr(found, "is_private", False):
            code = getattr(found, "country_code", "")
            if isinstance(code, str) and len(code) == 2 and code.isalpha():
                if _inside(address, getattr(found, "cidr", "")):
                    country = code.upper()
                else:
                    self.misses["country_cidr_mismatch"] += 1
            name = getattr(found, "asn_name", "")
            if isinstance(name, str) and name:
                if _inside(address, getattr(found, "asn_cidr", "")):
                    asn_name = name
                else:
                    self.misses["asn_cidr_mismatch"] += 1
        origin = iporigin.classify(address)  # type: ignore[no-untyped-call]
        kind = NETWORK_KIND.get(origin.kind, "other")
        return country, asn_name, kind, origin.provider or None

    def table(self, ips: list[str], ingest_id: str) -> pa.Table:
        """``ip_info`` rows for distinct canonical addresses."""
        rows = [self.lookup(ip) for ip in ips]
        vintage = self.vintage()
        n = len(ips)
        return pa.Table.from_arrays(
            [
                pa.array(ips, pa.string()),
                pa.array([r[0] for r in rows], pa.string()),
                pa.array([r[1] for r in rows], pa.string()),
                pa.array([r[2] for r in rows], pa.string()),
                pa.array([r[3] for r in rows], pa.string()),
                pa.array([str(vintage["geoip2fast"])] * n, pa.string()),
                pa.array([vintage["iporigin"]["built_at"]] * n, pa.string()),
                pa.array([ingest_id] * n, pa.string()),
            ],
            schema=IP_INFO,
        )
