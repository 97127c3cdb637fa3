"""What a gateway is started with (light to import: the command line builds it first)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from distillguard.settings import Settings

WATERMARK_KEY: Final = "watermark-key.json"


@dataclass(frozen=True)
class Options:
    """What a gateway is started with: the workspace, the upstream and where things go."""

    workspace: Path
    upstream: str
    upstream_kind: str
    log_dir: Path
    policy_file: Path | None
    settings: Settings

    @property
    def state_dir(self) -> Path:
        return self.workspace / "gateway"

    def watermark_key_file(self) -> Path:
        configured = self.settings.text("gateway.watermark_key")
        return Path(configured) if configured else self.state_dir / WATERMARK_KEY
