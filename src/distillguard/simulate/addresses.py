"""Client addresses that the offline enrichment maps to a chosen network kind and country.

The traffic simulator labels every client with where it connects from: a casual user on a home
line in Germany, an app backend on AWS, a distillation campaign behind residential proxies in a
dozen countries, a VPN or Tor exit. Those labels are only useful if the ingest side reads the
same thing back, so an :class:`AddressPlan` draws addresses from the very data the enrichment
uses (:class:`~distillguard.ingest.enrich.IpEnricher`: geoip2fast for country and ASN name,
iporigin for the network kind) and checks every address it hands out with a real lookup.

How candidates are found, per address family, once and then cached in the plan:

* ``hosting``, ``vpn``, ``tor``: iporigin's ranges of that kind (``hosting`` means iporigin's
  own hosting kind, not its CDN or crawler ranges, which the enrichment also files as hosting),
  cut along geoip2fast's country networks so that each piece has one provider and one country
  (or none, where geoip2fast has no network).
* ``residential``: geoip2fast's country networks cut along its ASN networks, keeping the pieces
  whose ASN name reads like a consumer ISP (telecom / broadband / cable / mobile words or a
  well-known ISP brand, and no cloud, hosting, university, government or enterprise words),
  minus every range iporigin lists at all (so iporigin answers "unknown").

A draw picks an address uniformly over the candidate space of the request, skips IPv4 addresses
ending in .0 or .255 (they look like network and broadcast addresses), and keeps it only when
the enrichment's lookup answers exactly what the plan predicted: network kind, country,
provider and, for residential, a consumer-ISP ASN name. Draws use only the ``random.Random``
passed in, so the same seed gives the same addresses.
"""

from __future__ import annotations

import ipaddress
import random
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from types import MappingProxyType
from typing import Any, Final

import iporigin
from geoip2fast import geoip2fast as _geoip_tables
from iporigin import _data as _origin_data

from distillguard.ingest.enrich import GEOIP_DATA_FILE, IpEnricher

RESIDENTIAL: Final = "residential"
HOSTING: Final = "hosting"
VPN: Final = "vpn"
TOR: Final = "tor"

#: What can be asked for, and what ``IpEnricher.lookup`` answers as network kind for each.
KINDS: Final = (RESIDENTIAL, HOSTING, VPN, TOR)
NETWORK_KIND: Final = MappingProxyType(
    {RESIDENTIAL: "other", HOSTING: "hosting", VPN: "vpn", TOR: "tor"}
)

# The iporigin kind each non-residential request draws from.
_ORIGIN_KIND: Final = MappingProxyType(
    {HOSTING: iporigin.HOSTING, VPN: iporigin.VPN, TOR: iporigin.TOR}
)

#: Short names that are not a substring of the provider name iporigin uses.
PROVIDER_ALIASES: Final = MappingProxyType(
    {
        "gcp": "Google Cloud",
        "google cloud platform": "Google Cloud",
        "aliyun": "Alibaba Cloud",
        "ovh": "OVHcloud",
        "oci": "Oracle Cloud",
        "proton": "ProtonVPN",
        "icloud private relay": "Apple Private Relay",
    }
)

# An ASN name reads like a consumer ISP when it holds one of these stems (anywhere) or words
# (whole tokens), "|"-separated: ISP vocabulary in a few languages, and well-known consumer
# ISPs whose registered names carry none of it ...
_CONSUMER_STEMS: Final = (
    "telecom|telekom|telekomunik|telekommunik|telefon|telephone|telco|broadband|kabel|"
    "fibre|fiber|fibra|mobile|movil|móvil|wireless|cellular|communication|comunica|svyaz|"
    "infocomm|teleservices|internet service|comcast|att-internet|att-mobility|bellsouth|"
    "charter-|cellco|verizon|t-mobile|twc-|frontier|windstream|centurylink-us|spectrum|"
    "mediacom|suddenlink|optimum|altice|vodafone|orange|free sas|free mobile|bouygues|"
    "virgin media|talktalk|starhub|singnet|singtel|claro|megafon|vimpelcom|beeline|airtel|"
    "bharti|hathway|softbank|kddi|docomo|ntt communications|ntt pc|biglobe|so-net|chinanet|"
    "china unicom|china169|china mobile|china telecom|chinatelecom|sk broadband|powercomm|"
    "bigpond|optus|rogers|bell canada|videotron|telus|swisscom|proximus|ziggo|telia|"
    "telenor|magenta|movistar|jazztel|wind tre|fastweb|iliad|turkcell|superonline|ttnet|"
    "etisalat|safaricom|pldt|viettel|true internet|indosat|maxis|celcom|grameenphone|"
    "totalplay|megacable|telmex|fibertel|cantv|smartone|hutchison|telkom|unicom|telstra|"
    "cable|shentel|biznet"
)
_CONSUMER_WORDS: Final = (
    "ais|bhn|cabo|catv|cox|cxa|digi|dsl|ee limited|entel|hkt|isp|izzi|jcom|jio|kpn|m1|mtn|"
    "mts|pccw|ptcl|rcn|sfr|shaw|sky|stc|tel|three|tim|tm net|v tal|vivo|vnpt|wom"
)
# ... and none of these, which mark clouds, hosting, transit, research, state and enterprises.
_NOT_CONSUMER_STEMS: Final = (
    "cloud|host|server|datacent|data cent|data-cent|colocation|amazon|google|microsoft|"
    "azure|alibaba|aliyun|tencent|huawei|baidu|bytedance|oracle|akamai|cloudflare|fastly|"
    "digitalocean|linode|ovh|hetzner|contabo|leaseweb|scaleway|vultr|choopa|selectel|"
    "yandex|apple|facebook|savvis|rackspace|equinix|naver|kakao|telstra europe|"
    "telstraeurope|universi|college|educa|research|academ|school|institut|scien|government|"
    "minist|military|defence|defense|bank|financ|insurance|enterprise|business|corporate|"
    "exchange|transit|carrier|wholesale|international|global|<unknown>"
)
_NOT_CONSUMER_WORDS: Final = "aws|colo|dnic|gov|govt|gtt|ibm|idc|meta|vps"


def _alternation(literals: Iterable[str]) -> str:
    """A regex matching any of the literals, factored as a trie (much faster than a|b|c)."""
    trie: dict[str, Any] = {}
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(sub) for char, sub in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


def _vocabulary(stems: str, words: str) -> re.Pattern[str]:
    """Stems match anywhere, words only as whole tokens (runs of letters and digits)."""
    anywhere = _alternation(stems.split("|"))
    whole = _alternation(words.split("|"))
    return re.compile(f"{anywhere}|(?<![^\\W_])(?:{whole})(?![^\\W_])")


_CONSUMER_ISP: Final = _vocabulary(_CONSUMER_STEMS, _CONSUMER_WORDS)
_NOT_CONSUMER: Final = _vocabulary(_NOT_CONSUMER_STEMS, _NOT_CONSUMER_WORDS)

_V4_SPACE: Final = 1 << 32
_MAX_TRIES: Final = 200  # draws (octet skips and failed lookups) before one address gives up


def looks_like_consumer_isp(asn_name: str | None) -> bool:
    """Whether an ASN name reads like a consumer ISP (and not a cloud, campus or enterprise)."""
    if not asn_name:
        return False
    name = asn_name.casefold()
    return _CONSUMER_ISP.search(name) is not None and _NOT_CONSUMER.search(name) is None


class _Ranges:
    """Sorted, non-overlapping, inclusive integer ranges, each with a label."""

    __slots__ = ("ends", "labels", "starts")

    def __init__(self, starts: list[int], ends: list[int], labels: list[Any]) -> None:
        self.starts = starts
        self.ends = ends
        self.labels = labels

    @classmethod
    def kept(cls, pieces: Iterable[tuple[int, int, Any]]) -> _Ranges:
        """Ranges from ``(start, end, label)`` pieces, leaving out those labelled None."""
        kept = [piece for piece in pieces if piece[2] is not None]
        return cls([p[0] for p in kept], [p[1] for p in kept], [p[2] for p in kept])


def _overlay(base: _Ranges, over: _Ranges) -> Iterator[tuple[int, int, int, int]]:
    """Cut each base range along the over ranges: ``(low, high, base_index, over_index)``.

    ``over_index`` is -1 for the parts of a base range that no over range covers.
    """
    over_starts, over_ends = over.starts, over.ends
    n_over = len(over_starts)
    for i, (low, high) in enumerate(zip(base.starts, base.ends, strict=True)):
        j = bisect_right(over_starts, low) - 1
        if j < 0 or over_ends[j] < low:
            j += 1
        cursor = low
        while cursor <= high and j < n_over and over_starts[j] <= high:
            start = over_starts[j]
            if start > cursor:
                yield cursor, start - 1, i, -1
                cursor = start
            top = min(over_ends[j], high)
            yield cursor, top, i, j
            cursor = top + 1
            j += 1
        if cursor <= high:
            yield cursor, high, i, -1


def _geo_ranges(tables: Any, prefix: str, version: int, labels: Sequence[Any]) -> _Ranges:
    """One geoip2fast network list of one address family, as its lookup resolves it.

    The lookup takes the network with the greatest start at or below the address, so a network
    nested in an earlier one cuts that one short: the earlier network ends where the nested one
    starts (what lies after the nested one is found nowhere). ``labels`` maps a network's id
    (country index or ASN index) to its label; networks labelled None are left out.
    """
    index = list(getattr(tables, f"mainIndex{prefix}"))
    chunks = getattr(tables, f"mainListFirstIP{prefix}")
    if index != [chunk[0] for chunk in chunks]:
        raise RuntimeError("geoip2fast's chunk index no longer matches its network lists")
    firsts = [start for chunk in chunks for start in chunk]
    lengths = [n for chunk in getattr(tables, f"mainListNetlength{prefix}") for n in chunk]
    ids_name = "mainListIDCountryCodes" if prefix == "" else "mainListIDASN"
    ids = [ident for chunk in getattr(tables, ids_name) for ident in chunk]
    split = bisect_right(firsts, _V4_SPACE - 1)
    family = slice(0, split) if version == 4 else slice(split, None)
    bits = 32 if version == 4 else 128
    starts = firsts[family]
    ends = [s + (1 << (bits - n)) - 1 for s, n in zip(starts, lengths[family], strict=True)]
    cut = [min(end, after - 1) for end, after in zip(ends, [*starts[1:], 1 << bits], strict=True)]
    return _Ranges.kept(
        (s, e, labels[i] if s <= e else None)
        for s, e, i in zip(starts, cut, ids[family], strict=True)
    )


class _Segments:
    """Candidate pieces of one (kind, family), each with the country and provider it looks up to."""

    __slots__ = ("countries", "ends", "providers", "starts")

    def __init__(self, pieces: list[tuple[int, int, str | None, str | None]]) -> None:
        self.starts = [p[0] for p in pieces]
        self.ends = [p[1] for p in pieces]
        self.countries = [p[2] for p in pieces]
        self.providers = [p[3] for p in pieces]


class _Pool:
    """The candidate pieces of one request, for a uniform draw over their addresses."""

    __slots__ = ("countries", "cumulative", "providers", "sizes", "starts", "total")

    def __init__(self, segments: _Segments, picked: Sequence[int]) -> None:
        self.starts = [segments.starts[i] for i in picked]
        self.sizes = [segments.ends[i] - segments.starts[i] + 1 for i in picked]
        self.countries = [segments.countries[i] for i in picked]
        self.providers = [segments.providers[i] for i in picked]
        self.cumulative = list(accumulate(self.sizes))
        self.total = self.cumulative[-1] if self.cumulative else 0

    def pick(self, rng: random.Random) -> tuple[int, int]:
        """A uniformly drawn address and the index of its piece."""
        x = rng.randrange(self.total)
        i = bisect_right(self.cumulative, x)
        return self.starts[i] + x - (self.cumulative[i - 1] if i else 0), i


class AddressPlan:
    """Draws client addresses whose enrichment gives a chosen network kind and country.

    Building one loads the geoip2fast data (about half a second; nothing when an enricher is
    passed in). The candidates of each kind and address family are computed on first use
    (residential IPv4: 2-3 s, residential IPv6: 1-1.5 s, the others: under 0.2 s) and kept, as
    are the pools of the requests drawn from; a draw then costs one bisect plus the checking
    lookup (roughly 50-100 us, nearly all of it the lookup). Pass in an enricher only when its
    ``misses`` may grow: the checking lookups count their misses there too.

    ``rejected`` counts drawn addresses that were not handed out: ``"octet"`` for IPv4
    .0/.255 skips, ``"lookup"`` for addresses whose lookup disagreed with the plan (it stays
    zero unless the bundled data is read differently from the enrichment).

    It reads the tables geoip2fast keeps at module level once loaded (1.2.x layout) and
    iporigin's loaded range table (``iporigin._data``); a change there fails loudly or shows
    up as lookup rejections, never as wrongly labelled addresses.
    """

    def __init__(self, enricher: IpEnricher | None = None) -> None:
        self.enricher = enricher if enricher is not None else IpEnricher()
        geo = self.enricher._geo  # the lookup object the enrichment answers from
        if not getattr(geo, "asn", False) or not str(getattr(geo, "data_file", "")).endswith(
            GEOIP_DATA_FILE
        ):
            raise RuntimeError(f"the enricher's geoip2fast has not loaded {GEOIP_DATA_FILE}")
        self._origin = _origin_data.dataset()  # type: ignore[no-untyped-call]
        # Country indexes below 16 are geoip2fast's private and reserved networks ("99" is its
        # "not found"); those answer no country.
        self._country_codes: list[str | None] = [
            name[:2] if i >= 16 and name[:2].isalpha() and name[2:3] == ":" else None
            for i, name in enumerate(_geoip_tables.mainListNamesCountry)
        ]
        self._asn_names: list[str] = list(_geoip_tables.mainListNamesASN)
        self._consumer: dict[str, bool] = {}
        self._countries: dict[int, _Ranges] = {}
        self._segments: dict[tuple[str, int], _Segments] = {}
        self._providers: dict[tuple[str, int], list[str]] = {}
        self._pools: dict[tuple[str, str | None, str | None, int], _Pool] = {}
        self.rejected: Counter[str] = Counter()

    # ---- public API -------------------------------------------------------------------------

    def countries(self, kind: str, provider: str | None = None, *, version: int = 4) -> list[str]:
        """Country codes that ``kind`` (and ``provider``, if given) can be drawn for."""
        segments = self._kind_segments(kind, version)
        name = self._provider(kind, provider, version)
        return sorted(
            {
                c
                for c, p in zip(segments.countries, segments.providers, strict=True)
                if c is not None and (name is None or p == name)
            }
        )

    def providers(self, kind: str, country: str | None = None, *, version: int = 4) -> list[str]:
        """Provider names (iporigin's) that ``kind`` can be drawn for; none for residential."""
        if country is None:
            return list(self._known_providers(kind, version))
        segments = self._kind_segments(kind, version)
        code = _country(country)
        return sorted(
            {
                p
                for c, p in zip(segments.countries, segments.providers, strict=True)
                if p is not None and c == code
            }
        )

    def capacity(
        self,
        kind: str,
        country: str | None = None,
        provider: str | None = None,
        *,
        version: int = 4,
    ) -> int:
        """How many candidate addresses a request has (0 when there are none)."""
        return self._request(kind, country, provider, version).total

    def draw(
        self,
        kind: str,
        country: str | None = None,
        provider: str | None = None,
        *,
        rng: random.Random,
        version: int = 4,
    ) -> str:
        """One address whose lookup gives ``kind`` (and ``country`` / ``provider`` if given).

        ``provider`` is iporigin's provider name, matched case-insensitively, through
        :data:`PROVIDER_ALIASES`, or as a unique substring ("AWS", "Azure", "Alibaba", ...).
        Raises ValueError when the request cannot be satisfied.
        """
        return self._draw(self._satisfiable(kind, country, provider, version), kind, version, rng)

    def pool(
        self,
        kind: str,
        country: str | None,
        provider: str | None,
        size: int,
        rng: random.Random,
        *,
        version: int = 4,
    ) -> list[str]:
        """``size`` distinct addresses for one request (an account's, a proxy pool's)."""
        if size < 0:
            raise ValueError(f"pool size must not be negative, got {size}")
        pool = self._satisfiable(kind, country, provider, version)
        if pool.total < size:
            raise ValueError(
                f"{_describe(kind, country, provider, version)} has only {pool.total} candidate"
                f" addresses, {size} asked"
            )
        found: dict[str, None] = {}
        budget = 20 * size + 1000
        while len(found) < size:
            if budget == 0:
                raise ValueError(
                    f"found only {len(found)} distinct addresses of {size} for"
                    f" {_describe(kind, country, provider, version)}"
                )
            budget -= 1
            found[self._draw(pool, kind, version, rng)] = None
        return list(found)

    # ---- drawing ------------------------------------------------------------------------------

    def _draw(self, pool: _Pool, kind: str, version: int, rng: random.Random) -> str:
        for _ in range(_MAX_TRIES):
            value, piece = pool.pick(rng)
            if version == 4 and pool.sizes[piece] >= 4 and (value & 0xFF) in (0, 255):
                self.rejected["octet"] += 1
                continue
            ip = str(ipaddress.IPv4Address(value) if version == 4 else ipaddress.IPv6Address(value))
            if self._confirmed(ip, kind, pool.countries[piece], pool.providers[piece]):
                return ip
            self.rejected["lookup"] += 1
        raise ValueError(f"no {kind} address passed the lookup check in {_MAX_TRIES} draws")

    def _confirmed(self, ip: str, kind: str, country: str | None, provider: str | None) -> bool:
        """Whether the enrichment answers what the plan predicted for an address."""
        got_country, asn_name, network_kind, got_provider = self.enricher.lookup(ip)
        if (network_kind, got_country, got_provider) != (NETWORK_KIND[kind], country, provider):
            return False
        if kind != RESIDENTIAL:
            return True
        if asn_name is None or not ipaddress.ip_address(ip).is_global:
            return False
        consumer = self._consumer.get(asn_name)
        if consumer is None:
            consumer = self._consumer[asn_name] = looks_like_consumer_isp(asn_name)
        return consumer

    # ---- requests -----------------------------------------------------------------------------

    def _satisfiable(
        self, kind: str, country: str | None, provider: str | None, version: int
    ) -> _Pool:
        pool = self._request(kind, country, provider, version)
        if pool.total == 0:
            raise ValueError(
                f"no candidate addresses for {_describe(kind, country, provider, version)}"
            )
        return pool

    def _request(self, kind: str, country: str | None, provider: str | None, version: int) -> _Pool:
        key = (kind, country, provider, version)
        pool = self._pools.get(key)
        if pool is None:
            segments = self._kind_segments(kind, version)
            code = _country(country)
            name = self._provider(kind, provider, version)
            canonical = (kind, code, name, version)
            pool = self._pools.get(canonical)
            if pool is None:
                picked = [
                    i
                    for i, (c, p) in enumerate(
                        zip(segments.countries, segments.providers, strict=True)
                    )
                    if (code is None or c == code) and (name is None or p == name)
                ]
                pool = self._pools[canonical] = _Pool(segments, picked)
            self._pools[key] = pool
        return pool

    def _known_providers(self, kind: str, version: int) -> list[str]:
        known = self._providers.get((kind, version))
        if known is None:
            segments = self._kind_segments(kind, version)
            known = self._providers[(kind, version)] = sorted({p for p in segments.providers if p})
        return known

    def _provider(self, kind: str, provider: str | None, version: int) -> str | None:
        """iporigin's spelling of a requested provider, among those ``kind`` has."""
        if provider is None:
            return None
        if kind == RESIDENTIAL:
            raise ValueError("residential addresses take no provider")
        known = self._known_providers(kind, version)
        wanted = provider.strip().casefold()
        for name in known:
            if name.casefold() == wanted:
                return name
        alias = PROVIDER_ALIASES.get(wanted)
        if alias in known:
            return alias
        partial = [name for name in known if wanted and wanted in name.casefold()]
        if len(partial) == 1:
            return partial[0]
        raise ValueError(
            f"unknown {kind} provider {provider!r}"
            + (f" (it matches {', '.join(partial)})" if partial else "")
            + f"; known: {', '.join(known)}"
        )

    # ---- candidates ---------------------------------------------------------------------------

    def _kind_segments(self, kind: str, version: int) -> _Segments:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        if version not in (4, 6):
            raise ValueError(f"version must be 4 or 6, got {version!r}")
        segments = self._segments.get((kind, version))
        if segments is None:
            if kind == RESIDENTIAL:
                segments = self._residential(version)
            else:
                segments = self._listed(_ORIGIN_KIND[kind], version)
            self._segments[(kind, version)] = segments
        return segments

    def _country_ranges(self, version: int) -> _Ranges:
        ranges = self._countries.get(version)
        if ranges is None:
            ranges = _geo_ranges(_geoip_tables, "", version, self._country_codes)
            self._countries[version] = ranges
        return ranges

    def _origin_ranges(self, version: int, origin_kind: str | None) -> _Ranges:
        """iporigin's ranges of one family (of one kind, or all), labelled with the provider."""
        data = self._origin
        if version == 4:
            starts, ends, labels = data.v4_starts, data.v4_ends, data.v4_labels
        else:
            starts, ends, labels = data.v6_starts, data.v6_ends, data.v6_labels
        names = [
            provider if origin_kind is None or kind == origin_kind else None
            for provider, kind in data.labels
        ]
        return _Ranges.kept(
            (int(start), int(end), names[label])
            for start, end, label in zip(starts, ends, labels, strict=True)
        )

    def _listed(self, origin_kind: str, version: int) -> _Segments:
        """iporigin's ranges of one kind, cut along geoip2fast's countries."""
        listed = self._origin_ranges(version, origin_kind)
        countries = self._country_ranges(version)
        return _Segments(
            [
                (low, high, countries.labels[j] if j >= 0 else None, listed.labels[i])
                for low, high, i, j in _overlay(listed, countries)
            ]
        )

    def _residential(self, version: int) -> _Segments:
        """Country networks inside consumer-ISP ASN networks, outside every iporigin range."""
        countries = self._country_ranges(version)
        consumer = [True if looks_like_consumer_isp(name) else None for name in self._asn_names]
        isps = _geo_ranges(_geoip_tables, "ASN", version, consumer)
        home = _Ranges.kept(
            (low, high, countries.labels[i] if j >= 0 else None)
            for low, high, i, j in _overlay(countries, isps)
        )
        listed = self._origin_ranges(version, None)
        return _Segments(
            [
                (low, high, home.labels[i], None)
                for low, high, i, j in _overlay(home, listed)
                if j < 0
            ]
        )


def _country(country: str | None) -> str | None:
    if country is None:
        return None
    code = country.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"country must be a two-letter code, got {country!r}")
    return code


def _describe(kind: str, country: str | None, provider: str | None, version: int) -> str:
    parts = [f"{kind} IPv{version}"]
    if provider:
        parts.append(f"from provider {provider}")
    if country:
        parts.append(f"in country {country}")
    return " ".join(parts)
