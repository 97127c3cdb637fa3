"""The reader contract: a parsed record is a ``Row`` or a ``Reject`` with a stable reason.

Readers turn one decoded input record into column values of ``schema.PARSED``. Every value
goes through one of the typed accessors below, so a reader can never hand Arrow a value of
the wrong type: a wrong type becomes a ``Reject`` naming the field, and the record goes to
quarantine with that reason.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from distillguard.schema.interactions import ENDPOINTS, PARSED
from distillguard.settings import Settings

Row = dict[str, Any]
JsonObject = Mapping[str, Any]

PARSED_NAMES: tuple[str, ...] = tuple(PARSED.names)
_ENDPOINT_SET = frozenset(ENDPOINTS)


def new_row() -> Row:
    """An interaction row with every parsed column present and null."""
    return dict.fromkeys(PARSED_NAMES)


REASONS = MappingProxyType(
    {
        "invalid_utf8": "the bytes are not valid UTF-8",
        "not_json": "the line is not JSON",
        "truncated": "the record or the file ends early (cut-off line or compressed stream)",
        "not_object": "the JSON value is not an object",
        "missing_identity": "no request id or no account id",
        "missing_timestamp": "no timestamp",
        "bad_timestamp": "the timestamp cannot be read as an ISO 8601 / epoch time",
        "unknown_endpoint": "the endpoint or call type is not one distillguard reads",
        "wrong_type": "a field holds a value of the wrong type",
        "invalid_ip": "the client IP is not an IP address",
        "bad_csv": "a CSV row does not match its header",
        "too_large": "the record is over ingest.max_record_bytes (kept: size, SHA-256, first KiB)",
    }
)
"""Stable reason codes for quarantined records, with their meaning."""


class Reject(Exception):  # noqa: N818 -- a verdict on a record, not an error of the program
    """The record cannot be read; it goes to quarantine with ``reason`` and ``detail``."""

    def __init__(self, reason: str, detail: str) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown quarantine reason {reason!r}")
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _wrong(name: str, expected: str, value: object) -> Reject:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return Reject("wrong_type", f"{name} must be {expected}, got {shown}")


_NUMBER = (int, float)
_INT_LIMITS = MappingProxyType({bits: 1 << (bits - 1) for bits in (16, 32, 64)})


def text(obj: JsonObject, key: str, name: str | None = None) -> str | None:
    """A string field; absent or null gives None."""
    value = obj.get(key)
    if value is None or type(value) is str:
        return value
    raise _wrong(name or key, "a string", value)


def ident(obj: JsonObject, key: str, name: str | None = None) -> str | None:
    """An identifier: a string or an integer (as text); absent, null or empty gives None."""
    value = obj.get(key)
    if type(value) is str:
        return value or None
    if value is None:
        return None
    if type(value) is int:
        return str(value)
    raise _wrong(name or key, "a string id", value)


def number(obj: JsonObject, key: str, name: str | None = None) -> float | None:
    value = obj.get(key)
    if value is None:
        return None
    if type(value) in _NUMBER:
        try:
            return float(value)
        except OverflowError:  # an integer beyond the range of a float
            pass
    raise _wrong(name or key, "a number", value)


def integer(obj: JsonObject, key: str, name: str | None = None, bits: int = 64) -> int | None:
    """An integer that fits a signed ``bits``-bit column; a float with no fraction is accepted."""
    value = obj.get(key)
    if value is None:
        return None
    if type(value) is float and value.is_integer():
        value = int(value)
    if type(value) is int:
        limit = _INT_LIMITS[bits]
        if -limit <= value < limit:
            return value
        raise _wrong(name or key, f"a {bits}-bit integer", value)
    raise _wrong(name or key, "an integer", value)


def flag(obj: JsonObject, key: str, name: str | None = None) -> bool | None:
    value = obj.get(key)
    if value is None or type(value) is bool:
        return value
    raise _wrong(name or key, "true or false", value)


_EMPTY: JsonObject = MappingProxyType({})


def mapping(obj: JsonObject, key: str, name: str | None = None) -> JsonObject:
    """A nested object; absent or null gives an empty mapping."""
    value = obj.get(key)
    if type(value) is dict:
        return value
    if value is None:
        return _EMPTY
    raise _wrong(name or key, "an object", value)


def sequence(obj: JsonObject, key: str, name: str | None = None) -> list[Any]:
    """A nested array; absent or null gives an empty list."""
    value = obj.get(key)
    if type(value) is list:
        return value
    if value is None:
        return []
    raise _wrong(name or key, "an array", value)


def timestamp(value: object, name: str = "ts") -> datetime:
    """An ISO 8601 string (a time without zone is read as UTC) or epoch seconds."""
    if value is None or value == "":
        raise Reject("missing_timestamp", f"{name} is missing")
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as exc:
            raise Reject("bad_timestamp", f"{name} {value[:40]!r} is not ISO 8601") from exc
        if parsed.tzinfo is UTC:
            return parsed
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=UTC)
        try:
            return parsed.astimezone(UTC)
        except OverflowError as exc:  # e.g. year 1 at +14:00
            raise Reject("bad_timestamp", f"{name} {value[:40]!r} is out of range") from exc
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise Reject("bad_timestamp", f"{name} {value!r} is out of range") from exc
    raise Reject("bad_timestamp", f"{name} must be an ISO 8601 string, got {value!r:.40}")


def ip_address(value: object, name: str = "client_ip") -> str | None:
    """A client IP in canonical text form (IPv4-mapped IPv6 as IPv4); absent or empty: None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise Reject("invalid_ip", f"{name} must be a string, got {value!r:.40}")
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError as exc:
        raise Reject("invalid_ip", f"{name} {value[:60]!r} is not an IP address") from exc
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)  # an IPv4 client as a dual-stack socket sees it
    return str(address)


def endpoint(value: object) -> str:
    if isinstance(value, str):
        if value in _ENDPOINT_SET:
            return value
        path = value.split("?", 1)[0].rstrip("/")
        if path in ENDPOINTS:
            return path
    raise Reject("unknown_endpoint", f"endpoint {value!r:.60} is not one of {', '.join(ENDPOINTS)}")


def required_id(value: str | None, name: str) -> str:
    if value is None:
        raise Reject("missing_identity", f"{name} is missing")
    return value


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record a reader could not read: the verdict, where inside the line, what to keep."""

    reject: Reject
    item: int | None = None
    raw: bytes | None = None


@dataclass(frozen=True)
class ReadOptions:
    """What readers need from the settings (picklable, for worker processes)."""

    otel_account: str = "user.id"
    otel_key: str = ""
    otel_org: str = ""
    otel_end_user: str = ""
    otel_client_ip: str = "client.address"
    otel_user_agent: str = "user_agent.original"

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadOptions:
        return cls(
            otel_account=settings.text("otel.account_attribute"),
            otel_key=settings.text("otel.key_attribute"),
            otel_org=settings.text("otel.org_attribute"),
            otel_end_user=settings.text("otel.end_user_attribute"),
            otel_client_ip=settings.text("otel.client_ip_attribute"),
            otel_user_agent=settings.text("otel.user_agent_attribute"),
        )


class ReadContext:
    """Per-job state of a reader: the options and a bounded cache of validated IPs."""

    __slots__ = ("_ips", "options", "skipped")
    MAX_CACHED_IPS = 65_536

    def __init__(self, options: ReadOptions) -> None:
        self.options = options
        self._ips: dict[object, str | None] = {}
        self.skipped: Counter[str] = Counter()

    def skip(self, what: str) -> None:
        """Count a valid input record that is not an interaction (e.g. a non-GenAI span)."""
        self.skipped[what] += 1

    def ip(self, value: object, name: str = "client_ip") -> str | None:
        try:
            return self._ips[value]
        except (KeyError, TypeError):
            pass
        canonical = ip_address(value, name)
        if len(self._ips) >= self.MAX_CACHED_IPS:
            self._ips.clear()
        if isinstance(value, str):
            self._ips[value] = canonical
        return canonical


Read = Callable[[object, ReadContext], Iterator[Row | Rejected]]
"""A reader: one decoded input record (a JSON value or a CSV row) → rows and rejections."""
