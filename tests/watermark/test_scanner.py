"""The scanner: which occurrences of table variants it finds, their contexts, what is blocked."""

from __future__ import annotations

import pytest

from distillguard.watermark.scanner import SCANNER, Scanner, ScanState
from distillguard.watermark.spans import prose
from distillguard.watermark.table import CLASSES, VariantClass
from tests.watermark.material import occurrences

CLASS = {cls.name: c for c, cls in enumerate(CLASSES)}


def found(text: str) -> list[tuple[str, str]]:
    """(matched text, context) of each occurrence."""
    return [(text[o.start : o.end], o.context) for o in occurrences(text)]


def blocked(text: str) -> list[tuple[str, bool]]:
    return [(text[o.start : o.end], o.blocked) for o in occurrences(text)]


def test_every_variant_is_found_in_lower_case_and_capitalised() -> None:
    for c, cls in enumerate(CLASSES):
        for v, variant in enumerate(cls.variants):
            for spelling in (variant, variant[0].upper() + variant[1:]):
                text = f"Well, here {spelling} goes."
                [occurrence] = occurrences(text)
                assert (occurrence.cls, occurrence.variant) == (c, v), spelling
                assert text[occurrence.start : occurrence.end] == spelling
                assert occurrence.context == "here"


def test_all_caps_and_other_casings_are_not_opportunities() -> None:
    assert found("We DO NOT know; it is OFTEN so; FOR EXAMPLE this.") == []
    assert found("We Do Not know, oFTEN.") == []


def test_variants_inside_longer_words_are_not_found() -> None:
    assert found("The amongster ensured-ness: unoften, nobodyish, thusly, cannotx.") == [
        ("ensured", "amongster")
    ]


def test_curly_and_straight_apostrophes() -> None:
    text = "We don't stop; they can’t stop; It’s true we won’t."
    got = [(o.cls, o.variant, o.context) for o in occurrences(text)]
    assert got == [
        (CLASS["do not"], 1, "we"),
        (CLASS["cannot"], 1, "they"),
        (CLASS["will not"], 1, "we"),
    ]


def test_the_context_is_the_previous_word_in_lower_case() -> None:
    assert found("Honestly, Usually it works. THEY often fail.") == [
        ("Usually", "honestly"),
        ("often", "they"),
    ]


def test_the_previous_word_keeps_its_apostrophe_in_straight_form() -> None:
    assert found("It’s often so, and it's often so.") == [("often", "it's"), ("often", "it's")]


def test_no_context_at_the_start_or_after_a_line_break() -> None:
    assert found("Often it rains.\nUsually it stops.") == [("Often", ""), ("Usually", "")]


def test_adjacent_occurrences_take_the_class_name_of_the_previous_one() -> None:
    text = "They usually make sure each other is fine, but don't often, for instance, largely."
    assert found(text) == [
        ("usually", "they"),
        ("make sure", "#usually"),
        ("each other", "#ensure"),
        ("don't", "but"),
        ("often", "#do not"),
        ("for instance", "#often"),
        ("largely", "#for example"),
    ]


def test_a_gap_of_more_than_three_characters_is_not_adjacency() -> None:
    assert found("We often -- usually win.") == [("often", "we"), ("usually", "")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Isn't it nice?", [("Isn't", True)]),
        ("It is not it.", [("is not", True)]),
        ("You don't you think so?", [("don't", True)]),
        ("It isn't that simple.", [("isn't", True)]),
        ("It isn't simple.", [("isn't", False)]),
        ("Thus far, all good.", [("Thus", True)]),
        ("Therefore far away.", [("Therefore", True)]),
        ("And thus we go far.", [("thus", False)]),
        ("Thus we go far.", [("Thus", True)]),  # a line start is unmarked for therefore
        ("It is not nearly enough.", [("is not", False), ("nearly", True)]),
        ("It isn't nearly enough.", [("isn't", False), ("nearly", True)]),
        ("It is not, nearly.", [("is not", False), ("nearly", True)]),
        ("It is nearly enough.", [("nearly", False)]),
        ("Additionally to this.", [("Additionally", True)]),
        ("Additionally, this.", [("Additionally", False)]),
        ("They have no each other.", [("each other", True)]),
        ("An often used tool.", [("often", True)]),
        ("A usually quiet street.", [("usually", True)]),
        ("The usually quiet street.", [("usually", False)]),
        ("A kind of magic.", [("kind of", False)]),
        ("An essentially new idea.", [("essentially", True)]),
        ("It was roughly done, done quickly.", []),  # not in the table: a second sense
    ],
)
def test_blocked_occurrences(text: str, expected: list[tuple[str, bool]]) -> None:
    assert blocked(text) == expected


def test_an_article_blocks_only_classes_whose_variants_start_differently() -> None:
    for cls in CLASSES:
        sensitive = len({variant[0] in "aeiou" for variant in cls.variants}) > 1
        for article in ("a", "an"):
            [occurrence] = occurrences(f"It is {article} {cls.name} thing.")
            assert occurrence.blocked == sensitive, (article, cls.name)
        [occurrence] = occurrences(f"It is this {cls.name} thing.")
        assert occurrence.blocked is False, cls.name


@pytest.mark.parametrize("follower", ["one another", "these days", "One another", "nowadays"])
def test_blocking_never_depends_on_the_variant_written_next(follower: str) -> None:
    """A negation before "these days" (a pronoun first) and before "nowadays" would be blocked
    in one spelling and not in the other: the next occurrence's class decides, not its
    spelling, so the embedder's rewrite of it cannot unblock or block the negation."""
    cls = next(c for c in CLASSES if follower.lower() in c.variants)
    for variant in cls.variants:
        first, _ = occurrences(f"We do not {variant} agree.")
        assert first.blocked is False, variant
    first, _ = occurrences(f"We do not {follower} agree.")
    assert first.blocked is False


def test_a_pronoun_that_starts_no_variant_still_blocks() -> None:
    assert blocked("We do not one day agree.") == [("do not", True)]
    assert blocked("We do not these things.") == [("do not", True)]


def test_blocking_never_depends_on_the_variant_written_before() -> None:
    assert blocked("It is not nearly done.")[1] == blocked("It isn't nearly done.")[1]
    assert blocked("It is not nearly done.")[1] == ("nearly", True)


def test_nothing_is_found_inside_protected_spans() -> None:
    text = (
        "```\nwe do not often\n```\n"
        "Run `do not often` or see https://example.com/often/do-not?kind=often or "
        "often@example.com, then 3often and "
        '{"note": "we usually do not", "list": ["often"]} and\n~~~\nfor example'
    )
    assert found(text) == []


def test_the_context_does_not_reach_into_a_protected_span() -> None:
    assert found("Run `make` often.") == [("often", "")]
    assert found("Visit www.example.com often.") == [("often", "")]
    assert found("See v2 often.") == [("often", "")]


def test_occurrences_respect_the_window() -> None:
    text = "We often win and usually lose and cannot tie."
    spans = prose(text)
    state = ScanState()
    head = SCANNER.occurrences(text, spans, 0, text.index("usually"), state)
    tail = SCANNER.occurrences(text, spans, text.index("usually"), len(text), state)
    assert [text[o.start : o.end] for o in head] == ["often"]
    assert [text[o.start : o.end] for o in tail] == ["usually", "cannot"]
    assert head + tail == occurrences(text)


def test_the_state_carries_adjacency_across_windows() -> None:
    text = "They usually often win."
    spans = prose(text)
    state = ScanState()
    SCANNER.occurrences(text, spans, 0, 10, state)
    [second] = SCANNER.occurrences(text, spans, 10, len(text), state)
    assert second.context == "#usually"


def test_a_table_with_a_variant_in_two_classes_is_refused() -> None:
    one = VariantClass(("often", "frequently"), (0.5, 0.5))
    two = VariantClass(("frequently", "commonly"), (0.5, 0.5))
    with pytest.raises(ValueError, match="two classes"):
        Scanner((one, two))


def test_a_custom_table() -> None:
    scanner = Scanner((VariantClass(("big", "large"), (0.6, 0.4)),))
    text = "A big dog and a Large cat."
    got = scanner.occurrences(text, prose(text), 0, len(text), ScanState())
    assert [(o.variant, o.context) for o in got] == [(0, "a"), (1, "a")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I do not know.", [("do not", True)]),  # "I" holds most of "do not": unmarked
        ("We do not know.", [("do not", False)]),
        ("There are quite a lot of options.", [("a lot of", True)]),
        ("There are still a lot of options.", [("a lot of", False)]),
        ("It is ensured that data is kept.", [("ensured", True)]),
        ("They ensured that data is kept.", [("ensured", False)]),
        ("We cannot nearly finish.", [("cannot", False), ("nearly", True)]),
    ],
)
def test_unmarked_contexts_and_more_blocks(text: str, expected: list[tuple[str, bool]]) -> None:
    assert blocked(text) == expected


def test_unmarked_contexts_are_the_contexts_a_class_declares() -> None:
    for cls in CLASSES:
        for context in cls.unmarked:
            prefix = f"{context} " if context else ""
            [occurrence] = occurrences(f"{prefix}{cls.name} it")
            assert occurrence.context == context
            assert occurrence.blocked, (cls.name, context)
