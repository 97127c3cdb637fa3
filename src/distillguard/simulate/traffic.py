"""One hour of simulated traffic: sessions → calls → raw-log records.

:class:`HourWriter` turns the plan's session counts for one hour into raw API log lines
(DESIGN.md, "Raw API log record"), sorted by time. Each hour draws from its own seed, so hours
can be written in any order or process with the same bytes. Per session it picks an account
in proportion to its activity, then per call: model (with adoption and retargeting), text of
the population's family, sampling and harvesting parameters, answer, reasoning, refusal or
error, token counts and latency. Bodies are rendered by ``bodies.render``.
"""

from __future__ import annotations

import math
import random
import time
import zlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Final

import numpy as np
import orjson

from distillguard.simulate.bodies import (
    CHAT,
    COMPLETIONS,
    ID_PREFIX,
    MESSAGES,
    RESPONSES,
    Call,
    render,
)
from distillguard.simulate.plan import Group, Plan
from distillguard.simulate.text import TextBank
from distillguard.simulate.timing import (
    account_rates,
    in_probe_phase,
    new_model_share,
    release_hour,
)

SYNC_PERIOD_S: Final = 300.0  # a synchronized pool's controller dispatches a burst this often
SYNC_SPREAD_S: Final = 20.0  # mean lateness of a call after its burst
MAX_TURNS: Final = 12
HISTORY_TURNS: Final = 1  # earlier exchanges a follow-up call re-sends
PROBE_WINNERS: Final = 3  # wrapper variants a probe-then-scale campaign keeps after probing
SCALE_REFUSAL: Final = 0.02
CENSORSHIP_SHARE: Final = 0.1  # a sweep's requests for "censorship-safe alternatives"
TOOLS: Final = ("web_search", "run_python", "read_file", "sql_query", "browser_open", "shell")


@dataclass(frozen=True)
class _Weights:
    """Keys with cumulative weights, for fast weighted draws."""

    keys: tuple[str, ...]
    cum: tuple[float, ...]

    @classmethod
    def of(cls, weights: Mapping[str, float]) -> _Weights:
        keys = tuple(k for k in weights if weights[k] > 0)
        return cls(keys, tuple(accumulate(weights[k] for k in keys)))

    def pick(self, rng: random.Random) -> str:
        if len(self.keys) == 1:
            return self.keys[0]
        return self.keys[bisect_right(self.cum, rng.random() * self.cum[-1])]


def _campaign_number(campaign_id: str) -> int:
    return zlib.crc32(campaign_id.encode())


class HourWriter:
    """Writes the raw-log lines of any hour of ``plan``; reuse it for many hours."""

    def __init__(self, plan: Plan, text: TextBank) -> None:
        self.plan = plan
        self.text = text
        scenario = plan.scenario
        self.start = scenario.start.timestamp()
        self.period_s = scenario.hours * 3600.0
        self.release = release_hour(scenario)
        release = self.release
        self.new_model = next(
            (
                m.name
                for m in scenario.models
                if release is not None and m.released > scenario.start
            ),
            None,
        )
        old = {m.name: m.weight for m in scenario.models if m.released <= scenario.start}
        self.old_models = _Weights.of(old)
        self.areas = [_Weights.of(g.profile.areas) for g in plan.groups]
        self.campaigns = [_campaign_number(g.population.campaign_id) for g in plan.groups]

    # ---- time -----------------------------------------------------------------------------

    def _stamp(self, seconds: float, minutes: dict[int, str]) -> str:
        moment = self.start + seconds
        whole = int(moment)
        minute = whole // 60
        base = minutes.get(minute)
        if base is None:
            base = time.strftime("%Y-%m-%dT%H:%M:", time.gmtime(minute * 60))
            minutes[minute] = base
        return f"{base}{whole % 60:02d}.{int((moment - whole) * 1000):03d}Z"

    # ---- one hour -------------------------------------------------------------------------

    def hour(self, hour: int) -> tuple[list[bytes], Counter[str]]:
        """The lines of period hour ``hour`` (time order) and calls per population."""
        scenario = self.plan.scenario
        rng = random.Random(f"{scenario.seed}:hour:{hour}")
        nrng = np.random.default_rng([scenario.seed, 3, hour])
        out: list[tuple[float, bytes]] = []
        counts: Counter[str] = Counter()
        minutes: dict[int, str] = {}
        for index, group in enumerate(self.plan.groups):
            n = int(group.sessions[hour])
            if n == 0:
                continue
            rates = account_rates(scenario, group, hour)
            total = rates.sum()
            if total <= 0:
                continue
            accounts = nrng.choice(len(rates), size=n, p=rates / total)
            if group.profile.timing == "synchronized":
                bursts = nrng.integers(0, int(3600 / SYNC_PERIOD_S), n) * SYNC_PERIOD_S
                offsets = bursts + np.minimum(nrng.exponential(SYNC_SPREAD_S, n), SYNC_PERIOD_S)
            else:
                offsets = nrng.random(n) * 3600.0
            before = len(out)
            for account, offset in zip(accounts.tolist(), offsets.tolist(), strict=True):
                self._session(index, group, account, hour * 3600.0 + offset, rng, out, minutes)
            counts[group.population.name] += len(out) - before
        out.sort(key=lambda pair: pair[0])
        return [line for _, line in out], counts

    def _session(
        self,
        index: int,
        group: Group,
        account: int,
        at: float,
        rng: random.Random,
        out: list[tuple[float, bytes]],
        minutes: dict[int, str],
    ) -> None:
        profile = group.profile
        turns = 1
        if profile.turns > 1:
            go_on = 1.0 - 1.0 / profile.turns
            while turns < MAX_TURNS and rng.random() < go_on:
                turns += 1
        history: list[tuple[str, str]] = []
        model = self._model(group, at / 3600.0, rng)  # a conversation stays on one model
        end_user = None  # and with one end user
        if profile.end_users:
            number = int(group.apps[account]) * 1_000_003 + rng.randrange(profile.end_users)
            end_user = f"u_{(number * 0x9E3779B1) & 0xFFFFFFFFFFFF:012x}"
        for turn in range(turns):
            if at >= self.period_s:  # the period is over: the conversation is cut off
                break
            record, seconds = self._call(
                index, group, account, at, turn, history, (model, end_user), rng, minutes
            )
            out.append((at, orjson.dumps(record)))
            at += seconds + rng.expovariate(1.0 / profile.gap_s)

    # ---- one call -------------------------------------------------------------------------

    def _model(self, group: Group, at_hour: float, rng: random.Random) -> str:
        release = self.release
        if (
            self.new_model is not None
            and release is not None
            and at_hour >= release
            and rng.random() < new_model_share(group, at_hour, release)
        ):
            return self.new_model
        return self.old_models.pick(rng)

    def _content(
        self,
        index: int,
        group: Group,
        account: int,
        at_hour: float,
        turn: int,
        rng: random.Random,
    ) -> tuple[str | None, str, str, str, float]:
        """System prompt, user text, area, language and refusal chance of one call."""
        profile = group.profile
        text = self.text
        language = group.languages[account]
        area = self.areas[index].pick(rng)
        family = profile.text
        refusal = profile.refusal
        if profile.benchmarks and not turn and rng.random() < profile.benchmarks:
            return None, text.benchmark_item(rng), area, "en", refusal
        if profile.ordinary > 0 and rng.random() < profile.ordinary:
            family = "chat"
        app = int(group.apps[account])
        if family == "chat":
            system = text.public_system(app, profile.public_system)
            if turn:
                return system, text.followup(rng, language), area, language, refusal
            return system, text.prompt(area, rng, language), area, language, refusal
        if family == "app":
            system = text.public_system(app, profile.public_system) or text.app_system(app)
            return system, text.app_input(app, rng), area, language, refusal
        if family == "eval":
            item = rng.randrange(max(1, profile.variants))
            return None, text.eval_item(app, item), area, "en", refusal
        if family == "review":
            system, user = text.review_request(rng)
            return system, user, "coding", "en", refusal
        if family == "synthetic":
            system, user = text.synthetic_request(rng)
            return system, user, "writing", "en", refusal
        if family == "relay":
            if turn:
                return None, text.followup(rng, language), area, language, refusal
            language, user = text.relay_prompt(rng)
            return None, user, area, language, refusal
        campaign = self.campaigns[index]
        task = text.prompt(area, rng, language)
        if family == "cot":
            return text.cot_template(campaign, rng), task, area, language, refusal
        if family == "inline_tag":
            return None, f"{task}\n\n{text.inline_tag(campaign)}", area, language, refusal
        if family == "coercion":
            return None, text.trace_coercion(task, language, rng), area, language, refusal
        if family == "rubric":
            candidate = text.answer(area, rng.randint(60, 260), rng, language)
            return None, text.rubric(task, candidate, rng), area, language, refusal
        if family == "probe":
            if in_probe_phase(self.plan.scenario, group, at_hour):
                variant = rng.randrange(max(1, profile.variants))
            else:
                variant = (campaign + rng.randrange(PROBE_WINNERS)) % max(1, profile.variants)
                refusal = SCALE_REFUSAL
            return None, text.probe_wrapper(variant, task), area, language, refusal
        if family == "sweep" and rng.random() < CENSORSHIP_SHARE:
            return None, text.censorship_rewrite(rng), "writing", language, refusal
        return None, task, area, language, refusal  # "sweep", "harvest"

    def _call(
        self,
        index: int,
        group: Group,
        account: int,
        at: float,
        turn: int,
        history: list[tuple[str, str]],
        session: tuple[str, str | None],
        rng: random.Random,
        minutes: dict[int, str],
    ) -> tuple[dict[str, Any], float]:
        """One raw-log record, and the seconds the call took; ``session``: model, end user."""
        profile = group.profile
        endpoint = group.endpoints[account]
        at_hour = at / 3600.0
        system, user, area, language, refusal = self._content(
            index, group, account, at_hour, turn, rng
        )
        openai = endpoint != MESSAGES
        reasoning_text: str | None = None
        reasoning_tokens = 0
        effort: str | None = None
        budget: int | None = None
        if endpoint != COMPLETIONS and rng.random() < profile.reasoning:
            reasoning_tokens = int(math.exp(rng.gauss(6.0, 0.7))) + 20
            if endpoint == MESSAGES:
                budget = rng.choice((2048, 4096, 8192, 16000))
                reasoning_tokens = min(reasoning_tokens, budget)
            else:
                effort = rng.choice(("low", "medium", "medium", "high"))
            if endpoint != CHAT:
                reasoning_text = self.text.reasoning(min(reasoning_tokens, 300), rng, language)
        refused = rng.random() < refusal
        error: tuple[int, str, str] | None = None
        if rng.random() < profile.errors:
            error = _error(endpoint, rng)
        answer: str | None = None
        if error is None:
            if refused:
                answer = self.text.refusal(rng)
                reasoning_text = None
                reasoning_tokens = 0
            else:
                tokens = int(math.exp(rng.gauss(0.0, 0.6)) * profile.answer_tokens) + 5
                if profile.max_tokens:
                    tokens = min(tokens, profile.max_tokens)
                answer = self.text.answer(area, tokens, rng, language)
        n = profile.n if endpoint in (CHAT, COMPLETIONS) else 1
        logprobs = openai and endpoint != RESPONSES and rng.random() < profile.logprobs
        prompt_chars = len(user) + len(system or "") + sum(len(t) for _, t in history)
        output_tokens = 0
        if answer is not None:
            output_tokens = (len(answer) // 4 + 1) * n + reasoning_tokens
        input_tokens = prompt_chars // 4 + 8
        tools = profile.tools > 0 and rng.random() < profile.tools
        model, end_user = session
        call = Call(
            endpoint,
            model,
            user,
            system=system,
            turns=tuple(history[-2 * HISTORY_TURNS :]) if endpoint != COMPLETIONS else (),
            answer=answer,
            reasoning=reasoning_text,
            refused=refused and error is None,
            tool_names=TOOLS[:3] if tools else (),
            tool_calls=1 if tools and answer is not None and rng.random() < 0.5 else 0,
            temperature=group.temperatures[account],
            n=n if n > 1 else None,
            max_tokens=profile.max_tokens or None,
            logprobs=logprobs,
            top_logprobs=profile.top_logprobs if logprobs and profile.top_logprobs else None,
            reasoning_effort=effort,
            thinking_budget=budget,
            stream=rng.random() < profile.stream,
            end_user=end_user,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            reasoning_tokens=reasoning_tokens if answer is not None else 0,
            cached_tokens=(input_tokens // 2) if history else 0,
            error=error,
            response_id=f"{ID_PREFIX[endpoint]}{rng.getrandbits(96):024x}",
            created=int(self.start + at),
        )
        request, response = render(call)
        if error is None:
            latency = math.exp(rng.gauss(-1.0, 0.5)) + output_tokens / rng.uniform(45.0, 110.0)
        else:
            latency = rng.uniform(0.02, 0.3)
        if answer is not None and profile.turns > 1:
            history.append(("user", user))
            history.append(("assistant", answer))
        ips = group.ips[account]
        agents = group.agents[account]
        keys = group.keys[account]
        record = {
            "request_id": f"req_{rng.getrandbits(96):024x}",
            "ts": self._stamp(at, minutes),
            "account_id": group.ids[account],
            "key_id": keys[rng.randrange(len(keys))],
            "org_id": group.orgs[account],
            "end_user": end_user,
            "client_ip": self._address(group, ips, rng),
            "user_agent": agents[rng.randrange(len(agents))],
            "endpoint": endpoint,
            "request": request,
            "response": response,
            "status": 200 if error is None else error[0],
            "latency_ms": round(latency * 1000.0, 1),
        }
        return record, latency

    @staticmethod
    def _address(group: Group, ips: tuple[str, ...], rng: random.Random) -> str:
        """The call's client address: the account's own, or one of a shared pool's."""
        if group.egress:
            roll = rng.random()
            for reached, pool in group.egress:
                if roll < reached:
                    return pool[rng.randrange(len(pool))]
        return ips[rng.randrange(len(ips))]


def _error(endpoint: str, rng: random.Random) -> tuple[int, str, str]:
    roll = rng.random()
    if endpoint == MESSAGES:
        if roll < 0.6:
            return 429, "rate_limit_error", "Number of requests has exceeded your rate limit."
        if roll < 0.9:
            return 529, "overloaded_error", "Overloaded"
        return 400, "invalid_request_error", "max_tokens: exceeds the model's output limit"
    if roll < 0.6:
        return 429, "requests", "Rate limit reached for requests per minute."
    if roll < 0.9:
        return 503, "server_error", "The server is overloaded. Please retry."
    return 400, "invalid_request_error", "This model's maximum context length was exceeded."
