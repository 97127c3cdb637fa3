"""The simulator's data files: found through the package, shipped in a wheel, well-formed."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from importlib.resources import files
from pathlib import Path

import pytest

from distillguard.simulate.phrases import tables
from distillguard.simulate.populations import KINDS, PER_ACCOUNT, presets, profile

_PACKAGE = Path(__file__).parents[2] / "src" / "distillguard"
_PHRASES = ("answers", "apps", "campaigns", "english_prompts", "intl_prompts", "languages")
_PHRASES += ("lookalikes", "public")


def test_every_data_file_is_package_data() -> None:
    pyproject = tomllib.loads((_PACKAGE.parents[1] / "pyproject.toml").read_text())
    globs = pyproject["tool"]["setuptools"]["package-data"]["distillguard"]
    data = [p.relative_to(_PACKAGE).as_posix() for p in (_PACKAGE / "simulate").rglob("*")]
    shipped = [p for p in data if p.endswith((".json", ".toml"))]
    assert shipped
    assert all(any(fnmatch(p, g) for g in globs) for p in shipped), shipped


@pytest.mark.parametrize("name", _PHRASES)
def test_phrase_files_load_through_the_package(name: str) -> None:
    assert (files("distillguard.simulate") / "data" / "phrases" / f"{name}.json").is_file()
    assert tables.load(name)
    assert tables.load(name) is tables.load(name)  # read once per process


def test_phrase_data_is_read_only() -> None:
    table = tables.load("campaigns")
    with pytest.raises(TypeError):
        table["COT_ROLES"] = ()  # type: ignore[index]
    assert isinstance(tables.words(table, "COT_ROLES"), tuple)


def test_a_wrong_shape_fails_loudly() -> None:
    table = tables.load("languages")
    with pytest.raises(tables.PhraseDataError, match="list of strings"):
        tables.words(table, "LANGUAGE_NAMES")
    with pytest.raises(tables.PhraseDataError, match="no 'MISSING'"):
        tables.texts(table, "MISSING")


def test_kind_presets_load_through_the_package() -> None:
    assert (files("distillguard.simulate") / "data" / "kinds.toml").is_file()
    assert presets() is KINDS
    assert KINDS["hydra_cot"]["campaign"] is True  # from the campaign base
    assert KINDS["relay"]["temperature"] == PER_ACCOUNT
    assert profile("relay").temperature is None
