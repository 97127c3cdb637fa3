"""``distillguard case`` (open, list, show, attach, export, verify): thin, the work is in
``cases`` and ``dossier``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from distillguard.cases import store
from distillguard.cases.case import CaseError, CaseMeta
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
from distillguard.detect.labels import default_analyst

case_app = typer.Typer(
    no_args_is_help=True,
    help="Cases: freeze a cluster's evidence, export a dossier for counsel, verify it.",
)

AnalystOption = Annotated[
    str | None, typer.Option("--analyst", help="Who acts (default: the OS user).")
]
CaseArgument = Annotated[str, typer.Argument(help="Case id (see `distillguard case list`).")]


def _summary(meta: CaseMeta) -> str:
    return (
        f"{meta.case_id}  cluster {meta.cluster_id}: {meta.accounts:,} accounts "
        f"({meta.scope}; {meta.members:,} members), {meta.calls:,} calls; "
        f"opened {meta.opened_at} by {meta.opened_by} — {meta.title}"
    )


@case_app.command("open")
def open_command(
    cluster: Annotated[str, typer.Option("--cluster", help="Cluster id of the latest scan.")],
    title: Annotated[str | None, typer.Option("--title", help="A title for the case.")] = None,
    workspace: WorkspaceOption = None,
    analyst: AnalystOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Freeze a cluster's evidence as a case; prints the case id as the last line."""
    ws = workspace_of(workspace, load_settings(config))
    try:
        meta = store.open_case(ws, cluster, title, analyst or default_analyst())
    except CaseError as exc:
        raise fail(str(exc)) from exc
    if json_output:
        print_json(meta.to_dict())
        return
    say(_summary(meta))
    say(meta.case_id)


@case_app.command("list")
def list_command(
    workspace: WorkspaceOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Every case of the workspace, oldest first."""
    root = workspace_of(workspace, load_settings(config)).root
    try:
        cases = store.list_cases(root)
    except CaseError as exc:
        raise fail(str(exc)) from exc
    if json_output:
        print_json({"cases": [m.to_dict() for m in cases]})
        return
    if not cases:
        say("no cases yet; open one with `distillguard case open --cluster ID`")
    for meta in cases:
        say(_summary(meta))


@case_app.command("show")
def show_command(
    case: CaseArgument,
    workspace: WorkspaceOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """A case's description, its frozen files and whether they are intact."""
    root = workspace_of(workspace, load_settings(config)).root
    try:
        meta = store.read(root, case)
        problems = store.check_frozen(root, meta)
    except CaseError as exc:
        raise fail(str(exc)) from exc
    if json_output:
        print_json({**meta.to_dict(), "problems": problems})
        return
    say(_summary(meta))
    say(f"scan {meta.scan_id} (finished {meta.scan_finished_at}); workspace {meta.workspace}")
    for frozen in meta.files:
        say(f"  {frozen.path:<18} {frozen.rows or 0:>10,} rows  sha256 {frozen.sha256}")
    for attachment in meta.attachments:
        say(
            f"  {attachment.path} ({attachment.kind}, by {attachment.added_by} "
            f"{attachment.added_at})  sha256 {attachment.sha256}"
        )
    for problem in problems:
        say(f"FAIL {problem}")
    say("frozen files intact" if not problems else f"{len(problems)} problems")
    if problems:
        raise typer.Exit(1)


@case_app.command("attach")
def attach_command(
    case: CaseArgument,
    file: Annotated[Path, typer.Argument(help="The report to attach.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="watermark (a `watermark verify|probe --json` report), note or other.",
        ),
    ] = "watermark",
    note: Annotated[str | None, typer.Option("--note", help="What the report is.")] = None,
    workspace: WorkspaceOption = None,
    analyst: AnalystOption = None,
    config: ConfigOption = None,
) -> None:
    """Add a report (a watermark test of a suspect model) to a case, recorded in the ledger."""
    root = workspace_of(workspace, load_settings(config)).root
    try:
        attachment = store.attach(root, case, file, kind, note, analyst or default_analyst())
    except CaseError as exc:
        raise fail(str(exc)) from exc
    say(f"attached {attachment.path} to {case} (sha256 {attachment.sha256})")
