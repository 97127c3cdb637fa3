"""RFC 3161 time-stamps of signed tree heads, from the authority at ``evidence.tsa_url``.

A time-stamp shows that a head (hence every entry under it) existed at a time vouched for by
someone other than the operator, which the operator's own clock and key cannot show.

Decisions:

- **OpenSSL does the ASN.1.** The request (``openssl ts -query``), the reading of the reply
  (``-reply -text``) and the check (``-verify``) are OpenSSL's: the one implementation of
  RFC 3161 every court expert and auditor has, rather than DER hand-built here. The HTTP
  transport (RFC 3161 §3.4: POST ``application/timestamp-query``) is httpx.
- **What is stamped** is ``TreeHead.tsa_digest()``, the SHA-256 of the signed head without
  its token, with the TSA's certificate asked for (``-cert``) so the token checks with just
  the authority's CA (``evidence.tsa_ca``).
- **The token** is the whole TimeStampResp, base64, in the head's ``tsa`` field with the
  URL and the time the authority gave.
"""

from __future__ import annotations

import base64
import binascii
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Final

import httpx

QUERY_TYPE: Final = "application/timestamp-query"
REPLY_TYPE: Final = "application/timestamp-reply"


class TsaError(Exception):
    """The time-stamp could not be obtained or read (the message says why)."""


def _openssl() -> str:
    found = shutil.which("openssl")
    if found is None:
        raise TsaError("openssl is not installed; time-stamps need it (apt-get install openssl)")
    return found


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([_openssl(), "ts", *args], capture_output=True, check=False)


def query(digest: bytes) -> bytes:
    """The DER TimeStampReq for a SHA-256 ``digest`` (with a nonce, asking for the cert)."""
    done = _run("-query", "-digest", digest.hex(), "-sha256", "-cert")
    if done.returncode != 0 or not done.stdout:
        raise TsaError(f"openssl ts -query failed: {done.stderr.decode(errors='replace')}")
    return done.stdout


def _reply_text(reply: bytes, folder: Path) -> str:
    path = folder / "reply.tsr"
    path.write_bytes(reply)
    done = _run("-reply", "-in", str(path), "-text")
    if done.returncode != 0:
        raise TsaError("the authority's answer is not an RFC 3161 time-stamp response")
    return done.stdout.decode(errors="replace")


def _field(text: str, name: str) -> str | None:
    for line in text.splitlines():
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    return None


def stamp(digest: bytes, url: str, timeout: float) -> dict[str, Any]:
    """Ask the authority at ``url`` to time-stamp ``digest``; the token as a head stores it."""
    request = query(digest)
    try:
        response = httpx.post(
            url, content=request, headers={"Content-Type": QUERY_TYPE}, timeout=timeout
        )
    except httpx.HTTPError as exc:
        raise TsaError(f"cannot reach the time-stamping authority {url}: {exc}") from exc
    if response.status_code != 200:
        raise TsaError(f"the time-stamping authority {url} answered {response.status_code}")
    if response.headers.get("content-type", "").split(";")[0].strip() != REPLY_TYPE:
        raise TsaError(f"the time-stamping authority {url} did not answer {REPLY_TYPE}")
    with tempfile.TemporaryDirectory() as folder:
        text = _reply_text(response.content, Path(folder))
    status = _field(text, "Status")
    if status is None or not status.startswith("Granted"):
        raise TsaError(f"the time-stamping authority {url} refused: {status or 'no status'}")
    return {
        "url": url,
        "time": _field(text, "Time stamp"),
        "token": base64.b64encode(response.content).decode(),
    }


def check(token: dict[str, Any], digest: bytes, ca_file: Path) -> list[str]:
    """What is wrong with ``token`` as a time-stamp of ``digest`` by an authority whose
    certificate chains to ``ca_file`` (empty when it is good)."""
    try:
        reply = base64.b64decode(str(token.get("token", "")), validate=True)
    except (binascii.Error, ValueError):
        return ["the time-stamp token is not base64"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reply.tsr"
        path.write_bytes(reply)
        done = _run("-verify", "-digest", digest.hex(), "-in", str(path), "-CAfile", str(ca_file))
    if done.returncode != 0 or b"Verification: OK" not in done.stdout:
        why = done.stderr.decode(errors="replace").strip().splitlines()
        return [
            "the time-stamp does not verify against the head and the authority's CA"
            + (f" ({why[-1]})" if why else "")
        ]
    return []
