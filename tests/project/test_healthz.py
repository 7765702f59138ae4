"""/healthz reports the database and the broker, and answers 503 when one is down."""

import pytest


@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_broker_answer(client):
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
