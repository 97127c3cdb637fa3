"""Who is calling: the API key, the client's address, the end user the caller names.

- **The key** comes from ``Authorization: Bearer KEY`` (OpenAI's header, which recent
  Anthropic SDKs send too) or ``x-api-key`` (Anthropic's); a request without one, with an
  unknown one or with a revoked one is answered 401 ``authentication_error`` with the
  provider's own wording, so each SDK raises its usual ``AuthenticationError``.
- **The client address** is the socket peer, unless the peer is one of the trusted proxies
  (setting ``gateway.trusted_proxies``). Then ``X-Forwarded-For`` is walked from the right —
  every header value, each a comma list, in order, is one list — skipping trusted hops: the
  first untrusted address is the client. Hops left of it were written by the client itself
  and prove nothing. An entry that is not an address (``unknown``, garbage, a hostname) stops
  the walk: the client is the last good hop before it, since nothing written further left can
  be believed either. Empty items (``a,,b``, a trailing comma) are skipped; an address may
  carry a port (``203.0.113.7:5120``, ``[2001:db8::1]:443``). The result is in the raw log's
  canonical text form (:func:`distillguard.ingest.record.ip_address`: IPv4-mapped IPv6 as
  IPv4), or ``""`` when the peer is not an IP socket (a Unix socket, a test transport).
- **The end user** is the caller's own id for the person behind a call: ``safety_identifier``
  (OpenAI's field for it) or ``user`` on the OpenAI APIs, ``metadata.user_id`` on Anthropic
  Messages. Only strings count, stripped and cut to :data:`END_USER_MAX` characters, so a
  caller cannot inflate the log through it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any, Final

from distillguard.gateway.core import Api, GatewayError, Shape
from distillguard.gateway.keys import KeyIndex, KeyRecord
from distillguard.ingest.record import Reject, ip_address

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
END_USER_MAX: Final = 256
_SHOWN: Final = 12  # leading characters of a wrong key echoed in the error, as OpenAI does


class IdentityError(ValueError):
    """A setting about identity (the trusted proxies) cannot be used."""


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """A header's value whatever the case of its name (Starlette ``Headers`` or a dict)."""
    value = headers.get(name)
    if value is not None:
        return value
    for key, item in headers.items():
        if key.lower() == name:
            return item
    return None


def _presented(headers: Mapping[str, str]) -> tuple[str, str] | None:
    """The credential and the header it came in (``authorization`` or ``x-api-key``)."""
    authorization = _header(headers, "authorization")
    if authorization is not None:
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip(), "authorization"
    api_key = _header(headers, "x-api-key")
    if api_key is not None and api_key.strip():
        return api_key.strip(), "x-api-key"
    return None


def credential(headers: Mapping[str, str]) -> str | None:
    """The API key a request presents: ``Authorization: Bearer`` first, else ``x-api-key``."""
    found = _presented(headers)
    return None if found is None else found[0]


def _masked(key: str) -> str:
    return key[:_SHOWN] + "*" * 8 if len(key) > _SHOWN else "*" * 8


def authenticate(
    headers: Mapping[str, str], index: KeyIndex, *, shape: Shape | None = None
) -> KeyRecord:
    """The record of the key a request presents; 401 when it has none, a wrong or revoked one.

    ``shape`` picks the provider whose wording a wrong key gets (OpenAI's "Incorrect API key
    provided", Anthropic's "invalid x-api-key"); without it, the header the key came in
    decides (recent Anthropic SDKs send ``Authorization: Bearer`` too, so give the shape).
    """
    found = _presented(headers)
    if found is None:
        raise GatewayError(
            401,
            "authentication_error",
            "You didn't provide an API key. Send it in an Authorization header using Bearer "
            "auth (Authorization: Bearer YOUR_KEY) or in an x-api-key header.",
            code="missing_api_key",
        )
    key, header = found
    record = index.lookup(key)
    if record is None:
        anthropic = shape == "anthropic" or (shape is None and header == "x-api-key")
        message = (
            "invalid x-api-key" if anthropic else f"Incorrect API key provided: {_masked(key)}."
        )
        raise GatewayError(401, "authentication_error", message, code="invalid_api_key")
    if record.revoked:
        raise GatewayError(
            401,
            "authentication_error",
            f"The API key {record.display} has been revoked.",
            code="invalid_api_key",
        )
    return record


def parse_trusted(text: str) -> tuple[Network, ...]:
    """The networks of ``gateway.trusted_proxies`` (comma-separated CIDRs or addresses)."""
    networks: list[Network] = []
    for part in text.split(","):
        item = part.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item))
        except ValueError as exc:
            raise IdentityError(
                f"gateway.trusted_proxies: {item!r} is not a network ({exc}); give CIDRs such "
                "as 10.0.0.0/8 or single addresses, separated by commas"
            ) from exc
    return tuple(networks)


def _parse(text: str) -> tuple[str, Address] | None:
    """An address (canonical text, object) from one hop, a port allowed; None if garbage."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6] or [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port (a bare v6 address has several colons)
        text = text.partition(":")[0]
    try:
        canonical = ip_address(text)
    except Reject:
        return None
    if canonical is None:
        return None
    return canonical, ipaddress.ip_address(canonical)


def _trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    return any(address in network for network in trusted)


def client_ip(peer: str | None, forwarded_for: list[str], trusted: tuple[Network, ...]) -> str:
    """The client's address: the peer, or the right-most untrusted ``X-Forwarded-For`` hop."""
    parsed = None if peer is None else _parse(peer)
    if parsed is None:
        return ""
    canonical, address = parsed
    if not _trusted(address, trusted):
        return canonical
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        step = _parse(hop)
        if step is None:
            break  # garbage: nothing further left can be believed
        canonical, address = step
        if not _trusted(address, trusted):
            break
    return canonical


def _bounded(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text[:END_USER_MAX] or None


def end_user(api: Api, body: Mapping[str, Any]) -> str | None:
    """The end user a request names (see the module docstring), or None."""
    if api == "messages":
        metadata = body.get("metadata")
        return _bounded(metadata.get("user_id")) if isinstance(metadata, Mapping) else None
    return _bounded(body.get("safety_identifier")) or _bounded(body.get("user"))
