from __future__ import annotations

from pathlib import Path

import pytest

from distillguard.detect.signals import SIGNAL_NAMES
from distillguard.gateway.core import ACTIONS, Measures
from distillguard.gateway.policy import FACTS, Policy, PolicyError, compile_condition, load, parse
from distillguard.schema.interactions import GATEWAY_ACTIONS

RESTRICTED = "BY,CN,CU,IR,KP,RU,SY"


def _policy(text: str) -> Policy:
    return parse(text, "test.toml", RESTRICTED)


def test_the_shipped_default_loads_and_leaves_an_ordinary_account_alone() -> None:
    policy = load(None, RESTRICTED)
    decision, refusing = policy.decide({"verified": True, "program": "none", "api": "chat"})
    assert decision.action == "allow"
    assert decision.rules == ()
    assert refusing is None
    assert policy.restricted_countries == frozenset(RESTRICTED.split(","))


def test_default_graduates_from_watermark_to_block() -> None:
    policy = load(None, RESTRICTED)
    member, _ = policy.decide({"verdict": "campaign", "verified": True})
    assert member.action == "throttle"
    assert member.measures.throttle == pytest.approx(0.1)
    assert member.measures.watermark
    assert member.measures.strip_logprobs
    assert member.measures.reasoning == "withhold"
    alone, _ = policy.decide({"verdict": "suspicious", "verified": True})
    assert alone.action == "degrade"
    assert alone.measures.watermark
    confirmed, refusing = policy.decide({"label": "campaign", "verdict": "campaign"})
    assert confirmed.action == "block"
    assert refusing is not None
    assert refusing.code == "account_suspended"
    assert confirmed.rules == ("analyst-confirmed-campaign",)  # final: nothing after it


def test_benign_label_is_final_and_keeps_the_account_out_of_later_rules() -> None:
    policy = load(None, RESTRICTED)
    decision, _ = policy.decide({"label": "benign", "verdict": "campaign", "program": "research"})
    assert decision.action == "allow"
    assert decision.rules == ("analyst-cleared",)


def test_a_restricted_region_is_blocked_even_for_a_benign_label() -> None:
    policy = load(None, RESTRICTED)
    decision, refusing = policy.decide({"restricted_ip": True, "label": "benign"})
    assert decision.action == "block"
    assert refusing is not None
    assert refusing.code == "unsupported_country_region_territory"


def test_programme_sign_ups_need_verification() -> None:
    policy = load(None, RESTRICTED)
    decision, refusing = policy.decide({"program": "research", "verified": False})
    assert decision.action == "require_verification"
    assert refusing is not None
    assert refusing.code == "verification_required"
    decision, _ = policy.decide({"program": "research", "verified": True})
    assert decision.action == "allow"


def test_every_matching_rule_applies_and_the_strictest_measures_combine() -> None:
    policy = _policy(
        """
        [[rules]]
        name = "a"
        when = ["signal.logprobs"]
        action = "degrade"
        measures = { strip_logprobs = true, max_tokens = 4000 }
        [[rules]]
        name = "b"
        when = ["window.calls >= 10"]
        action = "watermark"
        measures = { max_tokens = 1000, reasoning = "summarise" }
        [[rules]]
        name = "c"
        when = ["not verified"]
        action = "flag"
        """
    )
    decision, _ = policy.decide({"signal.logprobs": True, "window.calls": 12, "verified": True})
    assert decision.rules == ("a", "b")
    assert decision.action == "degrade"  # more severe than watermark
    assert decision.measures == Measures(
        strip_logprobs=True, reasoning="summarise", max_tokens=1000, watermark=True
    )


def test_conditions_compare_numbers_strings_and_booleans() -> None:
    where = "t"
    assert compile_condition("window.elicitation_share >= 0.5", where)(
        {"window.elicitation_share": 0.5}
    )
    assert not compile_condition("window.elicitation_share > 0.5", where)(
        {"window.elicitation_share": 0.5}
    )
    assert compile_condition("network_kind == 'tor'", where)({"network_kind": "tor"})
    assert compile_condition('country != "US"', where)({})  # missing string fact is ''
    assert compile_condition("not verified", where)({})
    assert not compile_condition("verified", where)({})
    assert compile_condition("window.calls < 3", where)({"window.calls": 2})


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("windw.calls > 3", "unknown fact"),
        ("window.calls", "compare it"),
        ("verified >= 1", "can only be compared"),
        ("network_kind == 3", "is a str"),
        ("not window.calls > 3", "only before a true/false fact"),
        ("window.calls >= many", "not a number"),
        ("window.calls >>= 3", "not a number"),
        ("window calls", "cannot read"),
    ],
)
def test_bad_conditions_fail_at_load_naming_the_rule(condition: str, message: str) -> None:
    text = f'[[rules]]\nname = "r1"\nwhen = [{condition!r}]\naction = "flag"\n'
    with pytest.raises(PolicyError, match=message) as raised:
        _policy(text)
    assert "rule 'r1'" in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[limits.key]\nrequests_per_minute = 0\n", "whole number"),
        ("[limits.galaxy]\nrequests_per_minute = 3\n", "unknown key"),
        ("[limits.key]\nrequests_per_hour = 3\n", "unknown key"),
        ("[geofence]\nrestricted_countries = ['Russia']\n", "ISO country"),
        ("[actions.throttle]\nthrottle = 2\n", r"\(0, 1\]"),
        ("[actions.degrade]\nreasoning = 'hide'\n", "reasoning must be"),
        ("[[rules]]\nwhen = []\naction = 'flag'\n", "needs a name"),
        ("[[rules]]\nname = 'x'\naction = 'nuke'\n", "action must be"),
        (
            "[[rules]]\nname = 'x'\naction = 'flag'\n[[rules]]\nname = 'x'\naction = 'flag'\n",
            "unique",
        ),
        ("rules = 3\n", "array of tables"),
        ("[surprise]\n", "unknown key"),
        ("[[rules]\n", "not valid TOML"),
    ],
)
def test_bad_policy_files_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        _policy(text)


def test_geofence_list_defaults_to_the_scan_setting_and_can_be_replaced() -> None:
    assert _policy("").restricted_countries == frozenset(RESTRICTED.split(","))
    replaced = _policy("[geofence]\nrestricted_countries = ['kp', 'IR']\n")
    assert replaced.restricted_countries == {"KP", "IR"}


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="does not exist"):
        load(tmp_path / "nope.toml", RESTRICTED)


def test_the_digest_names_the_file_content(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("[limits.key]\nrequests_per_minute = 5\n")
    first = load(path, RESTRICTED)
    path.write_text("[limits.key]\nrequests_per_minute = 6\n")
    second = load(path, RESTRICTED)
    assert first.sha256 != second.sha256
    assert second.limits == {"key": {"requests_per_minute": 6}}
    assert second.controls()["limits"] == {"key": {"requests_per_minute": 6}}


def test_every_signal_is_a_fact() -> None:
    assert {f"signal.{n}" for n in SIGNAL_NAMES} <= set(FACTS)


def test_the_log_schema_knows_every_action() -> None:
    assert GATEWAY_ACTIONS == ACTIONS  # ingest validates the log's decision.action against it
