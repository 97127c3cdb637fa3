"""What every command shares: errors (exit 2, on stderr, as plain text), settings, JSON output."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest
import typer

from distillguard.clikit import fail, load_settings, print_json, say


def test_fail_prints_the_message_on_stderr_and_gives_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    exit_ = fail("watermark key /tmp/wm.key does not exist")
    assert isinstance(exit_, typer.Exit)
    assert exit_.exit_code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "error: watermark key /tmp/wm.key does not exist\n"


@pytest.mark.parametrize(
    "message",
    [
        "cannot read /data/[prod]/wm.key: No such file or directory",
        "a closing [/] tag",
        "[bold]not bold[/bold] and [red]",
        "endpoint 'http://[::1]:8000/v1' is bad",
    ],
)
def test_fail_prints_brackets_as_text(capsys: pytest.CaptureFixture[str], message: str) -> None:
    assert fail(message).exit_code == 2
    assert capsys.readouterr().err == f"error: {message}\n"


def test_say_prints_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    say("[bold]kept[/] as it is: 1,000 of 2,000")
    say("on stderr", stderr=True)
    captured = capsys.readouterr()
    assert captured.out == "[bold]kept[/] as it is: 1,000 of 2,000\n"
    assert captured.err == "on stderr\n"


def test_say_does_not_wrap_long_lines(capsys: pytest.CaptureFixture[str]) -> None:
    line = " ".join(["word"] * 100)
    say(line)
    assert capsys.readouterr().out == line + "\n"


def test_print_json_writes_one_line_and_stringifies_the_rest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    print_json({"path": Path("/tmp/x.jsonl"), "day": date(2026, 11, 27), "p": 1e-12, "n": [1]})
    out = capsys.readouterr().out
    assert out.endswith("\n")
    assert out.count("\n") == 1
    assert orjson.loads(out) == {"path": "/tmp/x.jsonl", "day": "2026-11-27", "p": 1e-12, "n": [1]}


def test_load_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISTILLGUARD_CONFIG", raising=False)
    monkeypatch.delenv("DISTILLGUARD_WATERMARK_ALPHA", raising=False)
    config = tmp_path / "settings.toml"
    config.write_text("[watermark]\nalpha = 0.001\n")
    assert load_settings(config).number("watermark.alpha") == 0.001
    assert load_settings(None).number("watermark.alpha") == 1e-6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("not = [toml", "not valid TOML"),
        ("[watermark]\nbeta = 1\n", "unknown setting 'watermark.beta'"),
        ('[watermark]\nalpha = "high"\n', "needs a float"),
    ],
)
def test_bad_settings_exit_2_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    config = tmp_path / "settings.toml"
    if content is not None:
        config.write_text(content)
    with pytest.raises(typer.Exit) as caught:
        load_settings(config)
    assert caught.value.exit_code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert message in err
