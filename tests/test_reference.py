"""The generated reference tables in docs/ match the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from distillguard import reference

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", sorted(reference.GENERATED))
def test_generated_blocks_are_up_to_date(name: str) -> None:
    text = (DOCS / name).read_text(encoding="utf-8")
    expected = reference.replace_block(text, reference.GENERATED[name]())
    assert text == expected, f"run `python -m distillguard.reference docs` to refresh {name}"


def test_every_column_is_documented() -> None:
    text = reference.data_model()
    for columns in reference.TABLES.values():
        for column in columns:
            assert f"`{column.name}`" in text
            assert column.doc


def test_a_document_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="markers"):
        reference.replace_block("no markers here", "x")
