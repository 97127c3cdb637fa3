"""A file holding one JSON array, read element by element in bounded memory.

``ArraySplitter`` follows the array's structure (strings, nesting) a chunk at a time and hands
out each element's bytes, numbered from 1; the worker decodes them like JSON lines. An element
over ``ingest.max_record_bytes`` is hashed while skipped and comes out as ``too_large``. An
array that never closes ends with a ``truncated`` record; text that is not an array, or
garbage between elements, ends the file with ``not_json`` (what came before is kept).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from typing import BinaryIO

from distillguard.ingest.limits import Limits
from distillguard.ingest.oversize import RecordBuffer
from distillguard.ingest.sources import BOM, Block, Broken, Item
from distillguard.ingest.splitting import split_blocks

DEFAULT_LIMITS = Limits()
_SPACE = re.compile(rb"[ \t\r\n]*")
_STRUCTURE = re.compile(rb'["\[\]{},]')
_IN_STRING = re.compile(rb'["\\]')


class ArraySplitter:
    """Splits the bytes of one JSON array into its elements' bytes."""

    unit = "element"

    def __init__(self, max_record_bytes: int) -> None:
        self.index = 0  # elements finished
        self._state = "open"  # open | next | element | after | done | failed
        self._depth = 0
        self._in_string = False
        self._escape = False
        self._element = RecordBuffer(max_record_bytes)
        self._started = False

    @property
    def done(self) -> int:
        return self.index

    @property
    def failed(self) -> bool:
        return self._state == "failed"

    def feed(self, data: bytes) -> Iterator[Item | Broken]:
        if not self._started and data:
            self._started = True
            data = data.removeprefix(BOM)
        i, n = 0, len(data)
        while i < n:
            state = self._state
            if state in ("done", "failed"):
                if data[i:].strip():
                    yield self._fail("there is data after the end of the JSON array")
                return
            if state == "element":
                i = yield from self._scan(data, i)
                continue
            i = _SPACE.match(data, i).end()  # type: ignore[union-attr]  # always matches
            if i == n:
                return
            byte = data[i : i + 1]
            if state == "open":
                if byte != b"[":
                    yield self._fail("the file is not a JSON array")
                    return
                self._state, i = "next", i + 1
            elif byte == b"]" and (state == "after" or self.index == 0):
                self._state, i = "done", i + 1
            elif state == "after":
                if byte != b",":
                    yield self._fail(f"expected ',' or ']' after element {self.index}")
                    return
                self._state, i = "next", i + 1
            else:
                self._state, self._depth = "element", 0

    def _scan(self, data: bytes, i: int) -> Generator[Item | Broken, None, int]:
        """Follow the element from ``i``; returns where it ends (or the chunk's end)."""
        start, n = i, len(data)
        while i < n:
            if self._escape:
                self._escape, i = False, i + 1
                continue
            if self._in_string:
                found = _IN_STRING.search(data, i)
                if found is None:
                    i = n
                    break
                i = found.end()
                if found.group() == b"\\":
                    self._escape = True
                    continue
                self._in_string = False
                if self._depth == 0:
                    return (yield from self._end(data, start, i))
                continue
            found = _STRUCTURE.search(data, i)
            if found is None:
                i = n
                break
            byte, at = found.group(), found.start()
            if byte == b'"':
                self._in_string, i = True, at + 1
            elif byte in b"[{":
                self._depth, i = self._depth + 1, at + 1
            elif self._depth == 0:  # ',' or ']' ends a scalar element
                return (yield from self._end(data, start, at))
            elif byte in b"]}":
                self._depth, i = self._depth - 1, at + 1
                if self._depth == 0:
                    return (yield from self._end(data, start, i))
            else:
                i = at + 1
        self._element.add(data[start:i])
        return i

    def _end(self, data: bytes, start: int, end: int) -> Generator[Item | Broken, None, int]:
        self._element.add(data[start:end])
        self.index += 1
        out = self._element.take(self.index)
        yield out if isinstance(out, Broken) else (self.index, out)
        self._state = "after"
        return end

    def _fail(self, why: str) -> Broken:
        self._state = "failed"
        held = self._element.take(self.index + 1)
        raw = held.raw if isinstance(held, Broken) else held
        return Broken(self.index + 1, "not_json", why, raw)

    def cut_off(self, why: str) -> Broken:
        """The stream broke: the element in progress as a ``truncated`` record."""
        self._state = "failed"
        return self._element.cut_off(self.index + 1, why)

    def finish(self) -> Iterator[Item | Broken]:
        if self._state == "element" and not self._in_string and self._depth == 0:
            yield from self._end(b"", 0, 0)  # a scalar element just before the end
        if self._state not in ("done", "failed"):
            if self._state == "open":
                yield Broken(1, "not_json", "the file is empty, not a JSON array", b"")
            else:
                yield self._element.cut_off(
                    self.index + 1, f"the JSON array never closes after element {self.index}"
                )


def json_array(
    handle: BinaryIO, block_size: int, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Block | Broken]:
    """The elements of a file holding one JSON array, as bytes numbered from 1, in blocks."""
    return split_blocks(handle, ArraySplitter(limits.max_record_bytes), block_size)
