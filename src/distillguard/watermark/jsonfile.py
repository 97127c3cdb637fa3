"""Read the watermark's small JSON files (keys, fitted tables): one format check, one set of
messages for a file that is missing, unreadable, not JSON or of another format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson


def read(path: Path, fmt: str, what: str, error: type[ValueError]) -> dict[str, Any]:
    """The JSON object in ``path`` whose ``format`` is ``fmt``, else ``error`` saying why."""
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError as exc:
        raise error(f"{what} {path} does not exist") from exc
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc.strerror}") from exc
    except orjson.JSONDecodeError as exc:
        raise error(f"{path} is not a {what} (not JSON)") from exc
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise error(f"{path} is not a distillguard {what}")
    return data
