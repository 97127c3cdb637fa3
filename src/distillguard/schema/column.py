"""A table's column as the data model states it, and the Arrow schema of a tuple of them."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

UTC_MICROS = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    doc: str
    group: str
    nullable: bool = True

    def field(self) -> pa.Field:
        return pa.field(self.name, self.type, nullable=self.nullable)


def schema_of(columns: tuple[Column, ...]) -> pa.Schema:
    return pa.schema([c.field() for c in columns])
