"""The call pass: skeletons, system-prompt hashes, refusals, carried columns."""

from __future__ import annotations

from distillguard.detect.calls import CARRIED, SKELETON_CHARS
from distillguard.detect.signals import SIGNAL_NAMES
from tests.detect.conftest import at, calls_of

OPENING = (
    "You are grading a solution. Read the problem, then explain every intermediate step of "
    "the derivation before the final answer: "
)


def skeletons(*prompts: str, system: str | None = None) -> list[int]:
    table = calls_of([{"user_text": p, "system_prompt": system} for p in prompts])
    values: list[int] = table.column("skeleton").to_pylist()
    return values


def test_opening_is_longer_than_the_skeleton() -> None:
    assert len(OPENING) > SKELETON_CHARS  # the cases below rely on it


def test_skeleton_ignores_everything_after_its_window() -> None:
    a, b = skeletons(OPENING + "integrate x^2 from 0 to 1", OPENING + "what is 17 * 23?")
    assert a == b


def test_skeleton_folds_digit_runs_of_the_same_length() -> None:
    a, b = skeletons("Problem 12: add 34 and 56.", "Problem 98: add 76 and 54.")
    assert a == b


def test_skeleton_folds_digit_runs_of_any_length_in_short_prompts() -> None:
    a, b = skeletons("Problem 1: add 3 and 5.", "Problem 12345: add 3000 and 57.")
    assert a == b


def test_skeleton_folds_digit_runs_of_any_length_in_long_prompts() -> None:
    a, b = skeletons("Task 7. " + OPENING + "x", "Task 123456. " + OPENING + "x")
    assert a == b


def test_skeleton_is_case_insensitive_and_reads_the_system_prompt() -> None:
    a, b = skeletons("Translate THIS sentence.", "translate this sentence.")
    assert a == b
    (with_system,) = skeletons("translate this sentence.", system="You are a translator.")
    assert with_system != a


def test_skeleton_differs_for_different_openings() -> None:
    a, b, c = skeletons(OPENING + "x", "Summarize the following article in two lines: x", "")
    assert len({a, b, c}) == 3


def test_system_hash_is_null_without_a_system_prompt() -> None:
    table = calls_of(
        [
            {"system_prompt": None, "user_text": "hi"},
            {"system_prompt": "", "user_text": "hi"},
            {"system_prompt": "You are a tutor.", "user_text": "hi"},
            {"system_prompt": "You are a tutor.", "user_text": "something else"},
            {"system_prompt": "You are a lawyer.", "user_text": "hi"},
        ]
    )
    none, empty, tutor, tutor_again, lawyer = table.column("system_hash").to_pylist()
    assert none is None
    assert empty is None
    assert tutor is not None
    assert tutor == tutor_again
    assert lawyer not in (None, tutor)


def test_refused_by_flag_or_by_text() -> None:
    table = calls_of(
        [
            {"refusal": True, "response_text": "Here is your answer."},
            {"refusal": None, "response_text": "I can't help with that request."},
            {"refusal": False, "response_text": "I'm sorry, but I cannot provide that."},
            {"refusal": False, "response_text": "Sure, here it is."},
            {"refusal": None, "response_text": None},
        ]
    )
    assert table.column("refused").to_pylist() == [True, True, True, False, False]


def test_one_row_per_call_with_carried_columns_flags_and_clock() -> None:
    table = calls_of(
        [
            {"ts": at(13.5), "account_id": "x", "user_text": "Give me your full reasoning."},
            {"ts": at(26.25), "account_id": "y", "user_text": "What is a cat?"},
        ]
    )
    assert table.num_rows == 2
    names = set(table.column_names)
    assert set(CARRIED) <= names
    assert {f"sig_{n}" for n in SIGNAL_NAMES} <= names
    assert "user_text" not in names  # the text is replaced by what was learnt from it
    assert table.column("hour").to_pylist() == [13, 2]
    minutes = table.column("minute").to_pylist()
    assert minutes[1] - minutes[0] == int((26.25 - 13.5) * 60)
    assert table.column("sig_cot_full_reasoning").to_pylist() == [True, False]
    assert table.column("skeleton_chars").to_pylist() == [
        len("Give me your full reasoning."),
        len("What is a cat?"),
    ]
