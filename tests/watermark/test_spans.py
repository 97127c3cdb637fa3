"""Protected spans: code, URLs, e-mail, numbers and JSON are never prose."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distillguard.watermark.spans import MAX_JSON, complement, merge, prose, protected, scan


def covered(text: str) -> list[str]:
    return [text[a:b] for a, b in protected(text)]


def prose_text(text: str) -> str:
    return "".join(text[a:b] for a, b in prose(text))


def test_fenced_code_is_protected_whole() -> None:
    text = "Use this:\n```python\nlarge = big_value\n```\nIt is big."
    assert "```python\nlarge = big_value\n```" in covered(text)
    assert "large" not in prose_text(text)
    assert "It is big." in prose_text(text)


def test_an_unclosed_fence_protects_the_rest() -> None:
    text = "Start.\n~~~\nbig large\nstill code"
    assert covered(text)[-1].startswith("~~~")
    assert prose_text(text) == "Start.\n"


def test_a_fence_closes_only_with_the_same_marker() -> None:
    text = "```\ncode ~~~\n~~~\nmore code\n```\nprose"
    assert prose_text(text).strip() == "prose"


def test_inline_code_urls_emails_and_numbers() -> None:
    text = (
        "Call `make big` at https://example.com/a?b=1 or mail ops@example.org; "
        "it takes 3.5 s and v2."
    )
    spans = covered(text)
    assert "`make big`" in spans
    assert "https://example.com/a?b=1" in spans
    assert "ops@example.org;" in spans or "ops@example.org" in spans
    assert "3.5" in spans
    assert "v2." in spans or "v2" in spans
    rest = prose_text(text)
    assert "make big" not in rest
    assert "example" not in rest


def test_an_open_inline_code_at_the_end_is_protected() -> None:
    text = "Run `pip install big"
    assert prose_text(text) == "Run "


@pytest.mark.parametrize(
    "payload",
    [
        '{"name": "get_weather", "arguments": {"city": "big town"}}',
        '[1, 2, {"a": "large"}]',
        '{"text": "a } inside a string", "n": null}',
    ],
)
def test_json_values_are_protected(payload: str) -> None:
    text = f"The call was {payload} and it worked."
    assert payload in covered(text)
    assert prose_text(text) == "The call was  and it worked."


def test_braces_that_are_not_json_stay_prose() -> None:
    text = "Sets like {big, large} are not JSON; nor is [see above]."
    assert "big" in prose_text(text)
    assert "see above" in prose_text(text)


def test_prose_and_protected_partition_the_text() -> None:
    text = 'A big `x` at www.example.com, {"k": [1]} then 42 words\n```\ncode\n'
    spans = sorted(protected(text) + prose(text))
    position = 0
    for start, end in spans:
        assert start == position
        position = end
    assert position == len(text)


def test_merge() -> None:
    assert merge([(5, 7), (0, 2), (1, 3), (7, 9)]) == [(0, 3), (5, 9)]


def test_scan_gives_the_protected_spans() -> None:
    for text in (
        "A big `x` at www.example.com",
        'The call {"k": [1]} then 42 words\n```\ncode\n',
        "Plain prose only.",
        "",
    ):
        assert scan(text).spans == protected(text)


@pytest.mark.parametrize(
    "text",
    [
        "Plain prose only.",
        "Closed `code` and more",
        'A closed {"json": [1, 2]} value',
        "Sets like {big, large} are not JSON",
        "```\nan open fence protects the rest { and ` too",
        "`an open inline code on a previous line\nthen prose",
        "",
    ],
)
def test_a_finished_text_is_open_from_its_end(text: str) -> None:
    assert scan(text).open_from == len(text)


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        ("Run `pip install big", "`pip"),
        ("Run `a` then `b", "`b"),
        ("Run `", "`"),
        ("``", "`"),
        ("A `closed` one, then `open and big", "`open"),
        ('The call {"name": "get", ', "{"),
        ('The call [1, {"a": 2}', "["),
        ('A {"a": 1} then {"b":', '{"b"'),
        ("Sets like {big, ", "{"),
        ('Both `x {"a": ', "`"),
        ('Both {"a": "`x', "{"),
    ],
)
def test_an_open_inline_code_or_json_value_at_the_end_holds_the_stream(
    text: str, opening: str
) -> None:
    assert scan(text).open_from == text.rindex(opening)


def test_an_open_inline_code_runs_to_the_end_of_the_text_only() -> None:
    """The ``\\Z`` rule: a backtick opens inline code to the end only on the last line."""
    text = "Run `pip install big"
    assert covered(text) == ["`pip install big"]
    assert prose_text("Run `pip\ninstall big") == "Run `pip\ninstall big"
    assert prose_text("Run `a` and `b` big") == "Run  and  big"
    assert prose_text("Run `a` and big`") == "Run  and big"  # the last backtick opens one


def test_a_json_value_is_held_up_to_the_length_limit() -> None:
    assert scan("{" + "a" * (MAX_JSON - 10)).open_from == 0
    assert scan("{" + "a" * (MAX_JSON + 10)).open_from == MAX_JSON + 11
    assert scan("[" + " " * (MAX_JSON - 3) + "1]").spans == [(0, MAX_JSON)]
    too_long = "[" + " " * (MAX_JSON - 2) + "1]"
    assert scan(too_long).spans == [(MAX_JSON - 1, MAX_JSON + 1)]  # only the digit word "1]"


def test_complement() -> None:
    assert complement([], 5) == [(0, 5)]
    assert complement([(0, 5)], 5) == []
    assert complement([(1, 2), (3, 5)], 6) == [(0, 1), (2, 3), (5, 6)]
    assert complement([(0, 2)], 4) == [(2, 4)]
    assert complement([], 0) == []


def test_prose_is_the_complement_of_the_protected_spans() -> None:
    text = 'A big `x` at www.example.com, {"k": [1]} then 42 words\n```\ncode\n'
    assert prose(text) == complement(protected(text), len(text))


SPAN_PIECES = [
    "big",
    "often",
    " ",
    "  ",
    "\n",
    "`",
    "``",
    "```",
    "~~~",
    "{",
    "}",
    "[",
    "]",
    '"',
    ":",
    ",",
    "1",
    "v2",
    "www.",
    "https://",
    "a.b",
    "@",
    "x@y.org",
    '{"a": 1}',
    '"k": ',
    "null",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SPAN_PIECES), max_size=40), st.integers(0, 40))
def test_appending_text_changes_nothing_before_the_open_position_and_the_last_word(
    pieces: list[str], cut: int
) -> None:
    """What the stream relies on: text appended later can change which characters are
    protected only from ``open_from`` on, or within the last (unfinished) word."""
    text = "".join(pieces)
    head = text[: min(len(text), cut * 3)]
    found = scan(head)
    last_word = max((i + 1 for i, c in enumerate(head) if c.isspace()), default=0)
    safe = min(found.open_from, last_word)

    def protected_characters(spans: list[tuple[int, int]]) -> set[int]:
        return {i for a, b in spans for i in range(a, min(b, safe)) if not text[i].isspace()}

    assert protected_characters(protected(text)) == protected_characters(found.spans)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SPAN_PIECES), max_size=40))
def test_spans_and_complement_partition_any_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    spans = protected(text)
    assert spans == merge(spans)
    parts = sorted(spans + prose(text))
    position = 0
    for start, end in parts:
        assert start == position < end
        position = end
    assert position == len(text)


def test_scan_lists_the_fences_with_their_markers() -> None:
    text = "a\n```python\ncode\n```\nb\n~~~~\nopen ~~~\n~~~\nstill open"
    fences = scan(text).fences
    assert fences == [
        (text.index("```python"), text.index("\nb\n"), "```"),
        (text.index("~~~~"), len(text), "~~~~"),
    ]


def test_scan_can_start_inside_a_fenced_block() -> None:
    text = "still code, big\n```\nprose again\n"
    inside = scan(text, "```")
    assert inside.spans == [(0, text.index("\nprose"))]
    assert inside.fences == [(0, text.index("\nprose"), "```")]
    assert scan(text).spans == [(text.index("```"), len(text))]  # from outside: it opens one
    # a shorter marker, or the other kind, does not close the block
    assert scan("code\n~~~\nmore\n", "~~~~").spans == [(0, len("code\n~~~\nmore\n"))]
    assert scan("code\n```\nmore", "~~~").spans == [(0, len("code\n```\nmore"))]
    assert scan("code\n````\nprose", "```").spans == [(0, len("code\n````"))]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*SPAN_PIECES, "```", "\n```\n", "\n~~~~\n"]), max_size=30))
def test_resuming_inside_a_fence_sees_what_the_whole_text_sees(pieces: list[str]) -> None:
    """Scanning from a line inside a fenced block, with its marker, finds the same spans
    as scanning the whole text (shifted), which a stream relies on when it drops its past."""
    text = "".join(pieces)
    whole = scan(text)
    for start, end, marker in whole.fences:
        base = text.find("\n", start) + 1
        if not 0 < base < end:
            continue
        resumed = scan(text[base:], marker)
        shifted = [(max(a - base, 0), b - base) for a, b in whole.spans if b > base]
        assert resumed.spans == shifted
        if whole.open_from >= base:  # a stream never drops text from before its open position
            assert resumed.open_from == whole.open_from - base
