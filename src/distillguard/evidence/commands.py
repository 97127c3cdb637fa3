"""``distillguard ledger`` (sync, head, verify, prove) and ``distillguard evidence keygen``.

Thin: the work is in the package. ``ledger verify`` exits 1 when the ledger does not hold up
(2, as every command, when it cannot run at all).
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Annotated

import typer

from distillguard.clikit import (
    ConfigOption,
    JsonOption,
    WorkspaceOption,
    conclude_check,
    fail,
    load_settings,
    print_json,
    say,
)
from distillguard.clikit import workspace as workspace_of
from distillguard.evidence import feeds
from distillguard.evidence.head import current_head
from distillguard.evidence.keys import EvidenceKey, EvidenceKeyError, default_path, load, save
from distillguard.evidence.ledger import LedgerError
from distillguard.evidence.signing import HeadError, read_head
from distillguard.evidence.tsa import TsaError
from distillguard.evidence.verify import inclusion, verify

ledger_app = typer.Typer(
    no_args_is_help=True, help="The tamper-evident evidence ledger: sync, head, verify, prove."
)
evidence_app = typer.Typer(no_args_is_help=True, help="Evidence keys.")


@evidence_app.command("keygen")
def keygen_command(
    workspace: WorkspaceOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Key file to create (default: setting evidence.key, else "
            "<workspace>/evidence/key.json); never overwritten.",
        ),
    ] = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Create the Ed25519 evidence key that signs ledger heads (a 0600 file)."""
    settings = load_settings(config)
    path = (
        out if out is not None else default_path(workspace_of(workspace, settings).root, settings)
    )
    key = EvidenceKey.generate()
    try:
        save(key, path)
    except EvidenceKeyError as exc:
        raise fail(str(exc)) from exc
    if json_output:
        print_json({"path": str(path), "key_id": key.key_id, "public_key": key.public.hex()})
        return
    say(f"wrote evidence key {key.key_id} to {path} (mode 0600); keep it secret")
    if out is not None and settings.text("evidence.key") != str(out):
        say(f"set evidence.key = {str(out)!r} so that `ledger head` signs with it")


@ledger_app.command("sync")
def sync_command(
    workspace: WorkspaceOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Import new controls-log entries, scans, verdicts, labellings and gateway decisions."""
    root = workspace_of(workspace, load_settings(config)).root
    try:
        report = feeds.sync(root)
    except LedgerError as exc:
        raise fail(str(exc)) from exc
    if json_output:
        print_json(report.to_dict())
        return
    for note in report.notes:
        say(note, stderr=True)
    added = ", ".join(f"{n:,} {kind}" for kind, n in sorted(report.added.items()))
    say(f"added {added}" if added else "nothing new to add")


@ledger_app.command("head")
def head_command(
    workspace: WorkspaceOption = None,
    config: ConfigOption = None,
) -> None:
    """Print the current tree head as JSON; sign, time-stamp and keep it if a key exists."""
    settings = load_settings(config)
    root = workspace_of(workspace, settings).root
    try:
        head, notes = current_head(root, settings)
    except (LedgerError, EvidenceKeyError, TsaError) as exc:
        raise fail(str(exc)) from exc
    for note in notes:
        say(note, stderr=True)
    print_json(head.to_dict())


def _trusted(root: Path, config: Path | None) -> str | None:
    path = default_path(root, load_settings(config))
    if not path.exists():
        return None
    try:
        return load(path).key_id
    except EvidenceKeyError as exc:
        raise fail(str(exc)) from exc


@ledger_app.command("verify")
def verify_command(
    workspace: WorkspaceOption = None,
    head: Annotated[
        Path | None,
        typer.Option("--head", help="An earlier head (JSON) the ledger must only extend."),
    ] = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Check the chain, the tree against every signed head, and optionally an earlier head."""
    settings = load_settings(config)
    root = workspace_of(workspace, settings).root
    try:
        earlier = None if head is None else read_head(head)
    except HeadError as exc:
        raise fail(str(exc)) from exc
    sync_notes: list[str] = []
    with suppress(LedgerError):  # a damaged ledger is not extended; the check says where
        sync_notes = feeds.sync(root).notes
    ca = settings.text("evidence.tsa_ca")
    result = verify(
        root, trusted=_trusted(root, config), earlier=earlier, ca=Path(ca) if ca else None
    )
    result.notes[:0] = sync_notes
    subject = (
        f"ledger of {result.entries:,} entries, root {result.root_hash}, "
        f"{result.heads_checked} signed heads checked"
    )
    conclude_check(subject, result.notes, result.problems, result.to_dict(), json_output)


@ledger_app.command("prove")
def prove_command(
    seq: Annotated[int, typer.Argument(help="Entry to prove (its seq).", min=1)],
    workspace: WorkspaceOption = None,
    size: Annotated[
        int | None, typer.Option("--size", help="Tree size of the head to prove against.", min=1)
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Print an entry's RFC 9162 inclusion proof as JSON."""
    root = workspace_of(workspace, load_settings(config)).root
    try:
        print_json(inclusion(root, seq, size))
    except (ValueError, LedgerError) as exc:
        raise fail(str(exc)) from exc
