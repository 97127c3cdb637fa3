"""Time-stamps from a real RFC 3161 authority (``openssl ts -reply`` behind HTTP)."""

from __future__ import annotations

import base64
import hashlib
import subprocess
from pathlib import Path

import pytest

from distillguard.evidence import tsa
from distillguard.evidence.entry import Draft
from distillguard.evidence.head import current_head
from distillguard.evidence.keys import EvidenceKey, save
from distillguard.evidence.ledger import Ledger, evidence_dir
from distillguard.evidence.verify import verify
from distillguard.settings import Settings
from tests.evidence.conftest import Authority

DIGEST = hashlib.sha256(b"a signed head").digest()


def test_a_time_stamp_is_granted_and_verifies(authority: Authority) -> None:
    token = tsa.stamp(DIGEST, authority.url, 10.0)
    assert token["url"] == authority.url
    assert str(token["time"]).endswith("GMT")
    assert base64.b64decode(token["token"])
    assert tsa.check(token, DIGEST, authority.ca) == []


def test_a_time_stamp_of_something_else_fails(authority: Authority) -> None:
    token = tsa.stamp(DIGEST, authority.url, 10.0)
    other = hashlib.sha256(b"another head").digest()
    assert tsa.check(token, other, authority.ca)
    assert tsa.check({"token": "%%%"}, DIGEST, authority.ca) == [
        "the time-stamp token is not base64"
    ]
    raw = bytearray(base64.b64decode(token["token"]))
    raw[len(raw) // 2] ^= 0xFF
    assert tsa.check({"token": base64.b64encode(bytes(raw)).decode()}, DIGEST, authority.ca)


def test_a_token_from_an_authority_we_do_not_trust_fails(
    authority: Authority, tmp_path: Path
) -> None:
    token = tsa.stamp(DIGEST, authority.url, 10.0)
    stranger = tmp_path / "other-ca.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", str(tmp_path / "k"), "-out", str(stranger), "-subj", "/CN=X"],
        check=True, capture_output=True,
    )  # fmt: skip
    assert tsa.check(token, DIGEST, stranger)


def test_an_unreachable_or_wrong_authority_is_an_error(authority: Authority) -> None:
    with pytest.raises(tsa.TsaError, match="cannot reach"):
        tsa.stamp(DIGEST, "http://127.0.0.1:9/tsa", 2.0)
    with pytest.raises(tsa.TsaError, match="openssl ts -query failed"):
        tsa.stamp(b"\x00" * 5, authority.url, 10.0)  # not a SHA-256


def test_the_head_is_stamped_and_the_token_checked_by_verify(
    authority: Authority, tmp_path: Path
) -> None:
    save(EvidenceKey.generate(), evidence_dir(tmp_path) / "key.json")
    Ledger(tmp_path).append([Draft("case", "ana", {"event": "opened"})])
    settings = Settings.load(environ={}, overrides={"evidence.tsa_url": authority.url})
    head, notes = current_head(tmp_path, settings)
    assert head.tsa is not None, notes
    assert tsa.check(head.tsa, head.tsa_digest(), authority.ca) == []
    assert verify(tmp_path, ca=authority.ca).ok
    unchecked = verify(tmp_path)
    assert any("time-stamp not checked" in n for n in unchecked.notes)
    # A token moved onto another head no longer verifies.
    later, _ = current_head(tmp_path, Settings.load(environ={}))
    assert later.tsa is None
    moved = later.with_tsa(head.tsa)
    assert tsa.check(moved.tsa or {}, moved.tsa_digest(), authority.ca)
