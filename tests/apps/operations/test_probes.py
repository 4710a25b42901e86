"""What an operator and a load balancer read: probes, metrics, request ids, JSON errors and logs."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.cache import cache
from django.db import close_old_connections, connection

from cultivate.config.logs import JsonFormatter, RequestIdFilter, request_id

pytestmark = pytest.mark.django_db
DEAD_REDIS = "redis://127.0.0.1:1/0"


def test_healthz_answers_and_readyz_names_each_part_it_reached(client):
    assert client.get("/healthz").content == b"ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "ready": True,
        "database": "ok",
        "redis": "not needed",
        "queue": "in the request",
    }


def test_readyz_answers_503_naming_redis_when_the_queue_on_redis_is_away(client, settings):
    settings.TASKS = {
        "default": {"BACKEND": "cultivate.apps.operations.rq_queue.RetryingRQBackend"}
    }
    settings.RQ_QUEUES = {"default": {"URL": DEAD_REDIS}}
    answer = client.get("/readyz")
    assert answer.status_code == 503
    # Public: it names the part, never the error (hosts, users) that the log keeps.
    assert answer.json() == {
        "ready": False,
        "database": "ok",
        "redis": "unreachable",
        "queue": "unreachable",
    }


def test_readyz_stays_ready_when_only_the_cache_on_redis_is_away(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "cultivate.config.cache.TolerantRedisCache", "LOCATION": DEAD_REDIS}
    }
    assert client.get("/readyz").status_code == 200


def test_pages_still_serve_when_the_redis_cache_is_away(
    client, settings, community, coordinator, caplog
):
    settings.CACHES = {
        "default": {"BACKEND": "cultivate.config.cache.TolerantRedisCache", "LOCATION": DEAD_REDIS}
    }
    client.force_login(coordinator)
    with caplog.at_level(logging.WARNING, logger="cultivate.cache"):
        assert client.get(community.get_absolute_url()).status_code == 200
        assert cache.get("anything", "missed") == "missed"
        cache.set("anything", 1)  # skipped, not raised
    assert any("Redis is away" in r.getMessage() for r in caplog.records)


def test_the_metrics_are_for_the_operator_or_prometheus_with_its_token(client, make_user, settings):
    client.get("/healthz")
    assert client.get("/metrics").status_code == 403
    client.force_login(make_user())
    assert client.get("/metrics").status_code == 403
    client.force_login(make_user(is_staff=True))
    page = client.get("/metrics").content.decode()
    assert 'cultivate_request_seconds_count{method="GET",view="healthz"}' in page
    assert 'cultivate_jobs{state="waiting"}' in page
    assert 'cultivate_jobs{state="failed"}' in page
    assert "cultivate_workers" in page
    client.logout()
    settings.CULTIVATE_METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert (
        client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    )


def test_every_response_carries_a_request_id_and_keeps_a_safe_one_the_proxy_gave(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert (
        client.get("/healthz", headers={"X-Request-ID": "nginx-42"})["X-Request-ID"] == "nginx-42"
    )
    for unsafe in ("bad id", "id\n", "x" * 65):
        assert client.get("/healthz", headers={"X-Request-ID": unsafe})["X-Request-ID"] != unsafe


def test_a_json_log_line_carries_the_request_id_and_the_extra_fields():
    record = logging.LogRecord(
        "cultivate.x", logging.WARNING, "f.py", 1, "import %s stopped", ("7",), None
    )
    record.job = "abc"
    token = request_id.set("req-1")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "import 7 stopped"
    assert line["request_id"] == "req-1"
    assert line["level"] == "WARNING"
    assert line["job"] == "abc"


def test_an_unexpected_error_under_the_api_answers_json_with_the_request_id(client, settings):
    settings.ROOT_URLCONF = "tests.apps.operations.broken_urls"
    client.raise_request_exception = False
    answer = client.get("/api/broken", headers={"X-Request-ID": "r-9"})
    page = client.get("/broken")
    assert answer.status_code == 500
    assert answer["Content-Type"].startswith("application/json")
    assert answer.json()["code"] == "server_error"
    assert "r-9" in answer.json()["detail"]
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_dropped_is_replaced_before_the_next_request_uses_it():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server to drop the connection")
    import psycopg

    settings_dict = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with psycopg.connect(
        dbname=settings_dict["NAME"], host=settings_dict["HOST"], port=settings_dict["PORT"],
        user=settings_dict["USER"], autocommit=True,
    ) as killer:  # fmt: skip
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])
    close_old_connections()  # what Django does as each request starts
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
