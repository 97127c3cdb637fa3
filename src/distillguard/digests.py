"""SHA-256 of a file, read in blocks: how every part of the product names a file it read,
froze or wrote (ledger entries, cases, bundles, watermark reports, the controls log)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    """The SHA-256 (hex) of the file's bytes; ``OSError`` when it cannot be read."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
