"""``distillguard keys``: issue, list and revoke the gateway's API keys (thin: see ``keys``).

A key is shown once, by ``keys create``, as the last line of its output (or inside the JSON
object on the last line with ``--json``), so a script can take it with ``tail -n 1``; only
its digest is stored. ``keys create --file`` issues a key per row of an accounts CSV and
writes them to a new private file instead (see ``key_files``). ``keys list`` never shows
secrets or digests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from distillguard.clikit import (
    ConfigOption,
    JsonOption,
    WorkspaceOption,
    fail,
    load_settings,
    print_json,
    say,
)
from distillguard.clikit import workspace as workspace_of
from distillguard.gateway.key_files import issue_to_file, read_requests
from distillguard.gateway.keys import KeyRecord, KeyStore, KeyStoreError, key_id_of

keys_app = typer.Typer(
    no_args_is_help=True,
    help="Issue, list and revoke the gateway's API keys (stored hashed in the workspace).",
)

T = TypeVar("T")


def _store(workspace: WorkspaceOption, config: ConfigOption) -> KeyStore:
    return KeyStore(workspace_of(workspace, load_settings(config)).root)


def _run(action: Callable[[], T]) -> T:
    try:
        return action()
    except (KeyStoreError, OSError) as exc:
        raise fail(str(exc)) from exc


def _limits(record: KeyRecord) -> str:
    rpm = "-" if record.rpm is None else f"{record.rpm:,}"
    tpm = "-" if record.tpm is None else f"{record.tpm:,}"
    return f"rpm {rpm}, tpm {tpm}"


@keys_app.command("create")
def create_command(
    account: Annotated[
        str | None, typer.Option("--account", help="Account the key calls as.")
    ] = None,
    org: Annotated[str | None, typer.Option("--org", help="Organisation of the account.")] = None,
    rpm: Annotated[
        int | None, typer.Option("--rpm", help="Requests per minute for this key (policy's else).")
    ] = None,
    tpm: Annotated[
        int | None, typer.Option("--tpm", help="Tokens per minute for this key (policy's else).")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="Accounts CSV (header account[,org][,rpm][,tpm]): a key per row, all or none.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="New file (mode 0600) for the keys issued with --file."),
    ] = None,
    workspace: WorkspaceOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Issue a key, printed once as the last line; or, with --file, a key per row into --out."""
    if file is not None:
        if account is not None or org is not None or rpm is not None or tpm is not None:
            raise fail(
                "--file and --account are mutually exclusive (with --file, the org and "
                "limits are the file's columns)"
            )
        if out is None:
            raise fail("--file needs --out FILE, the new file the keys are written to")
        _create_from_file(_store(workspace, config), file, out, json_output)
        return
    if account is None:
        raise fail("give --account ID (one key), or --file CSV --out FILE (a key per row)")
    if out is not None:
        raise fail("--out is for --file; one key is printed as the last line")
    store = _store(workspace, config)
    record, key = _run(lambda: store.create(account, org, rpm, tpm))
    say("the key is shown only this once: store it now", stderr=True)
    if json_output:
        print_json({**record.public(), "key": key})
        return
    org_text = f", org {record.org_id}" if record.org_id else ""
    say(
        f"issued key {record.key_id} for account {record.account_id}{org_text} "
        f"({_limits(record)}) in {store.path}"
    )
    say(key)


def _create_from_file(store: KeyStore, file: Path, out: Path, json_output: bool) -> None:
    requests = _run(lambda: read_requests(file))
    records = _run(lambda: issue_to_file(store, requests, out))
    accounts = len({r.account_id for r in records})
    say(f"the keys are only in {out}: store it safely", stderr=True)
    if json_output:  # never the keys: they are in the file
        print_json(
            {"issued": len(records), "accounts": accounts, "out": out, "keys_file": store.path}
        )
        return
    say(f"issued {len(records):,} keys for {accounts:,} accounts in {store.path}, written to {out}")


@keys_app.command("list")
def list_command(
    workspace: WorkspaceOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Every key issued, revoked ones included (never a secret or a digest)."""
    store = _store(workspace, config)
    records = _run(store.records)
    if json_output:
        print_json({"keys": [r.public() for r in records]})
        return
    shown = Table(title=f"keys: {sum(not r.revoked for r in records):,} in force")
    shown.add_column("key", no_wrap=True)  # kept whole, to be copied into `keys revoke`
    for name in ("account", "org", "limits", "created", "by", "revoked"):
        shown.add_column(name)
    for r in records:
        shown.add_row(
            r.display,
            r.account_id,
            r.org_id or "-",
            _limits(r),
            r.created_at,
            r.created_by,
            r.revoked_at or "-",
        )
    Console().print(shown)


@keys_app.command("revoke")
def revoke_command(
    key_id: Annotated[str, typer.Argument(metavar="KEY_ID", help="Key id (or the key itself).")],
    workspace: WorkspaceOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Revoke a key; gateways refuse it from their next refresh (gateway.refresh_seconds)."""
    store = _store(workspace, config)
    ident = key_id_of(key_id.strip()) or key_id
    record = _run(lambda: store.revoke(ident))
    if json_output:
        print_json(record.public())
        return
    say(f"revoked key {record.display} of account {record.account_id} at {record.revoked_at}")
