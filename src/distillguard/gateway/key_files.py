"""Keys issued in bulk: the accounts CSV read in, the issued keys written out to a private file.

The accounts file has a header with ``account`` (required) and optionally ``org``, ``rpm``,
``tpm``; one key is issued per row. Every row is checked before any key is issued, and a bad
row (or an unknown column, a cell too many, a limit that is not a whole number) stops the
whole file, naming its line: a file is issued whole or not at all, so it can be fixed and
given again without issuing some keys twice.

The keys file written (``key_id,account_id,org_id,key``) holds the secrets, which exist
nowhere else: it is created with mode 0600 and never overwritten (an existing file may be the
only copy of earlier keys). It is created *before* the keys are issued, so a path that cannot
be written issues nothing, and removed again if issuing fails.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

from distillguard.gateway.keys import KeyRecord, KeyRequest, KeyStore, KeyStoreError

COLUMNS: Final = ("account", "org", "rpm", "tpm")
REQUIRED: Final = ("account",)
OUT_COLUMNS: Final = ("key_id", "account_id", "org_id", "key")


def read_requests(path: Path) -> list[KeyRequest]:
    """The key requests of an accounts CSV, every one checked (see the module's docstring)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:  # -sig: a spreadsheet's BOM
            # strict: a stray or unclosed quote is an error, not a cell that swallows lines
            reader = csv.DictReader(handle, strict=True)
            try:
                return list(_requests(path, reader))
            except csv.Error as exc:
                # The reader's line_num is where its last whole row ended: the bad one is next.
                line = reader.line_num + 1
                raise KeyStoreError(f"{path}, line {line}: not CSV ({exc})") from exc
    except FileNotFoundError as exc:
        raise KeyStoreError(f"accounts file {path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyStoreError(f"cannot read accounts file {path}: {exc}") from exc


def _requests(path: Path, reader: csv.DictReader[str]) -> Iterator[KeyRequest]:
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        raise KeyStoreError(
            f"accounts file {path} has the columns {','.join(header) or 'none'}; expected "
            "account[,org][,rpm][,tpm]"
        )
    reader.fieldnames = header
    count = 0
    for row in reader:
        line = reader.line_num
        if None in row:
            raise KeyStoreError(f"{path}, line {line}: more cells than the header has columns")
        try:
            yield KeyRequest(
                account_id=row.get("account") or "",
                org_id=row.get("org"),
                rpm=_whole(row.get("rpm"), "rpm"),
                tpm=_whole(row.get("tpm"), "tpm"),
            ).checked()
        except KeyStoreError as exc:
            raise KeyStoreError(f"{path}, line {line}: {exc}") from exc
        count += 1
    if not count:
        raise KeyStoreError(f"accounts file {path} has no rows")


def _whole(text: str | None, name: str) -> int | None:
    """A limit cell: empty for the policy's limit, else a whole number."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise KeyStoreError(f"{name} {value!r} is not a whole number") from None


def issue_to_file(
    store: KeyStore, requests: Sequence[KeyRequest], out: Path, *, who: str | None = None
) -> list[KeyRecord]:
    """Issue a key per request and write them all to the new file ``out``; their records."""
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyStoreError(
            f"{out} already exists: give a new file for the keys (one is never overwritten)"
        ) from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        try:
            issued = store.create_many(requests, who=who)
        except BaseException:
            out.unlink(missing_ok=True)
            raise
        writer = csv.writer(handle)
        writer.writerow(OUT_COLUMNS)
        writer.writerows((r.key_id, r.account_id, r.org_id or "", key) for r, key in issued)
        handle.flush()
        os.fsync(handle.fileno())  # the only copy of the secrets: on disk before we report
    return [record for record, _ in issued]
