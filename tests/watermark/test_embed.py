"""Embedding: protected text untouched, style kept, the key's choice everywhere, and a stream
that gives exactly the whole text's result whatever its chunking."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from distillguard.watermark.choice import Chooser
from distillguard.watermark.embed import Embedder, embed
from distillguard.watermark.keys import MasterKey
from distillguard.watermark.table import CLASSES
from tests.watermark.material import (
    KEY,
    OTHER_KEY,
    PARAGRAPHS,
    chunked,
    corpus_answers,
    occurrences,
    protected_parts,
    signature,
)

CLASS = {cls.name: c for c, cls in enumerate(CLASSES)}
WORDS = ["we", "they", "you", "people", "it", "who", "and", "but", "still", "then", "so"]


def stream(text: str, pieces: list[str], key: MasterKey = KEY, account: str = "") -> str:
    embedder = Embedder(key, account)
    out = "".join(embedder.feed(piece) for piece in pieces)
    return out + embedder.close()


def rewriting_context(name: str, variant: int, key: MasterKey = KEY) -> str:
    """A word after which ``key`` writes ``variant`` of class ``name``."""
    chooser = Chooser(key)
    for word in WORDS + [f"w{i}" for i in range(200)]:
        if chooser.expected(CLASS[name], word) == variant:
            return word
    raise AssertionError(f"no context for {name} {variant}")


def assert_watermarked(text: str, out: str, key: MasterKey = KEY, account: str = "") -> None:
    """What the verifier relies on: ``out`` shows the same opportunities as ``text``, each with
    the key's variant, and the protected parts of ``text`` unchanged."""
    assert protected_parts(out) == protected_parts(text)
    assert signature(out) == signature(text)
    chooser = Chooser(key, account)
    for occurrence, original in zip(occurrences(out), occurrences(text), strict=True):
        if occurrence.blocked:
            assert out[occurrence.start : occurrence.end] == text[original.start : original.end]
        else:
            assert occurrence.variant == chooser.expected(occurrence.cls, occurrence.context)


@pytest.mark.parametrize("account", ["", "acct_1"])
def test_paragraphs_carry_the_watermark(account: str) -> None:
    for text in PARAGRAPHS:
        out = embed(text, KEY, account)
        assert_watermarked(text, out, KEY, account)
    changed = sum(embed(t, KEY, account) != t for t in PARAGRAPHS)
    assert changed >= len(PARAGRAPHS) // 2


def test_embedding_is_idempotent_and_keyed() -> None:
    for text in PARAGRAPHS:
        out = embed(text, KEY)
        assert embed(out, KEY) == out
    assert [embed(t, KEY) for t in PARAGRAPHS] != [embed(t, OTHER_KEY) for t in PARAGRAPHS]


def test_the_rewrite_keeps_capitalisation() -> None:
    word = rewriting_context("do not", 1)
    assert embed(f"{word.capitalize()}. Do not go.", KEY) == f"{word.capitalize()}. Don't go."
    assert embed(f"Hello {word} do not go.", KEY) == f"Hello {word} don't go."
    word = rewriting_context("do not", 0)
    assert embed(f"So {word} Don't go.", KEY) == f"So {word} Do not go."
    assert embed(f"So {word} DON'T go.", KEY) == f"So {word} DON'T go."


def test_the_rewrite_keeps_the_apostrophe_style() -> None:
    word = rewriting_context("do not", 1)
    assert embed(f"I can’t say; {word} do not go.", KEY).endswith(f"{word} don’t go.")
    assert embed(f"I can't say; {word} do not go.", KEY).endswith(f"{word} don't go.")
    assert embed(f"I can’t, it's {word} do not go.", KEY).endswith(f"{word} don't go.")
    assert embed(f"{word} do not go.", KEY) == f"{word} don't go."
    word = rewriting_context("will not", 0)
    assert embed(f"{word} won’t go.", KEY) == f"{word} will not go."


def test_blocked_occurrences_are_left_alone() -> None:
    for text in ("Isn't it?", "Thus far it works.", "It is not nearly done.", "An often case."):
        for key in (KEY, OTHER_KEY, MasterKey(bytes([7]) * 32, "")):
            for account in ("", "a", "b"):
                out = embed(text, key, account)
                blocked = [o for o in occurrences(text) if o.blocked]
                assert blocked
                for o in blocked:
                    assert out[o.start : o.end] == text[o.start : o.end]


def test_protected_text_comes_out_byte_identical() -> None:
    text = (
        "We do not use it often.\n"
        "```python\n# we do not often do this, for example\nx = 'do not'\n```\n"
        "Type `do not often` or open https://example.com/often?for=example and "
        "www.kind-of.org, or mail often@do-not.example.org. Version v2 often fails 1,000 "
        "times (3.5%). The call was "
        '{"name": "do_not", "arguments": {"text": "we often do not"}} and '
        '[1, "for example"] usually. Additionally, they cannot tell.\n'
        "~~~\nwe usually cannot\n"
    )
    for key in (KEY, OTHER_KEY):
        for account in ("", "x"):
            out = embed(text, key, account)
            assert_watermarked(text, out, key, account)
    assert "```python\n# we do not often do this, for example\nx = 'do not'\n```\n" in out
    assert out.endswith("~~~\nwe usually cannot\n")


def test_the_counters() -> None:
    text = " ".join(PARAGRAPHS)
    embedder = Embedder(KEY)
    out = embedder.close(text)
    found = occurrences(text)
    assert embedder.opportunities == sum(not o.blocked for o in found)
    changed = [o for o, n in zip(found, occurrences(out), strict=True) if o.variant != n.variant]
    assert embedder.changed == len(changed) > 0
    assert embedder.changed_words == sum(len(text[o.start : o.end].split()) for o in changed)


def test_empty_and_prose_free_texts() -> None:
    assert embed("", KEY) == ""
    embedder = Embedder(KEY)
    assert embedder.feed("") == ""
    assert embedder.close() == ""
    assert embed("```\ndo not\n```", KEY) == "```\ndo not\n```"


def test_a_stream_holds_back_what_may_still_change_and_releases_it_on_close() -> None:
    embedder = Embedder(KEY)
    first = embedder.feed("Run `do not")
    assert "Run `do not".startswith(first)
    assert "`" not in first
    assert first + embedder.feed(" often") + embedder.close("` now.") == "Run `do not often` now."
    for middle in ('"b": 1', 'we do not often "b": 1'):  # JSON, then not JSON after all
        embedder = Embedder(KEY)
        first = embedder.feed('The call {"a": "do not", ') + embedder.feed(middle)
        assert "{" not in first
        text = f'The call {{"a": "do not", {middle}}} ends the call.'
        assert first + embedder.close("} ends the call.") == embed(text, KEY)
    assert '{"a": "do not", "b": 1}' in embed('The call {"a": "do not", "b": 1} ends.', KEY)


def test_a_long_stream_releases_output_before_it_ends() -> None:
    text = " ".join(PARAGRAPHS * 3)
    embedder = Embedder(KEY)
    released = [embedder.feed(piece) for piece in chunked(text, random.Random(3), 30)]
    assert sum(map(len, released)) > len(text) - 100
    assert "".join(released) + embedder.close() == embed(text, KEY)


FRAGMENTS = [
    *(v for cls in CLASSES for v in cls.variants),
    *(v.capitalize() for cls in CLASSES[:12] for v in cls.variants),
    "DO NOT",
    "don’t",
    "Can’t",
    "isn't it",
    "thus far",
    "not nearly",
    "an often",
    "a usually",
    "no each other",
    "do not one another",
    "are not these days",
    "additionally to",
    *WORDS,
    "I",
    "these",
    "one",
    "no",
    "a",
    "an",
    "far",
    "to",
    "```python\nx = 1  # do not\n```\n",
    "\n```\n",
    "```\nunclosed often",
    "```\nline one\nline two often\n\n  do not\n```\n",
    "~~~~\na often\n~~~\nstill code, do not\n~~~~\n",
    "\n````\n",
    "\n~~~\n",
    "~~~\ncode often\n~~~\n",
    "`do not`",
    "`often",
    "`",
    "``",
    '{"a": "do not"}',
    '[1, "often", {"b": null}]',
    '{"b": ',
    "[",
    "{",
    "}",
    "]",
    '"',
    "https://example.com/often?q=do",
    "www.kind-of.org",
    "often@example.com",
    "3.5",
    "1,000",
    "v2",
    "x86_64",
    ".",
    ",",
    "?",
    " — ",
    "'",
    "’",
    "(",
    ")",
    ":",
    "é",
]
SEPARATORS = ["", " ", " ", " ", "  ", "\n", "\n\n", ", ", ". ", "\t", "\r\n"]
texts = st.lists(
    st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)), max_size=50
).map(lambda parts: "".join(fragment + separator for fragment, separator in parts))
keys = st.sampled_from([KEY, OTHER_KEY, MasterKey(bytes([1]) * 32, "")])


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=texts,
    cuts=st.lists(st.integers(0, 400), max_size=25),
    key=keys,
    account=st.sampled_from(["", "acct"]),
)
def test_streaming_equals_the_whole_text_for_any_chunking(
    text: str, cuts: list[int], key: MasterKey, account: str
) -> None:
    whole = embed(text, key, account)
    bounds = sorted({c for c in cuts if c <= len(text)})
    pieces = [text[a:b] for a, b in zip([0, *bounds], [*bounds, len(text)], strict=True)]
    embedder = Embedder(key, account)
    out = ""
    for piece in pieces:
        out += embedder.feed(piece)
        assert whole.startswith(out)
    out += embedder.close()
    assert out == whole
    assert_watermarked(text, whole, key, account)


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("do not `{}[]\"':/.@1\n tsaey")), max_size=80))
def test_streaming_character_by_character_equals_the_whole_text(text: str) -> None:
    assert stream(text, list(text)) == embed(text, KEY)


@pytest.fixture(scope="module")
def answers() -> list[str]:
    return corpus_answers(oasst=250, alpaca=250)


def test_real_answers_streamed_in_random_chunks_equal_the_whole_text(answers: list[str]) -> None:
    rng = random.Random(5)
    for number, text in enumerate(answers):
        whole = embed(text, KEY, f"acct_{number % 3}")
        assert stream(text, chunked(text, rng), KEY, f"acct_{number % 3}") == whole, number


def test_real_answers_keep_what_the_verifier_relies_on(answers: list[str]) -> None:
    words = changed = opportunities = 0
    for text in answers:
        embedder = Embedder(KEY)
        out = embedder.close(text)
        assert_watermarked(text, out)
        words += len(text.split())
        changed += embedder.changed_words
        opportunities += embedder.opportunities
    assert opportunities > len(answers) // 2  # the table is common in real answers
    assert 0 < changed / words <= 0.05


ONE_LINE = [f for f in FRAGMENTS if "\n" not in f]
long_lines = st.lists(
    st.tuples(st.sampled_from(ONE_LINE), st.sampled_from([" ", " ", ", ", ". ", "  ", ""])),
    min_size=80,
    max_size=300,
).map(lambda parts: "".join(fragment + separator for fragment, separator in parts))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=long_lines, sizes=st.lists(st.integers(1, 40), min_size=1, max_size=8))
def test_a_long_line_streamed_in_small_chunks_equals_the_whole_text(
    text: str, sizes: list[int]
) -> None:
    """Lines longer than LONG_LINE make the stream resume in the middle of the line."""
    pieces: list[str] = []
    position = 0
    while position < len(text):
        size = sizes[len(pieces) % len(sizes)]
        pieces.append(text[position : position + size])
        position += size
    assert stream(text, pieces, KEY, "acct") == embed(text, KEY, "acct")
