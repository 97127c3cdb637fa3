"""The watermark's small JSON files: one format check, clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from distillguard.watermark.jsonfile import read


class FileError(ValueError):
    pass


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "thing .* does not exist"),
        (b"{", "is not a thing \\(not JSON\\)"),
        (b"[1]", "is not a distillguard thing"),
        (b'{"format": "other"}', "is not a distillguard thing"),
    ],
)
def test_bad_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "f.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(FileError, match=message):
        read(path, "fmt", "thing", FileError)


def test_a_folder_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="cannot read thing"):
        read(tmp_path, "fmt", "thing", FileError)


def test_the_object_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b'{"format": "fmt", "x": 1}')
    assert read(path, "fmt", "thing", FileError) == {"format": "fmt", "x": 1}
