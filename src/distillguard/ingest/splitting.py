"""A compressed or plain stream cut into blocks of records by a splitter, in file order.

The splitters (``lines.LineSplitter``, ``arrays.ArraySplitter``) know where one record ends;
this reads the stream a chunk at a time, groups their records into blocks for the workers and
turns a stream that breaks off into the splitter's ``truncated`` record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, Protocol

from distillguard.ingest import sources
from distillguard.ingest.sources import STREAM_ERRORS, Block, Broken, Item


class Splitter(Protocol):
    """Turns chunks of a stream into numbered records (and ``Broken`` verdicts)."""

    @property
    def unit(self) -> str:
        """What one record is called in messages ("line", "element")."""
        ...

    @property
    def done(self) -> int:
        """Records finished so far."""
        ...

    @property
    def failed(self) -> bool:
        """The stream cannot go on (nothing more is read)."""
        ...

    def feed(self, data: bytes) -> Iterator[Item | Broken]: ...

    def finish(self) -> Iterator[Item | Broken]: ...

    def cut_off(self, why: str) -> Broken: ...


def split_blocks(handle: BinaryIO, splitter: Splitter, block_size: int) -> Iterator[Block | Broken]:
    """The records of ``handle`` in blocks of at most ``block_size``, ``Broken`` ones in between.

    A ``Broken`` record closes the block in progress, so everything comes out in file order;
    each one costs at least a record cap of input or ends the file, so blocks stay few.
    """
    block: Block = []
    for out in _records(handle, splitter):
        if isinstance(out, Broken):
            if block:
                yield block
                block = []
            yield out
            continue
        block.append(out)
        if len(block) >= block_size:
            yield block
            block = []
    if block:
        yield block


def _records(handle: BinaryIO, splitter: Splitter) -> Iterator[Item | Broken]:
    read = getattr(handle, "read1", handle.read)  # read() drops data on a broken stream
    while not splitter.failed:
        try:
            data = read(sources.READ_SIZE)
        except STREAM_ERRORS as exc:
            yield splitter.cut_off(
                f"compressed stream is cut off or corrupt after {splitter.unit} "
                f"{splitter.done}: {exc}"
            )
            return
        if not data:
            break
        yield from splitter.feed(data)
    yield from splitter.finish()
