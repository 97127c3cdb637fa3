"""Where a call comes from: country and network of the client address, against the geofence.

The lookup is ingest's own (``ingest/enrich.py``: geoip2fast and iporigin, the data shipped in
their packages), so the gateway and the scan place an address in the same country and
network. Answers are cached per address in a bounded LRU owned by the instance.
"""

from __future__ import annotations

import ipaddress
from collections import OrderedDict
from dataclasses import dataclass
from typing import Final

from distillguard.ingest.enrich import IpEnricher

CACHE_SIZE: Final = 65_536


@dataclass(frozen=True)
class Place:
    country: str | None
    asn_name: str | None
    network_kind: str
    network_provider: str | None


@dataclass(frozen=True)
class GeoFacts:
    country: str | None
    network_kind: str
    network_provider: str | None
    asn_name: str | None
    restricted_ip: bool
    restricted_billing: bool


_NOWHERE: Final = Place(None, None, "other", None)


class Geofence:
    def __init__(self, restricted_countries: frozenset[str], enricher: IpEnricher | None = None):
        self.restricted = frozenset(c.upper() for c in restricted_countries)
        self._enricher = enricher or IpEnricher()
        self._cache: OrderedDict[str, Place] = OrderedDict()

    def with_countries(self, restricted_countries: frozenset[str]) -> Geofence:
        """The same lookups (and cache) against another list of restricted countries."""
        other = Geofence(restricted_countries, self._enricher)
        other._cache = self._cache
        return other

    def place(self, client_ip: str) -> Place:
        found = self._cache.get(client_ip)
        if found is not None:
            self._cache.move_to_end(client_ip)
            return found
        try:
            address = ipaddress.ip_address(client_ip)
        except ValueError:
            return _NOWHERE
        if address.is_private or address.is_loopback or address.is_link_local:
            found = _NOWHERE
        else:
            found = Place(*self._enricher.lookup(client_ip))
        self._cache[client_ip] = found
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return found

    def check(self, client_ip: str, billing_country: str | None) -> GeoFacts:
        place = self.place(client_ip)
        billing = (billing_country or "").upper()
        return GeoFacts(
            country=place.country,
            network_kind=place.network_kind,
            network_provider=place.network_provider,
            asn_name=place.asn_name,
            restricted_ip=place.country is not None and place.country in self.restricted,
            restricted_billing=bool(billing) and billing in self.restricted,
        )
