"""Prometheus metrics of one gateway: requests, decisions, latencies, upstream errors, limits.

Each app owns its registry (no process-wide default state). With several worker processes
the server sets ``PROMETHEUS_MULTIPROC_DIR`` before starting them; ``prometheus_client``
then keeps every value in memory-mapped files there, and ``/metrics`` on any worker shows
the sum over all of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

ADDED_BUCKETS = (
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.002,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.5,
)
UPSTREAM_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


class Metrics:
    def __init__(self, limit_state: Callable[[], Mapping[str, object]]) -> None:
        self.registry = CollectorRegistry()
        self._limit_state = limit_state
        r = self.registry
        self.requests = Counter(
            "distillguard_gateway_requests", "Requests answered.", ["api", "status"], registry=r
        )
        self.decisions = Counter(
            "distillguard_gateway_decisions",
            "Policy decisions, by action and by the rule that asked for it ('' : no rule).",
            ["action", "rule"],
            registry=r,
        )
        self.rejected = Counter(
            "distillguard_gateway_rejected",
            "Requests refused before policy (authentication, malformed, too large, limits).",
            ["reason"],
            registry=r,
        )
        self.added = Histogram(
            "distillguard_gateway_added_latency_seconds",
            "Time the gateway adds to a call (to the first byte), upstream wait excluded.",
            ["api", "stream"],
            buckets=ADDED_BUCKETS,
            registry=r,
        )
        self.upstream = Histogram(
            "distillguard_gateway_upstream_latency_seconds",
            "Upstream time to the response headers.",
            ["api"],
            buckets=UPSTREAM_BUCKETS,
            registry=r,
        )
        self.upstream_errors = Counter(
            "distillguard_gateway_upstream_errors",
            "Upstream failures: connect, timeout, stalled stream, 5xx, dropped connection.",
            ["kind"],
            registry=r,
        )
        self.limit_store_healthy = Gauge(
            "distillguard_gateway_limit_store_healthy",
            "1 when the shared limit store answers, 0 while running on local limits.",
            registry=r,
            multiprocess_mode="min",
        )
        self.limit_fallbacks = Gauge(
            "distillguard_gateway_limit_store_fallbacks",
            "Times this process fell back to local limits.",
            registry=r,
            multiprocess_mode="sum",
        )
        self.logged = Counter(
            "distillguard_gateway_logged_records", "Records written to the call log.", registry=r
        )

    def refresh_limit_state(self) -> None:
        state = self._limit_state()
        self.limit_store_healthy.set(1 if state.get("healthy", True) else 0)
        fallbacks = state.get("fallbacks", 0)
        self.limit_fallbacks.set(float(fallbacks) if isinstance(fallbacks, int | float) else 0.0)

    def exposition(self) -> tuple[bytes, str]:
        """The text a scrape of ``/metrics`` returns, and its content type."""
        self.refresh_limit_state()
        if os.environ.get(MULTIPROCESS_ENV):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
