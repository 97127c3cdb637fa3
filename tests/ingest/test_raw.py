"""The raw API log reader: identity and client fields, verdicts on bad records, robustness."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from distillguard.ingest import raw
from distillguard.ingest.record import PARSED_NAMES, REASONS, ReadContext, ReadOptions, Rejected
from tests import factories as f


@pytest.mark.parametrize("factory", f.RECORD_FACTORIES)
def test_every_endpoint_gives_one_complete_row(factory: f.RecordFactory) -> None:
    row = f.parse(factory())
    assert tuple(row) == PARSED_NAMES
    assert row["request_id"] == "req_0001"
    assert row["ts"] == datetime(2026, 5, 1, 12, 0, 0, 123000, tzinfo=UTC)
    assert row["day"] == date(2026, 5, 1)
    assert (row["account_id"], row["key_id"], row["org_id"]) == ("acct_9", "key_3", "org_2")
    assert row["client_ip"] == "203.0.113.7"
    assert (row["status"], row["latency_ms"]) == (200, 812.5)
    assert row["source_format"] == "raw"
    assert row["source_file"] is None
    assert row["source_line"] is None
    for name in ("country", "asn_name", "network_kind", "network_provider", "ingest_id"):
        assert name not in row


def test_rows_convert_to_the_parsed_schema() -> None:
    rows = [f.parse(factory(request_id=f"req_{i}")) for i, factory in enumerate(f.RECORD_FACTORIES)]
    rows.append(f.parse(f.chat_record(request_id="req_err", response=f.openai_error(), status=429)))
    rows.append(f.parse(f.messages_record(request_id="req_x", response=f.anthropic_error())))
    rows.append(f.parse(f.chat_record(request_id="req_bare", request=None, response=None)))
    table = f.to_table(rows)
    assert table.num_rows == 7
    assert table.column("request_id").to_pylist()[:2] == ["req_0", "req_1"]
    assert table.column("tool_names").to_pylist()[1] == ["get_weather", "web_search"]


def test_user_agent_and_optional_fields() -> None:
    row = f.parse(f.messages_record())
    assert row["user_agent"] == "Anthropic/Python 2.14.0"
    row = f.parse(f.chat_record(org_id=None, key_id=None, latency_ms=None, user_agent=None))
    assert (row["org_id"], row["key_id"], row["latency_ms"], row["user_agent"]) == (None,) * 4
    rec = f.chat_record()
    for name in ("org_id", "key_id", "end_user", "latency_ms", "response", "client_ip", "status"):
        del rec[name]
    row = f.parse(rec)
    assert row["response_text"] is None
    assert row["client_ip"] is None
    assert row["status"] is None
    assert row["user_text"] == f.USER_TEXT


def test_integer_ids_are_read_as_text() -> None:
    row = f.parse(f.chat_record(request_id=1234, account_id=99, key_id=3, org_id=2, end_user=7))
    assert (row["request_id"], row["account_id"], row["key_id"]) == ("1234", "99", "3")
    assert (row["org_id"], row["end_user"]) == ("2", "7")


@pytest.mark.parametrize(
    ("client_ip", "expected"),
    [
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        (" 198.51.100.20\n", "198.51.100.20"),
        ("", None),
    ],
)
def test_client_ip_is_canonical(client_ip: str, expected: str | None) -> None:
    assert f.parse(f.chat_record(client_ip=client_ip))["client_ip"] == expected


@pytest.mark.parametrize(
    ("ts", "expected"),
    [
        ("2026-05-01T23:30:00-02:00", datetime(2026, 5, 2, 1, 30, tzinfo=UTC)),
        ("2026-05-01T12:00:00", datetime(2026, 5, 1, 12, tzinfo=UTC)),
        (1_777_636_800, datetime(2026, 5, 1, 12, tzinfo=UTC)),
        (1_777_636_800.5, datetime(2026, 5, 1, 12, 0, 0, 500000, tzinfo=UTC)),
    ],
)
def test_timestamps_become_utc_and_day_follows(ts: object, expected: datetime) -> None:
    row = f.parse(f.responses_record(ts=ts))
    assert row["ts"] == expected
    assert row["day"] == expected.date()


def test_endpoint_is_normalised() -> None:
    rec = f.messages_record(endpoint="/v1/messages/?beta=true")
    assert f.parse(rec)["endpoint"] == "/v1/messages"


def test_end_user_of_the_log_wins_over_the_body() -> None:
    assert f.parse(f.chat_record())["end_user"] == "body-user-1"
    assert f.parse(f.chat_record(end_user="log-user"))["end_user"] == "log-user"
    assert f.parse(f.chat_record(end_user=""))["end_user"] == "body-user-1"
    assert f.parse(f.responses_record())["end_user"] == "safety-hash-7"
    assert f.parse(f.responses_record(end_user="log-user"))["end_user"] == "log-user"
    assert f.parse(f.messages_record())["end_user"] == "anthropic-user-5"
    assert f.parse(f.messages_record(end_user="log-user"))["end_user"] == "log-user"
    assert f.parse(f.completions_record(end_user=42))["end_user"] == "42"


def test_model_falls_back_to_the_responding_model() -> None:
    for factory, requested, answered in [
        (f.chat_record, "gpt-5.2", "gpt-5.2-2026-01-15"),
        (f.responses_record, "gpt-5.2", "gpt-5.2-2026-01-15"),
        (f.messages_record, "claude-opus-4-5", "claude-opus-4-5-20251101"),
    ]:
        assert f.parse(factory())["model"] == requested
        assert f.parse(factory(params={"model": None}))["model"] == answered
    assert f.parse(f.chat_record(params={"model": None}, response=None))["model"] is None
    assert (
        f.parse(f.chat_record(params={"model": None}, response=f.openai_error()))["model"] is None
    )


def test_looks_like() -> None:
    assert raw.looks_like(f.chat_record())
    assert not raw.looks_like({"request_id": "r"})
    assert not raw.looks_like({"resourceSpans": []})


# -- verdicts on bad records --------------------------------------------------------------------


def _without(name: str) -> dict[str, Any]:
    rec = f.chat_record()
    del rec[name]
    return rec


@pytest.mark.parametrize(
    ("rec", "reason"),
    [
        ([f.chat_record()], "not_object"),
        ("a string", "not_object"),
        (None, "not_object"),
        (_without("request_id"), "missing_identity"),
        (f.chat_record(request_id=""), "missing_identity"),
        (f.chat_record(request_id=None), "missing_identity"),
        (_without("account_id"), "missing_identity"),
        (f.chat_record(account_id=None), "missing_identity"),
        (_without("ts"), "missing_timestamp"),
        (f.chat_record(ts=""), "missing_timestamp"),
        (f.chat_record(ts="last Tuesday"), "bad_timestamp"),
        (f.chat_record(ts="2026-02-30T00:00:00Z"), "bad_timestamp"),
        (f.chat_record(ts=True), "bad_timestamp"),
        (f.chat_record(ts="0001-01-01T00:00:00+14:00"), "bad_timestamp"),
        (f.chat_record(endpoint="/v1/embeddings"), "unknown_endpoint"),
        (_without("endpoint"), "unknown_endpoint"),
        (f.chat_record(endpoint=["/v1/chat/completions"]), "unknown_endpoint"),
        (f.chat_record(request_id=1.5), "wrong_type"),
        (f.chat_record(account_id=["acct"]), "wrong_type"),
        (f.chat_record(key_id={"id": 1}), "wrong_type"),
        (f.chat_record(user_agent=5), "wrong_type"),
        (f.chat_record(end_user=True), "wrong_type"),
        (f.chat_record(status="200"), "wrong_type"),
        (f.chat_record(status=200.5), "wrong_type"),
        (f.chat_record(status=70000), "wrong_type"),
        (f.chat_record(latency_ms="812ms"), "wrong_type"),
        (f.chat_record(latency_ms=10**400), "wrong_type"),
        (f.chat_record(params={"n": 2**40}), "wrong_type"),
        (f.chat_record(request="{}"), "wrong_type"),
        (f.chat_record(request=[{"model": "gpt-5.2"}]), "wrong_type"),
        (f.chat_record(response="ok"), "wrong_type"),
        (f.chat_record(params={"temperature": "0.7"}), "wrong_type"),
        (f.chat_record(params={"messages": {"role": "user", "content": "hi"}}), "wrong_type"),
        (f.messages_record(params={"messages": "hi"}), "wrong_type"),
        (f.chat_record(client_ip="999.1.1.1"), "invalid_ip"),
        (f.chat_record(client_ip="not-an-ip"), "invalid_ip"),
        (f.chat_record(client_ip=3405803783), "invalid_ip"),
    ],
)
def test_bad_records_are_rejected_with_a_reason(rec: object, reason: str) -> None:
    assert f.rejection(rec) == reason


def test_identity_is_checked_before_the_bodies() -> None:
    rec = f.chat_record(account_id=None, params={"temperature": "hot"}, client_ip="bad")
    assert f.rejection(rec) == "missing_identity"


def test_a_rejection_explains_itself() -> None:
    result = f.read_one(f.chat_record(params={"temperature": "0.7"}))
    assert isinstance(result, Rejected)
    assert result.reject.detail == "request.temperature must be a number, got '0.7'"
    assert (result.item, result.raw) == (None, None)


def test_one_context_serves_many_records() -> None:
    ctx = ReadContext(ReadOptions())
    records = [f.chat_record(request_id=f"r{i}", client_ip=f"10.0.{i % 3}.1") for i in range(9)]
    records.append(f.chat_record(client_ip="10.0.0.999"))
    results = [result for rec in records for result in raw.read(rec, ctx)]
    assert [r["client_ip"] for r in results[:3] if isinstance(r, dict)] == [
        "10.0.0.1",
        "10.0.1.1",
        "10.0.2.1",
    ]
    assert isinstance(results[-1], Rejected)
    assert results[-1].reject.reason == "invalid_ip"


# -- property: arbitrary JSON anywhere never breaks the reader ----------------------------------


def _iso(moment: datetime, minutes: int) -> str:
    return moment.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat()


EDGES = st.sampled_from([2**15, 2**31, 2**63, -(2**63) - 1, 10**400, 1e300, -0.0, "", "0"])
TIMES = st.builds(_iso, st.datetimes(), st.integers(-14 * 60, 14 * 60))
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
JSON = st.recursive(
    EDGES | TIMES | SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
VALID = [factory() for factory in f.RECORD_FACTORIES] + [
    f.chat_record(response=f.chat_response(refusal="No.", tool_calls=["a"], logprobs=True)),
    f.chat_record(response=f.openai_error(), status=429),
    f.messages_record(params={"system": f.SYSTEM_BLOCKS}, response=f.anthropic_error()),
]
_READ = """
    model stream messages input instructions prompt system temperature top_p n max_tokens
    max_completion_tokens max_output_tokens logprobs top_logprobs include reasoning thinking
    tools choices output usage error stop_reason status incomplete_details metadata user
    safety_identifier response_format text output_config
"""
READ_NAMES = _READ.split()
"""Names the body readers look up, so that drawn values often land where they are read."""


def _paths(value: object, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside a JSON value."""
    found = [path] if path else []
    if isinstance(value, dict):
        children: list[tuple[Any, object]] = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    else:
        children = []
    for key, child in children:
        found.extend(_paths(child, (*path, key)))
    return found


def _places(rec: dict[str, Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    """A record field, a field of a body, or any place at all, with about equal odds."""
    fields = [(name,) for name in (*f.RECORD_DEFAULTS, "endpoint", "request", "response")]
    bodies = [
        (part, name)
        for part in ("request", "response")
        if isinstance(rec.get(part), dict)
        for name in sorted({*rec[part], *READ_NAMES})
    ]
    return (
        st.sampled_from(fields) | st.sampled_from(bodies or fields) | st.sampled_from(_paths(rec))
    )


def _put(rec: dict[str, Any], path: tuple[Any, ...], value: object) -> None:
    target: Any = rec
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


@settings(
    max_examples=600, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data(), base=st.sampled_from(VALID))
def test_arbitrary_json_anywhere_gives_a_row_or_a_rejection(
    data: st.DataObject, base: dict[str, Any]
) -> None:
    rec = copy.deepcopy(base)
    for _ in range(data.draw(st.integers(1, 4), label="changes")):
        path = data.draw(_places(rec), label="place")
        _put(rec, path, data.draw(JSON, label="value"))
    results = list(raw.read(rec, ReadContext(ReadOptions())))
    assert len(results) == 1
    (result,) = results
    if isinstance(result, Rejected):
        assert result.reject.reason in REASONS
    else:
        assert tuple(result) == PARSED_NAMES
        f.to_table([result])


@settings(max_examples=200, deadline=None, database=None)
@given(value=JSON)
def test_arbitrary_json_records_never_break_the_reader(value: object) -> None:
    (result,) = raw.read(value, ReadContext(ReadOptions()))
    assert isinstance(result, Rejected | dict)
