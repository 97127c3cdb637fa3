"""The terms policy: the shipped example loads, and a broken file says where it is broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from distillguard.dossier.terms import BEHAVIOURS, SHIPPED, TermsError, known_signals, load

GOOD = """
name = "Our terms"
version = "1"
source = "https://example.test/terms"
unsupported_regions = ["KP"]

[[clause]]
id = "one"
section = "1"
title = "No extraction"
text = "Do not extract."
signals = ["elicitation_share", "payment"]
behaviours = ["shared_payment"]

[jurisdictions]
default = "No note."
KP = "Not offered."
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "terms.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_example_loads_and_names_only_real_signals() -> None:
    terms = load(SHIPPED)
    assert {c.id for c in terms.clauses} >= {
        "automated-extraction",
        "competing-models",
        "circumvention",
        "supported-regions",
        "one-account",
        "truthful-registration",
    }
    signals = known_signals()
    for clause in terms.clauses:
        assert clause.signals or clause.behaviours
        assert set(clause.signals) <= signals
        assert set(clause.behaviours) <= set(BEHAVIOURS)
    assert set(terms.unsupported_regions) >= {"CN", "RU"}


def test_every_behaviour_is_named_by_some_shipped_clause() -> None:
    named = {b for c in load(SHIPPED).clauses for b in c.behaviours}
    assert named == set(BEHAVIOURS)


def test_a_file_of_ones_own_loads(tmp_path: Path) -> None:
    terms = load(write(tmp_path, GOOD))
    [clause] = terms.clauses
    assert clause.signals == ("elicitation_share", "payment")
    assert terms.note("KP") == "Not offered."
    assert terms.note("FR") == "No note."
    assert terms.note(None) == "No note."


BROKEN = [
    ('name = "Our terms"', 'name = "Our terms', "not a TOML file"),
    ('version = "1"', 'version = "1"\nextra = 1', "unknown key 'extra'"),
    ('id = "one"', 'id = "one"\nwhy = "x"', r"unknown key clause\[1\]\.'why'"),
    ('source = "https://example.test/terms"\n', "", "missing key 'source'"),
    ('section = "1"', "section = 1", r"clause\[1\]\.'section' must be a str"),
    ('"payment"]', '"paymnet"]', "'paymnet', which no scan emits"),
    ('["shared_payment"]', '["mind_reading"]', "'mind_reading', not an indicator"),
    ('["KP"]', '["KP", 3]', "unsupported_regions must be a list of strings"),
    ('KP = "Not offered."', "KP = 1", "jurisdictions.KP must be a string"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_a_broken_file_names_the_file_and_the_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(TermsError, match=message) as raised:
        load(path)
    assert str(path) in str(raised.value)


def test_a_clause_id_used_twice_is_refused(tmp_path: Path) -> None:
    clause = GOOD[GOOD.index("[[clause]]") : GOOD.index("[jurisdictions]")]
    with pytest.raises(TermsError, match="'one' is used twice"):
        load(write(tmp_path, GOOD + clause))


def test_a_missing_file_is_a_terms_error(tmp_path: Path) -> None:
    with pytest.raises(TermsError, match="cannot be read"):
        load(tmp_path / "absent.toml")
