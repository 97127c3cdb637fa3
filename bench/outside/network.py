"""Real-looking client addresses, chosen from and checked against the offline IP libraries.

Cloud addresses come from iporigin's bundled provider ranges (Microsoft Azure, which is where
GitHub-hosted runners egress from, GitHub, Amazon AWS, Google Cloud, ...); residential ones from
consumer ISPs found in geoip2fast's ASN data; VPN exits from iporigin's VPN ranges. Every
address handed out has been looked up: its country and ASN come from geoip2fast with the
address inside the returned networks, and iporigin gives the expected network kind.
"""

from __future__ import annotations

import ipaddress
import random
from collections import defaultdict
from dataclasses import dataclass

import iporigin
from geoip2fast import GeoIP2Fast
from iporigin import _data as iporigin_data

GEO_FILE = "geoip2fast-asn-ipv6.dat.gz"

# ASN names of consumer broadband and mobile networks (as geoip2fast spells them) → country.
CONSUMER_ISPS: dict[str, str] = {
    "COMCAST-7922": "US",
    "ATT-INTERNET4": "US",
    "CHARTER-20115": "US",
    "CELLCO-PART": "US",
    "T-MOBILE-AS21928": "US",
    "TWC-20001-PACWEST": "US",
    "TWC-11427-TEXAS": "US",
    "TWC-11426-CAROLINAS": "US",
    "FRONTIER-FRTR": "US",
    "CENTURYLINK-US-LEGACY-QWEST": "US",
    "GOOGLE-FIBER": "US",
    "BHN-33363": "US",
    "ASN-CXA-ALL-CCI-22773-RDC": "US",
    "Deutsche Telekom AG": "DE",
    "Vodafone GmbH": "DE",
    "Telefonica Germany": "DE",
    "British Telecommunications PLC": "GB",
    "Virgin Media": "GB",
    "Sky UK Limited": "GB",
    "TalkTalk": "GB",
    "Orange": "FR",
    "Societe Francaise Du Radiotelephone - SFR SA": "FR",
    "Free SAS": "FR",
    "Bouygues Telecom SA": "FR",
    "Telecom Italia": "IT",
    "Vodafone Italia S.p.A.": "IT",
    "Telefonica De Espana S.a.u.": "ES",
    "KPN B.V.": "NL",
    "Vodafone Libertel B.V.": "NL",
    "Proximus NV": "BE",
    "Bluewin": "CH",
    "Telia Company AB": "SE",
    "Orange Polska Spolka Akcyjna": "PL",
    "SoftBank Corp.": "JP",
    "KDDI CORPORATION": "JP",
    "JCOM Co., Ltd.": "JP",
    "Korea Telecom": "KR",
    "SK Broadband Co Ltd": "KR",
    "LG POWERCOMM": "KR",
    "TELEFONICA BRASIL S.A": "BR",
    "Claro NXT Telecomunicacoes Ltda": "BR",
    "UNINET": "MX",
    "Telecom Argentina S.A.": "AR",
    "Telstra Limited": "AU",
    "Reliance Jio Infocomm Limited": "IN",
    "Bharti Airtel Ltd. AS for GPRS Service": "IN",
    "ROGERS-COMMUNICATIONS": "CA",
    "SHAW": "CA",
    "TELUS Communications": "CA",
    "Turk Telekom": "TR",
    "VNPT Corp": "VN",
    "PT Telekomunikasi Selular": "ID",
    "Chinanet": "CN",
    "CHINA UNICOM China169 Backbone": "CN",
    "Data Communication Business Group": "TW",
    "SAFARICOM-LIMITED": "KE",
    "TE Data": "EG",
}

# Campus networks: ASN name → country.
CAMPUS_NETWORKS: dict[str, str] = {
    "UCSD": "US",
    "MERIT-AS-14": "US",
    "Jisc Services Limited": "GB",
    "SURF B.V.": "NL",
    "Verein zur Foerderung eines Deutschen Forschungsnetzes e.V.": "DE",
    "Renater": "FR",
}


class AddressCheckError(RuntimeError):
    """A chosen address does not look up as intended."""


@dataclass(frozen=True)
class Address:
    ip: str
    country: str
    asn_name: str
    kind: str  # hosting | vpn | residential | campus
    provider: str  # iporigin provider for hosting / vpn, the ISP's ASN name otherwise


@dataclass(frozen=True)
class _Block:
    first: int
    last: int
    country: str
    asn_name: str


class Atlas:
    """Pools of verified addresses; deterministic for a seed."""

    def __init__(self, seed: int, samples: int = 220_000) -> None:
        self._rng = random.Random(f"atlas:{seed}")
        self._geo = GeoIP2Fast(geoip2fast_data_file=GEO_FILE, verbose=False)
        self._used: set[str] = set()
        self._isp_blocks: dict[str, list[_Block]] = defaultdict(list)
        self._survey(samples)
        self._cloud = self._provider_ranges()
        self._by_country: dict[tuple[str, str | None], list[tuple[int, int]]] = {}

    # -- survey -------------------------------------------------------------------------
    def _survey(self, samples: int) -> None:
        """Sample the IPv4 space once; keep the ASN networks of consumer ISPs and campuses."""
        wanted = CONSUMER_ISPS | CAMPUS_NETWORKS
        seen: set[str] = set()
        for _ in range(samples):
            value = self._rng.getrandbits(32)
            found = self._geo.lookup(str(ipaddress.IPv4Address(value)))
            name = getattr(found, "asn_name", "")
            cidr = getattr(found, "asn_cidr", "")
            if name not in wanted or not cidr or cidr in seen:
                continue
            if getattr(found, "country_code", "") != wanted[name]:
                continue
            seen.add(cidr)
            net = ipaddress.ip_network(cidr, strict=False)
            if net.version != 4 or net.num_addresses < 256:
                continue
            first, last = int(net.network_address) + 1, int(net.broadcast_address) - 1
            self._isp_blocks[name].append(_Block(first, last, wanted[name], name))

    @staticmethod
    def _provider_ranges() -> dict[str, list[tuple[int, int]]]:
        # the bundled range table: iporigin has no public way to list a provider's ranges
        table = iporigin_data.dataset()  # type: ignore[no-untyped-call]
        out: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for start, end, label in zip(table.v4_starts, table.v4_ends, table.v4_labels, strict=True):
            provider, _kind = table.labels[label]
            if end - start >= 15:
                out[provider].append((start, end))
        return out

    def _ranges_in(self, provider: str, country: str | None) -> list[tuple[int, int]]:
        """The provider's ranges whose middle address geolocates to ``country`` (cached)."""
        key = (provider, country)
        if key not in self._by_country:
            ranges = self._cloud.get(provider, [])
            if country is not None:
                ranges = [
                    r
                    for r in ranges
                    if getattr(
                        self._geo.lookup(str(ipaddress.IPv4Address((r[0] + r[1]) // 2))),
                        "country_code",
                        "",
                    )
                    == country
                ]
            self._by_country[key] = ranges
        return self._by_country[key]

    # -- checking -----------------------------------------------------------------------
    def check(self, ip: str) -> tuple[str, str, str, str]:
        """(country, asn_name, iporigin kind, iporigin provider) as the libraries see ``ip``."""
        address = ipaddress.ip_address(ip)
        found = self._geo.lookup(ip)
        country = asn = ""
        cidr, asn_cidr = getattr(found, "cidr", ""), getattr(found, "asn_cidr", "")
        if cidr and address in ipaddress.ip_network(cidr, strict=False):
            country = str(getattr(found, "country_code", ""))
        if asn_cidr and address in ipaddress.ip_network(asn_cidr, strict=False):
            asn = str(getattr(found, "asn_name", ""))
        origin = iporigin.classify(address)  # type: ignore[no-untyped-call]
        return country, asn, str(origin.kind), str(origin.provider or "")

    def _take(self, value: int) -> str | None:
        ip = str(ipaddress.IPv4Address(value))
        if ip in self._used or ip.endswith((".0", ".255")):
            return None
        return ip

    # -- pools --------------------------------------------------------------------------
    def cloud(self, provider: str, n: int, country: str | None = None) -> list[Address]:
        """``n`` distinct addresses in ``provider``'s ranges (optionally in one country)."""
        ranges = self._ranges_in(provider, country)
        if not ranges:
            raise AddressCheckError(f"iporigin lists no IPv4 ranges for {provider!r} in {country}")
        out: list[Address] = []
        attempts = 0
        while len(out) < n:
            attempts += 1
            if attempts > n * 400:
                raise AddressCheckError(f"cannot find {n} addresses of {provider} in {country}")
            start, end = self._rng.choice(ranges)
            ip = self._take(self._rng.randint(start, end))
            if ip is None:
                continue
            geo_country, asn, kind, found = self.check(ip)
            if found != provider or kind not in (iporigin.HOSTING, iporigin.VPN):
                continue
            if not geo_country or not asn or (country is not None and geo_country != country):
                continue
            self._used.add(ip)
            out.append(
                Address(
                    ip, geo_country, asn, "vpn" if kind == iporigin.VPN else "hosting", provider
                )
            )
        return out

    def clustered_cloud(self, provider: str, n: int, country: str, per_net: int) -> list[Address]:
        """Cloud addresses that come in runs inside the same /24 (one tenant's VMs)."""
        out: list[Address] = []
        for seed in self.cloud(provider, max(1, n // per_net), country):
            out.append(seed)
            base = int(ipaddress.IPv4Address(seed.ip)) & ~0xFF
            run = 1
            for _ in range(per_net * 6):
                if run >= per_net or len(out) >= n:
                    break
                ip = self._take(base + self._rng.randint(1, 254))
                if ip is None:
                    continue
                geo_country, asn, kind, found = self.check(ip)
                if (
                    found == provider
                    and geo_country == country
                    and asn
                    and kind == iporigin.HOSTING
                ):
                    self._used.add(ip)
                    out.append(Address(ip, geo_country, asn, "hosting", provider))
                    run += 1
        return out[:n]

    def _from_blocks(self, names: list[str], n: int, kind: str) -> list[Address]:
        blocks = [b for name in names for b in self._isp_blocks.get(name, [])]
        if not blocks:
            raise AddressCheckError(f"the survey found no networks of {names}")
        out: list[Address] = []
        attempts = 0
        while len(out) < n:
            attempts += 1
            if attempts > n * 200:
                raise AddressCheckError(f"cannot find {n} {kind} addresses in {names}")
            block = self._rng.choice(blocks)
            ip = self._take(self._rng.randint(block.first, block.last))
            if ip is None:
                continue
            country, asn, origin_kind, _ = self.check(ip)
            if country != block.country or asn != block.asn_name:
                continue
            if origin_kind in (iporigin.HOSTING, iporigin.VPN, iporigin.TOR, iporigin.CDN):
                continue
            self._used.add(ip)
            out.append(Address(ip, country, asn, kind, asn))
        return out

    def isps(self, country: str) -> list[str]:
        return [
            name for name, c in CONSUMER_ISPS.items() if c == country and self._isp_blocks[name]
        ]

    def residential(self, country: str, n: int, isp: str | None = None) -> list[Address]:
        names = [isp] if isp else self.isps(country)
        if not names:
            raise AddressCheckError(f"no consumer ISP networks surveyed in {country}")
        return self._from_blocks(names, n, "residential")

    def residential_mix(self, countries: list[str], n: int) -> list[Address]:
        """``n`` residential addresses spread over ``countries`` (each address drawn alone)."""
        present = [c for c in countries if self.isps(c)]
        if not present:
            raise AddressCheckError(f"no consumer ISP networks surveyed in {countries}")
        out: list[Address] = []
        for _ in range(n):
            country = self._rng.choice(present)
            out.extend(self.residential(country, 1))
        return out

    def campus(self, asn_name: str, n: int) -> list[Address]:
        return self._from_blocks([asn_name], n, "campus")

    def vpn(self, n: int) -> list[Address]:
        out: list[Address] = []
        for provider in ("Mullvad", "ProtonVPN", "Apple Private Relay"):
            share = n - len(out) if provider == "Apple Private Relay" else n // 3
            try:
                out.extend(self.cloud(provider, share))
            except AddressCheckError:
                continue
        return out
