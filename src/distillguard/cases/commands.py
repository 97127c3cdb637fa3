"""``distillguard case`` (open, list, show, attach, export, verify): thin, the work is in
``cases`` and ``dossier``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from distillguard.cases import store
from distillguard.cases.case import CaseError, CaseMeta
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
from distillguard.detect.labels import default_analyst
from distillguard.evidence.keys import EvidenceKeyError
from distillguard.evidence.ledger import LedgerError

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
    cluster: Annotated[
        str | None, typer.Option("--cluster", help="Cluster id of the latest scan.")
    ] = None,
    top: Annotated[
        bool, typer.Option("--top", help="The latest scan's highest-scoring flagged cluster.")
    ] = False,
    title: Annotated[str | None, typer.Option("--title", help="A title for the case.")] = None,
    workspace: WorkspaceOption = None,
    analyst: AnalystOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Freeze a cluster's evidence as a case; prints the case id as the last line."""
    if (cluster is None) == (not top):
        raise fail("name the cluster with --cluster ID, or take the top flagged one with --top")
    ws = workspace_of(workspace, load_settings(config))
    try:
        chosen = cluster if cluster is not None else store.top_cluster(ws)
        meta = store.open_case(ws, chosen, title, analyst or default_analyst())
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


@case_app.command("export")
def export_command(
    case: CaseArgument,
    out: Annotated[Path, typer.Option("--out", help="Folder to write (new or empty).")],
    redact: Annotated[
        bool,
        typer.Option(
            "--redact", help="Hash prompt and answer texts, truncate addresses to networks."
        ),
    ] = False,
    workspace: WorkspaceOption = None,
    analyst: AnalystOption = None,
    json_output: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Write the case's bundle for counsel: records, report, indicators, manifest."""
    from distillguard.dossier import bundle, writers  # noqa: PLC0415  (heavy: stix2, weasyprint)
    from distillguard.dossier.terms import TermsError  # noqa: PLC0415  (with them)

    settings = load_settings(config)
    root = workspace_of(workspace, settings).root
    try:
        done = bundle.export(
            root,
            case,
            out,
            settings,
            writers.default(),
            redact=redact,
            exporter=analyst,
            command=" ".join(["distillguard", *sys.argv[1:]]),
        )
    except (CaseError, bundle.ExportError, LedgerError, EvidenceKeyError, TermsError) as exc:
        raise fail(str(exc)) from exc
    if json_output:
        print_json(
            {"out": str(done.out), "files": done.files, "entry_seq": done.entry.seq,
             "head": done.head.to_dict(), "notes": done.notes}
        )  # fmt: skip
        return
    for note in done.notes:
        say(f"note: {note}", stderr=True)
    say(
        f"wrote {len(done.files) + 1} files to {done.out}; export recorded as ledger entry "
        f"{done.entry.seq}, under the head of size {done.head.tree_size} signed by "
        f"{done.head.key_id}"
    )


@case_app.command("verify")
def verify_command(
    folder: Annotated[Path, typer.Argument(help="A bundle written by `case export`.")],
    key_id: Annotated[
        str | None,
        typer.Option("--key-id", help="The evidence key id the head must be signed with."),
    ] = None,
    tsa_ca: Annotated[
        Path | None,
        typer.Option("--tsa-ca", help="CA certificates (PEM) to check the head's time-stamp."),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Re-check a bundle offline: every file, the ledger entries, proofs, the signed head."""
    from distillguard.dossier.verify import verify_bundle  # noqa: PLC0415  (like export)

    result = verify_bundle(folder, key_id=key_id, ca=tsa_ca)
    subject = (
        f"bundle {folder}: {result.files_checked} files and {result.entries_checked} "
        "ledger entries checked"
    )
    conclude_check(subject, result.notes, result.problems, result.to_dict(), json_output)
