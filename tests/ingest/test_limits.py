"""The caps of a run: from the settings table, checked, and the same defaults everywhere."""

from __future__ import annotations

import pytest

from distillguard.ingest.limits import MIN_RECORD_BYTES, Limits
from distillguard.ingest.sources import InputError
from distillguard.settings import Settings


def test_the_defaults_are_the_settings_tables() -> None:
    assert Limits() == Limits.from_settings(Settings.load(environ={}))


def test_the_settings_set_the_caps_and_nonsense_is_refused() -> None:
    env = {"DISTILLGUARD_INGEST_MAX_RECORD_BYTES": "4096"}
    assert Limits.from_settings(Settings.load(environ=env)).max_record_bytes == 4096
    tiny = {"DISTILLGUARD_INGEST_MAX_RECORD_BYTES": str(MIN_RECORD_BYTES - 1)}
    with pytest.raises(InputError, match="at least"):
        Limits.from_settings(Settings.load(environ=tiny))
    with pytest.raises(InputError, match="positive"):
        Limits.from_settings(
            Settings.load(environ={"DISTILLGUARD_INGEST_MAX_COMPRESSION_RATIO": "0.5"})
        )
