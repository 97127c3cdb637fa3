"""Protected spans: code, URLs, e-mail, numbers and JSON are never prose."""

from __future__ import annotations

import pytest

from distillguard.watermark.spans import merge, prose, protected


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
