"""The reader contract: typed accessors, reason codes, timestamps, IPs, endpoints, context."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from distillguard.ingest import record
from distillguard.ingest.record import (
    PARSED_NAMES,
    REASONS,
    ReadContext,
    ReadOptions,
    Reject,
    Rejected,
)
from distillguard.schema.interactions import ENDPOINTS, PARSED
from distillguard.settings import Settings


def reason_of(call: object, *args: object) -> str:
    assert callable(call)
    with pytest.raises(Reject) as caught:
        call(*args)
    return caught.value.reason


def test_new_row_has_every_parsed_column_and_nothing_else() -> None:
    row = record.new_row()
    assert tuple(row) == PARSED_NAMES == tuple(PARSED.names)
    assert all(value is None for value in row.values())
    assert record.new_row() is not row


def test_reject_knows_only_the_documented_reasons() -> None:
    reject = Reject("wrong_type", "x must be y")
    assert (reject.reason, reject.detail) == ("wrong_type", "x must be y")
    assert str(reject) == "wrong_type: x must be y"
    with pytest.raises(ValueError, match="unknown quarantine reason"):
        Reject("made_up", "nope")
    assert {"not_object", "missing_identity", "missing_timestamp", "bad_timestamp"} <= set(REASONS)
    assert {"unknown_endpoint", "wrong_type", "invalid_ip"} <= set(REASONS)


def test_rejected_carries_the_verdict() -> None:
    rejected = Rejected(Reject("not_json", "bad"), item=2, raw=b"{")
    assert (rejected.reject.reason, rejected.item, rejected.raw) == ("not_json", 2, b"{")
    assert Rejected(Reject("not_json", "bad")).item is None


# -- typed accessors ----------------------------------------------------------------------------


def test_text() -> None:
    assert record.text({"k": "v"}, "k") == "v"
    assert record.text({"k": ""}, "k") == ""
    assert record.text({"k": None}, "k") is None
    assert record.text({}, "k") is None
    with pytest.raises(Reject, match=r"wrong_type: request\.model must be a string, got 5"):
        record.text({"model": 5}, "model", "request.model")


@pytest.mark.parametrize("value", [["a"], {"a": 1}, True, 1.5])
def test_text_rejects_non_strings(value: object) -> None:
    assert reason_of(record.text, {"k": value}, "k") == "wrong_type"


def test_ident_accepts_strings_and_integers_as_text() -> None:
    assert record.ident({"id": "acct_1"}, "id") == "acct_1"
    assert record.ident({"id": 12345}, "id") == "12345"
    assert record.ident({"id": -7}, "id") == "-7"
    assert record.ident({"id": ""}, "id") is None
    assert record.ident({"id": None}, "id") is None
    assert record.ident({}, "id") is None


@pytest.mark.parametrize("value", [True, 1.0, ["a"], {"a": 1}])
def test_ident_rejects_other_types(value: object) -> None:
    assert reason_of(record.ident, {"id": value}, "id") == "wrong_type"


def test_number() -> None:
    assert record.number({"t": 0.7}, "t") == 0.7
    assert record.number({"t": 1}, "t") == 1.0
    assert isinstance(record.number({"t": 1}, "t"), float)
    assert record.number({"t": None}, "t") is None
    assert record.number({}, "t") is None


@pytest.mark.parametrize("value", ["0.7", True, [1], {"a": 1}, 10**400])
def test_number_rejects_non_numbers_and_ints_beyond_float(value: object) -> None:
    assert reason_of(record.number, {"t": value}, "t") == "wrong_type"


def test_integer() -> None:
    assert record.integer({"n": 3}, "n") == 3
    assert record.integer({"n": 3.0}, "n") == 3
    assert type(record.integer({"n": 3.0}, "n")) is int
    assert record.integer({"n": None}, "n") is None
    assert record.integer({}, "n") is None
    assert record.integer({"n": 2**63 - 1}, "n") == 2**63 - 1
    assert record.integer({"n": -(2**31)}, "n", bits=32) == -(2**31)
    assert record.integer({"n": 32767}, "n", bits=16) == 32767


@pytest.mark.parametrize(
    ("value", "bits"),
    [
        ("3", 64),
        (3.5, 64),
        (True, 64),
        (float("inf"), 64),
        (float("nan"), 64),
        ([3], 64),
        (2**63, 64),
        (-(2**63) - 1, 64),
        (1e300, 64),
        (2**31, 32),
        (32768, 16),
    ],
)
def test_integer_rejects_non_integers_and_values_beyond_the_column(
    value: object, bits: int
) -> None:
    assert reason_of(lambda: record.integer({"n": value}, "n", bits=bits)) == "wrong_type"


def test_flag() -> None:
    assert record.flag({"b": True}, "b") is True
    assert record.flag({"b": False}, "b") is False
    assert record.flag({}, "b") is None
    for value in (1, 0, "true", []):
        assert reason_of(record.flag, {"b": value}, "b") == "wrong_type"


def test_mapping_and_sequence() -> None:
    assert record.mapping({"m": {"a": 1}}, "m") == {"a": 1}
    assert record.mapping({"m": None}, "m") == {}
    assert record.mapping({}, "m") == {}
    assert record.sequence({"s": [1, 2]}, "s") == [1, 2]
    assert record.sequence({"s": None}, "s") == []
    assert record.sequence({}, "s") == []
    for value in ([1], "x", 3):
        assert reason_of(record.mapping, {"m": value}, "m") == "wrong_type"
    for value in ({"a": 1}, "x", 3):
        assert reason_of(record.sequence, {"s": value}, "s") == "wrong_type"


def test_wrong_type_detail_names_the_field_and_shortens_the_value() -> None:
    with pytest.raises(Reject) as caught:
        record.number({"t": "x" * 500}, "t", "request.temperature")
    assert caught.value.detail.startswith("request.temperature must be a number, got 'xxx")
    assert caught.value.detail.endswith("...")
    assert len(caught.value.detail) < 120


# -- timestamps, IPs, endpoints, ids ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-05-01T12:00:00.123Z", datetime(2026, 5, 1, 12, 0, 0, 123000, tzinfo=UTC)),
        ("2026-05-01T14:00:00+02:00", datetime(2026, 5, 1, 12, 0, tzinfo=UTC)),
        ("2026-05-01T12:00:00", datetime(2026, 5, 1, 12, 0, tzinfo=UTC)),
        ("2026-05-01 12:00:00.5", datetime(2026, 5, 1, 12, 0, 0, 500000, tzinfo=UTC)),
        ("2026-05-01", datetime(2026, 5, 1, tzinfo=UTC)),
        (1_777_636_800, datetime(2026, 5, 1, 12, 0, tzinfo=UTC)),
        (1_777_636_800.25, datetime(2026, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)),
    ],
)
def test_timestamp(value: object, expected: datetime) -> None:
    parsed = record.timestamp(value)
    assert parsed == expected
    assert parsed.tzinfo == UTC


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "missing_timestamp"),
        ("", "missing_timestamp"),
        ("yesterday", "bad_timestamp"),
        ("2026-13-01T00:00:00Z", "bad_timestamp"),
        ("0001-01-01T00:00:00+14:00", "bad_timestamp"),
        ("9999-12-31T23:59:59-14:00", "bad_timestamp"),
        (True, "bad_timestamp"),
        ([2026, 5, 1], "bad_timestamp"),
        ({"seconds": 1}, "bad_timestamp"),
        (1e20, "bad_timestamp"),
        (float("nan"), "bad_timestamp"),
        (float("inf"), "bad_timestamp"),
    ],
)
def test_timestamp_rejects(value: object, reason: str) -> None:
    assert reason_of(record.timestamp, value) == reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"),
        ("::FFFF:198.51.100.1", "198.51.100.1"),
        ("::ffff:c633:6401", "198.51.100.1"),
        ("fe80::1%eth0", "fe80::1%eth0"),
        (None, None),
        ("", None),
    ],
)
def test_ip_address_is_canonical(value: object, expected: str | None) -> None:
    assert record.ip_address(value) == expected


@pytest.mark.parametrize(
    "value", ["999.1.1.1", "not-an-ip", "203.0.113", "1.2.3.4/24", 3232235777, ["1.2.3.4"]]
)
def test_ip_address_rejects(value: object) -> None:
    assert reason_of(record.ip_address, value) == "invalid_ip"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_endpoint_accepts_the_known_paths_with_query_or_trailing_slash(path: str) -> None:
    assert record.endpoint(path) == path
    assert record.endpoint(path + "/") == path
    assert record.endpoint(path + "?api-version=2026-01-01") == path


@pytest.mark.parametrize(
    "value", ["/v1/embeddings", "/v2/messages", "v1/messages", "", None, 1, ["/v1/messages"]]
)
def test_endpoint_rejects_unknown(value: object) -> None:
    assert reason_of(record.endpoint, value) == "unknown_endpoint"


def test_required_id() -> None:
    assert record.required_id("acct", "account_id") == "acct"
    with pytest.raises(Reject, match="missing_identity: account_id is missing"):
        record.required_id(None, "account_id")


# -- read context --------------------------------------------------------------------------------


def test_read_context_caches_valid_ips_and_survives_unhashable_values() -> None:
    ctx = ReadContext(ReadOptions())
    assert ctx.ip("2001:DB8::1") == "2001:db8::1"
    assert ctx.ip("2001:DB8::1") == "2001:db8::1"
    assert ctx.ip(None) is None
    with pytest.raises(Reject, match="invalid_ip"):
        ctx.ip(["1.2.3.4"])
    with pytest.raises(Reject, match="invalid_ip"):
        ctx.ip("999.1.1.1")
    with pytest.raises(Reject, match="invalid_ip"):
        ctx.ip("999.1.1.1")  # an invalid address is not cached as valid


def test_read_context_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ReadContext, "MAX_CACHED_IPS", 4)
    ctx = ReadContext(ReadOptions())
    for i in range(10):
        assert ctx.ip(f"10.0.0.{i}") == f"10.0.0.{i}"
    assert len(ctx._ips) <= 4


def test_read_context_counts_skipped_records() -> None:
    ctx = ReadContext(ReadOptions())
    ctx.skip("span")
    ctx.skip("span")
    assert ctx.skipped == {"span": 2}


def test_read_options_come_from_the_settings() -> None:
    options = ReadOptions.from_settings(Settings.load(environ={}))
    assert options == ReadOptions()
    custom = Settings.load(environ={}, overrides={"otel.account_attribute": "enduser.id"})
    assert ReadOptions.from_settings(custom).otel_account == "enduser.id"
