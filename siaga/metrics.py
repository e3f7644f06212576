"""Prometheus metrics: requests, latencies, task queue depth/age and failures.

With several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` (see deploy/) so every
worker's counts are summed at scrape time."""

from __future__ import annotations

import hmac
import os
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter("siaga_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "siaga_http_request_seconds", "HTTP request latency", ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
    return match.view_name or "unnamed"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        route = _route(request)
        LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        return response


class TaskQueueCollector:
    """Reads the django-tasks database queue at scrape time."""

    def collect(self):
        from django.db.models import Count, Min
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult, get_date_max

        depth = GaugeMetricFamily("siaga_task_queue_depth", "Tasks by status", labels=["status"])
        for row in DBTaskResult.objects.values("status").annotate(n=Count("id")):
            depth.add_metric([row["status"]], row["n"])
        yield depth
        # a task waits from when it may run: its enqueueing, or its run_after when it was deferred
        # (the dashboard compaction runs 30 s after a change; it is not late before then)
        now = timezone.now()
        due = DBTaskResult.objects.ready()
        undeferred = due.filter(run_after=get_date_max()).aggregate(m=Min("enqueued_at"))["m"]
        deferred = due.exclude(run_after=get_date_max()).aggregate(m=Min("run_after"))["m"]
        oldest = min((t for t in (undeferred, deferred) if t is not None), default=None)
        age = GaugeMetricFamily("siaga_task_queue_oldest_ready_seconds", "Age of the oldest waiting task")
        age.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
        yield age
        failed = GaugeMetricFamily("siaga_task_failures", "Tasks that failed")
        failed.add_metric([], DBTaskResult.objects.filter(status="FAILED").count())
        yield failed


@login_not_required
def metrics_view(request):
    token = settings.METRICS_TOKEN
    if token and not hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}"):
        return HttpResponse("metrics token required\n", status=401, content_type="text/plain")
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(TaskQueueCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
