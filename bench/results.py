"""Where benchmark results go: one JSON file per benchmark in ``bench/out``."""

from __future__ import annotations

from pathlib import Path

import orjson

OUT = Path(__file__).resolve().parent / "out"


def save(name: str, result: object, *, echo: bool = False) -> Path:
    """``result`` as indented JSON in ``bench/out/<name>``; with ``echo``, on stdout too."""
    OUT.mkdir(exist_ok=True)
    text = orjson.dumps(result, option=orjson.OPT_INDENT_2)
    path = OUT / name
    path.write_bytes(text)
    if echo:
        print(text.decode())
    return path
