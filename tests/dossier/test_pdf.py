"""The PDF: rendered from the same HTML with the same headings, fetching nothing; and a note
instead of a PDF when weasyprint cannot be loaded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from distillguard.dossier import pdf, report
from distillguard.dossier.documents import Inputs
from tests.dossier.conftest import Bundle
from tests.dossier.test_report import SECTIONS


def test_the_bundle_has_a_pdf_with_the_reports_headings(bundle: Bundle) -> None:
    path = bundle.exported.out / pdf.FILE
    assert path.read_bytes().startswith(b"%PDF-")
    assert pdf.FILE in bundle.exported.files
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for _, heading in SECTIONS:
        assert heading in lines, heading
    assert "Not legal advice" in text


def test_every_url_is_refused() -> None:
    with pytest.raises(pdf.FetchRefusedError, match=r"refused https://example\.test/x\.css"):
        pdf.refuse("https://example.test/x.css")


def test_a_url_in_the_html_is_not_fetched(tmp_path: Path) -> None:
    target = tmp_path / "secret.css"
    target.write_text("p { color: red }", encoding="utf-8")
    weasyprint = pdf.import_weasyprint()
    refusing = pdf.fetcher(weasyprint)
    with pytest.raises(pdf.FetchRefusedError):
        refusing.fetch(target.as_uri())  # type: ignore[attr-defined]
    html = (
        f"<html><head><link rel='stylesheet' href='{target.as_uri()}'></head>"
        f"<body><img src='{target.as_uri()}'><p>no fetch</p></body></html>"
    )
    data = pdf.to_pdf(html)
    assert data.startswith(b"%PDF-")


def _missing() -> ModuleType:
    raise ImportError("No module named 'weasyprint'")


def test_without_weasyprint_no_pdf_is_written_and_a_note_says_why(
    bundle: Bundle, tmp_path: Path
) -> None:
    shutil.copyfile(bundle.exported.out / report.FILE, tmp_path / report.FILE)
    inputs = Inputs(records=None, context=None, attachments=[])  # type: ignore[arg-type]
    written = pdf.writer(_missing)(inputs, tmp_path)
    assert written.paths == []
    [note] = written.notes
    assert "report.pdf not written" in note
    assert "[pdf] extra" in note
    assert not (tmp_path / pdf.FILE).exists()
