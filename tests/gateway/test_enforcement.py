"""The scan's verdicts and the analysts' labels, enforced: the loop's return half."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from distillguard.detect.labels import label_account
from tests.conftest import Scanned
from tests.gateway.harness import Rig, rig

ASK = {
    "model": "m",
    "messages": [{"role": "user", "content": "Describe how a bill becomes a law in detail."}],
    "logprobs": True,
    "top_logprobs": 5,
}


@pytest.fixture
def enforced(scanned: Scanned, tmp_path: Path) -> Iterator[tuple[Rig, list[str], str]]:
    root = tmp_path / "ws"
    shutil.copytree(scanned.workspace.root, root)
    members = [
        r[0]
        for r in scanned.rows(
            "SELECT s.account_id FROM account_scores s JOIN clusters c USING (cluster_id) "
            "JOIN accounts a USING (account_id) WHERE c.flagged AND s.verdict = 'campaign' "
            "AND s.label IS NULL AND (a.verified OR a.program = 'none') AND s.cluster_id = ("
            " SELECT cluster_id FROM account_scores JOIN accounts USING (account_id) "
            " WHERE verdict = 'campaign' AND (verified OR program = 'none') "
            " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) ORDER BY 1 LIMIT 2"
        )
    ]
    clear = scanned.rows(
        "SELECT s.account_id FROM account_scores s JOIN accounts a USING (account_id) "
        "WHERE s.verdict = 'clear' AND a.verified AND a.program = 'none' "
        "AND coalesce(a.billing_country, '') NOT IN ('BY','CN','CU','IR','KP','RU','SY') "
        "ORDER BY 1 LIMIT 1"
    )[0][0]
    assert len(members) == 2
    with rig(root, tmp_path / "log") as started:
        yield started, members, clear


def _chat(gw: Rig, key: str) -> httpx.Response:
    return httpx.post(
        gw.base + "/v1/chat/completions",
        json=ASK,
        headers={"authorization": f"Bearer {key}"},
        timeout=20,
    )


def test_a_clear_account_is_untouched(enforced: tuple[Rig, list[str], str]) -> None:
    gw, _, clear = enforced
    answer = _chat(gw, gw.key(clear))
    direct = httpx.post(gw.upstream + "/v1/chat/completions", json=ASK, timeout=20)
    assert answer.status_code == 200
    assert answer.json()["choices"] == direct.json()["choices"]  # logprobs and text as sent
    assert gw.records()[-1]["decision"]["action"] == "allow"


def test_a_flagged_cluster_shares_one_throttled_budget_and_is_degraded(
    enforced: tuple[Rig, list[str], str],
) -> None:
    gw, members, _ = enforced
    keys = [gw.key(m) for m in members]
    statuses = [_chat(gw, keys[i % 2]) for i in range(16)]
    passed = [a for a in statuses if a.status_code == 200]
    # the shipped policy: cluster 120 requests / minute, throttled to a tenth, for both
    assert len(passed) == 12
    assert all(a.status_code == 429 for a in statuses[12:])
    assert statuses[12].json()["error"]["message"].startswith("Rate limit reached for this cluster")
    assert all(a.json()["choices"][0]["logprobs"] is None for a in passed)
    records = gw.records()
    assert {r["account_id"] for r in records} == set(members)
    assert all(r["decision"]["action"] == "throttle" for r in records)
    assert records[0]["decision"]["measures"]["watermark"] is True
    assert records[0]["upstream_request"]["max_completion_tokens"] == 2048


def test_an_analyst_label_blocks_without_a_restart(
    enforced: tuple[Rig, list[str], str],
) -> None:
    gw, members, _ = enforced
    key = gw.key(members[0])
    assert _chat(gw, key).status_code == 200
    label_account(gw.workspace_handle(), members[0], "campaign", note="confirmed")
    deadline = time.monotonic() + 10
    answer = _chat(gw, key)
    while answer.status_code == 200 and time.monotonic() < deadline:
        time.sleep(0.2)
        answer = _chat(gw, key)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "account_suspended"
    with pytest.raises(openai.PermissionDeniedError):
        gw.openai(key).chat.completions.create(
            model="m",
            messages=ASK["messages"],  # type: ignore[arg-type]
        )
    assert gw.records()[-1]["decision"]["rules"] == ["analyst-confirmed-campaign"]
