"""The simulator stays off the start-up path of every other command."""

from __future__ import annotations

import subprocess
import sys

_PROBE = (
    "import sys, distillguard.cli; "
    "print(any(m.startswith('distillguard.simulate') for m in sys.modules))"
)


def test_importing_the_cli_does_not_import_the_simulator() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
