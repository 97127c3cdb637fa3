"""Evidence that holds up: a tamper-evident ledger of what the product saw and did.

``ledger.py`` appends hash-chained entries (``entry.py``: canonical JSON, ``canonical.py``)
to ``<workspace>/evidence/ledger.jsonl``; ``merkle.py`` makes them an RFC 9162 Merkle tree
with inclusion and consistency proofs; ``signing.py`` signs tree heads with the Ed25519 key of
``keys.py`` and ``tsa.py`` optionally has an RFC 3161 authority time-stamp them; ``feeds.py``
brings in the controls log, scans and labels; ``head.py`` makes, signs and keeps the current
head; ``verify.py`` checks all of it; ``commands.py`` is the command line.
"""

from __future__ import annotations
