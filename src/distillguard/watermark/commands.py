"""``distillguard watermark``: keygen, embed, verify, probe (thin: the work is in the package)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import orjson
import typer

from distillguard.clikit import ConfigOption, JsonOption, fail, load_settings, print_json, say
from distillguard.digests import file_sha256
from distillguard.watermark.keys import MasterKey, WatermarkKeyError, load, save
from distillguard.watermark.probe import ProbeError, ProbeResult, probe, read_prompts
from distillguard.watermark.records import Reading, RecordsError, embed_file, read_texts
from distillguard.watermark.scanner import SCANNER, Scanner
from distillguard.watermark.shares import TableError, estimate
from distillguard.watermark.shares import load as load_table
from distillguard.watermark.shares import save as save_table
from distillguard.watermark.verify import Observations, Report, assess

watermark_app = typer.Typer(
    no_args_is_help=True, help="Watermark outputs and test a suspect model for them."
)

KeyOption = Annotated[Path, typer.Option("--key", help="Watermark key file (from keygen).")]
AccountsOption = Annotated[
    list[str] | None,
    typer.Option("--account", help="Account to test for attribution (repeatable)."),
]
TableOption = Annotated[
    Path | None,
    typer.Option(
        "--table",
        help="Table fitted by 'watermark shares' (default: setting watermark.table, "
        "else the built-in table).",
    ),
]
AccountsFileOption = Annotated[
    Path | None,
    typer.Option("--accounts", help="File of accounts to test for attribution, one per line."),
]


def _key(path: Path) -> MasterKey:
    try:
        return load(path)
    except WatermarkKeyError as exc:
        raise fail(str(exc)) from exc


def _scanner(option: Path | None, config: Path | None) -> Scanner:
    """The scanner of the table named by ``--table`` or the settings, else the built-in one."""
    setting = load_settings(config).text("watermark.table")
    path = option if option is not None else Path(setting) if setting else None
    if path is None:
        return SCANNER
    try:
        return load_table(path).scanner()
    except TableError as exc:
        raise fail(str(exc)) from exc


def _testing(
    key: Path, table: Path | None, config: Path | None
) -> tuple[float, MasterKey, Scanner]:
    """What a test needs: the alpha of the verdict, the master key and the table's scanner."""
    return load_settings(config).number("watermark.alpha"), _key(key), _scanner(table, config)


def _accounts(accounts: list[str] | None, accounts_file: Path | None) -> list[str]:
    names = list(accounts or [])
    if accounts_file is not None:
        try:
            text = accounts_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot read {accounts_file}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise fail(f"cannot read {accounts_file}: not UTF-8 text") from exc
        names += [line.strip() for line in text.splitlines()]
    return [name for name in dict.fromkeys(names) if name]


@watermark_app.command("keygen")
def keygen_command(
    out: Annotated[Path, typer.Option("--out", help="Key file to create (never overwritten).")],
) -> None:
    """Create a secret watermark master key (per-account sub-keys are derived from it)."""
    key = MasterKey.generate()
    try:
        save(key, out)
    except WatermarkKeyError as exc:
        raise fail(str(exc)) from exc
    say(f"wrote watermark key {key.fingerprint()} to {out} (mode 0600); keep it secret")


@watermark_app.command("embed")
def embed_command(
    source: Annotated[Path, typer.Argument(help="JSON lines with a 'text' field.")],
    target: Annotated[Path, typer.Argument(help="Output JSON lines (other fields kept).")],
    key: KeyOption,
    account: Annotated[
        str, typer.Option("--account", help="Account whose sub-key to use (default: none).")
    ] = "",
    table: TableOption = None,
    config: ConfigOption = None,
    json: JsonOption = False,
) -> None:
    """Watermark the 'text' of every record; bad lines go to OUT.quarantine.jsonl."""
    master = _key(key)
    scanner = _scanner(table, config)
    try:
        report = embed_file(source, target, master, account, scanner)
    except RecordsError as exc:
        raise fail(str(exc)) from exc
    data = {**report.__dict__, "changed_share": report.changed_share}
    if json:
        print_json(data)
        return
    say(
        f"watermarked {report.records:,} records into {report.output}: "
        f"{report.changed:,} of {report.opportunities:,} opportunities rewritten, "
        f"{report.changed_share:.1%} of {report.words:,} words changed"
    )
    if report.quarantined:
        say(
            f"quarantined {report.quarantined:,} lines ({_reasons(report.reasons)}) "
            f"in {report.quarantine}"
        )


def _reasons(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n:,} {reason}" for reason, n in counts.items())


def _report_data(
    report: Report, reading: Reading, alpha: float, tested: dict[str, object]
) -> dict[str, object]:
    data = report.to_dict()
    data["tested"] = {"at": datetime.now(UTC).isoformat(timespec="seconds"), **tested}
    data["detected"] = report.result.p_value <= alpha
    data["alpha"] = alpha
    data["records"] = reading.records
    data["quarantined"] = reading.quarantined
    data["quarantine_reasons"] = dict(reading.rejected)
    return data


def _show(
    report: Report, reading: Reading, alpha: float, tested: dict[str, object], json: bool
) -> None:
    data = _report_data(report, reading, alpha, tested)
    if json:
        print_json(data)
        return
    result = report.result
    verdict = "FOUND" if data["detected"] else "not found"
    say(
        f"watermark {verdict} (alpha {alpha:g}): p-value {result.p_value:.3g} "
        f"(log10 {result.log10_p_value:.1f}); {result.matches:,} of "
        f"{result.opportunities:,} distinct opportunities match the key, "
        f"{result.expected:,.1f} expected without the watermark"
    )
    say(
        f"{report.texts:,} texts, {report.occurrences:,} opportunities, {report.distinct:,} "
        f"distinct; key {report.key_fingerprint}, table {report.table_version}"
    )
    for item in report.accounts:
        say(
            f"  account {item.account}: p-value {item.result.p_value:.3g} "
            f"(adjusted {item.p_adjusted:.3g}), {item.result.matches:,} of "
            f"{item.result.opportunities:,} match its sub-key"
        )
    if reading.quarantined:
        say(
            f"skipped {reading.quarantined:,} lines that hold no text "
            f"({_reasons(reading.rejected)})"
        )


@watermark_app.command("verify")
def verify_command(
    source: Annotated[Path, typer.Argument(help="JSON lines with a 'text' field to test.")],
    key: KeyOption,
    account: AccountsOption = None,
    accounts: AccountsFileOption = None,
    table: TableOption = None,
    config: ConfigOption = None,
    json: JsonOption = False,
) -> None:
    """Test texts for the watermark: p-value, matches / opportunities, attribution."""
    alpha, master, scanner = _testing(key, table, config)
    reading = Reading()
    observations = Observations(scanner)
    try:
        for text in read_texts(source, reading):
            observations.add(text)
    except RecordsError as exc:
        raise fail(str(exc)) from exc
    if reading.records == 0:
        raise fail(f"{source} holds no record with a 'text' field")
    tested: dict[str, object] = {"input": str(source), "input_sha256": file_sha256(source)}
    _show(assess(observations, master, _accounts(account, accounts)), reading, alpha, tested, json)


@watermark_app.command("probe")
def probe_command(
    key: KeyOption,
    endpoint: Annotated[
        str, typer.Option("--endpoint", help="Suspect's OpenAI-compatible base URL (…/v1).")
    ],
    prompts: Annotated[Path, typer.Option("--prompts", help="Prompts, one per line.")],
    model: Annotated[str, typer.Option("--model", help="Model name to ask for.")] = "default",
    api_key_env: Annotated[
        str, typer.Option("--api-key-env", help="Environment variable holding the API key.")
    ] = "OPENAI_API_KEY",
    max_tokens: Annotated[int, typer.Option("--max-tokens", min=1)] = 512,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1)] = 4,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request.")] = 60.0,
    retries: Annotated[
        int,
        typer.Option(
            "--retries", min=0, help="Tries again after a 429, a 5xx or a time-out (backing off)."
        ),
    ] = 2,
    out: Annotated[
        Path | None, typer.Option("--out", help="Keep the answers here (JSON lines).")
    ] = None,
    account: AccountsOption = None,
    accounts: AccountsFileOption = None,
    table: TableOption = None,
    config: ConfigOption = None,
    json: JsonOption = False,
) -> None:
    """Send prompts to a suspect's endpoint and test its answers for the watermark."""
    alpha, master, scanner = _testing(key, table, config)
    try:
        result = probe(
            endpoint,
            read_prompts(prompts),
            model=model,
            api_key=os.environ.get(api_key_env),
            max_tokens=max_tokens,
            timeout=timeout,
            concurrency=concurrency,
            retries=retries,
        )
    except ProbeError as exc:
        raise fail(str(exc)) from exc
    if out is not None:
        _keep(result, out)
    observations = Observations(scanner)
    for answer in result.answered:
        observations.add(answer)
    reading = Reading(records=len(result.answered))
    reading.rejected.update({f"failed: {r}": n for r, n in result.failures.items()})
    tested: dict[str, object] = {
        "endpoint": endpoint,
        "model": model,
        "prompts": len(result.prompts),
        "answered": len(result.answered),
        "answers_kept_in": str(out) if out is not None else None,
    }
    _show(assess(observations, master, _accounts(account, accounts)), reading, alpha, tested, json)


def _keep(result: ProbeResult, out: Path) -> None:
    try:
        with out.open("wb") as handle:
            for prompt, answer in zip(result.prompts, result.answers, strict=True):
                if answer is not None:
                    handle.write(orjson.dumps({"prompt": prompt, "text": answer}) + b"\n")
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror}") from exc


@watermark_app.command("shares")
def shares_command(
    source: Annotated[
        Path, typer.Argument(help="JSON lines of the model's answers ('text'), unwatermarked.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Table file to write (JSON).")],
    json: JsonOption = False,
) -> None:
    """Fit the table's shares and unmarked contexts to one model's own answers."""
    reading = Reading()
    try:
        fit = estimate(read_texts(source, reading))
        save_table(fit, out)
    except (RecordsError, TableError) as exc:
        raise fail(str(exc)) from exc
    if reading.records == 0:
        raise fail(f"{source} holds no record with a 'text' field")
    outcomes = Counter(fit.outcomes.values())
    dropped = sorted(name for name, outcome in fit.outcomes.items() if outcome == "dropped")
    data = {
        "table": str(out),
        "version": fit.table.version,
        "texts": fit.texts,
        "classes": len(fit.table.classes),
        "refitted": outcomes["refitted"],
        "kept": outcomes["kept"],
        "dropped": dropped,
        "quarantined": reading.quarantined,
    }
    if json:
        print_json(data)
        return
    say(
        f"wrote table {fit.table.version} to {out}: {outcomes['refitted']} classes refitted "
        f"on {fit.texts:,} answers, {outcomes['kept']} kept as built in (too rare), "
        f"{len(dropped)} dropped" + (f" ({', '.join(dropped)})" if dropped else "")
    )
