"""A tour of the loop: simulated traffic through the gateway, with the official SDK clients.

``python -m distillguard.gateway.tour --workspace WS --traffic LOG_DIR --log-dir OUT`` (what
``make demo`` runs after the scan):

1. picks, from the latest scan, two accounts of the highest-scoring flagged cluster that has two
   throttled (not refused) campaign members (the cluster `case open --top` takes when it
   qualifies) and one clear, verified account, and issues each a gateway key;
2. starts the stand-in upstream and the gateway in front of it (the shipped default policy);
3. replays each account's own simulated requests through the gateway with the ``openai`` and
   ``anthropic`` clients: the cluster's accounts share one throttled budget (429 once it is
   spent) and get degraded answers; the clear account is untouched;
4. labels one cluster account a campaign, as an analyst would, waits for the gateway to pick
   the label up without a restart, and shows it blocked (403);
5. stops both; ``distillguard ingest OUT`` then reads the gateway's log like any raw log.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anthropic
import httpx
import openai
import orjson
import zstandard

from distillguard.detect.labels import label_account
from distillguard.gateway.keys import KeyStore
from distillguard.settings import Settings
from distillguard.workspace import Workspace

REFRESH_SECONDS = 1.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1.0).status_code < 500:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in {seconds:g} s")


@contextlib.contextmanager
def _running(command: list[str], health: str, env: dict[str, str]) -> Iterator[None]:
    process = subprocess.Popen(command, env=env)
    try:
        _wait(health, process)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _choose(ws: Workspace) -> tuple[list[str], str]:
    with ws.connect() as con:
        # members the policy throttles rather than refuses outright (not programme sign-ups
        # awaiting verification, not billed in a restricted country), to show the graduation
        throttled = (
            "(a.verified OR a.program = 'none') AND coalesce(a.billing_country, '') NOT IN "
            "(SELECT unnest(string_split(?, ',')))"
        )
        restricted = Settings.load().text("detect.restricted_countries")
        cluster = con.execute(
            "SELECT s.cluster_id FROM account_scores s JOIN clusters c USING (cluster_id) "
            f"JOIN accounts a USING (account_id) WHERE c.flagged AND s.verdict = 'campaign' "
            f"AND {throttled} GROUP BY 1 HAVING count(*) >= 2 "
            # the order of `case open --top`, so that the demo's case is the toured cluster
            "ORDER BY max(c.score) DESC, max(c.n_accounts) DESC, 1 LIMIT 1",
            [restricted],
        ).fetchone()
        clear = con.execute(
            "SELECT s.account_id FROM account_scores s JOIN accounts a USING (account_id) "
            f"WHERE s.verdict = 'clear' AND a.verified AND s.cluster_id IS NULL AND {throttled} "
            "ORDER BY s.n_interactions DESC, 1 LIMIT 1",
            [restricted],
        ).fetchone()
        if cluster is None or clear is None:
            raise SystemExit("the tour needs a scanned workspace with a flagged cluster")
        members = [
            r[0]
            for r in con.execute(
                "SELECT s.account_id FROM account_scores s JOIN accounts a USING (account_id) "
                f"WHERE s.cluster_id = ? AND s.verdict = 'campaign' AND {throttled} "
                "ORDER BY s.n_interactions DESC, 1 LIMIT 2",
                [cluster[0], restricted],
            ).fetchall()
        ]
    return members, str(clear[0])


def _records(traffic: Path, accounts: set[str], per_account: int) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {a: [] for a in accounts}
    for path in sorted(traffic.rglob("*.jsonl*")):
        opener: Any = gzip.open if path.suffix == ".gz" else open
        if path.suffix == ".zst":
            stream: Any = zstandard.open(path, "rb")
        else:
            stream = opener(path, "rb")
        with stream:
            for line in stream:
                record = orjson.loads(line)
                mine = found.get(record.get("account_id"))
                if mine is not None and len(mine) < per_account:
                    mine.append(record)
        if all(len(v) >= per_account for v in found.values()):
            break
    return found


def _send(base: str, key: str, record: dict[str, Any]) -> str:
    """One simulated call through the gateway; what the client saw."""
    body = dict(record["request"])
    endpoint = record["endpoint"]
    stream = body.pop("stream", False) is True
    try:
        if endpoint == "/v1/messages":
            claude = anthropic.Anthropic(api_key=key, base_url=base, max_retries=0)
            message: Any
            if stream:
                with claude.messages.stream(**body) as events:
                    message = events.get_final_message()
            else:
                message = claude.messages.create(**body)
            asked = "thinking" in body
            thought = any(block.type == "thinking" for block in message.content)
            return "degraded" if asked and not thought else "answered"
        client = openai.OpenAI(api_key=key, base_url=base + "/v1", max_retries=0)
        if endpoint == "/v1/chat/completions":
            body.pop("stream_options", None)
            if stream:
                chunks = list(client.chat.completions.create(**body, stream=True))
                got_logprobs = any(c.choices and c.choices[0].logprobs for c in chunks)
            else:
                answer = client.chat.completions.create(**body)
                got_logprobs = bool(answer.choices and answer.choices[0].logprobs)
            asked_n = body.get("n") or 1
            degraded = (body.get("logprobs") and not got_logprobs) or (asked_n > 1 and stream)
            return "degraded" if degraded else "answered"
        if endpoint == "/v1/responses":
            if stream:
                list(client.responses.create(**body, stream=True))
            else:
                client.responses.create(**body)
            return "answered"
        completion = client.completions.create(**body)
        asked = body.get("logprobs") is not None
        return "degraded" if asked and not completion.choices[0].logprobs else "answered"
    except (openai.RateLimitError, anthropic.RateLimitError):
        return "throttled (429)"
    except (openai.PermissionDeniedError, anthropic.PermissionDeniedError) as exc:
        return "blocked (403)" if "suspended" in str(exc) else "refused (403)"
    except (openai.APIStatusError, anthropic.APIStatusError) as exc:
        return f"error {exc.status_code}"


def _replay(
    base: str, keys: dict[str, str], records: dict[str, list[Any]]
) -> dict[str, Counter[str]]:
    seen: dict[str, Counter[str]] = {a: Counter() for a in keys}
    queues = {a: list(r) for a, r in records.items()}
    while any(queues.values()):  # interleaved, as a pool spreads its calls over accounts
        for account, queue in queues.items():
            if queue:
                seen[account][_send(base, keys[account], queue.pop(0))] += 1
    return seen


def _show(title: str, seen: dict[str, Counter[str]], roles: dict[str, str]) -> None:
    print(f"\n{title}")
    for account, outcomes in seen.items():
        shown = ", ".join(f"{what} {n}" for what, n in sorted(outcomes.items()))
        print(f"  {account:<28} {roles[account]:<26} {shown}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--traffic", type=Path, required=True, help="the simulated raw log")
    parser.add_argument("--log-dir", type=Path, required=True, help="the gateway's log folder")
    parser.add_argument("--calls", type=int, default=30, help="calls replayed per account")
    args = parser.parse_args(argv)
    ws = Workspace(args.workspace)
    members, clear = _choose(ws)
    roles = {members[0]: "flagged cluster member", clear: "clear, verified"}
    if len(members) > 1:
        roles[members[1]] = "same cluster, other account"
    store = KeyStore(ws.root)
    keys = {account: store.create(account)[1] for account in roles}
    records = _records(args.traffic, set(roles), args.calls)
    up_port, gw_port = _free_port(), _free_port()
    env = {**os.environ, "DISTILLGUARD_GATEWAY_REFRESH_SECONDS": str(REFRESH_SECONDS)}
    bin_dir = Path(sys.executable).parent
    standin = [sys.executable, "-m", "distillguard.gateway.standin", "--port", str(up_port)]
    gateway = [
        str(bin_dir / "distillguard"),
        "gateway",
        "--workspace",
        str(ws.root),
        "--upstream",
        f"http://127.0.0.1:{up_port}",
        "--port",
        str(gw_port),
        "--log-dir",
        str(args.log_dir),
    ]
    base = f"http://127.0.0.1:{gw_port}"
    with (
        _running(standin, f"http://127.0.0.1:{up_port}/v1/models", env),
        _running(gateway, base + "/healthz", env),
    ):
        seen = _replay(base, keys, records)
        _show("through the gateway, with the latest scan's verdicts:", seen, roles)
        label_account(ws, members[0], "campaign", note="confirmed in the gateway tour")
        time.sleep(REFRESH_SECONDS * 3)
        again = _replay(base, {members[0]: keys[members[0]]}, {members[0]: records[members[0]][:3]})
        _show(f"after an analyst labels {members[0]} a campaign:", again, roles)
    print(f"\nthe gateway's log is in {args.log_dir}; ingest it with `distillguard ingest`")


if __name__ == "__main__":
    main()
