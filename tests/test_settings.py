"""The settings table: defaults, a TOML file, environment variables and overrides, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from distillguard.settings import ENV_PREFIX, SETTINGS, Settings, SettingsError

NO_ENV: dict[str, str] = {}


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "distillguard.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults() -> None:
    settings = Settings.load(environ=NO_ENV)
    assert dict(settings.values) == {s.name: s.default for s in SETTINGS}
    assert settings.integer("ingest.workers") == 0
    assert settings.integer("ingest.batch_records") == 20_000
    assert settings.flag("ingest.enrich") is True
    assert settings.text("otel.account_attribute") == "user.id"
    assert settings["workspace"] == "./distillguard-data"


def test_toml_file(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        'workspace = "/data/dg"\n'
        "[ingest]\nworkers = 3\nenrich = false\nmemory_limit = '512MB'\n"
        '[otel]\naccount_attribute = "enduser.id"\n',
    )
    settings = Settings.load(config, environ=NO_ENV)
    assert settings.integer("ingest.workers") == 3
    assert settings.flag("ingest.enrich") is False
    assert settings.text("ingest.memory_limit") == "512MB"
    assert settings.text("otel.account_attribute") == "enduser.id"
    assert settings.text("workspace") == "/data/dg"
    assert settings.integer("ingest.batch_records") == 20_000  # untouched default


def test_config_file_named_by_environment(tmp_path: Path) -> None:
    config = _config(tmp_path, "[ingest]\nworkers = 5\n")
    settings = Settings.load(environ={ENV_PREFIX + "CONFIG": str(config)})
    assert settings.integer("ingest.workers") == 5


def test_environment_overrides_file(tmp_path: Path) -> None:
    config = _config(tmp_path, "[ingest]\nworkers = 3\nbatch_records = 100\n")
    settings = Settings.load(config, environ={"DISTILLGUARD_INGEST_WORKERS": "7"})
    assert settings.integer("ingest.workers") == 7
    assert settings.integer("ingest.batch_records") == 100


def test_overrides_win_over_environment() -> None:
    settings = Settings.load(
        environ={"DISTILLGUARD_INGEST_WORKERS": "7"}, overrides={"ingest.workers": 2}
    )
    assert settings.integer("ingest.workers") == 2
    with pytest.raises(SettingsError, match="nope"):
        Settings.load(environ=NO_ENV, overrides={"nope": 1})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[("false", False), ("FALSE", False), ("0", False), ("off", False), ("no", False)],
        *[("true", True), ("1", True), ("Yes", True), ("on", True)],
    ],
)
def test_bool_from_environment(raw: str, expected: bool) -> None:
    settings = Settings.load(environ={"DISTILLGUARD_INGEST_ENRICH": raw})
    assert settings.flag("ingest.enrich") is expected


def test_empty_string_from_environment_is_a_text_value() -> None:
    settings = Settings.load(environ={"DISTILLGUARD_OTEL_CLIENT_IP_ATTRIBUTE": ""})
    assert settings.text("otel.client_ip_attribute") == ""


@pytest.mark.parametrize(
    ("variable", "raw"),
    [
        ("DISTILLGUARD_INGEST_ENRICH", "maybe"),
        ("DISTILLGUARD_INGEST_WORKERS", "three"),
        ("DISTILLGUARD_INGEST_WORKERS", ""),
    ],
)
def test_bad_environment_value(variable: str, raw: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.load(environ={variable: raw})


def test_unknown_key_in_file_is_named(tmp_path: Path) -> None:
    config = _config(tmp_path, "[ingest]\nworkers = 3\nwrokers = 4\n")
    with pytest.raises(SettingsError, match=r"unknown setting 'ingest\.wrokers'"):
        Settings.load(config, environ=NO_ENV)


def test_unknown_section_in_file(tmp_path: Path) -> None:
    config = _config(tmp_path, "[detect]\nthreshold = 0.5\n")
    with pytest.raises(SettingsError, match=r"detect\.threshold"):
        Settings.load(config, environ=NO_ENV)


@pytest.mark.parametrize(
    "text",
    [
        '[ingest]\nworkers = "three"\n',
        "[ingest]\nworkers = 2.5\n",
        "[ingest]\nworkers = true\n",  # a bool is not an int here
        "[ingest]\nenrich = 1\n",
        "[ingest]\nenrich = 'sometimes'\n",
        "workspace = 3\n",
        "[otel]\naccount_attribute = ['user.id']\n",
    ],
)
def test_wrong_type_in_file(tmp_path: Path, text: str) -> None:
    config = _config(tmp_path, text)
    with pytest.raises(SettingsError, match="needs a"):
        Settings.load(config, environ=NO_ENV)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="does not exist"):
        Settings.load(tmp_path / "absent.toml", environ=NO_ENV)


def test_invalid_toml(tmp_path: Path) -> None:
    config = _config(tmp_path, "[ingest\nworkers = \n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        Settings.load(config, environ=NO_ENV)


def test_unknown_name_lookup_is_a_key_error() -> None:
    settings = Settings.load(environ=NO_ENV)
    with pytest.raises(KeyError, match=r"ingest\.wrokers"):
        settings["ingest.wrokers"]


def test_every_setting_is_documented_with_its_variable() -> None:
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    for setting in SETTINGS:
        assert setting.help.strip()
        assert setting.env_var == "DISTILLGUARD_" + setting.name.upper().replace(".", "_")
        assert isinstance(setting.default, str | int | float | bool)
    variables = [s.env_var for s in SETTINGS]
    assert len(variables) == len(set(variables))


def test_every_environment_variable_is_read() -> None:
    for setting in SETTINGS:
        raw = {bool: "false", int: "11", float: "0.25", str: "from-env"}[type(setting.default)]
        settings = Settings.load(environ={setting.env_var: raw})
        assert str(settings[setting.name]).lower() == raw.lower()


def test_a_settings_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_bytes(b'workspace = "\xff\xfe"\n')
    with pytest.raises(SettingsError, match="not UTF-8"):
        Settings.load(config, environ={})
