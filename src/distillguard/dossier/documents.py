"""The documents a bundle holds besides its records, as an explicit registry of writers.

A writer takes the bundle's record views and its context and writes its files into the
bundle folder, returning their paths (relative) and notes (a document left out, and why).
``WRITERS`` is the list ``case export`` runs, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from distillguard.cases.case import Attachment
from distillguard.dossier.context import Context
from distillguard.dossier.records import RecordSet


@dataclass(frozen=True)
class Inputs:
    records: RecordSet
    context: Context
    attachments: list[tuple[Attachment, dict[str, object]]]


@dataclass(frozen=True)
class Written:
    paths: list[str]
    notes: list[str]


Writer = Callable[[Inputs, Path], Written]
