"""Prometheus metrics at /metrics, for the operator: request latency by view, the queue, failures.

Request figures are counted in each process (with PROMETHEUS_MULTIPROC_DIR set, gunicorn's
processes share them through files, deploy.md); the queue's figures are read from the database
when Prometheus scrapes, so every server tells the same.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from .permissions import can_read_metrics

REQUEST_SECONDS = Histogram(
    "cultivate_request_seconds",
    "Time to answer a request, by view",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
REQUESTS = Counter(
    "cultivate_requests", "Requests answered, by view and status class", ["view", "status"]
)


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""Any other method a client sends is counted as "other": labels must stay few."""


class RequestMetricsMiddleware:
    """Time every request and count it under its view's name (not its path: no id explosion)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match is not None else "") or "unmatched"
        method = request.method if request.method in _METHODS else "other"
        REQUEST_SECONDS.labels(view, method).observe(time.perf_counter() - started)
        REQUESTS.labels(view, f"{response.status_code // 100}xx").inc()
        return response


class QueueCollector(Collector):
    """The queue as the database holds it (the jobs page's figures): jobs by state, live workers."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from .selectors import queue_counts, workers_alive

        jobs = GaugeMetricFamily(
            "cultivate_jobs",
            "Background jobs: waiting, running, failed for good (kept 30 days), done in a day",
            labels=["state"],
        )
        for state, count in queue_counts().items():
            jobs.add_metric([state], count)
        yield jobs
        yield GaugeMetricFamily(
            "cultivate_workers", "Workers beating now", value=len(workers_alive())
        )


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(REQUEST_SECONDS)
        registry.register(REQUESTS)
    registry.register(QueueCollector())
    return registry


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Answer Prometheus' scrape; refuse anyone but the operator."""
    if not can_read_metrics(request):
        return HttpResponseForbidden("The metrics are for the operator.", content_type="text/plain")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
