"""Plain words: every reason a terms clause can name has a meaning for the reader."""

from __future__ import annotations

from distillguard.dossier import glossary
from distillguard.dossier.terms import SHIPPED, known_signals, load


def test_every_signal_a_clause_can_name_is_explained() -> None:
    missing = [name for name in sorted(known_signals()) if not glossary.reason(name)]
    assert missing == []


def test_the_shipped_clauses_signals_are_explained() -> None:
    names = [n for c in load(SHIPPED).clauses for n in c.signals]
    assert all(glossary.reasons(names).values())


def test_terms_are_explained_once_in_plain_words() -> None:
    assert len(glossary.TERMS) == len({t.lower() for t in glossary.TERMS})
    for term, meaning in glossary.TERMS.items():
        assert meaning.endswith("."), term
    assert glossary.reason("no_such_reason") == ""
