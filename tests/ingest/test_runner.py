"""The job runner: inline with one worker, a bounded process pool with more."""

from __future__ import annotations

from pathlib import Path

import orjson

from distillguard.ingest.record import ReadOptions
from distillguard.ingest.runner import JobRunner
from distillguard.ingest.worker import Job, JobResult
from tests import factories


def jobs(tmp_path: Path, n: int) -> list[Job]:
    line = orjson.dumps(factories.chat_record())
    return [
        Job(seq, "raw", "log.jsonl", ReadOptions(), str(tmp_path), "run", [(seq + 1, line)])
        for seq in range(n)
    ]


def run_all(runner: JobRunner, work: list[Job]) -> list[JobResult]:
    results: list[JobResult] = []
    try:
        for job in work:
            results.extend(runner.submit(job))
        results.extend(runner.drain())
    finally:
        runner.close()
    return results


def test_one_worker_runs_inline_in_order(tmp_path: Path) -> None:
    results = run_all(JobRunner(1), jobs(tmp_path, 3))
    assert [r.seq for r in results] == [0, 1, 2]


def test_a_single_job_never_starts_a_pool(tmp_path: Path) -> None:
    runner = JobRunner(4)
    results = run_all(runner, jobs(tmp_path, 1))
    assert [r.rows for r in results] == [1]
    assert runner._pool is None


def test_a_pool_returns_every_result_in_submission_order(tmp_path: Path) -> None:
    results = run_all(JobRunner(2), jobs(tmp_path, 7))
    assert [r.seq for r in results] == list(range(7))
    assert all(r.rows == 1 for r in results)
