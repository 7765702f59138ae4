"""Logs are JSON lines that carry the request's id; Sentry is on only with a DSN."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from metropolis.requestlog import RequestIdFilter

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_lines():
    """The lines the portal's JSON formatter writes while the test runs."""
    options = {k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"}
    from pythonjsonlogger.json import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("metropolis.requests")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(previous)


@pytest.mark.django_db
def test_each_request_is_logged_as_a_json_line_with_the_id_it_answers_with(client, json_lines):
    response = client.get("/healthz")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [line for line in json_lines() if line.get("path") == "/healthz"]
    assert line["request_id"] == request_id
    assert line["status"] == response.status_code and line["method"] == "GET"
    assert line["level"] == "INFO" and line["logger"] == "metropolis.requests" and "time" in line
    # Another request, another id.
    assert client.get("/healthz")["X-Request-ID"] != request_id


@pytest.mark.django_db
def test_the_front_s_request_id_is_kept_only_behind_a_trusted_proxy(client, settings):
    front_id = "0f8fad5b-d9cb-469f-a165-70867728950e"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client.get("/healthz", HTTP_X_REQUEST_ID=front_id)["X-Request-ID"] != front_id

    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/healthz", HTTP_X_REQUEST_ID=front_id)["X-Request-ID"] == front_id
    # Not an id: a fresh one, so nothing odd reaches the logs.
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\n{forged} line")["X-Request-ID"]
    assert len(forged) == 32 and "forged" not in forged


def _production(**extra: str) -> dict:
    code = (
        "import json, sentry_sdk; from django.conf import settings; "
        "log_format = settings.LOGGING['handlers']['console']['formatter']; "
        "print(json.dumps({'sentry': sentry_sdk.get_client().is_active(), 'format': log_format}))"
    )
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SENTRY_", "LOG_FORMAT", "DJANGO_SETTINGS"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="metropolis.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="portal.example.org",
        **extra,
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_production_logs_json_and_reports_errors_to_sentry_only_with_a_dsn():
    assert _production() == {"sentry": False, "format": "json"}
    assert _production(SENTRY_DSN="https://public@sentry.example.org/1") == {"sentry": True, "format": "json"}
    assert _production(LOG_FORMAT="text")["format"] == "text"
