"""The substitution table: well-formed classes, and no substitution that can create a new match."""

from __future__ import annotations

import math
from itertools import permutations

import pytest

from distillguard.watermark.table import CLASSES, MIN_WEIGHT, PRONOUNS, VariantClass


def test_every_class_has_weighted_variants_summing_to_one() -> None:
    for cls in CLASSES:
        assert len(cls.variants) >= 2, cls
        assert len(cls.weights) == len(cls.variants), cls
        assert math.isclose(sum(cls.weights), 1.0, abs_tol=1e-9), cls
        assert min(cls.weights) >= MIN_WEIGHT - 1e-12, cls
        assert cls.name == cls.variants[0]


def test_variants_are_lower_case_distinct_and_in_one_class_only() -> None:
    seen: dict[str, str] = {}
    for cls in CLASSES:
        assert len(set(cls.variants)) == len(cls.variants), cls
        for variant in cls.variants:
            assert variant == variant.lower() == variant.strip(), variant
            assert "  " not in variant
            assert variant not in seen, f"{variant!r} is in {seen.get(variant)!r} and {cls.name!r}"
            seen[variant] = cls.name


def test_class_names_are_unique() -> None:
    names = [cls.name for cls in CLASSES]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("variants", "weights"),
    [
        (("alone",), (1.0,)),
        (("a", "b"), (0.5,)),
        (("a", "b"), (0.5, 0.6)),
        (("a", "b"), (0.97, 0.03)),
        (("a", "b", "c"), (0.5, 0.5, 0.0)),
        (("a", "b"), (1.2, -0.2)),
    ],
)
def test_a_class_with_bad_weights_is_refused(
    variants: tuple[str, ...], weights: tuple[float, ...]
) -> None:
    with pytest.raises(ValueError, match="variant"):
        VariantClass(variants, weights)


def test_a_class_at_the_minimum_weight_is_accepted() -> None:
    cls = VariantClass(("often", "frequently"), (1 - MIN_WEIGHT, MIN_WEIGHT))
    assert cls.name == "often"


def _words(variant: str) -> list[str]:
    return variant.split(" ")


def test_no_variant_is_a_word_prefix_of_another() -> None:
    """Otherwise a stream cut after the shorter one could match it instead of the longer."""
    variants = [v for cls in CLASSES for v in cls.variants]
    for a, b in permutations(variants, 2):
        wa, wb = _words(a), _words(b)
        assert wb[: len(wa)] != wa, (a, b)


def unguarded_overlaps(classes: tuple[VariantClass, ...]) -> list[tuple[str, str]]:
    """Pairs (A, B) of variants of two classes where A's last words are B's first words and
    B's class does not block the word of A before the overlap."""
    found = []
    for i, a_cls in enumerate(classes):
        for j, b_cls in enumerate(classes):
            if i == j:
                continue
            for a in a_cls.variants:
                for b in b_cls.variants:
                    wa, wb = _words(a), _words(b)
                    for overlap in range(1, min(len(wa) - 1, len(wb) - 1) + 1):
                        blocked = wa[-overlap - 1] in b_cls.block_before
                        if wa[-overlap:] == wb[:overlap] and not blocked:
                            found.append((a, b))
    return found


def test_no_substitution_creates_a_match_with_the_words_before_it() -> None:
    """Writing variant B after words that, with B's first words, spell a variant A of
    another class ("no" + "one another") would make the scanner read A there instead: the
    text would no longer show the occurrence the embedder chose, and the verifier would see
    another class. Every such overlap must be blocked by B's class on the word before it."""
    assert unguarded_overlaps(CLASSES) == []


def test_the_overlap_check_sees_an_unguarded_pair() -> None:
    no_one = VariantClass(("no one", "nobody"), (0.7, 0.3))
    each_other = VariantClass(("each other", "one another"), (0.83, 0.17))
    guarded = VariantClass(each_other.variants, each_other.weights, frozenset({"no"}))
    assert unguarded_overlaps((no_one, each_other)) == [("no one", "one another")]
    assert unguarded_overlaps((no_one, guarded)) == []
    in_spite = VariantClass(("despite", "in spite of"), (0.9, 0.1))
    of_course = VariantClass(("of course", "naturally"), (0.5, 0.5))
    assert unguarded_overlaps((in_spite, of_course)) == [("in spite of", "of course")]


def test_the_documented_blocks_are_in_the_table() -> None:
    by_name = {cls.name: cls for cls in CLASSES}
    assert by_name["is not"].block_after >= PRONOUNS  # "isn't it?"
    assert by_name["do not"].block_after >= PRONOUNS  # "don't you?"
    assert "far" in by_name["therefore"].block_after  # "thus far"
    assert "not" in by_name["nearly"].block_before  # "not nearly"
    assert "to" in by_name["additionally"].block_after  # "in addition to"
    assert "no" in by_name["each other"].block_before  # "no one another"
