"""``distillguard watermark``: keygen, embed, verify and probe, run in-process on real files
and against a real local endpoint."""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner, Result

from distillguard.cli import app
from distillguard.watermark.embed import embed
from distillguard.watermark.keys import MasterKey, load, save
from tests.watermark.conftest import SUSPECT_ACCOUNT, Suspect
from tests.watermark.material import KEY, PARAGRAPHS

runner = CliRunner()


def watermark(*args: str) -> Result:
    return runner.invoke(app, ["watermark", *args])


def last_json(output: str) -> dict[str, object]:
    value = orjson.loads(output.strip().splitlines()[-1])
    assert isinstance(value, dict)
    return value


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISTILLGUARD_CONFIG", raising=False)
    monkeypatch.delenv("DISTILLGUARD_WATERMARK_ALPHA", raising=False)
    monkeypatch.delenv("DISTILLGUARD_WATERMARK_TABLE", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "wm.key"
    save(KEY, path)
    return path


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.jsonl"
    lines = [orjson.dumps({"id": i, "text": text}) for i, text in enumerate(PARAGRAPHS)]
    path.write_bytes(b"\n".join([*lines, b"not json"]) + b"\n")
    return path


def test_keygen_embed_verify(tmp_path: Path, answers: Path, key_file: Path) -> None:
    """With a fresh random key, eight paragraphs reach p <= 1e-6 for 94 % of keys and
    p <= 1e-3 for all of 2,000 tried: the verdict here uses alpha 0.01, so the test does not
    depend on the key drawn."""
    key = tmp_path / "fresh.key"
    assert runner.invoke(app, ["watermark", "keygen", "--out", str(key)]).exit_code == 0
    out = tmp_path / "marked.jsonl"
    result = runner.invoke(
        app, ["watermark", "embed", str(answers), str(out), "--key", str(key), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = last_json(result.output)
    assert (report["records"], report["quarantined"]) == (len(PARAGRAPHS), 1)
    assert report["reasons"] == {"not JSON": 1}
    assert report["quarantine"] == str(out) + ".quarantine.jsonl"
    assert 0 < report["changed"] < report["words"]
    assert report["changed_share"] == report["changed"] / report["words"]
    marked = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["text"] for r in marked] == [embed(t, load(key)) for t in PARAGRAPHS]

    verified = runner.invoke(
        app,
        ["watermark", "verify", str(out), "--key", str(key), "--json"],
        env={"DISTILLGUARD_WATERMARK_ALPHA": "0.01"},
    )
    assert verified.exit_code == 0, verified.output
    data = last_json(verified.output)
    assert data["detected"] is True
    assert data["matches"] == data["opportunities"]
    assert data["p_value"] <= data["alpha"] == 0.01
    assert data["records"] == len(PARAGRAPHS)
    assert data["key_fingerprint"] == load(key).fingerprint()
    tested = data["tested"]
    assert isinstance(tested, dict)
    assert tested["input"] == str(out)
    assert tested["input_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert str(tested["at"]).startswith("20")

    clean = runner.invoke(
        app, ["watermark", "verify", str(answers), "--key", str(key_file), "--json"]
    )
    assert clean.exit_code == 0, clean.output
    data = last_json(clean.output)
    assert data["detected"] is False
    assert data["p_value"] > 1e-3  # the fixed key: a p-value of its own, not a draw
    assert (data["quarantined"], data["quarantine_reasons"]) == (1, {"not JSON": 1})


def test_human_output(tmp_path: Path, answers: Path, key_file: Path) -> None:
    out = tmp_path / "marked.jsonl"
    embedded = runner.invoke(
        app, ["watermark", "embed", str(answers), str(out), "--key", str(key_file)]
    )
    assert embedded.exit_code == 0, embedded.output
    assert f"watermarked {len(PARAGRAPHS)} records into {out}" in embedded.output
    assert "quarantined 1 lines (1 not JSON)" in embedded.output
    accounts = tmp_path / "accounts.txt"
    accounts.write_text("acct_2\n\nacct_3\n")
    verified = watermark(
        "verify",
        str(out),
        "--key",
        str(key_file),
        "--account",
        "acct_1",
        "--accounts",
        str(accounts),
    )
    assert verified.exit_code == 0, verified.output
    assert "watermark FOUND (alpha 1e-06)" in verified.output
    for account in ("acct_1", "acct_2", "acct_3"):
        assert f"account {account}: p-value" in verified.output
    assert "skipped" not in verified.output
    clean = runner.invoke(app, ["watermark", "verify", str(answers), "--key", str(key_file)])
    assert clean.exit_code == 0, clean.output
    assert "watermark not found (alpha 1e-06)" in clean.output
    assert "skipped 1 lines that hold no text (1 not JSON)" in clean.output


def test_verify_attributes_to_the_account_and_reads_alpha_from_the_config(
    tmp_path: Path, key_file: Path
) -> None:
    marked = tmp_path / "marked.jsonl"
    lines = [orjson.dumps({"text": embed(t, KEY, "acct_5")}) for t in PARAGRAPHS]
    marked.write_bytes(b"\n".join(lines) + b"\n")
    config = tmp_path / "settings.toml"
    config.write_text("[watermark]\nalpha = 1e-30\n")
    result = watermark(
        *("verify", str(marked), "--key", str(key_file), "--json", "--config", str(config)),
        *("--account", "acct_4", "--account", "acct_5"),
    )
    assert result.exit_code == 0, result.output
    data = last_json(result.output)
    assert data["alpha"] == 1e-30
    assert data["detected"] is False  # not at such a strict level
    accounts = data["accounts"]
    assert isinstance(accounts, list)
    assert [a["account"] for a in accounts] == ["acct_5", "acct_4"]
    assert accounts[0]["p_adjusted"] < 1e-4
    assert accounts[1]["p_adjusted"] > 0.01


def test_probe_a_suspect_endpoint(
    tmp_path: Path, key_file: Path, suspect: Suspect, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUSPECT_TOKEN", "sk-suspect")
    prompts = tmp_path / "prompts.jsonl"
    lines = [f"question {i}" for i in range(len(PARAGRAPHS))] + ["fail please"]
    prompts.write_text("\n".join(orjson.dumps({"prompt": p}).decode() for p in lines) + "\n")
    kept = tmp_path / "kept.jsonl"
    result = watermark(
        *("probe", "--key", str(key_file), "--endpoint", suspect.base_url),
        *("--prompts", str(prompts), "--model", "suspect-1", "--api-key-env", "SUSPECT_TOKEN"),
        *("--out", str(kept), "--account", SUSPECT_ACCOUNT, "--account", "acct_0"),
        *("--concurrency", "2", "--max-tokens", "64", "--retries", "0", "--json"),
    )
    assert result.exit_code == 0, result.output
    data = last_json(result.output)
    assert data["detected"] is True
    assert data["matches"] == data["opportunities"]
    assert data["records"] == len(PARAGRAPHS)
    assert data["quarantine_reasons"] == {"failed: HTTP 500": 1}
    tested = data["tested"]
    assert isinstance(tested, dict)
    assert (tested["endpoint"], tested["model"]) == (suspect.base_url, "suspect-1")
    assert (tested["prompts"], tested["answered"]) == (len(PARAGRAPHS) + 1, len(PARAGRAPHS))
    accounts = data["accounts"]
    assert isinstance(accounts, list)
    assert accounts[0]["account"] == SUSPECT_ACCOUNT
    rows = [orjson.loads(line) for line in kept.read_bytes().splitlines()]
    assert rows == [{"prompt": p, "text": suspect.answer(p)} for p in lines[:-1]]
    for _, headers, body in suspect.requests:
        assert {k.lower(): v for k, v in headers.items()}["authorization"] == "Bearer sk-suspect"
        assert (body["model"], body["max_tokens"]) == ("suspect-1", 64)


def test_probe_of_a_clean_suspect_finds_nothing(
    tmp_path: Path, key_file: Path, suspect: Suspect
) -> None:
    suspect.key = MasterKey(bytes(32), "")  # a model that never saw our outputs
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("\n".join(f"question {i}" for i in range(len(PARAGRAPHS))) + "\n")
    result = watermark(
        "probe", "--key", str(key_file), "--endpoint", suspect.base_url, "--prompts", str(prompts)
    )
    assert result.exit_code == 0, result.output
    assert "watermark not found" in result.output


def test_probe_of_an_endpoint_that_answers_nothing(
    tmp_path: Path, key_file: Path, suspect: Suspect
) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("fail 1\nfail 2\n")
    result = watermark(
        *("probe", "--key", str(key_file), "--endpoint", suspect.base_url),
        *("--prompts", str(prompts), "--retries", "1"),
    )
    assert result.exit_code == 2
    assert "answered none of 2 prompts (2 HTTP 500)" in result.output
    assert suspect.tries == {"fail 1": 2, "fail 2": 2}  # tried again once each


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--endpoint", "localhost:1/v1"], "is not an http(s) URL"),
        (["--prompts", "{tmp}/absent.txt"], "cannot read prompts"),
        (["--key", "{tmp}/absent.key"], "does not exist"),
        (["--out", "{tmp}/no/folder/kept.jsonl"], "cannot write"),
    ],
)
def test_probe_errors(
    tmp_path: Path, key_file: Path, suspect: Suspect, args: list[str], message: str
) -> None:
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("question 1\n")
    options = {"--key": str(key_file), "--endpoint": suspect.base_url, "--prompts": str(prompts)}
    options.update(dict(zip(args[::2], (a.format(tmp=tmp_path) for a in args[1::2]), strict=True)))
    result = runner.invoke(app, ["watermark", "probe", *(x for kv in options.items() for x in kv)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_errors_exit_2_with_a_clear_message(tmp_path: Path, answers: Path, key_file: Path) -> None:
    damaged = tmp_path / "damaged.key"
    data = orjson.loads(key_file.read_bytes())
    data["secret"] = "11" * 32
    damaged.write_bytes(orjson.dumps(data))
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n")
    no_text = tmp_path / "no-text.jsonl"
    no_text.write_bytes(b'{"prompt": "x"}\nnot json\n')
    latin1 = tmp_path / "accounts-latin1.txt"
    latin1.write_bytes(b"caf\xe9\n")
    out = str(tmp_path / "out.jsonl")
    cases = [
        (["embed", str(answers), out, "--key", str(tmp_path / "absent.key")], "does not exist"),
        (["embed", str(answers), out, "--key", str(damaged)], "fingerprint does not match"),
        (["embed", str(tmp_path / "absent.jsonl"), out, "--key", str(key_file)], "cannot read"),
        (
            ["embed", str(answers), str(tmp_path / "no" / "o.jsonl"), "--key", str(key_file)],
            "cannot write",
        ),
        (["verify", str(answers), "--key", str(tmp_path / "absent.key")], "does not exist"),
        (["verify", str(answers), "--key", str(damaged)], "fingerprint does not match"),
        (["verify", str(answers), "--key", str(tmp_path / "[prod]" / "k")], "[prod]/k does not"),
        (["verify", str(tmp_path / "absent.jsonl"), "--key", str(key_file)], "cannot read"),
        (["verify", str(empty), "--key", str(key_file)], "holds no record with a 'text' field"),
        (["verify", str(no_text), "--key", str(key_file)], "holds no record with a 'text' field"),
        (
            ["verify", str(answers), "--key", str(key_file), "--accounts", str(tmp_path / "x")],
            "cannot read",
        ),
        (
            ["verify", str(answers), "--key", str(key_file), "--config", str(tmp_path / "c.toml")],
            "does not exist",
        ),
    ]
    cases.append(
        (["verify", str(answers), "--key", str(key_file), "--accounts", str(latin1)], "not UTF-8")
    )
    for args, message in cases:
        result = runner.invoke(app, ["watermark", *args])
        assert result.exit_code == 2, (args, result.output)
        assert "error:" in result.output, args
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert not (tmp_path / "out.jsonl").exists()


def test_the_commands_are_listed() -> None:
    result = runner.invoke(app, ["watermark", "--help"])
    assert result.exit_code == 0
    for command in ("keygen", "embed", "verify", "probe", "shares"):
        assert command in result.output
