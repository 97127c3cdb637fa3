"""``report.pdf``: the report as a PDF, printed by weasyprint from the same HTML.

The PDF needs the ``[pdf]`` extra (weasyprint and the system libraries it draws with).
Without it, the writer writes no PDF and returns a note saying why; the bundle is complete
without it, since ``report.html`` holds the same report. The PDF is made from the
``report.html`` the report writer left in the bundle (or rendered afresh when there is
none), so the two cannot differ. weasyprint is given a URL fetcher that refuses every URL:
the report needs nothing from outside, and a PDF must not be able to fetch anything.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, Final, NoReturn

from distillguard.dossier import report
from distillguard.dossier.documents import Inputs, Writer, Written

FILE: Final = "report.pdf"

Importer = Callable[[], ModuleType]
"""What loads weasyprint (a test passes one that fails)."""


class FetchRefusedError(ValueError):
    """A URL the PDF renderer was asked to fetch (every URL is refused)."""


def refuse(url: str, *args: object, **kwargs: object) -> NoReturn:
    """weasyprint's URL fetcher for the report: nothing is fetched."""
    raise FetchRefusedError(f"the report fetches nothing; refused {url[:200]}")


def _refuse_fetch(self: object, url: str, headers: object = None) -> NoReturn:
    refuse(url)


def fetcher(weasyprint: ModuleType) -> object:
    """A URL fetcher for ``weasyprint`` that refuses every URL: a ``URLFetcher`` whose
    ``fetch`` refuses (weasyprint 67 and later), or ``refuse`` itself (earlier versions,
    which take a function)."""
    base = getattr(getattr(weasyprint, "urls", None), "URLFetcher", None)
    if base is None:
        return refuse
    refusing: Any = type("RefusingFetcher", (base,), {"fetch": _refuse_fetch})
    return refusing()


def import_weasyprint() -> ModuleType:
    """weasyprint (the ``[pdf]`` extra). Its warning that the system lacks HarfBuzz-Subset
    is silenced: without it whole fonts are embedded, a larger PDF but the same report."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
        return importlib.import_module("weasyprint")


def to_pdf(html: str, importer: Importer = import_weasyprint) -> bytes:
    """The PDF of ``html`` (raises ``ImportError`` or ``OSError`` without weasyprint)."""
    weasyprint = importer()
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher(weasyprint))
    data = document.write_pdf()
    if not isinstance(data, bytes):
        raise TypeError("weasyprint returned no PDF")
    return data


def writer(importer: Importer = import_weasyprint) -> Writer:
    """The PDF writer, loading weasyprint with ``importer``."""

    def write(inputs: Inputs, folder: Path) -> Written:
        source = folder / report.FILE
        if source.is_file():
            html = source.read_text(encoding="utf-8")
        else:
            html = report.render(inputs.records, inputs.context, inputs.attachments)
        try:
            data = to_pdf(html, importer)
        except (ImportError, OSError) as exc:  # no extra, or its system libraries missing
            return Written(
                [],
                [
                    f"{FILE} not written: weasyprint cannot be loaded ({exc}); install the "
                    "[pdf] extra for a PDF. report.html holds the same report."
                ],
            )
        (folder / FILE).write_bytes(data)
        return Written([FILE], [])

    return write


def write(inputs: Inputs, folder: Path) -> Written:
    """The bundle's PDF writer (weasyprint imported as usual)."""
    return writer()(inputs, folder)
