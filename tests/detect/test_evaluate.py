"""Evaluation of a scan against labels: exact counts on a hand-made scan, and the edge cases.

``scanned_workspace`` builds a workspace whose latest scan holds the given rows; the export
and CLI tests use it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from distillguard.cli import app
from distillguard.detect.evaluate import (
    LABEL_COLUMNS,
    TARGETS,
    EvaluationError,
    Z,
    evaluate,
    read_labels,
    wilson,
)
from distillguard.schema.results import CLUSTERS, LINKS, SCORED_ACCOUNTS
from distillguard.workspace import Workspace, WorkspaceError


def scored(
    account_id: str, flagged: bool, cluster_id: str | None = None, score: float | None = None
) -> dict[str, Any]:
    """One row of ``account_scores``; the verdict follows from ``flagged`` and the cluster."""
    verdict = "clear" if not flagged else "campaign" if cluster_id else "suspicious"
    reasons = [
        {
            "kind": "feature",
            "name": "cot_share",
            "value": 0.8 if flagged else 0.0,
            "baseline": 0.01,
            "evidence": 0.9 if flagged else 0.0,
            "detail": f'asks for reasoning, "{account_id}", twice',
            "request_ids": [f"req_{account_id}"],
        }
    ]
    return {
        "account_id": account_id,
        "peer": "free/none/chat",
        "n_interactions": 10,
        "score": (0.9 if flagged else 0.1) if score is None else score,
        "flagged": flagged,
        "verdict": verdict,
        "cluster_id": cluster_id,
        "reasons": orjson.dumps(reasons).decode(),
    }


def cluster(cluster_id: str, n_accounts: int, score: float, kinds: list[str]) -> dict[str, Any]:
    return {
        "cluster_id": cluster_id,
        "n_accounts": n_accounts,
        "n_interactions": 10 * n_accounts,
        "score": score,
        "flagged": score >= 0.5,
        "link_kinds": kinds,
        "reasons": orjson.dumps(
            [{"kind": "members", "name": "members", "value": n_accounts}]
        ).decode(),
    }


def _default(field: pa.Field, row: dict[str, Any]) -> Any:
    """A value for a column the row does not give (the result tables grow columns)."""
    if field.nullable:
        return None
    if field.name == "model_verdict":
        return row["verdict"]
    for test, value in (
        (pa.types.is_boolean, False),
        (pa.types.is_integer, 0),
        (pa.types.is_floating, 0.0),
        (pa.types.is_list, []),
    ):
        if test(field.type):
            return value
    return ""


def _cell(field: pa.Field, value: Any) -> Any:
    # Reasons are given as their JSON text; a schema storing them as structs gets them parsed.
    if field.name == "reasons" and isinstance(value, str) and pa.types.is_list(field.type):
        return [
            {**r, "examples": r.get("request_ids", []), "detail": r.get("detail", "")}
            for r in orjson.loads(value)
        ]
    return value


def conform(rows: Sequence[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """``rows`` as a table of ``schema``, missing columns filled with plain defaults."""
    return pa.Table.from_pylist(
        [
            {f.name: _cell(f, row[f.name]) if f.name in row else _default(f, row) for f in schema}
            for row in rows
        ],
        schema=schema,
    )


def scores_schema(labels: bool) -> pa.Schema:
    """``SCORED_ACCOUNTS`` with or without the columns a scan applying labels adds."""
    schema = SCORED_ACCOUNTS
    for name in LABEL_COLUMNS:
        if schema.get_field_index(name) >= 0:
            schema = schema.remove(schema.get_field_index(name))
    if labels:
        schema = schema.append(pa.field("label", pa.string()))
        schema = schema.append(pa.field("model_verdict", pa.string(), nullable=False))
    return schema


def scanned_workspace(
    root: Path,
    accounts: Sequence[dict[str, Any]],
    clusters: Sequence[dict[str, Any]] = (),
    schema: pa.Schema = SCORED_ACCOUNTS,
) -> Workspace:
    """A workspace whose latest scan holds ``accounts`` and ``clusters`` (and no links)."""
    ws = Workspace(root)
    staging = root.parent / f"{root.name}-staged"
    staging.mkdir()
    tables = {
        "account_scores": conform(accounts, schema),
        "clusters": conform(clusters, CLUSTERS),
        "links": LINKS.empty_table(),
        "account_features": pa.table(
            {"account_id": pa.array([a["account_id"] for a in accounts], pa.string())}
        ),
    }
    paths = {}
    for name, table in tables.items():
        paths[name] = staging / f"{name}.parquet"
        pq.write_table(table, paths[name])
    now = datetime.now(UTC)
    with ws.writer():
        ws.commit_scan("scan-1", now, now, {"test": True}, paths)
    return ws


def write_labels(path: Path, rows: Sequence[Sequence[str]], header: str) -> Path:
    path.write_text(header + "\n" + "".join(",".join(r) + "\n" for r in rows))
    return path


# The hand-made scan: three campaigns, two benign populations, two unlabelled accounts.
#   camp_a (pop_a): a1-a4 flagged in k1, a5 flagged in k2          recall 5/5, main k1 4/5
#   camp_b (pop_b): b1-b3 flagged in k3, b4 missed                  recall 3/4, main k3 3/3
#   camp_c (pop_c): c1, c2 flagged without a cluster                recall 2/2, main - 1/2
#   devs:     d1 flagged in k1 (a false positive), d2-d9 clear, d10 labelled but not scanned
#   students: s1-s5 clear
#   unlabelled: u1 flagged in k3, u2 clear
EXAMPLE_ACCOUNTS = [
    *(scored(f"a{i}", True, "k1") for i in range(1, 5)),
    scored("a5", True, "k2"),
    *(scored(f"b{i}", True, "k3") for i in range(1, 4)),
    scored("b4", False),
    scored("c1", True),
    scored("c2", True),
    scored("d1", True, "k1"),
    *(scored(f"d{i}", False) for i in range(2, 10)),
    *(scored(f"s{i}", False) for i in range(1, 6)),
    scored("u1", True, "k3"),
    scored("u2", False),
]
EXAMPLE_CLUSTERS = [
    cluster("k1", 5, 0.9, ["payment", "network"]),
    cluster("k2", 1, 0.6, ["skeleton"]),
    cluster("k3", 4, 0.8, ["payment"]),
]
EXAMPLE_LABELS = [
    *((f"a{i}", "camp_a", "pop_a") for i in range(1, 6)),
    *((f"b{i}", "camp_b", "pop_b") for i in range(1, 5)),
    *((f"c{i}", "camp_c", "pop_c") for i in range(1, 3)),
    *((f"d{i}", "", "devs") for i in range(1, 11)),
    *((f"s{i}", "", "students") for i in range(1, 6)),
]


@pytest.fixture
def example(tmp_path: Path) -> tuple[Workspace, Path]:
    ws = scanned_workspace(tmp_path / "ws", EXAMPLE_ACCOUNTS, EXAMPLE_CLUSTERS)
    labels = write_labels(
        tmp_path / "labels.csv", EXAMPLE_LABELS, "account_id,campaign_id,population"
    )
    return ws, labels


def test_account_level_counts_on_the_example(example: tuple[Workspace, Path]) -> None:
    result = evaluate(*example)
    assert result.scan_id == "scan-1"
    assert (result.labelled, result.scanned, result.evaluated) == (26, 27, 25)
    assert (result.labelled_not_scanned, result.scanned_not_labelled) == (1, 2)
    assert (result.tp, result.fp, result.fn, result.tn) == (10, 1, 1, 13)
    assert result.precision == pytest.approx(10 / 11)
    assert result.recall == pytest.approx(10 / 11)
    assert result.f1 == pytest.approx(10 / 11)
    assert result.benign_fpr == pytest.approx(1 / 14)


def test_populations_on_the_example(example: tuple[Workspace, Path]) -> None:
    pops = evaluate(*example).by_population
    assert list(pops) == ["devs", "pop_a", "pop_b", "pop_c", "students"]
    assert [(p.accounts, p.flagged, p.campaign) for p in pops.values()] == [
        (9, 1, False),
        (5, 5, True),
        (4, 3, True),
        (2, 2, True),
        (5, 0, False),
    ]
    assert pops["devs"].flagged_share == pytest.approx(1 / 9)
    assert pops["pop_b"].flagged_share == pytest.approx(0.75)
    assert pops["students"].flagged_share == 0.0


def test_campaigns_on_the_example(example: tuple[Workspace, Path]) -> None:
    camps = evaluate(*example).by_campaign
    assert list(camps) == ["camp_a", "camp_b", "camp_c"]
    a, b, c = camps.values()
    assert (a.accounts, a.flagged, a.recall, a.n_clusters) == (5, 5, 1.0, 2)
    assert a.main_cluster == "k1"
    assert a.main_cluster_share == pytest.approx(0.8)
    assert a.purity == pytest.approx(0.8)  # k1 also holds the benign d1
    assert (b.accounts, b.flagged, b.recall, b.n_clusters) == (4, 3, 0.75, 1)
    assert (b.main_cluster, b.main_cluster_share) == ("k3", 1.0)
    assert b.purity == 1.0  # the unlabelled u1 in k3 is left out
    assert (c.accounts, c.flagged, c.recall, c.n_clusters) == (2, 2, 1.0, 2)
    assert (c.main_cluster, c.main_cluster_share, c.purity) == (None, 0.5, 1.0)


def test_targets_on_the_example(example: tuple[Workspace, Path]) -> None:
    result = evaluate(*example)
    assert result.target_values == {
        "precision": pytest.approx(10 / 11),
        "recall": pytest.approx(10 / 11),
        "benign_fpr": pytest.approx(1 / 14),
        "benign_population_flagged_share": pytest.approx(1 / 9),
        "campaign_main_cluster_share": 0.5,
    }
    assert result.targets_met == dict.fromkeys((t.name for t in TARGETS), False)
    assert result.all_targets_met is False


def test_to_dict_is_plain_json(example: tuple[Workspace, Path]) -> None:
    data = orjson.loads(orjson.dumps(evaluate(*example).to_dict()))
    assert data["tp"] == 10
    assert data["by_campaign"]["camp_a"]["main_cluster"] == "k1"
    assert data["by_population"]["devs"]["campaign"] is False
    assert data["targets_met"]["precision"] is False


def test_a_perfect_scan_meets_every_target(tmp_path: Path) -> None:
    accounts = [
        *(scored(f"a{i}", True, "k1") for i in range(20)),
        *(scored(f"b{i}", True, "k2") for i in range(20)),
        *(scored(f"d{i}", False) for i in range(200)),
    ]
    labels = [
        *((f"a{i}", "camp_a", "pop_a") for i in range(20)),
        *((f"b{i}", "camp_b", "pop_b") for i in range(20)),
        *((f"d{i}", "", "devs") for i in range(200)),
    ]
    ws = scanned_workspace(tmp_path / "ws", accounts)
    result = evaluate(
        ws, write_labels(tmp_path / "l.csv", labels, "account_id,campaign_id,population")
    )
    assert (result.precision, result.recall, result.f1, result.benign_fpr) == (1.0, 1.0, 1.0, 0.0)
    assert all(result.targets_met.values())
    assert result.all_targets_met is True
    assert {c.purity for c in result.by_campaign.values()} == {1.0}


def test_nothing_flagged_has_no_precision(tmp_path: Path) -> None:
    ws = scanned_workspace(tmp_path / "ws", [scored("a1", False), scored("d1", False)])
    labels = write_labels(
        tmp_path / "l.csv", [("a1", "camp"), ("d1", "")], "account_id,campaign_id"
    )
    result = evaluate(ws, labels)
    assert (result.tp, result.fp, result.fn, result.tn) == (0, 0, 1, 1)
    assert (result.precision, result.recall, result.f1, result.benign_fpr) == (None, 0.0, None, 0.0)
    camp = result.by_campaign["camp"]
    assert (camp.n_clusters, camp.main_cluster, camp.main_cluster_share, camp.purity) == (
        0,
        None,
        None,
        None,
    )
    assert result.targets_met["precision"] is None
    assert result.targets_met["recall"] is False
    # an undetected campaign is not grouped at all: it counts as 0
    assert result.target_values["campaign_main_cluster_share"] == 0.0
    assert result.all_targets_met is False


def test_without_a_population_column(tmp_path: Path) -> None:
    ws = scanned_workspace(tmp_path / "ws", [scored("a1", True, "k1"), scored("d1", False)])
    labels = write_labels(
        tmp_path / "l.csv", [("a1", "camp"), ("d1", "")], "account_id,campaign_id"
    )
    result = evaluate(ws, labels)
    assert result.by_population == {}
    assert result.targets_met["benign_population_flagged_share"] is None
    assert result.all_targets_met is True


def test_benign_only_labels_with_nothing_flagged(tmp_path: Path) -> None:
    ws = scanned_workspace(tmp_path / "ws", [scored("d1", False), scored("d2", False)])
    labels = write_labels(tmp_path / "l.csv", [("d1", ""), ("d2", "")], "account_id,campaign_id")
    result = evaluate(ws, labels)
    assert (result.precision, result.recall, result.f1, result.benign_fpr) == (
        None,
        None,
        None,
        0.0,
    )
    assert result.by_campaign == {}
    assert result.targets_met["campaign_main_cluster_share"] is None
    assert result.all_targets_met is True  # the one target it can show is met


def test_no_account_in_common(tmp_path: Path) -> None:
    ws = scanned_workspace(tmp_path / "ws", [scored("x1", True)])
    labels = write_labels(tmp_path / "l.csv", [("a1", "camp")], "account_id,campaign_id")
    result = evaluate(ws, labels)
    assert (result.evaluated, result.labelled_not_scanned, result.scanned_not_labelled) == (0, 1, 1)
    assert (result.precision, result.recall, result.benign_fpr) == (None, None, None)
    assert result.by_campaign == {}
    assert result.all_targets_met is False  # nothing measured, nothing met


def test_labels_are_trimmed_and_population_may_be_empty(tmp_path: Path) -> None:
    ws = scanned_workspace(tmp_path / "ws", [scored("a1", True), scored("d1", False)])
    path = tmp_path / "l.csv"
    path.write_text("account_id,campaign_id,population\na1, camp ,\nd1,  ,devs\n")
    result = evaluate(ws, path)
    assert list(result.by_campaign) == ["camp"]
    assert list(result.by_population) == ["devs"]  # a1 has no population
    assert (result.tp, result.tn) == (1, 1)


def test_read_labels_adds_a_missing_population(tmp_path: Path) -> None:
    path = write_labels(tmp_path / "l.csv", [("a1", "NA"), ("d1", "")], "campaign_id,account_id")
    table = read_labels(path)
    assert table.column_names == ["account_id", "campaign_id", "population"]
    assert table.to_pylist() == [
        {"account_id": "NA", "campaign_id": "a1", "population": None},
        {"account_id": None, "campaign_id": "d1", "population": None},
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("account_id,population\na1,devs\n", "lacks the column"),
        ("account,campaign_id\na1,\n", "lacks the column"),
        ("account_id,campaign_id\na1,camp\na2,\na1,\n", "more than once"),
        ("account_id,campaign_id\n,camp\n", "without an account_id"),
        ("account_id,campaign_id\na1,camp,extra\n", "cannot read"),
        ("", "cannot read"),
    ],
)
def test_bad_labels_files(tmp_path: Path, content: str, message: str) -> None:
    ws = scanned_workspace(tmp_path / "ws", [scored("a1", True)])
    path = tmp_path / "l.csv"
    path.write_text(content)
    with pytest.raises(EvaluationError, match=message):
        evaluate(ws, path)


def test_missing_labels_file(tmp_path: Path) -> None:
    ws = scanned_workspace(tmp_path / "ws", [scored("a1", True)])
    with pytest.raises(EvaluationError, match="does not exist"):
        evaluate(ws, tmp_path / "nope.csv")


def test_a_workspace_never_scanned(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    with ws.writer():
        pass
    labels = write_labels(tmp_path / "l.csv", [("a1", "camp")], "account_id,campaign_id")
    with pytest.raises(EvaluationError, match="no scan"):
        evaluate(ws, labels)


def test_a_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    labels = write_labels(tmp_path / "l.csv", [("a1", "camp")], "account_id,campaign_id")
    with pytest.raises(WorkspaceError, match="not a distillguard workspace"):
        evaluate(Workspace(tmp_path / "ws"), labels)


def test_evaluation_error_is_a_value_error() -> None:
    assert issubclass(EvaluationError, ValueError)


# Wilson score intervals, checked against values computed by hand (z = 1.96):
#   8/10: centre (0.8 + 0.19207) / 1.38415 = 0.71674, half 1.41600 * 0.16001 = 0.22658
@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        (8, 10, 0.4902, 0.9433),
        (1, 2, 0.0945, 0.9055),
        (10, 11, 0.6226, 0.9838),
        (1, 14, 0.0127, 0.3147),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (0, 1, 0.0, 0.7935),
        (200, 200, 0.9812, 1.0),
    ],
)
def test_wilson_against_hand_computed_values(
    successes: int, trials: int, low: float, high: float
) -> None:
    interval = wilson(successes, trials)
    assert interval is not None
    assert interval == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_wilson_edges() -> None:
    assert wilson(0, 0) is None
    assert wilson(3, -1) is None
    none, every = wilson(0, 37), wilson(37, 37)
    assert none is not None
    assert every is not None
    assert none[0] == 0.0  # exactly, not 1e-17
    assert every[1] == 1.0
    assert round(Z, 2) == 1.96
    # symmetric, and narrower with more trials at the same share
    a, b = wilson(3, 10), wilson(7, 10)
    assert a is not None
    assert b is not None
    assert a == (pytest.approx(1 - b[1]), pytest.approx(1 - b[0]))
    wide, narrow = wilson(8, 10), wilson(800, 1000)
    assert wide is not None
    assert narrow is not None
    assert narrow[1] - narrow[0] < wide[1] - wide[0]


def test_intervals_on_the_example(example: tuple[Workspace, Path]) -> None:
    result = evaluate(*example)
    assert result.confidence == 0.95
    assert result.precision_ci == wilson(10, 11)
    assert result.recall_ci == wilson(10, 11)
    assert result.benign_fpr_ci == wilson(1, 14)
    assert result.by_population["devs"].flagged_share_ci == wilson(1, 9)
    assert result.by_population["students"].flagged_share_ci == wilson(0, 5)
    assert result.by_campaign["camp_b"].recall_ci == wilson(3, 4)
    data = orjson.loads(orjson.dumps(result.to_dict()))
    assert data["precision_ci"] == pytest.approx([0.6226, 0.9838], abs=5e-5)
    assert data["by_campaign"]["camp_a"]["recall_ci"] == [pytest.approx(0.5655, abs=5e-5), 1.0]


def test_no_interval_without_a_denominator(tmp_path: Path) -> None:
    ws = scanned_workspace(tmp_path / "ws", [scored("d1", False)])
    result = evaluate(ws, write_labels(tmp_path / "l.csv", [("d1", "")], "account_id,campaign_id"))
    assert (result.precision_ci, result.recall_ci) == (None, None)
    assert result.benign_fpr_ci == (0.0, pytest.approx(0.7935, abs=5e-5))


def test_a_scan_without_label_columns_reports_no_label_effects(tmp_path: Path) -> None:
    ws = scanned_workspace(
        tmp_path / "ws", EXAMPLE_ACCOUNTS, EXAMPLE_CLUSTERS, schema=scores_schema(labels=False)
    )
    labels = write_labels(tmp_path / "l.csv", EXAMPLE_LABELS, "account_id,campaign_id,population")
    result = evaluate(ws, labels)
    assert result.label_effects is None
    assert (result.tp, result.fp, result.fn, result.tn) == (10, 1, 1, 13)


def labelled(
    row: dict[str, Any], label: str | None, model_verdict: str | None = None
) -> dict[str, Any]:
    """``row`` as a scan applying labels writes it: the label and the model's own verdict."""
    return {**row, "label": label, "model_verdict": model_verdict or row["verdict"]}


def test_label_effects(tmp_path: Path) -> None:
    # The example, with analysts' labels the scan applied:
    #   d1 labelled benign: the model said campaign, the label cleared it (a fp became a tn)
    #   b4 labelled campaign: the model said clear, the label made it suspicious (fn -> tp)
    #   a1 labelled campaign, the model agreed (no change)
    #   u2 (not in the evaluation labels) labelled benign, model said suspicious
    changed = {
        "d1": labelled(scored("d1", False), "benign", "campaign"),
        "b4": labelled(scored("b4", True), "campaign", "clear"),
        "a1": labelled(scored("a1", True, "k1"), "campaign"),
        "u2": labelled(scored("u2", False), "benign", "suspicious"),
    }
    accounts = [changed.get(a["account_id"], labelled(a, None)) for a in EXAMPLE_ACCOUNTS]
    ws = scanned_workspace(
        tmp_path / "ws", accounts, EXAMPLE_CLUSTERS, schema=scores_schema(labels=True)
    )
    labels = write_labels(tmp_path / "l.csv", EXAMPLE_LABELS, "account_id,campaign_id,population")
    result = evaluate(ws, labels)
    # every evaluated account counts in the headline figures, labelled or not
    assert (result.tp, result.fp, result.fn, result.tn) == (11, 0, 0, 14)
    effects = result.label_effects
    assert effects is not None
    assert effects.labelled == 4
    assert effects.by_label == {"benign": 2, "campaign": 2}
    assert effects.changed == 3
    assert [(c.model_verdict, c.verdict, c.accounts) for c in effects.changes] == [
        ("campaign", "clear", 1),
        ("clear", "suspicious", 1),
        ("suspicious", "clear", 1),
    ]
    # the evaluated accounts without a label: the 25 less d1, b4 and a1 (u2 is not evaluated)
    honest = effects.unlabelled
    assert (honest.tp, honest.fp, honest.fn, honest.tn) == (9, 0, 0, 13)
    assert honest.accounts == 22
    assert honest.precision == 1.0
    assert honest.precision_ci == wilson(9, 9)
    assert honest.benign_fpr == 0.0
    assert honest.benign_fpr_ci == wilson(0, 13)
    data = orjson.loads(orjson.dumps(result.to_dict()))
    assert data["label_effects"]["changes"][0] == {
        "model_verdict": "campaign",
        "verdict": "clear",
        "accounts": 1,
    }
    recall_ci = data["label_effects"]["unlabelled"]["recall_ci"]
    assert recall_ci == [pytest.approx(0.70085, abs=5e-5), 1.0]


def test_label_columns_without_any_label(tmp_path: Path) -> None:
    accounts = [labelled(a, None) for a in EXAMPLE_ACCOUNTS]
    ws = scanned_workspace(
        tmp_path / "ws", accounts, EXAMPLE_CLUSTERS, schema=scores_schema(labels=True)
    )
    labels = write_labels(tmp_path / "l.csv", EXAMPLE_LABELS, "account_id,campaign_id,population")
    result = evaluate(ws, labels)
    effects = result.label_effects
    assert effects is not None
    assert (effects.labelled, effects.changed, effects.changes) == (0, 0, [])
    assert (effects.unlabelled.tp, effects.unlabelled.fp) == (result.tp, result.fp)
    assert effects.unlabelled.precision == result.precision


def test_the_eval_tables_show_intervals_and_label_effects(tmp_path: Path) -> None:
    changed = {"d1": labelled(scored("d1", False), "benign", "campaign")}
    accounts = [changed.get(a["account_id"], labelled(a, None)) for a in EXAMPLE_ACCOUNTS]
    ws = scanned_workspace(
        tmp_path / "ws", accounts, EXAMPLE_CLUSTERS, schema=scores_schema(labels=True)
    )
    labels = write_labels(tmp_path / "l.csv", EXAMPLE_LABELS, "account_id,campaign_id,population")
    done = CliRunner().invoke(app, ["eval", "-w", str(ws.root), "--labels", str(labels)])
    assert done.exit_code == 0, done.output
    text = "".join(done.output.split()).replace("│", "").replace("┃", "")
    assert "precision100.00%≥98.0%yes[72.25%,100.00%]" in text  # 10/10
    assert "1verdictschanged" in text
    assert "campaignclear1" in text
    assert "accountswithoutalabel(24evaluated)" in text
