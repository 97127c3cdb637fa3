"""How well the latest scan found the campaigns of a labelled data set.

``evaluate(workspace, labels)`` joins a labels file (``account_id,campaign_id[,population]``,
``campaign_id`` empty for a benign account) with the latest scan's ``account_scores`` and
measures it against the project's targets (``TARGETS``). Only accounts both labelled and
scanned are scored; the others are counted and reported, never guessed at. A ratio whose
denominator is zero is None, not a crash and not a made-up 0 or 1.

Every ratio comes with its 95 % Wilson score interval (``wilson``): on a few hundred labelled
accounts a precision of 0.99 can mean anything from 0.96 up, and the targets are judged on the
point value only, so the interval says how far to trust the verdict.

When the scan applied analysts' labels (``account_scores`` has the ``label`` and
``model_verdict`` columns), the evaluation also says how the labels changed the verdicts and
measures the accounts without a label on their own (``LabelEffects``): a labelled account is
right by construction, so only the others show what the model finds by itself.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from distillguard.schema.labels import LABELS
from distillguard.workspace import Workspace

_REQUIRED: Final = ("account_id", "campaign_id")
_LABELS_VIEW: Final = "evaluation_labels_input"


CONFIDENCE: Final = 0.95
Z: Final = 1.959963984540054
"""The standard normal quantile at 0.975, ``statistics.NormalDist().inv_cdf(0.975)``: the z of
a two-sided 95 % interval."""

Interval = tuple[float, float]


def wilson(successes: int, trials: int, z: float = Z) -> Interval | None:
    """The Wilson score interval of ``successes`` out of ``trials`` (None when no trials).

    Chosen over the normal (Wald) interval because it stays inside [0, 1] and does not
    collapse to a point at 0/n or n/n, which is exactly where the targets live (precision
    near 1, benign FPR near 0): 0 false positives in 200 accounts still allows up to 1.9 %.
    """
    if trials <= 0:
        return None
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    # The bounds at 0/n and n/n are exactly 0 and 1; rounding would leave 1e-17 or 0.999...
    low = 0.0 if successes <= 0 else max(0.0, centre - half)
    high = 1.0 if successes >= trials else min(1.0, centre + half)
    return (low, high)


class EvaluationError(ValueError):
    """The evaluation cannot run: a bad labels file, or a workspace without a scan."""


@dataclass(frozen=True)
class Target:
    """A project target: ``name``'s value must be at least (or at most) ``threshold``."""

    name: str
    threshold: float
    at_least: bool
    doc: str

    def met(self, value: float | None) -> bool | None:
        """Whether ``value`` meets the target; None when there is nothing to measure."""
        if value is None:
            return None
        return value >= self.threshold if self.at_least else value <= self.threshold


MIN_PRECISION: Final = 0.98
MIN_RECALL: Final = 0.95
MAX_BENIGN_FPR: Final = 0.001
MAX_BENIGN_POPULATION_FLAGGED: Final = 0.01
MIN_MAIN_CLUSTER_SHARE: Final = 0.95

TARGETS: Final = (
    Target("precision", MIN_PRECISION, True, "Flagged accounts that are in a campaign."),
    Target("recall", MIN_RECALL, True, "Campaign accounts that are flagged."),
    Target("benign_fpr", MAX_BENIGN_FPR, False, "Benign accounts that are flagged."),
    Target(
        "benign_population_flagged_share",
        MAX_BENIGN_POPULATION_FLAGGED,
        False,
        "Share flagged of the worst benign population.",
    ),
    Target(
        "campaign_main_cluster_share",
        MIN_MAIN_CLUSTER_SHARE,
        True,
        "Share of its flagged accounts in its main cluster, for the worst campaign "
        "(0 for a campaign with no flagged account).",
    ),
)


@dataclass(frozen=True)
class PopulationResult:
    accounts: int
    """Accounts of the population that were both labelled and scanned."""
    flagged: int
    flagged_share: float | None
    flagged_share_ci: Interval | None
    campaign: bool
    """Whether any labelled account of the population belongs to a campaign."""


@dataclass(frozen=True)
class CampaignResult:
    accounts: int
    flagged: int
    recall: float | None
    recall_ci: Interval | None
    n_clusters: int
    """Clusters its flagged accounts fall in; an account without a cluster is its own."""
    main_cluster: str | None
    """The cluster holding most of its flagged accounts (None: a lone unclustered account)."""
    main_cluster_share: float | None
    purity: float | None
    """Share of the main cluster's labelled, scanned accounts that belong to the campaign."""


@dataclass(frozen=True)
class Confusion:
    """Account-level counts and ratios, with their intervals, on one set of accounts."""

    accounts: int
    tp: int
    fp: int
    fn: int
    tn: int
    precision: float | None
    precision_ci: Interval | None
    recall: float | None
    recall_ci: Interval | None
    benign_fpr: float | None
    benign_fpr_ci: Interval | None

    @classmethod
    def of(cls, tp: int, fp: int, fn: int, tn: int) -> Confusion:
        return cls(
            accounts=tp + fp + fn + tn,
            tp=tp,
            fp=fp,
            fn=fn,
            tn=tn,
            precision=_ratio(tp, tp + fp),
            precision_ci=wilson(tp, tp + fp),
            recall=_ratio(tp, tp + fn),
            recall_ci=wilson(tp, tp + fn),
            benign_fpr=_ratio(fp, fp + tn),
            benign_fpr_ci=wilson(fp, fp + tn),
        )


@dataclass(frozen=True)
class VerdictChange:
    """Scanned accounts whose verdict the labels turned from ``model_verdict`` to ``verdict``."""

    model_verdict: str
    verdict: str
    accounts: int


@dataclass(frozen=True)
class LabelEffects:
    """How the analysts' labels the scan applied changed its result."""

    labelled: int
    """Scanned accounts that carried a label."""
    by_label: dict[str, int]
    changed: int
    """Scanned accounts whose verdict differs from the one the model alone gave."""
    changes: list[VerdictChange]
    """The changes by (model verdict, verdict), most frequent first."""
    unlabelled: Confusion
    """The measures on the evaluated accounts that carried no label: the honest figures."""


@dataclass(frozen=True)
class Evaluation:
    scan_id: str
    labels: str
    labelled: int
    scanned: int
    evaluated: int
    """Accounts both labelled and scanned: the only ones the metrics count."""
    labelled_not_scanned: int
    scanned_not_labelled: int
    tp: int
    fp: int
    fn: int
    tn: int
    precision: float | None
    precision_ci: Interval | None
    recall: float | None
    recall_ci: Interval | None
    f1: float | None
    benign_fpr: float | None
    benign_fpr_ci: Interval | None
    confidence: float
    """Confidence of every ``*_ci`` interval (Wilson score, z = ``Z``)."""
    by_population: dict[str, PopulationResult]
    by_campaign: dict[str, CampaignResult]
    target_values: dict[str, float | None]
    """The value each target is judged on (the worst population or campaign for those)."""
    targets_met: dict[str, bool | None]
    """Each target: met, missed, or None when the data cannot show it."""
    all_targets_met: bool
    """No target missed and at least one measured (one the data cannot show does not count
    against it)."""
    label_effects: LabelEffects | None
    """How analysts' labels changed the scan; None when the scan applied none (no columns)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def read_labels(path: Path) -> pa.Table:
    """The labels file as a table of ``LABELS`` columns (``population`` null when absent).

    Empty cells are null; ``campaign_id`` and ``population`` are trimmed.
    """
    if not path.is_file():
        raise EvaluationError(f"labels file {path} does not exist")
    options = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in LABELS.names},
        strings_can_be_null=True,
        null_values=[""],
    )
    try:
        table = pacsv.read_csv(path, convert_options=options)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise EvaluationError(f"cannot read labels file {path}: {exc}") from exc
    missing = [name for name in _REQUIRED if name not in table.column_names]
    if missing:
        raise EvaluationError(
            f"labels file {path} lacks the column(s) {', '.join(missing)}; it has "
            f"{', '.join(table.column_names) or 'none'} (expected account_id,campaign_id"
            "[,population], campaign_id empty for benign accounts)"
        )
    if "population" not in table.column_names:
        table = table.append_column("population", pa.nulls(table.num_rows, pa.string()))
    return table.select(list(LABELS.names))


def _check_labels(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    empty = con.execute(f"SELECT count(*) FROM {_LABELS_VIEW} WHERE account_id IS NULL").fetchone()
    if empty and empty[0]:
        raise EvaluationError(f"labels file {path} has {empty[0]} row(s) without an account_id")
    duplicates = con.execute(
        f"SELECT account_id FROM {_LABELS_VIEW} GROUP BY 1 HAVING count(*) > 1 ORDER BY 1"
    ).fetchall()
    if duplicates:
        examples = ", ".join(row[0] for row in duplicates[:5])
        raise EvaluationError(
            f"labels file {path} lists {len(duplicates)} account id(s) more than once "
            f"(e.g. {examples}); give each account one label"
        )


_JOINED: Final = f"""
labels AS (
    SELECT account_id,
           nullif(trim(campaign_id), '') AS campaign_id,
           nullif(trim(population), '') AS population
    FROM {_LABELS_VIEW}
),
joined AS (
    SELECT l.account_id, l.campaign_id, l.population, s.flagged, s.cluster_id
    FROM labels AS l JOIN account_scores AS s ON l.account_id = s.account_id
)
"""

_COUNTS: Final = f"""
WITH {_JOINED}
SELECT
    (SELECT count(*) FROM labels),
    (SELECT count(*) FROM account_scores),
    (SELECT count(*) FROM joined),
    (SELECT count(*) FROM labels AS l
     WHERE NOT EXISTS (SELECT 1 FROM account_scores AS s WHERE s.account_id = l.account_id)),
    (SELECT count(*) FROM account_scores AS s
     WHERE NOT EXISTS (SELECT 1 FROM labels AS l WHERE l.account_id = s.account_id)),
    (SELECT count(*) FROM joined WHERE campaign_id IS NOT NULL AND flagged),
    (SELECT count(*) FROM joined WHERE campaign_id IS NULL AND flagged),
    (SELECT count(*) FROM joined WHERE campaign_id IS NOT NULL AND NOT flagged),
    (SELECT count(*) FROM joined WHERE campaign_id IS NULL AND NOT flagged)
"""

_POPULATIONS: Final = f"""
WITH {_JOINED}
SELECT l.population,
       count(s.account_id),
       count(*) FILTER (WHERE s.flagged),
       bool_or(l.campaign_id IS NOT NULL)
FROM labels AS l LEFT JOIN account_scores AS s ON l.account_id = s.account_id
WHERE l.population IS NOT NULL
GROUP BY 1 ORDER BY 1
"""

_CAMPAIGNS: Final = f"""
WITH {_JOINED},
caught AS (
    SELECT campaign_id, cluster_id FROM joined WHERE campaign_id IS NOT NULL AND flagged
),
per_cluster AS (
    SELECT campaign_id, cluster_id, count(*) AS n FROM caught
    WHERE cluster_id IS NOT NULL GROUP BY 1, 2
    UNION ALL
    SELECT campaign_id, NULL, 1 FROM caught WHERE cluster_id IS NULL
),
main AS (
    SELECT campaign_id, cluster_id, n, count(*) OVER (PARTITION BY campaign_id) AS n_clusters
    FROM per_cluster
    QUALIFY row_number() OVER (
        PARTITION BY campaign_id ORDER BY n DESC, cluster_id ASC NULLS LAST
    ) = 1
),
members AS (
    SELECT cluster_id, campaign_id, count(*) AS n
    FROM joined WHERE cluster_id IS NOT NULL GROUP BY 1, 2
),
sizes AS (SELECT cluster_id, sum(n) AS size FROM members GROUP BY 1),
totals AS (
    SELECT campaign_id, count(*) AS accounts, count(*) FILTER (WHERE flagged) AS flagged
    FROM joined WHERE campaign_id IS NOT NULL GROUP BY 1
)
SELECT t.campaign_id, t.accounts, t.flagged, coalesce(m.n_clusters, 0), m.cluster_id, m.n,
       CASE WHEN m.cluster_id IS NULL THEN m.n ELSE c.n END,
       CASE WHEN m.cluster_id IS NULL THEN m.n ELSE z.size END
FROM totals AS t
LEFT JOIN main AS m ON m.campaign_id = t.campaign_id
LEFT JOIN members AS c ON c.cluster_id = m.cluster_id AND c.campaign_id = t.campaign_id
LEFT JOIN sizes AS z ON z.cluster_id = m.cluster_id
ORDER BY 1
"""


LABEL_COLUMNS: Final = ("label", "model_verdict")
"""Columns of ``account_scores`` that a scan applying analysts' labels adds."""

_UNLABELLED: Final = f"""
WITH {_JOINED}
SELECT
    count(*) FILTER (WHERE j.campaign_id IS NOT NULL AND j.flagged),
    count(*) FILTER (WHERE j.campaign_id IS NULL AND j.flagged),
    count(*) FILTER (WHERE j.campaign_id IS NOT NULL AND NOT j.flagged),
    count(*) FILTER (WHERE j.campaign_id IS NULL AND NOT j.flagged)
FROM joined AS j JOIN account_scores AS s ON s.account_id = j.account_id
WHERE s.label IS NULL
"""

_CHANGES: Final = """
SELECT model_verdict, verdict, count(*) FROM account_scores
WHERE model_verdict IS DISTINCT FROM verdict
GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2
"""


def _label_effects(con: duckdb.DuckDBPyConnection) -> LabelEffects | None:
    columns = {d[0] for d in con.execute("SELECT * FROM account_scores LIMIT 0").description}
    if not set(LABEL_COLUMNS) <= columns:
        return None  # a scan from before labels, or one run without them: nothing to say
    by_label = dict(
        con.execute(
            "SELECT label, count(*) FROM account_scores WHERE label IS NOT NULL "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
    )
    changes = [VerdictChange(a, b, n) for a, b, n in con.execute(_CHANGES).fetchall()]
    row = con.execute(_UNLABELLED).fetchone()
    assert row is not None
    return LabelEffects(
        labelled=sum(by_label.values()),
        by_label=by_label,
        changed=sum(c.accounts for c in changes),
        changes=changes,
        unlabelled=Confusion.of(*row),
    )


def _populations(con: duckdb.DuckDBPyConnection) -> dict[str, PopulationResult]:
    return {
        name: PopulationResult(
            accounts,
            flagged,
            _ratio(flagged, accounts),
            wilson(flagged, accounts),
            bool(campaign),
        )
        for name, accounts, flagged, campaign in con.execute(_POPULATIONS).fetchall()
    }


def _campaigns(con: duckdb.DuckDBPyConnection) -> dict[str, CampaignResult]:
    results = {}
    for name, accounts, flagged, n_clusters, main, in_main, own, size in con.execute(
        _CAMPAIGNS
    ).fetchall():
        results[name] = CampaignResult(
            accounts=accounts,
            flagged=flagged,
            recall=_ratio(flagged, accounts),
            recall_ci=wilson(flagged, accounts),
            n_clusters=n_clusters,
            main_cluster=main,
            main_cluster_share=_ratio(in_main or 0, flagged),
            purity=_ratio(own, size) if size else None,
        )
    return results


def _target_values(
    precision: float | None,
    recall: float | None,
    benign_fpr: float | None,
    populations: dict[str, PopulationResult],
    campaigns: dict[str, CampaignResult],
) -> dict[str, float | None]:
    benign = [
        p.flagged_share
        for p in populations.values()
        if not p.campaign and p.flagged_share is not None
    ]
    grouped = [c.main_cluster_share or 0.0 for c in campaigns.values()]
    return {
        "precision": precision,
        "recall": recall,
        "benign_fpr": benign_fpr,
        "benign_population_flagged_share": max(benign) if benign else None,
        "campaign_main_cluster_share": min(grouped) if grouped else None,
    }


def evaluate(ws: Workspace, labels: Path) -> Evaluation:
    """Measure the latest scan of ``ws`` against the labels file ``labels``."""
    table = read_labels(labels)
    ws.require()
    scan = ws.latest_scan()
    if scan is None:
        raise EvaluationError(f"{ws.root} has no scan to evaluate; run `distillguard scan` first")
    with ws.connect() as con:
        con.register(_LABELS_VIEW, table)
        _check_labels(con, labels)
        row = con.execute(_COUNTS).fetchone()
        assert row is not None
        labelled, scanned, evaluated, not_scanned, not_labelled, tp, fp, fn, tn = row
        populations = _populations(con)
        campaigns = _campaigns(con)
        effects = _label_effects(con)
    counts = Confusion.of(tp, fp, fn, tn)
    precision, recall, benign_fpr = counts.precision, counts.recall, counts.benign_fpr
    values = _target_values(precision, recall, benign_fpr, populations, campaigns)
    met = {t.name: t.met(values[t.name]) for t in TARGETS}
    return Evaluation(
        scan_id=str(scan["scan_id"]),
        labels=str(labels),
        labelled=labelled,
        scanned=scanned,
        evaluated=evaluated,
        labelled_not_scanned=not_scanned,
        scanned_not_labelled=not_labelled,
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        precision=precision,
        precision_ci=counts.precision_ci,
        recall=recall,
        recall_ci=counts.recall_ci,
        f1=_f1(precision, recall),
        benign_fpr=benign_fpr,
        benign_fpr_ci=counts.benign_fpr_ci,
        confidence=CONFIDENCE,
        by_population=populations,
        by_campaign=campaigns,
        target_values=values,
        targets_met=met,
        all_targets_met=False not in met.values() and True in met.values(),
        label_effects=effects,
    )
