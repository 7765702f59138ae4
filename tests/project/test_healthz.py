"""/healthz reports the database, the broker, the workers and beat, and answers
503 when the database, the broker or every worker is down."""

import time

import pytest
from django.core.cache import cache

from metropolis.beat import BEAT_LAST_RUN_KEY, HeartbeatScheduler


@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_broker_answer(client, settings):
    # The embedded default: no broker, tasks run in the web process.
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker_as_503(client, settings):
    # Port 1 on loopback: nothing listens there, the connection is refused.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True


def test_healthz_reports_an_unreachable_database_as_503(client, settings):
    from django.db import connection

    original = dict(connection.settings_dict)
    connection.close()
    try:
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = "/nonexistent-dir/db.sqlite3"
        else:
            connection.settings_dict["PORT"] = "1"
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False


@pytest.mark.worker
def test_healthz_names_the_workers_that_answer_and_is_503_once_none_does(client, celery_worker_process):
    response = client.get("/healthz")
    assert response.status_code == 200
    workers = response.json()["workers"]
    assert workers["ok"] is True
    assert any(name.startswith("test-") for name in workers["answered"])

    celery_worker_process.terminate()
    celery_worker_process.wait(timeout=30)
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 10  # the ping times out, it never hangs
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["workers"] == {"ok": False, "answered": []}
    assert body["broker"]["ok"] is True


@pytest.mark.django_db
def test_healthz_says_when_beat_last_ran(client, settings, tmp_path):
    from metropolis.celery import app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    cache.delete(BEAT_LAST_RUN_KEY)
    assert client.get("/healthz").json()["beat"] == {"ok": False, "last_run": None}

    scheduler = HeartbeatScheduler(app=app, schedule_filename=str(tmp_path / "beat-schedule"))
    sleep = scheduler.tick()
    assert 0 <= sleep <= 30  # beat wakes up often enough to keep its trace fresh

    beat = client.get("/healthz").json()["beat"]
    assert beat["ok"] is True and beat["seconds_ago"] <= 5 and beat["last_run"].startswith("20")

    cache.set(BEAT_LAST_RUN_KEY, time.time() - 3600, timeout=None)
    beat = client.get("/healthz").json()["beat"]
    assert beat["ok"] is False and beat["seconds_ago"] >= 3600
