"""Signed tree heads: a good signature checks; a forged, edited or foreign one does not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from distillguard.evidence import merkle
from distillguard.evidence.keys import EvidenceKey
from distillguard.evidence.signing import (
    HeadError,
    HeadStore,
    TreeHead,
    from_dict,
    problems,
    read_head,
    sign,
    unsigned,
)

ROOT = merkle.root([merkle.leaf_hash(b"a"), merkle.leaf_hash(b"b")])


@pytest.fixture(scope="module")
def key() -> EvidenceKey:
    return EvidenceKey.generate()


def test_a_signed_head_checks(key: EvidenceKey) -> None:
    head = sign(key, 2, ROOT)
    assert (head.tree_size, head.root_hash, head.key_id) == (2, ROOT.hex(), key.key_id)
    assert problems(head) == []
    assert problems(head, trusted=key.key_id) == []
    assert from_dict(orjson.loads(orjson.dumps(head.to_dict())), "x") == head


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tree_size": 3}, "signature does not match"),
        ({"root_hash": merkle.EMPTY_ROOT.hex()}, "signature does not match"),
        ({"timestamp": "2020-01-01T00:00:00+00:00"}, "signature does not match"),
        ({"signature": "00" * 64}, "signature does not match"),
        ({"key_id": "0" * 64}, "key_id is not"),
        ({"signature": "zz"}, "not hex"),
        ({"signature": None}, "not signed"),
    ],
)
def test_an_edited_head_fails(key: EvidenceKey, change: dict[str, object], message: str) -> None:
    head = replace(sign(key, 2, ROOT), **change)  # type: ignore[arg-type]
    assert any(message in p for p in problems(head))


def test_a_head_forged_with_another_key_fails_against_the_evidence_key(key: EvidenceKey) -> None:
    forged = sign(EvidenceKey.generate(), 2, ROOT)
    assert problems(forged) == []  # self-consistent...
    assert any("not the evidence key" in p for p in problems(forged, trusted=key.key_id))
    # ...and another key's public key pasted in front of our key id fails too.
    pasted = replace(forged, key_id=key.key_id)
    assert problems(pasted, trusted=key.key_id)


def test_the_tsa_digest_covers_the_signature_not_the_token(key: EvidenceKey) -> None:
    head = sign(key, 2, ROOT)
    assert head.with_tsa({"token": "x"}).tsa_digest() == head.tsa_digest()
    assert replace(head, signature="00" * 64).tsa_digest() != head.tsa_digest()
    assert problems(head.with_tsa({"token": "x"})) == []


def test_heads_are_kept_in_order(tmp_path: Path, key: EvidenceKey) -> None:
    store = HeadStore(tmp_path)
    assert store.heads() == []
    first, second = unsigned(0, merkle.EMPTY_ROOT), sign(key, 2, ROOT)
    store.add(first)
    store.add(second)
    with store.path.open("ab") as handle:
        handle.write(b"garbage\n[1]\n")
    found = store.heads()
    assert found[:2] == [(1, first), (2, second)]
    assert isinstance(found[2][1], HeadError)
    assert isinstance(found[3][1], HeadError)


def test_head_files(tmp_path: Path, key: EvidenceKey) -> None:
    path = tmp_path / "head.json"
    head: TreeHead = sign(key, 2, ROOT)
    path.write_bytes(orjson.dumps(head.to_dict()))
    assert read_head(path) == head
    for data, message in (
        (b"{", "not JSON"),
        (b"[]", "not a tree head"),
        (orjson.dumps({**head.to_dict(), "format": "x"}), "not a distillguard tree head"),
        (orjson.dumps({**head.to_dict(), "tree_size": -1}), "not a count"),
        (orjson.dumps({**head.to_dict(), "root_hash": "ab"}), "not a SHA-256"),
        (orjson.dumps({**head.to_dict(), "key_id": 5}), "not text"),
    ):
        path.write_bytes(data)
        with pytest.raises(HeadError, match=message):
            read_head(path)
    with pytest.raises(HeadError, match="does not exist"):
        read_head(tmp_path / "none.json")
