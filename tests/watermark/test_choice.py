"""The keyed choice: fixed per key and context, natural shares over contexts, global pairs."""

from __future__ import annotations

import random
from itertools import accumulate

from distillguard.watermark.choice import GLOBAL_SHARE, Chooser, unit
from distillguard.watermark.keys import MasterKey
from distillguard.watermark.table import CLASSES, VariantClass
from tests.watermark.material import KEY, OTHER_KEY

_rng = random.Random(20261127)
CONTEXTS = [f"w{_rng.getrandbits(40):x}" for _ in range(2000)]


def picks(chooser: Chooser, contexts: list[str] = CONTEXTS[:300]) -> list[int]:
    return [chooser.expected(c, x) for c in range(len(CLASSES)) for x in contexts]


def test_unit_is_deterministic_and_in_the_unit_interval() -> None:
    secret = KEY.subkey("a")
    values = [unit(secret, "often", x) for x in CONTEXTS]
    assert values == [unit(secret, "often", x) for x in CONTEXTS]
    assert all(0.0 <= u < 1.0 for u in values)
    assert len(set(values)) == len(values)
    assert 0.45 < sum(values) / len(values) < 0.55
    assert sum(u < 0.1 for u in values) / len(values) < 0.15


def test_unit_depends_on_the_secret_the_class_and_the_context() -> None:
    base = unit(b"k" * 32, "often", "we")
    assert unit(b"j" * 32, "often", "we") != base
    assert unit(b"k" * 32, "usually", "we") != base
    assert unit(b"k" * 32, "often", "they") != base


def test_the_choice_is_fixed_by_the_key() -> None:
    assert picks(Chooser(KEY)) == picks(Chooser(MasterKey(KEY.secret, "another date")))
    assert picks(Chooser(KEY, "acct")) == picks(Chooser(KEY, "acct"))


def test_different_keys_and_accounts_choose_differently() -> None:
    base = picks(Chooser(KEY))
    for other in (Chooser(OTHER_KEY), Chooser(KEY, "acct_1"), Chooser(KEY, "acct_2")):
        differ = sum(a != b for a, b in zip(base, picks(other), strict=True))
        assert differ > len(base) // 20


def test_each_variant_is_chosen_in_its_natural_share() -> None:
    chooser = Chooser(KEY, "acct")
    for c, cls in enumerate(CLASSES):
        chosen = [chooser.expected(c, x) for x in CONTEXTS]
        for v, weight in enumerate(cls.weights):
            share = chosen.count(v) / len(chosen)
            # a binomial share over 2,000 contexts has a standard deviation under 0.012
            assert abs(share - weight) < 0.05, (cls.name, cls.variants[v], share, weight)


def test_pick_maps_the_keyed_unit_onto_the_cumulative_weights() -> None:
    cls = VariantClass(("one", "two", "three"), (0.2, 0.3, 0.5))
    chooser = Chooser(KEY, "", (cls,))
    secret = KEY.derive(b"global")
    bounds = list(accumulate(cls.weights))
    for x in CONTEXTS[:500]:
        u = unit(secret, "one", x)
        expected = next(i for i, bound in enumerate(bounds) if u < bound)
        assert chooser.pick(secret, 0, x) == expected
        assert chooser.global_pick(0, x) == expected


def test_about_the_global_share_of_pairs_are_global_for_every_account() -> None:
    roles = [Chooser(KEY).is_global(c, x) for c in range(len(CLASSES)) for x in CONTEXTS[:500]]
    share = sum(roles) / len(roles)
    assert abs(share - GLOBAL_SHARE) < 0.02  # 23,500 pairs: standard deviation 0.003
    for account in ("a", "b"):
        chooser = Chooser(KEY, account)
        assert roles == [
            chooser.is_global(c, x) for c in range(len(CLASSES)) for x in CONTEXTS[:500]
        ]
    other = Chooser(OTHER_KEY)
    assert roles != [other.is_global(c, x) for c in range(len(CLASSES)) for x in CONTEXTS[:500]]


def test_global_pairs_get_the_same_variant_for_every_account_and_own_pairs_the_account_key() -> (
    None
):
    choosers = [Chooser(KEY, account) for account in ("", "acct_1", "acct_2")]
    own_differences = 0
    for c in range(len(CLASSES)):
        for x in CONTEXTS[:200]:
            expected = [chooser.expected(c, x) for chooser in choosers]
            if choosers[0].is_global(c, x):
                assert len(set(expected)) == 1
                assert expected[0] == choosers[1].global_pick(c, x)
            else:
                assert expected == [chooser.account_pick(c, x) for chooser in choosers]
                own_differences += len(set(expected)) > 1
    assert own_differences > 100


def test_global_picks_do_not_depend_on_the_account_and_account_picks_do() -> None:
    a, b = Chooser(KEY, "a"), Chooser(KEY, "b")
    pairs = [(c, x) for c in range(len(CLASSES)) for x in CONTEXTS[:100]]
    assert [a.global_pick(*p) for p in pairs] == [b.global_pick(*p) for p in pairs]
    assert [a.account_pick(*p) for p in pairs] != [b.account_pick(*p) for p in pairs]


def test_the_empty_account_is_the_sub_key_of_the_empty_id() -> None:
    chooser = Chooser(KEY)
    secret = KEY.subkey("")
    for x in CONTEXTS[:100]:
        assert chooser.account_pick(0, x) == chooser.pick(secret, 0, x)
