"""Ledger entries: one canonical line each; anything else is refused with the reason."""

from __future__ import annotations

import orjson
import pytest

from distillguard.evidence.entry import KINDS, Draft, Entry, EntryError, parse


def entry(**payload: object) -> Entry:
    return Entry.chained(Draft("scan", "ana", dict(payload), ref="scan:1"), 1, None)


def test_an_entry_round_trips_through_its_line() -> None:
    made = entry(b=2, a=1)
    line = made.line()
    assert line.startswith(b'{"actor":"ana","kind":"scan","payload":{"a":1,"b":2}')
    assert parse(line) == made
    assert made.digest() == __import__("hashlib").sha256(line).hexdigest()


def test_the_kinds_are_said_once() -> None:
    assert set(KINDS) == {"scan", "verdict", "label", "decision", "case", "controls"}
    with pytest.raises(EntryError, match="unknown entry kind"):
        Draft("gossip", "ana", {})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(kind="gossip"), "unknown kind"),
        (lambda d: d.update(seq="1"), "not an integer"),
        (lambda d: d.pop("prev"), "fields are"),
        (lambda d: d.update(extra=1), "fields are"),
        (lambda d: d.update(time="yesterday"), "ISO 8601"),
        (lambda d: d.update(payload=[1]), "payload"),
        (lambda d: d.update(prev=3), "prev"),
    ],
)
def test_malformed_entries_are_refused(change: object, message: str) -> None:
    data = entry(x=1).to_dict()
    change(data)  # type: ignore[operator]
    with pytest.raises(EntryError, match=message):
        parse(orjson.dumps(data, option=orjson.OPT_SORT_KEYS))


def test_a_line_not_in_canonical_form_is_refused() -> None:
    line = entry(x=1).line()
    with pytest.raises(EntryError, match="canonical"):
        parse(line.replace(b'"x":1', b'"x": 1'))
    with pytest.raises(EntryError, match="not JSON"):
        parse(line[:-3])
    with pytest.raises(EntryError, match="not a JSON object"):
        parse(b"[1]")
