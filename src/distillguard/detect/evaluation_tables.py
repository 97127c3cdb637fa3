"""The tables ``distillguard eval`` prints: an ``Evaluation`` for a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from distillguard.detect.evaluate import TARGETS, Confusion, Evaluation, Interval


def _share(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}%}"


def _interval(value: Interval | None, digits: int = 2) -> str:
    return "-" if value is None else f"[{_share(value[0], digits)}, {_share(value[1], digits)}]"


def _met(value: bool | None) -> str:
    if value is None:
        return "-"
    return "[green]yes" if value else "[red]no"


def _intervals(result: Evaluation) -> dict[str, Interval | None]:
    """The interval of each target's value, where the value is one ratio."""
    return {
        "precision": result.precision_ci,
        "recall": result.recall_ci,
        "benign_fpr": result.benign_fpr_ci,
    }


def _summary(result: Evaluation) -> Table:
    ci = f"{result.confidence:.0%} interval"
    summary = Table(title=f"evaluation of scan {result.scan_id}")
    # The interval comes after "met": the verdict is judged on the value alone.
    for column in ("measure", "value", "target", "met", ci):
        summary.add_column(column, justify="left" if column == "measure" else "right")
    targets = {t.name: t for t in TARGETS}
    intervals = _intervals(result)
    for name, label, digits in (
        ("precision", "precision", 2),
        ("recall", "recall", 2),
        ("benign_fpr", "benign false-positive rate", 3),
        ("benign_population_flagged_share", "worst benign population flagged", 2),
        ("campaign_main_cluster_share", "worst campaign main-cluster share", 2),
    ):
        target = targets[name]
        bound = ("≥ " if target.at_least else "≤ ") + _share(target.threshold, 1)
        summary.add_row(
            label,
            _share(result.target_values[name], digits),
            bound,
            _met(result.targets_met[name]),
            _interval(intervals[name], digits) if name in intervals else "",
        )
    summary.add_row("f1", _share(result.f1), "", "", "")
    for label, value in (
        ("true / false positives", f"{result.tp:,} / {result.fp:,}"),
        ("false / true negatives", f"{result.fn:,} / {result.tn:,}"),
        ("accounts labelled and scanned", f"{result.evaluated:,}"),
        ("labelled, not in the scan", f"{result.labelled_not_scanned:,}"),
        ("scanned, not labelled (left out)", f"{result.scanned_not_labelled:,}"),
    ):
        summary.add_row(label, value, "", "", "")
    return summary


def _populations(result: Evaluation) -> Table:
    populations = Table(title="by population")
    populations.add_column("population")
    populations.add_column("kind")
    for column in ("accounts", "flagged", "share flagged", "interval"):
        populations.add_column(column, justify="right")
    for name, pop in result.by_population.items():
        populations.add_row(
            name,
            "campaign" if pop.campaign else "benign",
            f"{pop.accounts:,}",
            f"{pop.flagged:,}",
            _share(pop.flagged_share),
            _interval(pop.flagged_share_ci),
        )
    return populations


def _campaigns(result: Evaluation) -> Table:
    campaigns = Table(title="by campaign")
    campaigns.add_column("campaign")
    for column in ("flagged", "recall", "clusters"):
        campaigns.add_column(column, justify="right")
    campaigns.add_column("main cluster")
    for column in ("main share", "purity", "recall interval"):
        campaigns.add_column(column, justify="right")
    for name, camp in result.by_campaign.items():
        campaigns.add_row(
            name,
            f"{camp.flagged:,} / {camp.accounts:,}",
            _share(camp.recall, 1),
            f"{camp.n_clusters:,}",
            camp.main_cluster or "-",
            _share(camp.main_cluster_share, 1),
            _share(camp.purity, 1),
            _interval(camp.recall_ci, 1),
        )
    return campaigns


def _unlabelled_rows(table: Table, counts: Confusion) -> None:
    for label, value, interval, digits in (
        ("precision", counts.precision, counts.precision_ci, 2),
        ("recall", counts.recall, counts.recall_ci, 2),
        ("benign false-positive rate", counts.benign_fpr, counts.benign_fpr_ci, 3),
    ):
        table.add_row(label, _share(value, digits), _interval(interval, digits))
    table.add_row("true / false positives", f"{counts.tp:,} / {counts.fp:,}", "")
    table.add_row("false / true negatives", f"{counts.fn:,} / {counts.tn:,}", "")


def _label_effects(result: Evaluation) -> list[Table]:
    effects = result.label_effects
    if effects is None or not (effects.labelled or effects.changed):
        return []
    by_label = ", ".join(f"{k} {n:,}" for k, n in effects.by_label.items()) or "none"
    changes = Table(
        title=f"labels: {effects.labelled:,} scanned accounts labelled ({by_label}); "
        f"{effects.changed:,} verdicts changed"
    )
    for column in ("model verdict", "verdict", "accounts"):
        changes.add_column(column, justify="right" if column == "accounts" else "left")
    for change in effects.changes:
        changes.add_row(change.model_verdict, change.verdict, f"{change.accounts:,}")
    honest = Table(
        title=f"accounts without a label ({effects.unlabelled.accounts:,} evaluated): "
        "what the model found by itself"
    )
    for column in ("measure", "value", f"{result.confidence:.0%} interval"):
        honest.add_column(column, justify="left" if column == "measure" else "right")
    _unlabelled_rows(honest, effects.unlabelled)
    return [changes, honest]


def show_evaluation(result: Evaluation) -> None:
    console = Console()
    console.print(_summary(result))
    if result.by_population:
        console.print(_populations(result))
    if result.by_campaign:
        console.print(_campaigns(result))
    for table in _label_effects(result):
        console.print(table)
    console.print(f"all targets met: {_met(result.all_targets_met)}")
