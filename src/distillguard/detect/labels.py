"""Analysts' labels: decisions recorded in the workspace, and the labels the next scan applies.

An analyst labels an account, a cluster of the latest scan, or many accounts from a CSV file
as ``campaign`` or ``benign``; ``none`` withdraws an earlier label. Each command is one
*labelling*: its rows (one per account, ``ANALYST_LABELS``) are written to one Parquet file
and listed in the catalog in one transaction under the workspace's writer lock, so a labelling
is stored whole or not at all. Rows are only ever appended: the ``analyst_labels`` view is the
full history, and an account's effective label is its latest row.

A cluster id only means something within the scan that drew it (every scan renumbers them),
so a cluster label is expanded at once into its member accounts, each row keeping the
``cluster_id`` and ``scan_id`` it came from.

``effective_labels`` is what a scan reads: the latest analyst decision per account, then the
trusted orgs and accounts of the settings as benign labels where no analyst has decided.
"""

from __future__ import annotations

import csv
import getpass
import secrets
import shutil
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from distillguard.schema.column import UTC_MICROS
from distillguard.schema.labels import (
    ANALYST_LABEL_VALUES,
    ANALYST_LABELS,
    EFFECTIVE_LABELS,
    WITHDRAWN,
)
from distillguard.settings import Settings
from distillguard.workspace import Workspace

CHOICES: Final = (*ANALYST_LABEL_VALUES, WITHDRAWN)
"""What ``--as`` accepts: a label, or ``none`` to withdraw one."""
FILE_COLUMNS: Final = ("account_id", "label", "note")
_REQUIRED: Final = ("account_id", "label")
_DECISIONS: Final = "labelling_decisions_input"
_UNKNOWN_SHOWN: Final = 5


class LabelError(ValueError):
    """A label cannot be recorded: an unknown account or cluster, a bad file, a bad value."""


@dataclass(frozen=True)
class Decision:
    """One analyst decision about one account; ``line`` is its line in a labels file."""

    account_id: str
    label: str
    note: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Labelling:
    """What one ``label`` command stored."""

    labelling_id: str
    target: str
    analyst: str
    labelled_at: str
    accounts: int
    by_label: dict[str, int]
    cluster_id: str | None
    scan_id: str | None
    file: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_analyst() -> str:
    """The OS user, the analyst a label is attributed to unless one is named."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "unknown"


def check_choice(label: str) -> str:
    value = label.strip().lower()
    if value not in CHOICES:
        raise LabelError(f"label {label!r} is not one of {', '.join(CHOICES)}")
    return value


def _clean_note(note: str | None) -> str | None:
    return note.strip() or None if note is not None else None


def read_label_file(path: Path) -> list[Decision]:
    """The decisions of a labels CSV (header ``account_id,label[,note]``), all checked.

    Any bad row stops the whole file, naming its line: a file is stored whole or not at all.
    """
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return _decisions(path, csv.DictReader(handle))
    except FileNotFoundError as exc:
        raise LabelError(f"labels file {path} does not exist") from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LabelError(f"cannot read labels file {path}: {exc}") from exc


def _decisions(path: Path, reader: csv.DictReader[str]) -> list[Decision]:
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in _REQUIRED if name not in header]
    unknown = [name for name in header if name not in FILE_COLUMNS]
    if missing or unknown:
        raise LabelError(
            f"labels file {path} has the columns {', '.join(header) or 'none'}; expected "
            "account_id,label[,note] (label: " + " | ".join(CHOICES) + ")"
        )
    reader.fieldnames = header
    decisions: list[Decision] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise LabelError(f"{path}, line {line}: more cells than the header has columns")
        account = (row.get("account_id") or "").strip()
        if not account:
            raise LabelError(f"{path}, line {line}: no account_id")
        try:
            label = check_choice(row.get("label") or "")
        except LabelError as exc:
            raise LabelError(f"{path}, line {line}: {exc}") from exc
        if account in seen:
            # Two decisions in one file have no order between them: refuse rather than pick.
            raise LabelError(
                f"{path}, line {line}: account {account} is already labelled on line "
                f"{seen[account]}; give each account one row"
            )
        seen[account] = line
        decisions.append(Decision(account, label, _clean_note(row.get("note")), line))
    if not decisions:
        raise LabelError(f"labels file {path} has no rows")
    return decisions


def _latest_scan_id(ws: Workspace) -> str | None:
    scan = ws.latest_scan()
    return None if scan is None else str(scan["scan_id"])


def _check_known(con: duckdb.DuckDBPyConnection, decisions: list[Decision]) -> None:
    """Refuse decisions about accounts the workspace has never seen (a typo labels nothing)."""
    con.register(
        _DECISIONS,
        pa.table(
            {
                "account_id": pa.array([d.account_id for d in decisions], pa.string()),
                "line": pa.array([d.line for d in decisions], pa.int64()),
            }
        ),
    )
    unknown = con.execute(
        f"SELECT d.account_id, d.line FROM {_DECISIONS} AS d "
        "WHERE d.account_id NOT IN (SELECT account_id FROM accounts) "
        "AND d.account_id NOT IN (SELECT account_id FROM interactions) "
        "ORDER BY d.line NULLS LAST, d.account_id"
    ).fetchall()
    con.unregister(_DECISIONS)
    if not unknown:
        return
    shown = ", ".join(
        f"{account} (line {line})" if line is not None else account
        for account, line in unknown[:_UNKNOWN_SHOWN]
    )
    more = f" and {len(unknown) - _UNKNOWN_SHOWN} more" if len(unknown) > _UNKNOWN_SHOWN else ""
    raise LabelError(
        f"unknown account(s) {shown}{more}: not in the workspace's interactions or accounts; "
        "nothing was labelled"
    )


def _members(con: duckdb.DuckDBPyConnection, cluster_id: str, scan_id: str | None) -> list[str]:
    if scan_id is None:
        raise LabelError("the workspace has no scan, so no clusters; run `distillguard scan`")
    members = [
        row[0]
        for row in con.execute(
            "SELECT account_id FROM account_scores WHERE cluster_id = ? ORDER BY account_id",
            [cluster_id],
        ).fetchall()
    ]
    if not members:
        raise LabelError(
            f"cluster {cluster_id} is not in the latest scan ({scan_id}); cluster ids change "
            "with every scan (see `distillguard export clusters`)"
        )
    return members


def _new_id(at: datetime) -> str:
    # Time first, so that ordering by id orders labellings as they happened.
    return at.strftime("%Y%m%dT%H%M%S%f") + "-" + secrets.token_hex(3)


def _record(
    ws: Workspace,
    target: str,
    decisions: list[Decision],
    analyst: str | None,
    cluster_id: str | None = None,
    file: Path | None = None,
) -> Labelling:
    """Check ``decisions`` and store them as one labelling, under the writer lock."""
    ws.require()  # a label never creates a workspace
    who = (analyst or "").strip() or default_analyst()
    with ws.writer():
        scan_id = _latest_scan_id(ws)
        with ws.connect() as con:
            if cluster_id is not None:
                template = decisions[0]
                decisions = [
                    Decision(member, template.label, template.note)
                    for member in _members(con, cluster_id, scan_id)
                ]
            _check_known(con, decisions)
        at = datetime.now(UTC)
        labelling_id = _new_id(at)
        table = pa.table(
            {
                "labelling_id": pa.array([labelling_id] * len(decisions), pa.string()),
                "target": pa.array([target] * len(decisions), pa.string()),
                "account_id": [d.account_id for d in decisions],
                "label": [d.label for d in decisions],
                "note": pa.array([d.note for d in decisions], pa.string()),
                "analyst": [who] * len(decisions),
                "labelled_at": pa.array([at] * len(decisions), UTC_MICROS),
                "cluster_id": pa.array([cluster_id] * len(decisions), pa.string()),
                "scan_id": pa.array([scan_id] * len(decisions), pa.string()),
            },
            schema=ANALYST_LABELS,
        )
        staging = ws.staging(labelling_id)
        staged = staging / "analyst_labels.parquet"
        pq.write_table(table, staged)
        result = Labelling(
            labelling_id=labelling_id,
            target=target,
            analyst=who,
            labelled_at=at.isoformat(),
            accounts=len(decisions),
            by_label=dict(sorted(Counter(d.label for d in decisions).items())),
            cluster_id=cluster_id,
            scan_id=scan_id,
            file=None if file is None else str(file),
        )
        ws.commit_labels(labelling_id, at, datetime.now(UTC), result.to_dict(), staged)
        shutil.rmtree(staging, ignore_errors=True)
    return result


def label_account(
    ws: Workspace, account_id: str, label: str, note: str | None = None, analyst: str | None = None
) -> Labelling:
    """Label one account (``label``: campaign, benign, or none to withdraw)."""
    decision = Decision(account_id.strip(), check_choice(label), _clean_note(note))
    return _record(ws, "account", [decision], analyst)


def label_cluster(
    ws: Workspace, cluster_id: str, label: str, note: str | None = None, analyst: str | None = None
) -> Labelling:
    """Label every member account of a cluster of the latest scan."""
    decision = Decision("", check_choice(label), _clean_note(note))
    return _record(ws, "cluster", [decision], analyst, cluster_id=cluster_id.strip())


def label_file(ws: Workspace, path: Path, analyst: str | None = None) -> Labelling:
    """Label the accounts of a labels CSV: every row, or none when any row is bad."""
    return _record(ws, "file", read_label_file(path), analyst, file=path)


def _arrow(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any], schema: pa.Schema
) -> pa.Table:
    """The result of ``sql`` as a table of exactly ``schema``."""
    relation = con.sql(sql, params=params)
    assert relation is not None  # a SELECT always gives a relation
    table = relation.to_arrow_table()
    # DuckDB hands timestamps back in the session's time zone; the contract says UTC.
    return pa.Table.from_arrays(
        [table.column(i).cast(field.type) for i, field in enumerate(schema)], schema=schema
    )


def history(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Every decision ever recorded (``ANALYST_LABELS``), oldest first."""
    sql = "SELECT * FROM analyst_labels ORDER BY labelled_at, labelling_id, account_id"
    return _arrow(con, sql, [], ANALYST_LABELS)


def _ids(settings: Settings, name: str) -> list[str]:
    return [part.strip() for part in settings.text(name).split(",") if part.strip()]


_LATEST: Final = """
latest AS (
    SELECT account_id, label, note, analyst, labelled_at
    FROM analyst_labels
    QUALIFY row_number() OVER (
        PARTITION BY account_id ORDER BY labelled_at DESC, labelling_id DESC
    ) = 1
),
decided AS (SELECT * FROM latest WHERE label <> '{withdrawn}')
"""


def _effective_sql(orgs: list[str], accounts: list[str]) -> tuple[str, list[Any]]:
    # Branches for empty settings are left out of the query text rather than matched against
    # an empty list, so the default settings never read the interactions at all.
    trusted: list[str] = []
    params: list[Any] = []
    if orgs:
        trusted.append(
            "SELECT account_id, 'trusted org ' || min(org_id) AS note FROM interactions "
            "WHERE list_contains(?::VARCHAR[], org_id) GROUP BY account_id"
        )
        params.append(orgs)
    if accounts:
        trusted.append(
            "SELECT unnest(?::VARCHAR[]) AS account_id, 'listed in detect.trusted_accounts' AS note"
        )
        params.append(accounts)
    sql = "WITH " + _LATEST.format(withdrawn=WITHDRAWN)
    sql += (
        ", analyst AS (SELECT account_id, label, 'analyst' AS source, note, analyst, "
        "labelled_at FROM decided)"
    )
    if trusted:
        sql += (
            ", trusted AS (SELECT account_id, min(note) AS note FROM ("
            + " UNION ALL ".join(trusted)
            + ") GROUP BY account_id)"
            " SELECT * FROM analyst UNION ALL"
            " SELECT t.account_id, 'benign', 'trusted', t.note, NULL, NULL FROM trusted AS t"
            " WHERE t.account_id NOT IN (SELECT account_id FROM decided)"
        )
    else:
        sql += " SELECT * FROM analyst"
    return sql + " ORDER BY account_id", params


def effective_labels(con: duckdb.DuckDBPyConnection, settings: Settings) -> pa.Table:
    """The label each labelled account carries now (``EFFECTIVE_LABELS``), one query.

    ``con`` is a connection from ``Workspace.connect()``. An analyst's latest decision wins;
    a withdrawn label is no label, so a trusted org or account (settings
    ``detect.trusted_orgs``, ``detect.trusted_accounts``) applies again once an analyst
    withdraws their label on it.
    """
    sql, params = _effective_sql(
        _ids(settings, "detect.trusted_orgs"), _ids(settings, "detect.trusted_accounts")
    )
    return _arrow(con, sql, params, EFFECTIVE_LABELS)
