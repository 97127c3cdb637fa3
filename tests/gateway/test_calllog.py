from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import orjson

from distillguard.gateway.calllog import CallLog


def _lines(folder: Path) -> list[dict[str, object]]:
    return [
        orjson.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_bytes().splitlines()
    ]


def test_records_are_whole_lines_and_rotate(tmp_path: Path) -> None:
    async def main() -> CallLog:
        log = CallLog(tmp_path, fsync_interval=0.05, rotate_bytes=2_000)
        for i in range(50):
            await log.write({"request_id": f"r{i}", "pad": "x" * 100})
        await log.close()
        return log

    log = asyncio.run(main())
    assert [r["request_id"] for r in _lines(tmp_path)] == [f"r{i}" for i in range(50)]
    assert len(list(tmp_path.glob("*.jsonl"))) > 1
    assert log.records == 50
    assert all(p.stat().st_size <= 2_000 for p in tmp_path.glob("*.jsonl"))


def test_fsync_every_record(tmp_path: Path) -> None:
    async def main() -> None:
        log = CallLog(tmp_path, fsync_interval=0, rotate_bytes=1 << 20)
        await log.write({"request_id": "a"})
        await log.close()

    asyncio.run(main())
    assert _lines(tmp_path) == [{"request_id": "a"}]


def test_a_killed_process_loses_no_record_it_reported_written(tmp_path: Path) -> None:
    """SIGKILL right after write() returns: the line is in the page cache, not in the process."""
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from pathlib import Path
        from distillguard.gateway.calllog import CallLog

        async def main():
            log = CallLog(Path({str(tmp_path)!r}), fsync_interval=-1, rotate_bytes=1 << 30)
            i = 0
            while True:
                await log.write({{"request_id": f"r{{i}}"}})
                sys.stdout.write(f"r{{i}}\\n")
                sys.stdout.flush()
                i += 1

        asyncio.run(main())
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    acknowledged = [process.stdout.readline().strip() for _ in range(2_000)]
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    logged = {r["request_id"] for r in _lines(tmp_path)}
    assert set(acknowledged) <= logged
