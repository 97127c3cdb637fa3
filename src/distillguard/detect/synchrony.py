"""Synchrony: whether a cluster's accounts act in the same minutes more often than chance.

One operator spreading a harvest over many accounts drives them from one scheduler: the
accounts fire in the same minutes ("synchronized traffic", "load balancing" on the public
record [1]). Unrelated people, and the legitimate groups that share a line, a card or a
benchmark with each other (a company behind one NAT, a team on one card, evaluation suites,
households on a proxy's exit), are active in the same *hours* (office hours, a nightly
window, evenings in one time zone) but not, beyond chance, in the same *minutes*.

So the null is learned from the cluster's own traffic: the other members' minutes are taken
as they are, and the member's own active minutes as placed at random within the clock hours
it was active in. A member's *observed* count is its active minutes in which another member
was active too; its *expected* count is ``sum_h k_a(h) * m_-a(h) / 60``, with ``k_a(h)`` its
active minutes in hour ``h`` and ``m_-a(h)`` the minutes of that hour in which some other
member was active. Their ratio is the member's *lift*; summed over a cluster's core, the
core's lift. Each of the member's minutes counts once however many others share it, so one
call landing in the middle of a pool's burst says little; hour-of-day rhythms, time zones,
nightly jobs and a pool that is simply busy all hour cancel out of the ratio; only acting in
step, minute after minute, remains.

In a large cluster the other members cover nearly every minute of every busy hour, so
``m_-a(h)`` approaches 60, the expected count approaches the observed one and every lift
tends to 1, whatever the pool does (measured: a 2,300-account cluster at 16M calls, lift
1.0-1.1 for pools that fire in step, 4.3 once compared within panels). So a member is compared
with a fixed-size **panel** of its cluster, not the whole of it: a cluster of ``s`` members
is cut into ``round(s / detect.sync_panel)`` panels by a stable hash of the account id, and
each member's counts are taken against the other members of its own panel. The test's power
then depends on the panel's size, not the cluster's, and a cluster at or below the panel
size is one panel, as before.

:func:`synchrony_evidence` turns observed and expected counts into evidence in [0, 1]: 0 up
to lift ``detect.sync_start``, 1 from ``detect.sync_full``, and 0 whatever the lift unless
the excess over chance is significant (``(observed - expected) / sqrt(max(expected, 1))``
at least ``detect.sync_z``), so that a few coincidences between small accounts say nothing.
A member's own test is one of as many as its cluster has members, so its threshold is
raised to keep the same chance of a false one across the whole cluster (Bonferroni).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from statistics import NormalDist

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from distillguard.settings import Settings

Floats = npt.NDArray[np.float64]

MINUTES_PER_HOUR = 60.0
_NORMAL = NormalDist()


@dataclass(frozen=True)
class SyncPolicy:
    """Where synchrony evidence starts, where it is full, and the significance it needs."""

    start: float
    full: float
    z: float

    @classmethod
    def from_settings(cls, settings: Settings) -> SyncPolicy:
        return cls(
            settings.number("detect.sync_start"),
            settings.number("detect.sync_full"),
            settings.number("detect.sync_z"),
        )


@dataclass(frozen=True)
class CoActivity:
    """Per account: its active minutes shared with another member, observed and expected."""

    observed: Floats
    expected: Floats


SQL = """
WITH active AS (
    SELECT DISTINCT c.account_id, m.cluster, c.minute
    FROM {table} c JOIN sync_members m USING (account_id)
),
per_minute AS (SELECT cluster, minute, count(*) AS k FROM active GROUP BY ALL),
own AS (
    SELECT a.account_id, a.cluster, a.minute // 60 AS hour, count(*) AS k,
           count(*) FILTER (WHERE p.k >= 2) AS o, count(*) FILTER (WHERE p.k = 1) AS solo
    FROM active a JOIN per_minute p USING (cluster, minute) GROUP BY ALL
),
occupied AS (
    SELECT cluster, minute // 60 AS hour, count(*) AS minutes FROM per_minute GROUP BY ALL
)
SELECT o.account_id, sum(o.o), sum(o.k * (h.minutes - o.solo)) / {minutes}
FROM own o JOIN occupied h USING (cluster, hour) GROUP BY ALL
"""


def panels(ids: list[str], cluster_of: npt.NDArray[np.int64], panel: int) -> npt.NDArray[np.int64]:
    """Per account: its panel (module doc), a number unique across clusters; -1 if unclustered."""
    sizes = np.bincount(cluster_of[cluster_of >= 0], minlength=1)
    result = np.full(len(ids), -1, dtype=np.int64)
    for i, k in enumerate(cluster_of.tolist()):
        if k >= 0:
            count = max(1, round(int(sizes[k]) / panel)) if panel > 0 else 1
            result[i] = k * len(ids) + zlib.crc32(ids[i].encode()) % count
    return result


def co_activity(
    con: duckdb.DuckDBPyConnection,
    index: dict[str, int],
    cluster_of: npt.NDArray[np.int64],
    panel: int,
    table: str = "calls",
) -> CoActivity:
    """Observed and expected coincident minutes of every clustered account (module doc).

    Each member is compared with the other members of its panel of about ``panel`` accounts
    (0: the whole cluster). ``table`` names the engine's calls table (``account_id``,
    ``minute``: epoch minutes); accounts in no cluster get 0 and 0.
    """
    n = len(index)
    observed = np.zeros(n)
    expected = np.zeros(n)
    ids = list(index)
    panel_of = panels(ids, cluster_of, panel)
    members = pa.table(
        {
            "account_id": [ids[i] for i in range(n) if panel_of[i] >= 0],
            "cluster": pa.array([int(k) for k in panel_of if k >= 0], pa.int64()),
        }
    )
    if members.num_rows == 0:
        return CoActivity(observed, expected)
    con.register("sync_members", members)
    try:
        rows = con.execute(SQL.format(table=table, minutes=MINUTES_PER_HOUR)).fetchall()
    finally:
        con.unregister("sync_members")
    for account, o, e in rows:
        observed[index[account]] = float(o)
        expected[index[account]] = float(e)
    return CoActivity(observed, expected)


def significance(z: float, tests: Floats | float) -> Floats:
    """The excess a test needs when it is one of ``tests`` alike: ``z`` for one, and for more
    the z whose one-sided tail is ``z``'s divided among them (Bonferroni). Every member of a
    cluster is tested; among 2,000 households on a pool's exits a few reach z = 3 by chance
    (measured at 16M calls), none reaches the 4.9 that 2,000 tests need."""
    tail = _NORMAL.cdf(-z)
    n = np.maximum(np.asarray(tests, dtype=np.float64), 1.0)
    sizes, where = np.unique(n, return_inverse=True)
    needed = np.array([max(z, -_NORMAL.inv_cdf(tail / k)) for k in sizes.tolist()])
    result: Floats = needed[where].reshape(n.shape)
    return result


def synchrony_evidence(
    observed: Floats | float,
    expected: Floats | float,
    policy: SyncPolicy,
    tests: Floats | float = 1.0,
) -> Floats:
    """Evidence in [0, 1] that coincident minutes exceed chance (module doc); ``tests``: how
    many such tests this one is among (the members of its cluster), see :func:`significance`."""
    o = np.asarray(observed, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = np.where(e > 0, o / np.where(e > 0, e, 1.0), 0.0)
    significant = (o - e) / np.sqrt(np.maximum(e, 1.0)) >= significance(policy.z, tests)
    span = max(policy.full - policy.start, 1e-9)
    evidence: Floats = np.where(significant, np.clip((lift - policy.start) / span, 0.0, 1.0), 0.0)
    return evidence


def lift_of(observed: float, expected: float) -> float:
    """Observed over expected coincidences (0 when nothing was expected)."""
    return observed / expected if expected > 0 else 0.0
