"""What a workspace holds: counts an operator checks after an ingest."""

from __future__ import annotations

from typing import Any

from distillguard.workspace import Workspace


def _scalar(con: Any, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    return row[0] if row else None


def workspace_stats(workspace: Workspace) -> dict[str, Any]:
    with workspace.connect() as con:
        first, last = con.execute("SELECT min(ts), max(ts) FROM interactions").fetchone() or (
            None,
            None,
        )
        by = {
            column: dict(
                con.execute(
                    f"SELECT coalesce({column}, '(none)'), count(*) FROM interactions "
                    "GROUP BY 1 ORDER BY 2 DESC, 1"
                ).fetchall()
            )
            for column in ("source_format", "endpoint", "network_kind", "gateway_action")
        }
        reasons = dict(
            con.execute(
                "SELECT reason, count(*) FROM quarantine GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
        )
        vintage = [
            {"geo_data": geo, "network_data": network, "ips": n}
            for geo, network, n in con.execute(
                "SELECT geo_data, network_data, count(*) FROM ip_info GROUP BY 1, 2 ORDER BY 1, 2"
            ).fetchall()
        ]
        return {
            "workspace": str(workspace.root),
            "interactions": _scalar(con, "SELECT count(*) FROM interactions"),
            "accounts": _scalar(con, "SELECT count(*) FROM accounts"),
            "active_accounts": _scalar(con, "SELECT count(DISTINCT account_id) FROM interactions"),
            "days": _scalar(con, "SELECT count(DISTINCT day) FROM interactions"),
            "first_ts": first.isoformat() if first is not None else None,
            "last_ts": last.isoformat() if last is not None else None,
            "by_source_format": by["source_format"],
            "by_endpoint": by["endpoint"],
            "by_network_kind": by["network_kind"],
            "by_gateway_action": by["gateway_action"],
            "quarantined": sum(reasons.values()),
            "quarantine_reasons": reasons,
            "ingests": _scalar(con, "SELECT count(*) FROM ingests"),
            "enrichment_vintage": vintage,
        }
