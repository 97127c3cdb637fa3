"""What the report's sections are written from: the record views, the context, the terms
policy, the watermark reports and the figures several sections share, computed once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from distillguard.cases.case import Attachment
from distillguard.dossier import facts
from distillguard.dossier.context import Context
from distillguard.dossier.facts import Table
from distillguard.dossier.improper_means import Indicator, indicators
from distillguard.dossier.terms import Terms


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    body: str  # HTML, every record value escaped


@dataclass(frozen=True)
class Material:
    con: duckdb.DuckDBPyConnection
    context: Context
    terms: Terms
    watermark: list[tuple[Attachment, dict[str, Any]]]
    summary: Table
    account_reasons: Table
    cluster_reasons: Table
    indicators: list[Indicator]

    @classmethod
    def gather(
        cls,
        con: duckdb.DuckDBPyConnection,
        context: Context,
        terms: Terms,
        watermark: list[tuple[Attachment, dict[str, Any]]],
    ) -> Material:
        summary = facts.run(con, facts.summary(context.prices))
        accounts = int(summary.first().get("accounts") or 0)
        found = indicators(con, terms.unsupported_regions, accounts, [r for _, r in watermark])
        return cls(
            con,
            context,
            terms,
            watermark,
            summary,
            facts.run(con, facts.ACCOUNT_REASONS),
            facts.run(con, facts.CLUSTER_REASONS),
            found,
        )

    def run(self, fact: facts.Fact) -> Table:
        return facts.run(self.con, fact)
