"""The statistical shape of every population in the ``smoke`` scenario, read back by ingest.

Each test asserts a behaviour the population is meant to show (docs/simulator.md), with
margins wide enough for sampling noise, never exact counts. The traffic goes through the real
ingest first, so these also check that enrichment reads the intended infrastructure back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from distillguard.ingest import raw
from distillguard.ingest.record import ReadContext, ReadOptions, Rejected
from distillguard.simulate.addresses import AddressPlan
from distillguard.simulate.identity import COUNTRIES
from distillguard.simulate.plan import build
from distillguard.simulate.populations import KINDS, TEXTS, TIMINGS
from distillguard.simulate.scenario import parse
from distillguard.simulate.text import TextBank
from distillguard.simulate.traffic import HourWriter
from tests.conftest import Run

TZ_SQL = (
    "(SELECT * FROM (VALUES "
    + ", ".join(f"('{c}', {tz})" for c, (tz, _) in COUNTRIES.items())
    + ") AS t(country, tz))"
)


def local_hour_share(run: Run, population: str, hours: tuple[int, int]) -> float:
    """Share of a population's calls in local hours [from, to) of the billing country."""
    return float(
        run.value(
            f"SELECT avg(((hour(ts AT TIME ZONE 'UTC') + tz + 24) % 24 BETWEEN ? AND ?)::INT)"
            f" FROM calls JOIN {TZ_SQL} z ON z.country = calls.billing_country"
            " WHERE population = ?",
            hours[0],
            hours[1] - 1,
            population,
        )
    )


def test_ingest_reads_everything_back(smoke: Run) -> None:
    assert smoke.ingested.quarantined == 0
    assert smoke.ingested.ingested == smoke.report.calls
    assert abs(smoke.report.calls - smoke.scenario.interactions) < 0.1 * smoke.scenario.interactions


def test_every_population_gets_about_its_share(smoke: Run) -> None:
    total = sum(p.share for p in smoke.scenario.populations)
    for population in smoke.scenario.populations:
        expected = smoke.report.calls * population.share / total
        got = smoke.report.by_population[population.name]
        assert 0.7 * expected < got < 1.3 * expected, population.name


def test_casual_users_sleep_and_talk_in_turns(smoke: Run) -> None:
    night = local_hour_share(smoke, "casual", (1, 6)) / 5
    day = local_hour_share(smoke, "casual", (10, 20)) / 10
    assert night < 0.3 * day
    multi = smoke.value(
        "SELECT avg((n_user_turns > 1)::INT) FROM calls WHERE population = 'casual'"
    )
    assert multi > 0.25
    kinds = smoke.rows("SELECT DISTINCT network_kind FROM calls WHERE population = 'casual'")
    assert kinds == [("other",)]  # home lines: neither hosting, VPN nor Tor


def test_activity_is_heavy_tailed(smoke: Run) -> None:
    top_share = smoke.value(
        "WITH per AS (SELECT account_id, count(*) n FROM calls WHERE population = 'casual'"
        " GROUP BY 1), ranked AS (SELECT n, ntile(10) OVER (ORDER BY n DESC) decile FROM per)"
        " SELECT sum(n) FILTER (WHERE decile = 1) / sum(n) FROM ranked"
    )
    assert top_share > 0.3


def test_app_backends_serve_many_end_users_behind_one_system_prompt(smoke: Run) -> None:
    for users, prompts, kind in smoke.rows(
        "SELECT count(DISTINCT end_user), count(DISTINCT system_prompt), any_value(network_kind)"
        " FROM calls WHERE population = 'app-backends' GROUP BY account_id"
        " HAVING count(*) > 200"
    ):
        assert users > 100
        assert prompts == 1
        assert kind == "hosting"


def test_eval_suites_repeat_templated_items_at_temperature_zero(smoke: Run) -> None:
    temps = smoke.rows("SELECT DISTINCT temperature FROM calls WHERE population = 'eval-suites'")
    assert {t for (t,) in temps} <= {0.0, None}
    logprobs = smoke.value(
        "SELECT avg(coalesce(logprobs, false)::INT) FROM calls"
        " WHERE population = 'eval-suites' AND endpoint <> '/v1/messages'"
    )
    assert logprobs > 0.3
    distinct = smoke.value(
        "SELECT count(DISTINCT user_text) / count(*) FROM calls WHERE population = 'eval-suites'"
    )
    assert distinct < 0.8  # the same benchmark items come back night after night


def test_eval_suites_run_at_night_and_all_release_day(smoke: Run) -> None:
    release = next(m.released for m in smoke.scenario.models if m.released > smoke.scenario.start)
    inside, outside = smoke.rows(
        "SELECT ts >= ? AND ts < ? + INTERVAL 1 DAY AS release_day, count(*) FROM calls"
        " WHERE population = 'eval-suites' GROUP BY 1 ORDER BY 1 DESC",
        release,
        release,
    )
    per_day_otherwise = outside[1] / (smoke.scenario.days - 1)
    assert inside[1] > 1.5 * per_day_otherwise
    assert local_hour_share(smoke, "eval-suites", (1, 6)) > 0.5  # nightly, apart from that day
    new_model = smoke.value(
        "SELECT avg((model = 'aurora-3')::INT) FROM calls WHERE population = 'eval-suites'"
        " AND ts BETWEEN ? AND ? + INTERVAL 1 DAY",
        release,
        release,
    )
    assert new_model > 0.6


def test_ci_bots_use_many_addresses_and_agents_in_working_hours(smoke: Run) -> None:
    for ips, agents in smoke.rows(
        "SELECT count(DISTINCT client_ip), count(DISTINCT user_agent) FROM calls"
        " WHERE population = 'ci-bots' GROUP BY account_id HAVING count(*) > 100"
    ):
        assert ips > 50
        assert agents >= 5
    assert local_hour_share(smoke, "ci-bots", (8, 18)) > 0.7
    diffs = smoke.value(
        "SELECT avg((user_text LIKE '%```diff%')::INT) FROM calls WHERE population = 'ci-bots'"
    )
    assert diffs > 0.9


def test_migrations_start_at_full_volume_on_a_new_key(smoke: Run) -> None:
    for created, first, first_day, daily in smoke.rows(
        "WITH per AS (SELECT account_id, any_value(created_at) created, min(ts) first,"
        " count(*) n, count(DISTINCT day) n_days FROM calls WHERE population = 'migrations'"
        " GROUP BY 1), d AS (SELECT account_id, day, count(*) c FROM calls"
        " WHERE population = 'migrations' GROUP BY 1, 2)"
        " SELECT created, first, (SELECT c FROM d WHERE d.account_id = per.account_id"
        " ORDER BY day LIMIT 1 OFFSET 1), n / n_days FROM per WHERE n_days >= 3"
    ):
        assert (first - created).total_seconds() < 2 * 86400  # new account
        assert first_day > 0.5 * daily  # no ramp-up: a full day at once


def test_gateways_strip_metadata(smoke: Run) -> None:
    rows = smoke.rows(
        "SELECT count(*) FILTER (WHERE end_user IS NOT NULL), count(DISTINCT user_agent),"
        " count(DISTINCT user_text) FILTER (WHERE n_user_turns = 1)"
        " / count(*) FILTER (WHERE n_user_turns = 1)"
        " FROM calls WHERE population = 'gateways' GROUP BY account_id"
    )
    for with_user, agents, distinct in rows:
        assert with_user == 0
        assert agents == 1
        assert distinct > 0.9  # many people's own prompts


def test_synthetic_data_jobs_ask_for_many_long_samples(smoke: Run) -> None:
    n, temp, max_tokens = smoke.rows(
        "SELECT min(n), min(temperature), min(max_tokens) FROM calls"
        " WHERE population = 'synthetic-data' AND error_type IS NULL"
    )[0]
    assert n > 1
    assert temp >= 0.9
    assert max_tokens >= 4096


def test_hydra_pool_shares_cards_and_rotates_accounts(smoke: Run) -> None:
    per_card = smoke.value(
        "SELECT avg(c) FROM (SELECT payment_fingerprint, count(*) c FROM accounts"
        " JOIN labels USING (account_id) WHERE population = 'hydra-cot' GROUP BY 1)"
    )
    assert per_card > 1.5
    span_hours = smoke.value(
        "SELECT median(epoch(last - first) / 3600) FROM (SELECT account_id, min(ts) first,"
        " max(ts) last FROM calls WHERE population = 'hydra-cot' GROUP BY 1)"
    )
    assert span_hours < 0.9 * smoke.scenario.hours  # banned accounts are replaced
    kinds = dict(
        smoke.rows(
            "SELECT network_kind, count(*) FROM calls WHERE population = 'hydra-cot' GROUP BY 1"
        )
    )
    assert kinds.get("other", 0) > 0
    assert kinds.get("hosting", 0) > 0
    shared_ips = smoke.value(
        "SELECT count(*) FROM (SELECT client_ip FROM calls WHERE population = 'hydra-cot'"
        " GROUP BY 1 HAVING count(DISTINCT account_id) > 1)"
    )
    assert shared_ips > 10


def test_hydra_pool_is_synchronized_around_the_clock(smoke: Run) -> None:
    # the controller dispatches bursts: most calls fall in the first minute of a 5-minute slot
    burst = smoke.value(
        "SELECT avg(((epoch(ts)::BIGINT % 300) < 60)::INT) FROM calls"
        " WHERE population = 'hydra-cot'"
    )
    assert burst > 0.8
    casual = smoke.value(
        "SELECT avg(((epoch(ts)::BIGINT % 300) < 60)::INT) FROM calls WHERE population = 'casual'"
    )
    assert casual < 0.3
    hours = smoke.value(
        "SELECT count(DISTINCT hour(ts AT TIME ZONE 'UTC')) FROM calls"
        " WHERE population = 'hydra-cot'"
    )
    assert hours == 24


def test_campaigns_retarget_the_new_model_within_a_day(smoke: Run) -> None:
    release = next(m.released for m in smoke.scenario.models if m.released > smoke.scenario.start)
    share = smoke.value(
        "SELECT avg((model = 'aurora-3')::INT) FROM calls WHERE population = 'hydra-cot'"
        " AND ts BETWEEN ? + INTERVAL 12 HOUR AND ? + INTERVAL 36 HOUR",
        release,
        release,
    )
    casual = smoke.value(
        "SELECT avg((model = 'aurora-3')::INT) FROM calls WHERE population = 'casual'"
        " AND ts BETWEEN ? + INTERVAL 12 HOUR AND ? + INTERVAL 36 HOUR",
        release,
        release,
    )
    assert share > 0.35
    assert casual < 0.15


def test_inline_tag_campaign_sends_one_fixed_instruction(smoke: Run) -> None:
    endings = smoke.rows(
        "SELECT right(user_text, 60), count(*) FROM calls WHERE population = 'inline-tag'"
        " AND n_user_turns = 1 GROUP BY 1 ORDER BY 2 DESC"
    )
    top, count = endings[0]
    total = sum(n for _, n in endings)
    assert count > 0.85 * total, top  # the rest are resold ordinary chats, if any


def test_probe_then_scale(smoke: Run) -> None:
    probe, scale = smoke.rows(
        "SELECT phase, avg(refusal::INT), count(DISTINCT left(user_text, 80)) / count(*)"
        " FROM (SELECT *, (ts < (SELECT min(ts) FROM calls WHERE population = 'probe-then-scale')"
        " + INTERVAL 15 HOUR) AS phase FROM calls WHERE population = 'probe-then-scale'"
        " AND error_type IS NULL) GROUP BY phase ORDER BY phase DESC"
    )
    assert probe[1] > 0.6  # mostly refused
    assert scale[1] < 0.1
    assert probe[2] > scale[2]  # many wrapper variants, then a few winners


def test_low_and_slow_stays_under_a_static_limit(smoke: Run) -> None:
    busiest = smoke.value(
        "SELECT max(c) FROM (SELECT account_id, day, count(*) c FROM calls"
        " WHERE population = 'low-and-slow' GROUP BY 1, 2)"
    )
    assert busiest < 30
    hours = smoke.value(
        "SELECT count(DISTINCT hour(ts AT TIME ZONE 'UTC')) FROM calls"
        " WHERE population = 'low-and-slow'"
    )
    assert hours == 24


def test_logprob_harvest(smoke: Run) -> None:
    logprobs, top, n = smoke.rows(
        "SELECT avg(logprobs::INT), min(top_logprobs), min(n) FROM calls"
        " WHERE population = 'logprob-harvest' AND error_type IS NULL"
    )[0]
    assert logprobs == 1.0
    assert top == 20
    assert n == 8


def test_relay_text_is_diverse_and_multilingual(smoke: Run) -> None:
    distinct, non_ascii = smoke.rows(
        "SELECT count(DISTINCT user_text) / count(*),"
        " avg((regexp_matches(user_text, '[^\\x00-\\x7F]'))::INT)"
        " FROM calls WHERE population = 'relay' AND n_user_turns = 1"
    )[0]
    assert distinct > 0.9
    assert non_ascii > 0.1
    hosting = smoke.value(
        "SELECT avg((network_kind = 'hosting')::INT) FROM calls WHERE population = 'relay'"
    )
    assert hosting > 0.5


def test_trace_coercion_spans_languages(smoke: Run) -> None:
    non_ascii = smoke.value(
        "SELECT avg((regexp_matches(user_text, '[^\\x00-\\x7F]'))::INT) FROM calls"
        " WHERE population = 'trace-coercion'"
    )
    assert non_ascii > 0.2
    vpn = smoke.value(
        "SELECT avg((network_kind = 'vpn')::INT) FROM calls WHERE population = 'trace-coercion'"
    )
    assert vpn > 0.4


def test_campaigns_sign_up_through_programmes_with_weak_identities(smoke: Run) -> None:
    rows = dict(
        smoke.rows(
            "SELECT campaign_id <> '', avg((program <> 'none')::INT) FROM accounts"
            " JOIN labels USING (account_id) GROUP BY 1"
        )
    )
    assert rows[True] > 0.4
    assert rows[False] < 0.2


@pytest.mark.parametrize(
    "population", ["hydra-cot", "capability-sweep", "probe-then-scale", "inline-tag"]
)
def test_campaigns_ask_for_reasoning_and_long_answers(smoke: Run, population: str) -> None:
    reasoning = smoke.value(
        "SELECT avg((reasoning_effort IS NOT NULL OR thinking_budget IS NOT NULL)::INT)"
        " FROM calls WHERE population = ? AND endpoint <> '/v1/completions'",
        population,
    )
    assert reasoning > 0.5


def test_reasoning_text_comes_back_when_asked(smoke: Run) -> None:
    share = smoke.value(
        "SELECT avg((reasoning_text IS NOT NULL)::INT) FROM calls WHERE thinking_budget IS NOT NULL"
        " AND error_type IS NULL AND NOT refusal"
    )
    assert share > 0.95


def test_latency_grows_with_output(smoke: Run) -> None:
    short, long = smoke.rows(
        "SELECT median(latency_ms) FROM calls WHERE error_type IS NULL"
        " GROUP BY output_tokens > 1000 ORDER BY output_tokens > 1000"
    )
    assert long[0] > 2 * short[0]


def test_power_users_talk_longer_and_ask_for_reasoning_more_than_casual_users(smoke: Run) -> None:
    rows = {
        population: (turns, reasoning, vpn)
        for population, turns, reasoning, vpn in smoke.rows(
            "SELECT population, avg(n_user_turns),"
            " avg((reasoning_effort IS NOT NULL OR thinking_budget IS NOT NULL)::INT),"
            " avg((network_kind = 'vpn')::INT) FROM calls"
            " WHERE population IN ('casual', 'power') GROUP BY 1"
        )
    }
    assert rows["power"][0] > rows["casual"][0]
    assert rows["power"][1] > 2 * rows["casual"][1]
    assert rows["power"][2] > 0.05  # some work through a VPN


def test_rubric_grading_sends_a_task_and_a_candidate(smoke: Run) -> None:
    rubric, others = smoke.rows(
        "SELECT population = 'rubric-grading', median(input_tokens) FROM calls"
        " WHERE campaign_id <> '' AND population <> 'relay' GROUP BY 1 ORDER BY 1 DESC"
    )
    assert rubric[1] > 2 * others[1]  # the candidate answer rides along


def test_capability_sweep_uses_tools_and_asks_for_rewrites(smoke: Run) -> None:
    tools, rewrites = smoke.rows(
        "SELECT avg((n_tools > 0)::INT), avg((user_text ILIKE '%censor%')::INT)"
        " FROM calls WHERE population = 'capability-sweep'"
    )[0]
    assert tools > 0.15
    assert rewrites > 0.03


# -- any population the knobs allow writes records that ingest reads ----------------------------

KNOB_CHOICES = {
    "timing": st.sampled_from(TIMINGS),
    "text": st.sampled_from(TEXTS),
    "turns": st.floats(1.0, 5.0),
    "n": st.integers(1, 4),
    "logprobs": st.floats(0.0, 1.0),
    "top_logprobs": st.integers(0, 20),
    "reasoning": st.floats(0.0, 1.0),
    "stream": st.floats(0.0, 1.0),
    "tools": st.floats(0.0, 1.0),
    "errors": st.floats(0.0, 0.5),
    "refusal": st.floats(0.0, 1.0),
    "max_tokens": st.integers(0, 600),
    "end_users": st.integers(0, 50),
    "endpoints": st.dictionaries(
        st.sampled_from(
            ["/v1/chat/completions", "/v1/responses", "/v1/completions", "/v1/messages"]
        ),
        st.floats(0.5, 3.0),
        min_size=1,
    ),
}


@pytest.fixture(scope="module")
def addresses() -> AddressPlan:
    return AddressPlan()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(list(KINDS)),
    overrides=st.fixed_dictionaries({}, optional=KNOB_CHOICES),
    seed=st.integers(0, 2**16),
)
def test_any_population_writes_records_that_ingest_reads(
    addresses: AddressPlan, kind: str, overrides: dict[str, Any], seed: int
) -> None:
    scenario = parse(
        {
            "name": "property",
            "seed": seed,
            "start": datetime(2026, 5, 4, tzinfo=UTC),
            "days": 1,
            "interactions": 150,
            "model": [
                {"name": "m1", "released": datetime(2026, 1, 1, tzinfo=UTC)},
                {"name": "m2", "released": datetime(2026, 5, 4, 9, tzinfo=UTC)},
            ],
            "population": [{"name": "p", "kind": kind, "accounts": 6, "share": 1.0, **overrides}],
        }
    )
    writer = HourWriter(build(scenario, addresses), TextBank())
    context = ReadContext(ReadOptions())
    for hour in range(scenario.hours):
        lines, _ = writer.hour(hour)
        for line in lines:
            for row in raw.read(orjson.loads(line), context):
                assert not isinstance(row, Rejected), (row, line[:300])
