"""The documents ``case export`` writes besides the records, in order (see ``documents``)."""

from __future__ import annotations

from distillguard.dossier import pdf, report, stix
from distillguard.dossier.documents import Writer


def default() -> list[Writer]:
    """The writers of a bundle: the report, its PDF, then the indicators for sharing."""
    return [report.write, pdf.write, stix.write]
