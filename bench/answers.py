"""Model-written and human-written *answers* from ``../shared/corpora``, for the watermark figures.

Sources (see the corpora's README): Alpaca outputs (short, 45 words on average), Open Assistant
assistant turns (chat length, 130 words), HH-RLHF assistant turns of the chosen dialogues (33
words), GSM8K worked answers (math, with numbers), Code Alpaca outputs (code). The table's
natural shares were counted on the even-indexed answers of Alpaca + Open Assistant + HH-RLHF
(in that order); the figures use the odd-indexed ones (``held_out``), so no figure is measured on
the text its shares came from.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import orjson

CORPORA: Final = Path(__file__).resolve().parents[2] / "shared" / "corpora"
SOURCES: Final = ("alpaca", "oasst", "hh", "gsm8k", "codealpaca")


def _oasst(node: dict[str, Any]) -> Iterator[str]:
    if node.get("role") == "assistant" and node.get("text"):
        yield node["text"]
    for reply in node.get("replies") or []:
        yield from _oasst(reply)


def load(folder: Path = CORPORA) -> dict[str, list[str]]:
    """Answers by source; raises ``FileNotFoundError`` when the corpora are absent."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is absent: the watermark figures need real answers")
    out: dict[str, list[str]] = {}
    alpaca = orjson.loads((folder / "alpaca_5000.json").read_bytes())
    out["alpaca"] = [r["output"] for r in alpaca if r["output"].strip()]
    out["oasst"] = [
        text
        for line in (folder / "oasst_en_100_message.jsonl").read_bytes().splitlines()
        for text in _oasst(orjson.loads(line))
    ]
    hh: list[str] = []
    with gzip.open(folder / "hh_rlhf_harmless_base_test.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            for part in orjson.loads(line)["chosen"].split("\n\nAssistant: ")[1:]:
                text = part.split("\n\nHuman: ")[0].strip()
                if text:
                    hh.append(text)
    out["hh"] = hh
    out["gsm8k"] = [
        orjson.loads(line)["answer"]
        for line in (folder / "gsm8k_train.jsonl").read_bytes().splitlines()
    ]
    code = orjson.loads((folder / "code_alpaca_2k.json").read_bytes())
    out["codealpaca"] = [r["output"] for r in code if r["output"].strip()]
    return out


def held_out(answers: dict[str, list[str]], source: str) -> list[str]:
    """The odd-indexed answers of ``source`` (the shares were counted on the even ones)."""
    return answers[source][1::2]
