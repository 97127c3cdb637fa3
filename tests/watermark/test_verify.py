"""Verification: significant on watermarked text, calibrated on clean text, de-duplicated,
and attribution to the right account."""

from __future__ import annotations

import random
import string

import orjson
import pytest

from distillguard.watermark.choice import Chooser
from distillguard.watermark.embed import embed
from distillguard.watermark.keys import MasterKey
from distillguard.watermark.table import CLASSES, VERSION
from distillguard.watermark.verify import Observations, assess, verify
from tests.watermark.material import KEY, OTHER_KEY, PARAGRAPHS, corpus_answers, occurrences

CLASS = {cls.name: c for c, cls in enumerate(CLASSES)}


def watermarked(account: str = "", key: MasterKey = KEY) -> list[str]:
    return [embed(text, key, account) for text in PARAGRAPHS]


def random_keys(count: int, seed: int) -> list[MasterKey]:
    rng = random.Random(seed)
    return [MasterKey(rng.randbytes(32), "") for _ in range(count)]


def habitual_writer(seed: int, texts: int = 40) -> list[str]:
    """Texts by a writer with strong habits of their own: always the contraction, always the
    rarer spelling: the null holds whatever the writer's habits."""
    rng = random.Random(seed)
    words = ["".join(rng.choices(string.ascii_lowercase, k=7)) for _ in range(300)]
    out = []
    for _ in range(texts):
        sentences = []
        for _ in range(8):
            cls = rng.choice(CLASSES)
            variant = cls.variants[min(range(len(cls.variants)), key=lambda v: cls.weights[v])]
            sentences.append(f"The {rng.choice(words)} {variant} stays.")
        out.append(" ".join(sentences))
    return out


def test_watermarked_texts_are_detected_with_every_opportunity_matching() -> None:
    report = verify(watermarked(), KEY)
    assert report.result.opportunities >= 30
    assert report.result.matches == report.result.opportunities
    assert report.result.p_value < 1e-6
    assert report.result.expected < report.result.matches
    assert report.table_version == VERSION
    assert report.key_fingerprint == KEY.fingerprint()
    assert report.texts == len(PARAGRAPHS)


def test_every_account_carries_the_global_watermark() -> None:
    texts = [embed(t, KEY, f"acct_{i}") for i, t in enumerate(PARAGRAPHS)]
    report = verify(texts, KEY)
    assert report.result.matches == report.result.opportunities
    assert report.result.p_value < 1e-6


def test_clean_texts_and_wrong_keys_are_not_significant() -> None:
    assert verify(PARAGRAPHS, KEY).result.p_value > 1e-3
    for key in (OTHER_KEY, *random_keys(5, seed=3)):
        report = verify(watermarked(), key)
        assert report.result.p_value > 1e-3
        assert report.result.matches < report.result.opportunities


@pytest.mark.parametrize("source", ["paragraphs", "habitual"])
def test_the_null_is_calibrated_over_random_keys(source: str) -> None:
    """Under the null a p-value is at most 0.05 in at most 5% of the keys (fewer: the test is
    discrete); 200 keys with a fixed seed, against a bound of 10%."""
    observations = Observations()
    texts = list(PARAGRAPHS) if source == "paragraphs" else habitual_writer(seed=11)
    for text in texts:
        observations.add(text)
    assert len(observations.seen) > 40
    keys = random_keys(200, seed=20261127)
    reports = [assess(observations, key, ["acct"]) for key in keys]
    global_share = sum(r.result.p_value <= 0.05 for r in reports) / len(reports)
    own_share = sum(r.accounts[0].result.p_value <= 0.05 for r in reports) / len(reports)
    assert global_share <= 0.1
    assert own_share <= 0.1
    assert all(r.result.p_value > 1e-4 for r in reports)


def test_repetition_is_not_new_evidence() -> None:
    text = " ".join(watermarked())
    once = verify([text], KEY, ["", "x"])
    many = verify([text] * 1000, KEY, ["", "x"])
    assert many.texts == 1000
    assert many.occurrences == 1000 * once.occurrences
    assert many.distinct == once.distinct
    assert many.result == once.result
    assert many.accounts == once.accounts


def test_only_the_first_variant_of_a_pair_counts() -> None:
    word = next(
        w for w in (f"w{i}" for i in range(100)) if Chooser(KEY).is_global(CLASS["often"], w)
    )
    expected = Chooser(KEY).global_pick(CLASS["often"], word)
    spelled = CLASSES[CLASS["often"]].variants
    right = f"The {word} {spelled[expected]} wins."
    wrong = f"The {word} {spelled[1 - expected]} wins."
    assert verify([right, wrong], KEY).result.matches == 1
    assert verify([wrong, right], KEY).result.matches == 0
    assert verify([right, wrong], KEY).result.opportunities == 1


def test_blocked_occurrences_are_not_opportunities() -> None:
    report = verify(["Isn't it? Thus far, so good. It is not nearly done. An often case."], KEY)
    assert report.occurrences == 1  # "is not": only "nearly" after it is blocked
    observations = Observations()
    observations.add("Isn't it? Thus far, so good.")
    assert observations.seen == {}
    assert observations.occurrences == 0


def test_the_right_account_is_attributed() -> None:
    texts = watermarked("acct_7")
    report = verify(texts, KEY, ["acct_1", "acct_7", "acct_9", "acct_7"])
    assert report.accounts[0].account == "acct_7"
    assert len(report.accounts) == 3
    by_account = {a.account: a for a in report.accounts}
    right = by_account["acct_7"]
    assert right.result.matches == right.result.opportunities >= 20
    assert right.p_adjusted < 1e-4
    for wrong in ("acct_1", "acct_9"):
        assert by_account[wrong].p_adjusted > 0.01
    for item in report.accounts:
        assert item.p_adjusted == pytest.approx(min(1.0, item.result.p_value * 3))
    assert report.result.opportunities + right.result.opportunities == report.distinct


def test_a_mixture_of_accounts_is_attributed_to_each() -> None:
    clean = habitual_writer(seed=5, texts=80)
    texts = [embed(t, KEY, "alice") for t in clean[:40]]
    texts += [embed(t, KEY, "bob") for t in clean[40:]]
    report = verify(texts, KEY, ["alice", "bob", "carol"])
    assert report.result.matches == report.result.opportunities
    by_account = {a.account: a for a in report.accounts}
    assert by_account["alice"].p_adjusted < 1e-4
    assert by_account["bob"].p_adjusted < 1e-4
    assert by_account["carol"].p_adjusted > 0.01
    assert [a.account for a in report.accounts][-1] == "carol"


def test_the_report_as_a_dict() -> None:
    report = verify(watermarked("a"), KEY, ["a", "b"])
    data = report.to_dict()
    assert data["p_value"] == report.result.p_value
    assert data["log10_p_value"] == report.result.log10_p_value
    assert data["matches"] == report.result.matches
    assert data["opportunities"] == report.result.opportunities
    assert data["table_version"] == VERSION
    assert data["key_fingerprint"] == KEY.fingerprint()
    assert [a["account"] for a in data["accounts"]] == ["a", "b"]
    assert data["accounts"][0]["result"]["matches"] == report.accounts[0].result.matches
    assert orjson.loads(orjson.dumps(data)) == data


def test_no_text_gives_a_neutral_report() -> None:
    report = verify([], KEY, ["a"])
    assert (report.texts, report.distinct, report.result.p_value) == (0, 0, 1.0)
    assert report.accounts[0].p_adjusted == 1.0
    assert verify(["```\ndo not often\n```"], KEY).result.opportunities == 0


def test_observations_see_what_the_scanner_sees() -> None:
    observations = Observations()
    for text in PARAGRAPHS:
        observations.add(text)
    unblocked = [o for t in PARAGRAPHS for o in occurrences(t) if not o.blocked]
    assert observations.occurrences == len(unblocked)
    assert set(observations.seen) == {(o.cls, o.context) for o in unblocked}


def test_real_answers_clean_and_watermarked() -> None:
    answers = corpus_answers(oasst=250, alpaca=250)
    clean = verify(answers, KEY, ["acct_3", "acct_4"])
    assert clean.result.opportunities > 100
    assert clean.result.p_value > 1e-3
    assert all(a.p_adjusted > 1e-3 for a in clean.accounts)
    marked = verify([embed(t, KEY, "acct_3") for t in answers], KEY, ["acct_3", "acct_4"])
    assert marked.result.matches == marked.result.opportunities
    assert marked.result.p_value < 1e-20
    assert [a.account for a in marked.accounts] == ["acct_3", "acct_4"]
    assert marked.accounts[0].p_adjusted < 1e-20
    assert marked.accounts[1].p_adjusted > 1e-3
