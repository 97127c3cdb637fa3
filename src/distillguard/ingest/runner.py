"""Running parse jobs: inline for small inputs, on a bounded process pool for large ones."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from distillguard.ingest.worker import Job, JobResult, run_job


class JobRunner:
    """Runs jobs inline, or on a process pool once there is more than one block of work."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[Future[JobResult]] = deque()
        self._first: Job | None = None

    def submit(self, job: Job) -> Iterator[JobResult]:
        """Queue a job; yields results that are ready, keeping the work in flight bounded."""
        if self.workers <= 1:
            yield run_job(job)
            return
        if self._pool is None and self._first is None:
            self._first = job
            return
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
            assert self._first is not None
            self._pending.append(self._pool.submit(run_job, self._first))
            self._first = None
        self._pending.append(self._pool.submit(run_job, job))
        while len(self._pending) > 2 * self.workers:
            yield self._pending.popleft().result()

    def drain(self) -> Iterator[JobResult]:
        if self._first is not None:
            yield run_job(self._first)
            self._first = None
        while self._pending:
            yield self._pending.popleft().result()

    def close(self) -> None:
        if self._pool is not None:
            for future in self._pending:
                future.cancel()
            self._pool.shutdown(wait=True, cancel_futures=True)
